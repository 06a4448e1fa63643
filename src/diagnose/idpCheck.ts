import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { SettingField } from "../config/settings.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import { displayIdpUrl, PASSWORD_KEY } from "../config/storedPassword.js";
import type { IdpKind } from "../config/storedPassword.js";
import { providerName, SAML_PROVIDER_NAMES, WEB_IDENTITY_PROVIDER_NAMES } from "../domain/providerNames.js";
import type { Env } from "../ports.js";
import { error, info } from "./finding.js";
import type { Finding } from "./finding.js";
import { originText, settingFindings, settingName } from "./settingSource.js";
import { AUTH_BROWSER_CHOICES, isAuthBrowser } from "../config/authBrowser.js";

/** The identity provider a profile signs in with, if any: SAML wins when both URLs are set, as upstream (core.md §8). */
export function idpOf(profile: ResolvedProfile): { kind: IdpKind; url: string } | undefined {
  const { samlAuthUrl, webIdentityAuthUrl } = profile.settings;
  if (samlAuthUrl !== undefined) return { kind: "saml", url: samlAuthUrl };
  if (webIdentityAuthUrl !== undefined) return { kind: "web", url: webIdentityAuthUrl };
  return undefined;
}

/** The settings each kind of sign-in reads, in the order they are reported. */
const IDP_FIELDS: Readonly<Record<IdpKind, readonly SettingField[]>> = {
  saml: ["samlAuthUrl", "samlProvider", "samlEntityId", "samlUsername", "samlPassword", "mfaType", "jumpRoleArn",
    "authBrowser", "federatedUsername"],
  web: ["webIdentityAuthUrl", "webIdentityProvider", "webIdentityClientId", "webIdentityRedirectUri",
    "webIdentityUsername", "webIdentityPassword", "webIdentityTokenFile", "webIdentityFlow", "mfaType", "jumpRoleArn",
    "federatedUsername"],
};

const WEB_IDENTITY_FLOWS = ["browser", "device"];

/** The section a user edits for this profile. */
export function sectionOf(profile: ResolvedProfile): string {
  return profile.name === "" || profile.name === "default" ? "[default]" : `[profile ${profile.name}]`;
}

/**
 * The external-IdP part of the profile check (core.md §8 step 4) without the network: both URLs, role_arn, the OIDC
 * client id and redirect URI, the provider names and auth_browser the sign-in would reject, then every IdP setting
 * with the spelling and place it was read from (decisions.md "Seed"), and where the password will come from. Empty
 * for a profile without an IdP URL.
 */
export function idpSettingsFindings(profile: ResolvedProfile, ctx: { env: Env; files: SharedFiles }): Finding[] {
  const idp = idpOf(profile);
  if (idp === undefined) return [];
  const s = profile.settings;
  const section = sectionOf(profile);
  const found: Finding[] = [];
  const from = (field: SettingField): string => {
    const origin = profile.origins[field];
    return origin === undefined ? settingName(field) : `${settingName(field)} (read from ${originText(field, origin)})`;
  };

  if (s.samlAuthUrl !== undefined && s.webIdentityAuthUrl !== undefined) {
    found.push(
      error(
        `found SAML and Web Identity (OIDC) endpoint urls set, this is invalid: ${from("samlAuthUrl")} and ` +
          `${from("webIdentityAuthUrl")}; keep only the one of your identity provider (the SAML one is checked below)`,
      ),
    );
  }
  if (s.roleArn === undefined) {
    found.push(
      error(
        "role_arn is a required parameter when using external identity providers: add " +
          `role_arn = arn:aws:iam::<account>:role/<name> to ${section}`,
      ),
    );
  }
  if (idp.kind === "web") {
    const missing = (["webIdentityClientId", "webIdentityRedirectUri"] as const).filter((f) => s[f] === undefined);
    if (missing.length > 0) {
      found.push(
        error(
          "missing web_identity_client_id and/or web_identity_redirect_uri configuration: add " +
            `${missing.map((f) => `${settingName(f)} = …`).join(" and ")} to ${section}` +
            (missing.includes("webIdentityRedirectUri") ? " (web_identity_callback_uri is accepted too)" : ""),
        ),
      );
    }
  }
  found.push(...providerFindings(profile, idp.kind, from));

  found.push(...settingFindings(profile, IDP_FIELDS[idp.kind], ctx));
  found.push(...passwordSource(profile, idp, ctx.files));
  return found;
}

/** A forced provider, sign-in flow or browser the credential flows would refuse (config/validateProfile.ts). */
function providerFindings(profile: ResolvedProfile, kind: IdpKind, from: (f: SettingField) => string): Finding[] {
  const s = profile.settings;
  const found: Finding[] = [];
  const provider = kind === "saml" ? s.samlProvider : s.webIdentityProvider;
  const names: readonly string[] = kind === "saml" ? SAML_PROVIDER_NAMES : WEB_IDENTITY_PROVIDER_NAMES;
  if (provider !== undefined && providerName(provider, names) === undefined) {
    found.push(
      error(
        `${from(kind === "saml" ? "samlProvider" : "webIdentityProvider")} is "${provider}", which is not a known ` +
          `${kind === "saml" ? "SAML" : "OIDC"} provider; use one of ${names.join(", ")}, or remove it to detect the ` +
          "provider from the URL",
      ),
    );
  }
  if (s.authBrowser !== undefined && !isAuthBrowser(s.authBrowser)) {
    found.push(error(`${from("authBrowser")} is "${s.authBrowser}"; write ${AUTH_BROWSER_CHOICES}`));
  }
  if (kind === "web" && s.webIdentityFlow !== undefined && !WEB_IDENTITY_FLOWS.includes(s.webIdentityFlow.toLowerCase())) {
    found.push(error(`${from("webIdentityFlow")} is "${s.webIdentityFlow}"; use browser or device`));
  }
  return found;
}

/** Where the IdP password will come from when none was given (core.md §3.10): the credentials file, else a prompt. */
function passwordSource(profile: ResolvedProfile, idp: { kind: IdpKind; url: string }, files: SharedFiles): Finding[] {
  const given = idp.kind === "saml" ? profile.settings.samlPassword : profile.settings.webIdentityPassword;
  if (given !== undefined) return [];
  const key = PASSWORD_KEY[idp.kind];
  const stored = files.credentials.sections.some(
    (section) => section.header === idp.url && section.entries.some((e) => e.key === key && e.value !== ""),
  );
  const url = displayIdpUrl(idp.url);
  const path = files.paths.credentialsPath;
  if (stored) return [info(`a ${key} for ${url} is stored in ${path}`)];
  const name = profile.name === "" ? "default" : profile.name;
  return [
    info(
      `no ${key} for ${url} is stored in ${path}; aws-runas asks for it when the identity provider needs one ` +
        `(store it with: aws-runas password ${name})`,
    ),
  ];
}
