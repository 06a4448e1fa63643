/**
 * The servers' defences, against the built CLI (decisions.md "Servers"): the Host guard, the ECS bearer token, IMDSv2
 * tokens (proxied PUTs, forged and expired tokens under --imdsv2-only), the management API's same-origin check, a
 * JSON error when no profile is active, loopback-only sockets, and a clean exit 0 on Ctrl-C that removes the token
 * file. No AWS call is needed: the served profile holds temporary keys of its own.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync, readFileSync } from "node:fs";
import { cleanEnv, tempHome } from "../helpers/cliRun.js";
import { listeningSockets, startServe, type ServeProcess } from "./serveProcess.js";
import { request } from "../helpers/httpRequest.js";

const CONFIG = "[default]\nregion = us-east-1\n\n[profile tmp]\nregion = us-east-1\n";
// Keys with a session token are temporary: a session profile serves them as they are, without STS.
const CREDENTIALS = "[tmp]\naws_access_key_id = ASIATEMPORARYKEY\naws_secret_access_key = tmpsecret\naws_session_token = tmptoken\n";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("serve: security defaults of the running servers", () => {
  const servers: ServeProcess[] = [];
  let ec2: ServeProcess;
  let ecs: ServeProcess;
  let imdsRoot: string;
  let ecsUrl: string;
  let token: string;
  let tokenFile: string;

  before(async () => {
    const { home } = tempHome(CONFIG, CREDENTIALS);
    const env = cleanEnv(home);
    ec2 = startServe(["serve", "ec2", "-p", "0", "--imdsv2-only"], env);
    ecs = startServe(["serve", "ecs", "-p", "0", "tmp"], env);
    servers.push(ec2, ecs);
    await ec2.waitFor((out, err) => out.includes("AWS_EC2_METADATA_SERVICE_ENDPOINT=") && err.includes("select a profile"), "the EC2 server");
    await ecs.waitFor((_out, err) => err.includes("Using initial profile 'tmp'"), "the ECS server");
    imdsRoot = (ec2.vars().AWS_EC2_METADATA_SERVICE_ENDPOINT ?? "").replace(/\/$/, "");
    ecsUrl = ecs.vars().AWS_CONTAINER_CREDENTIALS_FULL_URI ?? "";
    token = ecs.vars().AWS_CONTAINER_AUTHORIZATION_TOKEN ?? "";
    tokenFile = ecs.vars().AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ?? "";
  });
  after(() => {
    for (const s of servers) s.kill();
  });

  const imdsToken = async (ttl: string, headers: Record<string, string> = {}) =>
    request(`${imdsRoot}/latest/api/token`, { method: "PUT", headers: { "X-Aws-Ec2-Metadata-Token-Ttl-Seconds": ttl, ...headers } });
  const CREDS = "/latest/meta-data/iam/security-credentials/";

  it("refuses a Host that does not name the server, on both servers", async () => {
    for (const url of [`${imdsRoot}${CREDS}`, ecsUrl, `${imdsRoot}/list-roles`]) {
      const r = await request(url, { headers: { Host: "attacker.example", Authorization: token } });
      assert.equal(r.status, 403, url);
      assert.equal(JSON.parse(r.body).code, "Forbidden");
    }
  });

  it("ECS: refuses a missing or wrong bearer token, serves the right one, and has no IMDS routes", async () => {
    assert.equal((await request(ecsUrl)).status, 401);
    assert.equal((await request(ecsUrl, { headers: { Authorization: `${token.slice(0, -1)}x` } })).status, 401);
    const ok = await request(ecsUrl, { headers: { Authorization: token } });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).AccessKeyId, "ASIATEMPORARYKEY");
    assert.equal(readFileSync(tokenFile, "utf8"), token);
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    const origin = new URL(ecsUrl).origin;
    assert.equal((await request(`${origin}${CREDS}`)).status, 404);
  });

  it("IMDS: refuses a token PUT that came through a proxy, and out-of-range TTLs", async () => {
    assert.equal((await imdsToken("60", { "X-Forwarded-For": "203.0.113.7" })).status, 403);
    assert.equal((await imdsToken("0")).status, 400);
    assert.equal((await imdsToken("21601")).status, 400);
  });

  it("--imdsv2-only: refuses requests without a token, with a forged one and with an expired one", async () => {
    assert.equal((await request(`${imdsRoot}${CREDS}`)).status, 401);
    const forged = await request(`${imdsRoot}${CREDS}`, { headers: { "X-Aws-Ec2-Metadata-Token": "A".repeat(43) } });
    assert.equal(forged.status, 401);
    const short = (await imdsToken("1")).body;
    await sleep(1100);
    const expired = await request(`${imdsRoot}${CREDS}`, { headers: { "X-Aws-Ec2-Metadata-Token": short } });
    assert.equal(expired.status, 401);
  });

  it("answers a JSON error, not a dropped connection, when no profile is active", async () => {
    const valid = (await imdsToken("60")).body;
    const r = await request(`${imdsRoot}${CREDS}admin`, { headers: { "X-Aws-Ec2-Metadata-Token": valid } });
    assert.equal(r.status, 500);
    assert.deepEqual(JSON.parse(r.body), {
      code: "ProfileNotSet",
      message: `no profile is active: choose one at ${imdsRoot}/ or POST /profile`,
    });
  });

  it("refuses a cross-origin POST to the management API", async () => {
    const r = await request(`${imdsRoot}/profile`, {
      method: "POST",
      body: "tmp",
      headers: { Origin: "https://attacker.example", "Content-Type": "text/plain" },
    });
    assert.equal(r.status, 403);
    assert.equal((await request(`${imdsRoot}/profile`)).status, 500, "the active profile did not change");
  });

  it("listens on loopback only", { skip: process.platform !== "linux" && "reads /proc (Linux)" }, () => {
    for (const s of [ec2, ecs]) {
      const sockets = listeningSockets(s.child.pid ?? 0);
      assert.ok(sockets !== undefined && sockets.length === 1, `one listening socket: ${String(sockets)}`);
      for (const a of sockets) assert.match(a, /^127\.0\.0\.1:\d+$/);
    }
  });

  it("never writes a secret to its log", () => {
    for (const secret of [token, "tmpsecret", "tmptoken"]) {
      assert.ok(!ecs.stderr().includes(secret));
      assert.ok(!ec2.stderr().includes(secret));
    }
  });

  it("Ctrl-C (SIGINT) exits 0 and removes the token file", async () => {
    assert.ok(existsSync(tokenFile));
    assert.deepEqual(await ecs.stop("SIGINT"), { code: 0, signal: null });
    assert.equal(existsSync(tokenFile), false);
    assert.match(ecs.stderr(), /INFO SIGINT received: shutting down/);
    assert.deepEqual(await ec2.stop("SIGTERM"), { code: 0, signal: null });
  });
});
