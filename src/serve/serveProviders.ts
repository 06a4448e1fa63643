import type { CredentialProvider } from "../domain/credentials.js";
import type { Env, Logger, Prompter } from "../ports.js";
import type { AppDeps } from "../cli/appDeps.js";
import { stsLoader } from "../cli/stsLoader.js";
import { lazyIdpAccess } from "../cli/lazyIdpAccess.js";
import { createCredentialCache } from "../cache/credentialCache.js";
import { resolveProfile, type ResolvedProfile } from "../config/resolveProfile.js";
import type { SharedFilePaths, SharedFiles } from "../config/sharedFiles.js";
import { providerForProfile } from "../providers/providerForProfile.js";
import { serveMfaCode } from "./sessionPrompters.js";

/** Builds one profile's provider; `prompter` answers its questions (MFA code, IdP username and password). */
export type ProviderBuilder = (profile: ResolvedProfile, files: SharedFiles, prompter: Prompter) => CredentialProvider;

/**
 * The servers' provider builder: the same composition as the CLI's (cli/commands/credentials.ts), with the caches,
 * locks, STS adapter and IdP bundle of the CLI, so a profile served here shares its cache files with every other
 * aws-runas process. Only the questions differ: `prompter` (terminal or web page), and an MFA code asked for each
 * time STS needs one rather than once per process.
 */
export function serveProviderBuilder(o: { deps: AppDeps; env: Env; paths: SharedFilePaths; logger: Logger }): ProviderBuilder {
  const { deps, env, paths, logger } = o;
  const cache = createCredentialCache({ dir: paths.cacheDir, logger });
  return (profile, files, prompter) => {
    // A role ARN served without a profile stands on the environment's keys, then [default]'s (core.md §1.5).
    const defaultProfile = profile.name === "" ? resolveProfile("default", files, {}, {}) : undefined;
    return providerForProfile(profile, {
      sts: stsLoader(profile, env, deps, logger),
      sdkCredentials: (name) => () =>
        deps.sdkCredentials({
          profile: name,
          configPath: paths.configPath,
          credentialsPath: paths.credentialsPath,
          ...(profile.settings.region === undefined ? {} : { region: profile.settings.region }),
        }),
      cache,
      cacheDir: paths.cacheDir,
      credentialsPath: paths.credentialsPath,
      locker: deps.locker,
      clock: deps.clock,
      logger,
      mfaCode: serveMfaCode(profile.settings.mfaCode, prompter),
      env,
      osUser: deps.osUser,
      ...(defaultProfile === undefined ? {} : { defaultProfile }),
      idp: lazyIdpAccess(profile, files, { ...deps, prompter: () => prompter }, logger),
    });
  };
}
