import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFileLocker } from "../cache/fileLocker.js";
import { parseIni } from "../config/ini.js";
import { encodePassword } from "../config/passwordObfuscation.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import { isRunasError } from "../domain/errors.js";
import { parseSamlAssertion } from "../idp/samlAssertion.js";
import type { IdpSettings, SamlAssertion } from "../idp/types.js";
import { VENDORS } from "../idp/vendors.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { createIdpAccess } from "./idp.js";

const URL_ = "https://idp.example.com/saml/aws";
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  delete VENDORS.okta;
});

function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}
/** A SAML response with one role and an IssueInstant `ageMs` in the past. */
function assertion(ageMs: number): SamlAssertion {
  const issued = new Date(Date.now() - ageMs).toISOString();
  return parseSamlAssertion(
    b64(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" IssueInstant="${issued}">` +
      `<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::1:role/R,arn:aws:iam::1:saml-provider/P</saml:AttributeValue></saml:Attribute>` +
      `</saml:AttributeStatement></saml:Assertion></samlp:Response>`),
  );
}

/** A profile forced to the "okta" vendor, which this test replaces with a recording fake. */
function setup(credentials: string, ageMs = 0) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runas-idp-"));
  dirs.push(dir);
  const config = `[profile p]\nsaml_auth_url = ${URL_}\nsaml_provider = okta\nsaml_username = alice\nrole_arn = arn:aws:iam::1:role/R\n`;
  const files: SharedFiles = {
    paths: { configPath: path.join(dir, "config"), credentialsPath: path.join(dir, "credentials"), cacheDir: dir },
    config: parseIni(config, "config"),
    credentials: parseIni(credentials, "credentials"),
  };
  const seen: IdpSettings[] = [];
  let calls = 0;
  VENDORS.okta = {
    saml: (s) => {
      seen.push(s);
      return { vendor: "okta", getAssertion: async () => (calls++, assertion(ageMs)) };
    },
  };
  const access = createIdpAccess({
    profile: resolveProfile("p", files, {}, {}),
    files,
    cacheDir: dir,
    clock: { now: () => new Date() },
    logger: memoryLogger(),
    prompter: { text: async () => "", secret: async () => "" },
    locker: createFileLocker(),
    progress: () => undefined,
    openBrowser: async () => false,
  });
  return { access, seen, calls: () => calls, dir };
}

describe("createIdpAccess", () => {
  it("hands the vendor the password stored by `aws-runas password`, decoded", async () => {
    const blob = encodePassword("s3cret pass", URL_, 10);
    const t = setup(`[${URL_}]\nsaml_password = ${blob}\n`);
    await t.access.samlAssertion();
    assert.equal(t.seen[0]?.password, "s3cret pass");
    assert.equal(t.seen[0]?.username, "alice");
    assert.equal(t.seen[0]?.provider, "okta");
  });

  it("a stored blob that does not decode is an error, and the vendor is never called", async () => {
    const blob = encodePassword("s3cret pass", "https://another.example.com/", 10);
    const t = setup(`[${URL_}]\nsaml_password = ${blob}\n`);
    await assert.rejects(t.access.samlAssertion(), (e) =>
      isRunasError(e) && e.code === "PASSWORD_DECODE" && !e.message.includes(blob) && /aws-runas password/.test(e.message));
    assert.equal(t.seen.length, 0);
  });

  it("reuses a fresh assertion within one run and fetches a new one once it is too old (idp.md §15 case 16)", async () => {
    const fresh = setup("");
    await fresh.access.samlAssertion();
    await fresh.access.samlAssertion();
    assert.equal(fresh.calls(), 1);
    const old = setup("", 60 * 60 * 1000);
    await old.access.samlAssertion();
    await old.access.samlAssertion();
    assert.equal(old.calls(), 2);
  });

  it("reads web_identity_token_file trimmed, without any sign-in", async () => {
    const t = setup("");
    const file = path.join(t.dir, "token");
    writeFileSync(file, "  aaa.bbb.ccc\n");
    const files: SharedFiles = {
      paths: { configPath: path.join(t.dir, "config"), credentialsPath: path.join(t.dir, "credentials"), cacheDir: t.dir },
      config: parseIni(`[profile w]\nweb_identity_auth_url = https://idp.example.com\nweb_identity_client_id = c\nweb_identity_redirect_uri = app:/cb\nweb_identity_token_file = ${file}\nrole_arn = arn:aws:iam::1:role/R\n`, "config"),
      credentials: parseIni("", "credentials"),
    };
    const access = createIdpAccess({
      profile: resolveProfile("w", files, {}, {}),
      files,
      cacheDir: t.dir,
      clock: { now: () => new Date() },
      logger: memoryLogger(),
      prompter: { text: async () => "", secret: async () => "" },
      locker: createFileLocker(),
      progress: () => undefined,
      openBrowser: async () => {
        throw new Error("no browser may be opened");
      },
    });
    assert.equal((await access.idToken({ forceRefresh: false })).jwt, "aaa.bbb.ccc");
  });
});
