import type { Logger } from "../ports.js";
import { decodeAuthorizationToken } from "./authorizationToken.js";
import type { DockerLogin } from "./dockerLogin.js";
import type { EcrEndpoint } from "./ecrEndpoint.js";

/**
 * Logs docker in to each registry in order (core.md §11 step 3): an ECR authorization token from the registry's own
 * region, decoded, then `docker login`. The first failure stops the run, so what was logged in is what precedes the
 * error. A token serves every registry the caller may use in its region, so each region is asked once.
 */
export async function loginToRegistries(
  endpoints: readonly EcrEndpoint[],
  deps: { authorizationToken(region: string): Promise<string>; docker: DockerLogin; logger: Logger },
): Promise<void> {
  const tokens = new Map<string, Promise<string>>();
  for (const { host, region } of endpoints) {
    let token = tokens.get(region);
    if (token === undefined) {
      deps.logger.debug(`getting an ECR authorization token in ${region}`);
      token = deps.authorizationToken(region);
      tokens.set(region, token);
    }
    const login = decodeAuthorizationToken(await token, region);
    deps.logger.debug(`executing 'docker login' for ECR endpoint: ${host}`);
    await deps.docker({ endpoint: host, ...login });
  }
}
