/**
 * End to end: the built CLI, run as a process in a temporary HOME, against moto_server (a real STS) through a
 * recording proxy that counts every AWS call. awscli, boto3 and the AWS SDK for JavaScript consume our outputs.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { fromProcess } from "@aws-sdk/credential-providers";
import { CLI, cleanEnv, run, runCli, tempHome } from "../helpers/cliRun.js";
import { freePort } from "../helpers/moto.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import { stsErrorXml, type RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";

const skip = peerSkip("moto_server", ["--help"]);

const KEY = "AKIAIOSFODNN7USERKEY";
const SECRET = "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";
const MFA = "arn:aws:iam::123456789012:mfa/alice";

function config(extra = ""): string {
  return `[default]
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default

[profile mfa-admin]
role_arn = arn:aws:iam::123456789012:role/Ops
source_profile = default
mfa_serial = ${MFA}

[profile long-admin]
role_arn = arn:aws:iam::123456789012:role/Long
source_profile = default
credentials_duration = 2h

[profile chained]
role_arn = arn:aws:iam::123456789012:role/Deep
source_profile = admin
${extra}`;
}
const CREDENTIALS = `[default]
aws_access_key_id = ${KEY}
aws_secret_access_key = ${SECRET}
`;

describe("aws-runas against moto", { skip }, () => {
  let proxy: RecordingProxy;
  useMotoBehindProxy((p) => (proxy = p));

  const setup = (extraConfig = "", credentials = CREDENTIALS) => {
    const { home, aws } = tempHome(config(extraConfig), credentials);
    const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url });
    return { home, aws, env };
  };

  it("prints credential_process JSON for a role and caches it: the second run makes no AWS call", async () => {
    const { aws, env } = setup();
    const first = await runCli(["-O", "json", "admin"], env);
    assert.equal(first.code, 0, first.stderr);
    const json = JSON.parse(first.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ["AccessKeyId", "SecretAccessKey", "SessionToken", "Version", "Expiration"]);
    assert.equal(json.Version, 1);
    assert.match(String(json.AccessKeyId), /^ASIA/);
    assert.deepEqual(proxy.actions(), ["GetSessionToken", "GetCallerIdentity", "AssumeRole"]);
    // GetSessionToken is signed with the profile's keys; AssumeRole with the session token.
    assert.equal(proxy.calls[0]?.accessKeyId, KEY);
    assert.notEqual(proxy.calls[2]?.accessKeyId, KEY);
    for (const f of [".aws_session_token_default", ".aws_assume_role_admin"]) {
      assert.equal(statSync(path.join(aws, f)).mode & 0o777, 0o600, f);
    }

    proxy.clear();
    const second = await runCli(["-O", "json", "admin"], env);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(proxy.actions(), [], "a cache hit makes no AWS call");
    assert.equal(second.stdout, first.stdout);
  });

  it("is accepted as credential_process by awscli v1, boto3 and the JS SDK's fromProcess", async () => {
    const { home, env } = setup();
    const cmd = `env HOME=${home} AWS_ENDPOINT_URL=${proxy.url} ${process.execPath} ${CLI} -O json admin`;
    const cfg = path.join(home, ".aws", "config");
    writeFileSync(cfg, `${readFileSync(cfg, "utf8")}\n[profile viaproc]\nregion = us-east-1\ncredential_process = ${cmd}\n`);

    const cli = await run("aws", ["sts", "get-caller-identity", "--profile", "viaproc", "--output", "json"], env);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(JSON.parse(cli.stdout).Arn, /assumed-role\/Admin\//);

    const py = await run("python3", ["-c", [
      "import boto3",
      "s = boto3.Session(profile_name='viaproc')",
      "print(s.client('sts').get_caller_identity()['Arn'])",
    ].join("\n")], env);
    assert.equal(py.code, 0, py.stderr);
    assert.match(py.stdout, /assumed-role\/Admin\//);

    const creds = fromProcess({ profile: "viaproc", configFilepath: cfg, filepath: path.join(home, ".aws", "credentials") });
    const sts = new STSClient({ region: "us-east-1", endpoint: proxy.url, credentials: creds });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.match(id.Arn ?? "", /assumed-role\/Admin\//);
    const resolved = await creds();
    assert.ok(resolved.sessionToken, "the session token must reach the SDK");
    assert.ok(resolved.expiration instanceof Date);
  });

  it("runs a command through the token-protected endpoint, which refuses requests without the token", async () => {
    const { env } = setup();
    const r = await runCli(["admin", "--", "aws", "sts", "get-caller-identity", "--output", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).Arn, /assumed-role\/Admin\//);

    const probe = [
      "const u = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;",
      "const t = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;",
      "const a = await fetch(u); const b = await fetch(u, { headers: { Authorization: t } });",
      "const j = await b.json();",
      "console.log(JSON.stringify({ without: a.status, with: b.status, key: j.AccessKeyId, hasToken: typeof j.Token,",
      "  profile: process.env.AWS_PROFILE ?? null, runas: process.env.AWSRUNAS_PROFILE, region: process.env.AWS_REGION,",
      "  keyInEnv: process.env.AWS_ACCESS_KEY_ID ?? null, shared: process.env.AWS_SHARED_CREDENTIALS_FILE }));",
    ].join("\n");
    const p = await runCli(["admin", process.execPath, "--input-type=module", "-e", probe], { ...env, AWS_PROFILE: "" });
    assert.equal(p.code, 0, p.stderr);
    const seen = JSON.parse(p.stdout) as Record<string, unknown>;
    assert.equal(seen.without, 401);
    assert.equal(seen.with, 200);
    assert.match(String(seen.key), /^ASIA/);
    assert.equal(seen.hasToken, "string");
    assert.deepEqual(
      { profile: seen.profile, runas: seen.runas, region: seen.region, keyInEnv: seen.keyInEnv, shared: seen.shared },
      { profile: null, runas: "admin", region: "us-east-1", keyInEnv: null, shared: "/dev/null" },
    );
  });

  it("-E puts the credentials in the child's environment instead", async () => {
    const { env } = setup();
    const probe = "console.log(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS')))))";
    const r = await runCli(["-E", "admin", "--", process.execPath, "-e", probe], { ...env, AWS_PROFILE: "", AWS_DEFAULT_PROFILE: "" });
    assert.equal(r.code, 0, r.stderr);
    const seen = JSON.parse(r.stdout) as Record<string, string>;
    assert.match(seen.AWS_ACCESS_KEY_ID ?? "", /^ASIA/);
    assert.ok(seen.AWS_SECRET_ACCESS_KEY && seen.AWS_SESSION_TOKEN && seen.AWS_CREDENTIAL_EXPIRATION);
    assert.equal(seen.AWS_REGION, "us-east-1");
    assert.equal(seen.AWS_DEFAULT_REGION, "us-east-1");
    assert.equal(seen.AWSRUNAS_PROFILE, "admin");
    assert.equal(seen.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined);
    assert.equal(seen.AWS_PROFILE, undefined);
  });

  it("propagates the child's exit status", async () => {
    const { env } = setup();
    const r = await runCli(["admin", "sh", "-c", "exit 7"], env);
    assert.equal(r.code, 7);
    assert.match(r.stderr, /exit status 7/);
  });

  it("20 concurrent cold starts make one call per STS step and prompt for MFA once", async () => {
    const { aws, env } = setup();
    const runs = await Promise.all(
      Array.from({ length: 20 }, () => runCli(["-O", "json", "mfa-admin"], env, "123456\n")),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const keys = new Set(runs.map((r) => (JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId));
    assert.equal(keys.size, 1, "every process got the same cached credentials");
    assert.deepEqual(proxy.actions().sort(), ["AssumeRole", "GetCallerIdentity", "GetSessionToken"]);
    const gst = proxy.calls.find((c) => c.action === "GetSessionToken");
    assert.equal(gst?.params.get("SerialNumber"), MFA);
    assert.equal(gst?.params.get("TokenCode"), "123456");
    assert.equal(proxy.calls.find((c) => c.action === "AssumeRole")?.params.get("TokenCode"), null);
    const prompts = runs.filter((r) => r.stderr.includes("MFA token code:")).length;
    assert.equal(prompts, 1);
    assert.ok(!runs.some((r) => r.stdout.includes("MFA token code")), "prompts never reach stdout");
    assert.deepEqual(readdirSync(aws).filter((f) => f.endsWith(".lck") || f.endsWith(".tmp")), [], "no lock or temp file left");
  });

  it("recovers from a corrupted cache file", async () => {
    const { aws, env } = setup();
    writeFileSync(path.join(aws, ".aws_assume_role_admin"), "{not json", { mode: 0o600 });
    writeFileSync(path.join(aws, ".aws_session_token_default"), "\u0000\u0001garbage");
    const r = await runCli(["-v", "-O", "json", "admin"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).AccessKeyId, /^ASIA/);
    const rewritten = JSON.parse(readFileSync(path.join(aws, ".aws_assume_role_admin"), "utf8")) as Record<string, string>;
    assert.deepEqual(Object.keys(rewritten), ["AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken"]);
  });

  it("-r refreshes the role credentials but keeps the session token", async () => {
    const { env } = setup();
    assert.equal((await runCli(["-O", "json", "admin"], env)).code, 0);
    proxy.clear();
    const r = await runCli(["-r", "-O", "json", "admin"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(proxy.actions(), ["GetCallerIdentity", "AssumeRole"]);
  });

  it("assumes roles over one hour directly with the long-term keys, and follows role chains", async () => {
    const { env } = setup();
    const long = await runCli(["-O", "json", "long-admin"], env);
    assert.equal(long.code, 0, long.stderr);
    const assume = proxy.calls.filter((c) => c.action === "AssumeRole");
    assert.equal(assume.length, 1);
    assert.equal(assume[0]?.accessKeyId, KEY);
    assert.equal(assume[0]?.params.get("DurationSeconds"), "7200");

    proxy.clear();
    const chained = await runCli(["-O", "json", "chained"], env);
    assert.equal(chained.code, 0, chained.stderr);
    const roles = proxy.calls.filter((c) => c.action === "AssumeRole").map((c) => c.params.get("RoleArn"));
    assert.deepEqual(roles, ["arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/Deep"]);
  });

  it("prints env statements and session credentials with -s; -e and -w report on stderr", async () => {
    const { env } = setup();
    const r = await runCli(["-s", "-e", "-w", "admin"], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.deepEqual(lines.map((l) => l.replace(/=.*/, "")), [
      "export AWS_REGION", "export AWS_DEFAULT_REGION", "export AWS_ACCESS_KEY_ID", "export AWS_SECRET_ACCESS_KEY",
      "export AWS_SESSION_TOKEN", "export AWS_SECURITY_TOKEN", "export AWS_CREDENTIAL_EXPIRATION", "export AWSRUNAS_PROFILE",
    ]);
    assert.ok(lines.includes("export AWSRUNAS_PROFILE='admin'"));
    assert.deepEqual(proxy.actions(), ["GetSessionToken", "GetCallerIdentity"]);
    assert.match(r.stderr, /^Credentials will expire on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d \(in \d+ hours\)$/m);
    assert.match(r.stderr, /INFO \{UserId:\S+ Arn:arn:aws:\S+ Account:\d+\}/);
  });

  it("-c writes <profile>-awsrunas and leaves every other byte of the credentials file alone", async () => {
    const original = `# my keys\n[default]\naws_access_key_id = ${KEY}\naws_secret_access_key=${SECRET}\n\n; old one\n[pre-existing]\naws_access_key_id   =   AKIAOLD\r\n`;
    const { aws, env } = setup("", original);
    const first = await runCli(["-c", "-O", "json", "admin"], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Credentials written to AWS credentials file under profile: admin-awsrunas/);
    const second = await runCli(["-c", "-r", "-O", "json", "admin"], env);
    assert.equal(second.code, 0, second.stderr);
    const after = readFileSync(path.join(aws, "credentials"), "utf8");
    assert.ok(after.startsWith(original), "the original bytes are untouched");
    const added = after.slice(original.length);
    const json = JSON.parse(second.stdout) as Record<string, string>;
    assert.equal(added.match(/\[admin-awsrunas\]/g)?.length, 1);
    assert.ok(added.includes(`aws_access_key_id = ${json.AccessKeyId}`));
    assert.ok(added.includes(`aws_session_token = ${json.SessionToken}`));
    assert.equal(statSync(path.join(aws, "credentials")).mode & 0o777, 0o600);
  });

  it("asks for the MFA code on the terminal even when stdin is a pipe (credential_process style)", async () => {
    const { env } = setup();
    // A real pseudo-terminal as the controlling terminal; stdin is an empty pipe, as under credential_process.
    const script = [
      "import os, pty, sys, json",
      "args = json.loads(sys.argv[1])",
      "pid, fd = pty.fork()",
      "if pid == 0:",
      "    r, w = os.pipe(); os.close(w); os.dup2(r, 0)",
      "    os.execv(args[0], args)",
      "out = b''",
      "answered = False",
      "while True:",
      "    try: chunk = os.read(fd, 4096)",
      "    except OSError: break",
      "    if not chunk: break",
      "    out += chunk",
      "    if not answered and b'MFA token code: ' in out:",
      "        os.write(fd, b'246810\\n'); answered = True",
      "os.waitpid(pid, 0)",
      "sys.stdout.write(out.decode())",
    ].join("\n");
    const r = await run("python3", ["-c", script, JSON.stringify([process.execPath, CLI, "-O", "json", "mfa-admin"])], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /MFA token code: /);
    assert.match(r.stdout, /"AccessKeyId":"ASIA/);
    assert.equal(proxy.calls.find((c) => c.action === "GetSessionToken")?.params.get("TokenCode"), "246810");
  });

  it("takes the endpoint from endpoint_url in the config when no AWS_ENDPOINT_URL is set", async () => {
    const { home } = setup(`\n[profile via-config]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\nendpoint_url = ${proxy.url}\n`);
    const r = await runCli(["-O", "json", "via-config"], cleanEnv(home));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(proxy.actions(), ["GetSessionToken", "GetCallerIdentity", "AssumeRole"]);
  });

  it("a source profile with credential_process is resolved by the AWS SDK and assumes the role directly", async () => {
    const printer = `${process.execPath} -e "console.log(JSON.stringify({Version:1,AccessKeyId:'AKIAFROMPROCESS',SecretAccessKey:'procsecret'}))"`;
    const { env } = setup(`\n[profile procsrc]\ncredential_process = ${printer}\n\n[profile viaproc-src]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = procsrc\n`);
    const r = await runCli(["-O", "json", "viaproc-src"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(proxy.calls.map((c) => [c.action, c.accessKeyId]), [
      ["GetCallerIdentity", "AKIAFROMPROCESS"],
      ["AssumeRole", "AKIAFROMPROCESS"],
    ]);
  });

  it("-vv traces the AWS requests on stderr with every secret redacted", async () => {
    const { env } = setup();
    const r = await runCli(["-vv", "-o", "654321", "-O", "json", "mfa-admin"], env);
    assert.equal(r.code, 0, r.stderr);
    const creds = JSON.parse(r.stdout) as Record<string, string>;
    assert.match(r.stderr, /DEBUG AWS SDK .*GetSessionTokenCommand/);
    assert.match(r.stderr, /DEBUG AWS SDK .*AssumeRoleCommand/);
    for (const secret of [SECRET, creds.SecretAccessKey, creds.SessionToken, "654321"]) {
      assert.ok(secret && !r.stderr.includes(secret), "a secret reached the trace");
    }
  });

  describe("errors: one clear line, exit 1, no secret", () => {
    const oneLine = (stderr: string, pattern: RegExp) => {
      const lines = stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0] ?? "", pattern);
      assert.ok(!stderr.includes(SECRET) && !stderr.includes("    at "), stderr);
    };

    it("a wrong MFA code", async () => {
      const { env } = setup();
      proxy.stubs.push((c) => c.params.get("TokenCode") === "999999"
        ? { status: 403, body: stsErrorXml("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.") }
        : undefined);
      const r = await runCli(["-o", "999999", "mfa-admin"], env);
      assert.equal(r.code, 1);
      oneLine(r.stderr, /rejected the MFA code for arn:aws:iam::123456789012:mfa\/alice/);
      assert.ok(!r.stderr.includes("999999"));
      assert.equal(r.stdout, "");
    });

    it("invalid keys", async () => {
      const { env } = setup();
      proxy.stubs.push((c) => c.accessKeyId === KEY
        ? { status: 403, body: stsErrorXml("InvalidClientTokenId", "The security token included in the request is invalid.") }
        : undefined);
      const r = await runCli(["admin"], env);
      assert.equal(r.code, 1);
      oneLine(r.stderr, /AWS rejected the access key .*InvalidClientTokenId/);
    });

    it("STS unreachable", async () => {
      const { env } = setup();
      const r = await runCli(["admin"], { ...env, AWS_ENDPOINT_URL: `http://127.0.0.1:${await freePort()}` });
      assert.equal(r.code, 1);
      oneLine(r.stderr, /cannot reach .* for GetSessionToken/);
    });

    it("a missing region", async () => {
      const { home } = tempHome("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n", CREDENTIALS);
      const r = await runCli(["admin"], cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url }));
      assert.equal(r.code, 1);
      oneLine(r.stderr, /no AWS region for profile 'admin'/);
    });

    it("an unknown profile lists the known ones", async () => {
      const { env } = setup();
      const r = await runCli(["nope"], env);
      assert.equal(r.code, 1);
      oneLine(r.stderr, /profile 'nope' not found in .*; known profiles: admin, chained, default, long-admin, mfa-admin/);
    });

    it("a malformed config file names the file and line", async () => {
      const { home } = tempHome("[default]\nregion us-east-1\n", CREDENTIALS);
      const r = await runCli(["default"], cleanEnv(home));
      assert.equal(r.code, 1);
      oneLine(r.stderr, /config, line 2/);
    });

    it("a bad duration", async () => {
      const { env } = setup();
      const r = await runCli(["-a", "7d", "admin"], env);
      assert.equal(r.code, 1);
      oneLine(r.stderr, /invalid value "7d" for flag -a/);
    });

    it("a missing source profile", async () => {
      const { env } = setup("\n[profile orphan]\nrole_arn = arn:aws:iam::123456789012:role/X\nsource_profile = ghost\n");
      const r = await runCli(["orphan"], env);
      assert.equal(r.code, 1);
      oneLine(r.stderr, /source_profile = ghost/);
    });
  });
});
