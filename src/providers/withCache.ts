import { isFresh, maskKeyId, type Credentials, type CredentialProvider } from "../domain/credentials.js";
import type { Clock, Locker, Logger } from "../ports.js";
import type { CredentialCache } from "../cache/credentialCache.js";

/**
 * Wraps a provider with one of the on-disk STS caches (core.md §4.2). Fresh cached credentials (more than the
 * refresh window left, decisions Q-11) are returned without any lock or network. On a miss the refresh happens under
 * a cross-process lock and the cache is read again inside it, so concurrent cold starts share one refresh and one MFA
 * prompt. `forceRefresh` (the -r flag) skips this layer's cache only; inner layers keep theirs (core.md §4.6).
 */
export function withCache(init: {
  provider: CredentialProvider;
  cache: CredentialCache;
  /** Cache file name, e.g. ".aws_assume_role_dev". */
  file: string;
  /** Full path of the cache file; the lock is taken beside it. */
  lockPath: string;
  locker: Locker;
  clock: Clock;
  logger: Logger;
  /** Upstream's DEBUG label, e.g. "ASSUME ROLE CREDENTIALS". */
  label: string;
}): CredentialProvider {
  let memo: Credentials | undefined;
  const fresh = (c: Credentials | undefined): c is Credentials => c !== undefined && isFresh(c, init.clock.now());
  const report = (c: Credentials, from: string): Credentials => {
    if (init.logger.debugEnabled) init.logger.debug(
      `${init.label}: {AccessKeyID:${maskKeyId(c.accessKeyId)} Source:${from} Expires:${c.expiration?.toISOString() ?? "never"}}`,
    );
    return c;
  };

  return async (options) => {
    const force = options?.forceRefresh === true;
    if (!force) {
      if (fresh(memo)) return memo;
      const cached = init.cache.read(init.file);
      if (fresh(cached)) return report((memo = cached), init.file);
    }
    return init.locker.withLock(init.lockPath, async () => {
      if (!force) {
        // Another process may have refreshed while we waited for the lock.
        const cached = init.cache.read(init.file);
        if (fresh(cached)) return report((memo = cached), init.file);
      }
      // The flag reaches the layer below only to skip an IdP token cache (web identity); role layers ignore it.
      const creds = await init.provider(force ? { forceRefresh: true } : undefined);
      try {
        await init.cache.write(init.file, creds);
      } catch (e) {
        // A cache we cannot write costs a refresh next time; it must not fail the command.
        init.logger.debug(`could not write cache ${init.file}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return report((memo = creds), "STS");
    });
  };
}
