import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { readLine } from "./terminalPrompter.js";

describe("readLine", () => {
  it("hands out answers that arrived together in one chunk, one per call", async () => {
    const input = new PassThrough();
    input.end("first\r\nsecond\nthird");
    assert.equal(await readLine(input), "first");
    assert.equal(await readLine(input), "second");
    assert.equal(await readLine(input), "third");
  });

  it("resolves with an empty answer once the input has ended, instead of waiting forever", async () => {
    const input = new PassThrough();
    input.end("only\n");
    assert.equal(await readLine(input), "only");
    assert.equal(await readLine(input), "");
    assert.equal(await readLine(input), "");
  });

  it("waits for the end of a line that arrives in pieces", async () => {
    const input = new PassThrough();
    const answer = readLine(input);
    input.write("12");
    input.write("34");
    input.write("56\n");
    assert.equal(await answer, "123456");
  });
});
