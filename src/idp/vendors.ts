/**
 * The registry of vendor clients: which vendor can sign in with SAML, which with OIDC. Vendor modules are imported
 * statically; this file itself is loaded only with the rest of the sign-in code, never on the cached path.
 */
import { RunasError } from "../domain/errors.js";
import { azureAdOidcClient, azureAdSamlClient } from "./azuread/azureAdClient.js";
import { browserneSamlClient } from "./browserne/browserneClient.js";
import { forgerockFederatedSignIn, forgerockOidcClient, forgerockSamlClient } from "./forgerock/forgerockClient.js";
import { keycloakFederatedSignIn, keycloakOidcClient, keycloakSamlClient } from "./keycloak/keycloakClient.js";
import { mockFederatedSignIn, mockOidcClient, mockSamlClient } from "./mock/mockClient.js";
import { genericOidcClient } from "./oidc/genericOidcClient.js";
import { oktaFederatedSignIn, oktaOidcClient, oktaSamlClient } from "./okta/oktaClient.js";
import { oneloginOidcClient, oneloginSamlClient } from "./onelogin/oneloginClient.js";
import type { FederatedSignIn, IdpDeps, IdpSettings, OidcClient, SamlClient, VendorName } from "./types.js";

/** How a vendor's clients are built; a vendor without a protocol simply has no factory for it. */
export interface VendorFactory {
  saml?(s: IdpSettings, d: IdpDeps): SamlClient;
  oidc?(s: IdpSettings, d: IdpDeps): OidcClient;
  /** The sign-in an Azure AD guest federated to this vendor goes through (idp.md §8.2). */
  federated?(s: IdpSettings, d: IdpDeps): FederatedSignIn;
}

/** Every vendor this version can sign in with, one entry per vendor. */
export const VENDORS: Partial<Record<VendorName, VendorFactory>> = {
  azuread: { saml: azureAdSamlClient, oidc: azureAdOidcClient },
  browser: { saml: lazyBrowserSamlClient },
  browserne: { saml: browserneSamlClient },
  forgerock: { saml: forgerockSamlClient, oidc: forgerockOidcClient, federated: forgerockFederatedSignIn },
  keycloak: { saml: keycloakSamlClient, oidc: keycloakOidcClient, federated: keycloakFederatedSignIn },
  mock: { saml: mockSamlClient, oidc: mockOidcClient, federated: mockFederatedSignIn },
  oidc: { oidc: genericOidcClient },
  okta: { saml: oktaSamlClient, oidc: oktaOidcClient, federated: oktaFederatedSignIn },
  onelogin: { saml: oneloginSamlClient, oidc: oneloginOidcClient },
};

/** The SAML client for a vendor, or RunasError("NOT_YET_AVAILABLE") when this version has none for it. */
export function samlClientFor(v: VendorName, s: IdpSettings, d: IdpDeps): SamlClient {
  const factory = VENDORS[v]?.saml;
  if (factory === undefined) throw notYet(v, "SAML");
  return factory(s, d);
}

/** The OIDC client for a vendor, or RunasError("NOT_YET_AVAILABLE") when this version has none for it. */
export function oidcClientFor(v: VendorName, s: IdpSettings, d: IdpDeps): OidcClient {
  const factory = VENDORS[v]?.oidc;
  if (factory === undefined) throw notYet(v, "OIDC");
  return factory(s, d);
}

function notYet(v: VendorName, protocol: "SAML" | "OIDC"): RunasError {
  return new RunasError(
    "NOT_YET_AVAILABLE",
    `${v} ${protocol} sign-in is not available in this version of aws-runas yet`,
  );
}

/**
 * The sign-in at the IdP an Azure AD guest is federated to (idp.md §8.2). Upstream could only use IdPs that leave a
 * cookie session; Okta works here too (see oktaFederatedSignIn).
 */
export function federatedSignInFor(v: VendorName, s: IdpSettings, d: IdpDeps): FederatedSignIn {
  const factory = VENDORS[v]?.federated;
  if (factory === undefined) {
    const able = Object.entries(VENDORS)
      .filter(([, f]) => f.federated !== undefined && f !== VENDORS.mock)
      .map(([name]) => name)
      .join(", ");
    throw new RunasError(
      "IDP_UNKNOWN",
      `this Azure AD guest account signs in at ${v}, which aws-runas cannot sign in to for a guest; it can for ${able}`,
    );
  }
  return factory(s, d);
}

/** The `browser` provider, loaded from its own bundle when the sign-in starts (src/lazy/browser.ts). */
function lazyBrowserSamlClient(s: IdpSettings, d: IdpDeps): SamlClient {
  return {
    vendor: "browser",
    async getAssertion(signal?: AbortSignal) {
      const { browserSamlClient } = await import("../lazy/browser.js");
      return browserSamlClient(s, d).getAssertion(signal);
    },
  };
}
