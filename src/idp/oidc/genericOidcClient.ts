/**
 * The generic, standards-based OpenID Provider (`web_identity_provider = oidc`, decisions.md "Beyond upstream"):
 * discovery, then a stored refresh token, else authorization code + PKCE with a loopback redirect (RFC 8252) or the
 * device flow (RFC 8628). The protocol work is oauth4webapi's, which also checks the id token's iss, aud and nonce.
 */
import * as oauth from "oauth4webapi";
import { isRunasError, RunasError } from "../../domain/errors.js";
import { buildAuthorizationRequest, codeFromRedirect } from "../authorizationCode.js";
import type { AuthorizationRequest } from "../authorizationCode.js";
import { networkFailure } from "../httpSession.js";
import { parseIdToken } from "../idToken.js";
import type { IdpDeps, IdpSettings, IdToken, OidcClient, RefreshTokenStore } from "../types.js";
import { deviceFlowSignIn } from "./deviceFlow.js";
import { listenLoopback, loopbackAddress } from "./loopbackListener.js";

/** How long the browser sign-in may take before aws-runas gives up. */
const BROWSER_TIMEOUT_MS = 5 * 60 * 1000;
/** The redirect URI when none is configured: the IPv4 loopback on a free port (RFC 8252 §7.3, §8.3). */
const DEFAULT_REDIRECT_URI = "http://127.0.0.1/callback";
const LOOPBACK_HOSTNAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** How oauth4webapi sends every request of one sign-in: through our fetch, with the caller's signal. */
type HttpOptions = oauth.TokenEndpointRequestOptions & oauth.DiscoveryRequestOptions;

/** What the generic client gets beyond the usual vendor dependencies. */
export interface GenericOidcDeps extends IdpDeps {
  /** Where refresh tokens are kept between runs; without it every run signs in. */
  refreshTokens?: RefreshTokenStore;
  /**
   * The fetch for the back-channel requests (discovery, token, device authorization), which carry no browser state
   * and so need no cookie jar; `fetch` when absent.
   */
  baseFetch?: typeof globalThis.fetch;
}

/** An OidcClient for any OpenID Provider whose issuer is `s.url` (its discovery document says the rest). */
export function genericOidcClient(s: IdpSettings, d: GenericOidcDeps): OidcClient {
  return {
    vendor: "oidc",
    async getIdToken(signal?: AbortSignal): Promise<IdToken> {
      const issuer = issuerUrl(s.url);
      if (s.clientId === undefined || s.clientId === "") {
        throw new RunasError(
          "INVALID_CONFIG",
          "web_identity_client_id is not set; set it to the id of the client registered for aws-runas at the OpenID Provider",
        );
      }
      const client: oauth.Client = { client_id: s.clientId };
      const backChannel = d.baseFetch ?? d.fetch;
      const http: HttpOptions = {
        [oauth.customFetch]: (url: string, options: oauth.CustomFetchOptions<string, URLSearchParams | undefined>) =>
          backChannel(url, options),
        // Plain http is only ever allowed to this machine (a local test or development provider): see issuerUrl.
        [oauth.allowInsecureRequests]: issuer.protocol === "http:",
        ...(signal === undefined ? {} : { signal }),
      };
      try {
        const as = await discover(issuer, http);
        const viaRefresh = await refreshed(as, client, http, d, signal);
        if (viaRefresh !== undefined) return viaRefresh;

        const scope = as.scopes_supported?.includes("offline_access") === true ? "openid offline_access" : "openid";
        const tokens =
          s.flow === "device"
            ? await deviceFlowSignIn({
                as: withEndpoint(as, "device_authorization_endpoint", "device sign-in"),
                client,
                scope,
                http,
                clock: d.clock,
                progress: d.progress,
                ...(signal === undefined ? {} : { signal }),
              })
            : await browserSignIn({
                as,
                client,
                scope,
                http,
                redirectUri: s.redirectUri ?? DEFAULT_REDIRECT_URI,
                d,
                fail: (e) => translate(e, issuer, signal),
                ...(signal === undefined ? {} : { signal }),
              });
        return await keep(tokens, d);
      } catch (e) {
        throw translate(e, issuer, signal);
      }
    },
  };
}

/** The issuer as a URL; plain http:// only on this machine, where no one can read the tokens on the wire. */
function issuerUrl(url: string): URL {
  let issuer: URL;
  try {
    issuer = new URL(url);
  } catch {
    throw new RunasError("INVALID_CONFIG", `web_identity_auth_url '${url}' is not a URL; set it to the OpenID Provider's issuer`);
  }
  if (issuer.protocol === "https:") return issuer;
  if (issuer.protocol === "http:" && LOOPBACK_HOSTNAMES.has(issuer.hostname)) return issuer;
  throw new RunasError(
    "INVALID_CONFIG",
    `web_identity_auth_url must start with https:// (http:// only for 127.0.0.1, localhost or [::1]); it is ${issuer.origin}`,
  );
}

/**
 * Reads `<issuer>/.well-known/openid-configuration`. An issuer that differs from the configured URL only by a trailing
 * slash is accepted (idp.md §13.12: users write URLs both ways); any other difference is an error.
 */
async function discover(issuer: URL, http: HttpOptions): Promise<oauth.AuthorizationServer> {
  const response = await oauth.discoveryRequest(issuer, http);
  let expected = issuer;
  const named = await response
    .clone()
    .json()
    .then((body: unknown) => (typeof body === "object" && body !== null ? (body as { issuer?: unknown }).issuer : undefined))
    .catch(() => undefined);
  if (typeof named === "string" && URL.canParse(named) && withoutSlash(new URL(named).href) === withoutSlash(issuer.href)) {
    expected = new URL(named);
  }
  const as = await oauth.processDiscoveryResponse(expected, response);
  return withEndpoint(as, "token_endpoint", "sign-in");
}

function withoutSlash(href: string): string {
  return href.endsWith("/") ? href.slice(0, -1) : href;
}

/** The metadata, checked to have the endpoint a step needs: a clear line instead of oauth4webapi's assertion. */
function withEndpoint(
  as: oauth.AuthorizationServer,
  endpoint: "token_endpoint" | "authorization_endpoint" | "device_authorization_endpoint",
  step: string,
): oauth.AuthorizationServer {
  if (typeof as[endpoint] === "string" && as[endpoint] !== "") return as;
  throw new RunasError(
    "IDP_ERROR",
    `the OpenID Provider ${as.issuer} offers no ${endpoint} in its discovery document, so aws-runas cannot do the ${step}` +
      (endpoint === "device_authorization_endpoint" ? "; use web_identity_flow = browser" : "; check web_identity_auth_url"),
  );
}

/**
 * The id token from the stored refresh token, or undefined when there is none or it does not work. One the provider
 * refuses is dropped; after a network failure it is kept for the next run, and the sign-in goes on without it.
 */
async function refreshed(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  http: HttpOptions,
  d: GenericOidcDeps,
  signal: AbortSignal | undefined,
): Promise<IdToken | undefined> {
  const stored = d.refreshTokens?.get();
  if (d.refreshTokens === undefined || stored === undefined || stored === "") return undefined;
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), stored, http);
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    if (tokens.id_token !== undefined) {
      d.logger.debug("signed in with the stored refresh token");
      return await keep(tokens, d);
    }
    d.logger.debug("the refresh token grant gave no id token; signing in again");
  } catch (e) {
    if (signal?.aborted === true) throw e;
    d.logger.debug(`the stored refresh token did not work (${reason(e)}); signing in again`);
    if (!(e instanceof oauth.ResponseBodyError || e instanceof oauth.OperationProcessingError)) return undefined;
  }
  await d.refreshTokens.set(undefined);
  return undefined;
}

/** Stores the refresh token when a new (or rotated) one came, and returns the id token. */
async function keep(tokens: oauth.TokenEndpointResponse, d: GenericOidcDeps): Promise<IdToken> {
  if (tokens.id_token === undefined) {
    throw new RunasError("IDP_ERROR", "the OpenID Provider gave no id token; check that the client may use the openid scope");
  }
  if (tokens.refresh_token !== undefined) await d.refreshTokens?.set(tokens.refresh_token);
  return parseIdToken(tokens.id_token);
}

/**
 * Authorization code + PKCE. A loopback redirect URI is listened on (port 0 or none: a free port, RFC 8252 §7.3);
 * any other redirect URI cannot be received here, so the user pastes the address the browser ended on.
 */
async function browserSignIn(o: {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  scope: string;
  http: HttpOptions;
  redirectUri: string;
  d: GenericOidcDeps;
  /** Turns a failure into the RunasError the browser page and the terminal both show. */
  fail: (e: unknown) => unknown;
  signal?: AbortSignal;
}): Promise<oauth.TokenEndpointResponse> {
  const { as, client, d, redirectUri } = o;
  const authorizeEndpoint = withEndpoint(as, "authorization_endpoint", "browser sign-in").authorization_endpoint ?? "";
  const request = (uri: string): AuthorizationRequest =>
    buildAuthorizationRequest({ authorizeEndpoint, clientId: client.client_id, redirectUri: uri, scopes: o.scope.split(" ") });
  const exchange = async (redirect: URL, req: AuthorizationRequest): Promise<oauth.TokenEndpointResponse> => {
    try {
      codeFromRedirect(redirect, req);
      const params = oauth.validateAuthResponse(as, client, redirect, req.state);
      const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, req.redirectUri, req.verifier, o.http);
      return await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: req.nonce, requireIdToken: true });
    } catch (e) {
      throw o.fail(e);
    }
  };

  if (loopbackAddress(redirectUri) === undefined) {
    const req = request(redirectUri);
    await openSignIn(req.url, d);
    const pasted = (await d.prompter.text("after signing in, paste the address the browser was sent to: ")).trim();
    if (!URL.canParse(pasted)) {
      throw new RunasError("INVALID_VALUE", `that is not an address starting with ${redirectUri}; run aws-runas again and paste the whole address`);
    }
    return exchange(new URL(pasted), req);
  }

  const listener = await listenLoopback(redirectUri);
  try {
    const req = request(listener.redirectUri);
    await openSignIn(req.url, d);
    return await listener.waitForRedirect((redirect) => exchange(redirect, req), {
      timeoutMs: BROWSER_TIMEOUT_MS,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
  } finally {
    await listener.close();
  }
}

/** Shows the sign-in URL on stderr (always: the browser may open somewhere unseen) and tries to open a browser. */
async function openSignIn(url: URL, d: GenericOidcDeps): Promise<void> {
  d.progress(`open this URL to sign in: ${url.href}`);
  if (!(await d.openBrowser(url.href))) d.progress("no browser could be started; open the URL above in a browser on this machine");
}

/** One RunasError line for whatever went wrong, naming the provider and never a token. */
function translate(e: unknown, issuer: URL, signal: AbortSignal | undefined): unknown {
  if (isRunasError(e) || signal?.aborted === true) return e;
  const host = issuer.host;
  if (e instanceof oauth.ResponseBodyError || e instanceof oauth.AuthorizationResponseError) {
    return new RunasError("IDP_AUTH", `${host} refused the sign-in: ${reason(e)}`, { cause: e });
  }
  if (e instanceof oauth.OperationProcessingError) {
    const status = e.cause instanceof Response ? e.cause.status : undefined;
    switch (e.code) {
      case oauth.RESPONSE_IS_NOT_CONFORM:
        return new RunasError(
          "IDP_ERROR",
          `${host} gave no usable OpenID configuration${status === undefined ? "" : ` (HTTP ${status})`} at ` +
            `${withoutSlash(issuer.href)}/.well-known/openid-configuration; set web_identity_auth_url to the provider's issuer`,
          { cause: e },
        );
      case oauth.JSON_ATTRIBUTE_COMPARISON: {
        const named = (e.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer;
        return new RunasError(
          "IDP_ERROR",
          typeof named === "string"
            ? `the OpenID configuration at ${host} is for the issuer ${named}, not ${issuer.href}; set web_identity_auth_url to ${named}`
            : `the OpenID configuration at ${host} is for another issuer than ${issuer.href}; set web_identity_auth_url to its issuer`,
          { cause: e },
        );
      }
      case oauth.MISSING_SERVER_METADATA:
      case oauth.INVALID_SERVER_METADATA:
        return new RunasError("IDP_ERROR", `the OpenID configuration of ${host} is incomplete (${e.message}); check web_identity_auth_url`, {
          cause: e,
        });
      case oauth.JWT_CLAIM_COMPARISON:
        return new RunasError(
          "IDP_ERROR",
          `the id token from ${host} did not pass its checks (${e.message}); check web_identity_auth_url and web_identity_client_id`,
          { cause: e },
        );
      case oauth.JWT_TIMESTAMP_CHECK:
        return new RunasError("IDP_ERROR", `the id token from ${host} is not valid now (${e.message}); check this machine's clock`, {
          cause: e,
        });
      default:
        return new RunasError("IDP_ERROR", `the sign-in with ${host} failed: ${e.message}`, { cause: e });
    }
  }
  if (e instanceof oauth.WWWAuthenticateChallengeError || e instanceof oauth.UnsupportedOperationError || isArgumentError(e)) {
    return new RunasError("IDP_ERROR", `the sign-in with ${host} failed: ${e.message}`, { cause: e });
  }
  return new RunasError(
    "IDP_ERROR",
    `could not reach the OpenID Provider at ${issuer.origin} (${networkFailure(e, issuer)}); check web_identity_auth_url and the network`,
    { cause: e },
  );
}

/** oauth4webapi's refusal of a value it was handed (a TypeError with an ERR_INVALID_ARG_* code), not a network failure. */
function isArgumentError(e: unknown): e is TypeError {
  const code = (e as { code?: unknown } | undefined)?.code;
  return e instanceof TypeError && typeof code === "string" && code.startsWith("ERR_INVALID_ARG");
}

/** A short reason for a log line or message: the OAuth error code and description, or the error's message. */
function reason(e: unknown): string {
  if (e instanceof oauth.ResponseBodyError || e instanceof oauth.AuthorizationResponseError) {
    const description = e.error_description?.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim().slice(0, 300);
    return description === undefined || description === "" ? e.error : `${e.error}: ${description}`;
  }
  return e instanceof Error ? e.message : String(e);
}
