import type { Credentials, CredentialProvider } from "../../domain/credentials.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import { childEnv } from "../../outputs/childEnv.js";
import { startEcsEndpoint } from "../../outputs/ecsEndpoint.js";
import { toEnvVars } from "../../outputs/envVars.js";
import { execCommand } from "../../outputs/execCommand.js";
import { withBackgroundRefresh } from "../../providers/withBackgroundRefresh.js";

/**
 * Runs the user's command with the credentials (core.md §5.7): by default through a token-protected local ECS
 * credential endpoint that refreshes them for long-running children; with -E in the child's environment. The
 * child's exit status becomes ours.
 */
export async function runCommand(
  words: readonly string[],
  o: {
    env: Env;
    creds: Credentials;
    provider: CredentialProvider;
    envMode: boolean;
    ctx: { region?: string; profile?: string };
    deps: AppDeps;
    logger: Logger;
  },
): Promise<number> {
  const nullDevice = o.deps.platform === "win32" ? "NUL" : "/dev/null";
  // The endpoint renews the credentials ahead of expiry, so a long-running command never waits on STS.
  const renewing = o.envMode ? undefined : withBackgroundRefresh(o.provider, { clock: o.deps.clock, logger: o.logger });
  const endpoint = renewing === undefined
    ? undefined
    : await startEcsEndpoint({ provider: renewing.provider, logger: o.logger, clock: o.deps.clock });
  try {
    const env = endpoint === undefined
      ? childEnv(o.env, { mode: "env", vars: toEnvVars(o.creds, o.ctx) }, nullDevice)
      : childEnv(o.env, { mode: "endpoint", url: endpoint.url, authToken: endpoint.authToken, ...o.ctx }, nullDevice);
    const result = await execCommand(words, { env, logger: o.logger, platform: o.deps.platform });
    if (result.signal !== undefined) o.deps.out.stderr(`signal: ${signalName(result.signal)}\n`);
    else if (result.code !== 0) o.deps.out.stderr(`exit status ${result.code}\n`);
    return result.code;
  } finally {
    renewing?.stop();
    await endpoint?.close();
  }
}

/** Go's wording for the common signals ("signal: killed"), the signal's own name otherwise. */
function signalName(signal: NodeJS.Signals): string {
  const go: Partial<Record<NodeJS.Signals, string>> = {
    SIGKILL: "killed",
    SIGTERM: "terminated",
    SIGINT: "interrupt",
    SIGHUP: "hangup",
    SIGQUIT: "quit",
    SIGSEGV: "segmentation fault",
    SIGABRT: "aborted",
    SIGPIPE: "broken pipe",
  };
  return go[signal] ?? signal;
}
