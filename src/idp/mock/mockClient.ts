import { parseIdToken } from "../idToken.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import { RunasError } from "../../domain/errors.js";
import { followRedirects } from "../httpSession.js";
import type { FederatedSignIn, IdpDeps, IdpSettings, OidcClient, SamlClient } from "../types.js";

/** Upstream's canned SAMLResponse (idp.md §9.3): one role, paired with the `mock` SAML provider. */
const MOCK_SAML_RESPONSE = Buffer.from(">arn:aws:iam::123:role/role1,arn:aws:iam::123:saml-provider/mock<").toString(
  "base64",
);

/** The `mock` SAML provider: always signed in, no I/O, the canned role1 assertion (idp.md §9.3, §15 case 47). */
export function mockSamlClient(): SamlClient {
  return {
    vendor: "mock",
    getAssertion: async () => parseSamlAssertion(MOCK_SAML_RESPONSE),
  };
}

/** The `mock` OIDC provider: no I/O, an empty id token, as upstream's (idp.md §9.3). */
export function mockOidcClient(): OidcClient {
  return {
    vendor: "mock",
    getIdToken: async () => parseIdToken(""),
  };
}

/**
 * The `mock` provider as the IdP an Azure AD guest is federated to (idp.md §8.6's `/mock/auth`): always signed in, it
 * only opens the federation URL.
 */
export function mockFederatedSignIn(_s: IdpSettings, d: IdpDeps): FederatedSignIn {
  return {
    vendor: "mock",
    async signInAt(url: URL, signal?: AbortSignal) {
      const end = await followRedirects({ fetch: d.fetch }, url, signal === undefined ? {} : { signal });
      if ("stoppedAt" in end) throw new RunasError("IDP_ERROR", "the mock federation URL ended nowhere");
      return end;
    },
  };
}
