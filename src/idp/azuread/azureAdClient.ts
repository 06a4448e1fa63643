/**
 * The `azuread` provider (Azure AD / Entra ID, idp.md §8). SAML starts at the Enterprise App's My Apps URL, whose
 * page points the browser at Azure AD's SAML endpoint; OIDC is the authorization code flow with PKCE at the tenant's
 * v2.0 endpoints (tenant from the URL's path, as the seed writes it). Either way Azure AD answers with its sign-in
 * page when there is no session; the sign-in (signIn.ts) runs once, and its result is walked to the end: forms are
 * submitted as a browser would until a SAMLResponse or the redirect back to the client shows up. The ESTSAUTH
 * cookies it leaves in the persistent jar make later runs go through without a password.
 */
import { RunasError } from "../../domain/errors.js";
import { buildAuthorizationRequest, codeFromRedirect, exchangeCode, isRedirectUri } from "../authorizationCode.js";
import { oidcClient } from "../clientConfig.js";
import { parseIdToken } from "../idToken.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import { samlResponseFromHtml } from "../samlForm.js";
import type { IdpDeps, IdpSettings, OidcClient, SamlClient } from "../types.js";
import { type AadPage, aadPages, type AadPages, where } from "./aadPage.js";
import { readAutoSubmitForm } from "./autoSubmitForm.js";
import type { MfaTiming } from "./azureMfa.js";
import { samlRequestUrl } from "./myAppsPage.js";
import { failOn, signIn, submit } from "./signIn.js";
import { parseAzureAdUrl } from "./tenant.js";

/** Tuning for tests: push polling without waiting. */
export type AzureAdOptions = MfaTiming;

/** At most this many auto-submitted forms between the sign-in and its result. */
const MAX_FORMS = 5;
/** At most this many `window.location` hand-offs (My Apps to Azure AD's SAML endpoint). */
const MAX_HANDOFFS = 3;

/**
 * The Azure AD SAML client (idp.md §8.4, fixed): My Apps URL → the SAMLRequest URL in its page → Azure AD, which
 * answers with the SAMLResponse when signed in, else with its sign-in page. Never "no assertion and no error".
 */
export function azureAdSamlClient(s: IdpSettings, d: IdpDeps, o: AzureAdOptions = {}): SamlClient {
  return {
    vendor: "azuread",
    async getAssertion(signal?: AbortSignal) {
      // The tenant and app id must be in the URL (INVALID_CONFIG otherwise); the URL itself is opened as written.
      parseAzureAdUrl(s.url);
      const pages = aadPages(d, signal === undefined ? {} : { signal });
      const first = await pages.open(new URL(s.url));
      const saml = await walk(first, { s, d, pages, timing: o, ...(signal === undefined ? {} : { signal }) }, {
        done: (page) => {
          const value = samlResponseFromHtml(page.html);
          return value === undefined || value === "" ? undefined : value;
        },
        nothing: (page) =>
          new RunasError(
            "IDP_ERROR",
            `Azure AD gave no SAMLResponse: ${where(page.url)} answered HTTP ${page.status} with nothing to continue from; ` +
              "check that saml_auth_url is the Enterprise App's User access URL and that the app is assigned to you",
          ),
      });
      return parseSamlAssertion(saml);
    },
  };
}

/**
 * The Azure AD OIDC client (idp.md §8.5, fixed): authorize at the tenant named in the URL's path; Azure AD redirects
 * straight back with a code when signed in, else shows its sign-in page, after which the sign-in's answer is walked
 * until it redirects to the redirect URI; then the code is exchanged with the PKCE verifier.
 */
export function azureAdOidcClient(s: IdpSettings, d: IdpDeps, o: AzureAdOptions = {}): OidcClient {
  return {
    vendor: "azuread",
    async getIdToken(signal?: AbortSignal) {
      const { clientId, redirectUri } = oidcClient(s, "the Azure AD app registration");
      const tenant = parseAzureAdUrl(s.url);
      const req = buildAuthorizationRequest({ authorizeEndpoint: tenant.authorizeUrl, clientId, redirectUri });
      const pages = aadPages(d, {
        stopAt: (url) => isRedirectUri(url, redirectUri),
        ...(signal === undefined ? {} : { signal }),
      });
      // Not authorize(follow: false): without a session Azure AD answers 200 with its sign-in page, which is needed.
      const first = await pages.open(req.url);
      const back = await walk(first, { s, d, pages, timing: o, ...(signal === undefined ? {} : { signal }) }, {
        done: (page) => page.redirect,
        nothing: (page) =>
          new RunasError(
            "IDP_ERROR",
            `the sign-in at Azure AD did not come back to the redirect URI: ${where(page.url)} answered HTTP ${page.status} ` +
              "with nothing to continue from; check web_identity_client_id and web_identity_callback_uri against the app registration",
          ),
      });
      const code = codeFromRedirect(back, req);
      const { idToken } = await exchangeCode({ fetch: d.fetch, tokenEndpoint: tenant.tokenUrl, clientId, code, req });
      return parseIdToken(idToken);
    },
  };
}

/**
 * From `first` to the result `done` recognises: a sign-in page is signed in once, a My Apps hand-off is followed, a
 * form is submitted (5 at most); anything else is `nothing`'s error.
 */
async function walk<T>(
  first: AadPage,
  c: { s: IdpSettings; d: IdpDeps; pages: AadPages; timing: MfaTiming; signal?: AbortSignal },
  o: { done: (page: AadPage) => T | undefined; nothing: (page: AadPage) => RunasError },
): Promise<T> {
  let page = first;
  let signedIn = false;
  let forms = 0;
  let handoffs = 0;
  for (;;) {
    const result = o.done(page);
    if (result !== undefined) return result;
    if (page.redirect !== undefined) throw o.nothing(page);

    const config = page.config;
    if (config !== undefined) {
      failOn(config, c.s.username || "the account");
      if (signedIn) {
        throw new RunasError(
          "IDP_AUTH",
          `signed in to Azure AD, but it shows its sign-in page again at ${where(page.url)}; ` +
            "sign in at Azure AD in a browser to see what it wants",
        );
      }
      signedIn = true;
      page = await signIn(page, config, c);
      continue;
    }

    const handoff = samlRequestUrl(page.html);
    if (handoff !== undefined && handoffs < MAX_HANDOFFS) {
      handoffs++;
      c.d.logger.debug(`azuread: following the SAML request to ${where(handoff)}`);
      page = await c.pages.open(handoff);
      continue;
    }

    const form = readAutoSubmitForm(page.html, page.url);
    if (form === undefined) throw o.nothing(page);
    if (forms >= MAX_FORMS) {
      throw new RunasError(
        "IDP_ERROR",
        `gave up after ${MAX_FORMS} self-submitting forms, at ${where(page.url)}; sign in at Azure AD in a browser to see why`,
      );
    }
    forms++;
    c.d.logger.debug(`azuread: submitting the form to ${where(form.action)}`);
    page = await submit(c.pages, form);
  }
}
