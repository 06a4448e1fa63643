/**
 * End to end for `diagnose` (core.md §8): the built CLI in a temporary HOME, with a fake SNTP server (RFC 4330, UDP on
 * 127.0.0.1, named by AWS_RUNAS_NTP_SERVER) for the clock check and a local HTTP server as the identity provider the
 * endpoint check sends HEAD to. Nothing here needs the network or AWS.
 */
import assert from "node:assert/strict";
import dgram from "node:dgram";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { cleanEnv, runCli, tempHome } from "../helpers/cliRun.js";
import type { RunResult } from "../helpers/cliRun.js";

const AKIA = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ENV_KEY = "ASIAENVENVENVENVENV1";
const ENV_SECRET = "EnvSecretEnvSecretEnvSecretEnvSecret0000";
const ENV_TOKEN = "FwoGZXIvYXdzEnvSessionTokenValue";
const OIDC_PASSWORD = "oidc-password-value";
const LOG_LINE = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} (DEBUG|INFO|WARN|ERROR) (.*)$/;

/** A fake SNTP server whose clock is `offsetMs` away from ours; `silent` never answers. */
async function fakeNtpServer(o: { offsetMs?: number; silent?: boolean } = {}) {
  const socket = dgram.createSocket("udp4");
  const ntpTime = (buf: Buffer, at: number, ms: number) => {
    buf.writeUInt32BE(Math.floor(ms / 1000) + 2208988800, at);
    buf.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32), at + 4);
  };
  socket.on("message", (msg, rinfo) => {
    // Only a 48-byte client-mode request gets an answer, as from a real server.
    if (o.silent === true || msg.length !== 48 || ((msg[0] ?? 0) & 7) !== 3) return;
    const reply = Buffer.alloc(48);
    reply[0] = 0x1c; // LI 0, version 3, mode 4 (server)
    reply[1] = 1;
    msg.copy(reply, 24, 40, 48);
    const now = Date.now() + (o.offsetMs ?? 0);
    ntpTime(reply, 32, now);
    ntpTime(reply, 40, now);
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { address: `127.0.0.1:${socket.address().port}`, close: () => new Promise<void>((r) => socket.close(r)) };
}

/** Each non-empty stderr line as "LEVEL message", checking the log format on the way. */
function logLines(r: RunResult): string[] {
  return r.stderr.split("\n").filter((l) => l !== "").map((l) => {
    const m = LOG_LINE.exec(l);
    assert.ok(m !== null, `not a log line: ${l}`);
    return `${m[1]} ${m[2]}`;
  });
}

function assertNoSecret(r: RunResult, secrets: readonly string[]): void {
  for (const s of secrets) {
    assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `secret ${s.slice(0, 4)}… in the output`);
  }
}

describe("aws-runas diagnose / -D through the built CLI", () => {
  let inSync: { address: string; close(): Promise<void> };
  let tenMinutesAhead: { address: string; close(): Promise<void> };
  let silent: { address: string; close(): Promise<void> };
  let idp: http.Server;
  let idpUrl = "";
  const idpRequests: string[] = [];

  before(async () => {
    inSync = await fakeNtpServer();
    tenMinutesAhead = await fakeNtpServer({ offsetMs: 600_000 });
    silent = await fakeNtpServer({ silent: true });
    idp = http.createServer((req, res) => {
      idpRequests.push(`${req.method ?? ""} ${req.url ?? ""}`);
      res.writeHead(req.url?.startsWith("/gone") === true ? 404 : 200).end();
    });
    await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
    idpUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  });
  after(async () => {
    await inSync.close();
    await tenMinutesAhead.close();
    await silent.close();
    idp.closeAllConnections();
    idp.close();
  });

  const config = () => `[default]
region = us-east-1

[profile iam]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = base

[profile base]

[profile saml]
saml_auth_url = ${idpUrl}/saml/sso
saml_entity_id = urn:amazon:webservices
role_arn = arn:aws:iam::123456789012:role/Saml

[profile oidc]
web_identity_auth_url = ${idpUrl}/oauth2
web_identity_client_id = client-1
web_identity_callback_uri = http://localhost:8888/callback
role_arn = arn:aws:iam::123456789012:role/Web

[profile gone]
saml_auth_url = ${idpUrl}/gone
role_arn = arn:aws:iam::123456789012:role/Gone
`;
  const CREDENTIALS = `[base]\naws_access_key_id = ${AKIA}\naws_secret_access_key = ${SECRET}\n`;
  const setup = (extra: Record<string, string> = {}, cfg = config()) => {
    const { home, aws } = tempHome(cfg, CREDENTIALS);
    return { home, aws, env: cleanEnv(home, { AWS_RUNAS_NTP_SERVER: inSync.address, ...extra }) };
  };

  it("-D: an IAM profile with AWS key variables mixed in fails, and prints no secret", async () => {
    const { aws, env } = setup({ AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: ENV_SECRET, AWS_SESSION_TOKEN: ENV_TOKEN });
    const r = await runCli(["-D", "iam"], env);
    assert.equal(r.code, 1, r.stderr);
    const lines = logLines(r);
    assert.deepEqual(lines.filter((l) => !l.startsWith("INFO system time")), [
      "INFO environment variables appear sane (AWS_ACCESS_KEY_ID ASIA****)",
      `INFO region is configured in profile or environment variable (us-east-1, read from region in [default] of ${aws}/config, line 2)`,
      "INFO profile 'iam' stands on the credentials of profile 'base' (source_profile chain iam -> base)",
      `INFO profile credentials appear sane (aws_access_key_id AKIA**** in [base] of ${aws}/credentials)`,
      "ERROR detected AWS credential environment variables and profile credentials, this may confuse aws-runas: " +
        "AWS_ACCESS_KEY_ID (ASIA****) is set, while profile 'base' has keys of its own, which aws-runas uses; other " +
        "AWS tools prefer the variables, so unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN",
      `INFO no cached credentials for profile 'iam' in ${aws}`,
    ]);
    assert.ok(lines.some((l) => l.startsWith(`INFO system time is within spec (the system clock is `)), r.stderr);
    assert.equal(r.stdout, "PROFILE: iam\nREGION: us-east-1\nSOURCE PROFILE: base\nSESSION TOKEN DURATION: 0s\n" +
      "MFA SERIAL: \nROLE ARN: arn:aws:iam::123456789012:role/Admin\nEXTERNAL ID: \nASSUME ROLE CREDENTIAL DURATION: 0s\n");
    assertNoSecret(r, [AKIA, SECRET, ENV_KEY, ENV_SECRET, ENV_TOKEN]);
  });

  it("diagnose: the same IAM profile without the variables passes", async () => {
    const { env } = setup();
    const r = await runCli(["diagnose", "iam"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(logLines(r).includes("INFO credentials appear sane"));
    assertNoSecret(r, [AKIA, SECRET]);
  });

  it("diagnose: a SAML profile reports the saml_entity_id spelling and asks the IdP with HEAD", async () => {
    const { aws, env } = setup();
    idpRequests.length = 0;
    const r = await runCli(["diagnose", "saml"], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = logLines(r);
    assert.ok(lines.includes(`INFO saml_auth_entityid = urn:amazon:webservices (read from saml_entity_id in [profile saml] of ${aws}/config, line 12)`), r.stderr);
    assert.ok(lines.includes(`INFO external provider endpoint ${idpUrl}/saml/sso answered with http status 200 OK`), r.stderr);
    assert.deepEqual(idpRequests, ["HEAD /saml/sso"]);
    assert.match(r.stdout, new RegExp(`SAML ENDPOINT URL: ${idpUrl}/saml/sso\nSAML USERNAME: \nJUMP ROLE ARN: \n$`));
  });

  it("diag: an OIDC profile reports web_identity_callback_uri and WEB_IDENTITY_PASSWORD without the password", async () => {
    const { aws, env } = setup({ WEB_IDENTITY_PASSWORD: OIDC_PASSWORD });
    const r = await runCli(["diag", "oidc"], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = logLines(r);
    assert.ok(lines.includes("INFO web_identity_redirect_uri = http://localhost:8888/callback (read from " +
      `web_identity_callback_uri in [profile oidc] of ${aws}/config, line 18)`), r.stderr);
    assert.ok(lines.includes("INFO web_identity_password is set (read from the environment variable WEB_IDENTITY_PASSWORD)"), r.stderr);
    assert.match(r.stdout, /WEB IDENTITY CLIENT ID: client-1\nWEB IDENTITY REDIRECT URI: http:\/\/localhost:8888\/callback\n/);
    assertNoSecret(r, [OIDC_PASSWORD]);
  });

  it("-D: a profile missing its region fails with upstream's message", async () => {
    const { env } = setup({}, config().replace("region = us-east-1\n", ""));
    const r = await runCli(["-D", "iam"], env);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(logLines(r).some((l) => l.startsWith("ERROR region is not set, it must be specified in the config file or as an environment variable")), r.stderr);
    assert.match(r.stdout, /^PROFILE: iam\nREGION: \n/);
  });

  it("diagnose: an IdP URL answering 404 is a warning, not a failure", async () => {
    const { env } = setup();
    const r = await runCli(["diagnose", "gone"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(logLines(r).some((l) => l.startsWith(`WARN http status 404 Not Found when communicating with external provider endpoint ${idpUrl}/gone`)), r.stderr);
  });

  it("diagnose: a clock 10 minutes off fails; a time server that does not answer only warns", async () => {
    const off = await runCli(["diagnose", "iam"], setup({ AWS_RUNAS_NTP_SERVER: tenMinutesAhead.address }).env);
    assert.equal(off.code, 1, off.stderr);
    assert.ok(logLines(off).includes("ERROR Local time drift is more than 5m0s, AWS API requests will be rejected: the " +
      `system clock is 10m0s behind ${tenMinutesAhead.address}; correct the system time (turn on automatic time synchronization)`), off.stderr);

    const quiet = await runCli(["-D", "iam"], setup({ AWS_RUNAS_NTP_SERVER: silent.address }).env);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.ok(logLines(quiet).some((l) => l.startsWith(`WARN cannot check the system time: no answer from ${silent.address} within 2s`)), quiet.stderr);
  });

  it("-Dv adds upstream's DEBUG line of the clock check", async () => {
    const r = await runCli(["-Dv", "iam"], setup().env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(logLines(r).some((l) => /^DEBUG ntp: \d+, local: \d+, drift: /.test(l)), r.stderr);
  });
});
