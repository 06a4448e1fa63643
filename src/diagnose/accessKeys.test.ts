import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyFindings, maskKeyId } from "./accessKeys.js";

const NAMES = { accessKeyId: "AWS_ACCESS_KEY_ID", secretAccessKey: "AWS_SECRET_ACCESS_KEY", sessionToken: "AWS_SESSION_TOKEN", where: "" };
const AKIA = "AKIAIOSFODNN7EXAMPLE";
const ASIA = "ASIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("maskKeyId", () => {
  it("keeps the first 4 characters only", () => {
    assert.equal(maskKeyId(AKIA), "AKIA****");
    assert.equal(maskKeyId("ASIA1"), "ASIA****");
    assert.equal(maskKeyId("AKIA"), "****");
    assert.equal(maskKeyId(""), "****");
  });
});

describe("keyFindings", () => {
  it("has nothing to say about well-formed long-term keys", () => {
    assert.deepEqual(keyFindings({ accessKeyId: AKIA, secretAccessKey: SECRET }, NAMES), []);
  });

  it("has nothing to say about a temporary key with its session token", () => {
    assert.deepEqual(keyFindings({ accessKeyId: ASIA, secretAccessKey: SECRET, sessionToken: "tok" }, NAMES), []);
  });

  it("refuses a long-term key with a session token, in upstream's words", () => {
    const f = keyFindings({ accessKeyId: AKIA, secretAccessKey: SECRET, sessionToken: "tok" }, NAMES);
    assert.deepEqual(f.map((x) => x.level), ["ERROR"]);
    assert.match(f[0]?.message ?? "", /^detected static access key AWS_ACCESS_KEY_ID \(AKIA\*\*\*\*\) along with session token AWS_SESSION_TOKEN, this is invalid: /);
  });

  it("refuses a temporary key without its session token", () => {
    const f = keyFindings({ accessKeyId: ASIA, secretAccessKey: SECRET }, NAMES);
    assert.deepEqual(f, [{
      level: "ERROR",
      message: "AWS_ACCESS_KEY_ID (ASIA****) is a temporary key but AWS_SESSION_TOKEN is not set: AWS rejects a " +
        "temporary key without its session token; set AWS_SESSION_TOKEN as well",
    }]);
  });

  it("refuses a key id without its secret, naming the place", () => {
    const f = keyFindings({ accessKeyId: AKIA }, { ...NAMES, where: " in [p] of /c" });
    assert.deepEqual(f.map((x) => x.level), ["ERROR"]);
    assert.match(f[0]?.message ?? "", /^AWS_ACCESS_KEY_ID \(AKIA\*\*\*\*\) is set in \[p\] of \/c but AWS_SECRET_ACCESS_KEY is not/);
  });

  it("warns about values not shaped like AWS keys, never quoting them", () => {
    const secret = "short-secret-value";
    const f = keyFindings({ accessKeyId: "AKIAshort", secretAccessKey: secret }, NAMES);
    assert.deepEqual(f.map((x) => x.level), ["WARN", "WARN"]);
    assert.match(f[0]?.message ?? "", /AWS_ACCESS_KEY_ID \(AKIA\*\*\*\*\) does not look like an AWS access key id/);
    assert.match(f[1]?.message ?? "", /AWS_SECRET_ACCESS_KEY does not look like an AWS secret access key/);
    for (const x of f) {
      assert.ok(!x.message.includes(secret));
      assert.ok(!x.message.includes("AKIAshort"));
    }
  });

  it("warns about a key of another kind (an IAM user id pasted as a key)", () => {
    const f = keyFindings({ accessKeyId: "AIDAIOSFODNN7EXAMPLE", secretAccessKey: SECRET }, NAMES);
    assert.deepEqual(f.map((x) => x.level), ["WARN"]);
  });
});
