import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIdToken } from "./idToken.js";

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
const jwt = (payload: unknown): string => `${segment({ alg: "RS256", typ: "JWT" })}.${segment(payload)}.c2lnbmF0dXJl`;

interface Seen {
  jwt: string;
  claims: Readonly<Record<string, unknown>>;
  expiresAt: string | undefined;
}

function seen(text: string): Seen {
  const t = parseIdToken(text);
  return { jwt: t.jwt, claims: t.claims, expiresAt: t.expiresAt()?.toISOString() };
}

describe("parseIdToken (idp.md §11.1)", () => {
  const exp = Date.parse("2024-05-01T13:00:00Z") / 1000;
  const good = jwt({ sub: "alice", email: "alice@example.com", exp });

  it("reads the claims and sets expiresAt to exp − 60 s", () => {
    assert.deepEqual(seen(good), {
      jwt: good,
      claims: { sub: "alice", email: "alice@example.com", exp },
      expiresAt: "2024-05-01T12:59:00.000Z",
    });
  });

  it("trims surrounding whitespace, as token files end with a newline", () => {
    assert.deepEqual(seen(`  ${good}\n`), seen(good));
    assert.equal(parseIdToken(`${good}\r\n`).jwt, good);
  });

  it("accepts a fractional exp", () => {
    assert.equal(seen(jwt({ exp: exp + 0.5 })).expiresAt, "2024-05-01T12:59:00.500Z");
  });

  const noExpiry: [string, string, Readonly<Record<string, unknown>>][] = [
    ["exp as a string", jwt({ sub: "a", exp: String(exp) }), { sub: "a", exp: String(exp) }],
    ["no exp", jwt({ sub: "a" }), { sub: "a" }],
    ["exp null", jwt({ exp: null }), { exp: null }],
    ["exp far beyond any date", jwt({ exp: 1e300 }), { exp: 1e300 }],
  ];
  for (const [name, text, claims] of noExpiry) {
    it(`keeps the claims but gives no expiry for ${name}`, () => {
      assert.deepEqual(seen(text), { jwt: text, claims, expiresAt: undefined });
    });
  }

  const payload = segment({ exp });
  const notJwt: [string, string][] = [
    ["an empty string", ""],
    ["upstream's mock token", "mockToken"],
    ["two parts", `${segment({ alg: "none" })}.${payload}`],
    ["four parts", `${good}.extra`],
    ["a padded payload", `h.${Buffer.from(JSON.stringify({ exp: 1 })).toString("base64url")}=.s`],
    ["standard base64 characters", `h.${Buffer.from(JSON.stringify({ exp: 1, x: "??>" })).toString("base64")}.s`],
    ["a payload of impossible length", `h.${payload}a.s`],
    ["a payload that is not JSON", `h.${Buffer.from("not json").toString("base64url")}.s`],
    ["a JSON array payload", `h.${segment([{ exp }])}.s`],
    ["a JSON number payload", `h.${segment(exp)}.s`],
    ["an empty payload", "h..s"],
  ];
  for (const [name, text] of notJwt) {
    it(`gives claims {} and no expiry for ${name}`, () => {
      assert.deepEqual(seen(text), { jwt: text.trim(), claims: {}, expiresAt: undefined });
    });
  }

  it("returns a fresh Date each time, so a caller cannot change the token's expiry", () => {
    const t = parseIdToken(good);
    t.expiresAt()?.setTime(0);
    assert.equal(t.expiresAt()?.toISOString(), "2024-05-01T12:59:00.000Z");
  });
});
