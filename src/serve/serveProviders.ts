import type { CredentialProvider } from "../domain/credentials.js";
import type { Env, Logger, Prompter } from "../ports.js";
import type { AppDeps } from "../cli/appDeps.js";
import { profileProvider } from "../cli/profileProvider.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { SharedFilePaths, SharedFiles } from "../config/sharedFiles.js";
import { serveMfaCode } from "./sessionPrompters.js";

/** Builds one profile's provider; `prompter` answers its questions (MFA code, IdP username and password). */
export type ProviderBuilder = (profile: ResolvedProfile, files: SharedFiles, prompter: Prompter) => CredentialProvider;

/**
 * The servers' provider builder: the CLI's composition (cli/profileProvider.ts), so a profile served here shares its
 * cache files with every other aws-runas process. Only the questions differ: `prompter` (terminal or web page), and an
 * MFA code asked for each time STS needs one rather than once per process.
 */
export function serveProviderBuilder(o: { deps: AppDeps; env: Env; paths: SharedFilePaths; logger: Logger }): ProviderBuilder {
  const { deps, env, paths, logger } = o;
  return (profile, files, prompter) =>
    profileProvider({
      profile,
      files,
      paths,
      env,
      deps,
      logger,
      prompter,
      mfaCode: serveMfaCode(profile.settings.mfaCode, prompter),
    });
}
