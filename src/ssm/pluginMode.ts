import { spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import { RunasError } from "../domain/errors.js";
import type { Env, Logger } from "../ports.js";
import { onPath } from "../platform/onPath.js";
import type { StartedSession } from "./contracts.js";

/** The SSM StartSession input the `ssm` commands send, in the API's own field names. */
export interface StartSessionRequest {
  Target: string;
  /** Absent for a shell: the account's default SSM-SessionManagerRunShell document. */
  DocumentName?: string;
  Parameters?: Record<string, string[]>;
}

export const PLUGIN = "session-manager-plugin";
const INSTALL_URL = "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html";

/**
 * The six arguments session-manager-plugin takes from the AWS CLI (core.md §10.6): the StartSession response JSON,
 * the region, the literal "StartSession", an empty profile (aws-runas already holds the credentials), the request
 * JSON as sent, and the SSM endpoint URL. The JSON shapes are what the AWS CLI passes, nulls included, as the plugin
 * parses them strictly.
 */
export function pluginArguments(o: { started: StartedSession; request: StartSessionRequest; region: string; endpoint: string }): string[] {
  const response = { SessionId: o.started.SessionId, StreamUrl: o.started.StreamUrl, TokenValue: o.started.TokenValue, ResultMetadata: {} };
  const request = {
    Target: o.request.Target,
    DocumentName: o.request.DocumentName ?? null,
    Parameters: o.request.Parameters ?? null,
    Reason: null,
  };
  return [JSON.stringify(response), o.region, "StartSession", "", JSON.stringify(request), o.endpoint];
}

/** DNS suffixes of the partitions whose regional endpoints are not under amazonaws.com. */
const PARTITION_SUFFIXES: readonly (readonly [prefix: string, suffix: string])[] = [
  ["cn-", "amazonaws.com.cn"],
  ["us-isob-", "sc2s.sgov.gov"],
  ["us-isof-", "csp.hci.ic.gov"],
  ["us-iso-", "c2s.ic.gov"],
  ["eu-isoe-", "cloud.adc-e.uk"],
  ["eusc-", "amazonaws.eu"],
];

/** The regional SSM endpoint (`https://ssm.<region>.amazonaws.com`, or its partition's domain). */
export function ssmEndpointUrl(region: string): string {
  const suffix = PARTITION_SUFFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "amazonaws.com";
  return `https://ssm.${region}.${suffix}`;
}

/**
 * Refuses early when session-manager-plugin is not on PATH, before StartSession opens a session nobody would attach
 * to. `isExecutable` is the file check (a test seam).
 */
export function requirePlugin(env: Env, isExecutable?: (p: string) => boolean): void {
  // Windows installs session-manager-plugin.exe.
  if ([PLUGIN, `${PLUGIN}.exe`].some((name) => onPath(name, env.PATH ?? "", isExecutable))) return;
  throw pluginMissing();
}

/** How the plugin is started; the real one is node's spawn with stdio inherited. */
export type PluginSpawner = (file: string, args: string[], env: Env) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

/**
 * Runs session-manager-plugin with the terminal handed over (stdin, stdout, stderr inherited) and returns its exit
 * status (128 + n when a signal ended it, as for a wrapped command, core.md §5.7.6). While it runs, Ctrl-C and
 * Ctrl-\ belong to the remote side: aws-runas ignores SIGINT and SIGQUIT and restores them afterwards.
 */
export async function runPlugin(
  args: string[],
  o: { env: Env; logger: Logger; spawner?: PluginSpawner; platform?: NodeJS.Platform },
): Promise<number> {
  // The token in the first argument opens the session's data channel: it stays out of the log.
  const shown = args.map((a, i) => (i === 0 ? a.replace(/("TokenValue":)"[^"]*"/, '$1"****"') : a));
  o.logger.debug(`COMMAND: ${PLUGIN} ${shown.map(shellQuote).join(" ")}`);
  const ignore = (signal: NodeJS.Signals): void => o.logger.debug(`Got signal: ${signal}`);
  const signals: NodeJS.Signals[] = (o.platform ?? process.platform) === "win32" ? ["SIGINT"] : ["SIGINT", "SIGQUIT"];
  for (const s of signals) process.on(s, ignore);
  try {
    const { code, signal } = await (o.spawner ?? spawnInherited)(PLUGIN, args, o.env);
    if (signal !== null) return 128 + (osConstants.signals[signal] ?? 0);
    return code ?? 1;
  } catch (e) {
    if ((e as { code?: unknown }).code === "ENOENT") throw pluginMissing(e);
    throw new RunasError("COMMAND_NOT_FOUND", `cannot run ${PLUGIN} (${(e as { code?: string }).code ?? String(e)}): check that the one on PATH is an executable file`, { cause: e });
  } finally {
    for (const s of signals) process.off(s, ignore);
  }
}

function pluginMissing(cause?: unknown): RunasError {
  return new RunasError(
    "COMMAND_NOT_FOUND",
    `${PLUGIN} is not installed or not on PATH: install it (${INSTALL_URL}), or run without --plugin to use the built-in client`,
    cause === undefined ? {} : { cause },
  );
}

const spawnInherited: PluginSpawner = (file, args, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: "inherit", env: env as NodeJS.ProcessEnv });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
