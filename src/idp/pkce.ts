import { createHash, randomBytes } from "node:crypto";

/** A PKCE pair (RFC 7636): the verifier stays with us, the challenge goes in the authorization request. */
export interface Pkce {
  verifier: string;
  challenge: string;
  method: "S256";
}

/**
 * A fresh PKCE pair (idp.md §3.7): the verifier is 32 random bytes in base64url without padding (43 characters, the
 * RFC 7636 §4.1 minimum), the challenge base64url(SHA-256(verifier)). Synchronous so building a request needs no await.
 */
export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: pkceChallenge(verifier), method: "S256" };
}

/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}
