/**
 * A running `aws-runas serve …` for the e2e tests: the built CLI in its own process group, its output collected, the
 * ready-to-copy env lines it prints parsed, stopped (the whole group) even when a test fails.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { CLI, ROOT, type RunResult } from "../helpers/cliRun.js";

export interface ServeProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The `NAME=value` lines printed on stdout. */
  vars(): Record<string, string>;
  /** Resolves once `ready(stdout, stderr)` holds; rejects when the process ends first or 30 s pass. */
  waitFor(ready: (stdout: string, stderr: string) => boolean, what: string): Promise<void>;
  /** Sends `signal` to the server alone and waits for it to end. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the whole process group (the after() safety net). */
  kill(): void;
}

export function startServe(args: string[], env: Record<string, string>): ServeProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of listeners) l();
  };
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    changed();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
    changed();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      changed();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    vars: () => Object.fromEntries(out.split("\n").filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((l) => {
      const i = l.indexOf("=");
      return [l.slice(0, i), l.slice(i + 1)];
    })),
    waitFor(ready, what) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (ready(out, err)) {
            done();
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`aws-runas ended before ${what}:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${what} within 30 s:\n${err}`));
        }, 30_000);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    kill() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Gone already.
        }
      }
    },
  };
}

/** Runs a command with `env` in the repository (so the JS SDK resolves from its node_modules) to completion. */
export function runIn(cmd: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * The TCP sockets process `pid` listens on, as `address:port` (Linux: its socket inodes in /proc/<pid>/fd matched
 * against /proc/net/tcp and tcp6). undefined where /proc is not there.
 */
export function listeningSockets(pid: number): string[] | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1] !== undefined) inodes.add(m[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  const found: string[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address, state 0A = LISTEN, inode in column 10.
      if (cols.length < 10 || cols[3] !== "0A" || !inodes.has(cols[9] ?? "")) continue;
      found.push(decodeAddress(cols[1] ?? ""));
    }
  }
  return found;
}

/** `0100007F:3039` → `127.0.0.1:12345`; IPv6 in /proc's word order → a compact form. */
function decodeAddress(hex: string): string {
  const [addr = "", port = ""] = hex.split(":");
  const p = parseInt(port, 16);
  if (addr.length === 8) {
    const bytes = (addr.match(/../g) ?? []).map((b) => parseInt(b, 16)).reverse();
    return `${bytes.join(".")}:${p}`;
  }
  const words = (addr.match(/.{8}/g) ?? []).map((w) => (w.match(/../g) ?? []).reverse().join(""));
  const groups = words.join("").match(/.{4}/g) ?? [];
  return `[${groups.map((g) => parseInt(g, 16).toString(16)).join(":")}]:${p}`;
}
