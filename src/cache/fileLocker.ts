import { dirname } from "node:path";
import { RunasError } from "../domain/errors.js";
import type { Locker, Logger } from "../ports.js";

/** How long a waiter waits by default: the holder may be waiting for someone to type an MFA code or a password. */
const DEFAULT_MAX_WAIT_MS = 10 * 60 * 1000;

/** A lock whose directory has not been touched for this long belongs to a crashed process and is taken over. */
const STALE_MS = 30_000;

/** Pause between attempts: short at first, since most holders only read STS once, then at most one second. */
const FIRST_PAUSE_MS = 25;
const MAX_PAUSE_MS = 1000;

/**
 * A Locker (src/ports.ts) that excludes other aws-runas processes: proper-lockfile on `<path>.lck`, retried until
 * acquired (waiting up to `maxWaitMs`, default 10 minutes, since the holder may be waiting for someone to type an MFA
 * code), stale after 30 s without an update (a crashed holder), released in finally.
 */
export function createFileLocker(o: { maxWaitMs?: number; logger?: Logger } = {}): Locker {
  const maxWaitMs = o.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const logger = o.logger;
  return {
    async withLock(target, fn) {
      const release = await acquire(target, maxWaitMs, logger);
      try {
        return await fn();
      } finally {
        // A lock lost while held (see onCompromised) is already gone; nothing else is left to undo.
        await release().catch((e: unknown) => logger?.debug(`releasing ${target}.lck: ${describe(e)}`));
      }
    },
  };
}

async function acquire(target: string, maxWaitMs: number, logger: Logger | undefined): Promise<() => Promise<void>> {
  const lockfilePath = `${target}.lck`;
  // Upstream leaves a `<file>.lock` FILE behind, so the lock is a `.lck` directory of our own to avoid colliding.
  // Loaded on first use: a cache hit takes no lock and must not pay for these modules (docs/architecture.md).
  const { lock } = await import("../lazy/lockfile.js");
  const { mkdir } = await import("node:fs/promises");
  const { setTimeout: sleep } = await import("node:timers/promises");
  try {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw cannotLock(lockfilePath, e);
  }
  // Time is counted in pauses taken, so the wait needs no clock; the real wait is slightly longer, never shorter.
  let waited = 0;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return await lock(target, {
        realpath: false,
        lockfilePath,
        stale: STALE_MS,
        retries: 0,
        // The default throws from a timer and would crash the process; losing the lock only risks a second refresh.
        onCompromised: (e: Error) =>
          logger?.warn(`lost the lock ${lockfilePath} (${describe(e)}); another aws-runas process may refresh too`),
      });
    } catch (e) {
      if (errorCode(e) !== "ELOCKED") throw cannotLock(lockfilePath, e);
    }
    if (waited >= maxWaitMs) {
      throw new RunasError(
        "LOCK_TIMEOUT",
        `another aws-runas process has held ${lockfilePath} for over ${seconds(maxWaitMs)} s; ` +
          "if none is running, delete that directory",
      );
    }
    if (waited === 0) logger?.debug(`waiting for another aws-runas process to release ${lockfilePath}`);
    const step = Math.min(pause, maxWaitMs - waited);
    await sleep(step);
    waited += step;
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }
}

function cannotLock(lockfilePath: string, e: unknown): RunasError {
  return new RunasError(
    "FILE_WRITE",
    `cannot create the lock ${lockfilePath} (${describe(e)}); check that its directory is writable`,
    { cause: e },
  );
}

function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(1)));
}

function errorCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined;
}

function describe(e: unknown): string {
  return errorCode(e) ?? (e instanceof Error ? e.message : String(e));
}
