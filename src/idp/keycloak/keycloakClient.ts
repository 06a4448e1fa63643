/**
 * The `keycloak` provider (idp.md §6): Keycloak's own browser pages, driven as a browser would. SAML is the
 * IdP-initiated SSO URL of the AWS client (`<base>/realms/<realm>/protocol/saml/clients/<name>`); OIDC is the
 * authorization-code flow at `<url>/protocol/openid-connect/auth` and `/token`, where `<url>` is the realm
 * (`https://<host>/auth/realms/<realm>` on older servers, without `/auth` on newer ones). Without a Keycloak
 * session both show the login form; the session cookies it sets are kept in the persistent cookie jar, so later runs
 * sign in no more while the session lasts.
 */
import { RunasError } from "../../domain/errors.js";
import { buildAuthorizationRequest, codeFromRedirect, exchangeCode, isRedirectUri } from "../authorizationCode.js";
import { configuredUrl, oidcClient } from "../clientConfig.js";
import { parseIdToken } from "../idToken.js";
import { joinPath } from "../okta/oktaClient.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import { samlResponseFromHtml } from "../samlForm.js";
import type { FederatedSignIn, IdpDeps, IdpSettings, OidcClient, SamlClient } from "../types.js";
import { signInWithForm } from "./formLogin.js";
import { loginFormOf } from "./loginForm.js";
import { type KeycloakPage, pageResponse, place, type Visit, visit } from "./pageVisit.js";

/** Knobs tests may turn; the CLI uses the defaults. */
export interface KeycloakOptions {
  /** Redirects followed per request (default 10). */
  maxRedirects?: number;
}

/**
 * The Keycloak SAML client: the AWS client's IdP-initiated SSO URL answers a signed-in browser with the SAMLResponse
 * form; without a session it shows the login form. At most one sign-in per assertion (upstream retried forever,
 * idp.md §13 item 1).
 */
export function keycloakSamlClient(s: IdpSettings, d: IdpDeps, o: KeycloakOptions = {}): SamlClient {
  return {
    vendor: "keycloak",
    async getAssertion(signal?: AbortSignal) {
      const url = configuredUrl(s.url, "saml_auth_url");
      const open = (): Promise<Visit> => visit(d, url, options(o, signal));
      const page = samlPage(await open());
      const first = samlResponseFromHtml(page.html);
      if (first !== undefined) return parseSamlAssertion(first);
      if (loginFormOf(page.html, page.url) === undefined) {
        throw new RunasError(
          "IDP_ERROR",
          `${place(page.url)} showed neither a SAMLResponse nor Keycloak's login form; check that saml_auth_url is ` +
            "<keycloak>/realms/<realm>/protocol/saml/clients/<IdP-initiated SSO URL name>",
        );
      }
      d.logger.debug("keycloak: no session, signing in with the login form");
      const result = await signInWithForm({ url, page, ...redirects(o) }, s, d, signal);
      // Keycloak answers the login POST with the SAMLResponse form itself; otherwise the URL is asked once more.
      const answered = result.kind === "page" ? samlResponseFromHtml(result.page.html) : undefined;
      if (answered !== undefined) return parseSamlAssertion(answered);
      const again = samlResponseFromHtml(samlPage(await open()).html);
      if (again !== undefined) return parseSamlAssertion(again);
      throw new RunasError(
        "IDP_ERROR",
        `signed in to Keycloak, but ${place(url)} gave no SAMLResponse; check that the AWS client has an ` +
          `"IdP-Initiated SSO URL name" and that saml_auth_url ends with it`,
      );
    },
  };
}

/**
 * The Keycloak OIDC client (idp.md §6.4): authorization code with PKCE. Keycloak redirects a signed-in browser
 * straight to the redirect URI; otherwise it shows the login form, and the login POST's 302 to the redirect URI
 * carries the code (success on the first run, unlike upstream).
 */
export function keycloakOidcClient(s: IdpSettings, d: IdpDeps, o: KeycloakOptions = {}): OidcClient {
  return {
    vendor: "keycloak",
    async getIdToken(signal?: AbortSignal) {
      const { clientId, redirectUri } = oidcClient(s, "the Keycloak client");
      const realm = configuredUrl(s.url, "web_identity_auth_url");
      const req = buildAuthorizationRequest({
        authorizeEndpoint: joinPath(realm, "/protocol/openid-connect/auth").href,
        clientId,
        redirectUri,
      });
      const stopAt = (u: URL): boolean => isRedirectUri(u, redirectUri);
      const open = (): Promise<Visit> => visit(d, req.url, { ...options(o, signal), stopAt });

      let back: URL;
      const first = await open();
      if (first.kind === "redirect") {
        back = first.url;
      } else {
        const page = first.page;
        if (page.status !== 200 || loginFormOf(page.html, page.url) === undefined) throw notRedirected(req.url, page);
        d.logger.debug("keycloak: no session, signing in with the login form");
        const result = await signInWithForm({ url: req.url, page, stopAt, ...redirects(o) }, s, d, signal);
        if (result.kind === "redirect") {
          back = result.url;
        } else {
          // Signed in without being sent back (a theme or an extra step in between): ask once more with the session.
          const again = await open();
          if (again.kind !== "redirect") {
            throw new RunasError(
              "IDP_AUTH",
              `signed in to Keycloak, but ${req.url.host} still does not send the sign-in back to the client; ` +
                "check web_identity_client_id and that web_identity_callback_uri is a valid redirect URI of the client",
            );
          }
          back = again.url;
        }
      }
      const code = codeFromRedirect(back, req);
      const tokens = await exchangeCode({
        fetch: d.fetch,
        tokenEndpoint: joinPath(realm, "/protocol/openid-connect/token").href,
        clientId,
        code,
        req,
      });
      return parseIdToken(tokens.idToken);
    },
  };
}

/**
 * The sign-in at Keycloak for an Azure AD guest account federated to it (idp.md §8.2): opens `url` (the realm's
 * WS-Federation or SAML endpoint Azure AD sent the browser to), signs in on the login form if Keycloak shows one, and
 * returns the page the signed-in browser ends on: the form that posts back to Azure AD. A browser already signed in
 * gets that page straight away.
 */
export function keycloakFederatedSignIn(s: IdpSettings, d: IdpDeps, o: KeycloakOptions = {}): FederatedSignIn {
  return {
    vendor: "keycloak",
    async signInAt(url: URL, signal?: AbortSignal) {
      const first = await visit(d, url, options(o, signal));
      if (first.kind === "redirect") throw new RunasError("IDP_ERROR", `unexpected redirect to ${place(first.url)}`);
      const page = first.page;
      if (page.status !== 200 || loginFormOf(page.html, page.url) === undefined) {
        return { response: pageResponse(page), url: page.url };
      }
      d.logger.debug("keycloak: no session, signing in with the login form");
      const result = await signInWithForm({ url, page, ...redirects(o) }, s, d, signal);
      if (result.kind === "redirect") throw new RunasError("IDP_ERROR", `unexpected redirect to ${place(result.url)}`);
      return { response: pageResponse(result.page), url: result.page.url };
    },
  };
}

/** The SAML URL's page; any status but 200 is upstream's `SAML request error`, with what to check. */
function samlPage(v: Visit): KeycloakPage {
  if (v.kind === "redirect") throw new RunasError("IDP_ERROR", `unexpected redirect to ${place(v.url)}`);
  const page = v.page;
  if (page.status !== 200) {
    throw new RunasError(
      "IDP_ERROR",
      `SAML request error http status ${page.status} at ${place(page.url)}; check that saml_auth_url is ` +
        "<keycloak>/realms/<realm>/protocol/saml/clients/<IdP-initiated SSO URL name>",
    );
  }
  return page;
}

/** The authorization request ended on a page that is not the login form (Keycloak's error page, for instance). */
function notRedirected(url: URL, page: KeycloakPage): RunasError {
  return new RunasError(
    "IDP_ERROR",
    `the authorization request to ${url.host} did not redirect back to the client (http status ${page.status}` +
      `${page.statusText === "" ? "" : ` ${page.statusText}`}); check web_identity_auth_url (…/realms/<realm>), ` +
      "web_identity_client_id and web_identity_callback_uri",
  );
}

function options(o: KeycloakOptions, signal: AbortSignal | undefined): { signal?: AbortSignal; maxRedirects?: number } {
  return { ...(signal === undefined ? {} : { signal }), ...redirects(o) };
}

function redirects(o: KeycloakOptions): { maxRedirects?: number } {
  return o.maxRedirects === undefined ? {} : { maxRedirects: o.maxRedirects };
}
