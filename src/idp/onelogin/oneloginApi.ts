/**
 * Calls to the OneLogin API once the access token is known (idp.md §5.1): JSON in and out, the token in the
 * Authorization header, and OneLogin's two error shapes ("v1" `{"status":{"message"}}`, "v2" `{"message"}`) turned
 * into the words shown to the user.
 */
import { isRunasError, RunasError } from "../../domain/errors.js";
import { networkFailure } from "../httpSession.js";
import type { Fetch } from "../types.js";

/** One answer of the API: its status, its JSON (undefined when the body is not JSON) and OneLogin's message. */
export interface OneLoginAnswer {
  status: number;
  json: unknown;
  /** `status.message` (v1) or `message` (v2), else "unexpected OneLogin API response". */
  message: string;
}

/** The API of one tenant, signed in with an access token. */
export interface OneLoginApi {
  readonly base: string;
  /** POSTs `body` as JSON to `pathAndQuery` (relative to the API base). */
  post(pathAndQuery: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<OneLoginAnswer>;
  get(pathAndQuery: string, signal?: AbortSignal): Promise<OneLoginAnswer>;
}

/** An API client over the client's HTTP session; network failures become one RunasError("IDP_ERROR") line. */
export function oneLoginApi(o: { fetch: Fetch; base: string; authorization: string }): OneLoginApi {
  const call = async (method: string, pathAndQuery: string, body?: Record<string, unknown>, signal?: AbortSignal) => {
    const url = new URL(pathAndQuery, `${o.base}/`);
    const headers: Record<string, string> = { authorization: o.authorization, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await o.fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (e) {
      if (isRunasError(e)) throw e;
      throw new RunasError(
        "IDP_ERROR",
        `could not reach the OneLogin API at ${o.base} (${networkFailure(e, url)}); check the URL and the network`,
        { cause: e },
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, message: apiMessage(json) };
  };
  return {
    base: o.base,
    post: (p, body, signal) => call("POST", p, body, signal),
    get: (p, signal) => call("GET", p, undefined, signal),
  };
}

/** OneLogin's own message in a v1 or v2 answer, made safe for one line. */
function apiMessage(json: unknown): string {
  if (typeof json === "object" && json !== null) {
    const record = json as Record<string, unknown>;
    const status = record.status;
    const v1 = typeof status === "object" && status !== null ? (status as Record<string, unknown>).message : undefined;
    const text = typeof v1 === "string" && v1 !== "" ? v1 : record.message;
    if (typeof text === "string" && text !== "") {
      const clean = text.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
      return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
    }
  }
  return "unexpected OneLogin API response";
}

/** The record at `json`, or {} when it is not an object. */
export function record(json: unknown): Record<string, unknown> {
  return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

/** The string at `value`, or "" when it is not a string. */
export function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
