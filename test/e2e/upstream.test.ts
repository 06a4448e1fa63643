/**
 * End to end: the original tool's integration cases (core.md §12.2, T-IT-01 to T-IT-10) that apply to IAM users and
 * roles, run with the built CLI in a temporary HOME against moto_server through the recording proxy. The profiles
 * mirror the original's fixture: `circleci` is an IAM user, `iam-role` a role with `source_profile = circleci`.
 * Where this project decided differently from the original (decisions.md), the decision is what is asserted.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { cleanEnv, ROOT, run, runCli, tempHome } from "../helpers/cliRun.js";
import type { RunResult } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import { stsErrorXml, type RecordedCall, type RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";

const skip = peerSkip("moto_server", ["--help"]);

const KEY = "AKIAIOSFODNN7CIRCLECI";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCIRCLECISECRET";
const ROLE_ARN = "arn:aws:iam::123456789012:role/aws-runas-testing";

const CONFIG = `[default]
region = us-east-1
session_token_duration = 20m
credentials_duration = 15m

[profile circleci]
region = us-east-1

[profile iam-role]
role_arn = ${ROLE_ARN}
source_profile = circleci
`;
const CREDENTIALS = `[circleci]
aws_access_key_id = ${KEY}
aws_secret_access_key = ${SECRET}
`;

/** The env statements of a POSIX shell, in the fixed order of decisions.md "env order". */
const ENV_NAMES = [
  "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWSRUNAS_PROFILE",
];
/** The same statements for an ARN given instead of a profile: no AWSRUNAS_PROFILE (core.md §1.5). */
const ARN_ENV_NAMES = ENV_NAMES.filter((n) => n !== "AWSRUNAS_PROFILE");

/** The credential lines T-IT-06 checks, as the original's spec writes them. */
const ROLE_ENV_PATTERNS = [
  /^export AWS_REGION='.+'$/m,
  /^export AWS_ACCESS_KEY_ID='ASIA\w+'$/m,
  /^export AWS_SECRET_ACCESS_KEY='.+'$/m,
  /^export AWS_SESSION_TOKEN='.+'$/m,
  /^export AWS_SECURITY_TOKEN='.+'$/m,
];

/** A stderr line is a log line (`YYYY/MM/DD HH:MM:SS LEVEL message`, core.md §1.8) or the `-e` line. */
const STDERR_LINE = /^(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d (DEBUG|INFO|WARN|ERROR) .+|Credentials will expire on .+)$/;

/**
 * What every run must satisfy: the exit status, stderr made only of log lines (no stack trace) and free of the
 * credentials file's secret access key.
 */
function check(r: RunResult, code: number): void {
  assert.equal(r.code, code, `exit status; stderr: ${r.stderr}`);
  assert.ok(!r.stderr.includes(SECRET), "the secret access key of the credentials file is on stderr");
  for (const line of r.stderr.split("\n").filter((l) => l !== "")) assert.match(line, STDERR_LINE);
}

/** stdout holds nothing but `export NAME='value'` lines, with exactly these names in this order; returns them. */
function envOutput(stdout: string, names: readonly string[] = ENV_NAMES): Record<string, string> {
  assert.ok(stdout.endsWith("\n"), "stdout ends with a newline");
  const vars: Record<string, string> = {};
  for (const line of stdout.slice(0, -1).split("\n")) {
    const m = /^export ([A-Z_]+)='([^']*)'$/.exec(line);
    assert.ok(m !== null, `not an env statement on stdout: ${line}`);
    vars[m[1] ?? ""] = m[2] ?? "";
  }
  assert.deepEqual(Object.keys(vars), names);
  return vars;
}

/** stdout is exactly one credential_process JSON document (and a newline); returns it. */
function jsonOutput(stdout: string): Record<string, unknown> {
  assert.ok(stdout.startsWith('{"AccessKeyId":"'), stdout);
  assert.equal(stdout.trimEnd().split("\n").length, 1, "one line of JSON and nothing else");
  const json = JSON.parse(stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ["AccessKeyId", "SecretAccessKey", "SessionToken", "Version", "Expiration"]);
  return json;
}

/** The stderr of an error: exactly one log line matching `pattern`. */
function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0] ?? "", pattern);
}

/** The sections of a credentials file the CLI wrote, as header → key → value. */
function sections(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header !== null) {
      current = new Map();
      out.set(header[1] ?? "", current);
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line.trim());
    if (kv !== null && current !== undefined) current.set(kv[1] ?? "", kv[2] ?? "");
  }
  return out;
}

/** How the profile reaches the CLI: as the first positional, or through AWS_PROFILE with no positional. */
interface ProfileSource {
  label: string;
  args(flags: string[], profile: string, command?: string[]): string[];
  env(profile: string): Record<string, string>;
}
const PROFILE_SOURCES: readonly ProfileSource[] = [
  {
    label: "as argument",
    args: (flags, profile, command = []) => [...flags, profile, ...command],
    env: () => ({}),
  },
  {
    label: "via AWS_PROFILE",
    args: (flags, _profile, command = []) => [...flags, ...command],
    env: (profile) => ({ AWS_PROFILE: profile }),
  },
];

describe("the original's integration cases against moto (core.md §12.2)", { skip }, () => {
  let proxy: RecordingProxy;
  useMotoBehindProxy((p) => (proxy = p));

  /** A fresh HOME with the fixture's files, and the environment of a clean session pointed at the proxy. */
  const setup = (credentials = CREDENTIALS) => {
    const { home, aws } = tempHome(CONFIG, credentials);
    const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url });
    return { home, aws, env };
  };
  const callsOf = (action: string): RecordedCall[] => proxy.calls.filter((c) => c.action === action);
  /** The one recorded call of `action`. */
  const onlyCall = (action: string): RecordedCall => {
    const calls = callsOf(action);
    assert.equal(calls.length, 1, `${action} calls: ${proxy.actions().join(", ")}`);
    const [call] = calls;
    assert.ok(call !== undefined);
    return call;
  };

  describe("T-IT-01, T-IT-02: help and version", () => {
    it("--help prints the usage on stdout", async () => {
      const { env } = setup();
      const r = await runCli(["--help"], env);
      check(r, 0);
      assert.match(r.stdout, /^USAGE:\s+aws-runas/m);
      assert.equal(r.stderr, "");
    });

    it("--version prints the package version on stdout", async () => {
      const { env } = setup();
      const r = await runCli(["--version"], env);
      check(r, 0);
      const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
      assert.match(r.stdout, /\d+\.\d+(\.\d+)?/);
      assert.equal(r.stdout, `aws-runas version ${pkg.version}\n`);
      assert.equal(r.stderr, "");
    });

    it("npx aws-runas --help works from the repository root, through package.json's bin", async () => {
      const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
      const bin = path.join(ROOT, pkg.bin["aws-runas"] ?? "");
      assert.equal(statSync(bin).mode & 0o111, 0o111, "the bin is executable");
      const { env } = setup();
      const r = await run("sh", ["-c", 'cd "$1" && exec npx aws-runas --help', "sh", ROOT],
        { ...env, npm_config_update_notifier: "false" });
      check(r, 0);
      assert.match(r.stdout, /^USAGE:\s+aws-runas/m);
    });
  });

  describe("T-IT-06: role credentials for iam-role", () => {
    for (const source of PROFILE_SOURCES) {
      describe(source.label, () => {
        const runRole = (flags: string[], env: Record<string, string>, command?: string[]) =>
          runCli(source.args(flags, "iam-role", command), { ...env, ...source.env("iam-role") });

        it("-v prints the env statements, assuming the role with the session token of circleci", async () => {
          const { env } = setup();
          const r = await runRole(["-v"], env);
          check(r, 0);
          for (const pattern of ROLE_ENV_PATTERNS) assert.match(r.stdout, pattern);
          const vars = envOutput(r.stdout);
          assert.equal(vars.AWSRUNAS_PROFILE, "iam-role");
          assert.equal(vars.AWS_SECURITY_TOKEN, vars.AWS_SESSION_TOKEN);
          assert.doesNotMatch(r.stderr, /ASSUME ROLE OUTPUT:/);
          assert.deepEqual(proxy.actions(), ["GetSessionToken", "GetCallerIdentity", "AssumeRole"]);
          assert.equal(onlyCall("GetSessionToken").accessKeyId, KEY);
          const assume = onlyCall("AssumeRole");
          assert.equal(assume.params.get("RoleArn"), ROLE_ARN);
          assert.notEqual(assume.accessKeyId, KEY);
        });

        it("-ve adds the expiration line on stderr", async () => {
          const { env } = setup();
          const r = await runRole(["-ve"], env);
          check(r, 0);
          assert.match(r.stdout, /^export AWS_REGION='.+'$/m);
          envOutput(r.stdout);
          assert.match(r.stderr, /^Credentials will expire on/m);
        });

        it("-O json prints credential_process JSON", async () => {
          const { env } = setup();
          const r = await runRole(["-O", "json"], env);
          check(r, 0);
          assert.ok(r.stdout.startsWith('{"AccessKeyId":"ASIA'), r.stdout);
          const json = jsonOutput(r.stdout);
          assert.equal(json.Version, 1);
          assert.equal(r.stderr, "");
        });

        it("--whoami reports the assumed role on stderr", async () => {
          const { env } = setup();
          const r = await runRole(["--whoami"], env);
          check(r, 0);
          envOutput(r.stdout);
          assert.ok(r.stderr.includes(" Account:123456789012"), r.stderr);
          assert.ok(r.stderr.includes(" Arn:arn:aws:sts::123456789012:assumed-role/aws-runas-testing/"), r.stderr);
        });

        it("-v with a command runs it through the local credential endpoint", async () => {
          const { env } = setup();
          const r = await runRole(["-v"], env, ["true"]);
          check(r, 0);
          assert.equal(r.stdout, "");
          assert.match(r.stderr, /ASSUME ROLE CREDENTIALS: \{AccessKeyID:\w+/);
          assert.match(r.stderr, /DEBUG ECS credential endpoint set to http:\/\/127\.0\.0\.1:\d{4,5}\/credentials$/m);
          assert.match(r.stderr, /DEBUG WRAPPED CMD: \[true\]$/m);
        });

        it("-Ev with a command passes the credentials in the environment, without an endpoint", async () => {
          const { env } = setup();
          const r = await runRole(["-Ev"], env, ["true"]);
          check(r, 0);
          assert.equal(r.stdout, "");
          assert.match(r.stderr, /ASSUME ROLE CREDENTIALS: \{AccessKeyID:\w+/);
          assert.doesNotMatch(r.stderr, /ECS credential endpoint/);
          assert.match(r.stderr, /DEBUG WRAPPED CMD: \[true\]$/m);
        });
      });
    }

    describe("the role ARN instead of a profile, with keys in the environment", () => {
      const ENV_KEY = "AKIAIOSFODNN7ENVKEYS1";
      const ENV_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYENVSECRETKEY";
      for (const source of PROFILE_SOURCES) {
        it(`${source.label}: assumes the role with the environment's keys and prints no AWSRUNAS_PROFILE`,
          async () => {
            const { env } = setup();
            const r = await runCli(source.args(["-v"], ROLE_ARN), {
              ...env, ...source.env(ROLE_ARN), AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: ENV_SECRET,
            });
            check(r, 0);
            assert.ok(!r.stderr.includes(ENV_SECRET));
            for (const pattern of ROLE_ENV_PATTERNS) assert.match(r.stdout, pattern);
            envOutput(r.stdout, ARN_ENV_NAMES);
            assert.doesNotMatch(r.stdout, /AWSRUNAS_PROFILE/);
            assert.equal(onlyCall("GetSessionToken").accessKeyId, ENV_KEY);
            assert.equal(onlyCall("AssumeRole").params.get("RoleArn"), ROLE_ARN);
          });
      }
    });
  });

  describe("T-IT-07: role durations", () => {
    const ways = [
      { label: "-a", flags: (d: string) => ["-a", d], env: (): Record<string, string> => ({}) },
      { label: "CREDENTIALS_DURATION", flags: (): string[] => [], env: (d: string) => ({ CREDENTIALS_DURATION: d }) },
    ];
    for (const way of ways) {
      it(`${way.label} 10m is raised to the 15-minute minimum`, async () => {
        const { env } = setup();
        const r = await runCli(["-v", ...way.flags("10m"), "iam-role"], { ...env, ...way.env("10m") });
        check(r, 0);
        assert.match(r.stdout, /^export AWSRUNAS_PROFILE='.+'$/m);
        envOutput(r.stdout);
        assert.match(r.stderr, /Detected expired or unset assume role credentials, refreshing/);
        assert.match(r.stderr, /provided duration too short, setting to minimum value/);
        assert.equal(onlyCall("AssumeRole").params.get("DurationSeconds"), "900");
      });

      it(`${way.label} 1h1m assumes the role directly with the long-term key`, async () => {
        const { env } = setup();
        const r = await runCli(["-v", ...way.flags("1h1m"), "iam-role"], { ...env, ...way.env("1h1m") });
        check(r, 0);
        envOutput(r.stdout);
        assert.doesNotMatch(r.stderr, /DEBUG SESSION TOKEN CREDENTIALS:/);
        assert.match(r.stderr, /DEBUG ASSUME ROLE CREDENTIALS:/);
        assert.deepEqual(proxy.actions(), ["GetCallerIdentity", "AssumeRole"]);
        const assume = onlyCall("AssumeRole");
        assert.equal(assume.accessKeyId, KEY);
        assert.equal(assume.params.get("DurationSeconds"), "3660");
      });

      it(`${way.label} 360h is lowered to the 12-hour maximum`, async () => {
        const { env } = setup();
        const r = await runCli(["-v", ...way.flags("360h"), "iam-role"], { ...env, ...way.env("360h") });
        check(r, 0);
        envOutput(r.stdout);
        assert.match(r.stderr, /Detected expired or unset assume role credentials, refreshing/);
        assert.match(r.stderr, /provided duration too long, setting to maximum value/);
        const assume = onlyCall("AssumeRole");
        assert.equal(assume.params.get("DurationSeconds"), "43200");
        assert.equal(assume.accessKeyId, KEY);
      });
    }

    it("-a 1h1m with a command also reports the endpoint and the wrapped command", async () => {
      const { env } = setup();
      const r = await runCli(["-v", "-a", "1h1m", "iam-role", "sh", "-c", 'echo "$AWSRUNAS_PROFILE"'], env);
      check(r, 0);
      assert.equal(r.stdout, "iam-role\n");
      assert.doesNotMatch(r.stderr, /DEBUG SESSION TOKEN CREDENTIALS:/);
      assert.match(r.stderr, /DEBUG ASSUME ROLE CREDENTIALS:/);
      assert.match(r.stderr, /DEBUG ECS endpoint ready$/m);
      assert.match(r.stderr, /DEBUG WRAPPED CMD: \[sh -c echo "\$AWSRUNAS_PROFILE"\]$/m);
    });

    it("a role whose MaxSessionDuration is shorter: the STS error is one line, exit 1", async () => {
      const { env } = setup();
      proxy.stubs.push((c) => c.action === "AssumeRole" && c.params.get("DurationSeconds") === "43200"
        ? {
          status: 400,
          body: stsErrorXml("ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."),
        }
        : undefined);
      const r = await runCli(["-a", "360h", "iam-role"], env);
      check(r, 1);
      assert.equal(r.stdout, "");
      oneLine(r.stderr, /The requested DurationSeconds exceeds the MaxSessionDuration set for this role/);
    });

    it("-a 7d is refused before any AWS call", async () => {
      const { env } = setup();
      const r = await runCli(["-a", "7d", "iam-role"], env);
      check(r, 1);
      assert.equal(r.stdout, "");
      oneLine(r.stderr, /invalid value "7d"/);
      assert.deepEqual(proxy.actions(), []);
    });

    it("CREDENTIALS_DURATION=7d is ignored with a warning naming it; the profile's 15m applies (Q-08)", async () => {
      const { env } = setup();
      const r = await runCli(["iam-role"], { ...env, CREDENTIALS_DURATION: "7d" });
      check(r, 0);
      envOutput(r.stdout);
      oneLine(r.stderr, /WARN .*CREDENTIALS_DURATION/);
      assert.equal(onlyCall("AssumeRole").params.get("DurationSeconds"), "900");
    });
  });

  it("T-IT-08: invalid static keys in the environment do not affect a profile with its own keys", async () => {
    const { env } = setup();
    const badSecret = "mockSecretKeyThatAwsWouldReject0123456789";
    const r = await runCli(["-v", "iam-role"],
      { ...env, AWS_ACCESS_KEY_ID: "AKIAMOCK123", AWS_SECRET_ACCESS_KEY: badSecret });
    check(r, 0);
    assert.ok(!r.stderr.includes(badSecret));
    const vars = envOutput(r.stdout);
    assert.ok(r.stdout.includes("export AWSRUNAS_PROFILE='iam-role'"));
    assert.match(vars.AWS_ACCESS_KEY_ID ?? "", /^ASIA\w+$/);
    assert.equal(onlyCall("GetSessionToken").accessKeyId, KEY);
    assert.ok(!proxy.calls.some((c) => c.accessKeyId === "AKIAMOCK123"), "the environment's key signed nothing");
  });

  describe("T-IT-09: session credentials for circleci", () => {
    for (const source of PROFILE_SOURCES) {
      describe(source.label, () => {
        const runUser = (flags: string[], env: Record<string, string>) =>
          runCli(source.args(flags, "circleci"), { ...env, ...source.env("circleci") });

        it("-vs prints the session token's env statements and assumes no role", async () => {
          const { env } = setup();
          const r = await runUser(["-vs"], env);
          check(r, 0);
          const vars = envOutput(r.stdout);
          assert.equal(vars.AWSRUNAS_PROFILE, "circleci");
          assert.match(r.stdout, /^export AWSRUNAS_PROFILE='circleci'$/m);
          assert.doesNotMatch(r.stderr, /ASSUME ROLE OUTPUT:/);
          assert.deepEqual(proxy.actions(), ["GetSessionToken"]);
          assert.equal(onlyCall("GetSessionToken").accessKeyId, KEY);
          assert.equal(onlyCall("GetSessionToken").params.get("DurationSeconds"), "1200");
        });

        it("-vse adds the expiration line", async () => {
          const { env } = setup();
          const r = await runUser(["-vse"], env);
          check(r, 0);
          envOutput(r.stdout);
          assert.match(r.stderr, /^Credentials will expire on/m);
        });

        it("-s -O json prints credential_process JSON", async () => {
          const { env } = setup();
          const r = await runUser(["-s", "-O", "json"], env);
          check(r, 0);
          const json = jsonOutput(r.stdout);
          assert.equal(typeof json.SessionToken, "string");
          assert.equal(r.stderr, "");
        });

        it("--whoami reports the IAM user moto answers with", async () => {
          const { env } = setup();
          const r = await runUser(["--whoami"], env);
          check(r, 0);
          envOutput(r.stdout);
          assert.ok(r.stderr.includes(" Arn:arn:aws:"), r.stderr);
          // moto names every caller that is not one of its IAM users "moto".
          assert.match(r.stderr, / Arn:arn:aws:sts::123456789012:user\/moto Account:123456789012\}$/m);
        });
      });
    }

    const ways = [
      { label: "-d", flags: (d: string) => ["-d", d], env: (): Record<string, string> => ({}) },
      { label: "SESSION_TOKEN_DURATION", flags: (): string[] => [],
        env: (d: string) => ({ SESSION_TOKEN_DURATION: d }) },
    ];
    for (const way of ways) {
      it(`${way.label} 10m is raised to the 15-minute minimum`, async () => {
        const { env } = setup();
        const r = await runCli(["-v", ...way.flags("10m"), "circleci"], { ...env, ...way.env("10m") });
        check(r, 0);
        envOutput(r.stdout);
        assert.match(r.stderr, /provided duration too short, setting to minimum value/);
        assert.match(r.stderr, /Detected expired or unset session token credentials, refreshing/);
        assert.equal(onlyCall("GetSessionToken").params.get("DurationSeconds"), "900");
      });

      it(`${way.label} 360h is lowered to the 36-hour maximum`, async () => {
        const { env } = setup();
        const r = await runCli(["-v", ...way.flags("360h"), "circleci"], { ...env, ...way.env("360h") });
        check(r, 0);
        envOutput(r.stdout);
        assert.match(r.stderr, /provided duration too long, setting to maximum value/);
        assert.match(r.stderr, /Detected expired or unset session token credentials, refreshing/);
        assert.equal(onlyCall("GetSessionToken").params.get("DurationSeconds"), "129600");
      });
    }

    it("-d 7d is refused before any AWS call", async () => {
      const { env } = setup();
      const r = await runCli(["-d", "7d", "circleci"], env);
      check(r, 1);
      assert.equal(r.stdout, "");
      oneLine(r.stderr, /invalid value "7d"/);
      assert.deepEqual(proxy.actions(), []);
    });

    it("SESSION_TOKEN_DURATION=7d is ignored with a warning naming it; the profile's 20m applies (Q-08)", async () => {
      const { env } = setup();
      const r = await runCli(["circleci"], { ...env, SESSION_TOKEN_DURATION: "7d" });
      check(r, 0);
      envOutput(r.stdout);
      oneLine(r.stderr, /WARN .*SESSION_TOKEN_DURATION/);
      assert.equal(onlyCall("GetSessionToken").params.get("DurationSeconds"), "1200");
    });
  });

  describe("T-IT-10: writing the credentials file", () => {
    /** Reads the credentials file, checks its mode, and returns the `<profile>-awsrunas` section. */
    const written = (aws: string, profile: string): Map<string, string> => {
      const file = path.join(aws, "credentials");
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const text = readFileSync(file, "utf8");
      assert.equal(text.split(`[${profile}-awsrunas]`).length - 1, 1, `one [${profile}-awsrunas] section:\n${text}`);
      const section = sections(text).get(`${profile}-awsrunas`);
      assert.ok(section !== undefined);
      return section;
    };
    const sameAs = (section: Map<string, string>, creds: { key: string; secret: string; token: string }) => {
      assert.deepEqual(Object.fromEntries(section), {
        aws_access_key_id: creds.key,
        aws_secret_access_key: creds.secret,
        aws_session_token: creds.token,
      });
    };
    const fromEnv = (vars: Record<string, string>) => ({
      key: vars.AWS_ACCESS_KEY_ID ?? "", secret: vars.AWS_SECRET_ACCESS_KEY ?? "", token: vars.AWS_SESSION_TOKEN ?? "",
    });

    it("--write-credentials -s circleci writes the session credentials under [circleci-awsrunas]", async () => {
      const { aws, env } = setup();
      const r = await runCli(["--write-credentials", "-s", "circleci"], env);
      check(r, 0);
      const vars = envOutput(r.stdout);
      // moto answers GetSessionToken with its fixed example key (AKIA…), where AWS would give an ASIA… one.
      assert.match(vars.AWS_ACCESS_KEY_ID ?? "", /^A[SK]IA\w+$/);
      sameAs(written(aws, "circleci"), fromEnv(vars));
      oneLine(r.stderr, /INFO Credentials written to AWS credentials file under profile: circleci-awsrunas$/);
    });

    const writers: { label: string; flags: string[]; env: Record<string, string> }[] = [
      { label: "--write-credentials", flags: ["--write-credentials"], env: {} },
      { label: "RUNAS_WRITE_CREDENTIALS=true", flags: [], env: { RUNAS_WRITE_CREDENTIALS: "true" } },
    ];
    for (const writer of writers) {
      it(`${writer.label} iam-role writes the role credentials under [iam-role-awsrunas]`, async () => {
        const { aws, env } = setup();
        const r = await runCli([...writer.flags, "iam-role"], { ...env, ...writer.env });
        check(r, 0);
        const vars = envOutput(r.stdout);
        assert.match(vars.AWS_ACCESS_KEY_ID ?? "", /^ASIA\w+$/);
        sameAs(written(aws, "iam-role"), fromEnv(vars));
        assert.ok(!readFileSync(path.join(aws, "credentials"), "utf8").includes("[circleci-awsrunas]"));
      });
    }

    it("--write-credentials -O json iam-role prints the JSON and writes the file", async () => {
      const { aws, env } = setup();
      const r = await runCli(["--write-credentials", "-O", "json", "iam-role"], env);
      check(r, 0);
      const json = jsonOutput(r.stdout);
      sameAs(written(aws, "iam-role"), {
        key: String(json.AccessKeyId), secret: String(json.SecretAccessKey), token: String(json.SessionToken),
      });
    });

    it("keeps a pre-existing section, and two runs leave exactly one [iam-role-awsrunas]", async () => {
      const original = `${CREDENTIALS}\n[pre-existing]\naws_access_key_id = AKIAPREEXISTING00000\n` +
        "aws_secret_access_key = preExistingSecret\n";
      const { aws, env } = setup(original);
      check(await runCli(["-c", "iam-role"], env), 0);
      const second = await runCli(["-c", "-r", "iam-role"], env);
      check(second, 0);
      const text = readFileSync(path.join(aws, "credentials"), "utf8");
      assert.ok(text.startsWith(original), text);
      assert.deepEqual(Object.fromEntries(sections(text).get("pre-existing") ?? new Map()), {
        aws_access_key_id: "AKIAPREEXISTING00000",
        aws_secret_access_key: "preExistingSecret",
      });
      assert.deepEqual([...sections(text).keys()], ["circleci", "pre-existing", "iam-role-awsrunas"]);
      sameAs(written(aws, "iam-role"), fromEnv(envOutput(second.stdout)));
    });

    it("-c does not change what is printed: same stdout as without it, from the same cache", async () => {
      const { env } = setup();
      const plain = await runCli(["-s", "circleci"], env);
      check(plain, 0);
      const writing = await runCli(["-c", "-s", "circleci"], env);
      check(writing, 0);
      assert.equal(writing.stdout, plain.stdout);
      assert.deepEqual(proxy.actions(), ["GetSessionToken"], "the second run used the cache");
    });
  });

  describe("profile selection and the command line", () => {
    it("-r fetches new role credentials, keeping the cached session token", async () => {
      const { env } = setup();
      const first = await runCli(["-O", "json", "iam-role"], env);
      check(first, 0);
      proxy.clear();
      const again = await runCli(["-r", "-O", "json", "iam-role"], env);
      check(again, 0);
      assert.deepEqual(proxy.actions(), ["GetCallerIdentity", "AssumeRole"]);
      assert.notEqual(jsonOutput(again.stdout).AccessKeyId, jsonOutput(first.stdout).AccessKeyId);
    });

    it("AWS_DEFAULT_PROFILE selects the profile when AWS_PROFILE is not set", async () => {
      const { env } = setup();
      const r = await runCli(["-v"], { ...env, AWS_DEFAULT_PROFILE: "iam-role" });
      check(r, 0);
      assert.equal(envOutput(r.stdout).AWSRUNAS_PROFILE, "iam-role");
      assert.equal(onlyCall("AssumeRole").params.get("RoleArn"), ROLE_ARN);
    });

    it("with AWS_DEFAULT_PROFILE every positional is the command, which sees neither profile variable", async () => {
      const { env } = setup();
      const probe = 'echo "$AWSRUNAS_PROFILE ${AWS_PROFILE-unset} ${AWS_DEFAULT_PROFILE-unset}"';
      const r = await runCli(["sh", "-c", probe], { ...env, AWS_DEFAULT_PROFILE: "iam-role" });
      check(r, 0);
      assert.equal(r.stdout, "iam-role unset unset\n");
    });

    it("-- before the profile: aws-runas -E -- iam-role <command>", async () => {
      const { env } = setup();
      const r = await runCli(["-Ev", "--", "iam-role", "sh", "-c", 'echo "$AWS_ACCESS_KEY_ID"'], env);
      check(r, 0);
      assert.match(r.stdout, /^ASIA\w+\n$/);
      assert.match(r.stderr, /DEBUG WRAPPED CMD: \[sh -c echo "\$AWS_ACCESS_KEY_ID"\]$/m);
    });

    it("-- right after the profile: aws-runas iam-role -- <command> (Q-01)", async () => {
      const { env } = setup();
      const r = await runCli(["-v", "iam-role", "--", "sh", "-c", 'echo "$AWSRUNAS_PROFILE"'], env);
      check(r, 0);
      assert.equal(r.stdout, "iam-role\n");
      assert.match(r.stderr, /DEBUG WRAPPED CMD: \[sh -c echo "\$AWSRUNAS_PROFILE"\]$/m);
    });

    it("no profile and no AWS_PROFILE: nothing to do, exit 1", async () => {
      const { env } = setup();
      const r = await runCli([], env);
      check(r, 1);
      assert.equal(r.stdout, "");
      oneLine(r.stderr, /nothing to do/);
      assert.deepEqual(proxy.actions(), []);
    });
  });
});
