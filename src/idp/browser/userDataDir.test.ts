import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { nodeProfileSystem, prepareUserDataDir, type ProfileSystem, STALE_ENTRIES } from "./userDataDir.js";

const DIR = "/home/ann/.aws/.browser";

/** A machine where `running` processes live, each with its command line, and quit after `quitsAfterPolls` checks. */
function fakeSystem(o: { lock?: string; running?: Record<number, string>; quitsAfterPolls?: number }) {
  const calls: string[] = [];
  const alive = new Map(Object.entries(o.running ?? {}).map(([pid, cmd]) => [Number(pid), cmd]));
  let terminated: number | undefined;
  let checksSinceTerm = 0;
  const system: ProfileSystem = {
    makePrivateDir: async (dir) => void calls.push(`mkdir ${dir}`),
    readLink: async (file) => {
      calls.push(`readlink ${file}`);
      return file === path.join(DIR, "SingletonLock") ? o.lock : undefined;
    },
    commandLine: async (pid) => alive.get(pid),
    isRunning: (pid) => {
      if (terminated === pid && ++checksSinceTerm > (o.quitsAfterPolls ?? 0)) alive.delete(pid);
      return alive.has(pid);
    },
    terminate: (pid) => {
      calls.push(`SIGTERM ${pid}`);
      terminated = pid;
    },
    remove: async (file) => void calls.push(`rm ${file}`),
  };
  return { system, calls };
}

const temps: string[] = [];
after(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runas-browser-"));
  temps.push(dir);
  return dir;
}

const removals = STALE_ENTRIES.map((e) => `rm ${path.join(DIR, e)}`);

describe("the browser profile directory (idp.md §9.1)", () => {
  it("no earlier browser: creates the directory and removes the stale files", async () => {
    const { system, calls } = fakeSystem({});
    await prepareUserDataDir(DIR, { system, sleep: async () => undefined, logger: memoryLogger() });
    assert.deepEqual(calls, [`mkdir ${DIR}`, `readlink ${DIR}/SingletonLock`, ...removals]);
    assert.deepEqual(STALE_ENTRIES, [
      "SingletonLock",
      "SingletonSocket",
      "SingletonCookie",
      "DevToolsActivePort",
      "aws-runas/Sessions",
    ]);
  });

  it("an earlier browser still running on this profile is asked to quit and waited for, then the files go", async () => {
    const cmd = `/usr/lib/chromium/chromium --user-data-dir=${DIR} --profile-directory=aws-runas`;
    const { system, calls } = fakeSystem({ lock: "laptop-4242", running: { 4242: cmd }, quitsAfterPolls: 2 });
    const sleeps: number[] = [];
    const logger = memoryLogger();
    await prepareUserDataDir(DIR, { system, sleep: async (ms) => void sleeps.push(ms), logger });
    assert.deepEqual(calls, [`mkdir ${DIR}`, `readlink ${DIR}/SingletonLock`, "SIGTERM 4242", ...removals]);
    assert.deepEqual(sleeps, [100, 100], "polled until it was gone");
    assert.ok(logger.lines.some((l) => l.includes("pid 4242")));
  });

  it("a browser that ignores SIGTERM is waited for 3 s at most", async () => {
    const cmd = `chrome --user-data-dir=${DIR}`;
    const { system, calls } = fakeSystem({ lock: "laptop-77", running: { 77: cmd }, quitsAfterPolls: 1_000 });
    const sleeps: number[] = [];
    await prepareUserDataDir(DIR, { system, sleep: async (ms) => void sleeps.push(ms), logger: memoryLogger() });
    assert.equal(sleeps.reduce((a, b) => a + b, 0), 3_000);
    assert.deepEqual(calls.slice(-removals.length), removals);
  });

  it("a lock naming a process that is not a browser on this profile (pid reused) is not signalled", async () => {
    const cases: Record<number, string>[] = [
      { 4242: "/usr/bin/vim notes.txt" },
      { 4242: "chrome --user-data-dir=/home/ann/other" },
      {},
    ];
    for (const running of cases) {
      const { system, calls } = fakeSystem({ lock: "laptop-4242", running });
      await prepareUserDataDir(DIR, { system, sleep: async () => undefined, logger: memoryLogger() });
      assert.ok(!calls.some((c) => c.startsWith("SIGTERM")), JSON.stringify(running));
      assert.deepEqual(calls.slice(-removals.length), removals);
    }
  });

  it("on the real file system: 0700 directory, stale lock files of a dead browser and old tabs removed, cookies kept", async () => {
    const aws = tempDir();
    const dir = path.join(aws, ".browser");
    mkdirSync(path.join(dir, "aws-runas", "Sessions"), { recursive: true, mode: 0o755 });
    writeFileSync(path.join(dir, "aws-runas", "Sessions", "Session_1"), "tabs");
    writeFileSync(path.join(dir, "aws-runas", "Cookies"), "db");
    writeFileSync(path.join(dir, "DevToolsActivePort"), "9222\n/devtools/browser/x\n");
    // A lock of a browser that died: Chrome's `<host>-<pid>` symlink to a pid that cannot exist.
    symlinkSync("laptop-999999999", path.join(dir, "SingletonLock"));
    symlinkSync("/tmp/gone/socket", path.join(dir, "SingletonSocket"));
    writeFileSync(path.join(dir, "SingletonCookie"), "");
    await prepareUserDataDir(dir, { system: nodeProfileSystem("linux"), sleep: async () => undefined, logger: memoryLogger() });
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const e of STALE_ENTRIES) assert.equal(existsSync(path.join(dir, e)), false, e);
    assert.equal(existsSync(path.join(dir, "aws-runas", "Cookies")), true, "the IdP session survives");
  });

  it("on the real file system: a missing AWS directory is created too", async () => {
    const dir = path.join(tempDir(), "nested", ".aws", ".browser");
    await prepareUserDataDir(dir, { system: nodeProfileSystem("linux"), sleep: async () => undefined, logger: memoryLogger() });
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  it("the real machine: this process is running, a pid that cannot exist is not; /proc gives command lines", async () => {
    const sys = nodeProfileSystem(process.platform);
    assert.equal(sys.isRunning(process.pid), true);
    assert.equal(sys.isRunning(999_999_999), false);
    const cmd = await sys.commandLine(process.pid);
    if (process.platform === "linux") assert.ok(cmd?.includes("userDataDir.test"), cmd);
    else assert.equal(cmd, undefined);
    assert.equal(await nodeProfileSystem("darwin").commandLine(process.pid), undefined);
  });
});
