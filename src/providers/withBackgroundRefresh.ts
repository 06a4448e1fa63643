import type { Credentials, CredentialProvider } from "../domain/credentials.js";
import type { Clock, Logger } from "../ports.js";

/** How long before expiry credentials are renewed in the background: well ahead of the 5-minute refresh window. */
export const BACKGROUND_LEAD_MS = 10 * 60 * 1000;

export interface BackgroundRefresh {
  provider: CredentialProvider;
  /** Cancels the pending renewal (the command has ended). */
  stop(): void;
}

/**
 * For the credential endpoint of a long-running command (decisions.md Q-11): every time credentials are handed out,
 * a renewal is scheduled `leadMs` before they expire, so requests are answered at once from fresh credentials
 * instead of waiting on STS (SDKs give up on the endpoint after about a second). A failed renewal is logged; the
 * next request then refreshes as usual. The timer never keeps the process alive.
 */
export function withBackgroundRefresh(
  inner: CredentialProvider,
  o: { clock: Clock; logger: Logger; leadMs?: number },
): BackgroundRefresh {
  const lead = o.leadMs ?? BACKGROUND_LEAD_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = (creds: Credentials): void => {
    if (stopped || creds.expiration === undefined) return;
    if (timer !== undefined) clearTimeout(timer);
    const delay = creds.expiration.getTime() - lead - o.clock.now().getTime();
    if (delay <= 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      inner({ forceRefresh: true }).then(schedule, (e: unknown) =>
        o.logger.warn(`could not renew the credentials in the background: ${e instanceof Error ? e.message : String(e)}`),
      );
    }, delay);
    timer.unref();
  };

  return {
    provider: async (options) => {
      const creds = await inner(options);
      schedule(creds);
      return creds;
    },
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
