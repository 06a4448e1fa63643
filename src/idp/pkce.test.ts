import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { newPkce, pkceChallenge } from "./pkce.js";

describe("newPkce (idp.md §15 case 9)", () => {
  it("makes a 43-character base64url verifier without padding and its S256 challenge", () => {
    const p = newPkce();
    assert.match(p.verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.match(p.challenge, /^[A-Za-z0-9_-]{43}$/);
    const expected = createHash("sha256").update(p.verifier).digest("base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    assert.deepEqual(p, { verifier: p.verifier, challenge: expected, method: "S256" });
  });

  it("never repeats a verifier", () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => newPkce().verifier));
    assert.equal(verifiers.size, 50);
  });
});

describe("pkceChallenge", () => {
  it("matches the example of RFC 7636 Appendix B", () => {
    assert.equal(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
});
