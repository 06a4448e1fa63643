import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createImdsTokens, parseTokenTtl } from "./imdsTokens.js";

describe("parseTokenTtl", () => {
  it("takes whole seconds from 1 to 21600 only", () => {
    assert.deepEqual(["1", "21600", " 60 ", "00300"].map(parseTokenTtl), [1, 21600, 60, 300]);
    for (const bad of [undefined, "", "0", "21601", "1e3", "-1", "1.5", "abc", ["60", "60"]]) {
      assert.equal(parseTokenTtl(bad), undefined, String(bad));
    }
  });
});

describe("createImdsTokens", () => {
  it("issues random tokens that are valid until their TTL has passed", () => {
    let now = 0;
    const tokens = createImdsTokens({ clock: { now: () => new Date(now) } });
    const a = tokens.issue(10);
    const b = tokens.issue(20);
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(tokens.valid(a), true);
    assert.equal(tokens.valid(`${a}x`), false);
    assert.equal(tokens.valid(""), false);
    now = 9_999;
    assert.equal(tokens.valid(a), true);
    now = 10_000;
    assert.equal(tokens.valid(a), false);
    assert.equal(tokens.valid(b), true);
    now = 20_000;
    assert.equal(tokens.valid(b), false);
  });

  it("keeps at most 10000 live tokens, dropping the oldest", () => {
    let n = 0;
    const tokens = createImdsTokens({
      clock: { now: () => new Date(0) },
      random: (size) => Buffer.alloc(size, 0).fill(String(n++).padStart(8, "0"), 0, 8),
    });
    const first = tokens.issue(60);
    const second = tokens.issue(60);
    for (let i = 0; i < 9_999; i++) tokens.issue(60);
    assert.equal(tokens.valid(first), false);
    assert.equal(tokens.valid(second), true);
  });
});
