/**
 * The `browser` provider, bundled on its own (dist/browser.cjs): its DevTools-protocol library is large and only a
 * browser sign-in needs it, not every SAML or OIDC sign-in.
 */
export { browserSamlClient } from "../idp/browser/browserClient.js";
