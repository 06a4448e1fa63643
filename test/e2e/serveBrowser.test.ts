/**
 * End to end for the browser UI of `serve` (core.md §9.7): the built CLI runs `serve ecs -p 0` in a temporary HOME
 * against moto_server (a real STS) behind the recording proxy, and real Chromium drives the page: the Role drop-down
 * switches the served role, and an MFA profile's sign-in completes through the MFA dialog. The credentials the
 * server then hands out (with its bearer token) are checked at moto as the chosen role. A screenshot of the page is
 * kept under test-output/serve-browser/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { chromium, type Browser, type Page } from "playwright-core";
import { CLI, ROOT, cleanEnv, tempHome } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import { peerSkip } from "../helpers/peers.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = peerSkip("moto_server", ["--help"]) || peerSkip(CHROMIUM);
const OUT = path.join(ROOT, "test-output", "serve-browser");

const ACCOUNT = "123456789012";
const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const OPS_ARN = `arn:aws:iam::${ACCOUNT}:role/Ops`;
const CONFIG = `[default]
region = us-east-1

[profile admin]
role_arn = ${ADMIN_ARN}
source_profile = default

[profile ops-user]
region = us-east-1

[profile mfa-admin]
role_arn = ${OPS_ARN}
source_profile = ops-user
mfa_serial = arn:aws:iam::${ACCOUNT}:mfa/alice
`;
// The MFA role has a source of its own: a session of \`default\` made without MFA (for admin) would otherwise serve
// it too, as the session cache of a source profile is shared by its roles.
const CREDENTIALS = `[default]
aws_access_key_id = AKIAIOSFODNN7USERKEY
aws_secret_access_key = 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

[ops-user]
aws_access_key_id = AKIAIOSFODNN7OPSUSER1
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYOPSSECRET
`;

/** The little of the DOM the page-side checks use (the type-check has no DOM library; strings would need eval). */
interface PageGlobals {
  document: {
    querySelector(selector: string): { textContent: string | null; className?: string; hidden?: boolean } | null;
  };
}

/**
 * Waits until the element's text is `text`, or the page shows an error, which fails at once with the error and the
 * server's log. A sign-in is real STS work at moto, which a busy machine slows down, so the bound is generous.
 */
async function waitText(page: Page, selector: string, text: string, serverLog: () => string): Promise<void> {
  const outcome = await page.waitForFunction(
    ([sel, want]) => {
      const doc = (globalThis as unknown as PageGlobals).document;
      if (doc.querySelector(sel)?.textContent === want) return "ok";
      const alert = doc.querySelector("#alert");
      if (alert !== null && alert.hidden === false && alert.className?.includes("error") === true) {
        return `the page shows the error: ${alert.textContent?.trim() ?? ""}`;
      }
      return false;
    },
    [selector, text] as const,
  ).then((h) => h.jsonValue(), (e: unknown) => `no answer: ${e instanceof Error ? e.message.split("\n", 1)[0] : String(e)}`);
  if (outcome !== "ok") {
    const shown = await page.textContent(selector).catch(() => "?");
    assert.fail(`${selector} shows '${shown}', not '${text}'; ${String(outcome)}; the server's log:\n${serverLog()}`);
  }
}

interface Serving {
  child: ChildProcess;
  /** AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN as printed. */
  uri: string;
  token: string;
  stderr: () => string;
}

/** Starts `aws-runas serve ecs -p 0` in its own process group and waits for the settings it prints on stdout. */
function startServe(env: Record<string, string>): Promise<Serving> {
  const child = spawn(process.execPath, [CLI, "serve", "ecs", "-p", "0"], {
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    const check = () => {
      const uri = /^AWS_CONTAINER_CREDENTIALS_FULL_URI=(\S+)$/m.exec(stdout)?.[1];
      const token = /^AWS_CONTAINER_AUTHORIZATION_TOKEN=(\S+)$/m.exec(stdout)?.[1];
      if (uri !== undefined && token !== undefined) resolve({ child, uri, token, stderr: () => stderr });
    };
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(new Error(`serve ecs exited (${code ?? signal}) before printing its settings:\n${stdout}${stderr}`)),
    );
  });
}

/** Ctrl-C for the whole process group, then SIGKILL if it is still there: nothing may outlive the test. */
async function stopServe(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGINT");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

describe("the serve web page in Chromium, end to end", { skip, timeout: 300_000 }, () => {
  let proxy: RecordingProxy;
  let browser: Browser | undefined;
  let serving: Serving | undefined;
  let page: Page;
  const problems: string[] = [];
  useMotoBehindProxy((p) => (proxy = p));

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    const { home } = tempHome(CONFIG, CREDENTIALS);
    serving = await startServe(cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(90_000);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    if (serving !== undefined) await stopServe(serving.child);
  });

  /** The credentials the server hands out now (with its token), used at moto: whose role are they? */
  const servedIdentity = async (): Promise<string> => {
    const r = await fetch(serving!.uri, { headers: { Authorization: serving!.token } });
    assert.equal(r.status, 200, await r.clone().text());
    const c = (await r.json()) as { AccessKeyId: string; SecretAccessKey: string; Token: string };
    const sts = new STSClient({
      region: "us-east-1",
      endpoint: proxy.url,
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token },
    });
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? "";
  };

  it("loads the page and lists the role profiles", async () => {
    const origin = new URL(serving!.uri).origin;
    await page.goto(`${origin}/`);
    await page.locator('#role option[value="mfa-admin"]').waitFor({ state: "attached" });
    assert.deepEqual(await page.locator("#role option").allTextContents(), ["-- Select Role --", "admin", "mfa-admin"]);
    assert.equal(await page.textContent("#connect-line"), `AWS_CONTAINER_CREDENTIALS_FULL_URI=${serving!.uri}`);
  });

  it("the drop-down switches the served role", async () => {
    await page.selectOption("#role", "admin");
    await waitText(page, "#active-role-arn", ADMIN_ARN, serving!.stderr);
    assert.match(await servedIdentity(), new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/Admin/`));
  });

  it("an MFA profile signs in through the MFA dialog, then its role is served", async () => {
    await page.selectOption("#role", "mfa-admin");
    await page.locator("#mfa-modal").waitFor({ state: "visible" });
    await page.fill("#mfa", "123456");
    await page.click("#mfa-submit");
    await page.locator("#mfa-modal").waitFor({ state: "hidden" });
    await waitText(page, "#active-role-arn", OPS_ARN, serving!.stderr);
    assert.equal(await page.textContent("#active-profile"), "mfa-admin");
    await page.screenshot({ path: path.join(OUT, "serve-ecs-mfa.png"), fullPage: true });

    assert.match(await servedIdentity(), new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/Ops/`));
    // The code typed in the dialog went to STS with the profile's MFA device.
    const withMfa = proxy.calls.filter((c) => c.params.get("SerialNumber") === `arn:aws:iam::${ACCOUNT}:mfa/alice`);
    assert.deepEqual(withMfa.map((c) => c.params.get("TokenCode")), ["123456"], proxy.actions().join(", "));
  });

  it("switching back needs no new sign-in", async () => {
    await page.selectOption("#role", "admin");
    await waitText(page, "#active-role-arn", ADMIN_ARN, serving!.stderr);
    assert.equal(await page.isVisible("#mfa-modal"), false);
    assert.match(await servedIdentity(), new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/Admin/`));
  });

  it("a page of another origin cannot switch the profile (no CSRF token, cross-origin)", async () => {
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<!DOCTYPE html><title>elsewhere</title><p>another site</p>");
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const other = await browser!.newPage();
    try {
      await other.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      // The simple request a hostile page can send without a preflight; its answer is opaque to that page.
      const target = `${new URL(serving!.uri).origin}/profile`;
      await other.evaluate(async (url) => {
        await fetch(url, { method: "POST", mode: "no-cors", body: "mfa-admin" }).catch(() => undefined);
      }, target);
      while (!/POST \/profile HTTP\/1\.1 403 /.test(serving!.stderr())) await new Promise((r) => setTimeout(r, 50));
      const now = await fetch(target);
      assert.equal(now.headers.get("X-AwsRunas-Profile"), "admin", "the active profile did not change");
    } finally {
      await other.close();
      await new Promise((resolve) => evil.close(resolve));
    }
  });

  it("the page's requests were all accepted and logged without secrets", () => {
    assert.deepEqual(problems, []);
    const log = serving!.stderr();
    assert.match(log, /POST \/profile HTTP\/1\.1 200 /);
    assert.match(log, /POST \/mfa HTTP\/1\.1 200 /);
    // The only refusal is the other origin's request.
    assert.equal(log.match(/ HTTP\/1\.1 40[13] /g)?.length, 2, "the MFA profile's 401 and the other origin's 403");
    assert.doesNotMatch(log, /123456|USERSECRET|OPSSECRET/);
    assert.ok(!log.includes(serving!.token), "the bearer token is not logged");
  });
});
