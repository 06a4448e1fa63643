import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../ports.js";
import type { RouteGroup, RouteRequest } from "./contracts.js";
import { allowedHosts, hostAllowed } from "./hostGuard.js";
import { sendError, sendJson, sendText } from "./httpReply.js";

/** Request bodies larger than this are refused before a route sees them (contracts.ts RouteRequest). */
export const BODY_LIMIT = 64 * 1024;

/** The listening server of `serve ec2` / `serve ecs`. */
export interface ServeServer {
  /** The address it listens on, and the port actually bound (`-p 0` picks one). */
  host: string;
  port: number;
  /** `http://<host>:<port>`, the root of the web page and the API (no trailing slash). */
  origin: string;
  /**
   * The route groups that answer requests, asked in order; none matching → 404 `404 page not found`. Set once the
   * port is known (the groups' messages name the address); until then requests get 503.
   */
  use(groups: readonly RouteGroup[]): void;
  /** Resolves when the server fails after it started listening (the command then shuts down). */
  failed: Promise<Error>;
  /** Stops listening and ends every connection, including requests still waiting on a sign-in. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server on `host:port` only (decisions.md "Servers": loopback, or 169.254.169.254 in the privileged
 * mode), in front of the route groups: the Host guard (403), the body limit (413), one INFO line per request
 * `<METHOD> <PATH> HTTP/1.1 <status> <length>` (core.md §9.3 step 6; never the query or a body), and an answer for
 * every error (sendError) instead of a dropped connection.
 */
export async function startServeServer(o: { host: string; port: number; logger: Logger }): Promise<ServeServer> {
  // Loaded here: nothing of the server may load on the cached credential path.
  const { createServer } = await import("node:http");
  const { logger } = o;
  let groups: readonly RouteGroup[] | undefined;
  let allowed: ReadonlySet<string> = new Set();

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (!hostAllowed(allowed, req.headers.host)) {
      req.resume();
      return sendJson(res, 403, { code: "Forbidden", message: "the Host header does not name this server" });
    }
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > BODY_LIMIT) return refuseBody(req, res);
    const body = await readBody(req);
    if (body === undefined) return refuseBody(req, res);
    if (groups === undefined) {
      return sendJson(res, 503, { code: "Starting", message: "the server is starting; try again in a moment" });
    }
    const r: RouteRequest = { req, res, path, method: req.method ?? "GET", body };
    for (const group of groups) if (await group.handle(r)) return;
    sendText(res, 404, "404 page not found\n");
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    countAndLog(req, res, path, logger);
    handle(req, res, path).catch((e: unknown) => sendError(res, e, logger, `${req.method ?? ""} ${path}`));
  });
  // Time to send the request itself; answering it may take longer (a sign-in waits on the person).
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  allowed = allowedHosts(o.host, port);
  const failed = new Promise<Error>((resolve) => server.once("error", resolve));

  return {
    host: o.host,
    port,
    origin: `http://${o.host.includes(":") ? `[${o.host}]` : o.host}${port === 80 ? "" : `:${port}`}`,
    use: (g) => {
      groups = g;
    },
    failed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads the whole body as UTF-8, or undefined once it passes BODY_LIMIT (chunked bodies declare no length). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  // Most requests (every SDK's GET) have no body: nothing to wait for.
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
    req.resume();
    return Promise.resolve("");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > BODY_LIMIT) {
        over = true;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

/** 413, then the connection closes: the rest of an oversized body is not worth reading. */
function refuseBody(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  sendJson(res, 413, { code: "PayloadTooLarge", message: `request bodies are limited to ${BODY_LIMIT / 1024} KiB` },
    { Connection: "close" });
}

/** Counts the body bytes written, whoever writes them, and logs the request line once the answer is out. */
function countAndLog(req: IncomingMessage, res: ServerResponse, path: string, logger: Logger): void {
  let length = 0;
  const count = (chunk: unknown, encoding?: unknown): void => {
    if (typeof chunk === "string") length += Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    else if (chunk instanceof Uint8Array) length += chunk.byteLength;
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    count(args[0], args[1]);
    return write(...args);
  }) as ServerResponse["write"];
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== "function") count(args[0], args[1]);
    return end(...args);
  }) as ServerResponse["end"];
  res.once("finish", () => {
    // HEAD answers carry no body whatever the handler wrote.
    const sent = req.method === "HEAD" ? 0 : length;
    logger.info(`${req.method ?? ""} ${path} HTTP/${req.httpVersion} ${res.statusCode} ${sent}`);
  });
}
