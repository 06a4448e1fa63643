import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import { baseCredentials, type BaseCredentials } from "../providers/baseCredentials.js";
import type { SdkCredentialsFactory } from "../providers/stsApi.js";

/**
 * The long-term credentials of the IAM user behind a profile, never an assumed role's (core.md §6.1: "uses the
 * long-term base credentials"): the keys at the end of the source_profile chain, as the credential flows find them
 * (providers/baseCredentials.ts). With no profile named at all, the environment's keys, then [default]'s, then the
 * SDK's default chain, as the AWS CLI does. MFA is not needed: IAM read calls do not ask for it unless a policy
 * says so, and a role profile's mfa_serial protects the role, not the user.
 */
export function iamUserCredentials(
  p: ResolvedProfile,
  o: { named: boolean; env: Env; sdk: SdkCredentialsFactory; credentialsPath: string },
): BaseCredentials {
  const common = { env: o.env, sdk: o.sdk, credentialsPath: o.credentialsPath };
  let user = p;
  const chain = [p.name];
  while (user.source !== undefined) {
    if (chain.includes(user.source.name)) {
      throw new RunasError("SOURCE_PROFILE_CYCLE", `source_profile chain loops: ${[...chain, user.source.name].join(" -> ")}`);
    }
    chain.push(user.source.name);
    user = user.source;
  }
  if (user === p && !o.named) return baseCredentials(undefined, { ...common, defaultProfile: p });
  return baseCredentials(user, common);
}
