import { RunasError } from "../domain/errors.js";
import { providerName, SAML_PROVIDER_NAMES, WEB_IDENTITY_PROVIDER_NAMES } from "../domain/providerNames.js";
import type { ResolvedProfile, SettingOrigin } from "./resolveProfile.js";
import { AUTH_BROWSER_CHOICES, isAuthBrowser } from "./authBrowser.js";
import { settingFor } from "./settings.js";
import type { SettingField } from "./settings.js";

/** `web_identity_flow` values of the generic OIDC provider. */
const WEB_IDENTITY_FLOWS = ["browser", "device"] as const;

/**
 * Throws RunasError("INVALID_CONFIG", ...) for configurations no credential flow can use (core.md §2.6, decisions.md
 * "Seed"), before any network call, naming the profile, the attribute, where it was set and what to write instead.
 */
export function validateProfile(p: ResolvedProfile): void {
  const s = p.settings;
  const who = p.name === "" ? `role ARN ${s.roleArn ?? ""}` : `profile '${p.name}'`;
  const fail = (message: string): RunasError => new RunasError("INVALID_CONFIG", `${who}: ${message}`);

  if (s.samlAuthUrl !== undefined && s.webIdentityAuthUrl !== undefined) {
    throw fail(
      `${describe(p, "samlAuthUrl")} and ${describe(p, "webIdentityAuthUrl")} are both set; ` +
        "keep only the one for your identity provider (SAML or OIDC)",
    );
  }
  if (s.webIdentityAuthUrl !== undefined) {
    const missing = (["webIdentityClientId", "webIdentityRedirectUri"] as const).filter((f) => s[f] === undefined);
    if (missing.length > 0) {
      const keys = missing.map(iniKey);
      throw fail(
        `${describe(p, "webIdentityAuthUrl")} is set but ${keys.join(" and ")} ${keys.length > 1 ? "are" : "is"} ` +
          `missing; add ${keys.map((k) => `${k} = …`).join(" and ")} to the profile`,
      );
    }
  }
  if (s.authBrowser !== undefined && !isAuthBrowser(s.authBrowser)) {
    throw fail(`${describe(p, "authBrowser")} is "${s.authBrowser}"; write ${AUTH_BROWSER_CHOICES}`);
  }
  // -R / RUNAS_PROVIDER set both provider fields: only the one of the profile's own kind must be valid.
  if (s.webIdentityAuthUrl !== undefined && s.webIdentityProvider !== undefined &&
    providerName(s.webIdentityProvider, WEB_IDENTITY_PROVIDER_NAMES) === undefined) {
    throw fail(
      `${describe(p, "webIdentityProvider")} is "${s.webIdentityProvider}", which is not a known OIDC provider; ` +
        `use one of ${WEB_IDENTITY_PROVIDER_NAMES.join(", ")}, or remove it to detect the provider from the URL`,
    );
  }
  if (s.webIdentityFlow !== undefined && !oneOf(s.webIdentityFlow, WEB_IDENTITY_FLOWS)) {
    throw fail(`${describe(p, "webIdentityFlow")} is not a sign-in flow; use ${WEB_IDENTITY_FLOWS.join(" or ")}`);
  }
  if (s.samlAuthUrl !== undefined && s.samlProvider !== undefined && providerName(s.samlProvider, SAML_PROVIDER_NAMES) === undefined) {
    throw fail(
      `${describe(p, "samlProvider")} is "${s.samlProvider}", which is not a known SAML provider; ` +
        `use one of ${SAML_PROVIDER_NAMES.join(", ").replace("browserne", "browserne (or browserNewExperience)")}, or remove it to detect the provider from the URL`,
    );
  }
}

function oneOf(value: string, names: readonly string[]): boolean {
  const lower = value.toLowerCase();
  return names.some((n) => n.toLowerCase() === lower);
}

function iniKey(field: SettingField): string {
  return settingFor(field).ini[0] ?? field;
}

/** The attribute and where it was set: `saml_provider (from SAML_PROVIDER)`, `(from --provider)`, `(<file>, line 3)`. */
function describe(p: ResolvedProfile, field: SettingField): string {
  const origin = p.origins[field];
  const where = origin === undefined ? "" : ` (${originText(origin, field)})`;
  return `${iniKey(field)}${where}`;
}

function originText(origin: SettingOrigin, field: SettingField): string {
  switch (origin.kind) {
    case "flag": {
      const flag = settingFor(field).flag;
      return flag === undefined ? "from the command line" : `from --${flag}`;
    }
    case "env":
      return `from ${origin.name}`;
    case "file":
      return `${origin.path}, line ${origin.line}`;
  }
}
