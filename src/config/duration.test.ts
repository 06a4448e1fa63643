import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  const accepted: [string, number][] = [
    // Go syntax (core.md Appendix A)
    ["12h", 43200],
    ["1h1m", 3660],
    ["90m", 5400],
    ["1.5h", 5400],
    ["15m0s", 900],
    ["1h30m", 5400],
    ["2h45m30s", 9930],
    [".5h", 1800],
    ["5.h", 18000],
    ["500ms", 0.5],
    ["1500ms", 1.5],
    ["1us", 0.000001],
    ["1\u00b5s", 0.000001],
    ["1\u03bcs", 0.000001],
    ["10ns", 0.00000001],
    ["1h0m0.5s", 3600.5],
    ["0", 0],
    ["0s", 0],
    ["-1h", -3600],
    ["+15m", 900],
    ["-0", 0],
    // A bare integer means seconds (decisions.md Q-06)
    ["3600", 3600],
    ["900", 900],
    ["43200", 43200],
    ["-60", -60],
    ["007", 7],
    ["1", 1],
    // Surrounding whitespace of an environment value is ignored
    [" 1h ", 3600],
  ];
  for (const [text, seconds] of accepted) {
    it(`reads ${JSON.stringify(text)} as ${seconds} s`, () => {
      assert.equal(parseDuration(text), seconds);
    });
  }

  const rejected = [
    "7d",
    "1 h",
    "",
    "   ",
    "abc",
    "h",
    "1.5",
    ".h",
    "1hh",
    "1h 30m",
    "-",
    "+",
    "1H",
    "3600s5",
    "0x10",
    "1e3",
    "alsga",
    // Beyond Go's int64 nanoseconds (about 292 years)
    "2562048h",
    "9223372037",
  ];
  for (const text of rejected) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseDuration(text), undefined);
    });
  }
});

describe("formatDuration", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [1.5, "1.5s"],
    [900, "15m0s"],
    [90, "1m30s"],
    [3600, "1h0m0s"],
    [43200, "12h0m0s"],
    [129600, "36h0m0s"],
    [3600.5, "1h0m0.5s"],
    [0.5, "500ms"],
    [0.0015, "1.5ms"],
    [0.000001, "1\u00b5s"],
    [0.0000015, "1.5\u00b5s"],
    [0.000000001, "1ns"],
    [59, "59s"],
    [3661, "1h1m1s"],
    [-90, "-1m30s"],
  ];
  for (const [seconds, text] of cases) {
    it(`prints ${seconds} s as ${text}`, () => {
      assert.equal(formatDuration(seconds), text);
    });
  }

  it("round-trips what it prints", () => {
    for (const seconds of [1.5, 900, 3600.5, 129600, 0.5]) assert.equal(parseDuration(formatDuration(seconds)), seconds);
  });

  it("refuses a non-finite number", () => {
    assert.throws(() => formatDuration(Number.NaN), RangeError);
  });
});
