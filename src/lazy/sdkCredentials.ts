/**
 * Base credentials resolved by the AWS SDK itself (credential_process, IAM Identity Center, the default chain), for
 * the sources aws-runas does not read directly. Bundled on its own (dist/sdkCredentials.cjs), loaded on demand.
 */
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";

export async function resolveSdkCredentials(o: {
  profile: string | undefined;
  configPath: string;
  credentialsPath: string;
  region?: string;
}): Promise<Credentials> {
  const files = { filepath: o.credentialsPath, configFilepath: o.configPath };
  const clientConfig = o.region === undefined ? {} : { clientConfig: { region: o.region } };
  const provider = o.profile === undefined
    ? fromNodeProviderChain({ ...files, ...clientConfig })
    : fromIni({ profile: o.profile, ...files, ...clientConfig });
  try {
    const c = await provider();
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
      ...(c.expiration === undefined ? {} : { expiration: c.expiration }),
    };
  } catch (e) {
    const what = o.profile === undefined ? "the environment or the [default] profile" : `profile '${o.profile}'`;
    throw new RunasError(
      "NO_CREDENTIALS",
      `could not load base credentials from ${what}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}
