import type { ResolvedProfile, SettingOrigin } from "../config/resolveProfile.js";
import { settingFor } from "../config/settings.js";
import type { SettingField } from "../config/settings.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import { displayIdpUrl } from "../config/storedPassword.js";
import type { Env } from "../ports.js";
import { info, warn } from "./finding.js";
import type { Finding } from "./finding.js";

/** Settings whose value is a secret: diagnose says where they come from, never what they are. */
const SECRET_FIELDS: ReadonlySet<SettingField> = new Set<SettingField>(["samlPassword", "webIdentityPassword", "mfaCode"]);

/** Names for the settings that have no config-file key (they come from variables or flags only). */
const NAME_WITHOUT_KEY: Partial<Record<SettingField, string>> = {
  samlPassword: "saml_password",
  webIdentityPassword: "web_identity_password",
  mfaCode: "MFA code",
};

/** The attribute's canonical config-file name (`saml_auth_entityid`), the name diagnose reports a value under. */
export function settingName(field: SettingField): string {
  return settingFor(field).ini[0] ?? NAME_WITHOUT_KEY[field] ?? field;
}

/**
 * Where a value was read, naming the exact spelling used (decisions.md "Seed": `diagnose` reports which spelling it
 * read): `saml_entity_id in [profile saml] of /home/u/.aws/config, line 4`, `the environment variable
 * SAML_ENTITYID`, `the flag --saml-entityid`.
 */
export function originText(field: SettingField, origin: SettingOrigin): string {
  switch (origin.kind) {
    case "file":
      return `${origin.key} in [${origin.section}] of ${origin.path}, line ${origin.line}`;
    case "env":
      return `the environment variable ${origin.name}`;
    case "flag": {
      const flag = settingFor(field).flag;
      return flag === undefined ? "the command line" : `the flag --${flag}`;
    }
  }
}

/** A value fit for output: URLs lose user info and query (OneLogin's `?token=` holds the client secret). */
function shownValue(field: SettingField, value: string | number): string {
  const type = settingFor(field).type;
  return type === "url" ? displayIdpUrl(String(value)) : String(value);
}

/**
 * One INFO line per set setting among `fields`, with its value (secrets: only that it is set) and the spelling and
 * place it was read from; plus a WARN for every other spelling of the same setting that is also set to a different
 * value and therefore ignored, which is the mistake two accepted spellings invite.
 */
export function settingFindings(
  profile: ResolvedProfile,
  fields: readonly SettingField[],
  ctx: { env: Env; files: SharedFiles },
): Finding[] {
  const found: Finding[] = [];
  for (const field of fields) {
    const value = profile.settings[field];
    const origin = profile.origins[field];
    if (value === undefined || origin === undefined) continue;
    const name = settingName(field);
    const shown = SECRET_FIELDS.has(field) ? `${name} is set` : `${name} = ${shownValue(field, value)}`;
    found.push(info(`${shown} (read from ${originText(field, origin)})`));
    found.push(...ignoredSpellings(field, origin, ctx));
  }
  return found;
}

/** Other spellings of `field`, set next to the one that was read, whose different value is ignored. */
function ignoredSpellings(field: SettingField, origin: SettingOrigin, ctx: { env: Env; files: SharedFiles }): Finding[] {
  const setting = settingFor(field);
  if (origin.kind === "env") {
    const used = ctx.env[origin.name] ?? "";
    return setting.env
      .filter((n) => n !== origin.name && (ctx.env[n] ?? "") !== "" && ctx.env[n] !== used)
      .map((n) =>
        warn(`${n} is also set, to a different value, and is ignored because ${origin.name} is read first; unset one of them`),
      );
  }
  if (origin.kind === "file") {
    const doc = [ctx.files.config, ctx.files.credentials].find((d) => d.path === origin.path);
    const used = new Map<string, { value: string; line: number }>();
    for (const section of doc?.sections ?? []) {
      if (section.header !== origin.section) continue;
      for (const e of section.entries) if (e.value !== "") used.set(e.key, { value: e.value, line: e.line });
    }
    const read = used.get(origin.key)?.value;
    return setting.ini
      .filter((k) => k !== origin.key && used.has(k) && used.get(k)?.value !== read)
      .map((k) =>
        warn(
          `[${origin.section}] of ${origin.path} has both ${origin.key} (line ${origin.line}) and ${k} ` +
            `(line ${used.get(k)?.line ?? 0}) with different values; ${origin.key} is used, so remove ${k}`,
        ),
      );
  }
  return [];
}
