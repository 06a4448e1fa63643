/**
 * The credential provider of a resolved profile, composed the one way every command and the servers use: the STS
 * adapter, the SDK's own chain, the credential cache and its lock, MFA codes and the IdP bundle, so a profile shares its
 * cache files with every other aws-runas process. Only who answers the questions may differ (the terminal by default).
 */
import type { CredentialProvider } from "../domain/credentials.js";
import type { Env, Logger, Prompter } from "../ports.js";
import { createCredentialCache } from "../cache/credentialCache.js";
import { resolveProfile, type ResolvedProfile } from "../config/resolveProfile.js";
import type { SharedFilePaths, SharedFiles } from "../config/sharedFiles.js";
import { mfaCodeSource, type MfaCodeSource } from "../providers/mfaCode.js";
import { providerForProfile } from "../providers/providerForProfile.js";
import type { StsApi } from "../providers/stsApi.js";
import type { AppDeps } from "./appDeps.js";
import { lazyIdpAccess } from "./lazyIdpAccess.js";
import { stsLoader } from "./stsLoader.js";

export function profileProvider(o: {
  profile: ResolvedProfile;
  files: SharedFiles;
  paths: SharedFilePaths;
  env: Env;
  deps: AppDeps;
  logger: Logger;
  /** The STS adapter, when the caller also uses it (GetCallerIdentity); else the profile's own, loaded on first use. */
  sts?: () => Promise<StsApi>;
  /** Who answers the IdP's questions; the terminal when absent. */
  prompter?: Prompter;
  /** Where MFA codes come from; `-o` / MFA_CODE, then the terminal, when absent. */
  mfaCode?: MfaCodeSource;
}): CredentialProvider {
  const { profile, files, paths, env, deps, logger } = o;
  // A role ARN given instead of a profile stands on the environment's keys, then [default]'s (core.md §1.5).
  const defaultProfile = profile.name === "" ? resolveProfile("default", files, {}, {}) : undefined;
  const prompter = o.prompter;
  return providerForProfile(profile, {
    sts: o.sts ?? stsLoader(profile, env, deps, logger),
    sdkCredentials: (name) => () =>
      deps.sdkCredentials({
        profile: name,
        configPath: paths.configPath,
        credentialsPath: paths.credentialsPath,
        ...(profile.settings.region === undefined ? {} : { region: profile.settings.region }),
      }),
    cache: createCredentialCache({ dir: paths.cacheDir, logger }),
    cacheDir: paths.cacheDir,
    credentialsPath: paths.credentialsPath,
    locker: deps.locker,
    clock: deps.clock,
    logger,
    mfaCode: o.mfaCode ?? mfaCodeSource(profile.settings.mfaCode, deps.prompter()),
    env,
    osUser: deps.osUser,
    ...(defaultProfile === undefined ? {} : { defaultProfile }),
    // Only SAML and web-identity flows use it, and it loads nothing until they do.
    idp: lazyIdpAccess(profile, files, prompter === undefined ? deps : { ...deps, prompter: () => prompter }, logger),
  });
}
