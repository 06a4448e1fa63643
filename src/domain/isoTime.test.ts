import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isoUtcSeconds } from "./isoTime.js";

describe("isoUtcSeconds", () => {
  it("matches toISOString without the milliseconds, across years, months and the epoch", () => {
    for (const iso of [
      "2024-05-01T13:04:05.999Z",
      "1970-01-01T00:00:00.000Z",
      "2026-12-31T23:59:59.001Z",
      "0001-01-01T00:00:00.000Z",
      "2000-02-29T09:08:07.500Z",
    ]) {
      assert.equal(isoUtcSeconds(new Date(iso)), iso.replace(/\.\d{3}Z$/, "Z"));
    }
  });

  it("renders years outside 0000-9999 as toISOString does", () => {
    const d = new Date("+010000-01-01T00:00:00.000Z");
    assert.equal(isoUtcSeconds(d), "+010000-01-01T00:00:00Z");
  });
});
