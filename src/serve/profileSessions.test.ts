import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCredentialCache } from "../cache/credentialCache.js";
import { decodePassword } from "../config/passwordObfuscation.js";
import { loadSharedFiles, sharedFilePaths } from "../config/sharedFiles.js";
import { isRunasError } from "../domain/errors.js";
import { gatherCredentials, withMfaCode } from "../idp/signInPrompts.js";
import type { SamlAssertion } from "../idp/types.js";
import type { Locker, Prompter } from "../ports.js";
import { providerForProfile } from "../providers/providerForProfile.js";
import { fakeSts } from "../../test/fakes/fakeSts.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { AuthenticationRequired } from "./contracts.js";
import { isProfileNotSet } from "./profileNotSet.js";
import { createProfileSessions, type ServeSessions } from "./profileSessions.js";
import type { Timers } from "./renewingCredentials.js";
import { serveMfaCode } from "./sessionPrompters.js";
import type { ProviderBuilder } from "./serveProviders.js";

const START = new Date("2026-01-01T12:00:00Z").getTime();
const MFA = "arn:aws:iam::123456789012:mfa/alice";
const SAML_ROLE = "arn:aws:iam::123456789012:role/Saml";
const PRINCIPAL = "arn:aws:iam::123456789012:saml-provider/Idp";
const IDP = "https://idp.example.com/saml";

const CONFIG = `# my profiles
[default]
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default

[profile ops]
role_arn = arn:aws:iam::123456789012:role/Ops
source_profile = default
mfa_serial = ${MFA}

[profile saml]
role_arn = ${SAML_ROLE}
saml_auth_url = ${IDP}
saml_username = alice

[profile slow]
role_arn = arn:aws:iam::123456789012:role/Slow
source_profile = default

[profile plain]
region = eu-west-1
`;
const CREDENTIALS = `[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = defaultsecret

[dev]
aws_access_key_id = AKIADEV
aws_secret_access_key = devsecret
`;

/** Serialises critical sections per path in one process, which is all these tests need. */
function memoryLocker(): Locker {
  const chains = new Map<string, Promise<unknown>>();
  return {
    withLock(p, fn) {
      const next = (chains.get(p) ?? Promise.resolve()).then(fn, fn);
      chains.set(p, next.catch(() => undefined));
      return next;
    },
  };
}

/** A terminal whose answers the test gives; it records every question. */
function scriptedTerminal(answers: string[] = []) {
  const asked: string[] = [];
  const terminal: Prompter = {
    text: async (m) => {
      asked.push(m);
      return answers.shift() ?? "";
    },
    secret: async (m) => {
      asked.push(m);
      return answers.shift() ?? "";
    },
  };
  return { terminal, asked };
}

function fakeTimers(now: () => number) {
  const pending = new Map<number, { at: number; fn: () => void }>();
  let id = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(++id, { at: now() + ms, fn });
      return id;
    },
    clearTimeout: (h) => {
      pending.delete(h as number);
    },
  };
  return { timers, pending };
}

/** Lets background work (file writes included) run until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise<void>((r) => setTimeout(r, 1));
  assert.ok(done(), "the background work finished");
}

const TWELVE_HOURS_AND_MORE = 13 * 3600 * 1000;

/**
 * Sessions over real files, real resolution and the real provider composition, with a fake STS and a fake SAML IdP
 * that asks the prompter what the real vendor clients ask (username, password, MFA code).
 */
function setup(o: { headless?: boolean; answers?: string[]; initialOverrides?: Record<string, string> } = {}) {
  let now = START;
  const home = mkdtempSync(path.join(os.tmpdir(), "runas-sessions-"));
  const aws = path.join(home, ".aws");
  mkdirSync(aws, { mode: 0o700 });
  writeFileSync(path.join(aws, "config"), CONFIG, { mode: 0o600 });
  writeFileSync(path.join(aws, "credentials"), CREDENTIALS, { mode: 0o600 });
  const paths = sharedFilePaths({}, home);
  const logger = memoryLogger();
  const sts = fakeSts({ now: () => new Date(now), validMfaCode: "123456" });
  const locker = memoryLocker();
  const cache = createCredentialCache({ dir: aws, logger });
  const signIns: { username: string; password: string }[] = [];
  let slowGate: Promise<void> = new Promise(() => undefined);
  const { terminal, asked } = scriptedTerminal(o.answers);
  const time = fakeTimers(() => now);

  const samlIdp = (s: { samlUsername?: string; samlPassword?: string; mfaCode?: string }, prompter: Prompter) => ({
    async samlAssertion(): Promise<SamlAssertion> {
      const login = await gatherCredentials({
        ...(s.samlUsername === undefined ? {} : { username: s.samlUsername }),
        ...(s.samlPassword === undefined ? {} : { password: s.samlPassword }),
      }, prompter);
      signIns.push(login);
      // A wrong password: the vendor clients ask again, which in the web page is the AUTH dialog.
      if (login.password !== "right") await prompter.secret("Password: ");
      return withMfaCode({
        ...(s.mfaCode === undefined ? {} : { given: s.mfaCode }),
        prompter,
        attempt: async (code) => (code === "654321" ? assertion() : "rejected"),
      });
    },
    idToken: () => Promise.reject(new Error("not an OIDC test")),
  });
  const assertion = (): SamlAssertion => ({
    base64: "PHNhbWxwOlJlc3BvbnNlLz4=",
    roles: () => [{ role: SAML_ROLE, principal: PRINCIPAL }],
    roleSessionName: () => "alice",
    sessionDuration: () => undefined,
    expiresAt: () => new Date(now + 240_000),
  });

  const buildProvider: ProviderBuilder = (profile, _files, prompter) => {
    const inner = providerForProfile(profile, {
      sts: async () => sts,
      sdkCredentials: () => async () => ({ accessKeyId: "ASIASDK", secretAccessKey: "sdk" }),
      cache,
      cacheDir: aws,
      credentialsPath: paths.credentialsPath,
      locker,
      clock: { now: () => new Date(now) },
      logger,
      mfaCode: serveMfaCode(profile.settings.mfaCode, prompter),
      env: {},
      osUser: () => "alice",
      idp: samlIdp(profile.settings, prompter),
    });
    // A sign-in that takes as long as the test wants (a push nobody approves yet).
    if (profile.name === "slow") return async (opts) => (await slowGate, inner(opts));
    return inner;
  };

  const sessions: ServeSessions = createProfileSessions({
    env: {},
    loadFiles: () => loadSharedFiles(paths),
    paths,
    buildProvider,
    terminal,
    headless: o.headless ?? false,
    ...(o.initialOverrides === undefined ? {} : { initialOverrides: o.initialOverrides }),
    clock: { now: () => new Date(now) },
    logger,
    locker,
    uiUrl: () => "http://127.0.0.1:9999/",
    timers: time.timers,
    passwordCost: 4,
  });
  return {
    home, aws, paths, sts, logger, signIns, asked, sessions, time,
    advance: (ms: number) => (now += ms),
    openSlow: () => {
      let open!: () => void;
      slowGate = new Promise<void>((r) => (open = r));
      return open;
    },
    actions: () => sts.calls.map((c) => c.op),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

describe("createProfileSessions", () => {
  it("has no active profile at first: credentials() names the page to choose one at, summary() is undefined", async () => {
    const t = setup();
    assert.equal(t.sessions.activeName(), undefined);
    assert.equal(t.sessions.summary(), undefined);
    await assert.rejects(t.sessions.credentials(), (e) => isProfileNotSet(e) && /choose one at http:\/\/127\.0\.0\.1:9999\//.test(e.message));
    await assert.rejects(t.sessions.supplyMfa("123456"), isProfileNotSet);
    await assert.rejects(t.sessions.refresh(), isProfileNotSet);
    t.cleanup();
  });

  it("activate() resolves the profile, signs in now and answers the summary of GET /profile", async () => {
    const t = setup();
    const summary = await t.sessions.activate("admin");
    assert.deepEqual(summary, {
      auth_url: "", client_id: "", external_id: "", jump_role: "", redirect_uri: "",
      role_arn: "arn:aws:iam::123456789012:role/Admin", source_profile: "default", username: "",
    });
    assert.equal(t.sessions.activeName(), "admin");
    assert.deepEqual(t.actions(), ["GetSessionToken", "GetCallerIdentity", "AssumeRole"]);
    assert.match((await t.sessions.credentials()).accessKeyId, /^ASIAROLE/);
    assert.equal(t.actions().length, 3, "held credentials are served without STS");
    assert.equal(t.sessions.roleArn(), "arn:aws:iam::123456789012:role/Admin");
    t.cleanup();
  });

  it("an unknown profile leaves no profile active", async () => {
    const t = setup();
    await t.sessions.activate("admin");
    await assert.rejects(t.sessions.activate("nope"), (e) => isRunasError(e) && e.code === "PROFILE_NOT_FOUND");
    assert.equal(t.sessions.activeName(), undefined);
    t.cleanup();
  });

  it("lists config profiles with role_arn as roles, every other profile (default, credentials-file ones) as profiles", () => {
    const t = setup();
    assert.deepEqual(t.sessions.listRoles(), ["admin", "ops", "saml", "slow"]);
    assert.deepEqual(t.sessions.listProfiles(), ["default", "dev", "plain"]);
    t.cleanup();
  });

  it("credentials(name) serves another profile without changing the active one; concurrent requests share one STS call", async () => {
    const t = setup();
    await t.sessions.activate("admin");
    t.sts.calls.length = 0;
    const all = await Promise.all(Array.from({ length: 10 }, () => t.sessions.credentials("missing")
      .catch(() => undefined)));
    assert.ok(all.every((c) => c === undefined), "an unknown profile fails every request");
    const many = await Promise.all(Array.from({ length: 10 }, () => t.sessions.credentials("ops")));
    assert.equal(new Set(many.map((c) => c.accessKeyId)).size, 1);
    assert.deepEqual(t.actions(), ["GetCallerIdentity", "AssumeRole"], "one AssumeRole for ten requests (the session token was cached)");
    assert.equal(t.sessions.activeName(), "admin");
    assert.equal(t.sessions.roleArn("ops"), "arn:aws:iam::123456789012:role/Ops");
    t.cleanup();
  });

  it("a sign-in that hangs for one profile holds up no request for another", async () => {
    const t = setup();
    const open = t.openSlow();
    const slow = t.sessions.activate("slow");
    let slowDone = false;
    void slow.then(() => (slowDone = true));
    const other = await t.sessions.credentials("admin");
    assert.match(other.accessKeyId, /^ASIAROLE/);
    assert.equal(slowDone, false, "the slow sign-in is still under way");
    assert.equal(t.sessions.activeName(), "slow");
    open();
    await slow;
    t.cleanup();
  });

  it("in the web page's mode an MFA question becomes AuthenticationRequired('MFA'); POST /mfa's code completes the sign-in", async () => {
    const t = setup();
    await assert.rejects(t.sessions.activate("ops"), (e) => e instanceof AuthenticationRequired && e.kind === "MFA");
    assert.equal(t.sessions.activeName(), "ops", "the profile stays active for the dialog's answer");
    assert.deepEqual(t.asked, [], "nothing was asked on the terminal");
    await t.sessions.supplyMfa("123456");
    const gst = t.sts.calls.find((c) => c.op === "GetSessionToken");
    assert.deepEqual(gst?.input.mfa, { serialNumber: MFA, tokenCode: "123456" });
    assert.match((await t.sessions.credentials()).accessKeyId, /^ASIAROLE/);

    // The code served one sign-in only: once the session token has expired, the next sign-in asks again.
    t.advance(TWELVE_HOURS_AND_MORE);
    await assert.rejects(t.sessions.credentials(), (e) => e instanceof AuthenticationRequired && e.kind === "MFA");
    t.cleanup();
  });

  it("a wrong MFA code is an STS error, and the next code can still be given", async () => {
    const t = setup();
    await assert.rejects(t.sessions.activate("ops"), AuthenticationRequired);
    await assert.rejects(t.sessions.supplyMfa("000000"), /invalid MFA/);
    await t.sessions.supplyMfa("123456");
    t.cleanup();
  });

  it("with --headless every question is asked on the terminal, one at a time", async () => {
    const t = setup({ headless: true, answers: ["123456"] });
    await t.sessions.activate("ops");
    assert.deepEqual(t.asked, ["MFA token code: "]);
    t.cleanup();
  });

  it("SAML: AUTH with the known username, POST /auth signs in, then the MFA dialog; a wrong password is not kept", async () => {
    const t = setup();
    await assert.rejects(t.sessions.activate("saml"), (e) => e instanceof AuthenticationRequired && e.kind === "AUTH" && e.username === "alice");
    await assert.rejects(t.sessions.supplyLogin("alice", "wrong"), (e) => e instanceof AuthenticationRequired && e.kind === "AUTH");
    await assert.rejects(t.sessions.supplyLogin("alice", "right"), (e) => e instanceof AuthenticationRequired && e.kind === "MFA");
    await t.sessions.supplyMfa("654321");
    assert.deepEqual(t.signIns.map((s) => s.password), ["wrong", "right", "right"], "the right password was kept for the MFA step");
    assert.ok(t.sts.calls.some((c) => c.op === "AssumeRoleWithSAML"));
    assert.equal(t.sessions.summary()?.username, "alice");
    assert.ok(!JSON.stringify(t.sessions.summary()).includes("right"), "no password in the summary");
    assert.ok(!t.logger.lines.join("\n").includes("right"), "nor in any log line");
    t.cleanup();
  });

  it("the initial profile gets the global flags (Q-16) and asks on the terminal; an -o code is used once", async () => {
    const t = setup({ initialOverrides: { externalId: "ext-1", mfaCode: "123456" } });
    await t.sessions.activateInitial("ops");
    assert.deepEqual(t.asked, []);
    const ar = t.sts.calls.find((c) => c.op === "AssumeRole");
    assert.equal(ar?.input.externalId, "ext-1");
    assert.equal((t.sts.calls.find((c) => c.op === "GetSessionToken")?.input.mfa as { tokenCode: string }).tokenCode, "123456");
    // Other profiles do not get the flags.
    t.sts.calls.length = 0;
    await t.sessions.credentials("admin");
    assert.equal(t.sts.calls.find((c) => c.op === "AssumeRole")?.input.externalId, undefined);
    t.cleanup();
  });

  it("the initial profile's questions go to the terminal until the web page selects it", async () => {
    const t = setup({ answers: ["123456"] });
    await t.sessions.activateInitial("ops");
    assert.deepEqual(t.asked, ["MFA token code: "]);
    t.advance(TWELVE_HOURS_AND_MORE);
    await assert.rejects(t.sessions.activate("ops"), AuthenticationRequired);
    assert.equal(t.asked.length, 1);
    t.cleanup();
  });

  it("renews the active profile in the background before expiry, without a person", async () => {
    const t = setup();
    await t.sessions.activate("admin");
    const first = await t.sessions.credentials();
    const [armed] = [...t.time.pending.entries()];
    assert.ok(armed !== undefined);
    const [id, timer] = armed;
    assert.equal(timer.at - START, 50 * 60_000, "ten minutes before the hour-long credentials expire");
    t.time.pending.delete(id);
    t.advance(timer.at - START);
    timer.fn();
    let renewed = first;
    await until(() => {
      void t.sessions.credentials().then((c) => (renewed = c));
      return renewed.accessKeyId !== first.accessKeyId;
    });
    assert.equal(t.actions().filter((a) => a === "AssumeRole").length, 2, "renewed with the cached session token");
    assert.equal(t.actions().filter((a) => a === "GetSessionToken").length, 1);
    t.sessions.close();
    assert.equal(t.time.pending.size, 0, "close() stops every renewal");
    t.cleanup();
  });

  it("keeps one entry per profile while the files say the same, and a new one when they change", async () => {
    const t = setup();
    await t.sessions.activate("admin");
    await t.sessions.credentials("admin");
    assert.equal(t.actions().filter((a) => a === "AssumeRole").length, 1);
    await t.sessions.activate("admin");
    assert.equal(t.actions().filter((a) => a === "AssumeRole").length, 1, "same entry, same held credentials");
    writeFileSync(t.paths.configPath, CONFIG.replace("role/Admin", "role/Admin2"));
    const summary = await t.sessions.activate("admin");
    assert.equal(summary.role_arn, "arn:aws:iam::123456789012:role/Admin2");
    t.cleanup();
  });

  it("POST /profile/custom: a nameless profile from the form, starting from the active one's region", async () => {
    const t = setup();
    await t.sessions.activate("plain").catch(() => undefined);
    await t.sessions.useCustom({ "adv-type": "iam", "role-arn": "arn:aws:iam::123456789012:role/Custom", "source-profile": "dev", "external-id": "x-1" });
    assert.equal(t.sessions.activeName(), "");
    assert.deepEqual(t.sessions.summary(), {
      auth_url: "", client_id: "", external_id: "x-1", jump_role: "", redirect_uri: "",
      role_arn: "arn:aws:iam::123456789012:role/Custom", source_profile: "dev", username: "",
    });
    t.sts.calls.length = 0;
    await t.sessions.credentials();
    const ar = t.sts.calls.find((c) => c.op === "AssumeRole");
    assert.equal(ar?.input.roleArn, "arn:aws:iam::123456789012:role/Custom");
    assert.equal(ar?.input.externalId, "x-1");
    assert.equal(t.sts.calls.find((c) => c.op === "GetSessionToken")?.signedBy, "AKIADEV");
    assert.ok(statSync(path.join(t.aws, ".aws_assume_role_123456789012-Custom")).isFile(), "cached under <account>-<role>");
    await assert.rejects(t.sessions.useCustom({ "adv-type": "iam" }), (e) => isRunasError(e) && /Role ARN/.test(e.message));
    await assert.rejects(t.sessions.useCustom({ "adv-type": "saml", "role-arn": SAML_ROLE, "auth-url": "not a url" }),
      (e) => isRunasError(e) && /Auth URL/.test(e.message));
    assert.equal(t.sessions.activeName(), "", "a refused form leaves the active profile alone");
    t.cleanup();
  });

  it("PUT /profile/custom: saves [profile name] and every other byte; the password obfuscated under the IdP URL; no provider", async () => {
    const t = setup();
    await t.sessions.saveCustom("corp", {
      "adv-type": "saml", "role-arn": SAML_ROLE, "auth-url": "https://sso.example.com/app", username: "bob",
      password: "pa ss", "jump-role": "",
    });
    const config = readFileSync(t.paths.configPath, "utf8");
    assert.ok(config.startsWith(CONFIG), "every earlier byte kept");
    assert.equal(config.slice(CONFIG.length),
      `\n[profile corp]\nrole_arn = ${SAML_ROLE}\nsaml_auth_url = https://sso.example.com/app\nsaml_username = bob\n`);
    assert.equal(statSync(t.paths.configPath).mode & 0o777, 0o600);
    const creds = readFileSync(t.paths.credentialsPath, "utf8");
    assert.ok(creds.startsWith(CREDENTIALS));
    const blob = /\[https:\/\/sso\.example\.com\/app\]\nsaml_password = (\S+)\n$/.exec(creds.slice(CREDENTIALS.length))?.[1] ?? "";
    assert.equal(decodePassword(blob, "https://sso.example.com/app"), "pa ss");
    assert.ok(t.sessions.listRoles().includes("corp"));

    // Saved again as IAM without a password (Q-21 fixed: no failure), the SAML keys go, nothing else changes.
    await t.sessions.saveCustom("corp", { "adv-type": "iam", "role-arn": "arn:aws:iam::123456789012:role/X", "source-profile": "dev" });
    assert.equal(readFileSync(t.paths.configPath, "utf8").slice(CONFIG.length),
      "\n[profile corp]\nrole_arn = arn:aws:iam::123456789012:role/X\nsource_profile = dev\n");
    await assert.rejects(t.sessions.saveCustom(" ", { "adv-type": "iam" }), /Invalid profile name/);
    t.cleanup();
  });
});
