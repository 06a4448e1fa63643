import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import type { Clock } from "../ports.js";
import { createFileLocker } from "./fileLocker.js";
import { createTokenCache, fnv1_128 } from "./tokenCache.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";

const FILE = ".aws_runas_identity_token.cache";
const NOW = new Date("2024-05-01T12:00:00Z");
const URL_A = "https://my-okta-hostname.okta.com/oauth2";
const CLIENT = "0oa1clientid";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
}

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
/** A JWT that expires `seconds` after NOW (its usable life ends 60 s earlier). */
const jwt = (seconds: number, sub = "alice"): string =>
  `${segment({ alg: "RS256" })}.${segment({ sub, exp: NOW.getTime() / 1000 + seconds })}.c2ln`;

function setup(o: { now?: Date } = {}) {
  const dir = tempDir();
  const logger = memoryLogger();
  let now = o.now ?? NOW;
  const clock: Clock = { now: () => now };
  const cache = createTokenCache({ dir, clock, logger, locker: createFileLocker({ maxWaitMs: 2000 }) });
  const file = path.join(dir, FILE);
  return {
    dir,
    file,
    logger,
    cache,
    setNow: (d: Date) => (now = d),
    content: (): unknown => JSON.parse(fs.readFileSync(file, "utf8")),
  };
}

describe("fnv1_128 (idp.md §3.8 vectors)", () => {
  const vectors: [string, string][] = [
    ["", "6c62272e07bb014262b821756295c58d"],
    ["a", "d228cb69101a8caf78912b704e4a141e"],
    ["mockKey", "d410a4578e4ff78c11f0ef7ed647bb88"],
    ["https://my-okta-hostname.okta.com/oauth2", "ca6ff2a7e0a0172e575b158c04e2364c"],
  ];
  for (const [input, want] of vectors) {
    it(`${JSON.stringify(input)} → ${want}`, () => {
      assert.equal(fnv1_128(input), want);
    });
  }

  it("hashes the UTF-8 bytes and always gives 32 hex digits", () => {
    assert.notEqual(fnv1_128("é"), fnv1_128("\u00e9\u0000"));
    for (const s of ["é", "x".repeat(1000), "\n"]) assert.match(fnv1_128(s), /^[0-9a-f]{32}$/);
  });
});

describe("createTokenCache", () => {
  it("stores an id token under fnv1_128(url + '\\n' + clientId), 0600, and returns it while valid (§15 case 18)", async () => {
    const t = setup();
    const token = jwt(3600);
    await t.cache.setIdToken(URL_A, CLIENT, token);
    assert.deepEqual(t.content(), { [fnv1_128(`${URL_A}\n${CLIENT}`)]: token });
    assert.equal(fs.readFileSync(t.file, "utf8").endsWith("}\n"), true);
    assert.equal(fs.statSync(t.file).mode & 0o777, 0o600);
    const back = t.cache.getIdToken(URL_A, CLIENT);
    assert.equal(back?.jwt, token);
    assert.equal(back.expiresAt()?.toISOString(), "2024-05-01T12:59:00.000Z");
  });

  it("stops returning a token once less than a minute of it is left", async () => {
    const t = setup();
    await t.cache.setIdToken(URL_A, CLIENT, jwt(3600));
    t.setNow(new Date(NOW.getTime() + 3539_000));
    assert.notEqual(t.cache.getIdToken(URL_A, CLIENT), undefined);
    t.setNow(new Date(NOW.getTime() + 3540_000));
    assert.equal(t.cache.getIdToken(URL_A, CLIENT), undefined);
  });

  for (const [name, token] of [
    ["expired", jwt(-10)],
    ["not a JWT", "mockToken"],
    ["a JWT without exp", `${segment({})}.${segment({ sub: "a" })}.s`],
  ] as const) {
    it(`does not return a token that is ${name}`, async () => {
      const t = setup();
      await t.cache.setIdToken(URL_A, CLIENT, token);
      assert.equal(t.cache.getIdToken(URL_A, CLIENT), undefined);
    });
  }

  it("keeps tokens of two client ids on one URL apart (idp.md §13 item 11)", async () => {
    const t = setup();
    const first = jwt(3600, "first");
    const second = jwt(3600, "second");
    await t.cache.setIdToken(URL_A, "client-1", first);
    await t.cache.setIdToken(URL_A, "client-2", second);
    assert.equal(t.cache.getIdToken(URL_A, "client-1")?.jwt, first);
    assert.equal(t.cache.getIdToken(URL_A, "client-2")?.jwt, second);
    assert.equal(t.cache.getIdToken(URL_A, "client-3"), undefined);
    assert.equal(t.cache.getIdToken("https://other.example.com", "client-1"), undefined);
  });

  it("stores the trimmed token", async () => {
    const t = setup();
    const token = jwt(3600);
    await t.cache.setIdToken(URL_A, CLIENT, `${token}\n`);
    assert.deepEqual(t.content(), { [fnv1_128(`${URL_A}\n${CLIENT}`)]: token });
  });

  for (const [name, url, token] of [
    ["an empty url", "", jwt(3600)],
    ["an empty token", URL_A, ""],
    ["a blank token", URL_A, " \n"],
  ] as const) {
    it(`refuses to store ${name} and writes nothing`, async () => {
      const t = setup();
      await assert.rejects(
        t.cache.setIdToken(url, CLIENT, token),
        (e: unknown) =>
          e instanceof RunasError &&
          e.code === "INVALID_VALUE" &&
          e.message === "invalid token data or url: an id token and its IdP URL are needed to cache it",
      );
      assert.equal(fs.existsSync(t.file), false);
    });
  }

  it("keeps a refresh token under '<key>.refresh', and removes it when set to undefined", async () => {
    const t = setup();
    const key = fnv1_128(`${URL_A}\n${CLIENT}`);
    await t.cache.setIdToken(URL_A, CLIENT, jwt(3600));
    await t.cache.setRefreshToken(URL_A, CLIENT, "refresh-1");
    assert.deepEqual(Object.keys(t.content() as object), [key, `${key}.refresh`]);
    assert.equal(t.cache.getRefreshToken(URL_A, CLIENT), "refresh-1");
    assert.equal(t.cache.getRefreshToken(URL_A, "other"), undefined);
    await t.cache.setRefreshToken(URL_A, CLIENT, undefined);
    assert.equal(t.cache.getRefreshToken(URL_A, CLIENT), undefined);
    assert.deepEqual(Object.keys(t.content() as object), [key]);
  });

  it("remove clears only that URL and client's entries (the -r flag)", async () => {
    const t = setup();
    const mine = jwt(3600, "mine");
    const theirs = jwt(3600, "theirs");
    await t.cache.setIdToken(URL_A, CLIENT, mine);
    await t.cache.setRefreshToken(URL_A, CLIENT, "r-mine");
    await t.cache.setIdToken(URL_A, "other-client", theirs);
    await t.cache.remove(URL_A, CLIENT);
    assert.deepEqual(t.content(), { [fnv1_128(`${URL_A}\nother-client`)]: theirs });
    assert.equal(t.cache.getIdToken(URL_A, CLIENT), undefined);
    assert.equal(t.cache.getRefreshToken(URL_A, CLIENT), undefined);
  });

  it("remove deletes the file once nothing is left in it, and is fine when there is no file", async () => {
    const t = setup();
    await t.cache.remove(URL_A, CLIENT);
    await t.cache.setIdToken(URL_A, CLIENT, jwt(3600));
    await t.cache.remove(URL_A, CLIENT);
    assert.equal(fs.existsSync(t.file), false);
    await t.cache.remove(URL_A, CLIENT);
  });

  it("keeps entries it does not own, such as upstream's URL-only keys, when it writes", async () => {
    const t = setup();
    const upstreamKey = fnv1_128(URL_A);
    fs.writeFileSync(t.file, JSON.stringify({ [upstreamKey]: "upstream.token.x", zz: "other" }));
    const token = jwt(3600);
    await t.cache.setIdToken(URL_A, CLIENT, token);
    assert.deepEqual(t.content(), { [upstreamKey]: "upstream.token.x", [fnv1_128(`${URL_A}\n${CLIENT}`)]: token, zz: "other" });
  });

  it("merges with what another process wrote since (read-merge-write)", async () => {
    const a = setup();
    const b = createTokenCache({
      dir: a.dir,
      clock: { now: () => NOW },
      logger: memoryLogger(),
      locker: createFileLocker(),
    });
    const ta = jwt(3600, "a");
    const tb = jwt(3600, "b");
    await Promise.all([a.cache.setIdToken(URL_A, "ca", ta), b.setIdToken(URL_A, "cb", tb)]);
    assert.equal(a.cache.getIdToken(URL_A, "cb")?.jwt, tb);
    assert.equal(b.getIdToken(URL_A, "ca")?.jwt, ta);
  });

  const unreadable: [string, string, string[]][] = [
    ["missing", "", []],
    ["empty", "", []],
    ["'{}'", "{}", []],
    ["not JSON", "test", [`DEBUG ignoring the id token cache %FILE%: not valid JSON`]],
    ["a JSON array", `["${jwt(3600)}"]`, [`DEBUG ignoring the id token cache %FILE%: not a JSON object`]],
    ["a JSON string", `"${jwt(3600)}"`, [`DEBUG ignoring the id token cache %FILE%: not a JSON object`]],
  ];
  for (const [name, content, lines] of unreadable) {
    it(`reads a cache file that is ${name} as empty${lines.length > 0 ? ", with one DEBUG line" : ""}`, async () => {
      const t = setup();
      if (name !== "missing") fs.writeFileSync(t.file, content);
      assert.equal(t.cache.getIdToken(URL_A, CLIENT), undefined);
      assert.equal(t.cache.getRefreshToken(URL_A, CLIENT), undefined);
      const expected = lines.map((l) => l.replace("%FILE%", t.file));
      assert.deepEqual(t.logger.lines, [...expected, ...expected]);
      const token = jwt(3600);
      await t.cache.setIdToken(URL_A, CLIENT, token);
      assert.deepEqual(t.content(), { [fnv1_128(`${URL_A}\n${CLIENT}`)]: token });
    });
  }

  it("ignores entries that are not strings", () => {
    const t = setup();
    const key = fnv1_128(`${URL_A}\n${CLIENT}`);
    fs.writeFileSync(t.file, JSON.stringify({ [key]: 42, [`${key}.refresh`]: { token: "x" } }));
    assert.equal(t.cache.getIdToken(URL_A, CLIENT), undefined);
    assert.equal(t.cache.getRefreshToken(URL_A, CLIENT), undefined);
  });

  it("reports a cache it cannot write as FILE_WRITE, and a file it cannot read in one DEBUG line", async () => {
    const t = setup();
    fs.mkdirSync(t.file);
    assert.equal(t.cache.getIdToken(URL_A, CLIENT), undefined);
    assert.deepEqual(t.logger.lines, [`DEBUG cannot read the id token cache ${t.file}: EISDIR`]);
    await assert.rejects(
      t.cache.setIdToken(URL_A, CLIENT, jwt(3600)),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "FILE_WRITE" &&
        e.message.startsWith(`cannot write the id token cache ${t.file} (`) &&
        e.message.endsWith("); check that its directory is writable"),
    );
  });

  it("never logs a token", async () => {
    const t = setup();
    const token = jwt(-100);
    await t.cache.setIdToken(URL_A, CLIENT, token);
    await t.cache.setRefreshToken(URL_A, CLIENT, "secret-refresh-token");
    assert.equal(t.cache.getIdToken(URL_A, CLIENT), undefined);
    t.cache.getRefreshToken(URL_A, CLIENT);
    await t.cache.remove(URL_A, CLIENT);
    assert.deepEqual(t.logger.lines, [`DEBUG the cached id token for ${URL_A} has expired or has no expiry`]);
  });
});
