import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import type { ErrorCode } from "../domain/errors.js";
import type { Env } from "../ports.js";
import { isArnProfile, resolveProfile } from "./resolveProfile.js";
import type { ResolvedProfile, SettingOrigin } from "./resolveProfile.js";
import { SETTINGS } from "./settings.js";
import type { ProfileSettings, Setting, SettingField } from "./settings.js";
import { loadSharedFiles } from "./sharedFiles.js";
import type { SharedFiles } from "./sharedFiles.js";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes both files into a fresh temp directory and loads them as the CLI does. */
function load(config: string, credentials = ""): SharedFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
  dirs.push(dir);
  const paths = {
    configPath: path.join(dir, "config"),
    credentialsPath: path.join(dir, "credentials"),
    cacheDir: dir,
  };
  fs.writeFileSync(paths.configPath, config);
  fs.writeFileSync(paths.credentialsPath, credentials);
  return loadSharedFiles(paths);
}

function inConfig(f: SharedFiles, section: string, key: string, line: number): SettingOrigin {
  return { kind: "file", path: f.paths.configPath, section, key, line };
}

function inCredentials(f: SharedFiles, section: string, key: string, line: number): SettingOrigin {
  return { kind: "file", path: f.paths.credentialsPath, section, key, line };
}

/** A section holding long-term keys. */
function keys(header: string, id: string, secret: string, token?: string): string {
  const lines = [`[${header}]`, `aws_access_key_id = ${id}`, `aws_secret_access_key = ${secret}`];
  if (token !== undefined) lines.push(`aws_session_token = ${token}`);
  return `${lines.join("\n")}\n`;
}

/** What resolveProfile returns when nothing sets mfa_type. */
function withAuto(settings: ProfileSettings): ProfileSettings {
  return { mfaType: "auto", ...settings };
}

function throwsRunas(fn: () => unknown, code: ErrorCode, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RunasError, `expected a RunasError, got ${String(e)}`);
    assert.deepEqual({ code: e.code, message: e.message }, { code, message });
    return true;
  });
}

type Level = "default" | "source" | "profile" | "env" | "flag";

/** A value of the row's type, distinct per level; `text` is what a file or variable holds, `typed` what it means. */
function sample(setting: Setting, level: Level): { text: string; typed: string | number } {
  const n = ["default", "source", "profile", "env", "flag"].indexOf(level) + 1;
  switch (setting.type) {
    case "string":
      return { text: `${level}-${setting.field}`, typed: `${level}-${setting.field}` };
    case "duration":
      // Go syntax for files, a bare number of seconds for the environment.
      return level === "env" ? { text: String(n * 3600), typed: n * 3600 } : { text: `${n}h`, typed: n * 3600 };
    case "seconds":
      return level === "source" ? { text: "0x386", typed: 902 } : { text: String(900 + n), typed: 900 + n };
    case "mfaType": {
      // Each level differs from the one below it, so every step of the precedence chain is visible.
      const values = ["code", "PUSH", "none", "Code", "push"];
      const text = values[n - 1] ?? "auto";
      return { text, typed: text.toLowerCase() };
    }
    case "url": {
      const url = `https://${level}.example.com/${setting.field}`;
      return { text: url, typed: url };
    }
  }
}

/** Rows that can come from a file; source_profile has its own cases below, since it names the source section. */
const FILE_ROWS = SETTINGS.filter((s) => s.fromFile !== false && s.ini.length > 0 && s.field !== "sourceProfile");
/** Keys that describe how a source gets its own credentials: a profile does not inherit them from its source. */
const NOT_INHERITED = new Set<SettingField>(["credentialProcess", "ssoSession", "ssoStartUrl"]);

function settingsOf(field: SettingField, value: string | number): ProfileSettings {
  return withAuto({ [field]: value });
}

describe("resolveProfile: every SETTINGS row", () => {
  for (const setting of FILE_ROWS) {
    const key = setting.ini[0] ?? "";
    const { field } = setting;

    describe(`${field} (${key})`, () => {
      it("comes from the profile section", () => {
        const v = sample(setting, "profile");
        const f = load(`[profile p]\n${key} = ${v.text}\n`);
        const p = resolveProfile("p", f, {}, {});
        assert.deepEqual(p.settings, settingsOf(field, v.typed));
        assert.deepEqual(p.origins, { [field]: inConfig(f, "profile p", key, 2) });
        assert.deepEqual(p.warnings, []);
      });

      it("is inherited from [default]", () => {
        const v = sample(setting, "default");
        const f = load(`[default]\n${key} = ${v.text}\n[profile p]\n`);
        const p = resolveProfile("p", f, {}, {});
        assert.deepEqual(p.settings, settingsOf(field, v.typed));
        assert.deepEqual(p.origins, { [field]: inConfig(f, "default", key, 2) });
      });

      const inherited = !NOT_INHERITED.has(field);
      it(inherited ? "is inherited from the source_profile section" : "is not inherited from the source section", () => {
        const v = sample(setting, "source");
        const f = load(`[profile p]\nsource_profile = s\n[profile s]\n${key} = ${v.text}\n`);
        const p = resolveProfile("p", f, {}, {});
        const sourceOrigin = inConfig(f, "profile p", "source_profile", 2);
        const valueOrigin = inConfig(f, "profile s", key, 4);
        assert.deepEqual(
          p.settings,
          withAuto(inherited ? { sourceProfile: "s", [field]: v.typed } : { sourceProfile: "s" }),
        );
        assert.deepEqual(
          p.origins,
          inherited ? { sourceProfile: sourceOrigin, [field]: valueOrigin } : { sourceProfile: sourceOrigin },
        );
        // The source itself always has it.
        assert.deepEqual(p.source?.settings, settingsOf(field, v.typed));
        assert.deepEqual(p.source?.origins, { [field]: valueOrigin });
      });

      it("comes from the overrides (flags)", () => {
        const v = sample(setting, "flag");
        const f = load("[profile p]\n");
        const p = resolveProfile("p", f, {}, { [field]: v.typed });
        assert.deepEqual(p.settings, settingsOf(field, v.typed));
        assert.deepEqual(p.origins, { [field]: { kind: "flag" } });
      });

      it("follows flag > env > profile > source > [default]", () => {
        const active = new Set<Level>();
        const check = (winner: Level): void => {
          const text = (level: Level): string =>
            active.has(level) ? `${key} = ${sample(setting, level).text}` : "# not set at this level";
          const f = load(
            [
              "[default]",
              text("default"),
              "[profile p]",
              "source_profile = s",
              text("profile"),
              "[profile s]",
              text("source"),
            ].join("\n"),
          );
          const envName = setting.env[0];
          const env: Env = active.has("env") && envName !== undefined ? { [envName]: sample(setting, "env").text } : {};
          const overrides = active.has("flag") ? { [field]: sample(setting, "flag").typed } : {};
          const p = resolveProfile("p", f, env, overrides);
          const origins: Record<Level, SettingOrigin> = {
            default: inConfig(f, "default", key, 2),
            source: inConfig(f, "profile s", key, 7),
            profile: inConfig(f, "profile p", key, 5),
            env: { kind: "env", name: setting.env[0] ?? "" },
            flag: { kind: "flag" },
          };
          assert.deepEqual(
            { value: p.settings[field], origin: p.origins[field] },
            { value: sample(setting, winner).typed, origin: origins[winner] },
            `winner with ${[...active].join(", ")}`,
          );
        };
        active.add("default");
        check("default");
        active.add("source");
        check(inherited ? "source" : "default");
        active.add("profile");
        check("profile");
        if (setting.env.length > 0) {
          active.add("env");
          check("env");
        }
        active.add("flag");
        check("flag");
      });
    });
  }

  for (const setting of SETTINGS.filter((s) => s.env.length > 0)) {
    for (const name of setting.env) {
      it(`${setting.field} comes from ${name}`, () => {
        const v = sample(setting, "env");
        const f = load("[profile p]\n");
        const p = resolveProfile("p", f, { [name]: v.text }, {});
        // Every row that reads this variable gets it (RUNAS_USERNAME sets both user names, for example).
        const readers = SETTINGS.filter((s) => s.env.includes(name));
        for (const r of readers) assert.equal(r.type, setting.type, `${name} is read by rows of different types`);
        assert.deepEqual(p.settings, withAuto(Object.fromEntries(readers.map((r) => [r.field, v.typed]))));
        assert.deepEqual(p.origins, Object.fromEntries(readers.map((r) => [r.field, { kind: "env", name }])));
        assert.deepEqual(p.warnings, []);
      });
    }
  }

  for (const setting of SETTINGS.filter((s) => s.env.length > 1)) {
    it(`${setting.field}: ${setting.env[0] ?? ""} beats ${setting.env.slice(1).join(", ")}`, () => {
      const text = sample(setting, "env").text;
      const env = Object.fromEntries(setting.env.map((name, i) => [name, `${text}${"/x".repeat(i)}`]));
      const p = resolveProfile("p", load("[profile p]\n"), env, {});
      assert.deepEqual(
        { value: p.settings[setting.field], origin: p.origins[setting.field] },
        { value: sample(setting, "env").typed, origin: { kind: "env", name: setting.env[0] } },
      );
    });
  }

  for (const setting of SETTINGS.filter((s) => s.fromFile === false)) {
    it(`${setting.field} is never read from a file, only from env or flags`, () => {
      const keys = ["mfa_code", "saml_password", "web_identity_password", setting.field];
      const lines = keys.map((k) => `${k} = from-file`).join("\n");
      const f = load(`[default]\n${lines}\n[profile p]\n${lines}\n`);
      const p = resolveProfile("p", f, {}, {});
      assert.equal(p.settings[setting.field], undefined);
      assert.equal(p.origins[setting.field], undefined);
    });
  }
});

describe("resolveProfile: source_profile", () => {
  it("comes from the profile section and names the source", () => {
    const f = load("[profile p]\nsource_profile = s\n", "[s]\naws_access_key_id = AKIAS\naws_secret_access_key = x\n");
    const p = resolveProfile("p", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ sourceProfile: "s" }));
    assert.deepEqual(p.origins, { sourceProfile: inConfig(f, "profile p", "source_profile", 2) });
    assert.deepEqual(p.source, {
      name: "s",
      settings: withAuto({}),
      origins: {},
      staticKeys: { accessKeyId: "AKIAS", secretAccessKey: "x" },
      warnings: [],
    });
  });

  it("is inherited from [default]", () => {
    const f = load("[default]\nsource_profile = base\n[profile p]\nrole_arn = r\n", keys("base", "A", "B"));
    const p = resolveProfile("p", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ sourceProfile: "base", roleArn: "r" }));
    assert.deepEqual(p.origins.sourceProfile, inConfig(f, "default", "source_profile", 2));
    // base inherits source_profile = base too; it names itself and has keys, so it stands on them.
    assert.equal(p.source?.name, "base");
    assert.equal(p.source?.source, undefined);
    assert.deepEqual(p.source?.staticKeys, { accessKeyId: "A", secretAccessKey: "B" });
  });

  it("is the profile's own, not the source section's", () => {
    const f = load("[profile p]\nsource_profile = s\n[profile s]\nsource_profile = t\n[profile t]\n");
    const p = resolveProfile("p", f, {}, {});
    assert.equal(p.settings.sourceProfile, "s");
    assert.equal(p.source?.settings.sourceProfile, "t");
    assert.equal(p.source?.source?.name, "t");
  });

  it("follows a chain of depth 3 and keeps each level's own settings", () => {
    const f = load(
      [
        "[profile a]",
        "source_profile = b",
        "role_arn = arn:aws:iam::1:role/A",
        "[profile b]",
        "source_profile = c",
        "role_arn = arn:aws:iam::1:role/B",
        "[profile c]",
        "source_profile = d",
        "role_arn = arn:aws:iam::1:role/C",
        "mfa_serial = arn:aws:iam::1:mfa/me",
      ].join("\n"),
      "[d]\naws_access_key_id = AKIAD\naws_secret_access_key = secret\n",
    );
    const a = resolveProfile("a", f, { AWS_REGION: "eu-west-1" }, {});
    assert.deepEqual(
      [a.name, a.source?.name, a.source?.source?.name, a.source?.source?.source?.name],
      ["a", "b", "c", "d"],
    );
    assert.deepEqual(a.settings, withAuto({ sourceProfile: "b", roleArn: "arn:aws:iam::1:role/A", region: "eu-west-1" }));
    assert.deepEqual(
      a.source?.settings,
      withAuto({ sourceProfile: "c", roleArn: "arn:aws:iam::1:role/B", mfaSerial: "arn:aws:iam::1:mfa/me" }),
    );
    assert.deepEqual(
      a.source?.source?.settings,
      withAuto({ sourceProfile: "d", roleArn: "arn:aws:iam::1:role/C", mfaSerial: "arn:aws:iam::1:mfa/me" }),
    );
    assert.deepEqual(a.source?.source?.source, {
      name: "d",
      settings: withAuto({}),
      origins: {},
      staticKeys: { accessKeyId: "AKIAD", secretAccessKey: "secret" },
      warnings: [],
    });
  });

  it("may exist only in the credentials file", () => {
    const f = load("[profile p]\nsource_profile = keys\nrole_arn = r\n", keys("keys", "AKIA1", "s1", "t1"));
    const p = resolveProfile("p", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ sourceProfile: "keys", roleArn: "r" }));
    assert.deepEqual(p.source?.staticKeys, { accessKeyId: "AKIA1", secretAccessKey: "s1", sessionToken: "t1" });
  });

  it("rejects a loop", () => {
    const f = load("[profile a]\nsource_profile = b\n[profile b]\nsource_profile = a\n");
    throwsRunas(
      () => resolveProfile("a", f, {}, {}),
      "SOURCE_PROFILE_CYCLE",
      `source_profile chain loops: a -> b -> a; fix source_profile in ${f.paths.configPath}`,
    );
  });

  it("rejects a longer loop that does not return to the start", () => {
    const f = load("[profile a]\nsource_profile = b\n[profile b]\nsource_profile = c\n[profile c]\nsource_profile = b\n");
    throwsRunas(
      () => resolveProfile("a", f, {}, {}),
      "SOURCE_PROFILE_CYCLE",
      `source_profile chain loops: a -> b -> c -> b; fix source_profile in ${f.paths.configPath}`,
    );
  });

  it("rejects a profile naming itself when it has no keys", () => {
    const f = load("[profile a]\nsource_profile = a\nrole_arn = r\n");
    throwsRunas(
      () => resolveProfile("a", f, {}, {}),
      "SOURCE_PROFILE_CYCLE",
      `source_profile chain loops: a -> a; fix source_profile in ${f.paths.configPath}`,
    );
  });

  it("lets a profile with keys name itself, as the AWS CLI does", () => {
    const f = load("[profile a]\nsource_profile = a\nrole_arn = r\n", keys("a", "K", "S"));
    const p = resolveProfile("a", f, {}, {});
    assert.deepEqual(p, {
      name: "a",
      settings: withAuto({ sourceProfile: "a", roleArn: "r" }),
      origins: {
        sourceProfile: inConfig(f, "profile a", "source_profile", 2),
        roleArn: inConfig(f, "profile a", "role_arn", 3),
      },
      staticKeys: { accessKeyId: "K", secretAccessKey: "S" },
      warnings: [],
    });
  });

  it("rejects a source with no section in either file (Q-07)", () => {
    const f = load("[profile p]\nsource_profile = gone\n");
    throwsRunas(
      () => resolveProfile("p", f, {}, {}),
      "SOURCE_PROFILE_NOT_FOUND",
      `profile 'p' has source_profile = gone, but there is no [profile gone] in ${f.paths.configPath} and no [gone] in ` +
        f.paths.credentialsPath,
    );
  });

  it("says when the missing source was inherited from [default]", () => {
    const f = load("[default]\nsource_profile = gone\n[profile p]\n");
    throwsRunas(
      () => resolveProfile("p", f, {}, {}),
      "SOURCE_PROFILE_NOT_FOUND",
      `profile 'p' has source_profile = gone (inherited from [default]), but there is no [profile gone] in ` +
        `${f.paths.configPath} and no [gone] in ${f.paths.credentialsPath}`,
    );
  });

  it("does not apply the environment or flags to the source", () => {
    const f = load("[profile p]\nsource_profile = s\n[profile s]\nregion = us-east-2\n");
    const p = resolveProfile("p", f, { AWS_REGION: "eu-west-1" }, { mfaSerial: "flag-mfa" });
    assert.deepEqual(p.settings, withAuto({ sourceProfile: "s", region: "eu-west-1", mfaSerial: "flag-mfa" }));
    assert.deepEqual(p.source?.settings, withAuto({ region: "us-east-2" }));
  });
});

describe("resolveProfile: names and sections", () => {
  it("reads [X] when there is no [profile X]", () => {
    const f = load("[dev]\nregion = r\n");
    const p = resolveProfile("dev", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ region: "r" }));
    assert.deepEqual(p.origins, { region: inConfig(f, "dev", "region", 2) });
  });

  it("prefers [profile X] over [X], with a warning", () => {
    const f = load("[dev]\nregion = bare\nrole_arn = r\n[profile dev]\nregion = prefixed\n");
    const p = resolveProfile("dev", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ region: "prefixed" }));
    assert.deepEqual(p.warnings, [`both [profile dev] and [dev] are in ${f.paths.configPath}; using [profile dev]`]);
  });

  it("merges a repeated header; the last value of a repeated key wins", () => {
    const f = load("[profile p]\nregion = a\nregion = b\nrole_arn = r\n[profile p]\nexternal_id = e\n");
    const p = resolveProfile("p", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ region: "b", roleArn: "r", externalId: "e" }));
    assert.deepEqual(p.origins.region, inConfig(f, "profile p", "region", 3));
  });

  it("reads \"\" as default, and default needs no section", () => {
    const empty = load("");
    assert.deepEqual(resolveProfile("", empty, {}, {}), {
      name: "default",
      settings: withAuto({}),
      origins: {},
      warnings: [],
    });
    const f = load("[default]\nregion = us-west-2\n");
    assert.deepEqual(resolveProfile("", f, {}, {}).settings, withAuto({ region: "us-west-2" }));
    assert.deepEqual(resolveProfile("default", f, {}, {}).origins, { region: inConfig(f, "default", "region", 2) });
  });

  it("finds a profile that exists only in the credentials file", () => {
    const f = load("[default]\nregion = r\n", "[keys]\naws_access_key_id = AKIA\naws_secret_access_key = S\n");
    assert.deepEqual(resolveProfile("keys", f, {}, {}), {
      name: "keys",
      settings: withAuto({ region: "r" }),
      origins: { region: inConfig(f, "default", "region", 2) },
      staticKeys: { accessKeyId: "AKIA", secretAccessKey: "S" },
      warnings: [],
    });
  });

  it("ignores sub-properties, unknown keys and empty values", () => {
    const f = load("[profile p]\ns3 =\n  max_concurrent_requests = 5\noutput = json\nrole_arn =\nregion = r\n");
    assert.deepEqual(resolveProfile("p", f, {}, {}).settings, withAuto({ region: "r" }));
  });

  it("rejects an unknown profile, listing the known ones", () => {
    const f = load("[default]\n[profile b]\n[a]\n[sso-session corp]\n", "[c]\n");
    throwsRunas(
      () => resolveProfile("x", f, {}, {}),
      "PROFILE_NOT_FOUND",
      `profile 'x' not found in ${f.paths.configPath} or ${f.paths.credentialsPath}; known profiles: a, b, c, default`,
    );
  });

  it("lists at most 20 known profiles", () => {
    const names = Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    const f = load(names.map((n) => `[profile ${n}]`).join("\n"));
    throwsRunas(
      () => resolveProfile("x", f, {}, {}),
      "PROFILE_NOT_FOUND",
      `profile 'x' not found in ${f.paths.configPath} or ${f.paths.credentialsPath}; known profiles: ` +
        `${names.slice(0, 20).join(", ")}, …`,
    );
  });

  it("says how to add a profile when there are none", () => {
    const f = load("");
    throwsRunas(
      () => resolveProfile("x", f, {}, {}),
      "PROFILE_NOT_FOUND",
      `profile 'x' not found in ${f.paths.configPath} or ${f.paths.credentialsPath}; no profiles are configured: ` +
        `add [profile x] to ${f.paths.configPath}`,
    );
  });

  it("does not look up sso-session blocks as profiles", () => {
    const f = load("[sso-session corp]\nregion = r\n");
    assert.throws(() => resolveProfile("sso-session corp", f, {}, {}), { code: "PROFILE_NOT_FOUND" });
  });
});

describe("resolveProfile: role ARN instead of a profile (core.md §1.5)", () => {
  const arn = "arn:aws:iam::123456789012:role/Admin";

  it("resolves [default] + env + flags with the ARN as role_arn and no name", () => {
    const f = load(
      `[default]\nregion = us-east-1\nmfa_serial = m\nrole_arn = other\n[profile ${arn}]\nexternal_id = never-read\n`,
    );
    const p = resolveProfile(arn, f, { EXTERNAL_ID: "env-ext" }, { credentialsDuration: 1800 });
    assert.deepEqual(p, {
      name: "",
      settings: withAuto({
        region: "us-east-1",
        mfaSerial: "m",
        roleArn: arn,
        externalId: "env-ext",
        credentialsDuration: 1800,
      }),
      origins: {
        region: inConfig(f, "default", "region", 2),
        mfaSerial: inConfig(f, "default", "mfa_serial", 3),
        roleArn: { kind: "flag" },
        externalId: { kind: "env", name: "EXTERNAL_ID" },
        credentialsDuration: { kind: "flag" },
      },
      warnings: [],
    });
  });

  it("needs no files at all", () => {
    const p = resolveProfile(arn, load(""), {}, {});
    assert.deepEqual(p.settings, withAuto({ roleArn: arn }));
  });

  const cases: [string, boolean][] = [
    [arn, true],
    ["arn:aws:iam::1:role/x", true],
    ["arn:aws-cn:iam::123456789012:role/a/b", true],
    ["arn:aws:iam:1:role", false],
    ["aws:arn:iam::0123456789:role/Admin", false],
    ["dev", false],
    ["", false],
    ["ARN:aws:iam::1:role/x", false],
  ];
  for (const [name, expected] of cases) {
    it(`isArnProfile(${JSON.stringify(name)}) is ${expected}`, () => {
      assert.equal(isArnProfile(name), expected);
    });
  }
});

describe("resolveProfile: seed spellings (decisions.md \"Seed\")", () => {
  it("reads web_identity_callback_uri as the redirect URI", () => {
    const f = load("[profile p]\nweb_identity_callback_uri = app:/callback\n");
    const p = resolveProfile("p", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ webIdentityRedirectUri: "app:/callback" }));
    assert.deepEqual(p.origins, { webIdentityRedirectUri: inConfig(f, "profile p", "web_identity_callback_uri", 2) });
  });

  it("prefers web_identity_redirect_uri when both are in one section, wherever it is", () => {
    const f = load("[profile p]\nweb_identity_callback_uri = seed\nweb_identity_redirect_uri = canonical\n");
    const p = resolveProfile("p", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ webIdentityRedirectUri: "canonical" }));
    assert.deepEqual(p.origins, { webIdentityRedirectUri: inConfig(f, "profile p", "web_identity_redirect_uri", 3) });
  });

  it("reads saml_entity_id as the entity id", () => {
    const f = load("[profile p]\nsaml_entity_id = urn:amazon:webservices\n");
    const p = resolveProfile("p", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ samlEntityId: "urn:amazon:webservices" }));
    assert.deepEqual(p.origins, { samlEntityId: inConfig(f, "profile p", "saml_entity_id", 2) });
  });

  const envCases: [string, SettingField][] = [
    ["SAML_ENTITY_ID", "samlEntityId"],
    ["SAML_ENTITYID", "samlEntityId"],
    ["SAML_PROFILE", "samlProvider"],
    ["SAML_PROVIDER", "samlProvider"],
    ["WEB_IDENTITY_PASSWORD", "webIdentityPassword"],
    ["WEB_PASSWORD", "webIdentityPassword"],
  ];
  for (const [name, field] of envCases) {
    it(`reads ${name} as ${field}`, () => {
      const p = resolveProfile("p", load("[profile p]\n"), { [name]: "v" }, {});
      assert.deepEqual(p.settings, withAuto({ [field]: "v" }));
      assert.deepEqual(p.origins, { [field]: { kind: "env", name } });
    });
  }
});

describe("resolveProfile: typing", () => {
  const good: [string, string, ProfileSettings][] = [
    ["a bare integer duration is seconds (Q-06)", "credentials_duration = 3600", { credentialsDuration: 3600 }],
    ["a Go duration", "session_token_duration = 1h30m", { sessionTokenDuration: 5400 }],
    ["a fractional duration keeps whole seconds", "credentials_duration = 1.5s", { credentialsDuration: 1 }],
    ["a sub-second duration stays positive", "credentials_duration = 500ms", { credentialsDuration: 1 }],
    ["a zero duration is unset", "credentials_duration = 0s", {}],
    ["a negative duration is unset", "credentials_duration = -1h", {}],
    ["hex seconds", "duration_seconds = 0x384", { durationSeconds: 900 }],
    ["octal seconds", "duration_seconds = 0o1604", { durationSeconds: 900 }],
    ["binary seconds", "duration_seconds = 0b1110000100", { durationSeconds: 900 }],
    ["leading-zero decimal seconds", "duration_seconds = 0900", { durationSeconds: 900 }],
    ["zero seconds are unset", "duration_seconds = 0", {}],
    ["mfa_type in any case", "mfa_type = PUSH", { mfaType: "push" }],
    ["an http URL", "saml_auth_url = http://localhost/saml", { samlAuthUrl: "http://localhost/saml" }],
    ["quotes are part of a string", 'region = "us-east-1"', { region: '"us-east-1"' }],
  ];
  for (const [name, line, expected] of good) {
    it(`reads ${name}`, () => {
      assert.deepEqual(resolveProfile("p", load(`[profile p]\n${line}\n`), {}, {}).settings, withAuto(expected));
    });
  }

  const bad: [string, string, string][] = [
    [
      "a bad duration",
      "credentials_duration = 7d",
      'invalid credentials_duration "7d" in [profile p]: use a duration like 1h30m or a number of seconds',
    ],
    [
      "a bad integer",
      "duration_seconds = 15m",
      'invalid duration_seconds "15m" in [profile p]: use a whole number of seconds like 3600',
    ],
    ["a bad mfa_type", "mfa_type = sms", 'invalid mfa_type "sms" in [profile p]: use auto, none, code or push'],
    [
      "a non-http URL",
      "saml_auth_url = ftp://idp/x",
      'invalid saml_auth_url "ftp://idp/x" in [profile p]: use a URL starting with https:// or http://',
    ],
    [
      "a URL, hiding its user info and query",
      "web_identity_auth_url = htps//u:pw@idp/oidc/2?token=c2VjcmV0",
      'invalid web_identity_auth_url "htps//…@idp/oidc/2?…" in [profile p]: use a URL starting with https:// or http://',
    ],
  ];
  for (const [name, line, message] of bad) {
    it(`rejects ${name} with its file and line`, () => {
      const f = load(`[profile p]\nregion = r\n${line}\n`);
      throwsRunas(() => resolveProfile("p", f, {}, {}), "INVALID_VALUE", `${f.paths.configPath}, line 3: ${message}`);
    });
  }

  it("rejects a bad value in [default], which every profile uses", () => {
    const f = load("[default]\nsession_token_duration = forever\n[profile p]\nsession_token_duration = 1h\n");
    throwsRunas(
      () => resolveProfile("p", f, {}, {}),
      "INVALID_VALUE",
      `${f.paths.configPath}, line 2: invalid session_token_duration "forever" in [default]: ` +
        "use a duration like 1h30m or a number of seconds",
    );
  });

  it("rejects a bad value in the source section", () => {
    const f = load("[profile p]\nsource_profile = s\n[profile s]\nmfa_type = text\n");
    throwsRunas(
      () => resolveProfile("p", f, {}, {}),
      "INVALID_VALUE",
      `${f.paths.configPath}, line 4: invalid mfa_type "text" in [profile s]: use auto, none, code or push`,
    );
  });

  it("does not check profiles it does not use", () => {
    const f = load("[profile other]\ncredentials_duration = 7d\n[profile p]\nregion = r\n");
    assert.deepEqual(resolveProfile("p", f, {}, {}).settings, withAuto({ region: "r" }));
  });

  it("ignores a bad environment value with a warning and keeps the file's (Q-08)", () => {
    const f = load("[profile p]\ncredentials_duration = 2h\n");
    const p = resolveProfile("p", f, { CREDENTIALS_DURATION: "7d", AWS_REGION: "eu-west-1" }, {});
    assert.deepEqual(p.settings, withAuto({ credentialsDuration: 7200, region: "eu-west-1" }));
    assert.deepEqual(p.origins.credentialsDuration, inConfig(f, "profile p", "credentials_duration", 2));
    assert.deepEqual(p.warnings, ['ignoring CREDENTIALS_DURATION="7d": not a duration (use 1h30m or seconds)']);
  });

  const badEnv: [Env, ProfileSettings, Partial<Record<SettingField, SettingOrigin>>, string[]][] = [
    [
      { DURATION_SECONDS: "lots", SESSION_TOKEN_DURATION: "3600" },
      { sessionTokenDuration: 3600 },
      { sessionTokenDuration: { kind: "env", name: "SESSION_TOKEN_DURATION" } },
      ['ignoring DURATION_SECONDS="lots": not a whole number of seconds (use 3600, for example)'],
    ],
    [
      { MFA_TYPE: "sms" },
      {},
      {},
      ['ignoring MFA_TYPE="sms": not an MFA type (use auto, none, code or push)'],
    ],
    [
      // The next variable of the row is used when the first one is bad.
      { WEB_AUTH_URL: "idp.example.com/oidc?token=c2VjcmV0", WEB_IDENTITY_AUTH_URL: "https://idp.example.com/oidc" },
      { webIdentityAuthUrl: "https://idp.example.com/oidc" },
      { webIdentityAuthUrl: { kind: "env", name: "WEB_IDENTITY_AUTH_URL" } },
      ['ignoring WEB_AUTH_URL="idp.example.com/oidc?…": not an http(s) URL (use https://…)'],
    ],
    [
      // A zero duration is "not set", not an error: the file's value stays.
      { CREDENTIALS_DURATION: "0" },
      {},
      {},
      [],
    ],
  ];
  for (const [env, settings, origins, warnings] of badEnv) {
    it(`handles ${Object.keys(env).join(" + ")} = ${Object.values(env).join(", ")}`, () => {
      const p = resolveProfile("p", load("[profile p]\n"), env, {});
      assert.deepEqual(
        { settings: p.settings, origins: p.origins, warnings: p.warnings },
        { settings: withAuto(settings), origins, warnings },
      );
    });
  }

  it("ignores empty and non-positive overrides", () => {
    const f = load("[profile p]\nregion = r\ncredentials_duration = 1h\n");
    const p = resolveProfile("p", f, {}, { region: "", credentialsDuration: 0 });
    assert.deepEqual(p.settings, withAuto({ region: "r", credentialsDuration: 3600 }));
  });
});

describe("resolveProfile: static keys and credential_process", () => {
  it("reads keys from the credentials file", () => {
    const f = load("[profile p]\nregion = r\n", keys("p", "AKIAC", "sc", "tc"));
    assert.deepEqual(resolveProfile("p", f, {}, {}).staticKeys, {
      accessKeyId: "AKIAC",
      secretAccessKey: "sc",
      sessionToken: "tc",
    });
  });

  it("reads keys from the config file when the credentials file has none", () => {
    const f = load("[profile p]\naws_access_key_id = AKIAK\naws_secret_access_key = sk\n");
    assert.deepEqual(resolveProfile("p", f, {}, {}).staticKeys, { accessKeyId: "AKIAK", secretAccessKey: "sk" });
  });

  it("prefers the credentials file's keys", () => {
    const f = load(keys("profile p", "CONFIG", "c"), keys("p", "CREDS", "k"));
    assert.deepEqual(resolveProfile("p", f, {}, {}).staticKeys, { accessKeyId: "CREDS", secretAccessKey: "k" });
  });

  it("has no keys when one half is missing", () => {
    const f = load("[profile p]\n", "[p]\naws_access_key_id = AKIA\n");
    assert.equal(resolveProfile("p", f, {}, {}).staticKeys, undefined);
  });

  it("does not give a profile [default]'s keys", () => {
    const f = load(`${keys("default", "D", "d")}[profile p]\n`, keys("default", "D", "d"));
    assert.equal(resolveProfile("p", f, {}, {}).staticKeys, undefined);
  });

  it("reads credential_process from the credentials file, over the config file's", () => {
    const f = load("[profile p]\ncredential_process = from-config\n", "[p]\ncredential_process = from-credentials\n");
    const p = resolveProfile("p", f, {}, {});
    assert.deepEqual(p.settings, withAuto({ credentialProcess: "from-credentials" }));
    assert.deepEqual(p.origins, { credentialProcess: inCredentials(f, "p", "credential_process", 2) });
  });

  it("reads no other setting from the credentials file", () => {
    const f = load("[profile p]\n", "[p]\nregion = us-east-1\nrole_arn = r\n");
    assert.deepEqual(resolveProfile("p", f, {}, {}).settings, withAuto({}));
  });
});

describe("resolveProfile: session-only mode (-s, core.md §3.4, Q-09)", () => {
  const config = [
    "[default]",
    "region = us-east-1",
    "[profile role]",
    "source_profile = base",
    "role_arn = arn:aws:iam::1:role/R",
    "mfa_serial = mfa-of-role",
    "[profile base]",
    "mfa_serial = mfa-of-base",
    "[profile saml]",
    "source_profile = base",
    "saml_auth_url = https://idp.example.com/saml",
    "role_arn = arn:aws:iam::1:role/Target",
    "jump_role_arn = arn:aws:iam::1:role/Jump",
  ].join("\n");
  const credentials = "[base]\naws_access_key_id = AKIAB\naws_secret_access_key = sb\n";

  it("resolves the source instead, with the environment and flags applied to it", () => {
    const f = load(config, credentials);
    const p = resolveProfile("role", f, { AWS_REGION: "eu-west-1" }, { sessionTokenDuration: 7200 }, { sessionOnly: true });
    assert.deepEqual(p, {
      name: "base",
      settings: withAuto({ region: "eu-west-1", mfaSerial: "mfa-of-base", sessionTokenDuration: 7200 }),
      origins: {
        region: { kind: "env", name: "AWS_REGION" },
        mfaSerial: inConfig(f, "profile base", "mfa_serial", 8),
        sessionTokenDuration: { kind: "flag" },
      },
      staticKeys: { accessKeyId: "AKIAB", secretAccessKey: "sb" },
      warnings: [],
    });
  });

  it("turns the jump role into the role and drops the jump role", () => {
    const f = load(config, credentials);
    const p = resolveProfile("saml", f, {}, {}, { sessionOnly: true });
    assert.equal(p.name, "base");
    assert.deepEqual(
      p.settings,
      withAuto({ region: "us-east-1", mfaSerial: "mfa-of-base", roleArn: "arn:aws:iam::1:role/Jump" }),
    );
    assert.deepEqual(p.origins.roleArn, inConfig(f, "profile saml", "jump_role_arn", 13));
    assert.equal(p.origins.jumpRoleArn, undefined);
  });

  it("takes a jump role given as a flag too", () => {
    const f = load(config, credentials);
    const p = resolveProfile("role", f, {}, { jumpRoleArn: "arn:aws:iam::1:role/FlagJump" }, { sessionOnly: true });
    assert.deepEqual(
      { roleArn: p.settings.roleArn, jump: p.settings.jumpRoleArn, origin: p.origins.roleArn },
      { roleArn: "arn:aws:iam::1:role/FlagJump", jump: undefined, origin: { kind: "flag" } },
    );
  });

  it("changes nothing without a source", () => {
    const f = load(config, credentials);
    for (const name of ["base", "default"]) {
      assert.deepEqual(
        resolveProfile(name, f, { AWS_REGION: "eu-west-1" }, {}, { sessionOnly: true }),
        resolveProfile(name, f, { AWS_REGION: "eu-west-1" }, {}),
      );
    }
  });
});

describe("resolveProfile: upstream fixture (core.md §12.1, adapted to decisions.md)", () => {
  const fixture = fs.readFileSync(new URL("./fixtures/upstream-config.ini", import.meta.url), "utf8");
  const f = load(fixture);
  const resolve = (name: string): ResolvedProfile => resolveProfile(name, f, {}, {});

  it("T-CFG-02: the empty name is default, without error", () => {
    assert.deepEqual(resolve(""), { name: "default", settings: withAuto({}), origins: {}, warnings: [] });
  });

  it("T-CFG-03: valid has the role of account 0123456789; invalid_arn ([name] form) loads as written", () => {
    assert.equal(resolve("valid").settings.roleArn, "arn:aws:iam::0123456789:role/Admin");
    assert.equal(resolve("valid").settings.roleArn?.split(":")[4], "0123456789");
    // Checking that it is an ARN is the provider's job; the configuration layer keeps what the user wrote.
    assert.equal(resolve("invalid_arn").settings.roleArn, "aws:arn:iam::0123456789:role/Admin");
    assert.equal(resolve("empty_arn").settings.roleArn, undefined);
  });

  it("T-CFG-04: role durations", () => {
    assert.deepEqual(
      ["valid", "int_duration", "empty_duration"].map((n) => {
        const { credentialsDuration, durationSeconds } = resolve(n).settings;
        return [credentialsDuration, durationSeconds];
      }),
      [[43200, undefined], [undefined, 900], [undefined, undefined]],
    );
    // Upstream read the bad value as 0; here a value the user wrote that cannot be read is an error naming its line.
    throwsRunas(
      () => resolve("invalid_duration"),
      "INVALID_VALUE",
      `${f.paths.configPath}, line 18: invalid credentials_duration "alsga" in [invalid_duration]: ` +
        "use a duration like 1h30m or a number of seconds",
    );
  });

  it("T-CFG-05: src has valid as its source, with a role, and keeps its own mfa_serial", () => {
    const src = resolve("src");
    assert.equal(src.source?.name, "valid");
    assert.equal(src.source?.settings.roleArn, "arn:aws:iam::0123456789:role/Admin");
    assert.equal(src.settings.mfaSerial, "mockMfa");
    // One level of attribute inheritance, as upstream: the source's role and duration are inherited too.
    assert.deepEqual(
      src.settings,
      withAuto({
        sourceProfile: "valid",
        mfaSerial: "mockMfa",
        roleArn: "arn:aws:iam::0123456789:role/Admin",
        credentialsDuration: 43200,
      }),
    );
  });

  it("T-CFG-06: invalid_src fails on its missing source (Q-07)", () => {
    throwsRunas(
      () => resolve("invalid_src"),
      "SOURCE_PROFILE_NOT_FOUND",
      `profile 'invalid_src' has source_profile = error_404, but there is no [profile error_404] in ${f.paths.configPath} ` +
        `and no [error_404] in ${f.paths.credentialsPath}`,
    );
  });
});
