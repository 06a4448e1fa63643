/**
 * The loopback redirect of a native OAuth client (RFC 8252 §7.3, §8.3): a one-shot HTTP listener on 127.0.0.1 (or
 * localhost, or [::1]) that receives the browser's redirect back after the sign-in and answers it with a small page.
 */
import http from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RunasError } from "../../domain/errors.js";
import { answerLoopbackPage } from "../loopbackPage.js";

/** A listener waiting for one sign-in redirect. */
export interface LoopbackListener {
  /** The redirect URI to send in the authorization request: the configured one, with the port actually listened on. */
  readonly redirectUri: string;
  /**
   * Waits for the browser's request to the redirect path and hands its URL to `accept`; the browser is told whether
   * `accept` succeeded (or its error), and the result or error is passed on. Requests that come early are kept.
   */
  waitForRedirect<T>(accept: (url: URL) => Promise<T>, o: { timeoutMs: number; signal?: AbortSignal }): Promise<T>;
  close(): Promise<void>;
}

/** The host and port of a loopback redirect URI; port 0 means "any free port". */
export interface LoopbackAddress {
  /** As written in the URI: `127.0.0.1`, `localhost` or `[::1]`. */
  host: string;
  port: number;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The loopback address of an `http://127.0.0.1|localhost|[::1][:port]/path` redirect URI, or undefined for any other
 * URI (those are captured from a Location header instead, idp.md §3.7). An absent port is "any free port", not 80:
 * RFC 8252 §7.3 has the IdP accept any port on a loopback redirect.
 */
export function loopbackAddress(redirectUri: string): LoopbackAddress | undefined {
  const match = /^http:\/\/(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?(?=[/?#]|$)/i.exec(redirectUri);
  if (match === null) return undefined;
  const host = (match[1] ?? "").toLowerCase();
  if (!LOOPBACK_HOSTS.has(host)) return undefined;
  const port = match[2] === undefined || match[2] === "" ? 0 : Number(match[2]);
  return port <= 65535 ? { host, port } : undefined;
}

/**
 * Listens where the redirect URI says. `localhost` is bound on both 127.0.0.1 and ::1 (when the machine has IPv6),
 * since the browser may resolve it to either.
 */
export async function listenLoopback(redirectUri: string): Promise<LoopbackListener> {
  const address = loopbackAddress(redirectUri);
  if (address === undefined) {
    throw new RunasError(
      "INVALID_CONFIG",
      `${redirectUri} is not a loopback redirect URI; use http://127.0.0.1:<port>/<path> or http://localhost:<port>/<path>`,
    );
  }
  const target = new URL(redirectUri);
  const pending: Array<{ url: URL; res: ServerResponse }> = [];
  let deliver: ((url: URL, res: ServerResponse) => void) | undefined;
  let finished = false;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", `http://${address.host}:${req.socket.localPort ?? address.port}`);
    if (url.pathname !== target.pathname) return answerLoopbackPage(res, 404, "This address only receives the aws-runas sign-in.");
    if (req.method !== "GET") return answerLoopbackPage(res, 405, "This address only receives the aws-runas sign-in.");
    const p = url.searchParams;
    if (!p.has("code") && !p.has("error") && !p.has("state")) {
      return answerLoopbackPage(res, 400, "This address waits for the redirect back from the sign-in.");
    }
    if (finished) return answerLoopbackPage(res, 409, "This sign-in is already finished; you can close this tab.");
    if (deliver === undefined) pending.push({ url, res });
    else deliver(url, res);
  };

  const bindHost = address.host === "[::1]" ? "::1" : "127.0.0.1";
  const servers: Server[] = [await listen(handle, bindHost, address.port, redirectUri)];
  const port = (servers[0]?.address() as AddressInfo).port;
  if (address.host === "localhost") {
    try {
      servers.push(await listen(handle, "::1", port, redirectUri));
    } catch {
      // No IPv6 loopback here: browsers then resolve localhost to 127.0.0.1 only.
    }
  }
  const path = `${target.pathname}${target.search}`;
  const chosen = address.port === 0 ? `http://${address.host}:${port}${path}` : redirectUri;

  return {
    redirectUri: chosen,
    waitForRedirect<T>(accept: (url: URL) => Promise<T>, o: { timeoutMs: number; signal?: AbortSignal }): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const done = (): void => {
          finished = true;
          clearTimeout(timer);
          o.signal?.removeEventListener("abort", onAbort);
        };
        const onAbort = (): void => {
          done();
          reject(o.signal?.reason);
        };
        const timer = setTimeout(() => {
          done();
          const minutes = Math.round(o.timeoutMs / 60_000);
          const span = minutes >= 1 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${Math.ceil(o.timeoutMs / 1000)} s`;
          reject(
            new RunasError(
              "IDP_AUTH",
              `the sign-in did not come back within ${span}; run aws-runas again and finish the sign-in in the browser`,
            ),
          );
        }, o.timeoutMs);
        if (o.signal?.aborted === true) return onAbort();
        o.signal?.addEventListener("abort", onAbort, { once: true });

        deliver = (url, res) => {
          if (finished) return answerLoopbackPage(res, 409, "This sign-in is already finished; you can close this tab.");
          done();
          accept(url).then(
            (value) => {
              answerLoopbackPage(res, 200, "Signed in, you can close this tab.");
              resolve(value);
            },
            (e: unknown) => {
              answerLoopbackPage(res, 400, `The sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
              reject(e);
            },
          );
        };
        for (const early of pending.splice(0)) deliver(early.url, early.res);
      });
    },
    async close() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/** Starts one server, turning a busy or forbidden port into an error that says what to change. */
function listen(handle: (req: IncomingMessage, res: ServerResponse) => void, host: string, port: number, uri: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = http.createServer(handle);
    server.once("error", (e: NodeJS.ErrnoException) => {
      reject(
        new RunasError(
          "IDP_ERROR",
          `cannot listen on ${uri} for the sign-in redirect (${e.code ?? e.message}); free that port or choose another ` +
            "one in web_identity_redirect_uri",
          { cause: e },
        ),
      );
    });
    server.listen(port, host, () => resolve(server));
  });
}

