import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIni } from "../config/ini.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import type { Env } from "../ports.js";
import { iamFindings } from "./iamCheck.js";

const AKIA = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ROLE = "role_arn = arn:aws:iam::123456789012:role/R\n";
const KEYS = `aws_access_key_id = ${AKIA}\naws_secret_access_key = ${SECRET}\n`;

function files(config: string, credentials = ""): SharedFiles {
  const paths = { configPath: "/h/.aws/config", credentialsPath: "/h/.aws/credentials", cacheDir: "/h/.aws" };
  return { paths, config: parseIni(config, paths.configPath), credentials: parseIni(credentials, paths.credentialsPath) };
}
function check(name: string, config: string, credentials = "", env: Env = {}): string[] {
  const f = files(config, credentials);
  const p = resolveProfile(name, f, env, {});
  const defaultProfile = p.name === "" ? resolveProfile("default", f, {}, {}) : undefined;
  return iamFindings(p, { env, files: f, ...(defaultProfile === undefined ? {} : { defaultProfile }) })
    .map((x) => `${x.level} ${x.message}`);
}

describe("iamFindings (core.md §8 step 4, IAM profiles)", () => {
  it("checks the source profile's keys of a role profile", () => {
    assert.deepEqual(check("p", `[profile p]\n${ROLE}source_profile = base\n[profile base]\n`, `[base]\n${KEYS}`), [
      "INFO profile 'p' stands on the credentials of profile 'base' (source_profile chain p -> base)",
      "INFO profile credentials appear sane (aws_access_key_id AKIA**** in [base] of /h/.aws/credentials)",
      "INFO credentials appear sane",
    ]);
  });

  it("reports a role profile without a source in upstream's words", () => {
    assert.deepEqual(check("p", `[profile p]\n${ROLE}`), [
      "ERROR missing source_profile configuration for profile 'p': add source_profile = <a profile with keys> to " +
        "[profile p], or give the profile its own aws_access_key_id and aws_secret_access_key",
    ]);
  });

  it("accepts a role profile with keys of its own, or with credential_process", () => {
    assert.deepEqual(check("p", `[profile p]\n${ROLE}`, `[p]\n${KEYS}`).at(-1), "INFO credentials appear sane");
    assert.deepEqual(check("p", `[profile p]\n${ROLE}credential_process = /bin/creds\n`), [
      "INFO profile 'p' gets its credentials from credential_process through the AWS SDK",
      "INFO credentials appear sane",
    ]);
  });

  it("follows a source_profile chain to the profile holding the keys", () => {
    const lines = check("a", `[profile a]\n${ROLE}source_profile = b\n[profile b]\n${ROLE}source_profile = c\n[profile c]\n`, `[c]\n${KEYS}`);
    assert.equal(lines[0], "INFO profile 'a' stands on the credentials of profile 'c' (source_profile chain a -> b -> c)");
    assert.equal(lines.at(-1), "INFO credentials appear sane");
  });

  it("says which part of the credentials is missing", () => {
    assert.deepEqual(check("p", "[profile p]\nregion = us-east-1\n"), [
      "ERROR incomplete or missing credentials for profile 'p': there is no [p] section in /h/.aws/credentials; add " +
        "one with aws_access_key_id and aws_secret_access_key, or give the profile a source_profile that has them",
    ]);
    assert.deepEqual(check("p", "[profile p]\n", `[p]\naws_access_key_id = ${AKIA}\n`), [
      "ERROR incomplete or missing credentials for profile 'p': [p] in /h/.aws/credentials has no aws_secret_access_key; add it",
    ]);
  });

  it("reports keys in the config file as found there", () => {
    assert.deepEqual(check("p", `[profile p]\n${KEYS}`)[0],
      "INFO profile credentials appear sane (aws_access_key_id AKIA**** in [profile p] of /h/.aws/config)");
  });

  it("reports AWS key variables mixed with a profile's keys, keeping both masked", () => {
    const envKey = "ASIAZZZZZZZZZZZZZZZZ";
    const lines = check("p", `[profile p]\n${ROLE}source_profile = base\n`, `[base]\n${KEYS}`,
      { AWS_ACCESS_KEY_ID: envKey, AWS_SECRET_ACCESS_KEY: "env-secret", AWS_SESSION_TOKEN: "env-token" });
    assert.equal(lines.at(-1), "ERROR detected AWS credential environment variables and profile credentials, this may " +
      "confuse aws-runas: AWS_ACCESS_KEY_ID (ASIA****) is set, while profile 'base' has keys of its own, which " +
      "aws-runas uses; other AWS tools prefer the variables, so unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN");
    assert.ok(!lines.includes("INFO credentials appear sane"));
    const all = lines.join("\n");
    for (const secret of [envKey, "env-secret", "env-token", AKIA, SECRET]) assert.ok(!all.includes(secret), secret);
  });

  it("does not call AWS key variables a conflict for a credential_process profile", () => {
    const lines = check("p", "[profile p]\ncredential_process = /bin/creds\n", "", { AWS_ACCESS_KEY_ID: AKIA });
    assert.deepEqual(lines.map((l) => l.split(" ")[0]), ["INFO", "INFO"]);
  });

  it("reports malformed stored keys and a temporary key without its token", () => {
    const lines = check("p", "[profile p]\n", `[p]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`);
    assert.deepEqual(lines, [
      "ERROR aws_access_key_id (ASIA****) is a temporary key but aws_session_token is not set in [p] of " +
        "/h/.aws/credentials: AWS rejects a temporary key without its session token; set aws_session_token as well",
    ]);
  });

  it("for a role ARN, looks at the environment's keys, then [default]'s", () => {
    const arn = "arn:aws:iam::123456789012:role/R";
    assert.deepEqual(check(arn, "[default]\n", "", { AWS_ACCESS_KEY_ID: AKIA, AWS_SECRET_ACCESS_KEY: SECRET }), [
      `INFO role ${arn} is assumed with the keys of the AWS_ACCESS_KEY_ID variables`,
    ]);
    assert.deepEqual(check(arn, "[default]\n", `[default]\n${KEYS}`), [
      "INFO profile credentials appear sane (aws_access_key_id AKIA**** in [default] of /h/.aws/credentials)",
    ]);
    assert.deepEqual(check(arn, "[default]\n"), [`INFO role ${arn} is assumed with the credentials the AWS SDK default chain finds`]);
  });
});
