/**
 * End to end for the generic OIDC provider (web_identity_provider = oidc): the built CLI signs in at a real OpenID
 * Provider (oidc-provider) through the loopback browser flow and the device flow, then assumes the role at moto.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CLI, ROOT, cleanEnv, run, runCli, tempHome } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";
import { playBrowser, startOpenIdProvider, type OpenIdProvider } from "../fakes/openIdProvider.js";

const skip = peerSkip("moto_server", ["--help"]);
const ROLE = "arn:aws:iam::123456789012:role/OidcRole";

describe("the generic OIDC provider, end to end", { skip }, () => {
  let proxy: RecordingProxy;
  let op: OpenIdProvider;
  useMotoBehindProxy((p) => (proxy = p));
  before(async () => {
    op = await startOpenIdProvider({ deviceInterval: 1 });
  });
  after(async () => {
    await op?.close();
  });

  const setup = (flow?: string) => {
    const { home, aws } = tempHome(
      `[default]\nregion = us-east-1\n\n[profile sso]\nweb_identity_auth_url = ${op.issuer}\nweb_identity_client_id = ${op.clientId}\n` +
        `web_identity_redirect_uri = http://127.0.0.1/callback\nweb_identity_provider = oidc\nrole_arn = ${ROLE}\n` +
        (flow === undefined ? "" : `web_identity_flow = ${flow}\n`),
      "",
    );
    const log = path.join(home, "browser.log");
    const browser = path.join(home, "browser.sh");
    writeFileSync(browser, `#!/bin/sh\nexec "${process.execPath}" --import tsx "${path.join(ROOT, "test", "helpers", "browserPlayer.ts")}" "$1"\n`);
    chmodSync(browser, 0o755);
    const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url, BROWSER: browser, PLAYER_LOG: log });
    const opened = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").length : 0);
    return { home, aws, env, opened };
  };

  it("signs in through the browser, runs a command with the role; then reuses the token; -r signs in again", async () => {
    const { aws, env, opened } = setup();
    const r = await run(process.execPath, [CLI, "sso", "--", "aws", "sts", "get-caller-identity", "--output", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).Arn, /assumed-role\/OidcRole\//);
    assert.equal(opened(), 1);
    assert.match(r.stderr, /open this URL to sign in: http:\/\/127\.0\.0\.1:\d+\/auth\?/);
    const call = proxy.calls.find((c) => c.action === "AssumeRoleWithWebIdentity");
    assert.equal(call?.params.get("RoleArn"), ROLE);
    const token = call?.params.get("WebIdentityToken") ?? "";
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    assert.equal(claims.aud, op.clientId);
    assert.equal(claims.iss, op.issuer);

    // Within the token's life: no browser, no prompt, even without the cached role credentials.
    for (const f of readdirSync(aws).filter((f) => f.startsWith(".aws_web_role_"))) rmSync(path.join(aws, f));
    proxy.clear();
    const again = await runCli(["-O", "json", "sso"], env, "");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(opened(), 1, "no second browser");
    assert.deepEqual(proxy.actions(), ["AssumeRoleWithWebIdentity"]);
    assert.ok(!again.stderr.includes("open this URL"));

    const refreshed = await runCli(["-r", "-O", "json", "sso"], env, "");
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal(opened(), 2, "-r signs in again");
    assert.equal(readFileSync(path.join(aws, ".aws_runas_identity_token.cache"), "utf8").includes(op.clientId), false, "keys are hashes");
  });

  it("signs in with the device flow, the test playing the user on the printed URL", async () => {
    const { env, opened } = setup("device");
    const child = spawn(process.execPath, [CLI, "-O", "json", "sso"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    let started = false;
    const played = new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/device\S*)/.exec(stderr);
        if (m?.[1] !== undefined && !started) {
          started = true;
          playBrowser(m[1], {}).then(() => resolve(), reject);
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    await played;
    assert.equal(code, 0, stderr);
    assert.match(JSON.parse(stdout).AccessKeyId, /^ASIA/);
    assert.equal(opened(), 0, "the device flow opens no browser");
    assert.ok(op.requests.some((r) => r.includes("grant_type=urn:ietf:params:oauth:grant-type:device_code")));
  });

  it("an unknown provider name is one clear line, and nothing is cached", async () => {
    const { aws, env } = setup();
    const cfg = path.join(aws, "config");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace("web_identity_provider = oidc", "web_identity_provider = auth0"));
    const r = await runCli(["sso"], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /web_identity_provider .* is "auth0", which is not a known OIDC provider; use one of .*oidc/);
    assert.deepEqual(readdirSync(aws).filter((f) => f.startsWith(".aws_")), []);
  });

  it("the identity provider unreachable is one clear line", async () => {
    const { aws, env } = setup();
    const cfg = path.join(aws, "config");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace(op.issuer, "http://127.0.0.1:9"));
    const r = await runCli(["sso"], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.deepEqual(readdirSync(aws).filter((f) => f.startsWith(".aws_")), [], "nothing cached");
  });
});
