import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built CLI, exactly what `npm ci` produces and the `aws-runas` bin runs. */
export const CLI = path.join(ROOT, "dist", "aws-runas.cjs");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temporary HOME with ~/.aws/config and ~/.aws/credentials. */
export function tempHome(config: string, credentials: string): { home: string; aws: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), "runas-home-"));
  const aws = path.join(home, ".aws");
  mkdirSync(aws, { mode: 0o700 });
  writeFileSync(path.join(aws, "config"), config, { mode: 0o600 });
  writeFileSync(path.join(aws, "credentials"), credentials, { mode: 0o600 });
  return { home, aws };
}

/** The environment of a clean user session: no inherited AWS variables, HOME set. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("AWS_") && !k.startsWith("RUNAS_") && k !== "CI") env[k] = v;
  }
  return { ...env, HOME: home, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...extra };
}

/**
 * Runs the built CLI as a user would, in its own session (`detached`: no controlling terminal, so a prompt reads the
 * piped stdin), with `input` on stdin.
 */
export function runCli(args: string[], env: Record<string, string>, input = ""): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], env, input);
}

export function run(cmd: string, args: string[], env: Record<string, string>, input = ""): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    // A command that exits without reading its input closes the pipe first: that EPIPE is not the test's failure.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}
