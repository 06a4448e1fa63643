import { spawn } from "node:child_process";
import type { ProcessRunner } from "./dockerLogin.js";

/**
 * The real ProcessRunner: spawns `file` (looked up on the PATH of `env`) with the environment built as a value, writes
 * `input` to its stdin and closes it; stdout and stderr are the terminal's. No shell is involved, so nothing in the
 * arguments is interpreted.
 */
export const runWithInput: ProcessRunner = (file, args, o) =>
  new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.env)) if (v !== undefined) env[k] = v;
    const child = spawn(file, [...args], { stdio: ["pipe", "inherit", "inherit"], env });
    // A start failure is reported by "error" (then "close"); the first to settle the promise wins.
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal }));
    // A program that exits without reading its input closes the pipe: that EPIPE is not our failure, its status is.
    child.stdin.on("error", () => undefined);
    child.stdin.end(o.input);
  });
