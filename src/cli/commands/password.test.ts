import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createFileLocker } from "../../cache/fileLocker.js";
import { decodePassword } from "../../config/passwordObfuscation.js";
import { RunasError } from "../../domain/errors.js";
import type { Env, Logger, Prompter } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import { parseCommandLine } from "../argv.js";
import { runPassword } from "./password.js";

const OKTA = "https://example.okta.com/home/amazon_aws/abc/123";
const KEYCLOAK = "https://sso.example.com/auth/realms/corp";
const ONELOGIN = "https://corp.onelogin.com/oidc/2?token=Y2xpZW50OnNlY3JldA==";

const CONFIG =
  `[default]\nregion = us-east-1\n\n` +
  `[profile saml]\nsaml_auth_url = ${OKTA}\n\n` +
  `[profile oidc]\nweb_identity_auth_url = ${KEYCLOAK}\nweb_identity_client_id = cid\n` +
  `web_identity_redirect_uri = http://localhost:1234/cb\n\n` +
  `[profile onelogin]\nweb_identity_auth_url = ${ONELOGIN}\n\n` +
  `[profile iam]\nrole_arn = arn:aws:iam::123456789012:role/r\n\n` +
  `[profile both]\nsaml_auth_url = ${OKTA}\nweb_identity_auth_url = ${KEYCLOAK}\n`;

interface Harness {
  home: string;
  credentials: string;
  deps: AppDeps;
  logger: Logger & { lines: string[] };
  prompts: string[];
  output: string[];
}

/** A temp HOME with ~/.aws/config, and the AppDeps of a user who types `answer` at every prompt. */
function harness(answer: string, credentials?: string): Harness {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "runas-")));
  fs.mkdirSync(path.join(home, ".aws"), { mode: 0o700 });
  fs.writeFileSync(path.join(home, ".aws", "config"), CONFIG);
  const credentialsPath = path.join(home, ".aws", "credentials");
  if (credentials !== undefined) fs.writeFileSync(credentialsPath, credentials, { mode: 0o644 });
  const lines: string[] = [];
  const logger: Logger & { lines: string[] } = {
    lines,
    debugEnabled: false,
    traceEnabled: false,
    debug: (m) => lines.push(`DEBUG ${m}`),
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
  const prompts: string[] = [];
  const prompter: Prompter = {
    text: (message) => {
      prompts.push(`text ${message}`);
      return Promise.resolve(answer);
    },
    secret: (message) => {
      prompts.push(`secret ${message}`);
      return Promise.resolve(answer);
    },
  };
  const output: string[] = [];
  const deps: AppDeps = {
    out: { stdout: (t) => output.push(`stdout ${t}`), stderr: (t) => output.push(`stderr ${t}`) },
    clock: { now: () => new Date("2024-05-01T12:00:00Z") },
    platform: "linux",
    homeDir: home,
    version: "0.0.0-test",
    logger: () => logger,
    prompter: () => prompter,
    locker: createFileLocker(),
    osUser: () => "tester",
    sts: () => Promise.reject(new Error("the password command must not call STS")),
    openBrowser: () => Promise.reject(new Error("the password command must not open a browser")),
    sdkCredentials: () => Promise.reject(new Error("the password command must not resolve AWS credentials")),
  };
  return { home, credentials: credentialsPath, deps, logger, prompts, output };
}

/** Runs `aws-runas <argv>` through runPassword at cost 10. */
function run(h: Harness, argv: string[], env: Env = {}): Promise<number> {
  return runPassword(parseCommandLine(argv, env), env, h.deps, h.logger, { cost: 10 });
}

/** The value of `key` in section `[url]` of an ini text (the whole line after "key = "). */
function storedValue(text: string, url: string, key: string): string | undefined {
  const start = text.indexOf(`[${url}]`);
  if (start < 0) return undefined;
  const m = new RegExp(`^${key} = (.*)$`, "m").exec(text.slice(start));
  return m?.[1];
}

describe("runPassword (core.md §7.1)", () => {
  it("stores the prompted SAML password, obfuscated, in a new 0600 credentials file", async () => {
    const h = harness("s3cret pw!");
    assert.equal(await run(h, ["password", "saml"]), 0);
    const text = fs.readFileSync(h.credentials, "utf8");
    const blob = storedValue(text, OKTA, "saml_password") ?? "";
    assert.equal(text, `[${OKTA}]\nsaml_password = ${blob}\n`);
    assert.match(blob, /^a\$[A-Z2-7]{13}\$[A-Za-z0-9+/]+$/);
    assert.equal(decodePassword(blob, OKTA), "s3cret pw!");
    assert.equal(fs.statSync(h.credentials).mode & 0o777, 0o600);
    assert.deepEqual(h.prompts, ["secret Password: "]);
    assert.deepEqual(h.logger.lines, [`INFO password for ${OKTA} stored in ${h.credentials}`]);
    assert.deepEqual(h.output, []);
    // Nothing but the file itself is left behind (no temp file, no lock).
    assert.deepEqual(fs.readdirSync(path.join(h.home, ".aws")).sort(), ["config", "credentials"]);
  });

  it("stores an OIDC password under web_identity_password", async () => {
    const h = harness("oidc-pw");
    assert.equal(await run(h, ["passwd", "oidc"]), 0);
    const text = fs.readFileSync(h.credentials, "utf8");
    const blob = storedValue(text, KEYCLOAK, "web_identity_password") ?? "";
    assert.equal(text, `[${KEYCLOAK}]\nweb_identity_password = ${blob}\n`);
    assert.equal(decodePassword(blob, KEYCLOAK), "oidc-pw");
  });

  it("keys the section by the whole URL, query included, and keeps the token out of the log", async () => {
    const h = harness("ol-pw");
    assert.equal(await run(h, ["pw", "onelogin"]), 0);
    const blob = storedValue(fs.readFileSync(h.credentials, "utf8"), ONELOGIN, "web_identity_password") ?? "";
    assert.equal(decodePassword(blob, ONELOGIN), "ol-pw");
    assert.deepEqual(h.logger.lines, [
      `INFO password for https://corp.onelogin.com/oidc/2?… stored in ${h.credentials}`,
    ]);
  });

  const given: [string, string[], Env][] = [
    ["-P", ["-P", "flag-pw", "password", "saml"], {}],
    ["RUNAS_PASSWORD", ["password", "saml"], { RUNAS_PASSWORD: "flag-pw" }],
    ["SAML_PASSWORD", ["password", "saml"], { SAML_PASSWORD: "flag-pw" }],
  ];
  for (const [what, argv, env] of given) {
    it(`takes the password from ${what} without prompting`, async () => {
      const h = harness("typed");
      assert.equal(await run(h, argv, env), 0);
      const blob = storedValue(fs.readFileSync(h.credentials, "utf8"), OKTA, "saml_password") ?? "";
      assert.equal(decodePassword(blob, OKTA), "flag-pw");
      assert.deepEqual(h.prompts, []);
      assert.ok(!h.logger.lines.join("\n").includes("flag-pw"));
    });
  }

  it("takes WEB_PASSWORD for an OIDC profile", async () => {
    const h = harness("typed");
    assert.equal(await run(h, ["password", "oidc"], { WEB_PASSWORD: "web-pw" }), 0);
    const blob = storedValue(fs.readFileSync(h.credentials, "utf8"), KEYCLOAK, "web_identity_password") ?? "";
    assert.equal(decodePassword(blob, KEYCLOAK), "web-pw");
  });

  it("takes the profile from AWS_PROFILE when none is given (core.md §1.4 B)", async () => {
    const h = harness("env-profile");
    assert.equal(await run(h, ["password"], { AWS_PROFILE: "oidc" }), 0);
    const blob = storedValue(fs.readFileSync(h.credentials, "utf8"), KEYCLOAK, "web_identity_password") ?? "";
    assert.equal(decodePassword(blob, KEYCLOAK), "env-profile");
  });

  it("writes to AWS_SHARED_CREDENTIALS_FILE, creating its directory", async () => {
    const h = harness("pw");
    const elsewhere = path.join(h.home, "other", "creds");
    assert.equal(await run(h, ["password", "saml"], { AWS_SHARED_CREDENTIALS_FILE: elsewhere }), 0);
    const blob = storedValue(fs.readFileSync(elsewhere, "utf8"), OKTA, "saml_password") ?? "";
    assert.equal(decodePassword(blob, OKTA), "pw");
    assert.equal(fs.existsSync(h.credentials), false);
    assert.deepEqual(h.logger.lines, [`INFO password for ${OKTA} stored in ${elsewhere}`]);
  });

  it("changes only the password line: every other byte of the file is kept", async () => {
    const before =
      `# my keys\r\n[default]\r\naws_access_key_id=AKIAKEEP\r\naws_secret_access_key =  keep ; comment\r\n\r\n` +
      `[${OKTA}]\r\nsaml_username = me@example.com\r\nsaml_password   =   OLD-VALUE\r\n; trailing note\r\n\r\n` +
      `[last]\r\nx = 1`;
    const h = harness("new-pw", before);
    assert.equal(await run(h, ["password", "saml"]), 0);
    const after = fs.readFileSync(h.credentials, "utf8");
    const blob = /saml_password {3}= {3}(\S+)\r\n/.exec(after)?.[1] ?? "";
    assert.equal(after, before.replace("OLD-VALUE", blob));
    assert.equal(decodePassword(blob, OKTA), "new-pw");
    assert.equal(fs.statSync(h.credentials).mode & 0o777, 0o600);
  });

  it("adds the key to an existing section, and a section after the rest of the file", async () => {
    const before = `[default]\naws_access_key_id = AKIA\n\n[${KEYCLOAK}]\nsaml_password = other-kind\n`;
    const h = harness("pw", before);
    assert.equal(await run(h, ["password", "oidc"]), 0);
    assert.equal(await run(h, ["password", "saml"]), 0);
    const after = fs.readFileSync(h.credentials, "utf8");
    const web = storedValue(after, KEYCLOAK, "web_identity_password") ?? "";
    const saml = storedValue(after, OKTA, "saml_password") ?? "";
    assert.equal(
      after,
      `${before.slice(0, -1)}\nweb_identity_password = ${web}\n\n[${OKTA}]\nsaml_password = ${saml}\n`,
    );
    assert.equal(decodePassword(web, KEYCLOAK), "pw");
    assert.equal(decodePassword(saml, OKTA), "pw");
  });

  it("writes through a symlinked credentials file", async () => {
    const h = harness("pw");
    const real = path.join(h.home, "dotfiles", "credentials");
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, "[default]\nx = 1\n");
    fs.symlinkSync(real, h.credentials);
    assert.equal(await run(h, ["password", "saml"]), 0);
    assert.ok(fs.lstatSync(h.credentials).isSymbolicLink());
    const blob = storedValue(fs.readFileSync(real, "utf8"), OKTA, "saml_password") ?? "";
    assert.equal(fs.readFileSync(real, "utf8"), `[default]\nx = 1\n\n[${OKTA}]\nsaml_password = ${blob}\n`);
  });

  const failures: [string, string[], Env, string, string, string][] = [
    ["a profile without an IdP", ["password", "iam"], {}, "typed", "INVALID_CONFIG",
      "profile 'iam' has no identity provider: set saml_auth_url or web_identity_auth_url in [profile iam]"],
    ["the default profile without an IdP", ["password"], {}, "typed", "INVALID_CONFIG",
      "profile 'default' has no identity provider: set saml_auth_url or web_identity_auth_url in [default]"],
    ["a profile with both IdPs", ["password", "both"], {}, "typed", "INVALID_CONFIG",
      "profile 'both' sets both saml_auth_url and web_identity_auth_url; keep one"],
    ["both IdPs through a flag", ["--web-url", KEYCLOAK, "password", "saml"], {}, "typed", "INVALID_CONFIG",
      "profile 'saml' sets both saml_auth_url and web_identity_auth_url; keep one"],
    ["an empty answer", ["password", "saml"], {}, "", "INVALID_VALUE",
      "no password given: type it at the prompt or pass it with -P; nothing was stored"],
  ];
  for (const [what, argv, env, answer, code, message] of failures) {
    it(`${what} is an error and writes nothing`, async () => {
      const h = harness(answer);
      await assert.rejects(run(h, argv, env), (e: unknown) => e instanceof RunasError && e.code === code && e.message === message);
      assert.equal(fs.existsSync(h.credentials), false);
    });
  }

  it("an unknown profile is PROFILE_NOT_FOUND", async () => {
    const h = harness("typed");
    await assert.rejects(run(h, ["password", "nope"]), (e: unknown) => e instanceof RunasError && e.code === "PROFILE_NOT_FOUND");
    assert.deepEqual(h.prompts, []);
  });

  it("the IdP URL given by flag makes any profile an IdP profile", async () => {
    const h = harness("pw");
    assert.equal(await run(h, ["--saml-url", "https://adfs.example.com/adfs/ls/", "password", "iam"]), 0);
    const blob = storedValue(fs.readFileSync(h.credentials, "utf8"), "https://adfs.example.com/adfs/ls/", "saml_password");
    assert.equal(decodePassword(blob ?? "", "https://adfs.example.com/adfs/ls/"), "pw");
  });

  it("an unwritable credentials path is FILE_WRITE naming the file, never the password", async () => {
    const h = harness("do-not-leak");
    fs.writeFileSync(path.join(h.home, "a-file"), "");
    const bad = path.join(h.home, "a-file", "credentials");
    await assert.rejects(
      run(h, ["password", "saml"], { AWS_SHARED_CREDENTIALS_FILE: bad }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "FILE_WRITE" &&
        e.message.startsWith(`cannot store the password in ${bad}: `) &&
        !e.message.includes("do-not-leak"),
    );
  });

  it("runs at upstream's cost 18 without the test seam", async () => {
    const h = harness("real-cost");
    const env: Env = {};
    assert.equal(await runPassword(parseCommandLine(["password", "saml"], env), env, h.deps, h.logger), 0);
    const blob = storedValue(fs.readFileSync(h.credentials, "utf8"), OKTA, "saml_password") ?? "";
    assert.match(blob, /^12\$/);
    assert.equal(decodePassword(blob, OKTA), "real-cost");
  });
});
