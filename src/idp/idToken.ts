import type { IdToken } from "./types.js";

/** A token is treated as expired this long before its `exp`, so it is not handed to STS in its last seconds. */
const EXPIRY_MARGIN_SECONDS = 60;

/** Unpadded base64url, as JWT segments are written (RFC 7515 §2); a length of 4n+1 can never be valid. */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Reads an OIDC id token (idp.md §11.1): three dot-separated parts, a base64url JSON payload whose `exp` is a number;
 * expiresAt = exp − 60 s. Anything else still gives a token (STS decides whether it accepts it) with claims {} and
 * no expiry, so it is never served from a cache. Surrounding whitespace is dropped (decisions.md: token files are
 * trimmed, since most end with a newline).
 */
export function parseIdToken(jwt: string): IdToken {
  const raw = jwt.trim();
  const claims = payload(raw) ?? {};
  const exp = claims.exp;
  const expiresAt = typeof exp === "number" ? new Date((exp - EXPIRY_MARGIN_SECONDS) * 1000) : undefined;
  const usable = expiresAt !== undefined && !Number.isNaN(expiresAt.getTime()) ? expiresAt : undefined;
  return {
    jwt: raw,
    claims,
    expiresAt: () => (usable === undefined ? undefined : new Date(usable.getTime())),
  };
}

function payload(jwt: string): Readonly<Record<string, unknown>> | undefined {
  const parts = jwt.split(".");
  const body = parts[1];
  if (parts.length !== 3 || body === undefined || !BASE64URL.test(body) || body.length % 4 === 1) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  return data as Record<string, unknown>;
}
