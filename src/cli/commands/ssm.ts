import { readFile } from "node:fs/promises";
import type { Credentials } from "../../domain/credentials.js";
import { RunasError } from "../../domain/errors.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { selectSubcommandProfile } from "../profileArg.js";
import { profileProvider } from "../profileProvider.js";
import { requireRegion } from "../profileRegion.js";
import { stsLoader } from "../stsLoader.js";
import { writeCredentialsFile } from "../writeCredentialsFile.js";
import { loadSharedFiles, sharedFilePaths } from "../../config/sharedFiles.js";
import { resolveProfile } from "../../config/resolveProfile.js";
import { validateProfile } from "../../config/validateProfile.js";
import { serviceEndpoint } from "../../iam/serviceEndpoint.js";
import { childEnv } from "../../outputs/childEnv.js";
import { toEnvVars } from "../../outputs/envVars.js";
import { expirationLine } from "../../outputs/expiration.js";
import type { RunSession, SessionIo, SessionKind, StartedSession } from "../../ssm/contracts.js";
import { pushSshPublicKey, type SendSshPublicKey } from "../../ssm/ec2InstanceConnect.js";
import { pluginArguments, requirePlugin, runPlugin, ssmEndpointUrl, type PluginSpawner, type StartSessionRequest } from "../../ssm/pluginMode.js";
import { parseSshTarget, type SshTarget } from "../../ssm/sshTarget.js";
import { resolveTarget, type Ec2Filter, type TargetLookups } from "../../ssm/target/resolveTarget.js";
import { systemDns } from "../../ssm/target/systemDns.js";

/** Where the SDK adapters send their calls. */
export interface SsmApisTarget {
  region: string;
  endpoints: { ec2?: string; ssm?: string; ec2InstanceConnect?: string };
}

/** The AWS calls of the `ssm` commands; the real ones are the SDK adapters of lazy/ssm.ts. */
export interface SsmApis {
  describeInstances(filters: Ec2Filter[]): Promise<string[][]>;
  startSession(request: StartSessionRequest): Promise<StartedSession>;
  sendSshPublicKey: SendSshPublicKey;
}

export type SsmApisFactory = (target: SsmApisTarget, credentials: Credentials, logger: Logger) => Promise<SsmApis>;

/** Options of runSsm that exist for tests only. */
export interface SsmOptions {
  /** The SDK adapters; by default loaded from dist/ssm.cjs on first use. */
  apis?: SsmApisFactory;
  /** The built-in session client; by default the one in dist/ssm.cjs. */
  runSession?: () => Promise<RunSession>;
  /** The session's stdin/stdout/terminal; by default this process's. */
  io?: (kind: SessionKind["kind"]) => SessionIo;
  /** DNS lookups of target resolution; by default this machine's resolver. */
  dns?: Pick<TargetLookups, "lookupAddresses" | "lookupTxt">;
  /** How session-manager-plugin is found and started. */
  plugin?: { spawner?: PluginSpawner; isExecutable?: (path: string) => boolean };
  /** The system-wide ssh_config read by --ec2ic; /etc/ssh/ssh_config by default. */
  systemSshConfig?: string;
}

/** What one `ssm` command line asks for, parsed before any credentials are fetched. */
export type SsmPlan =
  | { kind: "shell"; target: string }
  | { kind: "forward"; target: string; remotePort: string; localPort: number }
  | { kind: "ssh"; ssh: SshTarget; ec2ic: boolean };

const loadApis: SsmApisFactory = async (target, credentials, logger) =>
  (await import("../../lazy/ssm.js")).createSsmApis(target, credentials, logger);
const loadRunSession = async (): Promise<RunSession> => (await import("../../lazy/ssm.js")).runSession;

/**
 * `ssm shell|forward|ssh [--plugin] profile target_spec` (core.md §10): the profile's credentials exactly as the
 * default action gets them (cache, MFA, -r, -s) with -c, -e and -w as there; then the target becomes an instance id
 * (§10.2), SSM StartSession opens the session, and the built-in client (or session-manager-plugin with --plugin)
 * runs it. The exit status is the session's. `ssm ssh` is an OpenSSH ProxyCommand: its stdout carries the SSH byte
 * stream and nothing else.
 */
export async function runSsm(cl: CommandLine, env: Env, deps: AppDeps, logger: Logger, options: SsmOptions = {}): Promise<number> {
  const o = cl.options;
  const usePlugin = cl.commandFlags.plugin === true;
  const { profile: name, rest, fromEnv } = selectSubcommandProfile(cl.positionals, env, 2);
  // Everything that can be wrong with the command line is refused before credentials cost an MFA prompt.
  const plan = planSession(cl.command[1] ?? "", rest[0], cl.commandFlags);
  if (usePlugin) requirePlugin(env, options.plugin?.isExecutable);

  const paths = sharedFilePaths(env, deps.homeDir);
  const files = loadSharedFiles(paths);
  const profile = resolveProfile(name, files, env, o.overrides, { sessionOnly: o.sessionOnly });
  for (const w of profile.warnings) logger.warn(w);
  validateProfile(profile);
  const region = requireRegion(profile, { because: "so the instance's region is unknown" });

  const sts = stsLoader(profile, env, deps, logger);
  const creds = await profileProvider({ profile, files, paths, env, deps, logger, sts })({ forceRefresh: o.refresh });
  if (o.writeCredentials && name !== "") await writeCredentialsFile(name, creds, paths, deps, logger);
  if (o.expiration) deps.out.stderr(expirationLine(creds.expiration, deps.clock.now()));
  if (o.whoami) {
    const id = await (await sts()).getCallerIdentity(creds);
    logger.info(`{UserId:${id.userId} Arn:${id.arn} Account:${id.account}}`);
  }

  const endpoint = (service: "EC2" | "SSM" | "EC2_INSTANCE_CONNECT") => serviceEndpoint(env, service, profile.settings.endpointUrl);
  const endpoints = { ec2: endpoint("EC2"), ssm: endpoint("SSM"), ec2InstanceConnect: endpoint("EC2_INSTANCE_CONNECT") };
  const apis = await (options.apis ?? loadApis)({ region, endpoints: definedOnly(endpoints) }, creds, logger);

  const target = plan.kind === "ssh" ? plan.ssh.host : plan.target;
  const instanceId = await resolveTarget(target, {
    describeInstances: (filters) => apis.describeInstances(filters),
    ...(options.dns ?? systemDns),
    logger,
  });
  if (plan.kind === "ssh" && plan.ec2ic) {
    await pushSshPublicKey(
      { host: plan.ssh.host, osUser: plan.ssh.user, instanceId },
      {
        homeDir: deps.homeDir,
        readFile: readIfExists,
        logger,
        send: (k) => apis.sendSshPublicKey(k),
        ...(options.systemSshConfig === undefined ? {} : { systemConfigPath: options.systemSshConfig }),
      },
    );
  }

  const request = sessionRequest(plan, instanceId, usePlugin);
  const started = await apis.startSession(request);
  logger.debug(`started SSM session ${started.SessionId} on ${instanceId}`);

  if (usePlugin) {
    const args = pluginArguments({ started, request, region, endpoint: endpoints.ssm ?? ssmEndpointUrl(region) });
    // The plugin's own calls (KMS session encryption, TerminateSession on exit) use the same credentials.
    const pluginEnv = childEnv(env, { mode: "env", vars: toEnvVars(creds, { region }) }, deps.platform === "win32" ? "NUL" : "/dev/null");
    return runPlugin(args, {
      env: fromEnv ? pluginEnv : { ...pluginEnv, ...keepProfileVars(env) },
      logger,
      ...(options.plugin?.spawner === undefined ? {} : { spawner: options.plugin.spawner }),
      platform: deps.platform,
    });
  }
  const session: SessionKind = plan.kind === "shell" ? { kind: "shell" }
    : plan.kind === "forward" ? { kind: "port", localPort: plan.localPort }
    : { kind: "stream" };
  const runSession = await (options.runSession ?? loadRunSession)();
  const status = await withSignalAbort(logger, deps.platform, (signal) =>
    runSession({
      started,
      session,
      io: (options.io ?? processIo)(session.kind),
      logger,
      // Progress goes to stderr: for `ssm ssh` stdout is the SSH connection itself.
      progress: (line) => deps.out.stderr(`${line}\n`),
      signal,
    }),
  );
  logger.debug(`session ${started.SessionId} ended with exit status ${status}`);
  return status;
}

/**
 * Ctrl-C on a port forward, or ssh ending its ProxyCommand (SIGHUP/SIGTERM), ends the session politely: the agent is
 * told (TerminateSession) instead of finding a dead socket. A second signal finds the default handling back and
 * ends the process at once.
 */
async function withSignalAbort<T>(logger: Logger, platform: NodeJS.Platform, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = platform === "win32" ? ["SIGINT"] : ["SIGINT", "SIGTERM", "SIGHUP"];
  const stop = () => {
    for (const s of signals) process.off(s, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    logger.debug(`Got signal: ${signal}, ending the session`);
    stop();
    controller.abort();
  }
  for (const s of signals) process.on(s, onSignal);
  try {
    return await run(controller.signal);
  } finally {
    stop();
  }
}

/**
 * The session a command line asks for. `ssm forward` splits its target_spec on the LAST colon, so a tag target keeps
 * its own (`Name:web:8080` → target `Name:web`, port 8080); without a colon the target is empty and resolution says
 * so. `ssm ssh` reads `[user@]host[:port]`.
 */
export function planSession(command: string, targetSpec: string | undefined, flags: Readonly<Record<string, string | boolean>>): SsmPlan {
  if (targetSpec === undefined || targetSpec.trim() === "") {
    const usage = command === "forward" ? "target:remote_port" : command === "ssh" ? "[user@]target[:port]" : "target";
    throw new RunasError(
      "USAGE",
      `no target given: use 'aws-runas ssm ${command} <profile> ${usage}' (an instance id, tag key:value, IP address or DNS name)`,
    );
  }
  if (command === "shell") return { kind: "shell", target: targetSpec };
  if (command === "forward") {
    const colon = targetSpec.lastIndexOf(":");
    const port = flags.port;
    return {
      kind: "forward",
      target: colon < 0 ? "" : targetSpec.slice(0, colon),
      remotePort: targetSpec.slice(colon + 1),
      localPort: typeof port === "string" ? Number(port) : 0,
    };
  }
  if (command === "ssh") return { kind: "ssh", ssh: parseSshTarget(targetSpec), ec2ic: flags.ec2ic === true };
  throw new RunasError("USAGE", `unknown ssm command "${command}": use shell, forward or ssh`);
}

/**
 * The StartSession input of a plan (core.md §10.3–10.5). Ports go as decimal strings. A remote port that is not a
 * number is passed on as typed to the plugin (which reports it) and as "0" by the built-in client, as upstream.
 */
export function sessionRequest(plan: SsmPlan, instanceId: string, plugin: boolean): StartSessionRequest {
  if (plan.kind === "shell") return { Target: instanceId };
  if (plan.kind === "ssh") {
    return { Target: instanceId, DocumentName: "AWS-StartSSHSession", Parameters: { portNumber: [String(plan.ssh.port)] } };
  }
  const remote = plugin || /^\d+$/.test(plan.remotePort) ? plan.remotePort : "0";
  return {
    Target: instanceId,
    DocumentName: "AWS-StartPortForwardingSession",
    Parameters: { portNumber: [remote], localPortNumber: [String(plan.localPort)] },
  };
}

/** This process's stdin and stdout; a shell also gets the terminal (raw mode, size and its changes). */
function processIo(kind: SessionKind["kind"]): SessionIo {
  const io: SessionIo = { stdin: process.stdin, stdout: process.stdout };
  if (kind !== "shell") return io;
  const stdin = process.stdin;
  const stdout = process.stdout;
  io.terminal = {
    isTTY: stdin.isTTY === true,
    setRawMode: (raw) => {
      if (stdin.isTTY === true) stdin.setRawMode(raw);
    },
    size: () => (stdout.isTTY === true && stdout.columns > 0 ? { cols: stdout.columns, rows: stdout.rows } : undefined),
    onResize: (listener) => {
      stdout.on("resize", listener);
      return () => stdout.off("resize", listener);
    },
  };
  return io;
}

/**
 * childEnv drops AWS_PROFILE / AWS_DEFAULT_PROFILE. When the profile was named on the command line they were not
 * consumed (core.md §1.4 B) and the plugin sees them as aws-runas did.
 */
function keepProfileVars(env: Env): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const k of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]) {
    const v = env[k];
    if (v !== undefined) kept[k] = v;
  }
  return kept;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as { code?: unknown }).code === "ENOENT" || (e as { code?: unknown }).code === "ENOTDIR") return undefined;
    throw new RunasError("CONFIG_READ", `cannot read ${path} (${(e as { code?: string }).code ?? String(e)}): check its permissions`, { cause: e });
  }
}

function definedOnly<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}
