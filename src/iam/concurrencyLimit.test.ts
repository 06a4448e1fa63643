import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { concurrencyLimit } from "./concurrencyLimit.js";

const tick = () => new Promise<void>((r) => setImmediate(r));

describe("concurrencyLimit", () => {
  it("never runs more than `max` tasks at once, starts them in call order, and returns each task's result", async () => {
    const limit = concurrencyLimit(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => limit(async () => {
      started.push(i);
      running += 1;
      peak = Math.max(peak, running);
      for (let t = 0; t < (i % 4) + 1; t++) await tick();
      running -= 1;
      return i * 10;
    })));
    assert.deepEqual(results, Array.from({ length: 12 }, (_, i) => i * 10));
    assert.equal(peak, 3);
    assert.deepEqual(started, [...started].sort((a, b) => a - b));
  });

  it("frees the slot of a task that fails", async () => {
    const limit = concurrencyLimit(1);
    await assert.rejects(limit(async () => { throw new Error("boom"); }), /boom/);
    assert.equal(await limit(async () => "next"), "next");
  });
});
