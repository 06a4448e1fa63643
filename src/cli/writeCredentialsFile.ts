/**
 * `-c`: the credentials written to the shared credentials file under the profile's name. A failure is a warning and
 * the command carries on, as upstream (core.md §5.6). The writer is loaded only when asked for.
 */
import type { Credentials } from "../domain/credentials.js";
import type { Logger } from "../ports.js";
import type { SharedFilePaths } from "../config/sharedFiles.js";
import type { AppDeps } from "./appDeps.js";

export async function writeCredentialsFile(
  profile: string,
  creds: Credentials,
  paths: SharedFilePaths,
  deps: AppDeps,
  logger: Logger,
): Promise<void> {
  const { writeCredentialsProfile } = await import("../lazy/write.js");
  try {
    const section = await writeCredentialsProfile({ credentialsPath: paths.credentialsPath, profile, creds, locker: deps.locker });
    logger.info(`Credentials written to AWS credentials file under profile: ${section}`);
  } catch (e) {
    logger.warn(`error writing credentials to file: ${e instanceof Error ? e.message : String(e)}`);
  }
}
