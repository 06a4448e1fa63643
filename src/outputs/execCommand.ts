import { constants as osConstants } from "node:os";
import { RunasError } from "../domain/errors.js";
import type { Env, Logger } from "../ports.js";
import { isExecutable, onPath } from "../platform/onPath.js";

/** How the wrapped command ended; `code` is what aws-runas exits with (core.md §5.7.6). */
export interface ExecResult {
  code: number;
  signal?: NodeJS.Signals;
}

/** Shells that understand `-i -c` and may hold the user's aliases (core.md §5.7.4). */
const ALIAS_SHELLS = ["/bash", "/fish", "/zsh", "/ksh", "/ash", "/sh", "/dash"];

/**
 * Runs `words` with stdio inherited and returns how it ended. Words whose first element is not found on PATH are run
 * as `$SHELL -i -c "<words joined by spaces>"` when SHELL ends in /bash /fish /zsh /ksh /ash /sh /dash (so shell
 * aliases work, as upstream); otherwise a missing command is RunasError("COMMAND_NOT_FOUND", "command not found:
 * <name>; check PATH or the spelling").
 */
export async function execCommand(
  words: readonly string[],
  o: { env: Record<string, string>; logger: Logger; platform?: NodeJS.Platform },
): Promise<ExecResult> {
  const platform = o.platform ?? process.platform;
  const argv = resolveCommand(words, o.env, platform, isExecutable);
  const [file, ...args] = argv;
  if (file === undefined) throw new RunasError("USAGE", "no command to run; give one after the profile name");
  o.logger.debug(`WRAPPED CMD: [${argv.join(" ")}]`);

  // Loaded here: running a command is never on the cached credential path.
  const { spawn } = await import("node:child_process");
  const child = spawn(file, args, { stdio: "inherit", env: o.env });

  // The terminal sends Ctrl-C / Ctrl-\ to the whole foreground group: the child alone decides what they mean
  // (core.md §5.7.5). A SIGTERM or SIGHUP aimed at aws-runas alone is passed on, so the child is not orphaned.
  const ignore = (signal: NodeJS.Signals): void => o.logger.debug(`Got signal: ${signal}`);
  const forward = (signal: NodeJS.Signals): void => {
    o.logger.debug(`Got signal: ${signal}, passing it to the command`);
    child.kill(signal);
  };
  const handlers: [NodeJS.Signals, (signal: NodeJS.Signals) => void][] = [
    ["SIGINT", ignore],
    ["SIGTERM", forward],
    ["SIGHUP", forward],
  ];
  if (platform !== "win32") handlers.push(["SIGQUIT", ignore]);
  for (const [signal, handler] of handlers) process.on(signal, handler);

  try {
    return await new Promise<ExecResult>((resolve, reject) => {
      child.once("error", (e: NodeJS.ErrnoException) => reject(spawnError(file, e)));
      child.once("exit", (code, signal) => {
        if (signal !== null) resolve({ code: 128 + (osConstants.signals[signal] ?? 0), signal });
        else resolve({ code: code ?? 1 });
      });
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}

/**
 * Exported for tests: the argv that will be spawned, after the PATH lookup / shell wrapping. `exists` tells whether
 * a path is an executable file. Windows never wraps (core.md §5.7.4), so its words are returned as they are.
 */
export function resolveCommand(
  words: readonly string[],
  env: Env,
  platform: NodeJS.Platform,
  exists: (p: string) => boolean,
): string[] {
  const [name] = words;
  if (name === undefined || platform === "win32" || onPath(name, env.PATH ?? "", exists)) return [...words];
  const shell = env.SHELL ?? "";
  if (ALIAS_SHELLS.some((suffix) => shell.endsWith(suffix))) return [shell, "-i", "-c", words.join(" ")];
  return [...words];
}

function spawnError(file: string, e: NodeJS.ErrnoException): RunasError {
  if (e.code === "ENOENT") {
    return new RunasError("COMMAND_NOT_FOUND", `command not found: ${file}; check PATH or the spelling`, { cause: e });
  }
  return new RunasError(
    "COMMAND_NOT_FOUND",
    `cannot run ${file} (${e.code ?? e.message}); check that it is an executable file`,
    { cause: e },
  );
}
