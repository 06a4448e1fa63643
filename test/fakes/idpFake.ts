/**
 * What every strict fake IdP offers a test, whatever its vendor: where its SAML and OIDC clients start, the OIDC client
 * it knows, the one Role value of its SAML assertions, and what it saw.
 */
import type { FakeServer } from "./fakeServer.js";

/** A running fake IdP. */
export interface IdpFake extends FakeServer {
  /** A saml_auth_url, as the vendor's documentation writes it. */
  readonly samlUrl: string;
  /** A web_identity_auth_url, as the vendor's documentation (or the seed) writes it. */
  readonly oidcUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** The role and SAML provider ARNs of the assertions' Role value (`role,principal`: AWS takes only one pair). */
  readonly role: string;
  readonly principal: string;
  /** Password sign-ins so far. */
  signIns(): number;
  /** "METHOD path" of every request, in order. */
  readonly requests: string[];
  /** What a client sent that the IdP would refuse: a correct client leaves this empty. */
  readonly violations: string[];
}

/** The options every fake IdP takes. */
export interface IdpFakeOptions {
  clientId?: string;
  redirectUri?: string;
  role?: string;
  principal?: string;
}

/**
 * The options with their defaults: the OIDC client `clientId` (`myClientId` unless the vendor has its own form) at
 * `app:/callback`, and the role `<vendor>Role` of the SAML provider `<vendor>` in account 123456789012.
 */
export function withFakeDefaults(o: IdpFakeOptions, vendor: string, clientId = "myClientId"): Required<IdpFakeOptions> {
  return {
    clientId: o.clientId ?? clientId,
    redirectUri: o.redirectUri ?? "app:/callback",
    role: o.role ?? `arn:aws:iam::123456789012:role/${vendor}Role`,
    principal: o.principal ?? `arn:aws:iam::123456789012:saml-provider/${vendor}`,
  };
}
