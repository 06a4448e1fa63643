/**
 * The registry of vendor clients: which vendor can sign in with SAML, which with OIDC. Vendor modules are imported
 * statically; this file itself is loaded only with the rest of the sign-in code, never on the cached path.
 */
import { RunasError } from "../domain/errors.js";
import { browserneSamlClient } from "./browserne/browserneClient.js";
import { mockOidcClient, mockSamlClient } from "./mock/mockClient.js";
import { genericOidcClient } from "./oidc/genericOidcClient.js";
import { oktaOidcClient, oktaSamlClient } from "./okta/oktaClient.js";
import { oneloginOidcClient, oneloginSamlClient } from "./onelogin/oneloginClient.js";
import type { IdpDeps, IdpSettings, OidcClient, SamlClient, VendorName } from "./types.js";

/** How a vendor's clients are built; a vendor without a protocol simply has no factory for it. */
export interface VendorFactory {
  saml?(s: IdpSettings, d: IdpDeps): SamlClient;
  oidc?(s: IdpSettings, d: IdpDeps): OidcClient;
}

/** Every vendor this version can sign in with, one entry per vendor. */
export const VENDORS: Partial<Record<VendorName, VendorFactory>> = {
  browserne: { saml: browserneSamlClient },
  mock: { saml: mockSamlClient, oidc: mockOidcClient },
  oidc: { oidc: genericOidcClient },
  okta: { saml: oktaSamlClient, oidc: oktaOidcClient },
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
