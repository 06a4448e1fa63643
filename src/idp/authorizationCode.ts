/**
 * The OAuth 2.0 authorization-code flow with PKCE as every vendor runs it (idp.md §3.7): build the authorization
 * request, read the code from the redirect back, exchange it at the token endpoint. The fixes of idp.md §13.11 live
 * here once for all vendors: space-joined scopes, a nonce, the state checked and `error=` redirects surfaced.
 */
import { randomBytes } from "node:crypto";
import { isRunasError, RunasError } from "../domain/errors.js";
import { followRedirects, networkFailure } from "./httpSession.js";
import { parseIdToken } from "./idToken.js";
import { newPkce } from "./pkce.js";
import type { Fetch } from "./types.js";

/** One authorization request and the secrets that go with it until its code is exchanged. */
export interface AuthorizationRequest {
  /** The authorize URL to open, with every parameter in its query. */
  url: URL;
  state: string;
  nonce: string;
  /** The PKCE code verifier: sent only with the token request. */
  verifier: string;
  redirectUri: string;
}

/** What the token endpoint gave back that aws-runas uses. */
export interface CodeExchangeResult {
  idToken: string;
  refreshToken?: string;
}

/**
 * The authorize URL: client_id, code_challenge, code_challenge_method=S256, redirect_uri (verbatim), response_type=code,
 * scope (space-joined, always with openid), state, nonce, then `extra` (Okta's sessionToken …). Parameters already in
 * the endpoint's query are replaced, as upstream did.
 */
export function buildAuthorizationRequest(o: {
  authorizeEndpoint: string;
  clientId: string;
  redirectUri: string;
  scopes?: string[];
  extra?: Record<string, string>;
}): AuthorizationRequest {
  const pkce = newPkce();
  const state = randomBytes(24).toString("base64url");
  const nonce = randomBytes(24).toString("base64url");
  const scopes = ["openid", ...(o.scopes ?? []).filter((s) => s !== "openid" && s !== "")];
  const url = new URL(o.authorizeEndpoint);
  url.search = new URLSearchParams({
    client_id: o.clientId,
    code_challenge: pkce.challenge,
    code_challenge_method: pkce.method,
    redirect_uri: o.redirectUri,
    response_type: "code",
    scope: [...new Set(scopes)].join(" "),
    state,
    nonce,
    ...o.extra,
  }).toString();
  return { url, state, nonce, verifier: pkce.verifier, redirectUri: o.redirectUri };
}

/**
 * The authorization code from the redirect back to the client. The state must be the one sent (a redirect that answers
 * another request is refused); an `error=` redirect becomes RunasError("IDP_AUTH") with the IdP's own words, instead
 * of upstream's later, puzzling token-endpoint failure.
 */
export function codeFromRedirect(redirect: URL, req: AuthorizationRequest): string {
  const params = redirect.searchParams;
  const error = params.get("error");
  const state = params.get("state");
  // An error redirect without any state is still the IdP's answer worth showing; a state that differs never is.
  if (state !== req.state && !(state === null && error !== null)) {
    throw new RunasError(
      "IDP_ERROR",
      "oauth state token mismatch: the sign-in redirect does not belong to this sign-in; run aws-runas again",
    );
  }
  if (error !== null) {
    const description = params.get("error_description");
    const detail = description === null || description === "" ? printable(error) : `${printable(error)}: ${printable(description)}`;
    throw new RunasError("IDP_AUTH", `${req.url.host} refused the sign-in: ${detail}`);
  }
  const code = params.get("code");
  if (code === null || code === "") {
    throw new RunasError(
      "IDP_ERROR",
      `the redirect back from ${req.url.host} carried no authorization code; check the client's redirect URI at the identity provider`,
    );
  }
  return code;
}

/**
 * Sends the authorization request through the client's HTTP session and returns the redirect back to the client
 * (idp.md §3.7). `follow: false` wants the IdP to answer with a redirect straight away and returns its Location,
 * whatever it is; `follow: true` walks up to 10 redirects until one goes to the redirect URI, which is never requested:
 * it may be unreachable (`app:/callback`, a closed localhost port).
 */
export async function authorize(o: { fetch: Fetch; req: AuthorizationRequest; follow: boolean; signal?: AbortSignal }): Promise<URL> {
  const init: RequestInit = o.signal === undefined ? {} : { signal: o.signal };
  if (o.follow) {
    const end = await followRedirects({ fetch: o.fetch }, o.req.url, init, {
      stopAt: (url) => isRedirectUri(url, o.req.redirectUri),
    });
    if ("stoppedAt" in end) return end.stoppedAt;
    await end.response.body?.cancel().catch(() => undefined);
    throw notRedirected(o.req.url, end.response);
  }
  const response = await o.fetch(o.req.url, init);
  await response.body?.cancel().catch(() => undefined);
  const location = response.headers.get("location");
  if (response.status !== 302 || location === null) throw notRedirected(o.req.url, response);
  try {
    return new URL(location, o.req.url);
  } catch (e) {
    throw new RunasError("IDP_ERROR", `${o.req.url.host} redirected the sign-in to an address that is not a URL`, { cause: e });
  }
}

/**
 * POSTs the code to the token endpoint (client_id, code, code_verifier, grant_type=authorization_code, redirect_uri; no
 * client secret) and returns the id token, plus the refresh token when one is given. An id token that carries a nonce
 * must carry this request's.
 */
export async function exchangeCode(o: {
  fetch: Fetch;
  tokenEndpoint: string;
  clientId: string;
  code: string;
  req: AuthorizationRequest;
}): Promise<CodeExchangeResult> {
  const endpoint = new URL(o.tokenEndpoint);
  const body = new URLSearchParams({
    client_id: o.clientId,
    code: o.code,
    code_verifier: o.req.verifier,
    grant_type: "authorization_code",
    redirect_uri: o.req.redirectUri,
  });
  let response: Response;
  try {
    response = await o.fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
    });
  } catch (e) {
    if (isRunasError(e)) throw e;
    throw new RunasError(
      "IDP_ERROR",
      `could not reach ${endpoint.origin} for the token request (${networkFailure(e, endpoint)}); check the URL and the network`,
      { cause: e },
    );
  }
  const text = await response.text();
  const json = parseJsonObject(text);
  if (response.status !== 200) {
    const error = typeof json?.error === "string" ? `: ${printable(json.error)}` : "";
    const description = typeof json?.error_description === "string" ? `: ${printable(json.error_description)}` : "";
    throw new RunasError(
      "IDP_ERROR",
      `oAuth token request error: http status ${response.status} ${response.statusText}${error}${description}`,
    );
  }
  const idToken = json?.id_token;
  if (typeof idToken !== "string" || idToken === "") {
    throw new RunasError(
      "IDP_ERROR",
      `the token response from ${endpoint.host} has no id_token; check that the client may use the openid scope`,
    );
  }
  const nonce = parseIdToken(idToken).claims.nonce;
  if (nonce !== undefined && nonce !== o.req.nonce) {
    throw new RunasError("IDP_ERROR", `the id token from ${endpoint.host} answers another sign-in (nonce mismatch); run aws-runas again`);
  }
  const refreshToken = json?.refresh_token;
  return typeof refreshToken === "string" && refreshToken !== "" ? { idToken, refreshToken } : { idToken };
}

/** True when `url` goes to the redirect URI (same scheme, host, port and path; the query is the answer). */
export function isRedirectUri(url: URL, redirectUri: string): boolean {
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return false;
  }
  return url.protocol === target.protocol && url.host === target.host && url.pathname === target.pathname;
}

/** The JSON object in a response body, or undefined when it is not one. */
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Text from the IdP made safe for one terminal line: control characters dropped, length bounded. */
function printable(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

/** The error for an authorization request that did not redirect back: upstream's `http status 200 OK`, with context. */
function notRedirected(url: URL, response: Response): RunasError {
  return new RunasError(
    "IDP_ERROR",
    `the authorization request to ${url.host} did not redirect back to the client (http status ${response.status} ${response.statusText}); ` +
      "sign in to the identity provider first, and check the client id and redirect URI",
  );
}
