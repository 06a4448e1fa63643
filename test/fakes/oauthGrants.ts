/**
 * The OAuth 2.0 authorization-code grant as the fake IdPs check it (RFC 6749 §4.1, PKCE RFC 7636, OIDC nonce): what
 * the authorization request must carry, and the token request that redeems a code once, with the PKCE verifier of the
 * challenge. Where the code goes and what the token answer holds stay with each fake: they differ between IdPs.
 */
import { createHash } from "node:crypto";
import { check } from "./fakeServer.js";

/** What a code was issued for: the token request must match it. */
export interface Grant {
  clientId: string;
  redirectUri: string;
  /** The PKCE S256 code challenge. */
  challenge: string;
  nonce: string;
}

/** The fields of a token request, and nothing else. */
const TOKEN_FIELDS = ["client_id", "code", "code_verifier", "grant_type", "redirect_uri"];

/**
 * The authorization request's checks for the registered client: its client id and redirect URI, `response_type=code`,
 * a S256 code challenge, a state and a nonce, and a scope with `openid`. A Violation `<where>: <parameter> missing`
 * (or `wrong`) for the first that is not so; the state, nonce and challenge otherwise.
 */
export function checkAuthorizationRequest(
  url: URL,
  where: string,
  client: { clientId: string; redirectUri: string },
): { state: string; nonce: string; challenge: string } {
  const q = url.searchParams;
  const need = (k: string, want?: string): string => {
    const v = q.get(k);
    check(v !== null && v !== "" && (want === undefined || v === want), `${where}: ${k} ${v === null ? "missing" : "wrong"}`);
    return v;
  };
  need("client_id", client.clientId);
  need("redirect_uri", client.redirectUri);
  need("response_type", "code");
  need("code_challenge_method", "S256");
  const challenge = need("code_challenge");
  // BASE64URL(SHA-256(verifier)) is always 43 characters.
  check(/^[A-Za-z0-9_-]{43}$/.test(challenge), `${where}: code_challenge is not a S256 challenge`);
  const state = need("state");
  const nonce = need("nonce");
  check((q.get("scope") ?? "").split(" ").includes("openid"), `${where}: scope must include openid`);
  return { state, nonce, challenge };
}

/** The codes a fake has issued and not yet seen redeemed. */
export interface AuthorizationCodes<G extends Grant> {
  issue(code: string, grant: G): void;
  /**
   * The grant of a token request's code, which is spent by it: exactly the five fields of an authorization-code token
   * request, a code issued and not yet redeemed, the client id and redirect URI it was issued for, and the verifier
   * of its PKCE challenge. A Violation `<where>: …` otherwise.
   */
  redeem(form: URLSearchParams, where: string): G;
}

export function authorizationCodes<G extends Grant>(): AuthorizationCodes<G> {
  const grants = new Map<string, G>();
  return {
    issue: (code, grant) => {
      grants.set(code, grant);
    },
    redeem: (form, where) => {
      const keys = [...form.keys()].sort();
      check(
        JSON.stringify(keys) === JSON.stringify(TOKEN_FIELDS),
        `${where}: fields must be ${TOKEN_FIELDS.join(", ")}; got ${keys.join(",")}`,
      );
      check(form.get("grant_type") === "authorization_code", `${where}: grant_type must be authorization_code`);
      const code = form.get("code") ?? "";
      const grant = grants.get(code);
      check(grant !== undefined, `${where}: unknown or reused code`);
      grants.delete(code);
      check(
        form.get("client_id") === grant.clientId && form.get("redirect_uri") === grant.redirectUri,
        `${where}: client_id or redirect_uri differ from the authorization request's`,
      );
      const verifier = form.get("code_verifier") ?? "";
      check(createHash("sha256").update(verifier).digest("base64url") === grant.challenge, `${where}: PKCE code_verifier does not match`);
      return grant;
    },
  };
}
