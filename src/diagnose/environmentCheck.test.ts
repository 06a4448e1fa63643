import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { environmentFindings } from "./environmentCheck.js";

const AKIA = "AKIAIOSFODNN7EXAMPLE";
const ASIA = "ASIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN";

describe("environmentFindings (core.md §8 step 2)", () => {
  it("says nothing when no AWS key variable is set, as upstream", () => {
    assert.deepEqual(environmentFindings({ AWS_REGION: "us-east-1" }), []);
    assert.deepEqual(environmentFindings({ AWS_ACCESS_KEY_ID: "" }), []);
  });

  it("finds temporary keys with their token sane, showing the key id masked", () => {
    assert.deepEqual(environmentFindings({ AWS_ACCESS_KEY_ID: ASIA, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN }), [
      { level: "INFO", message: "environment variables appear sane (AWS_ACCESS_KEY_ID ASIA****)" },
    ]);
  });

  it("reports an AKIA key together with a session token as upstream does", () => {
    const f = environmentFindings({ AWS_ACCESS_KEY_ID: AKIA, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN });
    assert.equal(f.length, 1);
    assert.equal(f[0]?.level, "ERROR");
    assert.match(f[0]?.message ?? "", /^detected static access key AWS_ACCESS_KEY_ID \(AKIA\*\*\*\*\) along with session token AWS_SESSION_TOKEN, this is invalid/);
  });

  it("reports a key id without a secret", () => {
    const f = environmentFindings({ AWS_ACCESS_KEY_ID: AKIA });
    assert.deepEqual(f.map((x) => x.level), ["ERROR"]);
  });

  it("points out a secret or token left without a key id", () => {
    const f = environmentFindings({ AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN });
    assert.deepEqual(f, [{
      level: "WARN",
      message: "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN are set but AWS_ACCESS_KEY_ID is not, so AWS tools ignore " +
        "them; unset AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN or set AWS_ACCESS_KEY_ID",
    }]);
  });

  it("never prints the secret or the token", () => {
    for (const env of [
      { AWS_ACCESS_KEY_ID: AKIA, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN },
      { AWS_ACCESS_KEY_ID: ASIA, AWS_SECRET_ACCESS_KEY: "bad" },
    ]) {
      for (const f of environmentFindings(env)) {
        assert.ok(!f.message.includes(SECRET) && !f.message.includes(TOKEN) && !f.message.includes("bad"));
        assert.ok(!f.message.includes(AKIA) && !f.message.includes(ASIA));
      }
    }
  });
});
