import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createFileLocker } from "../cache/fileLocker.js";
import { RunasError } from "../domain/errors.js";
import type { Locker } from "../ports.js";
import { updateIniFile } from "./updateIniFile.js";

/** Runs critical sections as they come, recording which paths were locked. */
class RecordingLocker implements Locker {
  readonly locked: string[] = [];

  withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
    this.locked.push(file);
    return fn();
  }
}

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "runas-")));
}

describe("updateIniFile", () => {
  it("creates a missing file and directory (0600 / 0700), editing the empty text", async () => {
    const dir = tempDir();
    const file = path.join(dir, "new", "credentials");
    const seen: string[] = [];
    const locker = new RecordingLocker();
    await updateIniFile(file, locker, (text) => {
      seen.push(text);
      return "[a]\nk = v\n";
    });
    assert.deepEqual(seen, [""]);
    assert.equal(fs.readFileSync(file, "utf8"), "[a]\nk = v\n");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.deepEqual(locker.locked, [file]);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["credentials"]);
  });

  it("hands the current text to the edit and writes its result, tightening the mode to 0600", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    fs.writeFileSync(file, "# keep\r\n[x]\r\ny = 1", { mode: 0o644 });
    await updateIniFile(file, new RecordingLocker(), (text) => `${text}\r\nz = 2\r\n`);
    assert.equal(fs.readFileSync(file, "utf8"), "# keep\r\n[x]\r\ny = 1\r\nz = 2\r\n");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it("resolves a relative path against the working directory", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    const locker = new RecordingLocker();
    await updateIniFile(path.relative(process.cwd(), file), locker, () => "x = 1\n");
    assert.equal(fs.readFileSync(file, "utf8"), "x = 1\n");
    assert.deepEqual(locker.locked, [file]);
  });

  it("replaces the real file behind a relative symlink and leaves the link alone, locking the real path", async () => {
    const dir = tempDir();
    const real = path.join(dir, "dotfiles", "credentials");
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, "[a]\n");
    const link = path.join(dir, "credentials");
    fs.symlinkSync(path.join("dotfiles", "credentials"), link);
    const locker = new RecordingLocker();
    await updateIniFile(link, locker, (text) => `${text}k = v\n`);
    assert.equal(fs.readFileSync(real, "utf8"), "[a]\nk = v\n");
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readlinkSync(link), path.join("dotfiles", "credentials"));
    assert.deepEqual(locker.locked, [real]);
  });

  it("creates the missing target of a chain of dangling links", async () => {
    const dir = tempDir();
    const target = path.join(dir, "target");
    fs.symlinkSync(target, path.join(dir, "b"));
    fs.symlinkSync(path.join(dir, "b"), path.join(dir, "a"));
    await updateIniFile(path.join(dir, "a"), new RecordingLocker(), () => "[t]\n");
    assert.equal(fs.readFileSync(target, "utf8"), "[t]\n");
    assert.ok(fs.lstatSync(path.join(dir, "a")).isSymbolicLink());
  });

  it("a symlink loop is an error, not a hang", async () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, "b"), path.join(dir, "a"));
    fs.symlinkSync(path.join(dir, "a"), path.join(dir, "b"));
    await assert.rejects(
      updateIniFile(path.join(dir, "a"), new RecordingLocker(), () => ""),
      (e: unknown) => e instanceof Error && e.message === "too many levels of symbolic links",
    );
  });

  it("reads and writes only inside the lock", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    let edited = false;
    const neverRuns: Locker = { withLock: <T>() => Promise.resolve(undefined as unknown as T) };
    await updateIniFile(file, neverRuns, () => {
      edited = true;
      return "x";
    });
    assert.equal(edited, false);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("an edit that throws leaves the file as it was, with no temp file", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    fs.writeFileSync(file, "[a]\n", { mode: 0o644 });
    const failure = new RunasError("INVALID_VALUE", "no");
    await assert.rejects(
      updateIniFile(file, new RecordingLocker(), () => {
        throw failure;
      }),
      (e: unknown) => e === failure,
    );
    assert.equal(fs.readFileSync(file, "utf8"), "[a]\n");
    assert.equal(fs.statSync(file).mode & 0o777, 0o644);
    assert.deepEqual(fs.readdirSync(dir), ["credentials"]);
  });

  it("passes Node's I/O error through for the caller to describe", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "not-a-dir"), "");
    await assert.rejects(
      updateIniFile(path.join(dir, "not-a-dir", "credentials"), new RecordingLocker(), () => ""),
      (e: unknown) => e instanceof Error && ["ENOTDIR", "EEXIST"].includes((e as NodeJS.ErrnoException).code ?? ""),
    );
  });

  it("concurrent updates under the file locker all survive", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    const locker = createFileLocker();
    const keys = ["k0", "k1", "k2", "k3", "k4"];
    await Promise.all(keys.map((key) => updateIniFile(file, locker, (text) => `${text}${key} = 1\n`)));
    const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
    assert.deepEqual(lines.sort(), keys.map((k) => `${k} = 1`));
    assert.deepEqual(fs.readdirSync(dir), ["credentials"]);
  });
});
