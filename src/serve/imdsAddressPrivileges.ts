/**
 * After binding 169.254.169.254:80 as root, the server gives root up (core.md §9.2 step 5): everything it does from
 * then on (reading the user's config, writing the user's credential cache, answering requests) runs as the user who
 * asked for it.
 */
import path from "node:path";
import { RunasError } from "../domain/errors.js";
import type { Env, Logger } from "../ports.js";

export interface DropPrivilegesDeps {
  env: Env;
  /** The home directory whose `.aws/config` names the user (the default path: AWS_CONFIG_FILE is not consulted). */
  homeDir: string;
  /** Owner of a file; throws when it does not exist. */
  stat(path: string): { uid: number; gid: number };
  getuid(): number;
  setgid(id: number): void;
  setuid(id: number): void;
  /** Where available: drops root's supplementary groups (else the process would keep e.g. group 0's access). */
  setgroups?(ids: number[]): void;
  platform: NodeJS.Platform;
  logger: Logger;
}

const NUMERIC = /^\d+$/;

/** Who to become, first match (core.md §9.2 step 5), with where that came from for the log line. */
function target(d: DropPrivilegesDeps): { uid: number; gid: number; from: string } {
  const { SUDO_UID: uid, SUDO_GID: gid } = d.env;
  if (uid !== undefined && gid !== undefined && NUMERIC.test(uid) && NUMERIC.test(gid)) {
    return { uid: Number(uid), gid: Number(gid), from: "SUDO_UID/SUDO_GID" };
  }
  if (uid !== undefined || gid !== undefined) {
    d.logger.debug("SUDO_UID/SUDO_GID are not both set to numbers: using the owner of the AWS config file instead");
  }
  const config = path.join(d.homeDir, ".aws", "config");
  for (const file of [config, d.homeDir]) {
    try {
      const { uid: u, gid: g } = d.stat(file);
      return { uid: u, gid: g, from: `the owner of ${file}` };
    } catch {
      // Next candidate: no config file yet, then the home directory itself.
    }
  }
  throw new RunasError(
    "PRIVILEGED_MODE",
    `cannot tell which user to run as: neither SUDO_UID/SUDO_GID nor ${config} nor ${d.homeDir} is usable; run with sudo`,
  );
}

/**
 * Becomes the invoking user when running as root (not on Windows, which has no such drop): supplementary groups,
 * then the group, then the user — the user last, since afterwards the group may no longer be changed. A failure is
 * an error: serving on as root by accident is worse than not serving.
 */
export function dropPrivileges(d: DropPrivilegesDeps): void {
  if (d.platform === "win32") return;
  if (d.getuid() !== 0) {
    d.logger.debug("not running as root: no privileges to drop");
    return;
  }
  const { uid, gid, from } = target(d);
  if (uid === 0) {
    d.logger.warn(
      `still serving as root: ${from} is root; run through sudo from your own account to serve as yourself`,
    );
    return;
  }
  d.logger.debug(`dropping privileges to uid ${uid}, gid ${gid} (${from})`);
  try {
    d.setgroups?.([gid]);
    d.setgid(gid);
    d.setuid(uid);
  } catch (e) {
    throw new RunasError(
      "PRIVILEGED_MODE",
      `could not drop privileges to uid ${uid}, gid ${gid} (${e instanceof Error ? e.message : String(e)}): stopping rather than serving as root`,
      { cause: e },
    );
  }
  if (d.getuid() !== uid) {
    throw new RunasError("PRIVILEGED_MODE", `could not drop privileges to uid ${uid}: stopping rather than serving as root`);
  }
}
