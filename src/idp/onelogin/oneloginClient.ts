/**
 * The OneLogin provider (idp.md §5). SAML comes straight from the API (`POST /api/2/saml_assertion`, then
 * verify_factor when MFA is required); OIDC is the authorization-code flow at `<url>/auth` and `<url>/token`, run
 * with the browser session that the API login (`/api/1/login/auth`) and `/session_via_api_token` set up.
 */
import { RunasError } from "../../domain/errors.js";
import { buildAuthorizationRequest, codeFromRedirect, exchangeCode, isRedirectUri } from "../authorizationCode.js";
import { oidcClient } from "../clientConfig.js";
import { followRedirects } from "../httpSession.js";
import { parseIdToken } from "../idToken.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import { gatherCredentials, withPasswordAttempts } from "../signInPrompts.js";
import type { IdpDeps, IdpSettings, OidcClient, SamlClient } from "../types.js";
import { oneLoginApiBase, requestOneLoginAccessToken } from "./accessToken.js";
import { parseOneLoginUrl, type OneLoginUrl } from "./apiToken.js";
import { oneLoginMfa, type OneLoginChallenge } from "./mfa.js";
import { oneLoginApi, record, text, type OneLoginAnswer, type OneLoginApi } from "./oneloginApi.js";

/** Knobs tests may turn; the CLI uses the defaults. */
export interface OneLoginOptions {
  /** Time between push polls (default 1.25 s, as upstream). */
  pushIntervalMs?: number;
}

const PUSH_INTERVAL_MS = 1250;

/**
 * The OneLogin SAML client: every assertion is a fresh API sign-in (3 password attempts at most) plus MFA when the
 * user needs it. The URL's `app_id` names the AWS app; `token` carries the API credentials.
 */
export function oneloginSamlClient(s: IdpSettings, d: IdpDeps, o: OneLoginOptions = {}): SamlClient {
  const url = parseOneLoginUrl(s.url);
  const session = apiSession(url, d);
  return {
    vendor: "onelogin",
    async getAssertion(signal?: AbortSignal) {
      const appId = new URL(url.baseUrl).searchParams.get("app_id") ?? "";
      if (appId === "") {
        throw new RunasError(
          "INVALID_CONFIG",
          `missing app_id query parameter in the OneLogin URL for ${new URL(url.baseUrl).host}: add app_id=<id>, ` +
            "the last part of the AWS app's address on the OneLogin portal",
        );
      }
      const api = await session();
      const creds = await gatherCredentials(s, d.prompter);
      const answer = await withPasswordAttempts({
        ...creds,
        prompter: d.prompter,
        progress: d.progress,
        attempt: async (username, password) => {
          const a = await api.post(
            "api/2/saml_assertion",
            { app_id: appId, password, subdomain: url.subdomain, username_or_email: username },
            signal,
          );
          if (isBadPassword(a)) return "rejected";
          if (a.status !== 200) throw apiError("the SAML assertion request", a);
          return record(a.json);
        },
      });
      let assertion = text(answer.data);
      if (assertion === "" && Array.isArray(answer.devices) && answer.devices.length > 0) {
        assertion = await oneLoginMfa({
          api,
          challenge: challengeOf(answer),
          flow: "v2",
          appId,
          mfaType: s.mfaType,
          ...(s.mfaCode === undefined ? {} : { mfaCode: s.mfaCode }),
          deps: d,
          pushIntervalMs: o.pushIntervalMs ?? PUSH_INTERVAL_MS,
          ...(signal === undefined ? {} : { signal }),
        });
      }
      if (assertion === "") {
        throw new RunasError(
          "IDP_ERROR",
          `failed to obtain SAML assertion from OneLogin (${text(answer.message) || "no message"}); check app_id and that the user may use the app`,
        );
      }
      return parseSamlAssertion(assertion);
    },
  };
}

/**
 * The OneLogin OIDC client: the authorization request runs with the cookies of the session; when OneLogin answers
 * with its sign-in page instead of the redirect URI, the API login makes a session and the request is repeated once.
 */
export function oneloginOidcClient(s: IdpSettings, d: IdpDeps, o: OneLoginOptions = {}): OidcClient {
  const url = parseOneLoginUrl(s.url);
  const session = apiSession(url, d);
  return {
    vendor: "onelogin",
    async getIdToken(signal?: AbortSignal) {
      const { clientId, redirectUri } = oidcClient(s, "the OneLogin OIDC app");
      const req = buildAuthorizationRequest({ authorizeEndpoint: endpoint(url, "/auth"), clientId, redirectUri });
      const init: RequestInit = signal === undefined ? {} : { signal };
      const authorizeOnce = async (): Promise<URL | undefined> => {
        const end = await followRedirects({ fetch: d.fetch }, req.url, init, {
          stopAt: (u) => isRedirectUri(u, redirectUri),
        });
        if ("stoppedAt" in end) return end.stoppedAt;
        await end.response.body?.cancel().catch(() => undefined);
        // OneLogin shows its sign-in page (200) to a browser without a session; anything else is a refusal.
        if (end.response.status === 200) return undefined;
        throw new RunasError(
          "IDP_ERROR",
          `OneLogin refused the authorization request to ${req.url.host} (HTTP ${end.response.status}); ` +
            "check web_identity_client_id and web_identity_callback_uri against the OneLogin OIDC app",
        );
      };

      let redirect = await authorizeOnce();
      if (redirect === undefined) {
        d.logger.debug("onelogin: no OneLogin session, signing in through the API");
        await signIn(await session(), url, s, d, o, signal);
        redirect = await authorizeOnce();
      }
      if (redirect === undefined) {
        throw new RunasError(
          "IDP_AUTH",
          `OneLogin signed you in but the authorization request to ${req.url.host} did not redirect back; ` +
            "check web_identity_client_id and web_identity_callback_uri against the OneLogin OIDC app",
        );
      }
      const code = codeFromRedirect(redirect, req);
      const { idToken } = await exchangeCode({ fetch: d.fetch, tokenEndpoint: endpoint(url, "/token"), clientId, code, req });
      return parseIdToken(idToken);
    },
  };
}

/**
 * The API login (idp.md §5.2): password (3 attempts), MFA when required, then the session token is exchanged at
 * `/session_via_api_token` for the browser session cookies the authorize request needs.
 */
async function signIn(
  api: OneLoginApi,
  url: OneLoginUrl,
  s: IdpSettings,
  d: IdpDeps,
  o: OneLoginOptions,
  signal?: AbortSignal,
): Promise<void> {
  const creds = await gatherCredentials(s, d.prompter);
  const data = await withPasswordAttempts({
    ...creds,
    prompter: d.prompter,
    progress: d.progress,
    attempt: async (username, password) => {
      const a = await api.post(
        "api/1/login/auth",
        { password, subdomain: url.subdomain, username_or_email: username },
        signal,
      );
      if (isBadPassword(a)) return "rejected";
      if (a.status !== 200) throw apiError("the sign-in", a);
      const first = Array.isArray(record(a.json).data) ? (record(a.json).data as unknown[])[0] : undefined;
      if (typeof first !== "object" || first === null) {
        throw new RunasError("IDP_ERROR", "invalid authentication response received from OneLogin; run aws-runas again");
      }
      return record(first);
    },
  });

  let sessionToken = text(data.session_token);
  if ((Array.isArray(data.devices) && data.devices.length > 0) || text(data.status).toUpperCase() === "MFA_REQUIRED") {
    sessionToken = await oneLoginMfa({
      api,
      challenge: challengeOf(data),
      flow: "v1",
      mfaType: s.mfaType,
      ...(s.mfaCode === undefined ? {} : { mfaCode: s.mfaCode }),
      deps: d,
      pushIntervalMs: o.pushIntervalMs ?? PUSH_INTERVAL_MS,
      ...(signal === undefined ? {} : { signal }),
    });
  }
  if (sessionToken === "") {
    throw new RunasError("IDP_ERROR", "OneLogin accepted the sign-in but gave no session token; run aws-runas again");
  }

  const exchange = new URL("/session_via_api_token", url.baseUrl);
  const end = await followRedirects({ fetch: d.fetch }, exchange, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ session_token: sessionToken }).toString(),
    ...(signal === undefined ? {} : { signal }),
  });
  if ("stoppedAt" in end) return;
  await end.response.body?.cancel().catch(() => undefined);
  if (end.response.status !== 200) {
    throw new RunasError(
      "IDP_AUTH",
      `OneLogin refused the session token exchange (HTTP ${end.response.status}); run aws-runas again`,
    );
  }
}

/** The API, signed in with the access token on first use (no network I/O before a sign-in is needed, idp.md §13.4). */
function apiSession(url: OneLoginUrl, d: IdpDeps): () => Promise<OneLoginApi> {
  let api: Promise<OneLoginApi> | undefined;
  return () => {
    api ??= (async () => {
      const base = oneLoginApiBase(url.baseUrl);
      const token = await requestOneLoginAccessToken({
        fetch: d.fetch,
        apiBase: base,
        clientId: url.clientId,
        clientSecret: url.clientSecret,
      });
      return oneLoginApi({ fetch: d.fetch, base, authorization: token.authorization });
    })();
    // A failed attempt is not kept: the next call tries again.
    api.catch(() => (api = undefined));
    return api;
  };
}

/** The MFA challenge in a sign-in answer; a missing user is the error upstream names. */
function challengeOf(answer: Record<string, unknown>): OneLoginChallenge {
  const user = record(answer.user);
  const id = user.id;
  if (typeof id !== "number" && (typeof id !== "string" || id === "")) {
    throw new RunasError("IDP_ERROR", "invalid MFA response received from OneLogin (no user); run aws-runas again");
  }
  return { userId: id, stateToken: text(answer.state_token), callbackUrl: text(answer.callback_url) };
}

/** A password OneLogin rejected: 401, or its "Invalid user credentials" message. */
function isBadPassword(a: OneLoginAnswer): boolean {
  return a.status === 401 || /invalid user credentials/i.test(a.message);
}

function apiError(what: string, a: OneLoginAnswer): RunasError {
  return new RunasError("IDP_ERROR", `OneLogin refused ${what} (HTTP ${a.status}: ${a.message}); run aws-runas again`);
}

/** `<url path>/auth`, without the query or a doubled slash (idp.md §13.12). */
function endpoint(url: OneLoginUrl, suffix: string): string {
  const u = new URL(url.baseUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, "")}${suffix}`;
  u.search = "";
  u.hash = "";
  return u.href;
}
