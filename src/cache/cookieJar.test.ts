import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { Clock } from "../ports.js";
import { createCookieJar } from "./cookieJar.js";
import { createFileLocker } from "./fileLocker.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";

const NOW = new Date("2024-05-01T12:00:00Z");
const IDP = new URL("https://idp.example.com/app/login");

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
}

/** A jar on a file in a fresh directory; `reopen` is another process reading the same file. */
function setup(o: { file?: string } = {}) {
  const file = o.file ?? path.join(tempDir(), ".aws_runas.cookies");
  let now = NOW;
  const clock: Clock = { now: () => now };
  const logger = memoryLogger();
  const open = () => createCookieJar({ file, clock, logger, locker: createFileLocker({ maxWaitMs: 2000 }) });
  return {
    file,
    logger,
    jar: open(),
    reopen: open,
    setNow: (d: Date) => (now = d),
    content: (): unknown => JSON.parse(fs.readFileSync(file, "utf8")),
  };
}

/** The JSON of a Go http.Cookie as this jar writes it. */
function goCookie(o: { Name: string; Value: string; Path?: string; Domain?: string; Expires?: string; Secure?: boolean; HttpOnly?: boolean; SameSite?: number; Partitioned?: boolean }) {
  return {
    Name: o.Name,
    Value: o.Value,
    Quoted: false,
    Path: o.Path ?? "/",
    Domain: o.Domain ?? "",
    Expires: o.Expires ?? "0001-01-01T00:00:00Z",
    RawExpires: "",
    MaxAge: 0,
    Secure: o.Secure ?? false,
    HttpOnly: o.HttpOnly ?? false,
    SameSite: o.SameSite ?? 0,
    Partitioned: o.Partitioned ?? false,
    Raw: "",
    Unparsed: null,
  };
}

describe("createCookieJar (idp.md §3.5, §15 case 17)", () => {
  it("writes cookies 0600 under scheme://host with Go's http.Cookie field names", async () => {
    const t = setup();
    await t.jar.store(IDP, [
      "sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
      "pref=1; Domain=.Example.com; Path=/app; Max-Age=3600; SameSite=Strict; Partitioned",
      "tracker=x; Expires=Wed, 01 May 2024 13:30:00 GMT; SameSite=None; Secure",
    ]);
    assert.deepEqual(t.content(), {
      "https://idp.example.com": [
        goCookie({ Name: "sid", Value: "abc", Secure: true, HttpOnly: true, SameSite: 2 }),
        goCookie({ Name: "pref", Value: "1", Path: "/app", Domain: "example.com", Expires: "2024-05-01T13:00:00Z", SameSite: 3, Partitioned: true }),
        goCookie({ Name: "tracker", Value: "x", Path: "/app", Expires: "2024-05-01T13:30:00Z", SameSite: 4, Secure: true }),
      ],
    });
    assert.equal(fs.statSync(t.file).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(t.file, "utf8").endsWith("}\n"), true);
  });

  it("sends what RFC 6265 allows: domain, path and Secure matching", async () => {
    const t = setup();
    await t.jar.store(IDP, ["host=1; Path=/", "dom=2; Domain=example.com; Path=/", "deep=3; Path=/app/deep", "sec=4; Secure; Path=/"]);
    const cases: [string, string | undefined][] = [
      ["https://idp.example.com/", "host=1; dom=2; sec=4"],
      ["https://idp.example.com/app/deep/x", "deep=3; host=1; dom=2; sec=4"],
      ["http://idp.example.com/", "host=1; dom=2"],
      ["https://sso.example.com/", "dom=2"],
      ["https://example.com/", "dom=2"],
      ["https://other.org/", undefined],
    ];
    for (const [url, want] of cases) assert.equal(t.jar.header(new URL(url)), want, url);
  });

  it("rejects cookies for another domain and does not save them", async () => {
    const t = setup();
    await t.jar.store(IDP, ["evil=1; Domain=attacker.org", "suffix=1; Domain=com"]);
    assert.equal(t.jar.header(new URL("https://attacker.org/")), undefined);
    assert.equal(t.jar.header(IDP), undefined);
    assert.equal(fs.existsSync(t.file), false);
  });

  it("reloads in another process: session cookies survive, as IdP sessions depend on them", async () => {
    const t = setup();
    await t.jar.store(IDP, ["session=s1; Path=/; HttpOnly", "persistent=p1; Max-Age=600"]);
    const next = t.reopen();
    assert.equal(next.header(IDP), "persistent=p1; session=s1");
    t.setNow(new Date(NOW.getTime() + 30 * 24 * 3600_000));
    assert.equal(next.header(IDP), "session=s1");
  });

  it("fixes Max-Age to an absolute expiry: neither use nor reloading extends it (idp.md §13 item 16)", async () => {
    const t = setup();
    await t.jar.store(IDP, ["m=1; Path=/; Max-Age=60"]);
    t.setNow(new Date(NOW.getTime() + 59_000));
    assert.equal(t.jar.header(IDP), "m=1");
    assert.equal(t.reopen().header(IDP), "m=1");
    t.setNow(new Date(NOW.getTime() + 60_000));
    assert.equal(t.jar.header(IDP), undefined);
    assert.equal(t.reopen().header(IDP), undefined);
  });

  it("a cookie deleted by the server (Max-Age=0 or a past Expires) is gone from the jar and the file", async () => {
    const t = setup();
    await t.jar.store(IDP, ["a=1; Path=/", "b=2; Path=/", "keep=3; Path=/"]);
    await t.jar.store(IDP, ["a=; Path=/; Max-Age=0", "b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
    assert.equal(t.jar.header(IDP), "keep=3");
    assert.deepEqual(t.content(), { "https://idp.example.com": [goCookie({ Name: "keep", Value: "3" })] });
    assert.equal(t.reopen().header(IDP), "keep=3");
  });

  it("replaces a cookie with the same Name|Domain|Path and keeps the others", async () => {
    const t = setup();
    await t.jar.store(IDP, ["a=1; Path=/", "a=other-path; Path=/app"]);
    await t.jar.store(IDP, ["a=2; Path=/"]);
    assert.deepEqual(t.content(), {
      "https://idp.example.com": [goCookie({ Name: "a", Value: "other-path", Path: "/app" }), goCookie({ Name: "a", Value: "2" })],
    });
  });

  it("merges with cookies another process saved since this one loaded (read-merge-write)", async () => {
    const t = setup();
    const other = t.reopen();
    assert.equal(t.jar.header(IDP), undefined);
    await other.store(new URL("http://127.0.0.1:8080/login"), ["KC_RESTART=k; Path=/"]);
    await t.jar.store(IDP, ["sid=1; Path=/"]);
    assert.deepEqual(t.content(), {
      "http://127.0.0.1": [goCookie({ Name: "KC_RESTART", Value: "k" })],
      "https://idp.example.com": [goCookie({ Name: "sid", Value: "1" })],
    });
  });

  it("prunes expired cookies of every origin when it writes", async () => {
    const t = setup();
    fs.writeFileSync(
      t.file,
      JSON.stringify({
        "https://old.example.org": [goCookie({ Name: "gone", Value: "1", Expires: "2024-04-01T00:00:00Z" })],
        "https://idp.example.com": [
          goCookie({ Name: "stale", Value: "1", Expires: "2024-05-01T11:59:59Z" }),
          goCookie({ Name: "fresh", Value: "1", Expires: "2024-05-01T12:00:01Z" }),
        ],
      }),
    );
    await t.jar.store(IDP, ["sid=1; Path=/"]);
    assert.deepEqual(t.content(), {
      "https://idp.example.com": [goCookie({ Name: "fresh", Value: "1", Expires: "2024-05-01T12:00:01Z" }), goCookie({ Name: "sid", Value: "1" })],
    });
  });

  it("reads a file written by upstream: empty Path and Domain, relative MaxAge, Raw", () => {
    const t = setup();
    const upstream = {
      "https://idp.example.com": [
        { Name: "sid", Value: "s", Path: "", Domain: "", Expires: "0001-01-01T00:00:00Z", RawExpires: "", MaxAge: 0, Secure: true, HttpOnly: true, SameSite: 0, Raw: "sid=s; Secure; HttpOnly", Unparsed: null },
        { Name: "ma", Value: "m", Path: "/", Domain: "", Expires: "0001-01-01T00:00:00Z", RawExpires: "", MaxAge: 60, Secure: false, HttpOnly: false, SameSite: 0, Raw: "", Unparsed: null },
        { Name: "dom", Value: "d", Path: "/", Domain: ".example.com", Expires: "2024-06-01T00:00:00Z", RawExpires: "Sat, 01 Jun 2024 00:00:00 GMT", MaxAge: 0, Secure: false, HttpOnly: false, SameSite: 2, Raw: "", Unparsed: null },
        { Name: "deleted", Value: "x", Path: "/", Domain: "", Expires: "0001-01-01T00:00:00Z", RawExpires: "", MaxAge: -1, Secure: false, HttpOnly: false, SameSite: 0, Raw: "", Unparsed: null },
        { Name: "", Value: "nameless" },
        "not a cookie",
      ],
      "not a url": [{ Name: "x", Value: "y" }],
      "https://idp.example.com/with/path": [{ Name: "x", Value: "y" }],
    };
    fs.writeFileSync(t.file, JSON.stringify(upstream));
    assert.equal(t.jar.header(IDP), "sid=s; ma=m; dom=d");
    assert.equal(t.jar.header(new URL("https://sso.example.com/")), "dom=d");
    t.setNow(new Date(NOW.getTime() + 61_000));
    assert.equal(t.jar.header(IDP), "sid=s; dom=d");
  });

  const damaged: [string, string, string[]][] = [
    ["empty", "", []],
    ["'{}'", "{}", []],
    ["not JSON", "cookies!", ["DEBUG ignoring the session cookie file %FILE%: not valid JSON"]],
    ["a JSON array", "[1,2,3]", ["DEBUG ignoring the session cookie file %FILE%: not a JSON object"]],
  ];
  for (const [name, content, lines] of damaged) {
    it(`tolerates a file that is ${name}, and replaces it on the next save`, async () => {
      const t = setup();
      fs.writeFileSync(t.file, content);
      assert.equal(t.jar.header(IDP), undefined);
      assert.deepEqual(t.logger.lines, lines.map((l) => l.replace("%FILE%", t.file)));
      await t.jar.store(IDP, ["sid=1; Path=/"]);
      assert.deepEqual(t.content(), { "https://idp.example.com": [goCookie({ Name: "sid", Value: "1" })] });
    });
  }

  it("reads the file on first use, not when created", async () => {
    const t = setup();
    fs.writeFileSync(t.file, JSON.stringify({ "https://idp.example.com": [goCookie({ Name: "late", Value: "1" })] }));
    assert.equal(t.jar.header(IDP), "late=1");
  });

  it("ignores non-http URLs and empty lists without touching the file", async () => {
    const t = setup();
    await t.jar.store(new URL("ftp://idp.example.com/"), ["a=1"]);
    await t.jar.store(IDP, []);
    await t.jar.store(IDP, ["", "=;;"]);
    assert.equal(fs.existsSync(t.file), false);
    assert.equal(t.jar.header(new URL("ftp://idp.example.com/")), undefined);
  });

  it("creates a missing directory", async () => {
    const t = setup({ file: path.join(tempDir(), "nested", ".aws", ".aws_runas.cookies") });
    await t.jar.store(IDP, ["sid=1"]);
    assert.deepEqual(t.content(), { "https://idp.example.com": [goCookie({ Name: "sid", Value: "1", Path: "/app" })] });
  });

  it("a file it cannot read or write costs one WARN line each, never an error, and never shows a value", async () => {
    const t = setup();
    fs.mkdirSync(t.file);
    assert.equal(t.jar.header(IDP), undefined);
    await t.jar.store(IDP, ["sid=secret-session-value; Path=/"]);
    assert.equal(t.jar.header(IDP), "sid=secret-session-value");
    assert.deepEqual(t.logger.lines, [
      `WARN cannot read the identity provider's session cookies ${t.file} (EISDIR); signing in without them`,
      `WARN cannot read the identity provider's session cookies ${t.file} (EISDIR); signing in without them`,
      `WARN cannot save the identity provider's session cookies to ${t.file} (the file exists but cannot be read); you may be asked to sign in again next time`,
    ]);
    assert.equal(fs.statSync(t.file).isDirectory(), true);
  });
});
