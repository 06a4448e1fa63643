/**
 * The contracts every identity-provider client meets (docs/architecture.md, idp.md §3). A vendor is only its own
 * wire protocol behind these interfaces; everything the vendors share (sessions, cookies, PKCE, prompts, MFA, SAML
 * parsing, token caching) lives beside this file. Nothing in idp/ calls STS.
 */
import type { Clock, Logger, Prompter } from "../ports.js";

/** Every provider name aws-runas knows (idp.md §2), plus `oidc`, the generic standards-based OpenID provider. */
export type VendorName = "okta" | "onelogin" | "keycloak" | "forgerock" | "azuread" | "browser" | "browserne" | "mock" | "oidc";

/** How the user wants MFA done (idp.md §3.3). */
export type MfaType = "auto" | "none" | "code" | "push";

/** One role the SAML assertion lets the user assume, with the SAML provider (principal) it is paired with. */
export interface RolePair {
  role: string;
  principal: string;
}

/** A SAMLResponse as received (base64) and what aws-runas reads from it (idp.md §10). */
export interface SamlAssertion {
  /** The base64 SAMLResponse exactly as the IdP sent it: what AssumeRoleWithSAML takes. */
  readonly base64: string;
  /** Role/principal pairs, in document order, duplicates removed (last wins). */
  roles(): RolePair[];
  /** The RoleSessionName attribute, if present and valid. */
  roleSessionName(): string | undefined;
  /** The SessionDuration attribute in seconds, if present. */
  sessionDuration(): number | undefined;
  /** When the assertion can no longer be used: IssueInstant + 4 minutes (idp.md §10.5); epoch when unknown. */
  expiresAt(): Date;
}

/** An OIDC id token (JWT) and its claims (idp.md §11.1). */
export interface IdToken {
  readonly jwt: string;
  /** The decoded payload, or {} when the token is not a decodable JWT. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** exp − 60 s, or undefined when the token carries no usable `exp` (then it is never served from a cache). */
  expiresAt(): Date | undefined;
}

/** What a sign-in needs, resolved from the profile, the environment and the flags. */
export interface IdpSettings {
  /** saml_auth_url or web_identity_auth_url, exactly as configured. */
  url: string;
  /** The provider name the user forced (already validated), or undefined for detection. */
  provider?: string;
  username?: string;
  /** Plain-text password (already de-obfuscated), or undefined to prompt. */
  password?: string;
  mfaType: MfaType;
  /** The code from -o / MFA_CODE, used for the first attempt. */
  mfaCode?: string;
  federatedUsername?: string;
  authBrowser?: string;
  /** SAML only. */
  entityId?: string;
  /** OIDC only. */
  clientId?: string;
  /** OIDC only: the registered redirect (callback) URI; loopback URIs are listened on, others captured. */
  redirectUri?: string;
  /** OIDC only: `browser` (authorization code + PKCE, the default) or `device` (RFC 8628). */
  flow?: "browser" | "device";
}

/** A fetch bound to one client's session: its own cookie jar, timeouts and redirect policy. */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** What a vendor client gets from outside. */
export interface IdpDeps {
  /** The client's HTTP session (cookies persisted in .aws_runas.cookies). Redirects are NOT followed automatically. */
  fetch: Fetch;
  prompter: Prompter;
  clock: Clock;
  logger: Logger;
  /** Progress for the person waiting ("waiting for push approval…"): stderr, never stdout. */
  progress(line: string): void;
  /** Opens a URL in the user's browser; resolves false when no browser could be started. */
  openBrowser(url: string): Promise<boolean>;
  /** The AWS config directory (where the caches live): the `browser` provider keeps its browser profile there. */
  configDir?: string;
  /** Where a provider that uses refresh tokens keeps them between runs (the generic OIDC provider). */
  refreshTokens?: RefreshTokenStore;
  /**
   * Azure AD guests (idp.md §8.2): the sign-in of the identity provider at `url` (Azure AD's FederationRedirectUrl,
   * its vendor detected from the host or a probe), sharing this client's HTTP session. `s` are the guest's settings,
   * with `federated_username` already put in place of the username.
   */
  federate?(url: URL, s: IdpSettings): Promise<FederatedSignIn>;
}

/**
 * A sign-in at the identity provider an Azure AD guest account is federated to (idp.md §8.2). `signInAt` signs in
 * (prompting and doing MFA as the vendor does), then opens `url` in the same HTTP session, following redirects, and
 * returns the final page: the form that posts the sign-in back to Azure AD.
 */
export interface FederatedSignIn {
  readonly vendor: VendorName;
  signInAt(url: URL, signal?: AbortSignal): Promise<{ response: Response; url: URL }>;
}

export interface SamlClient {
  readonly vendor: VendorName;
  getAssertion(signal?: AbortSignal): Promise<SamlAssertion>;
}

export interface OidcClient {
  readonly vendor: VendorName;
  getIdToken(signal?: AbortSignal): Promise<IdToken>;
}

/** Cookies of the IdP sessions, persisted across runs in .aws_runas.cookies (idp.md §3.5). */
export interface CookieStore {
  /** The Cookie header for a request to `url`, or undefined when no cookie applies. */
  header(url: URL): string | undefined;
  /** Records the Set-Cookie headers of a response from `url` (and persists them). */
  store(url: URL, setCookies: readonly string[]): Promise<void>;
}

/** Where the generic OIDC provider keeps a refresh token between runs (in the token cache, next to the id token). */
export interface RefreshTokenStore {
  get(): string | undefined;
  set(token: string | undefined): Promise<void>;
}
