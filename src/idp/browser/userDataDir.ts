/**
 * The browser profile aws-runas keeps for the `browser` provider (idp.md §9.1): `<AWS config dir>/.browser`, private
 * to the user, so the IdP's cookies survive between runs and no other browser window is disturbed. A browser left
 * running on it by an earlier run, and the lock files of one that died, would make the next start hand the URL to
 * that old process (or refuse to start): both are cleared before each launch.
 */
import { readFile, readlink, mkdir, chmod, rm } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../../ports.js";

/** Chrome's profile directory inside the user data dir (`--profile-directory`). */
export const PROFILE_DIRECTORY = "aws-runas";

/** Files of an earlier browser that must not outlive it: its instance lock, its DevTools port, its open tabs. */
export const STALE_ENTRIES = [
  "SingletonLock",
  "SingletonSocket",
  "SingletonCookie",
  "DevToolsActivePort",
  path.join(PROFILE_DIRECTORY, "Sessions"),
] as const;

/** How long an earlier browser gets to exit after SIGTERM, and how often it is checked. */
const TERMINATE_WAIT_MS = 3_000;
const TERMINATE_POLL_MS = 100;

/** What preparing the profile does to the machine; tests pass a fake. */
export interface ProfileSystem {
  /** Creates `dir` (and missing parents) private to the user (0700), and makes an existing one private. */
  makePrivateDir(dir: string): Promise<void>;
  /** Where a symbolic link points, or undefined when there is no link. */
  readLink(file: string): Promise<string | undefined>;
  /** The command line of process `pid`, or undefined when it is not running or this OS does not say (non-Linux). */
  commandLine(pid: number): Promise<string | undefined>;
  isRunning(pid: number): boolean;
  /** Sends SIGTERM. */
  terminate(pid: number): void;
  /** Removes a file or directory tree; nothing when it does not exist. */
  remove(file: string): Promise<void>;
}

/**
 * Makes `userDataDir` ready for a launch: creates it 0700; when its SingletonLock (Chrome writes `<host>-<pid>`)
 * names a live process whose command line uses this very user data dir, asks that browser to quit and waits up to
 * 3 s; then deletes the stale files above. Only a process started on this profile is ever signalled, and only where
 * its command line can be read (Linux /proc), as upstream did.
 */
export async function prepareUserDataDir(
  userDataDir: string,
  o: { system: ProfileSystem; sleep(ms: number): Promise<void>; logger: Logger },
): Promise<void> {
  const sys = o.system;
  await sys.makePrivateDir(userDataDir);

  const lock = await sys.readLink(path.join(userDataDir, "SingletonLock"));
  const pid = lock === undefined ? undefined : Number(/-(\d+)$/.exec(lock)?.[1] ?? NaN);
  if (pid !== undefined && Number.isSafeInteger(pid) && pid > 0 && sys.isRunning(pid)) {
    const cmdline = await sys.commandLine(pid);
    if (cmdline !== undefined && cmdline.includes(`--user-data-dir=${userDataDir}`)) {
      o.logger.debug(`browser: an earlier browser (pid ${pid}) still runs on ${userDataDir}; asking it to quit`);
      sys.terminate(pid);
      for (let waited = 0; waited < TERMINATE_WAIT_MS && sys.isRunning(pid); waited += TERMINATE_POLL_MS) {
        await o.sleep(TERMINATE_POLL_MS);
      }
      if (sys.isRunning(pid)) o.logger.debug(`browser: pid ${pid} did not quit within ${TERMINATE_WAIT_MS / 1000} s`);
    }
  }
  for (const entry of STALE_ENTRIES) await sys.remove(path.join(userDataDir, entry));
}

/** The real machine. Command lines are read from /proc on Linux only; elsewhere no earlier browser is signalled. */
export function nodeProfileSystem(platform: NodeJS.Platform): ProfileSystem {
  return {
    async makePrivateDir(dir) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (platform !== "win32") await chmod(dir, 0o700);
    },
    async readLink(file) {
      try {
        return await readlink(file);
      } catch {
        return undefined;
      }
    },
    async commandLine(pid) {
      if (platform !== "linux") return undefined;
      try {
        return (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").join(" ");
      } catch {
        return undefined;
      }
    },
    isRunning(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        // EPERM: it exists but belongs to someone else.
        return (e as { code?: string }).code === "EPERM";
      }
    },
    terminate(pid) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // Gone already.
      }
    },
    async remove(file) {
      await rm(file, { recursive: true, force: true });
    },
  };
}
