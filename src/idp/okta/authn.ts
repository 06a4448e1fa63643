/**
 * Okta's classic authentication API (idp.md §4.1): the transaction object it answers with, and the JSON POSTs that
 * move a transaction on. Every answer is read through `readAuthn`, so a failure is one RunasError line naming Okta's
 * own errorSummary and never the state or session token.
 */
import { isRunasError, RunasError } from "../../domain/errors.js";
import { networkFailure } from "../httpSession.js";
import type { Fetch } from "../types.js";

/** One MFA factor of an MFA_REQUIRED transaction. */
export interface OktaFactor {
  id: string;
  factorType: string;
  provider: string;
  verifyHref: string;
}

/** What aws-runas reads from an authn transaction (status upper-cased; absent strings are ""). */
export interface AuthnTransaction {
  status: string;
  factorResult: string;
  sessionToken: string;
  stateToken: string;
  factors: OktaFactor[];
  nextHref: string;
  /** The `_embedded.factor` object, for the push number challenge and the Duo verification. */
  factor: Record<string, unknown>;
}

/** An answer Okta gave with a non-200 status: the HTTP status and Okta's error code and summary. */
export interface OktaFailure {
  failed: true;
  status: number;
  errorCode: string;
  errorSummary: string;
}

/** The authentication API endpoint of the org behind any Okta URL: its path is ignored (idp.md §4). */
export function authnEndpoint(url: string): URL {
  return new URL("/api/v1/authn", new URL(url).origin);
}

/**
 * POSTs `body` as JSON to an authn API URL and reads the transaction it answers with; a non-200 answer comes back
 * as an OktaFailure for the caller to judge (a rejected password or code is not an error yet).
 */
export async function postAuthn(
  fetch: Fetch,
  url: string | URL,
  body: Record<string, string>,
  signal?: AbortSignal,
): Promise<AuthnTransaction | OktaFailure> {
  const target = new URL(url);
  let response: Response;
  try {
    response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (e) {
    if (isRunasError(e)) throw e;
    throw new RunasError(
      "IDP_ERROR",
      `could not reach Okta at ${target.origin} (${networkFailure(e, target)}); check the URL and the network`,
      { cause: e },
    );
  }
  const json = objectOf(await readJson(response));
  if (response.status !== 200) {
    return {
      failed: true,
      status: response.status,
      errorCode: text(json.errorCode),
      errorSummary: printable(text(json.errorSummary)),
    };
  }
  const embedded = objectOf(json._embedded);
  const factors = Array.isArray(embedded.factors) ? embedded.factors.map(objectOf).map(toFactor) : [];
  return {
    status: text(json.status).toUpperCase(),
    factorResult: text(json.factorResult).toUpperCase(),
    sessionToken: text(json.sessionToken),
    stateToken: text(json.stateToken),
    factors,
    nextHref: text(objectOf(objectOf(json._links).next).href),
    factor: objectOf(embedded.factor),
  };
}

/** True for the non-200 answer of `postAuthn`. */
export function isOktaFailure(r: AuthnTransaction | OktaFailure): r is OktaFailure {
  return "failed" in r;
}

/** The one line for an unexpected non-200 answer of Okta: its HTTP status and its own summary. */
export function oktaFailureError(what: string, f: OktaFailure): RunasError {
  const summary = f.errorSummary === "" ? "" : `: ${f.errorSummary}`;
  return new RunasError("IDP_ERROR", `Okta refused ${what} (HTTP ${f.status}${summary}); run aws-runas again, or -v for details`);
}

/** A JSON body, or undefined when the body is not JSON. */
async function readJson(response: Response): Promise<unknown> {
  const body = await response.text();
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function toFactor(f: Record<string, unknown>): OktaFactor {
  return {
    id: text(f.id),
    factorType: text(f.factorType),
    provider: text(f.provider),
    verifyHref: text(objectOf(objectOf(f._links).verify).href),
  };
}

/** The object itself, or {} for anything that is not a JSON object. */
export function objectOf(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A string field, or "" when it is missing or not a string. */
export function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Text from Okta made safe for one terminal line: control characters dropped, length bounded. */
export function printable(s: string): string {
  const clean = s.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
