import type { IdToken, SamlAssertion } from "../idp/types.js";

/**
 * How the SAML and web-identity flows reach the identity provider. The CLI builds it from lazily loaded modules
 * (provider detection, sessions, cookies, the token cache), so nothing of it is loaded on a cache hit.
 */
export interface IdpAccess {
  /** A fresh SAML assertion (signing in as needed). */
  samlAssertion(): Promise<SamlAssertion>;
  /** An id token: the token file, else the token cache (skipped with forceRefresh), else a sign-in. */
  idToken(o: { forceRefresh: boolean }): Promise<IdToken>;
}
