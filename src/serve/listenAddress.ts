import { RunasError } from "../domain/errors.js";
import type { Env, Logger } from "../ports.js";
import { IMDS_HOST } from "./hostGuard.js";

/** The port `serve ecs` listens on without -p (core.md §9.1). */
export const ECS_DEFAULT_PORT = 12319;
/** The path of the ECS credentials without AWS_CONTAINER_CREDENTIALS_FULL_URI. */
export const ECS_DEFAULT_PATH = "/credentials";

/** Where a server listens: a loopback address, or 169.254.169.254:80 (the privileged EC2 mode, core.md §9.2). */
export type ListenPlan =
  | {
      kind: "loopback";
      /** The address bound: 127.0.0.1 (also for `localhost`), another 127.x address, or ::1. */
      host: string;
      /** 0 picks a free port. */
      port: number;
      /** The host as the user wrote it (`localhost`), for the printed URL. */
      shownHost: string;
    }
  | { kind: "privileged" };

/**
 * `serve ec2` (core.md §9.1): AWS_EC2_METADATA_SERVICE_ENDPOINT's host and port when it is set and parses, else -p:
 * absent → the privileged mode, 0 → a free port, N → port N, on 127.0.0.1. Unlike upstream the address must be
 * loopback (decisions.md "Servers"); 169.254.169.254 in the variable means the privileged mode.
 */
export function ec2ListenPlan(env: Env, portFlag: string | undefined, logger: Logger): ListenPlan {
  const fromEnv = endpointFromEnv(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", logger);
  const plan: ListenPlan = fromEnv?.plan ?? (portFlag === undefined ? { kind: "privileged" } : loopback(Number(portFlag)));
  logger.debug(`setting EC2 IMDS endpoint host to: ${shown(plan)}`);
  return plan;
}

/**
 * `serve ecs` (core.md §9.1): AWS_CONTAINER_CREDENTIALS_FULL_URI's host (and its path, unless empty or `/`) when it is
 * set and parses, else 127.0.0.1 on -p (default 12319; 0 picks a free port), path /credentials. Loopback only.
 */
export function ecsListenPlan(env: Env, portFlag: string | undefined, logger: Logger): { plan: ListenPlan; path: string } {
  const fromEnv = endpointFromEnv(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI", logger);
  if (fromEnv?.plan.kind === "privileged") {
    throw new RunasError("USAGE",
      `AWS_CONTAINER_CREDENTIALS_FULL_URI points at ${IMDS_HOST}: serve ecs listens on loopback only; unset it or use http://127.0.0.1:<port>/credentials`);
  }
  const plan = fromEnv?.plan ?? loopback(portFlag === undefined ? ECS_DEFAULT_PORT : Number(portFlag));
  const path = fromEnv?.path ?? ECS_DEFAULT_PATH;
  logger.debug(`setting ECS credential endpoint HOST=${shown(plan)}, PATH=${path}`);
  return { plan, path };
}

function loopback(port: number): ListenPlan {
  return { kind: "loopback", host: "127.0.0.1", port, shownHost: "127.0.0.1" };
}

function shown(plan: ListenPlan): string {
  return plan.kind === "privileged" ? `${IMDS_HOST}:80` : `${plan.shownHost}:${plan.port}`;
}

/** An endpoint variable as a listen plan; undefined when unset or not a URL (then the flags decide, as upstream). */
function endpointFromEnv(env: Env, name: string, logger: Logger): { plan: ListenPlan; path?: string } | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    logger.warn(`ignoring ${name}="${value}": it is not a URL`);
    return undefined;
  }
  if (url.hostname === "") return undefined;
  if (url.protocol !== "http:") {
    throw new RunasError("USAGE", `${name} must be an http:// address (the server speaks plain HTTP on loopback), not ${url.protocol}//`);
  }
  const trimmed = url.pathname.replace(/\/+$/, "");
  const path = trimmed === "" ? undefined : trimmed;
  const withPath = (plan: ListenPlan): { plan: ListenPlan; path?: string } =>
    path === undefined ? { plan } : { plan, path };

  const host = url.hostname.toLowerCase();
  if (host === IMDS_HOST) {
    if (url.port !== "" && url.port !== "80") {
      throw new RunasError("USAGE", `${name} names ${IMDS_HOST} on port ${url.port}: that address is served on port 80 only`);
    }
    return withPath({ kind: "privileged" });
  }
  const bound = loopbackAddress(host);
  if (bound === undefined) {
    throw new RunasError(
      "USAGE",
      `${name} points at ${url.hostname}, which is not a loopback address: the server listens on 127.0.0.1 (or another ` +
        `loopback address) only, so that no other machine can read the credentials; unset it or use http://127.0.0.1:<port>/`,
    );
  }
  // The URL parser drops an explicit :80 as the default port; only a URL really without a port is refused.
  const port = url.port !== "" ? Number(url.port) : /^http:\/\/[^/?#]*:80(?:[/?#]|$)/i.test(value) ? 80 : undefined;
  if (port === undefined) {
    throw new RunasError("USAGE", `${name}="${value}" has no port: add one, e.g. http://${url.host}:12319${url.pathname}`);
  }
  return withPath({ kind: "loopback", host: bound, port, shownHost: url.hostname });
}

/** The address to bind for a loopback host name, or undefined for any other host. */
function loopbackAddress(host: string): string | undefined {
  if (host === "localhost") return "127.0.0.1";
  if (host === "[::1]") return "::1";
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (m !== null && m.slice(1).every((o) => Number(o) <= 255)) return host;
  return undefined;
}
