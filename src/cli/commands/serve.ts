import { randomBytes } from "node:crypto";
import { RunasError } from "../../domain/errors.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { selectSubcommandProfile } from "../profileArg.js";
import { loadSharedFiles, sharedFilePaths } from "../../config/sharedFiles.js";
import type { RouteGroup } from "../../serve/contracts.js";
import { bearerTokenCheck } from "../../serve/bearerToken.js";
import { createCredentialRoutes } from "../../serve/credentialRoutes.js";
import { removeEcsTokenFile, writeEcsTokenFile } from "../../serve/ecsTokenFile.js";
import { IMDS_HOST } from "../../serve/hostGuard.js";
import { oneLine } from "../../serve/httpReply.js";
import type { ImdsAddress, ImdsAddressDeps } from "../../serve/imdsAddress.js";
import { addImdsAddress, dropPrivileges, releaseOnExit, type DropPrivilegesDeps, type ExitEvents } from "../../serve/imdsAddress.js";
import { createImdsTokens } from "../../serve/imdsTokens.js";
import { ec2ListenPlan, ecsListenPlan, type ListenPlan } from "../../serve/listenAddress.js";
import { createManagementRoutes } from "../../serve/managementApi.js";
import { createProfileSessions } from "../../serve/profileSessions.js";
import { serveProviderBuilder } from "../../serve/serveProviders.js";
import { startServeServer, type ServeServer } from "../../serve/serveServer.js";
import { createUiRoutes } from "../../serve/ui/uiRoutes.js";

/** What `serve` needs from the process beyond AppDeps: its signals and exit, and the privileged mode's system calls. */
export interface ServeProcess {
  /**
   * process.on for the exit paths (SIGINT, SIGTERM, SIGQUIT, SIGHUP, uncaughtException). The command never calls
   * process.exit itself, except `exitNow` on a second Ctrl-C while a shutdown hangs.
   */
  events: Pick<ExitEvents, "on">;
  exitNow(code: number): void;
  /** The privileged mode's real deps (src/lazy/imdsAddressDeps.ts), loaded only for it. */
  privileged(): Promise<{
    addressDeps(logger: Logger): ImdsAddressDeps;
    dropDeps(env: Env, logger: Logger): DropPrivilegesDeps;
    /** The home directory of the user the process runs as now (from the user database). */
    userHome(): string;
  }>;
}

/** The flags of `serve ec2` / `serve ecs` (cli/commandTree.ts), typed. */
interface ServeInput {
  kind: "ec2" | "ecs";
  profile: string;
  port?: string;
  headless: boolean;
  imdsv2Only: boolean;
  noAuth: boolean;
}

function serveInput(cl: CommandLine, env: Env): ServeInput {
  const kind = cl.command[1];
  if (kind !== "ec2" && kind !== "ecs") throw new RunasError("USAGE", "serve what? use 'aws-runas serve ec2' or 'aws-runas serve ecs'");
  const f = cl.commandFlags;
  // Rule B of core.md §1.4 with no positional expected: the profile is optional, else AWS_PROFILE.
  const selection = selectSubcommandProfile(cl.positionals, env, 0);
  const [extra] = selection.rest;
  if (extra !== undefined) {
    throw new RunasError("USAGE", `serve ${kind} takes at most one profile name, not also "${extra}"; see aws-runas serve ${kind} --help`);
  }
  return {
    kind,
    profile: selection.profile,
    ...(typeof f.port === "string" ? { port: f.port } : {}),
    headless: f.headless === true,
    imdsv2Only: f["imdsv2-only"] === true,
    noAuth: f["no-auth"] === true,
  };
}

/** A random secret for a token: 32 bytes, base64url (43 characters). */
/** Root's home directory on Linux and macOS: what HOME is under a `sudo` that resets it. */
const ROOT_HOMES = new Set(["/root", "/var/root"]);

function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * `serve ec2` and `serve ecs` (core.md §9): a credential server for programs that cannot be wrapped, with the web page
 * and management API to switch profiles and sign in. Listens on loopback only (or 169.254.169.254:80 in the privileged
 * EC2 mode), prints the settings programs need on stdout, serves until Ctrl-C or SIGTERM, then cleans up and returns 0
 * (decisions Q-17); 1 after a crash.
 */
export async function runServe(cl: CommandLine, env: Env, deps: AppDeps, logger: Logger, proc: ServeProcess): Promise<number> {
  const input = serveInput(cl, env);
  let homeDir = deps.homeDir;
  let plan: ListenPlan;
  let ecsPath: string | undefined;
  if (input.kind === "ec2") {
    plan = ec2ListenPlan(env, input.port, logger);
  } else {
    ({ plan, path: ecsPath } = ecsListenPlan(env, input.port, logger));
  }
  const authToken = input.kind === "ecs" && !input.noAuth ? randomToken() : undefined;
  const csrfToken = randomToken();

  // The privileged mode: the address first (as root), then port 80 on it, then root is given up.
  let address: ImdsAddress | undefined;
  let server: ServeServer;
  if (plan.kind === "privileged") {
    const sys = await proc.privileged();
    address = await addImdsAddress(sys.addressDeps(logger));
    let bound: ServeServer | undefined;
    try {
      bound = await listen(IMDS_HOST, 80);
      dropPrivileges(sys.dropDeps(env, logger));
      // `sudo` on many systems sets HOME to root's home: the profiles to serve are those of the user who ran sudo.
      if (env.SUDO_UID !== undefined && ROOT_HOMES.has(homeDir)) {
        homeDir = sys.userHome();
        logger.debug(`serving the profiles of ${homeDir}`);
      }
    } catch (e) {
      await bound?.close();
      await address.remove().catch((r: unknown) => logger.error(oneLine(r)));
      throw e;
    }
    server = bound;
  } else {
    server = await listen(plan.host, plan.port);
  }
  const paths = sharedFilePaths(env, homeDir);
  const shownOrigin = plan.kind === "privileged"
    ? server.origin
    : `http://${plan.shownHost}${server.port === 80 ? "" : `:${server.port}`}`;
  const uiUrl = `${server.origin}/`;

  const sessions = createProfileSessions({
    env,
    loadFiles: () => loadSharedFiles(paths),
    paths,
    buildProvider: serveProviderBuilder({ deps: { ...deps, homeDir }, env, paths, logger }),
    terminal: deps.prompter(),
    headless: input.headless,
    initialOverrides: cl.options.overrides,
    clock: deps.clock,
    logger,
    locker: deps.locker,
    uiUrl: () => uiUrl,
  });
  // The IMDS routes would hand out the ECS server's credentials without its token: only without one are they served.
  const imds = input.kind === "ec2" || authToken === undefined
    ? { tokens: createImdsTokens({ clock: deps.clock }), v2Only: input.imdsv2Only }
    : undefined;
  const groups: RouteGroup[] = [
    createCredentialRoutes({
      sessions,
      clock: deps.clock,
      logger,
      uiUrl,
      ...(imds === undefined ? {} : { imds }),
      ...(ecsPath === undefined
        ? {}
        : { ecs: { path: ecsPath, ...(authToken === undefined ? {} : { authorized: bearerTokenCheck(authToken) }) } }),
    }),
    createManagementRoutes({ sessions, csrfToken, logger }),
    createUiRoutes({ csrfToken, ...(ecsPath === undefined ? {} : { ecsPath }) }),
  ];
  server.use(groups);

  let tokenFile: string | undefined;
  const done = new Promise<number>((resolve) => {
    let finished = false;
    const events: ExitEvents = {
      on: (event, fn) => {
        proc.events.on(event, fn);
        // A server that fails after it started (its socket) leaves as a crash does: cleaned up, status 1.
        if (event === "uncaughtException") void server.failed.then((e) => fn(e));
      },
      exit: (code) => {
        if (finished) return proc.exitNow(code);
        finished = true;
        resolve(code);
      },
    };
    releaseOnExit({
      logger,
      events,
      shutdown: async () => {
        sessions.close();
        await server.close();
      },
      // Runs after a crash too: nothing of the server may outlive it.
      release: async () => {
        if (tokenFile !== undefined) await removeEcsTokenFile(tokenFile);
        await address?.remove();
      },
    });
  });

  try {
    if (authToken !== undefined) tokenFile = await writeEcsTokenFile(paths.cacheDir, server.port, authToken);
  } catch (e) {
    sessions.close();
    await server.close();
    await address?.remove();
    throw new RunasError("FILE_WRITE", `cannot write the ECS token file in ${paths.cacheDir}: ${oneLine(e)}`, { cause: e });
  }
  announce(input, shownOrigin, ecsPath, authToken, tokenFile, deps, logger);

  // core.md §9.3 step 3: prompts (if any) on the terminal; a failure is reported and the server serves on.
  if (input.profile !== "") {
    const name = input.profile;
    sessions.activateInitial(name).then(
      () => logger.info(`Using initial profile '${name}'`),
      (e: unknown) => logger.error(`initial profile '${name}': ${oneLine(e)}; choose a profile at ${uiUrl}`),
    );
  } else {
    logger.info(`Access the web interface at ${uiUrl} and select a profile to begin`);
  }
  return done;

  async function listen(host: string, port: number): Promise<ServeServer> {
    try {
      return await startServeServer({ host, port, logger });
    } catch (e) {
      throw listenFailure(e, host, port);
    }
  }
}

/** The startup lines (core.md §9.3 step 2) on stderr, and the settings programs need on stdout, ready to copy. */
function announce(input: ServeInput, origin: string, ecsPath: string | undefined, authToken: string | undefined,
  tokenFile: string | undefined, deps: AppDeps, logger: Logger): void {
  if (input.kind === "ecs") {
    const url = `${origin}${ecsPath ?? ""}`;
    logger.info(`ECS credential endpoint set to ${url}`);
    logger.info("Set the AWS_CONTAINER_CREDENTIALS_FULL_URI environment variable with the above value to allow programs to use it");
    const lines = [`AWS_CONTAINER_CREDENTIALS_FULL_URI=${url}`];
    if (authToken === undefined) {
      logger.warn("--no-auth: serving without the authorization token; any local process can read the credentials");
    } else {
      logger.info("Set AWS_CONTAINER_AUTHORIZATION_TOKEN (or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) as printed: requests without the token are refused");
      lines.push(`AWS_CONTAINER_AUTHORIZATION_TOKEN=${authToken}`);
      if (tokenFile !== undefined) lines.push(`AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${tokenFile}`);
    }
    deps.out.stdout(`${lines.join("\n")}\n`);
    return;
  }
  if (origin === `http://${IMDS_HOST}`) {
    logger.info(`EC2 metadata endpoint set to ${origin}/, where the AWS SDKs look by default`);
    return;
  }
  logger.info(`EC2 metadata endpoint set to ${origin}/`);
  logger.info("Set the AWS_EC2_METADATA_SERVICE_ENDPOINT environment variable with the above value to allow programs to use it");
  deps.out.stdout(`AWS_EC2_METADATA_SERVICE_ENDPOINT=${origin}/\n`);
}

/** Why the port could not be bound, and what to do about it. */
function listenFailure(e: unknown, host: string, port: number): RunasError {
  const code = (e as { code?: unknown } | undefined)?.code;
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (code === "EADDRINUSE") {
    return new RunasError("USAGE", `cannot listen on ${where}: the port is in use (another server?); choose another with -p <port>, or -p 0 for any free one`, { cause: e });
  }
  if (code === "EACCES" || code === "EPERM") {
    return new RunasError("USAGE", `cannot listen on ${where}: permission denied (ports below 1024 need root); choose another with -p <port>`, { cause: e });
  }
  if (code === "EADDRNOTAVAIL") {
    return new RunasError("USAGE", `cannot listen on ${where}: this machine has no such address`, { cause: e });
  }
  return new RunasError("USAGE", `cannot listen on ${where}: ${oneLine(e)}`, { cause: e });
}
