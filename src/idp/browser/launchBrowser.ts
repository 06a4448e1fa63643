/**
 * Starts the browser of the `browser` provider (idp.md §9.1) on aws-runas's own profile with the DevTools port open,
 * and finds the address of that port: Chrome writes it to `DevToolsActivePort` in the user data dir and prints
 * "DevTools listening on ws://…" on stderr; whichever comes first is used.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { RunasError } from "../../domain/errors.js";
import type { Logger } from "../../ports.js";
import type { BrowserChoice } from "./browserChoice.js";
import { PROFILE_DIRECTORY } from "./userDataDir.js";

/**
 * The flags of every launch: no first-run or default-browser questions, no "restore pages?" bubble after an earlier
 * browser was killed, no error dialogs, a small window, and DevTools on a port the OS picks.
 */
export const BROWSER_FLAGS: readonly string[] = [
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-session-crashed-bubble",
  "--hide-crash-restore-bubble",
  "--noerrdialogs",
  "--window-size=400,700",
  "--remote-debugging-port=0",
];

/** The command line after the program: the profile, the flags, and a blank page the sign-in is navigated from. */
export function browserArgs(userDataDir: string): string[] {
  return [`--user-data-dir=${userDataDir}`, `--profile-directory=${PROFILE_DIRECTORY}`, ...BROWSER_FLAGS, "about:blank"];
}

/** The part of a child process the launch uses (node's ChildProcess is one). */
export interface BrowserProcess {
  readonly pid?: number | undefined;
  readonly stderr: Readable | null;
  once(event: "spawn", listener: () => void): unknown;
  once(event: "error", listener: (err: Error) => void): unknown;
  once(event: "exit", listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  kill(signal?: NodeJS.Signals): boolean;
}

/** What launching does to the machine; tests pass fakes. */
export interface LaunchDeps {
  spawn(program: string, args: readonly string[]): BrowserProcess;
  /** A file's text, or undefined when it does not exist (yet). */
  readFile(file: string): Promise<string | undefined>;
  sleep(ms: number): Promise<void>;
}

/** A browser that runs (or ran) on aws-runas's profile. */
export interface RunningBrowser {
  /** The program that was started (a path, or a name found on PATH). */
  readonly program: string;
  readonly pid: number | undefined;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** SIGKILL. */
  kill(): void;
}

/** How long a started browser gets to open its DevTools port, and how often the port file is read. */
const DEVTOOLS_WAIT_MS = 30_000;
const DEVTOOLS_POLL_MS = 100;
/** Spawn errors that mean "this candidate is not installed here": try the next. */
const NOT_THERE = new Set(["ENOENT", "EACCES", "ENOTDIR", "EISDIR"]);

/** Real processes and files. */
export function nodeLaunchDeps(): LaunchDeps {
  return {
    spawn: (program, args) => spawn(program, [...args], { stdio: ["ignore", "ignore", "pipe"] }),
    async readFile(file) {
      try {
        return await readFile(file, "utf8");
      } catch {
        return undefined;
      }
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/**
 * Starts the first candidate of `choice` that exists, with `browserArgs(userDataDir)`, and waits (30 s at most) for
 * its DevTools address. A fallback candidate (Chrome for msedge) is announced with a WARN line.
 */
export async function startBrowser(
  choice: BrowserChoice,
  userDataDir: string,
  o: { deps: LaunchDeps; logger: Logger; devToolsWaitMs?: number },
): Promise<{ browser: RunningBrowser; devToolsUrl: string }> {
  const args = browserArgs(userDataDir);
  for (const [index, program] of choice.candidates.entries()) {
    const child = o.deps.spawn(program, args);
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exited = new Promise<void>((resolve) =>
      child.once("exit", (code, signal) => {
        exit = { code, signal };
        resolve();
      }),
    );
    const started = await new Promise<Error | undefined>((resolve) => {
      child.once("spawn", () => resolve(undefined));
      child.once("error", (e) => resolve(e));
    });
    if (started !== undefined) {
      const code = (started as { code?: unknown }).code;
      if (typeof code === "string" && NOT_THERE.has(code)) {
        o.logger.debug(`browser: ${program}: ${code}`);
        if (choice.explicitPath) {
          throw new RunasError(
            "IDP_ERROR",
            `auth_browser is ${program}, which cannot be started (${code}); set auth_browser to the path of a ` +
              "Chrome-compatible browser, or to chrome or msedge",
            { cause: started },
          );
        }
        continue;
      }
      throw new RunasError("IDP_ERROR", `could not start ${program}: ${started.message}`, { cause: started });
    }
    if (choice.fallbackFrom !== undefined && index >= choice.fallbackFrom && choice.fallbackWarning !== undefined) {
      o.logger.warn(choice.fallbackWarning);
    }
    o.logger.debug(`browser: started ${program} (pid ${child.pid ?? "?"}) on ${userDataDir}`);

    const browser: RunningBrowser = {
      program,
      pid: child.pid,
      exited,
      hasExited: () => exit !== undefined,
      kill: () => {
        if (exit === undefined) child.kill("SIGKILL");
      },
    };
    const fromStderr = announcedUrl(child.stderr);
    const limit = o.devToolsWaitMs ?? DEVTOOLS_WAIT_MS;
    for (let waited = 0; ; waited += DEVTOOLS_POLL_MS) {
      const url = fromStderr() ?? portFileUrl(await o.deps.readFile(path.join(userDataDir, "DevToolsActivePort")));
      if (url !== undefined) {
        o.logger.debug(`browser: DevTools on ${new URL(url).host}`);
        return { browser, devToolsUrl: url };
      }
      if (exit !== undefined) {
        const how = exit.signal !== null ? `signal ${exit.signal}` : `exit status ${exit.code ?? "?"}`;
        throw new RunasError(
          "IDP_ERROR",
          `${program} ended (${how}) before aws-runas could connect to it; close any browser window still using ` +
            `${userDataDir} and run aws-runas again`,
        );
      }
      if (waited >= limit) {
        browser.kill();
        throw new RunasError(
          "IDP_ERROR",
          `${program} started but did not open its DevTools port within ${Math.round(limit / 1000)} s; ` +
            "check that it is a Chrome-compatible browser and run aws-runas again",
        );
      }
      await o.deps.sleep(DEVTOOLS_POLL_MS);
    }
  }
  throw new RunasError(
    "IDP_ERROR",
    `no ${choice.wanted} found (looked for ${choice.candidates.join(", ")}); install Google Chrome or Chromium, ` +
      "or put it on PATH",
  );
}

/**
 * Watches stderr for "DevTools listening on ws://…" and keeps draining it afterwards: a browser whose stderr pipe
 * fills up stops.
 */
function announcedUrl(stderr: Readable | null): () => string | undefined {
  let found: string | undefined;
  let tail = "";
  stderr?.on("data", (chunk: Buffer | string) => {
    if (found !== undefined) return;
    tail = (tail + chunk.toString()).slice(-8192);
    const m = /DevTools listening on (ws:\/\/[^\s]+)/.exec(tail);
    if (m?.[1] !== undefined) found = m[1];
  });
  stderr?.on("error", () => undefined);
  return () => found;
}

/** `DevToolsActivePort` holds the port on its first line and the browser target's path on the second. */
function portFileUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const [port, target] = text.split(/\r?\n/);
  if (port === undefined || !/^\d{1,5}$/.test(port.trim()) || target === undefined) return undefined;
  if (!target.trim().startsWith("/devtools/browser/")) return undefined;
  return `ws://127.0.0.1:${port.trim()}${target.trim()}`;
}
