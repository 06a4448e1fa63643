import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { RunasError } from "../domain/errors.js";
import { createFileLocker } from "./fileLocker.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
}


/** A promise with its resolve function, to hold a lock until the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("createFileLocker", () => {
  it("returns what fn returns and removes the .lck directory afterwards", async () => {
    const target = path.join(tempDir(), ".aws_assume_role_dev");
    const result = await createFileLocker().withLock(target, async () => {
      assert.equal(fs.statSync(`${target}.lck`).isDirectory(), true);
      return 42;
    });
    assert.equal(result, 42);
    assert.equal(fs.existsSync(`${target}.lck`), false);
  });

  it("releases the lock when fn throws", async () => {
    const target = path.join(tempDir(), "f");
    const locker = createFileLocker({ maxWaitMs: 0 });
    await assert.rejects(
      locker.withLock(target, async () => {
        throw new Error("boom");
      }),
      { message: "boom" },
    );
    assert.equal(fs.existsSync(`${target}.lck`), false);
    assert.equal(await locker.withLock(target, async () => "again"), "again");
  });

  it("creates a missing directory with mode 0700", async () => {
    const dir = path.join(tempDir(), "a", "b");
    await createFileLocker().withLock(path.join(dir, "f"), async () => undefined);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  });

  it("leaves upstream's <file>.lock alone", async () => {
    const target = path.join(tempDir(), "f");
    fs.writeFileSync(`${target}.lock`, "upstream");
    await createFileLocker({ maxWaitMs: 0 }).withLock(target, async () => undefined);
    assert.equal(fs.readFileSync(`${target}.lock`, "utf8"), "upstream");
  });

  it("serialises two lockers on the same path in one process", async () => {
    const target = path.join(tempDir(), "f");
    const events: string[] = [];
    const first = gate();
    const logger = memoryLogger();
    const a = createFileLocker().withLock(target, async () => {
      events.push("a start");
      await first.promise;
      events.push("a end");
    });
    while (events.length === 0) await sleep(5);
    const b = createFileLocker({ logger }).withLock(target, async () => {
      events.push("b start");
      events.push("b end");
    });
    // Give the second locker time to find the lock taken; whatever the timing, it must not get in.
    await sleep(150);
    assert.deepEqual(events, ["a start"]);
    assert.deepEqual(logger.lines, [`DEBUG waiting for another aws-runas process to release ${target}.lck`]);
    first.open();
    await Promise.all([a, b]);
    assert.deepEqual(events, ["a start", "a end", "b start", "b end"]);
  });

  it("gives up after maxWaitMs with LOCK_TIMEOUT", async () => {
    const target = path.join(tempDir(), "f");
    const held = gate();
    let entered = false;
    const holder = createFileLocker().withLock(target, () => {
      entered = true;
      return held.promise;
    });
    while (!entered) await sleep(5);
    let ran = false;
    await assert.rejects(
      createFileLocker({ maxWaitMs: 200 }).withLock(target, async () => {
        ran = true;
      }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "LOCK_TIMEOUT" &&
        e.message ===
          `another aws-runas process has held ${target}.lck for over 0.2 s; if none is running, delete that directory`,
    );
    assert.equal(ran, false);
    held.open();
    await holder;
  });

  it("takes over a lock left by a crashed process after 30 s", async () => {
    const target = path.join(tempDir(), "f");
    fs.mkdirSync(`${target}.lck`);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${target}.lck`, old, old);
    assert.equal(await createFileLocker({ maxWaitMs: 0 }).withLock(target, async () => "took it"), "took it");
    assert.equal(fs.existsSync(`${target}.lck`), false);
  });

  it("does not take over a lock that is fresh", async () => {
    const target = path.join(tempDir(), "f");
    fs.mkdirSync(`${target}.lck`);
    await assert.rejects(
      createFileLocker({ maxWaitMs: 0 }).withLock(target, async () => undefined),
      (e: unknown) => e instanceof RunasError && e.code === "LOCK_TIMEOUT",
    );
    assert.equal(fs.statSync(`${target}.lck`).isDirectory(), true);
  });

  it("reports a directory it cannot create as FILE_WRITE", async () => {
    const base = tempDir();
    fs.writeFileSync(path.join(base, "file"), "");
    const target = path.join(base, "file", "f");
    await assert.rejects(
      createFileLocker().withLock(target, async () => undefined),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "FILE_WRITE" &&
        e.message === `cannot create the lock ${target}.lck (EEXIST); check that its directory is writable`,
    );
  });

  it("excludes other processes: five writers never interleave", async () => {
    const dir = tempDir();
    const target = path.join(dir, ".aws_assume_role_dev");
    const out = path.join(dir, "out.txt");
    const script = path.join(dir, "writer.mts");
    const source = pathToFileURL(path.join(repoRoot, "src", "cache", "fileLocker.ts")).href;
    fs.writeFileSync(
      script,
      [
        `import { appendFileSync } from "node:fs";`,
        `import { setTimeout as sleep } from "node:timers/promises";`,
        `import { createFileLocker } from ${JSON.stringify(source)};`,
        `const [target, out, id] = process.argv.slice(2);`,
        `await createFileLocker().withLock(target, async () => {`,
        `  appendFileSync(out, id + " start\\n");`,
        `  await sleep(50);`,
        `  appendFileSync(out, id + " end\\n");`,
        `});`,
      ].join("\n"),
    );
    const run = promisify(execFile);
    const ids = ["p1", "p2", "p3", "p4", "p5"];
    await Promise.all(
      ids.map((id) => run(process.execPath, ["--import", "tsx", script, target, out, id], { cwd: repoRoot })),
    );
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    assert.equal(lines.length, 10);
    const seen: string[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const id = (lines[i] ?? "").split(" ")[0] ?? "";
      assert.deepEqual([lines[i], lines[i + 1]], [`${id} start`, `${id} end`]);
      seen.push(id);
    }
    assert.deepEqual(seen.sort(), ids);
    assert.equal(fs.existsSync(`${target}.lck`), false);
  });
});
