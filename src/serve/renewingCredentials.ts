import { isFresh, type Credentials, type CredentialProvider } from "../domain/credentials.js";
import type { Clock, Logger } from "../ports.js";
import { isAuthenticationRequired, oneLine } from "./httpReply.js";

/** The timer functions, passed in so tests can run hours of renewals without waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that never keep the process alive by themselves (the server does that). */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long before expiry the server renews in the background: ahead of the 5-minute window (decisions.md Q-11). */
export const RENEW_LEAD_MS = 10 * 60 * 1000;
/** The shortest wait before a renewal, so short-lived credentials never make the timer spin. */
const MIN_DELAY_MS = 30 * 1000;
/** After a failed background renewal (STS unreachable …), the next try. */
const RETRY_MS = 60 * 1000;
/** Credentials closer than this to their expiry are not worth handing out even when a refresh failed. */
const LAST_RESORT_MS = 60 * 1000;
/** setTimeout's limit (about 24.8 days); longer waits are cut to it and simply renew early. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** One profile's credentials as the server hands them out. */
export interface RenewingCredentials {
  /**
   * The credentials: the ones held while they have more than 5 minutes left, else a refresh that every concurrent
   * caller shares (one STS call however many wait). When that refresh fails but the held credentials still have a
   * minute, those are handed out with a WARN line (an SDK client is better served than refused), unless `strict`
   * (a person activating the profile must see the failure, e.g. to answer the MFA dialog).
   */
  get(o?: { strict?: boolean }): Promise<Credentials>;
  /**
   * Fetches once with `provider` (the profile rebuilt with an MFA code or a password) through the same single flight,
   * after any refresh under way, and keeps the result. The profile's own provider stays in place for later renewals.
   */
  fetchWith(provider: CredentialProvider): Promise<Credentials>;
  /** Replaces the provider for every later refresh (the profile was rebuilt with a username and password). */
  setProvider(provider: CredentialProvider): void;
  /** POST /refresh: forgets the held credentials; the next get() refreshes, skipping the caches (as `-r`). */
  invalidate(): void;
  /** Stops background renewal for good (the server is shutting down, or the profile was replaced). */
  stop(): void;
}

/**
 * Wraps a profile's provider for a long-running server (decisions.md Q-11, core.md §9.9): a single flight of
 * refreshes, and a background renewal `leadMs` before the credentials expire so requests are answered at once, never
 * with less than 5 minutes left while a refresh is possible. Renewals continue while `keepAlive()` says the profile
 * is in use (the active one) or its credentials were handed out since the last renewal; a profile nobody asks for
 * goes idle instead of calling STS every hour, and refreshes on its next request.
 */
export function createRenewingCredentials(o: {
  provider: CredentialProvider;
  clock: Clock;
  logger: Logger;
  /** Names the profile in log lines. */
  label: string;
  keepAlive: () => boolean;
  timers?: Timers;
  leadMs?: number;
}): RenewingCredentials {
  const timers = o.timers ?? realTimers;
  const lead = o.leadMs ?? RENEW_LEAD_MS;
  let provider = o.provider;
  let held: Credentials | undefined;
  let forceNext = false;
  let handedOut = false;
  let stopped = false;
  let timer: unknown;
  let inflight: Promise<Credentials> | undefined;

  const cancelTimer = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  };
  const arm = (delay: number): void => {
    cancelTimer();
    if (stopped) return;
    timer = timers.setTimeout(renew, Math.min(Math.max(delay, MIN_DELAY_MS), MAX_DELAY_MS));
  };
  const schedule = (c: Credentials): void => {
    if (c.expiration === undefined) return cancelTimer();
    arm(c.expiration.getTime() - o.clock.now().getTime() - lead);
  };

  /**
   * Runs one refresh with `p` unless one is under way, whose result every caller then shares. `force` skips the
   * caches (as `-r`).
   */
  const run = (p: CredentialProvider, force: boolean): Promise<Credentials> => {
    if (inflight !== undefined) return inflight;
    const attempt = (async () => {
      const c = await p(force ? { forceRefresh: true } : undefined);
      held = c;
      // Only a refresh that succeeded ends a POST /refresh: after a failure (an MFA code needed) the retry skips the
      // caches again.
      if (force) forceNext = false;
      schedule(c);
      return c;
    })();
    const shared = attempt.finally(() => {
      if (inflight === shared) inflight = undefined;
    });
    inflight = shared;
    return shared;
  };

  function renew(): void {
    timer = undefined;
    if (stopped) return;
    if (!o.keepAlive() && !handedOut) {
      o.logger.debug(`${o.label}: not renewed in the background, nobody asked for its credentials lately`);
      return;
    }
    handedOut = false;
    // Forced: the held credentials are still fresh for the caches, which would hand them back unchanged.
    run(provider, true).then(
      () => o.logger.debug(`${o.label}: credentials renewed in the background`),
      (e: unknown) => {
        if (isAuthenticationRequired(e)) {
          o.logger.warn(`${o.label}: renewing the credentials needs ${e.kind === "MFA" ? "an MFA code" : "a sign-in"}; ` +
            "select the profile again in the web page to give it");
          return;
        }
        o.logger.warn(`${o.label}: could not renew the credentials in the background: ${oneLine(e)}`);
        if (held?.expiration !== undefined && held.expiration.getTime() - o.clock.now().getTime() > RETRY_MS) arm(RETRY_MS);
      },
    );
  }

  return {
    async get(options) {
      const current = held;
      if (current !== undefined && !forceNext && isFresh(current, o.clock.now())) {
        handedOut = true;
        return current;
      }
      try {
        const c = await run(provider, forceNext);
        handedOut = true;
        return c;
      } catch (e) {
        const last = held;
        const left = last?.expiration === undefined ? 0 : last.expiration.getTime() - o.clock.now().getTime();
        if (options?.strict === true || last === undefined || left <= LAST_RESORT_MS) throw e;
        o.logger.warn(`${o.label}: refreshing the credentials failed (${oneLine(e)}); handing out the current ones, ` +
          `valid for ${Math.round(left / 1000)} more seconds`);
        handedOut = true;
        return last;
      }
    },
    async fetchWith(p) {
      while (inflight !== undefined) await inflight.catch(() => undefined);
      const c = await run(p, forceNext);
      handedOut = true;
      return c;
    },
    setProvider(p) {
      provider = p;
    },
    invalidate() {
      held = undefined;
      forceNext = true;
    },
    stop() {
      stopped = true;
      cancelTimer();
    },
  };
}
