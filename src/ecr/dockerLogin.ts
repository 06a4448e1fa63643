import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import type { RegistryLogin } from "./authorizationToken.js";

/** How a process ended: its exit code, or the signal that killed it. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs `file args` with `input` written to its stdin and its stdout and stderr inherited. Rejects with the spawn
 * error (its errno `code`, e.g. ENOENT) when the process cannot be started. The real one is runWithInput.ts.
 */
export type ProcessRunner = (file: string, args: readonly string[], o: { input: string; env: Env }) => Promise<ProcessResult>;

/** Logs docker in to one registry; rejects with a RunasError when docker is missing or fails. */
export type DockerLogin = (login: RegistryLogin & { endpoint: string }) => Promise<void>;

/**
 * `docker login --username <user> --password-stdin <endpoint>` (core.md §11 step 3). The password goes to docker's
 * stdin only: never in its argv (visible in `ps`), its environment or a log line. Upstream ignored docker's exit
 * status; a failed login here is an error naming the registry, so scripts see it.
 */
export function dockerLogin(run: ProcessRunner, env: Env): DockerLogin {
  return async ({ endpoint, username, password }) => {
    let result: ProcessResult;
    try {
      result = await run("docker", ["login", "--username", username, "--password-stdin", endpoint], { input: password, env });
    } catch (e) {
      throw startError(e);
    }
    if (result.code === 0) return;
    const how = result.signal !== null ? `was killed by ${result.signal}` : `failed with exit status ${result.code ?? "unknown"}`;
    throw new RunasError("CHILD_EXIT", `docker login to ${endpoint} ${how}; see docker's message above`);
  };
}

function startError(e: unknown): RunasError {
  const code = (e as { code?: unknown }).code;
  if (code === "ENOENT") {
    return new RunasError("COMMAND_NOT_FOUND", "docker is not installed or not on PATH: install Docker, or add its directory to PATH", { cause: e });
  }
  const reason = typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
  return new RunasError("COMMAND_NOT_FOUND", `cannot run docker (${reason}): check that the docker on PATH is an executable file`, { cause: e });
}
