import { join as joinPath } from "node:path";
import type { CredentialProvider } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Clock, Env, Locker, Logger } from "../ports.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import { cacheFileName, cacheNameForArn, type CacheKind, type CredentialCache } from "../cache/credentialCache.js";
import { baseCredentials, isRoleProfile, type BaseCredentials } from "./baseCredentials.js";
import { ASSUME_ROLE_LIMITS, CHAINED_ROLE_LIMITS, SESSION_TOKEN_LIMITS, clampDuration } from "./durations.js";
import { fromAssumeRole } from "./fromAssumeRole.js";
import { fromSaml } from "./fromSaml.js";
import { fromSessionToken } from "./fromSessionToken.js";
import { fromWebIdentity } from "./fromWebIdentity.js";
import type { IdpAccess } from "./idpAccess.js";
import type { MfaCodeSource } from "./mfaCode.js";
import { roleSessionNameResolver } from "./roleSessionName.js";
import type { SdkCredentialsFactory, StsApi } from "./stsApi.js";
import { withCache } from "./withCache.js";

/** Everything the credential flows need from outside, built once by the CLI. */
export interface ProviderDeps {
  /** The STS API for the profile's region and endpoint, loaded on first use. */
  sts: () => Promise<StsApi>;
  sdkCredentials: SdkCredentialsFactory;
  cache: CredentialCache;
  cacheDir: string;
  credentialsPath: string;
  locker: Locker;
  clock: Clock;
  logger: Logger;
  mfaCode: MfaCodeSource;
  env: Env;
  osUser: () => string | undefined;
  /** The resolved [default] profile, for role ARNs given without a profile. */
  defaultProfile?: ResolvedProfile;
  /** The identity provider, for SAML and web-identity profiles. */
  idp?: IdpAccess;
}

/** The kind of credential flow a profile uses, decided once (core.md §3.1): SAML, then web identity, then role, then session. */
export type ProfileKind = "saml" | "web-identity" | "role" | "session";

export function profileKind(p: ResolvedProfile): ProfileKind {
  if (p.settings.samlAuthUrl !== undefined) return "saml";
  if (p.settings.webIdentityAuthUrl !== undefined) return "web-identity";
  if (p.settings.roleArn !== undefined) return "role";
  return "session";
}

/** Roles longer than this are assumed directly with the long-term keys (and MFA), shorter ones via a session token. */
const SESSION_TOKEN_ROLE_LIMIT = 3600;

/**
 * Builds the provider for a resolved profile by composition (design/style-anchors.md §3.4):
 *   session          cache(GetSessionToken(base keys, MFA))                      .aws_session_token_<source|name>
 *   role (≤ 1 h)     cache(AssumeRole(<session above>))                            .aws_assume_role_<name>
 *   role (> 1 h)     cache(AssumeRole(base keys, MFA))                             .aws_assume_role_<name>
 *   role chain       cache(AssumeRole(<provider of the source role profile>))       (source_profile is itself a role)
 * Temporary base credentials (credential_process, SSO, keys with a session token) cannot call GetSessionToken, so
 * they assume the role directly, or are returned as they are for a session profile.
 */
export function providerForProfile(p: ResolvedProfile, deps: ProviderDeps): CredentialProvider {
  const kind = profileKind(p);
  if (kind === "saml" || kind === "web-identity") return federatedProvider(p, kind, deps);
  return kind === "role" ? roleProvider(p, deps, [p.name]) : sessionProvider(p, deps);
}

/**
 * SAML and web identity (core.md §3.5, §3.6): the IdP's assertion or token assumes role_arn, cached as
 * .aws_saml_role_<profile> / .aws_web_role_<profile>. With jump_role_arn it assumes the jump role instead (cached
 * under the jump role's <account>-<name>), whose credentials then assume role_arn for the 1 hour AWS allows a chained
 * session (.aws_assume_role_<profile>).
 */
function federatedProvider(p: ResolvedProfile, kind: "saml" | "web-identity", deps: ProviderDeps): CredentialProvider {
  const s = p.settings;
  if (s.roleArn === undefined) {
    throw new RunasError(
      "INVALID_CONFIG",
      `profile '${p.name || "default"}' signs in with ${kind === "saml" ? "SAML" : "OIDC"} but has no role_arn: add role_arn = <the role to assume>`,
    );
  }
  const idp = deps.idp;
  if (idp === undefined) throw new Error("federatedProvider needs the identity provider");
  const firstRole = s.jumpRoleArn ?? s.roleArn;
  const cacheName = s.jumpRoleArn !== undefined || p.name === "" ? cacheNameForArn(firstRole) : p.name;
  const durationSeconds = clampDuration(s.credentialsDuration ?? s.durationSeconds, ASSUME_ROLE_LIMITS, deps.logger);
  const federated =
    kind === "saml"
      ? cached("saml_role", cacheName, "SAML ROLE CREDENTIALS",
          fromSaml({ sts: deps.sts, idp, roleArn: firstRole, durationSeconds, logger: deps.logger }), deps)
      : cached("web_role", cacheName, "WEB IDENTITY ROLE CREDENTIALS",
          fromWebIdentity({
            sts: deps.sts,
            idp,
            roleArn: firstRole,
            durationSeconds,
            ...(s.webIdentityUsername === undefined ? {} : { username: s.webIdentityUsername }),
            clock: deps.clock,
            logger: deps.logger,
          }), deps);
  if (s.jumpRoleArn === undefined) return federated;

  return cached(
    "assume_role",
    p.name === "" ? cacheNameForArn(s.roleArn) : p.name,
    "ASSUME ROLE CREDENTIALS",
    fromAssumeRole({
      sts: deps.sts,
      source: federated,
      roleArn: s.roleArn,
      durationSeconds: CHAINED_ROLE_LIMITS.default,
      roleSessionName: roleSessionNameResolver({
        ...(s.roleSessionName === undefined ? {} : { configured: s.roleSessionName }),
        sts: deps.sts,
        osUser: deps.osUser,
        clock: deps.clock,
        logger: deps.logger,
      }),
      ...(s.externalId === undefined ? {} : { externalId: s.externalId }),
      mfaCode: deps.mfaCode,
      logger: deps.logger,
    }),
    deps,
  );
}

function cached(kind: CacheKind, name: string, label: string, provider: CredentialProvider, deps: ProviderDeps): CredentialProvider {
  const file = cacheFileName(kind, name);
  return withCache({
    provider,
    cache: deps.cache,
    file,
    lockPath: joinPath(deps.cacheDir, file),
    locker: deps.locker,
    clock: deps.clock,
    logger: deps.logger,
    label,
  });
}

function base(p: ResolvedProfile | undefined, deps: ProviderDeps): BaseCredentials {
  return baseCredentials(p, {
    env: deps.env,
    sdk: deps.sdkCredentials,
    credentialsPath: deps.credentialsPath,
    ...(deps.defaultProfile === undefined ? {} : { defaultProfile: deps.defaultProfile }),
  });
}

/** The name a profile's session-token cache is keyed by: its source profile's, else its own (core.md §4.2). */
function sessionCacheName(p: ResolvedProfile): string {
  return p.source?.name ?? p.settings.sourceProfile ?? p.name;
}

function sessionTokenOver(b: BaseCredentials, p: ResolvedProfile, deps: ProviderDeps): CredentialProvider {
  if (b.temporary) return b.provider;
  return cached(
    "session_token",
    sessionCacheName(p),
    "SESSION TOKEN CREDENTIALS",
    fromSessionToken({
      sts: deps.sts,
      source: b.provider,
      durationSeconds: clampDuration(p.settings.sessionTokenDuration, SESSION_TOKEN_LIMITS, deps.logger),
      ...(p.settings.mfaSerial === undefined ? {} : { mfaSerial: p.settings.mfaSerial }),
      mfaCode: deps.mfaCode,
      logger: deps.logger,
    }),
    deps,
  );
}

function sessionProvider(p: ResolvedProfile, deps: ProviderDeps): CredentialProvider {
  // A session profile with a source_profile stands on the source's keys (upstream: the SDK is handed the source).
  const source = p.source ?? p;
  if (isRoleProfile(source) && source !== p) return roleProvider(source, deps, [p.name, source.name]);
  return sessionTokenOver(base(source, deps), p, deps);
}

function roleProvider(p: ResolvedProfile, deps: ProviderDeps, chain: string[]): CredentialProvider {
  const roleArn = p.settings.roleArn;
  if (roleArn === undefined) throw new Error("roleProvider needs a role_arn");
  const requested = p.settings.credentialsDuration ?? p.settings.durationSeconds;
  const sessionName = roleSessionNameResolver({
    ...(p.settings.roleSessionName === undefined ? {} : { configured: p.settings.roleSessionName }),
    sts: deps.sts,
    osUser: deps.osUser,
    clock: deps.clock,
    logger: deps.logger,
  });
  const cacheName = p.name === "" ? cacheNameForArn(roleArn) : p.name;
  const common = {
    sts: deps.sts,
    roleArn,
    roleSessionName: sessionName,
    mfaCode: deps.mfaCode,
    logger: deps.logger,
    ...(p.settings.externalId === undefined ? {} : { externalId: p.settings.externalId }),
  };

  let source: CredentialProvider;
  let durationSeconds: number;
  let mfaSerial: string | undefined;
  if (p.source !== undefined && isRoleProfile(p.source)) {
    // Role chaining: the source profile's own role credentials assume this role; AWS caps such sessions at 1 h.
    if (chain.includes(p.source.name)) {
      throw new RunasError("SOURCE_PROFILE_CYCLE", `source_profile chain loops: ${[...chain, p.source.name].join(" -> ")}`);
    }
    source = roleProvider(p.source, deps, [...chain, p.source.name]);
    durationSeconds = clampDuration(requested, CHAINED_ROLE_LIMITS, deps.logger);
  } else {
    const b = base(p.source ?? (p.name === "" ? undefined : p), deps);
    if (b.temporary || (requested !== undefined && requested > SESSION_TOKEN_ROLE_LIMIT)) {
      // Long roles (and temporary base credentials, which cannot get a session token) assume the role directly,
      // carrying the MFA themselves (core.md §3.3).
      source = b.provider;
      mfaSerial = p.settings.mfaSerial;
    } else {
      // The MFA goes on the session token, shared by every role of the same source for its 12 hours.
      source = sessionTokenOver(b, p, deps);
    }
    durationSeconds = clampDuration(requested, ASSUME_ROLE_LIMITS, deps.logger);
  }
  return cached(
    "assume_role",
    cacheName,
    "ASSUME ROLE CREDENTIALS",
    fromAssumeRole({ ...common, source, durationSeconds, ...(mfaSerial === undefined ? {} : { mfaSerial }) }),
    deps,
  );
}
