import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Credentials, CredentialProvider } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { AuthenticationRequired } from "./contracts.js";
import { createRenewingCredentials, type Timers } from "./renewingCredentials.js";

const MIN = 60_000;
const START = new Date("2026-01-01T12:00:00Z").getTime();

/** A clock and timers that move only when the test says so. */
function fakeTime() {
  let now = START;
  let id = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(++id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => {
      pending.delete(h as number);
    },
  };
  return {
    clock: { now: () => new Date(now) },
    timers,
    pending,
    advance: (ms: number) => (now += ms),
    /** The delay of the one armed timer, from now. */
    armedIn: (): number | undefined => {
      const [only] = [...pending.values()];
      return only === undefined ? undefined : only.at - now;
    },
    /** Moves the clock to the next timer and runs it. */
    fire: () => {
      const next = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      assert.ok(next !== undefined, "a timer is armed");
      pending.delete(next[0]);
      now = Math.max(now, next[1].at);
      next[1].fn();
    },
  };
}

/** A provider issuing numbered credentials valid for `lifetimeMs`, recording each call's options. */
function countingProvider(time: ReturnType<typeof fakeTime>, lifetimeMs = 60 * MIN) {
  const calls: ({ forceRefresh?: boolean } | undefined)[] = [];
  let fail: Error | undefined;
  let gate: Promise<void> | undefined;
  const provider: CredentialProvider = async (options) => {
    calls.push(options);
    if (gate !== undefined) await gate;
    if (fail !== undefined) throw fail;
    return issue(calls.length, time.clock.now().getTime() + lifetimeMs);
  };
  return {
    provider,
    calls,
    failWith: (e: Error | undefined) => (fail = e),
    hold: () => {
      let open!: () => void;
      gate = new Promise<void>((r) => (open = r));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

function issue(n: number, expiresAt: number): Credentials {
  return { accessKeyId: `ASIA${n}`, secretAccessKey: `s${n}`, sessionToken: `t${n}`, expiration: new Date(expiresAt) };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

function setup(o: { keepAlive?: () => boolean; lifetimeMs?: number } = {}) {
  const time = fakeTime();
  const source = countingProvider(time, o.lifetimeMs);
  const logger = memoryLogger();
  const renewing = createRenewingCredentials({
    provider: source.provider,
    clock: time.clock,
    logger,
    label: "profile 'admin'",
    keepAlive: o.keepAlive ?? (() => true),
    timers: time.timers,
  });
  return { time, source, logger, renewing };
}

describe("createRenewingCredentials", () => {
  it("shares one refresh among concurrent requests: one STS call for twenty callers", async () => {
    const { source, renewing } = setup();
    const open = source.hold();
    const all = Promise.all(Array.from({ length: 20 }, () => renewing.get()));
    await flush();
    open();
    const got = await all;
    assert.equal(source.calls.length, 1);
    assert.deepEqual(new Set(got.map((c) => c.accessKeyId)), new Set(["ASIA1"]));
  });

  it("hands out held credentials without asking the provider while they have more than 5 minutes left", async () => {
    const { time, source, renewing } = setup();
    await renewing.get();
    time.advance(54 * MIN);
    assert.equal((await renewing.get()).accessKeyId, "ASIA1");
    assert.equal(source.calls.length, 1);
  });

  it("never hands out credentials with under 5 minutes left when a refresh is possible", async () => {
    const { time, source, renewing } = setup();
    await renewing.get();
    // The background renewal did not run (say the machine slept): the request refreshes itself.
    time.advance(56 * MIN);
    assert.equal((await renewing.get()).accessKeyId, "ASIA2");
    assert.equal(source.calls.length, 2);
  });

  it("renews in the background 10 minutes before expiry, skipping the caches, so the next request is answered at once", async () => {
    const { time, source, renewing } = setup();
    await renewing.get();
    assert.equal(time.armedIn(), 50 * MIN);
    time.fire();
    await flush();
    assert.deepEqual(source.calls, [undefined, { forceRefresh: true }]);
    assert.equal((await renewing.get()).accessKeyId, "ASIA2");
    assert.equal(source.calls.length, 2, "the request did not wait on STS");
    assert.equal(time.armedIn(), 50 * MIN, "and the next renewal is armed");
  });

  it("waits at least 30 seconds before renewing credentials that arrive with little time left", async () => {
    const { time, renewing } = setup({ lifetimeMs: 7 * MIN });
    await renewing.get();
    assert.equal(time.armedIn(), 30_000);
  });

  it("lets a profile nobody asks for go idle instead of calling STS every hour", async () => {
    const { time, source, renewing, logger } = setup({ keepAlive: () => false });
    await renewing.get();
    time.fire();
    await flush();
    assert.equal(source.calls.length, 2, "renewed once: its credentials had been handed out");
    time.fire();
    await flush();
    assert.equal(source.calls.length, 2, "not again: nobody asked since");
    assert.equal(time.armedIn(), undefined);
    assert.ok(logger.lines.some((l) => l.includes("not renewed in the background")));
    // The next request refreshes as usual once the held credentials are stale.
    time.advance(60 * MIN);
    assert.equal((await renewing.get()).accessKeyId, "ASIA3");
  });

  it("keeps renewing the active profile even when nobody asked", async () => {
    const { time, source, renewing } = setup({ keepAlive: () => true });
    await renewing.get();
    time.fire();
    await flush();
    time.fire();
    await flush();
    assert.equal(source.calls.length, 3);
  });

  it("after a failed refresh hands out the held credentials while they last a minute, but not to a strict caller", async () => {
    const { time, source, renewing, logger } = setup();
    await renewing.get();
    time.advance(56 * MIN);
    source.failWith(new RunasError("STS_UNREACHABLE", "cannot reach STS"));
    assert.equal((await renewing.get()).accessKeyId, "ASIA1");
    assert.ok(logger.lines.some((l) => /WARN profile 'admin': refreshing the credentials failed \(cannot reach STS\)/.test(l)));
    await assert.rejects(renewing.get({ strict: true }), /cannot reach STS/);
    time.advance(3.5 * MIN);
    await assert.rejects(renewing.get(), /cannot reach STS/, "with under a minute left they are not handed out");
  });

  it("retries a failed background renewal after a minute, but not one that needs a person", async () => {
    const { time, source, renewing, logger } = setup();
    await renewing.get();
    source.failWith(new RunasError("STS_UNREACHABLE", "cannot reach STS"));
    time.fire();
    await flush();
    assert.equal(time.armedIn(), 60_000);
    source.failWith(new AuthenticationRequired("MFA"));
    time.fire();
    await flush();
    assert.equal(time.armedIn(), undefined);
    assert.ok(logger.lines.some((l) => l.includes("renewing the credentials needs an MFA code")));
  });

  it("invalidate() makes the next request skip the caches, until a refresh succeeds", async () => {
    const { source, renewing } = setup();
    await renewing.get();
    renewing.invalidate();
    source.failWith(new AuthenticationRequired("MFA"));
    await assert.rejects(renewing.get(), AuthenticationRequired);
    source.failWith(undefined);
    await renewing.get();
    await renewing.get();
    assert.deepEqual(source.calls, [undefined, { forceRefresh: true }, { forceRefresh: true }]);
  });

  it("fetchWith() waits for a refresh under way, fetches once with the given provider and keeps the profile's own", async () => {
    const { time, source, renewing } = setup();
    const open = source.hold();
    const first = renewing.get();
    await flush();
    const special: CredentialProvider = async () => issue(99, time.clock.now().getTime() + 60 * MIN);
    const withCode = renewing.fetchWith(special);
    open();
    assert.equal((await first).accessKeyId, "ASIA1");
    assert.equal((await withCode).accessKeyId, "ASIA99");
    assert.equal((await renewing.get()).accessKeyId, "ASIA99");
    time.fire();
    await flush();
    assert.equal(source.calls.length, 2, "the renewal used the profile's own provider");
  });

  it("stop() cancels the renewal for good", async () => {
    const { time, renewing } = setup();
    await renewing.get();
    renewing.stop();
    assert.equal(time.armedIn(), undefined);
    await renewing.get();
    assert.equal(time.armedIn(), undefined);
  });
});
