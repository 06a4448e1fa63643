/**
 * The real dependencies of the privileged EC2 mode (src/serve/imdsAddress.ts): the interface commands run with
 * execFile, the root helper that removes the address when this process goes away, the privilege calls and the
 * process's exit events. Loaded only by `serve ec2` without `-p`.
 */
import { execFile, spawn } from "node:child_process";
import { statSync } from "node:fs";
import type { Socket } from "node:net";
import { homedir, networkInterfaces } from "node:os";
import type { Env, Logger } from "../ports.js";
import type { ImdsAddressDeps, Remover } from "../serve/imdsAddress.js";
import type { DropPrivilegesDeps } from "../serve/imdsAddressPrivileges.js";
import type { ExitEvents } from "../serve/imdsAddressExit.js";

/**
 * The environment of the interface commands: ip and ifconfig live in sbin, which a user's PATH (and sudo's, on some
 * systems) may lack; the C locale keeps their messages in the English that imdsAddressCommands.ts recognises; and
 * nothing else of the server's environment (credentials, tokens) is handed to a root process that does not need it.
 * Windows keeps its environment: netsh needs SystemRoot and friends.
 */
function toolEnv(): NodeJS.ProcessEnv {
  if (process.platform === "win32") return { ...process.env };
  const path = [process.env.PATH ?? "", "/usr/sbin", "/sbin"].filter((p) => p !== "").join(":");
  return { PATH: path, LC_ALL: "C", LANG: "C" };
}

/** Runs a command to completion; its output becomes the error message (ImdsAddressDeps.run). */
export function runCommand(logger: Logger): (cmd: string, args: string[]) => Promise<void> {
  return (cmd, args) =>
    new Promise((resolve, reject) => {
      execFile(cmd, args, { env: toolEnv(), windowsHide: true, timeout: 60_000 }, (error, stdout, stderr) => {
        const output = `${stderr}${stdout}`.trim();
        if (output !== "") logger.debug(`${cmd}: ${output}`);
        if (error === null) return resolve();
        const failure = new Error(output !== "" ? output : error.message) as Error & { code?: unknown };
        failure.code = error.code;
        reject(failure);
      });
    });
}

// The helper is a POSIX shell: no second Node process (tens of MB) just to wait. It ignores the signals a terminal or
// a process-group kill sends, reads its stdin until end-of-file — which happens when the server closes the pipe or
// dies in any way, SIGKILL included — and then becomes the removal command.
const REMOVER_SCRIPT = 'trap "" HUP INT QUIT TERM; while read -r _; do :; done; exec "$@"';

/**
 * Starts the removal helper with this process's current privileges (ImdsAddressDeps.startRemover). It runs in its
 * own session (`detached`), so Ctrl-C at the terminal reaches only the server, and holds nothing open that would keep
 * this process alive until trigger() is called.
 */
export function startRemover(cmd: string, args: string[]): Promise<Remover> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", REMOVER_SCRIPT, "aws-runas-imds-remover", cmd, ...args], {
      detached: true,
      stdio: ["pipe", "ignore", "pipe"],
      env: toolEnv(),
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once("close", (code, signal) => done({ code, signal })),
    );
    const sockets = [child.stdin, child.stderr] as unknown as (Socket | null)[];
    child.once("error", reject);
    child.once("spawn", () => {
      child.unref();
      for (const s of sockets) s?.unref();
      let triggered: Promise<void> | undefined;
      resolve({
        trigger() {
          triggered ??= (async () => {
            // Referenced again: a process that awaits the removal must not exit before it is done.
            child.ref();
            for (const s of sockets) s?.ref();
            child.stdin?.end();
            const { code, signal } = await exited;
            if (code === 0) return;
            const failure = stderr.trim() !== "" ? stderr.trim() : `the removal helper ended with ${signal ?? `status ${code}`}`;
            throw new Error(failure);
          })();
          return triggered;
        },
      });
    });
  });
}

export function imdsAddressDeps(logger: Logger): ImdsAddressDeps {
  return {
    platform: process.platform,
    run: runCommand(logger),
    networkInterfaces,
    logger,
    startRemover,
  };
}

export function dropPrivilegesDeps(env: Env, logger: Logger): DropPrivilegesDeps {
  const fail = (what: string) => (): never => {
    throw new Error(`${what} is not available on this platform`);
  };
  return {
    env,
    homeDir: env.HOME !== undefined && env.HOME !== "" ? env.HOME : homedir(),
    stat: (path) => statSync(path),
    getuid: () => process.getuid?.() ?? -1,
    setgid: process.setgid?.bind(process) ?? fail("setgid"),
    setuid: process.setuid?.bind(process) ?? fail("setuid"),
    ...(process.setgroups !== undefined ? { setgroups: process.setgroups.bind(process) } : {}),
    platform: process.platform,
    logger,
  };
}

/** process.on / process.exit, for releaseOnExit. */
export function processExitEvents(): ExitEvents {
  return {
    on(event, fn) {
      try {
        process.on(event, fn);
      } catch {
        // A signal this platform does not have (Windows): nothing can send it.
      }
    },
    exit: (code) => process.exit(code),
  };
}
