import type { CredentialCache } from "../cache/credentialCache.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { ProfileSettings } from "../config/settings.js";
import { loadSharedFiles, sharedFilePaths } from "../config/sharedFiles.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import { isRunasError } from "../domain/errors.js";
import type { Clock, Env } from "../ports.js";
import { cacheFindings } from "./cacheCheck.js";
import { clockCheck } from "./clockCheck.js";
import { configDump } from "./configDump.js";
import { environmentFindings } from "./environmentCheck.js";
import { error, isFailure, warn } from "./finding.js";
import type { Finding } from "./finding.js";
import type { HeadRequest } from "./httpHead.js";
import { iamFindings } from "./iamCheck.js";
import { idpOf, idpSettingsFindings } from "./idpCheck.js";
import { idpReachabilityFindings } from "./idpReachability.js";
import { regionFindings } from "./regionCheck.js";
import type { SntpQuery } from "./sntpClient.js";

/** What the checks need from outside: time, the network, the cache files, and where the results go. */
export interface DiagnoseDeps {
  clock: Clock;
  sntp: SntpQuery;
  head: HeadRequest;
  /** The credential cache of a cache directory (cache/credentialCache.ts). */
  cache(dir: string): CredentialCache;
  exists(path: string): boolean;
  /** Receives each finding as soon as it is known, so a slow network check does not hold back the others. */
  report(finding: Finding): void;
  /** Receives the configuration dump, for stdout. */
  dump(text: string): void;
}

export interface DiagnoseRequest {
  /** The profile name or role ARN; "" when none was given. */
  profile: string;
  env: Env;
  homeDir: string;
  /** Values of the setting flags (-S, -W, -U …), which diagnose takes into account as every command does. */
  overrides: Partial<ProfileSettings>;
}

/**
 * `diagnose` (core.md §8), in upstream's order: the profile is resolved, then the environment, region, profile
 * (IdP settings and endpoint, or IAM credentials), cache and clock checks run, and the resolved configuration is
 * dumped. A configuration that cannot be resolved is reported as a failure and the checks that need no profile still
 * run. Resolves true when no check failed.
 */
export async function runDiagnostics(req: DiagnoseRequest, deps: DiagnoseDeps): Promise<boolean> {
  let failed = false;
  const report = (findings: readonly Finding[]): void => {
    for (const f of findings) {
      if (isFailure(f)) failed = true;
      deps.report(f);
    }
  };

  if (req.profile === "") {
    report([warn("No profile specified, will only check default section. Provide a profile name for more validation")]);
  }
  const resolved = resolve(req);
  report(resolved.findings);
  report(environmentFindings(req.env));

  const { profile, files, defaultProfile } = resolved;
  if (profile !== undefined && files !== undefined) {
    report(regionFindings(profile));
    const idp = idpOf(profile);
    if (idp !== undefined) {
      report(idpSettingsFindings(profile, { env: req.env, files }));
      report(await idpReachabilityFindings(idp.url, deps.head));
    } else {
      report(iamFindings(profile, { env: req.env, files, ...(defaultProfile === undefined ? {} : { defaultProfile }) }));
    }
    report(
      cacheFindings(profile, {
        cache: deps.cache(files.paths.cacheDir),
        cacheDir: files.paths.cacheDir,
        clock: deps.clock,
        exists: deps.exists,
      }),
    );
  }
  report(await clockCheck(req.env, deps.sntp));

  if (profile !== undefined) deps.dump(configDump(req.profile === "" ? "default" : req.profile, profile));
  return !failed;
}

/** The files and the resolved profile, or the reason they cannot be had as an ERROR finding. */
function resolve(req: DiagnoseRequest): {
  profile?: ResolvedProfile;
  files?: SharedFiles;
  defaultProfile?: ResolvedProfile;
  findings: Finding[];
} {
  try {
    const files = loadSharedFiles(sharedFilePaths(req.env, req.homeDir));
    const profile = resolveProfile(req.profile, files, req.env, req.overrides);
    const findings = profile.warnings.map(warn);
    // A role ARN given instead of a profile stands on [default]'s keys when the environment has none (core.md §1.5).
    if (profile.name === "") return { profile, files, defaultProfile: resolveProfile("default", files, {}, {}), findings };
    return { profile, files, findings };
  } catch (e) {
    if (!isRunasError(e)) throw e;
    return { findings: [error(`${e.message}; the profile checks were skipped`)] };
  }
}
