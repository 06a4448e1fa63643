/**
 * Id tokens for the fake identity providers: HS256 with a throw-away key. moto does not check signatures and
 * aws-runas reads only the claims (iss, aud, sub, exp, nonce).
 */
import { createHmac } from "node:crypto";

/** A JWT carrying `claims`; `iat`/`exp` (one hour) are added unless given. */
export function fakeJwt(claims: Record<string, unknown>, key = "fake-idp"): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");
  const head = `${part({ alg: "HS256", typ: "JWT" })}.${part({ iat: now, exp: now + 3600, ...claims })}`;
  return `${head}.${createHmac("sha256", key).update(head).digest("base64url")}`;
}
