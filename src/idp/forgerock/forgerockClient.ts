/**
 * The `forgerock` provider (idp.md §7): ForgeRock AM signs in through its authentication REST API (authTree.ts) and
 * leaves its SSO cookie in the client's HTTP session; the persistent cookie jar keeps it, so later runs need no
 * password while the AM session lasts. SAML is AM's IdP-initiated `idpssoinit`, OIDC its OAuth 2.0 provider in the
 * realm, and an Azure AD guest federated to AM opens AM's WS-Federation URL with that session.
 */
import { RunasError } from "../../domain/errors.js";
import { authorize, buildAuthorizationRequest, codeFromRedirect, exchangeCode, isRedirectUri } from "../authorizationCode.js";
import { oidcClient } from "../clientConfig.js";
import { followRedirects } from "../httpSession.js";
import { parseIdToken } from "../idToken.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import { samlResponseFromHtml } from "../samlForm.js";
import type { FederatedSignIn, IdpDeps, IdpSettings, OidcClient, SamlClient } from "../types.js";
import { forgerockSignIn, type ForgerockOptions } from "./forgerockSignIn.js";
import { parseForgerockUrl } from "./realm.js";

export type { ForgerockOptions } from "./forgerockSignIn.js";

/**
 * The ForgeRock SAML client (idp.md §7.2): the realm's hosted IdP `saml-idp` started for the SP `s.entityId`
 * (AWS's by default). Without an AM session the page is AM's login UI; then it signs in once and asks again.
 */
export function forgerockSamlClient(s: IdpSettings, d: IdpDeps, o: ForgerockOptions = {}): SamlClient {
  const signIn = forgerockSignIn(s, d, o);
  return {
    vendor: "forgerock",
    async getAssertion(signal?: AbortSignal) {
      const am = parseForgerockUrl(s.url);
      const init = signal === undefined ? {} : { signal };
      const start = new URL(am.samlInitUrl(s.entityId));
      for (let signedIn = false; ; signedIn = true) {
        const end = await followRedirects({ fetch: d.fetch }, start, init);
        if ("stoppedAt" in end) throw new RunasError("IDP_ERROR", "the ForgeRock SAML sign-in ended nowhere; check saml_auth_url");
        const html = await end.response.text();
        if (end.response.status !== 200) {
          throw new RunasError(
            "IDP_ERROR",
            `SAML request error http status ${end.response.status} at ${end.url.origin}${end.url.pathname}; check that ` +
              `the realm ${am.realm} has the hosted IdP saml-idp and the SP ${start.searchParams.get("spEntityID") ?? ""}`,
          );
        }
        const saml = samlResponseFromHtml(html);
        if (saml !== undefined && saml !== "") return parseSamlAssertion(saml);
        if (signedIn) {
          throw new RunasError(
            "IDP_ERROR",
            `signed in to ForgeRock, but ${start.origin}${start.pathname} gave no SAMLResponse; check that the realm ` +
              `${am.realm} has the hosted IdP saml-idp and that AWS (${start.searchParams.get("spEntityID") ?? ""}) is ` +
              "one of its SPs",
          );
        }
        d.logger.debug("forgerock: no SAMLResponse without an AM session, signing in");
        await signIn(new URL(am.authenticateUrl), signal);
      }
    },
  };
}

/**
 * The ForgeRock OIDC client (idp.md §7.3, fixed per §13.6): authorization code with PKCE at the realm's
 * `/authorize`. Upstream never signed in and failed with a state mismatch without an AM session; here a redirect to
 * AM's login UI (`/XUI/…`, `/UI/Login…`) means "sign in first", once, then a new authorization request.
 */
export function forgerockOidcClient(s: IdpSettings, d: IdpDeps, o: ForgerockOptions = {}): OidcClient {
  const signIn = forgerockSignIn(s, d, o);
  return {
    vendor: "forgerock",
    async getIdToken(signal?: AbortSignal) {
      const { clientId, redirectUri } = oidcClient(s, "the ForgeRock OAuth 2.0 client");
      const am = parseForgerockUrl(s.url);
      for (let signedIn = false; ; signedIn = true) {
        const req = buildAuthorizationRequest({ authorizeEndpoint: am.authorizeUrl, clientId, redirectUri });
        const back = await authorize({ fetch: d.fetch, req, follow: false, ...(signal === undefined ? {} : { signal }) });
        if (!isRedirectUri(back, redirectUri)) {
          if (signedIn) {
            throw new RunasError(
              "IDP_AUTH",
              `signed in to ForgeRock, but ${req.url.host} still sends the sign-in to ${back.origin}${back.pathname}; ` +
                `check that the OAuth 2.0 client ${clientId} exists in the realm ${am.realm} and that ` +
                "web_identity_callback_uri is one of its redirect URIs",
            );
          }
          d.logger.debug(`forgerock: authorize redirected to ${back.pathname}, signing in`);
          await signIn(new URL(am.authenticateUrl), signal);
          continue;
        }
        const code = codeFromRedirect(back, req);
        const result = await exchangeCode({ fetch: d.fetch, tokenEndpoint: am.tokenUrl, clientId, code, req });
        return parseIdToken(result.idToken);
      }
    },
  };
}

/**
 * An Azure AD guest federated to ForgeRock (idp.md §8.2): signs in at the realm of `s.url` (the federation URL, e.g.
 * `…/WSFederationServlet/metaAlias/<realm>/<alias>`, with `s.username` already the federated one), then opens `url`
 * in the same session, following redirects, and returns the final page: the form that posts the result to Azure AD.
 */
export function forgerockFederatedSignIn(s: IdpSettings, d: IdpDeps, o: ForgerockOptions = {}): FederatedSignIn {
  const signIn = forgerockSignIn(s, d, o);
  return {
    vendor: "forgerock",
    async signInAt(url: URL, signal?: AbortSignal) {
      const am = parseForgerockUrl(s.url);
      await signIn(new URL(am.authenticateUrl), signal);
      const end = await followRedirects({ fetch: d.fetch }, url, signal === undefined ? {} : { signal });
      if ("stoppedAt" in end) throw new RunasError("IDP_ERROR", "the ForgeRock federation URL ended nowhere");
      if (end.response.status !== 200 || isLoginUi(end.url)) {
        await end.response.body?.cancel().catch(() => undefined);
        const answer = end.response.status !== 200 ? `http status ${end.response.status}` : "its login page";
        throw new RunasError(
          "IDP_ERROR",
          `signed in to ForgeRock, but ${end.url.origin}${end.url.pathname} answered the federated sign-in with ` +
            `${answer}; check that Azure AD is a WS-Federation SP of the realm ${am.realm}`,
        );
      }
      return end;
    },
  };
}

/** AM's login UI, where it sends a request that needs a session: XUI (AM 5–7) or the classic `/UI/Login`. */
function isLoginUi(url: URL): boolean {
  return /\/(XUI|UI\/Login)(\/|$)/.test(url.pathname);
}
