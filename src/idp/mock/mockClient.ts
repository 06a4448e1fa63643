import { parseIdToken } from "../idToken.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import type { OidcClient, SamlClient } from "../types.js";

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
