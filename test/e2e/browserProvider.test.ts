/**
 * End to end for the `browser` provider (idp.md §9.1, §13 item 8): real Chromium, headless through a wrapper script
 * given as auth_browser (the way a user names any Chrome-compatible program), signs in at a small strict IdP whose
 * page auto-posts the SAMLResponse to AWS's sign-in endpoint, commercial or GovCloud. The client must take the
 * assertion from that POST (nothing reaches AWS), keep the IdP's session cookie for the next launch, and report a
 * browser closed mid-sign-in in one line. The last suite runs the built CLI with `saml_provider = browser` against
 * moto, with the wrapper found on PATH as google-chrome.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { browserSamlClient } from "../../src/idp/browser/browserClient.js";
import { samlPostPage, samlResponseBase64 } from "../fakes/samlResponse.js";
import { cleanEnv, runCli, tempHome } from "../helpers/cliRun.js";
import { idpHarness } from "../helpers/idpHarness.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import { peerSkip } from "../helpers/peers.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { runasFailure } from "../helpers/runasFailure.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = peerSkip(CHROMIUM);
const ROLE = "arn:aws:iam::123456789012:role/BrowserRole";
const PRINCIPAL = "arn:aws:iam::123456789012:saml-provider/Browser";
const GOV_ROLE = "arn:aws-us-gov:iam::123456789012:role/BrowserRole";
const GOV_PRINCIPAL = "arn:aws-us-gov:iam::123456789012:saml-provider/Browser";
const SESSION_COOKIE = "idp_session";
const SESSION_ID = "f3c1d2e4a5b6";

/** Chromium headless, as the test's browser; it writes its pid (kept by exec) where the test can find it. */
function browserWrapper(dir: string, name = "headless-chromium"): { program: string; pidFile: string } {
  const program = path.join(dir, name);
  const pidFile = path.join(dir, `${name}.pid`);
  writeFileSync(
    program,
    `#!/bin/sh\necho $$ > "${pidFile}"\n` +
      `exec ${CHROMIUM} --headless=new --no-sandbox --disable-gpu --disable-background-networking "$@"\n`,
  );
  chmodSync(program, 0o755);
  return { program, pidFile };
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The IdP: `/sso/aws` and `/sso/gov` answer with the auto-posting form (to signin.aws.amazon.com, and to GovCloud),
 * `/sso/never` with a login page that never posts. A browser without the session cookie gets one (a session
 * cookie: no expiry). Anything else but the favicon every browser asks for is a violation.
 */
async function startIdp() {
  const requests: { path: string; hadSession: boolean }[] = [];
  const violations: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const hadSession = (req.headers.cookie ?? "").split(/;\s*/).includes(`${SESSION_COOKIE}=${SESSION_ID}`);
    const page = (html: string): void => {
      requests.push({ path: url.pathname, hadSession });
      if (!hadSession) res.setHeader("set-cookie", `${SESSION_COOKIE}=${SESSION_ID}; Path=/; HttpOnly; SameSite=Lax`);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(html);
    };
    if (req.method === "GET" && url.pathname === "/sso/aws") {
      page(samlPostPage(samlResponseBase64({ issuer: "urn:idp", sessionName: "ann@example.com", roles: [`${ROLE},${PRINCIPAL}`] })));
    } else if (req.method === "GET" && url.pathname === "/sso/gov") {
      const saml = samlResponseBase64({
        issuer: "urn:idp",
        sessionName: "ann@example.com",
        roles: [`${GOV_ROLE},${GOV_PRINCIPAL}`],
        destination: "https://signin.amazonaws-us-gov.com/saml",
      });
      page(samlPostPage(saml, "https://signin.amazonaws-us-gov.com/saml"));
    } else if (req.method === "GET" && url.pathname === "/sso/never") {
      page('<!DOCTYPE html><html><body><form method="POST" action="/login"><input name="username"></form></body></html>');
    } else if (req.method === "GET" && url.pathname === "/favicon.ico") {
      res.writeHead(404).end();
    } else {
      violations.push(`${req.method} ${url.pathname}`);
      res.writeHead(400, { "content-type": "text/plain" }).end(`unexpected ${req.method} ${url.pathname}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    violations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Idp = Awaited<ReturnType<typeof startIdp>>;

/** Temp AWS directories (each holds a Chromium profile of some megabytes), removed when the file's tests end. */
const temps: string[] = [];
function tempAwsDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runas-browser-e2e-"));
  temps.push(dir);
  return dir;
}
after(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the browser provider with real Chromium", { skip }, () => {
  let idp: Idp;
  before(async () => {
    idp = await startIdp();
  });
  after(() => idp?.close());
  afterEach(() => {
    assert.deepEqual(idp.violations, [], "the browser only asked the IdP for its pages");
    idp.requests.length = 0;
  });

  const signIn = (awsConfigDir: string, wrapper: string, page: string) => {
    // The real clock: the kept cookies expire 24 h from now, and Chromium drops cookies that expired.
    const h = idpHarness([], { clock: { now: () => new Date() } });
    const client = browserSamlClient({ url: `${idp.origin}${page}`, mfaType: "auto", authBrowser: wrapper }, h.d, { awsConfigDir });
    return { h, assertion: client.getAssertion() };
  };

  it("captures the POST to https://signin.aws.amazon.com/saml; the next launch still has the IdP session", async () => {
    const aws = tempAwsDir();
    const { program, pidFile } = browserWrapper(aws);

    const first = signIn(aws, program, "/sso/aws");
    const a = await first.assertion;
    assert.deepEqual(a.roles(), [{ role: ROLE, principal: PRINCIPAL }]);
    assert.equal(a.roleSessionName(), "ann@example.com");
    assert.deepEqual(idp.requests, [{ path: "/sso/aws", hadSession: false }]);
    assert.deepEqual(first.h.progress, ["sign in in the browser window that opened; aws-runas waits up to 5 minutes"]);
    assert.ok(first.h.logger.lines.includes("DEBUG browser: the sign-in posted to https://signin.aws.amazon.com/saml"));
    assert.ok(first.h.logger.lines.includes("DEBUG browser: kept 1 session cookie(s) for the next sign-in"), first.h.logger.lines.join("\n"));
    const pid = Number(readFileSync(pidFile, "utf8"));
    assert.equal(running(pid), false, "the browser was closed");

    const dir = path.join(aws, ".browser");
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.ok(readdirSync(path.join(dir, "aws-runas")).includes("Cookies"), "the profile was written to disk");

    idp.requests.length = 0;
    const second = signIn(aws, program, "/sso/aws");
    assert.equal((await second.assertion).roles()[0]?.role, ROLE);
    assert.deepEqual(idp.requests, [{ path: "/sso/aws", hadSession: true }], "the session cookie outlived the browser");
  });

  it("captures the POST to the GovCloud sign-in endpoint", async () => {
    const aws = tempAwsDir();
    const { program } = browserWrapper(aws);
    const { h, assertion } = signIn(aws, program, "/sso/gov");
    const a = await assertion;
    assert.deepEqual(a.roles(), [{ role: GOV_ROLE, principal: GOV_PRINCIPAL }]);
    assert.ok(h.logger.lines.includes("DEBUG browser: the sign-in posted to https://signin.amazonaws-us-gov.com/saml"));
  });

  it("the browser closed before the sign-in: one clear line; the next launch cleans up after the killed browser", async () => {
    const aws = tempAwsDir();
    const { program, pidFile } = browserWrapper(aws);
    const { h, assertion } = signIn(aws, program, "/sso/never");
    // Wait until the login page is showing, then close the browser the hard way.
    for (let i = 0; i < 400 && !idp.requests.some((r) => r.path === "/sso/never"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.deepEqual(idp.requests, [{ path: "/sso/never", hadSession: false }]);
    process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
    assert.deepEqual(await runasFailure(assertion), {
      code: "IDP_AUTH",
      message:
        "the browser was closed before the sign-in finished; run aws-runas again and finish signing in in the browser window",
    });
    assert.deepEqual(h.prompts, []);

    const lock = path.join(aws, ".browser", "SingletonLock");
    assert.ok(lstatSync(lock).isSymbolicLink(), "the killed browser left its lock behind");
    idp.requests.length = 0;
    const again = signIn(aws, program, "/sso/aws");
    assert.equal((await again.assertion).roles()[0]?.role, ROLE);
    // The killed browser never signed in, so its session cookie was not kept.
    assert.deepEqual(idp.requests, [{ path: "/sso/aws", hadSession: false }]);
  });
});

describe("saml_provider = browser through the CLI, against moto", { skip: skip || peerSkip("moto_server", ["--help"]) }, () => {
  let proxy: RecordingProxy;
  let idp: Idp;
  useMotoBehindProxy((p) => (proxy = p));
  before(async () => {
    idp = await startIdp();
  });
  after(() => idp?.close());
  afterEach(() => assert.deepEqual(idp.violations, []));

  it("signs in with the browser found on PATH, assumes the role, and the next run is cached", async () => {
    const { home, aws } = tempHome(
      `[default]\nregion = us-east-1\n\n[profile corp]\nsaml_auth_url = ${idp.origin}/sso/aws\nsaml_provider = browser\n` +
        `role_arn = ${ROLE}\n`,
      "",
    );
    temps.push(home);
    const bin = path.join(home, "bin");
    mkdirSync(bin);
    const { pidFile } = browserWrapper(bin, "google-chrome");
    const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url, PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}` });

    const r = await runCli(["-O", "json", "corp"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).AccessKeyId, /^ASIA/);
    assert.equal(r.stderr, "sign in in the browser window that opened; aws-runas waits up to 5 minutes\n");
    const call = proxy.calls.find((c) => c.action === "AssumeRoleWithSAML");
    assert.equal(call?.params.get("RoleArn"), ROLE);
    assert.equal(call?.params.get("PrincipalArn"), PRINCIPAL);
    assert.ok(existsSync(pidFile), "the browser on PATH was the one started");
    assert.ok(existsSync(path.join(aws, ".browser", "aws-runas")), "the browser profile lives beside the AWS config");

    proxy.clear();
    const again = await runCli(["-O", "json", "corp"], env);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(proxy.actions(), [], "cached credentials");
    assert.equal(idp.requests.length, 1, "no second browser sign-in");
  });
});
