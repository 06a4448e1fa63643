import { readFileSync } from "node:fs";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { checkForUpdate } from "../../update/checkForUpdate.js";
import { npmRegistry } from "../../update/npmRegistry.js";
import { PACKAGE_NAME } from "../../update/packageName.js";
import { displayUrl } from "../../update/packageDocument.js";
import { updateNotice } from "../../update/updateNotice.js";

/** How long the registry may take, as upstream's release check (core.md §1.9). */
const TIMEOUT_MS = 5000;

/** Options of runUpdate that exist for tests only. */
export interface UpdateOptions {
  /** Test seam: a shorter wait than 5 s for the "registry does not answer" case. */
  timeoutMs?: number;
  /** Test seam: npm's built-in global prefix, instead of the one of the running node. */
  globalPrefix?: string;
}

/**
 * `aws-runas update` / `-u` (core.md §1.9, decisions.md Q-05): asks the registry npm is configured with for the
 * newest published aws-runas and prints one line: the newer version and how to install it, "up to date", or (as a
 * warning) why the check could not be done. Always exits 0: the check is advice.
 */
export async function runUpdate(
  _cl: CommandLine,
  env: Env,
  deps: AppDeps,
  logger: Logger,
  options: UpdateOptions = {},
): Promise<number> {
  const http = await import("../../lazy/updateCheck.js");
  const registry = npmRegistry({
    env,
    homeDir: deps.homeDir,
    defaultGlobalPrefix: options.globalPrefix ?? http.npmDefaultGlobalPrefix(),
    readFile: readTextFile,
  });
  logger.debug(`asking ${displayUrl(registry.url)} (registry from ${registry.source}) for the newest ${PACKAGE_NAME}`);
  const check = await checkForUpdate({
    name: PACKAGE_NAME,
    version: deps.version,
    registry: registry.url,
    registrySource: registry.source,
    get: http.registryGet,
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
  });
  const notice = updateNotice(PACKAGE_NAME, deps.version, check);
  if (notice.stream === "stdout") deps.out.stdout(`${notice.text}\n`);
  else logger.warn(notice.text);
  return 0;
}

/** npm skips a config file it cannot read; so does the check. */
function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
