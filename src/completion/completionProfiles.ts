import { loadSharedFiles, profileNames, sharedFilePaths } from "../config/sharedFiles.js";
import type { Env, Logger } from "../ports.js";

/**
 * The profile names of the user's config and credentials files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE
 * honoured), read at completion time. A file that cannot be read or parsed gives no names rather than an error
 * (core.md §1.10): a broken file must not make the shell print a failure at every TAB.
 */
export function completionProfiles(env: Env, homeDir: string, logger: Logger): string[] {
  try {
    return profileNames(loadSharedFiles(sharedFilePaths(env, homeDir)));
  } catch (e) {
    logger.debug(`no profile names to complete: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}
