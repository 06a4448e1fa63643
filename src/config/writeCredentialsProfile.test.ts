import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Locker } from "../ports.js";
import { writeCredentialsProfile } from "./writeCredentialsProfile.js";

/** Serialises critical sections per path within this process, and records which paths were locked. */
class ChainLocker implements Locker {
  readonly locked: string[] = [];
  private readonly tails = new Map<string, Promise<unknown>>();

  withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
    this.locked.push(file);
    const run = (this.tails.get(file) ?? Promise.resolve()).then(fn);
    this.tails.set(file, run.catch(() => undefined));
    return run;
  }
}

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "runas-")));
}

const creds: Credentials = {
  accessKeyId: "ASIAEXAMPLE",
  secretAccessKey: "secret/key+",
  sessionToken: "token==",
  expiration: new Date("2024-05-01T13:04:05Z"),
};

const section = (name: string, c: Credentials = creds): string =>
  `[${name}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n` +
  (c.sessionToken ? `aws_session_token = ${c.sessionToken}\n` : "");

describe("writeCredentialsProfile", () => {
  it("creates the file and its directory, mode 0600, and returns the section name (T-IT-10)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "missing", "deeper", "credentials");
    const locker = new ChainLocker();
    const name = await writeCredentialsProfile({ credentialsPath: file, profile: "circleci", creds, locker });
    assert.equal(name, "circleci-awsrunas");
    assert.equal(fs.readFileSync(file, "utf8"), section("circleci-awsrunas"));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.deepEqual(locker.locked, [file]);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["credentials"]);
  });

  it("keeps other sections byte for byte, and two runs leave one section (T-IT-10, T-CFG-11)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    const existing = "# mine\r\n[pre-existing]\r\naws_access_key_id=AKIAKEEP\r\naws_secret_access_key =  keep\r\n";
    fs.writeFileSync(file, existing, { mode: 0o644 });
    const locker = new ChainLocker();
    await writeCredentialsProfile({ credentialsPath: file, profile: "iam-role", creds, locker });
    const second: Credentials = { accessKeyId: "ASIASECOND", secretAccessKey: "second", sessionToken: "tok2" };
    await writeCredentialsProfile({ credentialsPath: file, profile: "iam-role", creds: second, locker });
    const added = section("iam-role-awsrunas", second).replaceAll("\n", "\r\n");
    assert.equal(fs.readFileSync(file, "utf8"), `${existing}\r\n${added}`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it("removes an old token when the new credentials have none (decision Q-13)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    const locker = new ChainLocker();
    await writeCredentialsProfile({ credentialsPath: file, profile: "p", creds, locker });
    const longTerm: Credentials = { accessKeyId: "AKIALONG", secretAccessKey: "long" };
    await writeCredentialsProfile({ credentialsPath: file, profile: "p", creds: longTerm, locker });
    assert.equal(fs.readFileSync(file, "utf8"), section("p-awsrunas", longTerm));
    assert.doesNotMatch(fs.readFileSync(file, "utf8"), /aws_session_token/);
  });

  it("writes through a symlink: the real file changes and the link stays a link (T-CFG-11)", async () => {
    const dir = tempDir();
    const real = path.join(dir, "real", "credentials");
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, "[other]\nx = 1\n");
    const link = path.join(dir, "link-to-credentials");
    fs.symlinkSync(path.join("real", "credentials"), link);
    const locker = new ChainLocker();
    await writeCredentialsProfile({ credentialsPath: link, profile: "p", creds, locker });
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readlinkSync(link), path.join("real", "credentials"));
    assert.equal(fs.readFileSync(real, "utf8"), `[other]\nx = 1\n\n${section("p-awsrunas")}`);
    assert.deepEqual(locker.locked, [real]);
  });

  it("follows a chain of links to a target that does not exist yet", async () => {
    const dir = tempDir();
    const target = path.join(dir, "target");
    fs.symlinkSync(target, path.join(dir, "b"));
    fs.symlinkSync(path.join(dir, "b"), path.join(dir, "a"));
    const locker = new ChainLocker();
    await writeCredentialsProfile({ credentialsPath: path.join(dir, "a"), profile: "p", creds, locker });
    assert.equal(fs.readFileSync(target, "utf8"), section("p-awsrunas"));
    assert.ok(fs.lstatSync(path.join(dir, "a")).isSymbolicLink());
    assert.ok(fs.lstatSync(path.join(dir, "b")).isSymbolicLink());
  });

  it("five concurrent writers for five profiles all survive (T-CFG-11)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    fs.writeFileSync(file, "[pre-existing]\nk = v\n");
    const locker = new ChainLocker();
    const names = ["p0", "p1", "p2", "p3", "p4"];
    const credsOf = (i: number): Credentials => ({
      accessKeyId: `ASIA${i}`,
      secretAccessKey: `secret${i}`,
      sessionToken: `token${i}`,
    });
    const written = await Promise.all(
      names.map((profile, i) =>
        writeCredentialsProfile({
          credentialsPath: file,
          profile,
          creds: credsOf(i),
          locker,
        }),
      ),
    );
    assert.deepEqual(written, names.map((n) => `${n}-awsrunas`));
    // Writers take the lock in whatever order their file lookups finish, so compare the sections as a set.
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.endsWith("\n"));
    const [first, ...rest] = text.split("\n\n").map((block) => `${block.trimEnd()}\n`);
    assert.equal(first, "[pre-existing]\nk = v\n");
    assert.deepEqual(
      rest.sort(),
      names.map((n, i) => section(`${n}-awsrunas`, credsOf(i))),
    );
  });

  it("reads and writes the file only while holding the lock", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    // A locker that never runs the critical section: if anything touched the file outside it, the file would exist.
    const neverRuns: Locker = { withLock: <T>() => Promise.resolve(undefined as unknown as T) };
    await writeCredentialsProfile({ credentialsPath: file, profile: "p", creds, locker: neverRuns });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("an empty profile name is refused and nothing is created (T-CLI-11)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    await assert.rejects(
      writeCredentialsProfile({ credentialsPath: file, profile: "", creds, locker: new ChainLocker() }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "INVALID_VALUE" &&
        e.message === "cannot write credentials to the credentials file without a profile name",
    );
    assert.equal(fs.existsSync(file), false);
  });

  it("empty credentials are refused", async () => {
    const dir = tempDir();
    const file = path.join(dir, "credentials");
    await assert.rejects(
      writeCredentialsProfile({
        credentialsPath: file,
        profile: "p",
        creds: { accessKeyId: "", secretAccessKey: "" },
        locker: new ChainLocker(),
      }),
      (e: unknown) =>
        e instanceof RunasError && e.code === "INVALID_VALUE" && e.message === `refusing to write empty credentials to ${file}`,
    );
    assert.equal(fs.existsSync(file), false);
  });

  it("an unwritable place is a FILE_WRITE error naming the path, without secrets (T-CFG-11)", async () => {
    const dir = tempDir();
    // A regular file where a directory should be fails even for root, unlike a permission bit.
    fs.writeFileSync(path.join(dir, "not-a-dir"), "");
    const file = path.join(dir, "not-a-dir", "credentials");
    await assert.rejects(
      writeCredentialsProfile({ credentialsPath: file, profile: "p", creds, locker: new ChainLocker() }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "FILE_WRITE" &&
        e.message.startsWith(`cannot write credentials to ${file}: `) &&
        /ENOTDIR|EEXIST/.test(e.message) &&
        !e.message.includes(creds.secretAccessKey) &&
        !e.message.includes(creds.sessionToken ?? ""),
    );
  });

  it("a lock failure passes through unchanged", async () => {
    const dir = tempDir();
    const failing: Locker = {
      withLock: () => Promise.reject(new RunasError("LOCK_TIMEOUT", "the credentials file stayed locked")),
    };
    await assert.rejects(
      writeCredentialsProfile({ credentialsPath: path.join(dir, "credentials"), profile: "p", creds, locker: failing }),
      (e: unknown) =>
        e instanceof RunasError && e.code === "LOCK_TIMEOUT" && e.message === "the credentials file stayed locked",
    );
  });
});
