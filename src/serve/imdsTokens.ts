import { randomBytes } from "node:crypto";
import type { Clock } from "../ports.js";

/** The TTL range real IMDS accepts for a session token, in seconds (decisions.md "Servers"). */
export const MIN_TOKEN_TTL = 1;
export const MAX_TOKEN_TTL = 21_600;

/** More live tokens than any set of local SDK clients needs; past it the oldest goes, so memory stays bounded. */
const MAX_LIVE_TOKENS = 10_000;

/** The IMDSv2 session tokens of one server: random, each with the lifetime its client asked for. */
export interface ImdsTokens {
  /** A new random token valid for `ttlSeconds` (already checked by parseTokenTtl). */
  issue(ttlSeconds: number): string;
  /** True while `token` is one this server issued and it has not expired. */
  valid(token: string): boolean;
}

/**
 * `X-Aws-Ec2-Metadata-Token-Ttl-Seconds` as real IMDS reads it: a whole number of seconds from 1 to 21600; anything
 * else (missing, empty, not a number, out of range) is undefined, answered 400.
 */
export function parseTokenTtl(header: string | string[] | undefined): number | undefined {
  if (typeof header !== "string" || !/^\d{1,5}$/.test(header.trim())) return undefined;
  const ttl = Number(header.trim());
  return ttl >= MIN_TOKEN_TTL && ttl <= MAX_TOKEN_TTL ? ttl : undefined;
}

/**
 * Tokens are 32 random bytes (base64url, 43 characters: SDKs only need a non-empty string) kept with their expiry;
 * an expired token is forgotten when next looked at, or when the store is full. `clock` dates them.
 */
export function createImdsTokens(o: { clock: Clock; random?: (size: number) => Buffer }): ImdsTokens {
  const random = o.random ?? randomBytes;
  // Insertion order is issue order, so the first entries are the oldest.
  const expiries = new Map<string, number>();
  const now = (): number => o.clock.now().getTime();

  /** Run only when the store is full, so issuing stays cheap however many tokens clients fetch. */
  const sweep = (): void => {
    if (expiries.size < MAX_LIVE_TOKENS) return;
    const t = now();
    for (const [token, expiry] of expiries) if (expiry <= t) expiries.delete(token);
    while (expiries.size >= MAX_LIVE_TOKENS) {
      const oldest = expiries.keys().next();
      if (oldest.done === true) break;
      expiries.delete(oldest.value);
    }
  };

  return {
    issue(ttlSeconds) {
      sweep();
      const token = random(32).toString("base64url");
      expiries.set(token, now() + ttlSeconds * 1000);
      return token;
    },
    valid(token) {
      // A Map lookup by the whole token: no comparison whose time depends on how much of a forged token matches.
      const expiry = expiries.get(token);
      if (expiry === undefined) return false;
      if (expiry <= now()) {
        expiries.delete(token);
        return false;
      }
      return true;
    },
  };
}
