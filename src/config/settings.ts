/**
 * THE settings table: every profile attribute aws-runas understands, with its ini key(s), the environment
 * variables that override it, and the global CLI flag bound to it (core.md §1.2, §2.4; decisions.md "Seed").
 * Resolution (resolveProfile), the CLI's flag definitions, diagnose and the docs are all driven from here, so an
 * attribute is added in exactly one place.
 *
 * Precedence, lowest to highest: [default] < source_profile section < profile section < environment < CLI flag.
 */

/** How a raw text value becomes a typed one. */
export type SettingType =
  | "string"
  /** A duration, stored as whole seconds: Go syntax (`1h30m`) or a bare integer meaning seconds (decisions Q-06). */
  | "duration"
  /** An integer number of seconds (the AWS `duration_seconds` key). */
  | "seconds"
  /** `auto`, `none`, `code` or `push` (any case). */
  | "mfaType"
  /** An http(s) URL. */
  | "url";

export interface ProfileSettings {
  region?: string;
  roleArn?: string;
  sourceProfile?: string;
  externalId?: string;
  mfaSerial?: string;
  /** Never read from files: only `-o` / `MFA_CODE`. */
  mfaCode?: string;
  mfaType?: string;
  /** Seconds. */
  credentialsDuration?: number;
  /** Seconds. */
  durationSeconds?: number;
  /** Seconds. */
  sessionTokenDuration?: number;
  roleSessionName?: string;
  jumpRoleArn?: string;
  samlAuthUrl?: string;
  samlEntityId?: string;
  samlUsername?: string;
  samlProvider?: string;
  samlPassword?: string;
  webIdentityAuthUrl?: string;
  webIdentityUsername?: string;
  webIdentityProvider?: string;
  webIdentityClientId?: string;
  webIdentityRedirectUri?: string;
  webIdentityTokenFile?: string;
  webIdentityPassword?: string;
  /** `browser` (authorization code + PKCE, the default) or `device` (RFC 8628), for the generic OIDC provider. */
  webIdentityFlow?: string;
  federatedUsername?: string;
  authBrowser?: string;
  /** AWS standard: endpoint for every service of this profile (AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL beat it). */
  endpointUrl?: string;
  /** Standard AWS keys aws-runas reads to decide how to get a profile's base credentials. */
  credentialProcess?: string;
  ssoSession?: string;
  ssoStartUrl?: string;
}

export type SettingField = keyof ProfileSettings;

export interface Setting {
  field: SettingField;
  /** Config-file keys, canonical first; later ones are accepted spellings (the seed document's names). */
  ini: readonly string[];
  /**
   * Environment variables, highest priority first; the first one set to a non-empty value wins. The generic
   * RUNAS_* variables of the -U/-P/-R flags come first, as they override the specific ones upstream too.
   */
  env: readonly string[];
  /** Long name of the global flag that sets it, if any (see cli/flags.ts for the short alias). */
  flag?: string;
  type: SettingType;
  /** False for values that must never come from the config file (the MFA code). */
  fromFile?: boolean;
  /** One line for help and docs. */
  help: string;
}

export const SETTINGS: readonly Setting[] = [
  { field: "region", ini: ["region"], env: ["AWS_REGION", "AWS_DEFAULT_REGION"], type: "string",
    help: "AWS region for every AWS call; exported to commands as AWS_REGION and AWS_DEFAULT_REGION" },
  { field: "roleArn", ini: ["role_arn"], env: [], type: "string", help: "ARN of the role to assume" },
  { field: "sourceProfile", ini: ["source_profile"], env: [], type: "string",
    help: "profile whose credentials assume the role; its attributes are inherited" },
  { field: "externalId", ini: ["external_id"], env: ["EXTERNAL_ID"], flag: "external-id", type: "string",
    help: "ExternalId sent with AssumeRole" },
  { field: "mfaSerial", ini: ["mfa_serial"], env: ["MFA_SERIAL"], flag: "mfa-serial", type: "string",
    help: "ARN (or serial) of the MFA device for GetSessionToken / AssumeRole" },
  { field: "mfaCode", ini: [], env: ["MFA_CODE"], flag: "otp", type: "string", fromFile: false,
    help: "MFA code to use instead of prompting" },
  { field: "mfaType", ini: ["mfa_type"], env: ["MFA_TYPE"], flag: "mfa-type", type: "mfaType",
    help: "identity-provider MFA method: auto, none, code or push" },
  { field: "credentialsDuration", ini: ["credentials_duration"], env: ["CREDENTIALS_DURATION"], flag: "role-duration",
    type: "duration", help: "lifetime of role credentials (15m to 12h, default 1h)" },
  { field: "durationSeconds", ini: ["duration_seconds"], env: ["DURATION_SECONDS"], type: "seconds",
    help: "role credential lifetime in seconds, used when credentials_duration is not set" },
  { field: "sessionTokenDuration", ini: ["session_token_duration"], env: ["SESSION_TOKEN_DURATION"], flag: "duration",
    type: "duration", help: "lifetime of session-token credentials (15m to 36h, default 12h)" },
  { field: "roleSessionName", ini: ["role_session_name"], env: ["AWS_ROLE_SESSION_NAME"], type: "string",
    help: "RoleSessionName for AssumeRole (default: your IAM user name)" },
  { field: "jumpRoleArn", ini: ["jump_role_arn"], env: ["JUMP_ROLE_ARN"], flag: "jump-role", type: "string",
    help: "role assumed with SAML/OIDC credentials first, then used to assume role_arn" },
  { field: "samlAuthUrl", ini: ["saml_auth_url"], env: ["SAML_AUTH_URL"], flag: "saml-url", type: "url",
    help: "SAML identity provider URL; makes the profile a SAML profile" },
  { field: "samlEntityId", ini: ["saml_auth_entityid", "saml_entity_id"], env: ["SAML_ENTITY_ID", "SAML_ENTITYID"],
    flag: "saml-entityid", type: "string", help: "SAML entity id (browserne provider)" },
  { field: "samlUsername", ini: ["saml_username"], env: ["RUNAS_USERNAME", "SAML_USERNAME"], flag: "username",
    type: "string", help: "identity-provider user name (SAML)" },
  { field: "samlProvider", ini: ["saml_provider"], env: ["RUNAS_PROVIDER", "SAML_PROVIDER", "SAML_PROFILE"],
    flag: "provider", type: "string", help: "SAML provider type, skipping auto-detection" },
  { field: "samlPassword", ini: [], env: ["RUNAS_PASSWORD", "SAML_PASSWORD"], flag: "password", type: "string",
    fromFile: false, help: "identity-provider password (SAML); normally stored with `aws-runas password`" },
  { field: "webIdentityAuthUrl", ini: ["web_identity_auth_url"], env: ["WEB_AUTH_URL", "WEB_IDENTITY_AUTH_URL"],
    flag: "web-url", type: "url", help: "OIDC identity provider URL; makes the profile a web-identity profile" },
  { field: "webIdentityUsername", ini: ["web_identity_username"], env: ["RUNAS_USERNAME", "WEB_IDENTITY_USERNAME",
    "WEB_USERNAME"], flag: "username", type: "string", help: "identity-provider user name (OIDC)" },
  { field: "webIdentityProvider", ini: ["web_identity_provider"], env: ["RUNAS_PROVIDER", "WEB_IDENTITY_PROVIDER",
    "WEB_PROVIDER"], flag: "provider", type: "string",
    help: "OIDC provider type (forgerock, keycloak, azuread, okta, onelogin), skipping auto-detection" },
  { field: "webIdentityClientId", ini: ["web_identity_client_id"], env: ["WEB_CLIENT_ID", "WEB_IDENTITY_CLIENT_ID"],
    flag: "web-client", type: "string", help: "OIDC client id" },
  { field: "webIdentityRedirectUri", ini: ["web_identity_redirect_uri", "web_identity_callback_uri"],
    env: ["WEB_REDIRECT_URI", "WEB_IDENTITY_REDIRECT_URI"], flag: "web-redirect", type: "string",
    help: "OIDC redirect (callback) URI" },
  { field: "webIdentityTokenFile", ini: ["web_identity_token_file"], env: ["AWS_WEB_IDENTITY_TOKEN_FILE"],
    type: "string", help: "file holding an OIDC identity token to use instead of signing in" },
  { field: "webIdentityPassword", ini: [], env: ["RUNAS_PASSWORD", "WEB_PASSWORD", "WEB_IDENTITY_PASSWORD"],
    flag: "password", type: "string", fromFile: false,
    help: "identity-provider password (OIDC); normally stored with `aws-runas password`" },
  { field: "webIdentityFlow", ini: ["web_identity_flow"], env: ["WEB_IDENTITY_FLOW"], type: "string",
    help: "how the generic OIDC provider signs in: browser (the default) or device (for machines without a browser)" },
  { field: "federatedUsername", ini: ["federated_username"], env: ["FEDERATED_USERNAME"], type: "string",
    help: "user name at the external IdP for Azure AD guest users" },
  { field: "authBrowser", ini: ["auth_browser"], env: ["AUTH_BROWSER"], type: "string",
    help: "browser for the browser provider: chrome, msedge, or the full path of a Chromium-based browser" },
  { field: "endpointUrl", ini: ["endpoint_url"], env: [], type: "url",
    help: "AWS standard: endpoint URL for AWS calls (AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL take precedence)" },
  { field: "credentialProcess", ini: ["credential_process"], env: [], type: "string",
    help: "AWS standard: command printing base credentials (used for source profiles)" },
  { field: "ssoSession", ini: ["sso_session"], env: [], type: "string", help: "AWS standard: IAM Identity Center session" },
  { field: "ssoStartUrl", ini: ["sso_start_url"], env: [], type: "string", help: "AWS standard: IAM Identity Center URL" },
];

/** The row for a field. */
export function settingFor(field: SettingField): Setting {
  const s = SETTINGS.find((x) => x.field === field);
  if (s === undefined) throw new Error(`no setting ${field}`);
  return s;
}
