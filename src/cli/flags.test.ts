import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SETTINGS } from "../config/settings.js";
import { flagEnvVars, flagTakesValue, GLOBAL_FLAGS } from "./flags.js";

describe("GLOBAL_FLAGS", () => {
  it("is the table of core.md §1.2 in help order, plus --device and --shell", () => {
    const rows = GLOBAL_FLAGS.map((f) => [f.long, f.short ?? "", f.type, f.group].join(" "));
    assert.deepEqual(rows, [
      "duration d duration config",
      "role-duration a duration config",
      "otp o string config",
      "mfa-serial M string config",
      "mfa-type t string config",
      "external-id X string config",
      "jump-role J string config",
      "saml-url S string config",
      "saml-entityid I string config",
      "web-url W string config",
      "web-redirect T string config",
      "web-client C string config",
      "username U string config",
      "password P string config",
      "provider R string config",
      "env E bool other",
      "output O string other",
      "session s bool other",
      "refresh r bool other",
      "expiration e bool other",
      "whoami w bool other",
      "write-credentials c bool other",
      "device  bool other",
      "shell  string other",
      "list-mfa m bool shortcut",
      "list-roles l bool shortcut",
      "update u bool shortcut",
      "diagnose D bool shortcut",
      "verbose v count shortcut",
      "help h bool help",
      "version V bool help",
    ]);
  });

  it("takes the settings each flag sets from SETTINGS", () => {
    const bound = Object.fromEntries(GLOBAL_FLAGS.filter((f) => f.fields !== undefined).map((f) => [f.long, f.fields]));
    assert.deepEqual(bound, {
      "duration": ["sessionTokenDuration"],
      "role-duration": ["credentialsDuration"],
      "otp": ["mfaCode"],
      "mfa-serial": ["mfaSerial"],
      "mfa-type": ["mfaType"],
      "external-id": ["externalId"],
      "jump-role": ["jumpRoleArn"],
      "saml-url": ["samlAuthUrl"],
      "saml-entityid": ["samlEntityId"],
      "web-url": ["webIdentityAuthUrl"],
      "web-redirect": ["webIdentityRedirectUri"],
      "web-client": ["webIdentityClientId"],
      "username": ["samlUsername", "webIdentityUsername"],
      "password": ["samlPassword", "webIdentityPassword"],
      "provider": ["samlProvider", "webIdentityProvider"],
    });
  });

  it("binds every SETTINGS flag to a config flag, and a flag is a duration exactly when its setting is", () => {
    for (const setting of SETTINGS.filter((s) => s.flag !== undefined)) {
      const flag = GLOBAL_FLAGS.find((f) => f.long === setting.flag);
      assert.equal(flag?.group, "config", setting.field);
      assert.equal(flag.type === "duration", setting.type === "duration", setting.field);
    }
    for (const flag of GLOBAL_FLAGS.filter((f) => f.group === "config")) {
      assert.ok((flag.fields?.length ?? 0) > 0, flag.long);
      assert.equal(flag.env, undefined, `${flag.long} takes its variables from SETTINGS`);
    }
  });

  it("binds RUNAS_* variables to the non-setting flags only", () => {
    const bound = Object.fromEntries(GLOBAL_FLAGS.filter((f) => f.env !== undefined).map((f) => [f.long, f.env]));
    assert.deepEqual(bound, {
      "env": ["RUNAS_ENV_CREDENTIALS"],
      "output": ["RUNAS_OUTPUT_FORMAT"],
      "session": ["RUNAS_SESSION_CREDENTIALS"],
      "write-credentials": ["RUNAS_WRITE_CREDENTIALS"],
      "shell": ["RUNAS_SHELL"],
    });
  });

  it("has no name twice", () => {
    const names = GLOBAL_FLAGS.flatMap((f) => (f.short === undefined ? [f.long] : [f.long, f.short]));
    assert.equal(new Set(names).size, names.length);
  });

  it("states the default and bounds of the two durations", () => {
    const help = (long: string): string | undefined => GLOBAL_FLAGS.find((f) => f.long === long)?.help;
    assert.match(help("duration") ?? "", /default 12h, 15m to 36h/);
    assert.match(help("role-duration") ?? "", /default 1h, 15m to 12h/);
  });
});

describe("flagEnvVars", () => {
  const flag = (long: string) => {
    const found = GLOBAL_FLAGS.find((f) => f.long === long);
    assert.ok(found, long);
    return found;
  };
  const cases: [string, string[]][] = [
    ["env", ["RUNAS_ENV_CREDENTIALS"]],
    ["duration", ["SESSION_TOKEN_DURATION"]],
    ["otp", ["MFA_CODE"]],
    ["username", ["RUNAS_USERNAME", "SAML_USERNAME", "WEB_IDENTITY_USERNAME", "WEB_USERNAME"]],
    ["password", ["RUNAS_PASSWORD", "SAML_PASSWORD", "WEB_PASSWORD", "WEB_IDENTITY_PASSWORD"]],
    ["refresh", []],
  ];
  for (const [long, expected] of cases) {
    it(`lists ${long}'s variables without repeats`, () => {
      assert.deepEqual(flagEnvVars(flag(long)), expected);
    });
  }
});

describe("flagTakesValue", () => {
  it("is true for string and duration flags only", () => {
    const takers = GLOBAL_FLAGS.filter(flagTakesValue).map((f) => f.short ?? f.long).join("");
    assert.equal(takers, "daoMtXJSIWTCUPROshell");
  });
});
