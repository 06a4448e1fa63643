import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import { encodePassword } from "./passwordObfuscation.js";
import { loadSharedFiles } from "./sharedFiles.js";
import type { SharedFiles } from "./sharedFiles.js";
import { displayIdpUrl, idpPassword, PASSWORD_KEY } from "./storedPassword.js";

const OKTA = "https://example.okta.com/home/amazon_aws/abc/123";
const ONELOGIN = "https://corp.onelogin.com/oidc/2?token=Y2xpZW50OnNlY3JldA==";

/** The shared files of a temp directory whose credentials file holds `credentials`. */
function filesWith(credentials: string): SharedFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
  const credentialsPath = path.join(dir, "credentials");
  fs.writeFileSync(credentialsPath, credentials);
  return loadSharedFiles({ configPath: path.join(dir, "config"), credentialsPath, cacheDir: dir });
}

describe("idpPassword (core.md §3.10, decision Q-10)", () => {
  const blob = encodePassword("from-blob", OKTA, 10);
  const oneloginBlob = encodePassword("onelogin-pw", ONELOGIN, 10);
  const files = filesWith(
    `[default]\naws_access_key_id = AKIA\n\n[${OKTA}]\nsaml_password = ${blob}\nweb_identity_password = plain-oidc\n\n` +
      `[${ONELOGIN}]\nweb_identity_password = ${oneloginBlob}\n\n` +
      `[https://plain.example.com/saml]\nsaml_password = plain text pw\n\n` +
      `[https://quoted.example.com/]\nsaml_password = "quoted pw"\n\n` +
      `[https://empty.example.com/]\nsaml_password =\n`,
  );
  const cases: [string, { url: string; kind: "saml" | "web"; override?: string }, string | undefined][] = [
    ["a stored blob is decoded with the URL as key", { url: OKTA, kind: "saml" }, "from-blob"],
    ["the key is chosen by kind", { url: OKTA, kind: "web" }, "plain-oidc"],
    ["a URL with a query string names its section whole", { url: ONELOGIN, kind: "web" }, "onelogin-pw"],
    ["a stored plain-text password is used as it is", { url: "https://plain.example.com/saml", kind: "saml" }, "plain text pw"],
    ["matching quotes are removed, as upstream's reader does", { url: "https://quoted.example.com/", kind: "saml" }, "quoted pw"],
    ["an empty value is no password", { url: "https://empty.example.com/", kind: "saml" }, undefined],
    ["no section for the URL: none", { url: "https://other.example.com/", kind: "saml" }, undefined],
    ["no key of that kind: none", { url: ONELOGIN, kind: "saml" }, undefined],
    ["the section name must match exactly", { url: `${OKTA}/`, kind: "saml" }, undefined],
    ["an override wins over the stored blob", { url: OKTA, kind: "saml", override: "from-flag" }, "from-flag"],
    ["an empty override is no override", { url: OKTA, kind: "saml", override: "" }, "from-blob"],
    ["an obfuscated override is decoded, as upstream does", { url: OKTA, kind: "saml", override: blob }, "from-blob"],
  ];
  for (const [what, o, expected] of cases) {
    it(what, () => {
      assert.equal(idpPassword({ files, profile: "p", ...o }), expected);
    });
  }

  it("a missing credentials file is no password", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
    const missing = loadSharedFiles({
      configPath: path.join(dir, "config"),
      credentialsPath: path.join(dir, "credentials"),
      cacheDir: dir,
    });
    assert.equal(idpPassword({ files: missing, url: OKTA, kind: "saml", profile: "p" }), undefined);
  });

  it("a later duplicate key or section wins", () => {
    const dup = filesWith(`[${OKTA}]\nsaml_password = first\nsaml_password = second\n[${OKTA}]\nsaml_password = third\n`);
    assert.equal(idpPassword({ files: dup, url: OKTA, kind: "saml", profile: "p" }), "third");
  });

  it("a stored empty password (an old upstream bug, Q-15) means none", () => {
    const empty = filesWith(`[${OKTA}]\nsaml_password = ${encodePassword("", OKTA, 10)}\n`);
    assert.equal(idpPassword({ files: empty, url: OKTA, kind: "saml", profile: "p" }), undefined);
  });

  it("a blob stored for another URL is an error telling what to run, without the blob", () => {
    const moved = filesWith(`[${OKTA}]\nsaml_password = ${encodePassword("pw", "https://old.example.com/", 10)}\n`);
    assert.throws(
      () => idpPassword({ files: moved, url: OKTA, kind: "saml", profile: "okta" }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "PASSWORD_DECODE" &&
        e.message ===
          `the stored password for ${OKTA} cannot be decoded (was the URL changed?); run aws-runas password okta to store it again`,
    );
  });

  it("a damaged blob is an error too, never sent on as a password", () => {
    const damaged = filesWith(`[${OKTA}]\nsaml_password = ${blob.slice(0, -3)}\n`);
    assert.throws(
      () => idpPassword({ files: damaged, url: OKTA, kind: "saml", profile: "" }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "PASSWORD_DECODE" &&
        e.message ===
          `the stored password for ${OKTA} cannot be decoded (was the URL changed?); run aws-runas password default to store it again`,
    );
  });

  it("an obfuscated override that does not decode is an error that hides the URL's token", () => {
    const foreign = encodePassword("pw", "https://old.example.com/", 10);
    assert.throws(
      () => idpPassword({ files, url: ONELOGIN, kind: "web", profile: "ol", override: foreign }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "PASSWORD_DECODE" &&
        e.message ===
          "the password given with -P or RUNAS_PASSWORD/SAML_PASSWORD/WEB_PASSWORD looks obfuscated but cannot be " +
            "decoded for https://corp.onelogin.com/oidc/2?…; give the plain password, or run aws-runas password ol to store it",
    );
  });
});

describe("PASSWORD_KEY", () => {
  it("names upstream's keys", () => {
    assert.deepEqual(PASSWORD_KEY, { saml: "saml_password", web: "web_identity_password" });
  });
});

describe("displayIdpUrl", () => {
  const cases: [string, string][] = [
    [OKTA, OKTA],
    [ONELOGIN, "https://corp.onelogin.com/oidc/2?…"],
    ["https://user:pw@idp.example.com/x#frag", "https://…@idp.example.com/x?…"],
  ];
  for (const [url, shown] of cases) {
    it(url, () => assert.equal(displayIdpUrl(url), shown));
  }
});
