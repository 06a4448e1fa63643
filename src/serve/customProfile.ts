import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import { isHttpUrl } from "../config/httpUrl.js";
import { resolveProfile, type ResolvedProfile } from "../config/resolveProfile.js";
import type { ProfileSettings } from "../config/settings.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import { PASSWORD_KEY, type IdpKind } from "../config/storedPassword.js";
import type { CustomProfileForm } from "./contracts.js";

/**
 * Settings an ad-hoc profile keeps from the configuration it starts from (the active profile, else [default] with
 * the environment): where and how long, never who (role, IdP and source come from the form alone, so an IAM form
 * does not silently stay a SAML profile).
 */
const KEPT: readonly (keyof ProfileSettings)[] = [
  "region", "endpointUrl", "credentialsDuration", "durationSeconds", "sessionTokenDuration", "roleSessionName", "mfaType",
];
/** What a profile takes over from its source_profile for the role it assumes with the source's keys. */
const FROM_SOURCE: readonly (keyof ProfileSettings)[] = [...KEPT, "mfaSerial"];

/** The config-file keys PUT /profile/custom writes (core.md §9.5 "Form → config mapping"); any other key stays. */
export const CUSTOM_PROFILE_KEYS = [
  "role_arn", "source_profile", "external_id", "saml_auth_url", "saml_username", "web_identity_auth_url",
  "web_identity_username", "web_identity_client_id", "web_identity_redirect_uri", "jump_role_arn",
] as const;

type FormType = CustomProfileForm["adv-type"];

function field(form: CustomProfileForm, name: Exclude<keyof CustomProfileForm, "adv-type">): string | undefined {
  const v = form[name]?.trim();
  return v === undefined || v === "" ? undefined : v;
}

function formType(form: CustomProfileForm): FormType {
  const t = (form["adv-type"] as string | undefined) ?? "";
  if (t === "iam" || t === "saml" || t === "oidc") return t;
  // Upstream dropped the connection here (core.md §9.5).
  throw new RunasError("INVALID_VALUE", `unknown profile type "${t}": adv-type must be iam, saml or oidc`);
}

function authUrl(form: CustomProfileForm): string {
  const url = field(form, "auth-url");
  if (url === undefined || !isHttpUrl(url)) {
    throw new RunasError("INVALID_VALUE", "the Auth URL must be the http(s) address of the identity provider");
  }
  return url;
}

function pick(from: ProfileSettings, keys: readonly (keyof ProfileSettings)[]): ProfileSettings {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out as ProfileSettings;
}

/**
 * POST /profile/custom: the ad-hoc profile the Advanced form describes (core.md §9.5), nameless so its caches are
 * keyed `<account>-<role>`. It starts from `base` (the active profile), else from [default] and the environment, so
 * region and durations carry over. SAML and OIDC leave the provider to detection (QUIRK Q-22 fixed: upstream forced
 * the fake `mock` IdP). Throws RunasError for a form no flow can use (answered 400).
 */
export function customProfile(form: CustomProfileForm, o: { base?: ResolvedProfile; files: SharedFiles; env: Env }): ResolvedProfile {
  const type = formType(form);
  const roleArn = field(form, "role-arn");
  if (roleArn === undefined) throw new RunasError("INVALID_VALUE", "the Role ARN is needed: the role to assume");
  const base = o.base ?? resolveProfile("default", o.files, o.env, {});
  const settings: ProfileSettings = { ...pick(base.settings, KEPT), roleArn };
  settings.mfaType ??= "auto";
  const profile: ResolvedProfile = { name: "", settings, origins: {}, warnings: [] };
  const set = <K extends keyof ProfileSettings>(key: K, value: ProfileSettings[K] | undefined): void => {
    if (value !== undefined) settings[key] = value;
  };

  if (type === "iam") {
    set("externalId", field(form, "external-id"));
    const sourceName = field(form, "source-profile");
    if (sourceName !== undefined) {
      // Resolution errors (no such profile, a loop) name what to fix; they are the form's fault, answered 400.
      const source = resolveProfile(sourceName, o.files, o.env, {});
      Object.assign(settings, { ...pick(source.settings, FROM_SOURCE), ...settings });
      settings.sourceProfile = sourceName;
      profile.source = source;
    }
    return profile;
  }

  set("jumpRoleArn", field(form, "jump-role"));
  // A password is taken as typed: spaces may be part of it.
  const password = form.password === undefined || form.password === "" ? undefined : form.password;
  if (type === "saml") {
    set("samlAuthUrl", authUrl(form));
    set("samlUsername", field(form, "username"));
    set("samlPassword", password);
    return profile;
  }
  set("webIdentityAuthUrl", authUrl(form));
  set("webIdentityUsername", field(form, "username"));
  set("webIdentityClientId", field(form, "client-id"));
  set("webIdentityRedirectUri", field(form, "redirect-uri"));
  set("webIdentityPassword", password);
  return profile;
}

/** What PUT /profile/custom writes: the config section's keys, and the IdP password to store (if one was given). */
export interface SavedProfile {
  /** Every key of CUSTOM_PROFILE_KEYS: a value to write, or undefined to remove a key left from an earlier save. */
  values: Record<(typeof CUSTOM_PROFILE_KEYS)[number], string | undefined>;
  password?: { url: string; key: string; password: string };
}

/**
 * The form as `[profile <name>]` keys (core.md §9.5): every non-empty attribute, and role_arn always. The provider is
 * not written (Q-22 fixed). A SAML or OIDC password goes to the credentials file under the IdP URL, only when one was
 * given (QUIRK Q-21 fixed: upstream failed after saving the profile).
 */
export function savedProfile(form: CustomProfileForm): SavedProfile {
  const type = formType(form);
  const values: SavedProfile["values"] = {
    role_arn: field(form, "role-arn") ?? "",
    source_profile: undefined, external_id: undefined, saml_auth_url: undefined, saml_username: undefined,
    web_identity_auth_url: undefined, web_identity_username: undefined, web_identity_client_id: undefined,
    web_identity_redirect_uri: undefined, jump_role_arn: undefined,
  };
  if (type === "iam") {
    values.source_profile = field(form, "source-profile");
    values.external_id = field(form, "external-id");
    return { values };
  }
  const url = authUrl(form);
  values.jump_role_arn = field(form, "jump-role");
  let kind: IdpKind;
  if (type === "saml") {
    kind = "saml";
    values.saml_auth_url = url;
    values.saml_username = field(form, "username");
  } else {
    kind = "web";
    values.web_identity_auth_url = url;
    values.web_identity_username = field(form, "username");
    values.web_identity_client_id = field(form, "client-id");
    values.web_identity_redirect_uri = field(form, "redirect-uri");
  }
  const password = form.password ?? "";
  return password === "" ? { values } : { values, password: { url, key: PASSWORD_KEY[kind], password } };
}
