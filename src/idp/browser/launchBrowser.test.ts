import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";
import { chooseBrowser } from "./browserChoice.js";
import { browserArgs, type BrowserProcess, type LaunchDeps, startBrowser } from "./launchBrowser.js";

const DIR = "/home/ann/.aws/.browser";
const WS = "ws://127.0.0.1:40123/devtools/browser/2b1c7e0a-0000-4000-8000-000000000001";

/** A started program: it announces DevTools on stderr unless told otherwise, and exits when told or killed. */
class FakeProcess extends EventEmitter implements BrowserProcess {
  readonly stderr = new PassThrough();
  readonly signals: string[] = [];
  constructor(readonly pid: number) {
    super();
  }
  kill(signal?: NodeJS.Signals): boolean {
    this.signals.push(signal ?? "SIGTERM");
    setImmediate(() => this.emit("exit", null, signal ?? "SIGTERM"));
    return true;
  }
}

/**
 * The machine: `installed` programs start (anything else is ENOENT), and each started one behaves as `behave` says.
 * `portFile` is what DevToolsActivePort holds, once the browser has been polled for it `portFileAfter` times.
 */
function machine(o: {
  installed: string[];
  behave?: (p: FakeProcess) => void;
  portFile?: string;
  portFileAfter?: number;
}) {
  const spawned: { program: string; args: readonly string[] }[] = [];
  const processes: FakeProcess[] = [];
  const reads: string[] = [];
  let sleeps = 0;
  const deps: LaunchDeps = {
    spawn(program, args) {
      spawned.push({ program, args });
      const p = new FakeProcess(1000 + spawned.length);
      processes.push(p);
      setImmediate(() => {
        if (!o.installed.includes(program)) {
          p.emit("error", Object.assign(new Error(`spawn ${program} ENOENT`), { code: "ENOENT" }));
          return;
        }
        p.emit("spawn");
        (o.behave ?? ((q) => q.stderr.write(`\nDevTools listening on ${WS}\n`)))(p);
      });
      return p;
    },
    async readFile(file) {
      reads.push(file);
      return o.portFile !== undefined && reads.length > (o.portFileAfter ?? 0) ? o.portFile : undefined;
    },
    async sleep() {
      sleeps++;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return { deps, spawned, processes, reads, sleeps: () => sleeps };
}

const linuxChrome = chooseBrowser({ platform: "linux", homeDir: "/home/ann" });

describe("starting the browser (idp.md §9.1)", () => {
  it("the command line: aws-runas's profile, upstream's flags, DevTools on a free port, a blank first tab", () => {
    assert.deepEqual(browserArgs(DIR), [
      `--user-data-dir=${DIR}`,
      "--profile-directory=aws-runas",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-session-crashed-bubble",
      "--hide-crash-restore-bubble",
      "--noerrdialogs",
      "--window-size=400,700",
      "--remote-debugging-port=0",
      "about:blank",
    ]);
  });

  it("tries the candidates in order and uses the first installed one; the DevTools address comes from stderr", async () => {
    const m = machine({ installed: ["chromium"] });
    const logger = memoryLogger();
    const { browser, devToolsUrl } = await startBrowser(linuxChrome, DIR, { deps: m.deps, logger });
    assert.equal(devToolsUrl, WS);
    assert.deepEqual(
      m.spawned.map((s) => s.program),
      ["google-chrome", "google-chrome-stable", "chromium"],
    );
    for (const s of m.spawned) assert.deepEqual(s.args, browserArgs(DIR));
    assert.equal(browser.program, "chromium");
    assert.equal(browser.pid, 1003);
    assert.ok(!logger.lines.some((l) => l.startsWith("WARN")), logger.lines.join("\n"));
    assert.equal(browser.hasExited(), false);
    browser.kill();
    await browser.exited;
    assert.equal(browser.hasExited(), true);
    assert.deepEqual(m.processes[2]?.signals, ["SIGKILL"]);
  });

  it("the DevTools address from DevToolsActivePort when stderr says nothing", async () => {
    const m = machine({
      installed: ["google-chrome"],
      behave: () => undefined,
      portFile: "40123\n/devtools/browser/2b1c7e0a-0000-4000-8000-000000000001",
      portFileAfter: 3,
    });
    const { devToolsUrl } = await startBrowser(linuxChrome, DIR, { deps: m.deps, logger: memoryLogger() });
    assert.equal(devToolsUrl, WS);
    assert.ok(m.reads.every((r) => r === path.join(DIR, "DevToolsActivePort")));
    assert.equal(m.reads.length, 4);
  });

  it("msedge on Linux without Edge: Chrome, announced with a WARN", async () => {
    const m = machine({ installed: ["google-chrome"] });
    const logger = memoryLogger();
    const choice = chooseBrowser({ platform: "linux", homeDir: "/home/ann", authBrowser: "msedge" });
    const { browser } = await startBrowser(choice, DIR, { deps: m.deps, logger });
    assert.equal(browser.program, "google-chrome");
    assert.deepEqual(
      logger.lines.filter((l) => l.startsWith("WARN")),
      ["WARN auth_browser is msedge but Microsoft Edge is not installed where aws-runas looks on linux; using Chrome"],
    );
  });

  it("msedge on Linux with Edge installed: Edge, no warning", async () => {
    const m = machine({ installed: ["microsoft-edge", "google-chrome"] });
    const logger = memoryLogger();
    const choice = chooseBrowser({ platform: "linux", homeDir: "/home/ann", authBrowser: "msedge" });
    const { browser } = await startBrowser(choice, DIR, { deps: m.deps, logger });
    assert.equal(browser.program, "microsoft-edge");
    assert.ok(!logger.lines.some((l) => l.startsWith("WARN")));
  });

  it("nothing installed: one line naming what was looked for", async () => {
    const m = machine({ installed: [] });
    assert.deepEqual(await runasFailure(startBrowser(linuxChrome, DIR, { deps: m.deps, logger: memoryLogger() })), {
      code: "IDP_ERROR",
      message:
        "no Chrome or Chromium found (looked for google-chrome, google-chrome-stable, chromium, chromium-browser); " +
        "install Google Chrome or Chromium, or put it on PATH",
    });
  });

  it("auth_browser as a path that does not exist: that path in the error, no other browser tried", async () => {
    const m = machine({ installed: ["google-chrome"] });
    const choice = chooseBrowser({ platform: "linux", homeDir: "/home/ann", authBrowser: "/opt/nowhere/chrome" });
    assert.deepEqual(await runasFailure(startBrowser(choice, DIR, { deps: m.deps, logger: memoryLogger() })), {
      code: "IDP_ERROR",
      message:
        "auth_browser is /opt/nowhere/chrome, which cannot be started (ENOENT); set auth_browser to the path of a " +
        "Chrome-compatible browser, or to chrome or msedge",
    });
    assert.deepEqual(m.spawned.map((s) => s.program), ["/opt/nowhere/chrome"]);
  });

  it("a browser that exits before opening DevTools (another instance took the profile): one line", async () => {
    const m = machine({ installed: ["google-chrome"], behave: (p) => p.emit("exit", 0, null) });
    assert.deepEqual(await runasFailure(startBrowser(linuxChrome, DIR, { deps: m.deps, logger: memoryLogger() })), {
      code: "IDP_ERROR",
      message:
        `google-chrome ended (exit status 0) before aws-runas could connect to it; close any browser window still ` +
        `using ${DIR} and run aws-runas again`,
    });
  });

  it("a program that never opens DevTools is killed after the wait", async () => {
    const m = machine({ installed: ["google-chrome"], behave: (p) => p.stderr.write("[ERROR] something else\n") });
    const failure = await runasFailure(
      startBrowser(linuxChrome, DIR, { deps: m.deps, logger: memoryLogger(), devToolsWaitMs: 500 }),
    );
    assert.deepEqual(failure, {
      code: "IDP_ERROR",
      message:
        "google-chrome started but did not open its DevTools port within 1 s; check that it is a Chrome-compatible " +
        "browser and run aws-runas again",
    });
    assert.deepEqual(m.processes[0]?.signals, ["SIGKILL"]);
    assert.equal(m.sleeps(), 5);
  });

  it("node's ChildProcess is a BrowserProcess", () => {
    const asProcess = (p: import("node:child_process").ChildProcess): BrowserProcess => p;
    assert.equal(typeof asProcess, "function");
  });
});
