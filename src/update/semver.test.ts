import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareSemver, parseSemver } from "./semver.js";

function cmp(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  assert.ok(pa !== undefined && pb !== undefined, `${a} and ${b} parse`);
  return compareSemver(pa, pb);
}

describe("parseSemver", () => {
  it("reads release, pre-release and build metadata, with an optional v", () => {
    assert.deepEqual(parseSemver("1.2.3"), { major: 1, minor: 2, patch: 3, prerelease: [] });
    assert.deepEqual(parseSemver("v10.0.20-rc.1+sha.abc"), { major: 10, minor: 0, patch: 20, prerelease: ["rc", "1"] });
    assert.deepEqual(parseSemver("0.0.0-dev"), { major: 0, minor: 0, patch: 0, prerelease: ["dev"] });
  });

  it("refuses what is not a version", () => {
    for (const text of ["", "1.2", "1.2.3.4", "01.2.3", "latest", "1.2.3-", "1.2.x"]) {
      assert.equal(parseSemver(text), undefined, text);
    }
  });
});

describe("compareSemver", () => {
  it("orders numerically, not as text", () => {
    assert.equal(cmp("0.10.0", "0.9.0"), 1);
    assert.equal(cmp("1.0.0", "2.0.0"), -1);
    assert.equal(cmp("1.2.10", "1.2.9"), 1);
    assert.equal(cmp("1.2.3", "v1.2.3+build"), 0);
  });

  it("puts a pre-release before its release and orders pre-releases as semver.org §11 says", () => {
    const ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
      "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"];
    for (let i = 0; i + 1 < ordered.length; i++) {
      const [a, b] = [ordered[i] ?? "", ordered[i + 1] ?? ""];
      assert.equal(cmp(a, b), -1, `${a} < ${b}`);
      assert.equal(cmp(b, a), 1, `${b} > ${a}`);
    }
    assert.equal(cmp("0.1.0", "0.1.0-dev"), 1);
    assert.equal(cmp("1.0.0-rc.1", "1.0.0-rc.1"), 0);
  });
});
