import type { Credentials, CredentialProvider } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { SdkCredentialsFactory } from "./stsApi.js";

/** Where a profile's long-term credentials come from; `temporary` ones cannot call GetSessionToken. */
export interface BaseCredentials {
  provider: CredentialProvider;
  temporary: boolean;
  describe: string;
}

/** True when the profile gets its credentials by assuming a role (so as a source it forms a role chain). */
export function isRoleProfile(p: ResolvedProfile): boolean {
  return p.settings.roleArn !== undefined && p.staticKeys === undefined;
}

function fixed(creds: Credentials): CredentialProvider {
  return () => Promise.resolve(creds);
}

/**
 * The long-term credentials a profile stands on, as the AWS CLI finds them (core.md §3.1), for a profile that is not
 * itself a role: its stored keys; else credential_process or IAM Identity Center settings through the SDK. With no
 * profile (a role ARN given instead of a name) the environment's keys, then [default]'s, then the SDK's default chain.
 * Keys in the environment are ignored when a profile is named: the profile's own keys win (upstream T-IT-08).
 */
export function baseCredentials(
  p: ResolvedProfile | undefined,
  o: { env: Env; defaultProfile?: ResolvedProfile; sdk: SdkCredentialsFactory; credentialsPath: string },
): BaseCredentials {
  if (p === undefined) {
    const id = o.env.AWS_ACCESS_KEY_ID ?? o.env.AWS_ACCESS_KEY;
    const secret = o.env.AWS_SECRET_ACCESS_KEY ?? o.env.AWS_SECRET_KEY;
    if (id !== undefined && id !== "" && secret !== undefined && secret !== "") {
      const token = o.env.AWS_SESSION_TOKEN ?? o.env.AWS_SECURITY_TOKEN;
      return {
        provider: fixed({ accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) }),
        temporary: Boolean(token),
        describe: "environment variables",
      };
    }
    if (o.defaultProfile?.staticKeys !== undefined) return baseCredentials(o.defaultProfile, o);
    return { provider: o.sdk(undefined), temporary: true, describe: "the AWS SDK default chain" };
  }
  if (p.staticKeys !== undefined) {
    const k = p.staticKeys;
    return {
      provider: fixed({
        accessKeyId: k.accessKeyId,
        secretAccessKey: k.secretAccessKey,
        ...(k.sessionToken === undefined ? {} : { sessionToken: k.sessionToken }),
      }),
      temporary: k.sessionToken !== undefined,
      describe: `the keys of profile '${p.name}'`,
    };
  }
  const s = p.settings;
  if (s.credentialProcess !== undefined || s.ssoSession !== undefined || s.ssoStartUrl !== undefined) {
    return { provider: o.sdk(p.name), temporary: true, describe: `profile '${p.name}' through the AWS SDK` };
  }
  throw new RunasError(
    "NO_CREDENTIALS",
    `profile '${p.name}' has no credentials: add aws_access_key_id and aws_secret_access_key to [${p.name}] in ${o.credentialsPath}, or give it a source_profile that has them`,
  );
}
