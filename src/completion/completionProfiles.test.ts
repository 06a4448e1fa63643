import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { completionProfiles } from "./completionProfiles.js";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runas-complete-"));
}

describe("completionProfiles", () => {
  it("lists the profiles of ~/.aws/config and ~/.aws/credentials, sorted, without password sections", () => {
    const home = tempDir();
    fs.mkdirSync(path.join(home, ".aws"));
    fs.writeFileSync(path.join(home, ".aws", "config"),
      "[default]\nregion = us-east-1\n[profile prod]\nrole_arn = arn:aws:iam::1:role/r\n[sso-session corp]\n[dev]\n");
    fs.writeFileSync(path.join(home, ".aws", "credentials"),
      "[ci]\naws_access_key_id = AKIA\n[https://idp.example.com/saml]\nsaml_password = x\n");
    assert.deepEqual(completionProfiles({}, home, memoryLogger()), ["ci", "default", "dev", "prod"]);
  });

  it("reads the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "cfg"), "[profile from-env]\n");
    fs.writeFileSync(path.join(dir, "creds"), "[creds-env]\n");
    const env = { AWS_CONFIG_FILE: path.join(dir, "cfg"), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "creds") };
    assert.deepEqual(completionProfiles(env, tempDir(), memoryLogger()), ["creds-env", "from-env"]);
  });

  it("gives no names, and says why at DEBUG only, when a file cannot be parsed or read", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "cfg"), "[profile ok]\nthis line is not ini\n");
    const logger = memoryLogger();
    assert.deepEqual(completionProfiles({ AWS_CONFIG_FILE: path.join(dir, "cfg") }, tempDir(), logger), []);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0] ?? "", /^DEBUG no profile names to complete: /);
    assert.deepEqual(completionProfiles({ AWS_CONFIG_FILE: dir }, tempDir(), memoryLogger()), []);
  });

  it("gives no names when there are no files", () => {
    assert.deepEqual(completionProfiles({}, tempDir(), memoryLogger()), []);
  });
});
