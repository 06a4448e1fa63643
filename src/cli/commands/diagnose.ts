import { existsSync } from "node:fs";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { selectSubcommandProfile } from "../profileArg.js";
import { createCredentialCache } from "../../cache/credentialCache.js";
import type { Finding } from "../../diagnose/finding.js";
import { createHttpHead } from "../../diagnose/httpHead.js";
import type { HeadRequest } from "../../diagnose/httpHead.js";
import { runDiagnostics } from "../../diagnose/runDiagnostics.js";
import { createSntpQuery } from "../../diagnose/sntpClient.js";
import type { SntpQuery } from "../../diagnose/sntpClient.js";

/** The network the checks use; tests pass their own (a fake time server, a local IdP). */
export interface DiagnoseNet {
  sntp: SntpQuery;
  head: HeadRequest;
}

/** How long the IdP endpoint may take to answer HEAD: long enough for a slow IdP, short enough to wait for. */
const IDP_TIMEOUT_MS = 5000;

/**
 * `aws-runas diagnose [profile]` / `diag` / `-D` (core.md §8): checks the profile's configuration, credentials,
 * cache and the system clock, logging one INFO/WARN/ERROR line per finding on stderr, then prints the resolved
 * configuration on stdout. Exits 1 when a check found an ERROR, so scripts and support can tell; 0 otherwise.
 * `net` is a test seam; the real one speaks SNTP over node:dgram (2 s) and HEAD over node:http(s).
 */
export async function runDiagnose(
  cl: CommandLine,
  env: Env,
  deps: AppDeps,
  logger: Logger,
  net: DiagnoseNet = {
    sntp: createSntpQuery({ clock: deps.clock, timeoutMs: 2000 }),
    head: createHttpHead({ timeoutMs: IDP_TIMEOUT_MS }),
  },
): Promise<number> {
  // `-D p` reads the top-level positionals exactly as `diagnose p` reads its own (core.md §1.4 B).
  const { profile } = selectSubcommandProfile(cl.positionals, env, 1);
  const ok = await runDiagnostics(
    { profile, env, homeDir: deps.homeDir, overrides: cl.options.overrides },
    {
      clock: deps.clock,
      sntp: net.sntp,
      head: net.head,
      cache: (dir) => createCredentialCache({ dir, logger }),
      exists: existsSync,
      report: (f) => log(logger, f),
      dump: (text) => deps.out.stdout(text),
    },
  );
  return ok ? 0 : 1;
}

function log(logger: Logger, f: Finding): void {
  switch (f.level) {
    case "DEBUG":
      logger.debug(f.message);
      return;
    case "INFO":
      logger.info(f.message);
      return;
    case "WARN":
      logger.warn(f.message);
      return;
    case "ERROR":
      logger.error(f.message);
      return;
  }
}
