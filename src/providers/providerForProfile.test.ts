import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCredentialCache } from "../cache/credentialCache.js";
import { isRunasError } from "../domain/errors.js";
import type { Locker } from "../ports.js";
import { fakeSts } from "../../test/fakes/fakeSts.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { keysProfile, profile } from "../../test/fakes/profiles.js";
import { providerForProfile, profileKind, type ProviderDeps } from "./providerForProfile.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { IdToken, SamlAssertion } from "../idp/types.js";
import type { IdpAccess } from "./idpAccess.js";

const NOW = new Date("2026-01-01T12:00:00Z");
const ADMIN = "arn:aws:iam::123456789012:role/Admin";

/** Serialises critical sections per path in one process, which is all these tests need. */
function memoryLocker(): Locker & { taken: string[] } {
  const chains = new Map<string, Promise<unknown>>();
  const taken: string[] = [];
  return {
    taken,
    withLock(p, fn) {
      taken.push(path.basename(p));
      const next = (chains.get(p) ?? Promise.resolve()).then(fn, fn);
      chains.set(p, next.catch(() => undefined));
      return next;
    },
  };
}

function setup(o: { now?: Date; validMfaCode?: string; mfaAnswers?: string[]; env?: Record<string, string> } = {}) {
  let now = o.now ?? NOW;
  const dir = mkdtempSync(path.join(os.tmpdir(), "runas-prov-"));
  const sts = fakeSts({ now: () => now, ...(o.validMfaCode === undefined ? {} : { validMfaCode: o.validMfaCode }) });
  const logger = memoryLogger();
  const prompts: string[] = [];
  const locker = memoryLocker();
  const deps: ProviderDeps = {
    sts: async () => sts,
    sdkCredentials: () => async () => ({ accessKeyId: "ASIASDK", secretAccessKey: "sdk", sessionToken: "sdktoken" }),
    cache: createCredentialCache({ dir, logger }),
    cacheDir: dir,
    credentialsPath: path.join(dir, "credentials"),
    locker,
    clock: { now: () => now },
    logger,
    mfaCode: async (serial) => {
      prompts.push(serial);
      return o.mfaAnswers?.shift() ?? "123456";
    },
    env: o.env ?? {},
    osUser: () => "osuser",
  };
  return { dir, sts, logger, prompts, deps, locker, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const role = (name: string, settings: ResolvedProfile["settings"], source?: ResolvedProfile): ResolvedProfile =>
  profile(name, { roleArn: ADMIN, ...(source ? { sourceProfile: source.name } : {}), ...settings }, source ? { source } : {});

describe("providerForProfile", () => {
  it("decides the flow once: SAML, then web identity, then role, then session", () => {
    assert.equal(profileKind(profile("a", { samlAuthUrl: "https://x", webIdentityAuthUrl: "https://y", roleArn: ADMIN })), "saml");
    assert.equal(profileKind(profile("a", { webIdentityAuthUrl: "https://y", roleArn: ADMIN })), "web-identity");
    assert.equal(profileKind(profile("a", { roleArn: ADMIN })), "role");
    assert.equal(profileKind(profile("a", {})), "session");
  });

  it("session profile: GetSessionToken with the profile's keys, 12 h by default, cached under its name", async () => {
    const t = setup();
    const creds = await providerForProfile(keysProfile("dev"), t.deps)();
    assert.equal(creds.accessKeyId, "ASIASESSION1");
    assert.deepEqual(t.sts.calls, [{ op: "GetSessionToken", signedBy: "AKIADEV", input: { durationSeconds: 43200, mfa: undefined } }]);
    assert.deepEqual(readdirSync(t.dir), [".aws_session_token_dev"]);
  });

  it("role of one hour or less: MFA on the session token, AssumeRole signed by it, no MFA there", async () => {
    const t = setup();
    const src = keysProfile("default");
    const p = role("admin", { mfaSerial: "arn:aws:iam::123456789012:mfa/alice", externalId: "ext-1" }, src);
    const creds = await providerForProfile(p, t.deps)();
    assert.equal(creds.accessKeyId, "ASIAROLE2");
    assert.deepEqual(t.sts.calls, [
      { op: "GetSessionToken", signedBy: "AKIADEFAULT", input: { durationSeconds: 43200, mfa: { serialNumber: "arn:aws:iam::123456789012:mfa/alice", tokenCode: "123456" } } },
      { op: "GetCallerIdentity", signedBy: "ASIASESSION1", input: {} },
      { op: "AssumeRole", signedBy: "ASIASESSION1", input: { roleArn: ADMIN, roleSessionName: "alice", durationSeconds: 3600, externalId: "ext-1" } },
    ]);
    assert.deepEqual(readdirSync(t.dir).sort(), [".aws_assume_role_admin", ".aws_session_token_default"]);
    assert.deepEqual(t.prompts, ["arn:aws:iam::123456789012:mfa/alice"]);
  });

  it("role over one hour: AssumeRole directly with the long-term keys, carrying the MFA", async () => {
    const t = setup();
    const p = role("long", { credentialsDuration: 7200, mfaSerial: "mfa-1", roleSessionName: "me@corp com" }, keysProfile("default"));
    await providerForProfile(p, t.deps)();
    assert.deepEqual(t.sts.calls, [
      { op: "AssumeRole", signedBy: "AKIADEFAULT", input: { roleArn: ADMIN, roleSessionName: "me@corp-com", durationSeconds: 7200, mfa: { serialNumber: "mfa-1", tokenCode: "123456" } } },
    ]);
  });

  it("clamps durations to what STS allows, logging upstream's words", async () => {
    for (const [requested, expected, words] of [
      [100 * 3600, 43200, "provided duration too long, setting to maximum value (role: 43200 s)"],
      [600, 900, "provided duration too short, setting to minimum value (role: 900 s)"],
      [undefined, 3600, "provided duration less than 1, setting to default value (role: 3600 s)"],
    ] as const) {
      const t = setup();
      await providerForProfile(role("r", requested === undefined ? {} : { credentialsDuration: requested }, keysProfile("default")), t.deps)();
      const ar = t.sts.calls.find((c) => c.op === "AssumeRole");
      assert.equal(ar?.input.durationSeconds, expected);
      assert.ok(t.logger.lines.includes(`DEBUG ${words}`), t.logger.lines.join("\n"));
    }
  });

  it("duration_seconds counts when credentials_duration is unset", async () => {
    const t = setup();
    await providerForProfile(role("r", { durationSeconds: 1800 }, keysProfile("default")), t.deps)();
    assert.equal(t.sts.calls.find((c) => c.op === "AssumeRole")?.input.durationSeconds, 1800);
  });

  it("a fresh cache entry answers without STS; one within 5 minutes of expiry is refreshed", async () => {
    const t = setup();
    const p = role("admin", {}, keysProfile("default"));
    const first = await providerForProfile(p, t.deps)();
    t.sts.calls.length = 0;
    const again = await providerForProfile(p, t.deps)();
    assert.deepEqual(again, first);
    assert.equal(t.sts.calls.length, 0);

    t.advance(56 * 60 * 1000); // 4 minutes left on the role credentials
    const refreshed = await providerForProfile(p, t.deps)();
    assert.notEqual(refreshed.accessKeyId, first.accessKeyId);
    assert.deepEqual(t.sts.calls.map((c) => c.op), ["GetCallerIdentity", "AssumeRole"], "the 12 h session token is still good");
  });

  it("forceRefresh (-r) renews the role credentials only", async () => {
    const t = setup();
    const p = role("admin", {}, keysProfile("default"));
    await providerForProfile(p, t.deps)();
    t.sts.calls.length = 0;
    await providerForProfile(p, t.deps)({ forceRefresh: true });
    assert.deepEqual(t.sts.calls.map((c) => c.op), ["GetCallerIdentity", "AssumeRole"]);
  });

  it("a corrupt cache file is a miss, and is replaced", async () => {
    const t = setup();
    writeFileSync(path.join(t.dir, ".aws_session_token_dev"), "{]");
    const creds = await providerForProfile(keysProfile("dev"), t.deps)();
    assert.equal(creds.accessKeyId, "ASIASESSION1");
    assert.deepEqual(createCredentialCache({ dir: t.dir, logger: t.logger }).read(".aws_session_token_dev"), creds);
  });

  it("follows role chains of any depth, each hop cached", async () => {
    const t = setup();
    const base = keysProfile("base");
    const mid = profile("mid", { roleArn: "arn:aws:iam::111111111111:role/Mid", sourceProfile: "base" }, { source: base });
    const top = profile("top", { roleArn: "arn:aws:iam::222222222222:role/Top", sourceProfile: "mid", credentialsDuration: 7200 }, { source: mid });
    await providerForProfile(top, t.deps)();
    const roles = t.sts.calls.filter((c) => c.op === "AssumeRole").map((c) => [c.input.roleArn, c.signedBy, c.input.durationSeconds]);
    assert.deepEqual(roles, [
      ["arn:aws:iam::111111111111:role/Mid", "ASIASESSION1", 3600],
      ["arn:aws:iam::222222222222:role/Top", "ASIAROLE2", 3600],
    ]);
    assert.ok(t.logger.lines.includes("DEBUG provided duration too long, setting to maximum value (chained role: 3600 s)"), "chained sessions are capped at 1 h");
    assert.deepEqual(readdirSync(t.dir).sort(), [".aws_assume_role_mid", ".aws_assume_role_top", ".aws_session_token_base"]);
  });

  it("a role ARN instead of a profile uses the environment's keys and the <account>-<role> cache name", async () => {
    const t = setup({ env: { AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "envsecret" } });
    await providerForProfile(profile("", { roleArn: "arn:aws:iam::123456789012:role/path/Dev" }), t.deps)();
    assert.equal(t.sts.calls[0]?.signedBy, "AKIAENV");
    assert.deepEqual(readdirSync(t.dir).sort(), [".aws_assume_role_123456789012-Dev", ".aws_session_token_"]);
  });

  it("temporary base credentials (a source with credential_process) assume the role directly", async () => {
    const t = setup();
    const src = profile("sso", { credentialProcess: "get-creds" });
    await providerForProfile(role("r", {}, src), t.deps)();
    assert.deepEqual(t.sts.calls.map((c) => [c.op, c.signedBy]), [["GetCallerIdentity", "ASIASDK"], ["AssumeRole", "ASIASDK"]]);
  });

  it("a wrong MFA code is an error and nothing is cached", async () => {
    const t = setup({ validMfaCode: "111111" });
    const p = role("admin", { mfaSerial: "mfa-1" }, keysProfile("default"));
    await assert.rejects(providerForProfile(p, t.deps)(), /invalid MFA/);
    assert.deepEqual(readdirSync(t.dir), []);
  });

  it("a profile without keys says how to fix it; a SAML profile without role_arn too", async () => {
    const t = setup();
    assert.throws(() => providerForProfile(profile("bare", {}), t.deps), (e) =>
      isRunasError(e) && e.code === "NO_CREDENTIALS" && /add aws_access_key_id and aws_secret_access_key to \[bare\]/.test(e.message));
    assert.throws(() => providerForProfile(profile("s", { samlAuthUrl: "https://idp" }), t.deps), (e) =>
      isRunasError(e) && e.code === "INVALID_CONFIG" && /has no role_arn/.test(e.message));
  });

  describe("SAML and web identity", () => {
    const SAML_ROLE = "arn:aws:iam::123456789012:role/SamlRole";
    const PRINCIPAL = "arn:aws:iam::123456789012:saml-provider/Idp";
    const JUMP = "arn:aws:iam::111111111111:role/Jump";
    const assertion = (roles: [string, string][]): SamlAssertion => ({
      base64: "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+",
      roles: () => roles.map(([role, principal]) => ({ role, principal })),
      roleSessionName: () => "alice@example.com",
      sessionDuration: () => undefined,
      expiresAt: () => new Date(NOW.getTime() + 240_000),
    });
    const token = (claims: Record<string, unknown>): IdToken => ({
      jwt: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.",
      claims,
      expiresAt: () => new Date(NOW.getTime() + 3_600_000),
    });
    const idp = (o: { roles?: [string, string][]; claims?: Record<string, unknown> } = {}) => {
      const calls: string[] = [];
      const access: IdpAccess = {
        samlAssertion: async () => {
          calls.push("saml");
          return assertion(o.roles ?? [[SAML_ROLE, PRINCIPAL]]);
        },
        idToken: async ({ forceRefresh }) => {
          calls.push(forceRefresh ? "token(forced)" : "token");
          return token(o.claims ?? { email: "alice@example.com" });
        },
      };
      return { access, calls };
    };

    it("SAML: AssumeRoleWithSAML with the principal paired to the role, cached as .aws_saml_role_<profile>", async () => {
      const t = setup();
      const i = idp({ roles: [["arn:aws:iam::123456789012:role/Other", PRINCIPAL], [SAML_ROLE, PRINCIPAL]] });
      const p = profile("okta", { samlAuthUrl: "https://idp.example.com/saml", roleArn: SAML_ROLE, credentialsDuration: 7200 });
      await providerForProfile(p, { ...t.deps, idp: i.access })();
      assert.deepEqual(t.sts.calls, [
        { op: "AssumeRoleWithSAML", signedBy: "", input: { roleArn: SAML_ROLE, principalArn: PRINCIPAL, samlAssertion: assertion([]).base64, durationSeconds: 7200 } },
      ]);
      assert.deepEqual(readdirSync(t.dir), [".aws_saml_role_okta"]);
      t.sts.calls.length = 0;
      await providerForProfile(p, { ...t.deps, idp: i.access })();
      assert.equal(t.sts.calls.length, 0, "cached");
      assert.deepEqual(i.calls, ["saml"]);
    });

    it("SAML: a role the assertion does not grant is an error listing the granted ones", async () => {
      const t = setup();
      const p = profile("okta", { samlAuthUrl: "https://idp.example.com/saml", roleArn: "arn:aws:iam::123456789012:role/Nope" });
      await assert.rejects(providerForProfile(p, { ...t.deps, idp: idp().access })(), (e) =>
        isRunasError(e) && e.code === "SAML_ROLE_NOT_GRANTED" && e.message.includes(`roles available: ${SAML_ROLE}`));
      assert.deepEqual(readdirSync(t.dir), []);
    });

    it("SAML: an assertion shorter than 20 characters is rejected before STS (idp.md §15 case 26)", async () => {
      const t = setup();
      const short: IdpAccess = {
        samlAssertion: async () => ({ ...assertion([[SAML_ROLE, PRINCIPAL]]), base64: "c2hvcnQ=" }),
        idToken: () => Promise.reject(new Error("unused")),
      };
      const p = profile("okta", { samlAuthUrl: "https://idp.example.com/saml", roleArn: SAML_ROLE });
      await assert.rejects(providerForProfile(p, { ...t.deps, idp: short })(), (e) =>
        isRunasError(e) && e.code === "SAML_INVALID" && /invalid SAML Assertion detected/.test(e.message));
      assert.equal(t.sts.calls.length, 0);
    });

    it("SAML with a jump role: the jump role from the assertion, then a 1 h AssumeRole into role_arn", async () => {
      const t = setup();
      const p = profile("jumpy", { samlAuthUrl: "https://idp.example.com/saml", roleArn: ADMIN, jumpRoleArn: JUMP, externalId: "x1" });
      await providerForProfile(p, { ...t.deps, idp: idp({ roles: [[JUMP, PRINCIPAL]] }).access })();
      assert.deepEqual(t.sts.calls.map((c) => [c.op, c.signedBy, c.input.roleArn ?? "", c.input.durationSeconds ?? ""]), [
        ["AssumeRoleWithSAML", "", JUMP, 3600],
        ["GetCallerIdentity", "ASIASAML1", "", ""],
        ["AssumeRole", "ASIASAML1", ADMIN, 3600],
      ]);
      assert.equal(t.sts.calls[2]?.input.externalId, "x1");
      assert.deepEqual(readdirSync(t.dir).sort(), [".aws_assume_role_jumpy", ".aws_saml_role_111111111111-Jump"]);
    });

    it("web identity: AssumeRoleWithWebIdentity with the id token, session name from the user; -r signs in again", async () => {
      const t = setup();
      const i = idp({ claims: { email: "alice@example.com", sub: "abc" } });
      const p = profile("oidc", { webIdentityAuthUrl: "https://idp.example.com", webIdentityClientId: "c", webIdentityRedirectUri: "app:/callback", roleArn: ADMIN });
      await providerForProfile(p, { ...t.deps, idp: i.access })();
      assert.deepEqual(t.sts.calls.map((c) => [c.op, c.input.roleSessionName, c.input.webIdentityToken]), [
        ["AssumeRoleWithWebIdentity", "alice@example.com", token({}).jwt],
      ]);
      assert.deepEqual(readdirSync(t.dir), [".aws_web_role_oidc"]);
      await providerForProfile(p, { ...t.deps, idp: i.access })({ forceRefresh: true });
      assert.deepEqual(i.calls, ["token", "token(forced)"]);
    });

    it("web identity: web_identity_username wins for the session name", async () => {
      const t = setup();
      const p = profile("oidc", { webIdentityAuthUrl: "https://idp", webIdentityClientId: "c", webIdentityRedirectUri: "app:/cb", roleArn: ADMIN, webIdentityUsername: "bob smith" });
      await providerForProfile(p, { ...t.deps, idp: idp().access })();
      assert.equal(t.sts.calls[0]?.input.roleSessionName, "bob-smith");
    });
  });

  it("takes the lock only on a miss", async () => {
    const t = setup();
    const p = keysProfile("dev");
    await providerForProfile(p, t.deps)();
    const taken = t.locker.taken.length;
    await providerForProfile(p, t.deps)();
    assert.equal(t.locker.taken.length, taken);
  });
});
