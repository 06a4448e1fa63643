import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createFileLocker } from "../../cache/fileLocker.js";
import type { HeadRequest } from "../../diagnose/httpHead.js";
import type { SntpQuery } from "../../diagnose/sntpClient.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import { parseCommandLine } from "../argv.js";
import { runDiagnose } from "./diagnose.js";

const AKIA = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ENV_SECRET = "envSecretValue0000000000000000000000000000";
const TOKEN = "FwoGZXIvYXdzSESSIONTOKENVALUE";
const OKTA = "https://corp.okta.com/home/amazon_aws/abc/123";

const CONFIG = `[default]
region = us-east-1

[profile iam]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = base

[profile base]

[profile saml]
saml_auth_url = ${OKTA}
saml_entity_id = urn:amazon:webservices
role_arn = arn:aws:iam::123456789012:role/Saml

[profile orphan]
role_arn = arn:aws:iam::123456789012:role/Orphan
`;
const CREDENTIALS = `[base]\naws_access_key_id = ${AKIA}\naws_secret_access_key = ${SECRET}\n`;

interface Harness {
  deps: AppDeps;
  logger: Logger & { lines: string[] };
  stdout: string[];
  home: string;
}

function harness(config = CONFIG): Harness {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "runas-diag-")));
  fs.mkdirSync(path.join(home, ".aws"), { mode: 0o700 });
  fs.writeFileSync(path.join(home, ".aws", "config"), config);
  fs.writeFileSync(path.join(home, ".aws", "credentials"), CREDENTIALS);
  const lines: string[] = [];
  const logger: Logger & { lines: string[] } = {
    lines,
    debugEnabled: false,
    traceEnabled: false,
    debug: () => {},
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
  const stdout: string[] = [];
  const refuse = (what: string) => () => Promise.reject(new Error(`diagnose must not ${what}`));
  const deps: AppDeps = {
    out: { stdout: (t) => stdout.push(t), stderr: (t) => lines.push(`stderr ${t}`) },
    clock: { now: () => new Date("2024-05-01T12:00:00Z") },
    platform: "linux",
    homeDir: home,
    version: "0.0.0-test",
    logger: () => logger,
    prompter: () => {
      throw new Error("diagnose must not prompt");
    },
    locker: createFileLocker(),
    osUser: () => "tester",
    sts: refuse("call STS"),
    openBrowser: refuse("open a browser"),
    sdkCredentials: refuse("resolve AWS credentials"),
  };
  return { deps, logger, stdout, home };
}

const inSync: SntpQuery = () => Promise.resolve({ offsetMs: 20, serverTime: new Date(0), localTime: new Date(0) });
const ok: HeadRequest = () => Promise.resolve({ status: 200, statusText: "OK" });

async function run(h: Harness, argv: string[], env: Env = {}, net: { sntp?: SntpQuery; head?: HeadRequest } = {}): Promise<number> {
  return runDiagnose(parseCommandLine(argv, env), env, h.deps, h.logger, { sntp: net.sntp ?? inSync, head: net.head ?? ok });
}

describe("runDiagnose (core.md §8)", () => {
  it("exits 0 and dumps the profile when every check passes, for `diagnose p` and `-D p` alike", async () => {
    for (const argv of [["diagnose", "iam"], ["diag", "iam"], ["-D", "iam"]]) {
      const h = harness();
      assert.equal(await run(h, argv), 0, h.logger.lines.join("\n"));
      assert.deepEqual(h.logger.lines, [
        `INFO region is configured in profile or environment variable (us-east-1, read from region in [default] of ${h.home}/.aws/config, line 2)`,
        "INFO profile 'iam' stands on the credentials of profile 'base' (source_profile chain iam -> base)",
        `INFO profile credentials appear sane (aws_access_key_id AKIA**** in [base] of ${h.home}/.aws/credentials)`,
        "INFO credentials appear sane",
        `INFO no cached credentials for profile 'iam' in ${h.home}/.aws`,
        "INFO system time is within spec (the system clock is 20ms behind pool.ntp.org:123)",
      ]);
      assert.equal(h.stdout.join(""), "PROFILE: iam\nREGION: us-east-1\nSOURCE PROFILE: base\nSESSION TOKEN DURATION: 0s\n" +
        "MFA SERIAL: \nROLE ARN: arn:aws:iam::123456789012:role/Admin\nEXTERNAL ID: \nASSUME ROLE CREDENTIAL DURATION: 0s\n");
    }
  });

  it("takes the profile from AWS_PROFILE when none is given", async () => {
    const h = harness();
    assert.equal(await run(h, ["diagnose"], { AWS_PROFILE: "iam" }), 0);
    assert.match(h.stdout.join(""), /^PROFILE: iam$/m);
  });

  it("exits 1 when AWS key variables are mixed with profile keys, printing no secret", async () => {
    const h = harness();
    const env = { AWS_ACCESS_KEY_ID: AKIA, AWS_SECRET_ACCESS_KEY: ENV_SECRET, AWS_SESSION_TOKEN: TOKEN };
    assert.equal(await run(h, ["diagnose", "iam"], env), 1);
    const errors = h.logger.lines.filter((l) => l.startsWith("ERROR"));
    assert.equal(errors.length, 2);
    assert.match(errors[0] ?? "", /^ERROR detected static access key AWS_ACCESS_KEY_ID \(AKIA\*\*\*\*\) along with session token/);
    assert.match(errors[1] ?? "", /^ERROR detected AWS credential environment variables and profile credentials, this may confuse aws-runas/);
    const all = [...h.logger.lines, ...h.stdout].join("\n");
    for (const secret of [AKIA, SECRET, ENV_SECRET, TOKEN]) assert.ok(!all.includes(secret), secret);
  });

  it("warns and checks [default] when no profile is given", async () => {
    const h = harness();
    assert.equal(await run(h, ["diagnose"]), 1);
    assert.equal(h.logger.lines[0], "WARN No profile specified, will only check default section. Provide a profile name for more validation");
    assert.ok(h.logger.lines.includes(`ERROR incomplete or missing credentials for profile 'default': there is no [default] section in ${h.home}/.aws/credentials; add one with aws_access_key_id and aws_secret_access_key, or give the profile a source_profile that has them`));
    assert.match(h.stdout.join(""), /^PROFILE: default\nREGION: us-east-1\n/);
  });

  it("reports a role profile without a source and a missing region", async () => {
    const h = harness(CONFIG.replace("region = us-east-1\n", ""));
    assert.equal(await run(h, ["diagnose", "orphan"]), 1);
    const errors = h.logger.lines.filter((l) => l.startsWith("ERROR")).map((l) => l.split(":")[0]);
    assert.deepEqual(errors, [
      "ERROR region is not set, it must be specified in the config file or as an environment variable",
      "ERROR missing source_profile configuration for profile 'orphan'",
    ]);
  });

  it("checks a SAML profile: the spelling read, the endpoint answer, flags included", async () => {
    const h = harness();
    const asked: string[] = [];
    const head: HeadRequest = (url) => {
      asked.push(url);
      return Promise.resolve({ status: 404, statusText: "Not Found" });
    };
    assert.equal(await run(h, ["-U", "alice", "diagnose", "saml"], {}, { head }), 0);
    assert.deepEqual(asked, [OKTA]);
    assert.ok(h.logger.lines.includes(`INFO saml_auth_entityid = urn:amazon:webservices (read from saml_entity_id in [profile saml] of ${h.home}/.aws/config, line 12)`));
    assert.ok(h.logger.lines.includes("INFO saml_username = alice (read from the flag --username)"));
    assert.ok(h.logger.lines.some((l) => l.startsWith(`WARN http status 404 Not Found when communicating with external provider endpoint ${OKTA}`)));
    assert.match(h.stdout.join(""), new RegExp(`SAML ENDPOINT URL: ${OKTA}\nSAML USERNAME: alice\nJUMP ROLE ARN: \n$`));
  });

  it("reports a clock 10 minutes off as a failure, and an unanswered query as a warning only", async () => {
    const off = harness();
    const drift: SntpQuery = () => Promise.resolve({ offsetMs: -600_000, serverTime: new Date(0), localTime: new Date(0) });
    assert.equal(await run(off, ["diagnose", "iam"], {}, { sntp: drift }), 1);
    assert.ok(off.logger.lines.some((l) => l.startsWith("ERROR Local time drift is more than 5m0s, AWS API requests will be rejected: the system clock is 10m0s ahead of pool.ntp.org:123")));
    const offline = harness();
    assert.equal(await run(offline, ["diagnose", "iam"], {}, { sntp: () => Promise.reject(new Error("no answer")) }), 0);
    assert.ok(offline.logger.lines.some((l) => l.startsWith("WARN cannot check the system time: no answer")));
  });

  it("reports a profile that cannot be resolved, still checks the clock, and dumps nothing", async () => {
    const h = harness();
    let asked = false;
    const sntp: SntpQuery = (s) => {
      asked = true;
      return inSync(s);
    };
    assert.equal(await run(h, ["diagnose", "nope"], {}, { sntp }), 1);
    assert.match(h.logger.lines[0] ?? "", /^ERROR profile 'nope' not found in .*; known profiles: base, default, iam, orphan, saml; the profile checks were skipped$/);
    assert.ok(asked);
    assert.deepEqual(h.stdout, []);
  });
});
