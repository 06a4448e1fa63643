import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { Credentials } from "../domain/credentials.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { withBackgroundRefresh } from "./withBackgroundRefresh.js";

const NOW = new Date("2026-01-01T12:00:00Z");
const clock = { now: () => NOW };

function inner(results: (Credentials | Error)[]) {
  const calls: (boolean | undefined)[] = [];
  return {
    calls,
    provider: async (o?: { forceRefresh?: boolean }) => {
      calls.push(o?.forceRefresh);
      const next = results.shift();
      if (next === undefined) throw new Error("no more credentials");
      if (next instanceof Error) throw next;
      return next;
    },
  };
}
const expiringIn = (ms: number, id: string): Credentials => ({
  accessKeyId: id,
  secretAccessKey: "s",
  expiration: new Date(NOW.getTime() + ms),
});

describe("withBackgroundRefresh", () => {
  it("renews ahead of expiry with a forced refresh, and keeps renewing", async () => {
    const lead = 60_000;
    const fake = inner([expiringIn(lead + 30, "A"), expiringIn(lead + 30, "B"), expiringIn(3_600_000, "C")]);
    const bg = withBackgroundRefresh(fake.provider, { clock, logger: memoryLogger(), leadMs: lead });
    assert.equal((await bg.provider()).accessKeyId, "A");
    await sleep(200);
    assert.deepEqual(fake.calls, [undefined, true, true], "renewed after A, and again after B");
    bg.stop();
  });

  it("schedules nothing for credentials that never expire or are already inside the lead", async () => {
    const fake = inner([{ accessKeyId: "K", secretAccessKey: "s" }, expiringIn(1_000, "D")]);
    const bg = withBackgroundRefresh(fake.provider, { clock, logger: memoryLogger(), leadMs: 60_000 });
    await bg.provider();
    await bg.provider();
    await sleep(50);
    assert.deepEqual(fake.calls, [undefined, undefined]);
  });

  it("logs a failed renewal and stops scheduling; stop() cancels a pending one", async () => {
    const logger = memoryLogger();
    const fake = inner([expiringIn(60_020, "A"), new Error("STS is down")]);
    const bg = withBackgroundRefresh(fake.provider, { clock, logger, leadMs: 60_000 });
    await bg.provider();
    await sleep(100);
    assert.deepEqual(logger.lines, ["WARN could not renew the credentials in the background: STS is down"]);

    const fake2 = inner([expiringIn(60_020, "A")]);
    const bg2 = withBackgroundRefresh(fake2.provider, { clock, logger, leadMs: 60_000 });
    await bg2.provider();
    bg2.stop();
    await sleep(100);
    assert.deepEqual(fake2.calls, [undefined]);
  });
});
