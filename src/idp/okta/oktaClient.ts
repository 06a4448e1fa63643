/**
 * The `okta` provider (idp.md §4): a password sign-in at the classic authentication API, MFA by Okta Verify push, a
 * code or Duo, and then the AWS app's embed link (SAML) or the authorization server (OIDC, `<url>/v1/authorize` and
 * `<url>/v1/token`). The session token Okta hands out is spent on the next request, which makes Okta set its session
 * cookie; the persistent cookie jar keeps that, so later runs need no password while the Okta session lasts.
 */
import { RunasError } from "../../domain/errors.js";
import { authorize, buildAuthorizationRequest, codeFromRedirect, exchangeCode, isRedirectUri } from "../authorizationCode.js";
import { configuredUrl, oidcClient } from "../clientConfig.js";
import { followRedirects } from "../httpSession.js";
import { parseIdToken } from "../idToken.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import { samlResponseFromHtml } from "../samlForm.js";
import { gatherCredentials, withPasswordAttempts } from "../signInPrompts.js";
import type { FederatedSignIn, IdpDeps, IdpSettings, OidcClient, SamlClient } from "../types.js";
import { type AuthnTransaction, authnEndpoint, isOktaFailure, oktaFailureError, postAuthn } from "./authn.js";
import { verifyDuo } from "./duo.js";
import { type PushTiming, selectFactor, unfinished, verifyFactor } from "./factors.js";

/** Tuning for tests: how long to wait between polls of a push. */
export type OktaOptions = PushTiming;

/** The Okta SAML client: the assertion from the app embed link, signing in when Okta asks for it (idp.md §4.5). */
export function oktaSamlClient(s: IdpSettings, d: IdpDeps, o: OktaOptions = {}): SamlClient {
  const signIn = oktaSignIn(s, d, o);
  return {
    vendor: "okta",
    async getAssertion(signal?: AbortSignal) {
      const app = configuredUrl(s.url, "saml_auth_url");
      for (let signedIn = false; ; signedIn = true) {
        const url = new URL(app);
        const token = signIn.takeSessionToken();
        if (token !== undefined) url.searchParams.set("sessionToken", token);
        const end = await followRedirects({ fetch: d.fetch }, url, signal === undefined ? {} : { signal });
        if ("stoppedAt" in end) throw new RunasError("IDP_ERROR", "the Okta app link ended nowhere; check saml_auth_url");
        const html = await end.response.text();
        if (end.response.status !== 200) {
          throw new RunasError(
            "IDP_ERROR",
            `SAML request error http status ${end.response.status} at ${end.url.origin}${end.url.pathname}; ` +
              "check that saml_auth_url is the AWS app's embed link",
          );
        }
        const saml = samlResponseFromHtml(html);
        if (saml !== undefined && saml !== "") return parseSamlAssertion(saml);
        if (signedIn) {
          throw new RunasError(
            "IDP_ERROR",
            `signed in to Okta, but ${app.origin}${app.pathname} gave no SAMLResponse; check that saml_auth_url is the ` +
              "AWS app's embed link (…/home/amazon_aws/…) and that the app is assigned to you",
          );
        }
        d.logger.debug("okta: no SAMLResponse without a session, signing in");
        await signIn.run(signal);
      }
    },
  };
}

/**
 * The Okta OIDC client (idp.md §4.6): authorization code with PKCE at `<url>/v1/authorize`, carrying the session
 * token when one is held; a redirect to Okta's login page means "sign in first", once.
 */
export function oktaOidcClient(s: IdpSettings, d: IdpDeps, o: OktaOptions = {}): OidcClient {
  const signIn = oktaSignIn(s, d, o);
  return {
    vendor: "okta",
    async getIdToken(signal?: AbortSignal) {
      const { clientId, redirectUri } = oidcClient(s, "the Okta OIDC app");
      const base = configuredUrl(s.url, "web_identity_auth_url");
      for (let signedIn = false; ; signedIn = true) {
        const token = signIn.takeSessionToken();
        const req = buildAuthorizationRequest({
          authorizeEndpoint: joinPath(base, "/v1/authorize").href,
          clientId,
          redirectUri,
          ...(token === undefined ? {} : { extra: { sessionToken: token } }),
        });
        const back = await authorize({ fetch: d.fetch, req, follow: false, ...(signal === undefined ? {} : { signal }) });
        if (!isRedirectUri(back, redirectUri)) {
          if (signedIn) {
            throw new RunasError(
              "IDP_AUTH",
              `signed in to Okta, but ${base.host} still sends the sign-in to ${back.origin}${back.pathname}; check that ` +
                "the OIDC app is assigned to you and that web_identity_callback_uri is registered for it",
            );
          }
          d.logger.debug(`okta: authorize redirected to ${back.pathname}, signing in`);
          await signIn.run(signal);
          continue;
        }
        const code = codeFromRedirect(back, req);
        const result = await exchangeCode({ fetch: d.fetch, tokenEndpoint: joinPath(base, "/v1/token").href, clientId, code, req });
        return parseIdToken(result.idToken);
      }
    },
  };
}

/**
 * Okta as the IdP an Azure AD guest is federated to (idp.md §8.2). Upstream could not do this: Okta's sign-in leaves
 * only a one-time session token, no cookie (§13.7). Okta's `sessionCookieRedirect` spends the token, sets the session
 * cookie and redirects on to the federation URL, whose page then posts the sign-in back to Azure AD. When the cookie
 * jar already holds an Okta session, the federation URL answers without a sign-in.
 */
export function oktaFederatedSignIn(s: IdpSettings, d: IdpDeps, o: OktaOptions = {}): FederatedSignIn {
  const signIn = oktaSignIn(s, d, o);
  const open = async (url: URL, signal?: AbortSignal): Promise<{ response: Response; url: URL }> => {
    const end = await followRedirects({ fetch: d.fetch }, url, signal === undefined ? {} : { signal });
    if ("stoppedAt" in end) throw new RunasError("IDP_ERROR", `the Okta federation URL at ${url.host} ended nowhere`);
    return end;
  };
  return {
    vendor: "okta",
    async signInAt(url: URL, signal?: AbortSignal) {
      const first = await open(url, signal);
      if (!isOktaLoginPage(first.url)) return first;
      await first.response.body?.cancel().catch(() => undefined);
      d.logger.debug("okta: the federation URL wants a sign-in");
      await signIn.run(signal);
      const token = signIn.takeSessionToken() ?? "";
      const redirect = new URL("/login/sessionCookieRedirect", url.origin);
      redirect.search = new URLSearchParams({ token, redirectUrl: url.href }).toString();
      const end = await open(redirect, signal);
      if (isOktaLoginPage(end.url)) {
        throw new RunasError(
          "IDP_AUTH",
          `signed in to Okta, but ${url.host} still asks for a sign-in at the federation URL; check that the Azure AD ` +
            "federation app is assigned to you in Okta",
        );
      }
      return end;
    },
  };
}

/** Okta's sign-in page, where a request without a session ends up. */
function isOktaLoginPage(url: URL): boolean {
  return url.pathname === "/login/login.htm" || url.pathname.startsWith("/signin") || url.pathname === "/login/default";
}

/** One client's Okta sign-in and the session token it leaves, to be spent on the next request. */
interface OktaSignIn {
  run(signal?: AbortSignal): Promise<void>;
  /** The session token of the last sign-in, once: Okta accepts each one a single time. */
  takeSessionToken(): string | undefined;
}

/**
 * The sign-in of idp.md §4.1: username and password (3 attempts), then MFA when Okta wants it. Only a SUCCESS with
 * a session token counts; every other ending is one RunasError line.
 */
function oktaSignIn(s: IdpSettings, d: IdpDeps, o: OktaOptions): OktaSignIn {
  let sessionToken: string | undefined;
  return {
    takeSessionToken() {
      const t = sessionToken;
      sessionToken = undefined;
      return t;
    },
    async run(signal?: AbortSignal) {
      const endpoint = authnEndpoint(s.url);
      const given = await gatherCredentials(s, d.prompter);
      const first = await withPasswordAttempts({
        ...given,
        prompter: d.prompter,
        progress: d.progress,
        attempt: async (username, password) => {
          d.logger.debug(`okta: POST ${endpoint.pathname}`);
          const r = await postAuthn(d.fetch, endpoint, { username, password }, signal);
          if (!isOktaFailure(r)) return { username, r };
          if (r.status === 401) return "rejected";
          throw oktaFailureError(`the sign-in of ${username}`, r);
        },
      });
      const done = await afterPassword(first.r, first.username);
      if (done.status !== "SUCCESS" || done.sessionToken === "") throw unfinished(done.status);
      sessionToken = done.sessionToken;
      d.logger.debug(`okta: signed in as ${first.username}`);
    },
  };

  async function afterPassword(r: AuthnTransaction, username: string): Promise<AuthnTransaction> {
    if (r.status === "SUCCESS") return r;
    if (r.status !== "MFA_REQUIRED") throw unfinished(r.status);
    if (s.mfaType === "none") {
      throw new RunasError(
        "IDP_MFA",
        `Okta requires MFA for ${username}, but mfa_type is none; set mfa_type to auto, code or push`,
      );
    }
    const factor = selectFactor(r.factors, s.mfaType, username);
    if (factor.provider.toLowerCase() === "duo") return verifyDuo(factor, r.stateToken, s, d, o);
    return verifyFactor(factor, r.stateToken, s, d, o);
  }
}

/**
 * `base` with `suffix` appended to its path: no doubled or missing slash, and its query kept apart (upstream's
 * string concatenation broke both, idp.md §13 item 12).
 */
export function joinPath(base: URL, suffix: string): URL {
  const url = new URL(base.href);
  url.hash = "";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${suffix.replace(/^\/+/, "")}`;
  return url;
}
