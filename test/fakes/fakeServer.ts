/**
 * What the strict fake IdPs share: a server on 127.0.0.1:0 whose handler throws a Violation for anything the real IdP
 * would not expect (answered with HTTP 400 and the reason, and recorded for the tests to assert empty), the request
 * body checks they all make, and the answer writers.
 */
import http from "node:http";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the real IdP would refuse. */
export class Violation extends Error {}

/** A Violation saying `why`, unless `ok`. */
export function check(ok: boolean, why: string): asserts ok {
  if (!ok) throw new Violation(why);
}

/** A running fake: where it listens, and how to stop it. */
export interface FakeServer {
  /** e.g. http://127.0.0.1:40123 */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves `handle` on a free loopback port, with the request's URL (against the origin) and its whole body. Whatever
 * `handle` throws goes into `violations`; unless an answer has started, `refuse` answers it (by default HTTP 400,
 * text/plain `fake <name>: <why>`).
 */
export async function serveFake(o: {
  name: string;
  violations: string[];
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void;
  refuse?(res: ServerResponse, message: string): void;
}): Promise<FakeServer> {
  let origin = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        o.handle(req, res, new URL(req.url ?? "/", origin), Buffer.concat(chunks).toString("utf8"));
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        o.violations.push(why);
        if (res.headersSent) return;
        const message = `fake ${o.name}: ${why}`;
        if (o.refuse !== undefined) return o.refuse(res, message);
        res.writeHead(400, { "content-type": "text/plain" });
        res.end(message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON answer; `headers` add to (or replace) the content type. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** An HTML answer; `headers` add to (or replace) the content type. */
export function sendHtml(res: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { "content-type": "text/html;charset=utf-8", ...headers });
  res.end(body);
}

/** The fields of a form POST; a Violation for another method or content type. */
export function formBody(req: IncomingMessage, text: string, where: string): URLSearchParams {
  check(req.method === "POST", `${where} wants POST, got ${req.method ?? ""}`);
  check(
    (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"),
    `${where}: content-type must be application/x-www-form-urlencoded`,
  );
  return new URLSearchParams(text);
}

/** The JSON object of an API POST that says it sends and accepts JSON; a Violation otherwise. */
export function jsonBody(req: IncomingMessage, text: string, where: string): Record<string, unknown> {
  check(req.method === "POST", `${where} wants POST, got ${req.method ?? ""}`);
  check((req.headers["content-type"] ?? "").startsWith("application/json"), `${where}: content-type must be application/json`);
  check((req.headers.accept ?? "").includes("application/json"), `${where}: accept must include application/json`);
  return jsonObject(text, where);
}

/** `text` as a JSON object; a Violation when it is not JSON, or JSON of another kind. */
export function jsonObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Violation(`${where}: the body is not JSON`);
  }
  check(typeof value === "object" && value !== null && !Array.isArray(value), `${where}: the body is not a JSON object`);
  return value as Record<string, unknown>;
}
