import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { after, afterEach, describe, it } from "node:test";
import { samlResponseBase64 } from "../../../test/fakes/samlResponse.js";
import { HARNESS_NOW, idpHarness, type IdpHarness } from "../../../test/helpers/idpHarness.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";
import type { IdpSettings } from "../types.js";
import { type BrowserOptions, browserSamlClient } from "./browserClient.js";
import type { CdpConnection } from "./cdpConnection.js";
import type { BrowserProcess } from "./launchBrowser.js";
import { DONE_PAGE } from "./signInWatch.js";

const ROLE = "arn:aws:iam::123456789012:role/BrowserRole";
const PRINCIPAL = "arn:aws:iam::123456789012:saml-provider/Browser";
const IDP_URL = "https://idp.example.com/app/aws/sso?tenant=corp";
const WS = "ws://127.0.0.1:40123/devtools/browser/2b1c7e0a-0000-4000-8000-000000000001";
const SAML = samlResponseBase64({ issuer: "https://idp.example.com", sessionName: "ann@example.com", roles: [`${ROLE},${PRINCIPAL}`] });

/** CDP's urlPattern wildcards: `*` any text, `?` one character. */
function cdpMatches(pattern: string, url: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(url);
}

class FakeProcess extends EventEmitter implements BrowserProcess {
  readonly stderr = new PassThrough();
  readonly pid = 4242;
  readonly signals: string[] = [];
  exited = false;
  kill(signal?: NodeJS.Signals): boolean {
    this.signals.push(signal ?? "SIGTERM");
    this.exit(null, signal ?? "SIGTERM");
    return true;
  }
  exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    setImmediate(() => this.emit("exit", code, signal));
  }
}

interface Cookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number;
  session: boolean;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
  sourceScheme: string;
  sourcePort: number;
}

/**
 * A browser over the DevTools protocol, as strict as Chrome about what it is sent: any command it does not know, a
 * navigation outside an attached session, an unknown or twice-answered paused request, or a command after it quit is
 * a violation. `idp` plays the sign-in pages: it runs after each navigation and makes the browser send requests.
 */
class FakeBrowser {
  readonly process = new FakeProcess();
  readonly violations: string[] = [];
  /** Commands as `Method` or `Method <detail>`, in order. */
  readonly log: string[] = [];
  /** What the pages sent to the network (requests not paused, or continued). */
  readonly network: string[] = [];
  readonly fulfilled: { url: string; status: number; body: string; contentType: string | undefined }[] = [];
  setCookies: unknown[] | undefined;
  cookies: Cookie[] = [];
  ignoresClose = false;
  /** A command the browser dies on (the user closed it right away), answering with a dropped connection. */
  diesOn: string | undefined;
  navigationError: string | undefined;
  idp: (b: FakeBrowser, url: string) => void = () => undefined;

  private readonly listeners = new Map<string, ((p: unknown) => void)[]>();
  private readonly onDisconnect: (() => void)[] = [];
  private targets = [
    { targetId: "UI-1", type: "browser_ui", url: "chrome://omnibox-popup.top-chrome/" },
    { targetId: "PAGE-1", type: "page", url: "about:blank" },
  ];
  private patterns: string[] | undefined;
  private sessions = new Set<string>();
  private paused = new Map<string, string>();
  private nextRequest = 1;
  private connected = true;

  connection(): CdpConnection {
    return {
      send: (method, params = {}, sessionId) => this.command(method, params as Record<string, unknown>, sessionId),
      on: (method, listener) => this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]),
      onDisconnect: (listener) => void this.onDisconnect.push(listener),
      close: async () => {
        this.log.push("(connection closed)");
        this.connected = false;
      },
    };
  }

  /** A page's request: paused when Fetch patterns match, else it goes to the network. */
  request(url: string, method: string, form?: Record<string, string>): void {
    const body = form === undefined ? undefined : new URLSearchParams(form).toString();
    if (this.patterns?.some((p) => cdpMatches(p, url)) === true) {
      const requestId = `interception-job-${this.nextRequest++}.0`;
      this.paused.set(requestId, url);
      this.emit("Fetch.requestPaused", {
        requestId,
        request: {
          url,
          method,
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          ...(body === undefined ? {} : {
            hasPostData: true,
            postData: body,
            postDataEntries: [{ bytes: Buffer.from(body).toString("base64") }],
          }),
        },
        frameId: "FRAME-1",
        resourceType: "Document",
      });
    } else {
      this.network.push(`${method} ${url}`);
    }
  }

  /** The user closes the window: tabs go, the process ends, the connection drops. */
  closeByUser(): void {
    this.closeTabs();
    this.process.exit(0, null);
    this.disconnect();
  }

  /** The last tab closed, the process stays (macOS). */
  closeTabs(): void {
    for (const t of this.targets) this.emit("Target.targetDestroyed", { targetId: t.targetId });
    this.targets = [];
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    setImmediate(() => this.onDisconnect.forEach((l) => l()));
  }

  private emit(method: string, params: unknown): void {
    setImmediate(() => this.listeners.get(method)?.forEach((l) => l(params)));
  }

  private async command(method: string, p: Record<string, unknown>, sessionId?: string): Promise<unknown> {
    if (!this.connected) throw new Error("WebSocket connection closed");
    this.log.push(method);
    if (method === this.diesOn) {
      this.closeByUser();
      throw new Error("WebSocket connection closed");
    }
    const fail = (why: string): never => {
      this.violations.push(`${method}: ${why}`);
      throw new Error(`fake browser: ${why}`);
    };
    if (sessionId !== undefined && method !== "Page.navigate") fail("sent to a page session");
    switch (method) {
      case "Target.setDiscoverTargets":
        if (p.discover !== true) fail("discover is not true");
        for (const t of this.targets) this.emit("Target.targetCreated", { targetInfo: { ...t, attached: false } });
        return {};
      case "Fetch.enable": {
        const patterns = p.patterns as { urlPattern: string; requestStage?: string }[];
        if (!Array.isArray(patterns) || patterns.some((x) => x.requestStage !== "Request")) fail("patterns");
        this.patterns = patterns.map((x) => x.urlPattern);
        return {};
      }
      case "Target.getTargets":
        return { targetInfos: this.targets.map((t) => ({ ...t, attached: false })) };
      case "Target.attachToTarget": {
        if (p.flatten !== true) fail("not flat");
        if (!this.targets.some((t) => t.targetId === p.targetId && t.type === "page")) fail(`no page ${String(p.targetId)}`);
        const id = `SESSION-${this.sessions.size + 1}`;
        this.sessions.add(id);
        return { sessionId: id };
      }
      case "Page.navigate": {
        if (sessionId === undefined || !this.sessions.has(sessionId)) fail("no attached session");
        const url = String(p.url);
        this.log[this.log.length - 1] = `Page.navigate ${url}`;
        if (this.navigationError !== undefined) return { frameId: "FRAME-1", errorText: this.navigationError };
        this.network.push(`GET ${url}`);
        setImmediate(() => this.idp(this, url));
        return { frameId: "FRAME-1", loaderId: "LOADER-1" };
      }
      case "Target.detachFromTarget":
        if (!this.sessions.delete(String(p.sessionId))) fail("unknown session");
        return {};
      case "Fetch.continueRequest": {
        const url = this.answer(p.requestId, fail);
        this.network.push(`continued ${url}`);
        return {};
      }
      case "Fetch.fulfillRequest": {
        const url = this.answer(p.requestId, fail);
        const headers = p.responseHeaders as { name: string; value: string }[];
        this.fulfilled.push({
          url,
          status: Number(p.responseCode),
          body: Buffer.from(String(p.body), "base64").toString("utf8"),
          contentType: headers.find((h) => h.name.toLowerCase() === "content-type")?.value,
        });
        return {};
      }
      case "Storage.getCookies":
        return { cookies: this.cookies.map((c) => ({ ...c, size: c.name.length + c.value.length, priority: "Medium" })) };
      case "Storage.setCookies":
        this.setCookies = p.cookies as unknown[];
        return {};
      case "Browser.close":
        if (!this.ignoresClose) {
          this.closeTabs();
          this.process.exit(0, null);
          this.disconnect();
        }
        return new Promise(() => undefined);
      default:
        return fail("not a command this browser knows");
    }
  }

  private answer(requestId: unknown, fail: (why: string) => never): string {
    const url = this.paused.get(String(requestId));
    if (url === undefined) fail(`request ${String(requestId)} is not paused`);
    this.paused.delete(String(requestId));
    return url as string;
  }
}

const temps: string[] = [];
after(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp AWS directory, the fake browser behind the launch and the connection, and what they were asked. */
function setup(o: { installed?: string[]; options?: BrowserOptions } = {}) {
  const browser = new FakeBrowser();
  const awsConfigDir = mkdtempSync(path.join(os.tmpdir(), "runas-browser-"));
  temps.push(awsConfigDir);
  const spawned: { program: string; args: readonly string[] }[] = [];
  const installed = o.installed ?? ["google-chrome"];
  const options: BrowserOptions = {
    awsConfigDir,
    homeDir: "/home/ann",
    platform: "linux",
    launch: {
      spawn(program, args) {
        spawned.push({ program, args });
        if (!installed.includes(program)) {
          const missing = new FakeProcess();
          setImmediate(() => missing.emit("error", Object.assign(new Error("ENOENT"), { code: "ENOENT" })));
          return missing;
        }
        setImmediate(() => {
          browser.process.emit("spawn");
          browser.process.stderr.write(`DevTools listening on ${WS}\n`);
        });
        return browser.process;
      },
      readFile: async () => undefined,
      // Polls without waiting, but lets the fake browser's events through between polls.
      sleep: () => new Promise((resolve) => setImmediate(resolve)),
    },
    async connect(url) {
      assert.equal(url, WS);
      return browser.connection();
    },
    closeGraceMs: 20,
    ...o.options,
  };
  const h = idpHarness();
  const settings: IdpSettings = { url: IDP_URL, mfaType: "auto" };
  return { browser, awsConfigDir, spawned, options, h, settings };
}

/** An IdP page that auto-posts the SAMLResponse to `action` (what samlPostPage's form does). */
const postsTo = (action: string, saml = SAML) => (b: FakeBrowser) => b.request(action, "POST", { SAMLResponse: saml, RelayState: "" });

const browsers: FakeBrowser[] = [];
afterEach(() => {
  for (const b of browsers.splice(0)) assert.deepEqual(b.violations, [], "the client spoke the DevTools protocol as Chrome expects");
});
function tracked<T extends { browser: FakeBrowser }>(t: T): T {
  browsers.push(t.browser);
  return t;
}

/** Nothing the sign-in handled shows up in what the user or the debug log saw. */
function noSecrets(h: IdpHarness): void {
  const seen = [...h.progress, ...h.logger.lines].join("\n");
  assert.ok(!seen.includes(SAML.slice(0, 40)), seen);
  assert.ok(!seen.includes("s3cr3t-session"), seen);
}

describe("the browser SAML client (idp.md §9.1, §13 item 8)", () => {
  it("captures the SAMLResponse posted to AWS, answers the page, keeps the session cookies for 24 h, closes the browser", async () => {
    const { browser, awsConfigDir, spawned, options, h, settings } = tracked(setup());
    browser.idp = postsTo("https://signin.aws.amazon.com/saml");
    browser.cookies = [
      { name: "idp_session", value: "s3cr3t-session", domain: "idp.example.com", path: "/", expires: -1, session: true,
        secure: true, httpOnly: true, sameSite: "Lax", sourceScheme: "Secure", sourcePort: 443 },
      { name: "sso", value: "s3cr3t-session-2", domain: ".example.com", path: "/app", expires: -1, session: true,
        secure: false, httpOnly: false, sourceScheme: "NonSecure", sourcePort: 80 },
      { name: "remember", value: "yes", domain: "idp.example.com", path: "/", expires: 1893456000, session: false,
        secure: true, httpOnly: false, sourceScheme: "Secure", sourcePort: 443 },
      { name: "", value: "nameless", domain: "idp.example.com", path: "/", expires: -1, session: true,
        secure: true, httpOnly: false, sourceScheme: "Secure", sourcePort: 443 },
    ];

    const a = await browserSamlClient(settings, h.d, options).getAssertion();

    assert.deepEqual(a.roles(), [{ role: ROLE, principal: PRINCIPAL }]);
    assert.equal(a.base64, SAML);
    assert.equal(a.roleSessionName(), "ann@example.com");
    const userDataDir = path.join(awsConfigDir, ".browser");
    assert.deepEqual(spawned, [{
      program: "google-chrome",
      args: [
        `--user-data-dir=${userDataDir}`,
        "--profile-directory=aws-runas",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-session-crashed-bubble",
        "--hide-crash-restore-bubble",
        "--noerrdialogs",
        "--window-size=400,700",
        "--remote-debugging-port=0",
        "about:blank",
      ],
    }]);
    assert.equal(statSync(userDataDir).mode & 0o777, 0o700);
    assert.deepEqual(browser.log, [
      "Target.setDiscoverTargets",
      "Fetch.enable",
      "Target.getTargets",
      "Target.attachToTarget",
      `Page.navigate ${IDP_URL}`,
      "Target.detachFromTarget",
      "Fetch.fulfillRequest",
      "Storage.getCookies",
      "Storage.setCookies",
      "Browser.close",
      "(connection closed)",
    ]);
    assert.deepEqual(browser.network, [`GET ${IDP_URL}`], "nothing was sent to AWS");
    assert.deepEqual(browser.fulfilled, [
      { url: "https://signin.aws.amazon.com/saml", status: 200, body: DONE_PAGE, contentType: "text/html; charset=utf-8" },
    ]);
    assert.match(DONE_PAGE, /You can close this window — aws-runas got the sign-in\./);
    const expires = HARNESS_NOW.getTime() / 1000 + 24 * 3600;
    assert.deepEqual(browser.setCookies, [
      { name: "idp_session", value: "s3cr3t-session", path: "/", expires, url: "https://idp.example.com/", secure: true,
        httpOnly: true, sameSite: "Lax", priority: "Medium", sourceScheme: "Secure", sourcePort: 443 },
      { name: "sso", value: "s3cr3t-session-2", path: "/app", expires, domain: ".example.com", secure: false,
        httpOnly: false, priority: "Medium", sourceScheme: "NonSecure", sourcePort: 80 },
    ]);
    assert.equal(browser.process.exited, true);
    assert.deepEqual(browser.process.signals, [], "closed gracefully, not killed");
    assert.deepEqual(h.progress, ["sign in in the browser window that opened; aws-runas waits up to 5 minutes"]);
    assert.deepEqual(h.prompts, []);
    noSecrets(h);
  });

  for (const endpoint of [
    "https://us-west-2.signin.aws.amazon.com/saml",
    "https://signin.amazonaws-us-gov.com/saml",
    "https://us-gov-east-1.signin.amazonaws-us-gov.com/saml",
    "https://signin.amazonaws.cn/saml",
    "https://signin.aws.amazon.com/saml/acs/SAMLSP4SN4LQEXAMPLE",
  ]) {
    it(`captures the POST to ${endpoint}`, async () => {
      const { browser, options, h, settings } = tracked(setup());
      browser.idp = postsTo(endpoint);
      const a = await browserSamlClient(settings, h.d, options).getAssertion();
      assert.deepEqual(a.roles(), [{ role: ROLE, principal: PRINCIPAL }]);
      assert.deepEqual(browser.fulfilled.map((f) => f.url), [endpoint]);
      assert.deepEqual(browser.network, [`GET ${IDP_URL}`]);
    });
  }

  it("look-alikes are left alone (a wildcard match is let go on), a GET to AWS is not the sign-in; the real POST is", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.idp = (b) => {
      b.request("https://signin.aws.amazon.com.evil.example/saml", "POST", { SAMLResponse: "ZXZpbA==" });
      b.request("https://evil.example/x.signin.aws.amazon.com/saml", "POST", { SAMLResponse: "ZXZpbA==" });
      b.request("https://signin.aws.amazon.com/saml", "GET");
      setImmediate(() => setImmediate(() => postsTo("https://signin.aws.amazon.com/saml")(b)));
    };
    const a = await browserSamlClient(settings, h.d, options).getAssertion();
    assert.equal(a.base64, SAML);
    assert.deepEqual(browser.network, [
      `GET ${IDP_URL}`,
      "POST https://signin.aws.amazon.com.evil.example/saml",
      "continued https://evil.example/x.signin.aws.amazon.com/saml",
      "continued https://signin.aws.amazon.com/saml",
    ]);
    assert.deepEqual(browser.fulfilled.map((f) => f.url), ["https://signin.aws.amazon.com/saml"]);
  });

  it("the user closes the browser before signing in: one clear line, nothing left running", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.idp = (b) => b.closeByUser();
    assert.deepEqual(await runasFailure(browserSamlClient(settings, h.d, options).getAssertion()), {
      code: "IDP_AUTH",
      message:
        "the browser was closed before the sign-in finished; run aws-runas again and finish signing in in the browser window",
    });
    assert.ok(!browser.log.includes("Storage.setCookies"));
    assert.deepEqual(browser.process.signals, []);
  });

  it("the last tab closed while the browser process stays (macOS): the closed-browser error, and the browser is quit", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.idp = (b) => b.closeTabs();
    const failure = await runasFailure(browserSamlClient(settings, h.d, options).getAssertion());
    assert.match(failure.message, /^the browser was closed before the sign-in finished;/);
    assert.equal(browser.log.at(-2), "Browser.close");
    assert.equal(browser.process.exited, true);
  });

  it("the browser crashes (the DevTools connection drops): the closed-browser error", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.idp = (b) => b.disconnect();
    const failure = await runasFailure(browserSamlClient(settings, h.d, options).getAssertion());
    assert.match(failure.message, /^the browser was closed before the sign-in finished;/);
    assert.equal(failure.code, "IDP_AUTH");
  });

  it("no sign-in within the time: a timeout line saying what to do; the browser is closed", async () => {
    const { browser, options, h, settings } = tracked(setup({ options: { timeoutMs: 30 } }));
    assert.deepEqual(await runasFailure(browserSamlClient(settings, h.d, options).getAssertion()), {
      code: "IDP_AUTH",
      message:
        "the sign-in did not reach AWS within 1 s; run aws-runas again and sign in in the browser window, and check " +
        "that saml_auth_url is the IdP's sign-in URL of the AWS application",
    });
    assert.equal(browser.log.at(-2), "Browser.close");
    assert.equal(browser.process.exited, true);
    assert.deepEqual(h.progress, ["sign in in the browser window that opened; aws-runas waits up to 1 s"]);
  });

  it("a browser that does not quit on Browser.close is killed", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.ignoresClose = true;
    browser.idp = postsTo("https://signin.aws.amazon.com/saml");
    await browserSamlClient(settings, h.d, options).getAssertion();
    assert.deepEqual(browser.process.signals, ["SIGKILL"]);
    assert.equal(browser.log.at(-1), "(connection closed)");
  });

  it("cancelled by the caller: one line, the browser is closed", async () => {
    const { browser, options, h, settings } = tracked(setup());
    const ac = new AbortController();
    browser.idp = () => ac.abort();
    assert.deepEqual(await runasFailure(browserSamlClient(settings, h.d, options).getAssertion(ac.signal)), {
      code: "IDP_AUTH",
      message: "the browser sign-in was cancelled before it reached AWS",
    });
    assert.equal(browser.process.exited, true);
  });

  it("the IdP posts to AWS without a SAMLResponse: the page says so, and so does the error", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.idp = (b) => b.request("https://signin.aws.amazon.com/saml", "POST", { RelayState: "x" });
    assert.deepEqual(await runasFailure(browserSamlClient(settings, h.d, options).getAssertion()), {
      code: "IDP_AUTH",
      message:
        "the sign-in posted to https://signin.aws.amazon.com/saml without a SAMLResponse; check that saml_auth_url is " +
        "the IdP's sign-in URL of the AWS application",
    });
    assert.match(browser.fulfilled[0]?.body ?? "", /without a SAMLResponse/);
  });

  it("a SAMLResponse that is not base64: the SAML error, and the browser is still closed", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.idp = postsTo("https://signin.aws.amazon.com/saml", "not base64!");
    const failure = await runasFailure(browserSamlClient(settings, h.d, options).getAssertion());
    assert.equal(failure.code, "SAML_INVALID");
    assert.equal(browser.process.exited, true);
  });

  it("saml_auth_url cannot be opened: the browser's reason, without the query", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.navigationError = "net::ERR_NAME_NOT_RESOLVED";
    assert.deepEqual(await runasFailure(browserSamlClient(settings, h.d, options).getAssertion()), {
      code: "IDP_ERROR",
      message:
        "the browser could not open https://idp.example.com/app/aws/sso (net::ERR_NAME_NOT_RESOLVED); check " +
        "saml_auth_url and the network",
    });
    assert.equal(browser.process.exited, true);
  });

  it("no DevTools connection: one line, and the started browser is not left running", async () => {
    const { browser, options, h, settings } = tracked(setup());
    const failure = await runasFailure(
      browserSamlClient(settings, h.d, {
        ...options,
        connect: async () => {
          throw new Error("connect ECONNREFUSED 127.0.0.1:40123");
        },
      }).getAssertion(),
    );
    assert.deepEqual(failure, {
      code: "IDP_ERROR",
      message: "could not connect to google-chrome over DevTools (connect ECONNREFUSED 127.0.0.1:40123); run aws-runas again",
    });
    assert.deepEqual(browser.process.signals, ["SIGKILL"]);
  });

  it("no browser installed: one line naming what was looked for", async () => {
    const { options, h, settings } = setup({ installed: [] });
    const failure = await runasFailure(browserSamlClient(settings, h.d, options).getAssertion());
    assert.match(failure.message, /^no Chrome or Chromium found \(looked for google-chrome, google-chrome-stable, chromium, chromium-browser\)/);
  });

  it("auth_browser = msedge where Edge is missing: Chrome with a WARN line", async () => {
    const { browser, options, h, settings, spawned } = tracked(setup());
    browser.idp = postsTo("https://signin.aws.amazon.com/saml");
    await browserSamlClient({ ...settings, authBrowser: "msedge" }, h.d, options).getAssertion();
    assert.deepEqual(spawned.map((s) => s.program), ["microsoft-edge", "microsoft-edge-stable", "google-chrome"]);
    assert.ok(h.logger.lines.includes(
      "WARN auth_browser is msedge but Microsoft Edge is not installed where aws-runas looks on linux; using Chrome",
    ));
  });

  it("stale files of an earlier browser are gone before the launch; the profile's data stays", async () => {
    const { browser, options, h, settings, awsConfigDir } = tracked(setup());
    const dir = path.join(awsConfigDir, ".browser");
    mkdirSync(path.join(dir, "aws-runas", "Sessions"), { recursive: true });
    writeFileSync(path.join(dir, "aws-runas", "Cookies"), "db");
    writeFileSync(path.join(dir, "DevToolsActivePort"), "9222\n/devtools/browser/old\n");
    let seenAtLaunch: string[] = [];
    const launch = options.launch;
    assert.ok(launch !== undefined);
    browser.idp = postsTo("https://signin.aws.amazon.com/saml");
    await browserSamlClient(settings, h.d, {
      ...options,
      launch: {
        ...launch,
        spawn(program, args) {
          seenAtLaunch = ["DevToolsActivePort", "aws-runas/Sessions", "aws-runas/Cookies"].filter((f) => existsSync(path.join(dir, f)));
          return launch.spawn(program, args);
        },
      },
    }).getAssertion();
    assert.deepEqual(seenAtLaunch, ["aws-runas/Cookies"]);
  });

  it("the browser closed while being set up: the closed-browser error, not the connection's", async () => {
    const { browser, options, h, settings } = tracked(setup());
    browser.diesOn = "Fetch.enable";
    const failure = await runasFailure(browserSamlClient(settings, h.d, options).getAssertion());
    assert.match(failure.message, /^the browser was closed before the sign-in finished;/);
  });

  it("saml_auth_url that is not an http(s) URL: the configuration error, no browser started", async () => {
    const { options, h, settings, spawned } = setup();
    for (const url of ["idp.example.com/sso", "ftp://idp.example.com/sso"]) {
      const failure = await runasFailure(browserSamlClient({ ...settings, url }, h.d, options).getAssertion());
      assert.equal(failure.code, "INVALID_CONFIG");
      assert.match(failure.message, /^invalid client URL: saml_auth_url /);
    }
    assert.deepEqual(spawned, []);
  });

  it("is the `browser` vendor", () => {
    const { options, h, settings } = setup();
    assert.equal(browserSamlClient(settings, h.d, options).vendor, "browser");
  });
});
