import type { ServerResponse } from "node:http";
import { isRunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";
import { AuthenticationRequired } from "./contracts.js";
import { isProfileNotSet } from "./profileNotSet.js";

/**
 * How the servers answer: every body has a Content-Length (the request log reports it, and no client waits for the
 * end of a chunked stream) and is never cached (credentials and profile state change).
 */
export function sendBody(res: ServerResponse, status: number, contentType: string, body: string,
  headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...headers,
    "Content-Type": contentType,
    "Content-Length": String(Buffer.byteLength(body)),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendBody(res, status, "application/json", JSON.stringify(body), headers);
}

/** Plain text as upstream's Go handlers write it (core.md §9.4). */
export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  sendBody(res, status, "text/plain; charset=utf-8", body, headers);
}

/** True for the contract's AuthenticationRequired, also when another bundle's copy of the class threw it. */
export function isAuthenticationRequired(e: unknown): e is AuthenticationRequired {
  if (e instanceof AuthenticationRequired) return true;
  const kind = (e as { kind?: unknown } | null)?.kind;
  return e instanceof Error && e.name === "AuthenticationRequired" && (kind === "MFA" || kind === "AUTH");
}

/**
 * Answers a failed request and never drops the connection (upstream did, QUIRK Q-19):
 *   AuthenticationRequired → 401, `X-AwsRunas-Authentication-Type: MFA|AUTH`, body `{}` / `{"username": …}` (§9.6)
 *   ProfileNotSet          → 500 `{"code":"ProfileNotSet","message":"no profile is active: choose one at …"}`
 *   RunasError             → 500 `{"code":<its code>,"message":<its one line>}` (written secret-free, errors.ts)
 *   anything else          → 500 `{"code":"InternalError",…}`
 * `what` names the request in the ERROR line (method and path, never a query or body).
 */
export function sendError(res: ServerResponse, e: unknown, logger: Logger, what: string): void {
  if (res.headersSent) {
    // Half an answer is out: ending the response is all that is left to do.
    logger.error(`${what}: ${oneLine(e)}`);
    res.end();
    return;
  }
  if (isAuthenticationRequired(e)) {
    logger.debug(`${what}: ${e.kind === "MFA" ? "an MFA code" : "a username and password"} is needed`);
    sendJson(res, 401, e.kind === "MFA" ? {} : { username: e.username }, { "X-AwsRunas-Authentication-Type": e.kind });
    return;
  }
  const code = isProfileNotSet(e) ? "ProfileNotSet" : isRunasError(e) ? e.code : "InternalError";
  const message = code === "InternalError" ? `unexpected error: ${oneLine(e)}` : oneLine(e);
  logger.error(`${what}: ${message}`);
  sendJson(res, 500, { code, message });
}

/** The first line of an error, short enough for a log line and a JSON answer. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split("\n", 1)[0]?.trim() ?? "";
  if (line === "") return "unexpected error; run the server with -v for details";
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
