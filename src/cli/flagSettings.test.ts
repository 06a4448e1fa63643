/**
 * Every setting-bound global flag, end to end: argv through parseCommandLine, then resolveProfile against a profile
 * file and environment that set different values, so the precedence flag > environment > profile section
 * (core.md §2.5) is proven for each flag and each field it sets.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseIni } from "../config/ini.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { ResolvedProfile, SettingOrigin } from "../config/resolveProfile.js";
import { settingFor } from "../config/settings.js";
import type { ProfileSettings, SettingField, SettingType } from "../config/settings.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import type { Env } from "../ports.js";
import { parseCommandLine } from "./argv.js";
import { GLOBAL_FLAGS } from "./flags.js";
import type { FlagDef } from "./flags.js";

/** One value per layer: raw text as typed, and the typed value resolveProfile returns for it. */
interface LayerValue {
  text: string;
  typed: string | number;
}

/** Distinct valid values per setting type for the file, environment and flag layers. */
const VALUES: Record<SettingType, Record<"file" | "env" | "flag", LayerValue>> = {
  duration: {
    file: { text: "30m", typed: 1800 },
    env: { text: "45m", typed: 2700 },
    flag: { text: "2h", typed: 7200 },
  },
  seconds: {
    file: { text: "1800", typed: 1800 },
    env: { text: "2700", typed: 2700 },
    flag: { text: "7200", typed: 7200 },
  },
  mfaType: {
    file: { text: "code", typed: "code" },
    env: { text: "push", typed: "push" },
    flag: { text: "NONE", typed: "none" },
  },
  url: {
    file: { text: "https://file.example.com/idp", typed: "https://file.example.com/idp" },
    env: { text: "https://env.example.com/idp", typed: "https://env.example.com/idp" },
    flag: { text: "http://flag.example.com:8080/idp", typed: "http://flag.example.com:8080/idp" },
  },
  string: {
    file: { text: "from-file", typed: "from-file" },
    env: { text: "from-env", typed: "from-env" },
    flag: { text: "from-flag", typed: "from-flag" },
  },
};

/** The flags under test: every global flag bound to at least one profile setting. */
const SETTING_FLAGS: readonly (FlagDef & { fields: readonly SettingField[] })[] = GLOBAL_FLAGS.flatMap((f) =>
  f.fields === undefined ? [] : [{ ...f, fields: f.fields }],
);

/** One value type per flag: every field a flag sets has the same type (-U/-P/-R set a SAML and an OIDC field). */
function flagType(flag: FlagDef & { fields: readonly SettingField[] }): SettingType {
  const types = new Set(flag.fields.map((field) => settingFor(field).type));
  assert.equal(types.size, 1, `--${flag.long} sets fields of different types`);
  const [type] = types;
  assert.ok(type !== undefined);
  return type;
}

/** `[profile p]` with the file value under the canonical ini key of every field that has one. */
function files(fields: readonly SettingField[], value: LayerValue): SharedFiles {
  const lines = ["[default]", "region = us-east-1", "", "[profile p]"];
  for (const field of fields) {
    const key = settingFor(field).ini[0];
    if (key !== undefined) lines.push(`${key} = ${value.text}`);
  }
  return {
    paths: { configPath: "config", credentialsPath: "credentials", cacheDir: "." },
    config: parseIni(`${lines.join("\n")}\n`, "config"),
    credentials: parseIni("", "credentials"),
  };
}

/** The environment variable that wins for a field: the first one listed in SETTINGS, set to the env value. */
function env(fields: readonly SettingField[], value: LayerValue): Env {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const name = settingFor(field).env[0];
    assert.ok(name !== undefined, `${field} has no environment variable`);
    out[name] = value.text;
  }
  return out;
}

/** The resolved value and origin of each field. */
function picked(resolved: ResolvedProfile, fields: readonly SettingField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, { value: resolved.settings[f], origin: resolved.origins[f] }]));
}

function expected(fields: readonly SettingField[], value: (f: SettingField) => string | number | undefined,
  origin: (f: SettingField) => SettingOrigin | undefined): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, { value: value(f), origin: origin(f) }]));
}

describe("setting-bound flags through parseCommandLine and resolveProfile", () => {
  it("covers every flag bound to a setting", () => {
    assert.deepEqual(SETTING_FLAGS.map((f) => `${f.long}:${f.fields.join(",")}`), [
      "duration:sessionTokenDuration",
      "role-duration:credentialsDuration",
      "otp:mfaCode",
      "mfa-serial:mfaSerial",
      "mfa-type:mfaType",
      "external-id:externalId",
      "jump-role:jumpRoleArn",
      "saml-url:samlAuthUrl",
      "saml-entityid:samlEntityId",
      "web-url:webIdentityAuthUrl",
      "web-redirect:webIdentityRedirectUri",
      "web-client:webIdentityClientId",
      "username:samlUsername,webIdentityUsername",
      "password:samlPassword,webIdentityPassword",
      "provider:samlProvider,webIdentityProvider",
    ]);
  });

  for (const flag of SETTING_FLAGS) {
    const type = flagType(flag);
    const values = VALUES[type];
    const fileDoc = files(flag.fields, values.file);
    const envVars = env(flag.fields, values.env);
    const inFile = (field: SettingField): boolean => settingFor(field).ini.length > 0;
    const fileOrigin = (field: SettingField): SettingOrigin | undefined => {
      const key = settingFor(field).ini[0];
      if (key === undefined) return undefined;
      const line = fileDoc.config.sections[1]?.entries.find((e) => e.key === key)?.line;
      assert.ok(line !== undefined);
      return { kind: "file", path: "config", section: "profile p", key, line };
    };
    const forms = [["long", `--${flag.long}`], ["short", `-${flag.short ?? ""}`]] as const;

    describe(`--${flag.long} / -${flag.short ?? ""} (${flag.fields.join(", ")})`, () => {
      for (const [form, name] of forms) {
        it(`the ${form} form beats the environment and the profile, with origin flag`, () => {
          assert.ok(flag.short !== undefined, `--${flag.long} has no short alias`);
          const cl = parseCommandLine([name, values.flag.text, "p"], envVars);
          assert.deepEqual(cl.positionals, ["p"]);
          assert.deepEqual(cl.warnings, []);
          const overrides: Partial<ProfileSettings> = Object.fromEntries(
            flag.fields.map((f) => [f, values.flag.typed]),
          );
          assert.deepEqual(cl.options.overrides, overrides);

          const resolved = resolveProfile("p", fileDoc, envVars, cl.options.overrides);
          assert.deepEqual(
            picked(resolved, flag.fields),
            expected(flag.fields, () => values.flag.typed, () => ({ kind: "flag" })),
          );
          assert.deepEqual(resolved.warnings, []);
        });
      }

      it("without the flag the environment beats the profile", () => {
        const cl = parseCommandLine(["p"], envVars);
        assert.deepEqual(cl.options.overrides, {});
        const resolved = resolveProfile("p", fileDoc, envVars, cl.options.overrides);
        assert.deepEqual(
          picked(resolved, flag.fields),
          expected(flag.fields, () => values.env.typed, (f) => ({ kind: "env", name: settingFor(f).env[0] ?? "" })),
        );
      });

      it("without the flag and the environment the profile section's value is used", () => {
        const cl = parseCommandLine(["p"], {});
        const resolved = resolveProfile("p", fileDoc, {}, cl.options.overrides);
        // The MFA code and the IdP passwords are never read from the config file (settings.ts `fromFile`).
        const fallback = (f: SettingField) => (inFile(f) ? values.file.typed : undefined);
        assert.deepEqual(picked(resolved, flag.fields), expected(flag.fields, fallback, fileOrigin));
      });
    });
  }
});
