import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createCredentialCache } from "../cache/credentialCache.js";
import { parseIni } from "../config/ini.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import type { Logger } from "../ports.js";
import { cacheFilesFor, cacheFindings } from "./cacheCheck.js";

const ROLE = "role_arn = arn:aws:iam::123456789012:role/Admin\n";
const KEYS = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

function files(config: string, credentials = ""): SharedFiles {
  const paths = { configPath: "/h/.aws/config", credentialsPath: "/h/.aws/credentials", cacheDir: "/h/.aws" };
  return { paths, config: parseIni(config, paths.configPath), credentials: parseIni(credentials, paths.credentialsPath) };
}
const filesOf = (name: string, config: string, credentials = "") => cacheFilesFor(resolveProfile(name, files(config, credentials), {}, {}));

describe("cacheFilesFor (core.md §4.2 names, as providerForProfile uses them)", () => {
  it("names a role profile's role and session-token files", () => {
    assert.deepEqual(filesOf("p", `[profile p]\n${ROLE}source_profile = base\n[profile base]\n`, `[base]\n${KEYS}`),
      [".aws_assume_role_p", ".aws_session_token_base"]);
  });

  it("names a session profile's file after itself, or after its source", () => {
    assert.deepEqual(filesOf("s", "[profile s]\n", `[s]\n${KEYS}`), [".aws_session_token_s"]);
    assert.deepEqual(filesOf("s", "[profile s]\nsource_profile = base\n[profile base]\n", `[base]\n${KEYS}`), [".aws_session_token_base"]);
  });

  it("names every file of a role chain", () => {
    assert.deepEqual(
      filesOf("a", `[profile a]\n${ROLE}source_profile = b\n[profile b]\n${ROLE}source_profile = c\n[profile c]\n`, `[c]\n${KEYS}`),
      [".aws_assume_role_a", ".aws_assume_role_b", ".aws_session_token_c"],
    );
  });

  it("names SAML and web-identity files, with a jump role", () => {
    assert.deepEqual(filesOf("s", `[profile s]\nsaml_auth_url = https://i.example.com/s\n${ROLE}`), [".aws_saml_role_s"]);
    assert.deepEqual(filesOf("w", `[profile w]\nweb_identity_auth_url = https://i.example.com/w\n${ROLE}jump_role_arn = arn:aws:iam::111122223333:role/Jump\n`),
      [".aws_web_role_111122223333-Jump", ".aws_assume_role_w"]);
  });

  it("names a role ARN's file after the account and role", () => {
    assert.deepEqual(filesOf("arn:aws:iam::123456789012:role/path/Dev", "[default]\n"),
      [".aws_assume_role_123456789012-Dev", ".aws_session_token_"]);
  });
});

describe("cacheFindings", () => {
  const quiet: Logger = { debugEnabled: false, traceEnabled: false, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const now = new Date("2024-05-01T12:00:00Z");
  const setup = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runas-diag-cache-"));
    const profile = resolveProfile("p", files(`[profile p]\n${ROLE}source_profile = base\n[profile base]\n`, `[base]\n${KEYS}`), {}, {});
    const check = () => cacheFindings(profile, {
      cache: createCredentialCache({ dir, logger: quiet }), cacheDir: dir, clock: { now: () => now }, exists: fs.existsSync,
    }).map((f) => `${f.level} ${f.message}`);
    const write = (file: string, body: object | string) =>
      fs.writeFileSync(path.join(dir, file), typeof body === "string" ? body : JSON.stringify(body));
    return { dir, check, write };
  };

  it("says when nothing is cached", () => {
    const { dir, check } = setup();
    assert.deepEqual(check(), [`INFO no cached credentials for profile 'p' in ${dir}`]);
  });

  it("shows each cache file with its masked key and expiry, never the secret", () => {
    const { dir, check, write } = setup();
    write(".aws_assume_role_p", { AccessKeyId: "ASIAROLEROLEROLEROLE", Expiration: "2024-05-01T12:52:00Z", SecretAccessKey: "role-secret", SessionToken: "role-token" });
    write(".aws_session_token_base", { AccessKeyId: "ASIASESSIONSESSION01", Expiration: "2024-05-01T11:00:00Z", SecretAccessKey: "s", SessionToken: "t" });
    const lines = check();
    assert.deepEqual(lines, [
      `INFO cached credentials in ${path.join(dir, ".aws_assume_role_p")} (ASIA****) are valid until 2024-05-01T12:52:00Z (52m0s left)`,
      `INFO cached credentials in ${path.join(dir, ".aws_session_token_base")} (ASIA****) expired at 2024-05-01T11:00:00Z; the next run gets new ones`,
    ]);
    assert.ok(!lines.join("\n").includes("role-secret"));
  });

  it("warns about a cache file that cannot be used", () => {
    const { dir, check, write } = setup();
    write(".aws_assume_role_p", "{not json");
    assert.deepEqual(check(), [
      `WARN cached credentials in ${path.join(dir, ".aws_assume_role_p")} cannot be used (run with -v for the reason); the next run replaces them`,
    ]);
  });
});
