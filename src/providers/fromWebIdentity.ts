import type { CredentialProvider } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Clock, Logger } from "../ports.js";
import type { IdToken } from "../idp/types.js";
import type { IdpAccess } from "./idpAccess.js";
import type { StsApi } from "./stsApi.js";

/** Characters STS accepts in a RoleSessionName. */
const INVALID = /[^\w+=,.@-]/g;

/**
 * The RoleSessionName for AssumeRoleWithWebIdentity: the configured IdP user name, else the token's own user claims,
 * else the time in nanoseconds (core.md §3.7).
 */
export function webSessionName(username: string | undefined, token: IdToken, clock: Clock): string {
  const claims = token.claims;
  const candidates = [username, claims.preferred_username, claims.email, claims.upn, claims.sub];
  for (const c of candidates) {
    if (typeof c === "string" && c.length >= 2) return c.replace(INVALID, "-").slice(0, 64);
  }
  return `${BigInt(clock.now().getTime()) * 1_000_000n}`;
}

/**
 * Role credentials from an OIDC id token (core.md §3.6): AssumeRoleWithWebIdentity. `forceRefresh` (the -r flag)
 * also bypasses the cached id token, so the user signs in again.
 */
export function fromWebIdentity(init: {
  sts: () => Promise<StsApi>;
  idp: IdpAccess;
  roleArn: string;
  durationSeconds: number;
  username?: string;
  clock: Clock;
  logger: Logger;
}): CredentialProvider {
  return async (options) => {
    const token = await init.idp.idToken({ forceRefresh: options?.forceRefresh === true });
    if (token.jwt.length < 4) {
      throw new RunasError(
        "OIDC_INVALID",
        "invalid WebIdentity Token detected, check your local setup and identity provider configuration",
      );
    }
    init.logger.debug("Detected expired or unset web identity role credentials, refreshing");
    const sts = await init.sts();
    return sts.assumeRoleWithWebIdentity({
      roleArn: init.roleArn,
      roleSessionName: webSessionName(init.username, token, init.clock),
      webIdentityToken: token.jwt,
      durationSeconds: init.durationSeconds,
    });
  };
}
