/**
 * End to end for the OneLogin provider (idp.md §5): the built CLI, configured with the seed document's lines (only
 * the host changed to the fake), signs in at the fake OneLogin — answering MFA prompts on a real pseudo-terminal —
 * and assumes the roles at moto.
 */
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { CLI, cleanEnv, run, runCli, tempHome } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";
import { GOOD_CODE, GOOD_PASSWORD, startOneLoginFake, type OneLoginFake } from "../fakes/onelogin.js";

const skip = peerSkip("moto_server", ["--help"]) || peerSkip("aws") || peerSkip("python3");
const OIDC_ROLE = "arn:aws:iam::123456789012:role/OidcRole";
const SAML_ROLE = "arn:aws:iam::123456789012:role/OneLoginRole";
/** The token of the seed document: base64("client_id:client_secret"). */
const SEED_TOKEN = "Y2xpZW50X2lkOmNsaWVudF9zZWNyZXQ=";

/**
 * Runs the CLI with a pseudo-terminal as its controlling terminal and an empty pipe as stdin (as under
 * credential_process); stdout and stderr go to files, and each expected prompt seen on stderr gets its answer typed
 * on the terminal, in order.
 */
async function runOnTerminal(
  args: string[],
  env: Record<string, string>,
  answers: Array<[prompt: string, answer: string]>,
): Promise<{ code: number; stdout: string; stderr: string; unanswered: number }> {
  const script = [
    "import os, pty, sys, json, select, time",
    "spec = json.loads(sys.argv[1])",
    "out_path, err_path = spec['out'], spec['err']",
    "pid, fd = pty.fork()",
    "if pid == 0:",
    "    r, w = os.pipe(); os.close(w); os.dup2(r, 0)",
    "    os.dup2(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)",
    "    os.dup2(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)",
    "    os.execv(spec['argv'][0], spec['argv'])",
    // A read the select said was ready can still block on a pty master: never let it hang the test.
    "os.set_blocking(fd, False)",
    "answers = spec['answers']",
    "pos = 0",
    "status = None",
    "deadline = time.time() + 90",
    "while status is None and time.time() < deadline:",
    "    ready, _, _ = select.select([fd], [], [], 0.05)",
    "    if ready:",
    "        try: os.read(fd, 4096)",
    "        except OSError: pass",
    "    try: err = open(err_path).read()",
    "    except FileNotFoundError: err = ''",
    "    if answers:",
    "        at = err.find(answers[0][0], pos)",
    "        if at >= 0:",
    "            pos = at + len(answers[0][0])",
    "            time.sleep(0.1)",
    "            os.write(fd, (answers.pop(0)[1] + '\\n').encode())",
    "    done, st = os.waitpid(pid, os.WNOHANG)",
    "    if done: status = st",
    "if status is None:",
    "    os.kill(pid, 9); os.waitpid(pid, 0); status = 9",
    "print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'unanswered': len(answers)}))",
  ].join("\n");
  const base = path.join(env.HOME ?? "", `tty-${Math.random().toString(36).slice(2)}`);
  const spec = { argv: [process.execPath, CLI, ...args], answers, out: `${base}.out`, err: `${base}.err` };
  const r = await run("python3", ["-c", script, JSON.stringify(spec)], env);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { code: number; unanswered: number };
  return { ...result, stdout: readFileSync(spec.out, "utf8"), stderr: readFileSync(spec.err, "utf8") };
}

describe("the OneLogin provider, end to end", { skip }, () => {
  let proxy: RecordingProxy;
  let fake: OneLoginFake;
  useMotoBehindProxy((p) => (proxy = p));
  before(async () => {
    fake = await startOneLoginFake();
  });
  after(async () => {
    await fake?.close();
  });
  afterEach(() => {
    assert.deepEqual(fake.violations, []);
  });

  /** A HOME with the seed's OneLogin lines (host changed to the fake) and a SAML profile on the same fake. */
  const setup = (o: { oidcUser?: string; samlUser?: string } = {}) => {
    const host = new URL(fake.url).host;
    const { home, aws } = tempHome(
      `[default]\nregion = us-east-1\n\n` +
        `[profile ol]\n` +
        `web_identity_auth_url = http://${host}/oidc/2?token=${SEED_TOKEN}\n` +
        `web_identity_client_id = myClientId\n` +
        `web_identity_callback_uri = app:/callback\n` +
        `web_identity_provider = onelogin\n` +
        `web_identity_username = ${o.oidcUser ?? "codemfa"}\n` +
        `role_arn = ${OIDC_ROLE}\n\n` +
        `[profile ol-saml]\n` +
        `saml_auth_url = ${fake.samlUrl}\n` +
        `saml_provider = onelogin\n` +
        `saml_username = ${o.samlUser ?? "samlcodemfa"}\n` +
        `role_arn = ${SAML_ROLE}\n`,
      "",
    );
    const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url, RUNAS_PASSWORD: GOOD_PASSWORD });
    const cached = () => readdirSync(aws).filter((f) => f.startsWith(".aws_") && f !== ".aws_runas.cookies");
    return { aws, env, cached };
  };

  it("OIDC: signs in with the MFA code typed on the terminal and runs a command with the role; the next run asks nothing", async () => {
    const { env } = setup();
    const r = await runOnTerminal(["ol", "--", "aws", "sts", "get-caller-identity", "--output", "json"], env, [
      ["MFA token code: ", GOOD_CODE],
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.unanswered, 0);
    assert.match(JSON.parse(r.stdout).Arn, /assumed-role\/OidcRole\//);
    assert.match(r.stderr, /Google Authenticator MFA token code: /);
    const call = proxy.calls.find((c) => c.action === "AssumeRoleWithWebIdentity");
    assert.equal(call?.params.get("RoleArn"), OIDC_ROLE);
    const claims = JSON.parse(Buffer.from((call?.params.get("WebIdentityToken") ?? "").split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    assert.deepEqual([claims.sub, claims.aud], ["codemfa", "myClientId"]);

    const signIns = fake.signIns();
    const requests = fake.requests.length;
    const again = await runCli(["-O", "json", "ol"], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(JSON.parse(again.stdout).AccessKeyId, /^ASIA/);
    assert.equal(again.stderr, "");
    assert.equal(fake.signIns(), signIns, "no second sign-in");
    assert.deepEqual(fake.requests.slice(requests), [], "no request to OneLogin at all");
  });

  it("SAML: signs in with a push approved on the third poll and runs a command with the role; the next run asks nothing", async () => {
    const { env } = setup({ samlUser: "samlpushmfa" });
    const r = await runCli(["ol-saml", "--", "aws", "sts", "get-caller-identity", "--output", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).Arn, /assumed-role\/OneLoginRole\//);
    assert.equal(r.stderr, "waiting for push approval…\n");
    const call = proxy.calls.find((c) => c.action === "AssumeRoleWithSAML");
    assert.equal(call?.params.get("RoleArn"), SAML_ROLE);
    assert.equal(call?.params.get("PrincipalArn"), "arn:aws:iam::123456789012:saml-provider/OneLogin");

    const signIns = fake.signIns();
    const again = await runCli(["-O", "json", "ol-saml"], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, "");
    assert.equal(fake.signIns(), signIns, "no second sign-in");
  });

  it("SAML: the MFA code typed on the terminal", async () => {
    const { env } = setup();
    const r = await runOnTerminal(["-O", "json", "ol-saml"], env, [["MFA token code: ", GOOD_CODE]]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).AccessKeyId, /^ASIA/);
  });

  it("-l lists the roles of the SAML profile", async () => {
    const { env } = setup({ samlUser: "testuser" });
    const r = await runCli(["-l", "ol-saml"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Available role ARNs for testuser@example.com\n  ${SAML_ROLE}\n`);
    assert.deepEqual(proxy.actions(), [], "listing roles makes no AWS call");
  });

  it("a bad password three times is one clear line, exit 1, and nothing is cached", async () => {
    const { env, cached } = setup();
    const signIns = fake.signIns();
    const r = await runOnTerminal(["-O", "json", "ol-saml"], { ...env, RUNAS_PASSWORD: "wrong-1" }, [
      ["Password: ", "wrong-2"],
      ["Password: ", "wrong-3"],
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.unanswered, 0);
    assert.equal(r.stdout, "");
    assert.equal(fake.signIns() - signIns, 3);
    // Besides the prompts: the reason for each new prompt, then the one error line.
    const lines = r.stderr.split("\n").filter((l) => l !== "" && l !== "Password: ");
    assert.deepEqual(lines.slice(0, 2), [
      "the password for samlcodemfa was rejected, try again",
      "the password for samlcodemfa was rejected, try again",
    ]);
    assert.equal(lines.length, 3, r.stderr);
    assert.match(lines[2] ?? "", /sign-in failed: the password for samlcodemfa was rejected 3 times; check the username and password/);
    for (const secret of ["wrong-1", "wrong-2", "wrong-3"]) assert.ok(!r.stderr.includes(secret), secret);
    assert.deepEqual(cached(), []);
  });

  it("-v shows what happens and no secret", async () => {
    const { env } = setup();
    const r = await runCli(["-v", "-o", GOOD_CODE, "-O", "json", "ol"], env);
    assert.equal(r.code, 0, r.stderr);
    const creds = JSON.parse(r.stdout) as Record<string, string>;
    assert.match(r.stderr, /POST http:\/\/127\.0\.0\.1:\d+\/api\/1\/login\/auth: HTTP 200/);
    const cookie = readdirSync(path.join(env.HOME ?? "", ".aws")).includes(".aws_runas.cookies");
    assert.ok(cookie, "the OneLogin session is kept in the cookie jar");
    for (const secret of [GOOD_PASSWORD, GOOD_CODE, SEED_TOKEN, "client_secret", creds.SecretAccessKey, creds.SessionToken]) {
      assert.ok(secret !== undefined && !r.stderr.includes(secret), `a secret reached stderr: ${secret}`);
    }
    assert.ok(!/session_token|id_token|eyJ/.test(r.stderr), r.stderr);
  });
});
