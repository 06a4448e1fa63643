/**
 * The ECR adapter over the AWS SDK v3, for `ecr login`. Bundled on its own (dist/ecr.cjs) and loaded only by that
 * command, so no other command pays for the ECR client.
 */
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";
import type { EcrApi, EcrTarget } from "../ecr/ecrApi.js";
import { translateEcrError } from "../ecr/ecrErrors.js";
import { sdkClientConfig } from "../platform/sdkClientConfig.js";

/** An EcrApi signing every call with `credentials` (the profile's), one SDK client per region. */
export function createEcrApi(target: EcrTarget, credentials: Credentials, logger: Logger): EcrApi {
  const clients = new Map<string, ECRClient>();
  const client = (region: string): ECRClient => {
    let c = clients.get(region);
    if (c === undefined) {
      // The tracing logger redacts authorizationToken in the traced responses (-vv).
      c = new ECRClient(sdkClientConfig({ region, endpoint: target.endpoint, credentials, logger }));
      clients.set(region, c);
    }
    return c;
  };

  return {
    async authorizationToken(region) {
      const where = target.endpoint ?? `the ECR endpoint of ${region}`;
      const out = await client(region)
        .send(new GetAuthorizationTokenCommand({}))
        .catch((e: unknown) => {
          throw translateEcrError(e, { region, where });
        });
      const token = out.authorizationData?.[0]?.authorizationToken;
      if (token === undefined || token === "") {
        throw new RunasError(
          "STS_ERROR",
          `ECR GetAuthorizationToken in ${region} returned no token; run the command again, and if it repeats, ` +
            "check AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL / endpoint_url",
        );
      }
      return token;
    },
  };
}
