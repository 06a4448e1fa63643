import { readFileSync, unlinkSync } from "node:fs";
import { join as joinPath } from "node:path";
import { RunasError } from "../domain/errors.js";
import { parseIdToken } from "../idp/idToken.js";
import type { IdToken } from "../idp/types.js";
import type { Clock, Locker, Logger } from "../ports.js";

/** Upstream's file name (idp.md §3.8), kept so a switch of tools keeps the cached tokens' file. */
const FILE_NAME = ".aws_runas_identity_token.cache";

const FNV_OFFSET_BASIS = 0x6c62272e07bb014262b821756295c58dn;
const FNV_PRIME = 0x0000000001000000000000000000013bn;
const MASK_128 = (1n << 128n) - 1n;

/**
 * FNV-1 (not 1a) 128-bit hash of the UTF-8 bytes of `text`, as 32 lowercase hex digits: upstream's cache key
 * (idp.md §3.8). For each byte: h = h × prime mod 2^128, then h ^= byte.
 */
export function fnv1_128(text: string): string {
  let h = FNV_OFFSET_BASIS;
  for (const byte of Buffer.from(text, "utf8")) {
    h = ((h * FNV_PRIME) & MASK_128) ^ BigInt(byte);
  }
  return h.toString(16).padStart(32, "0");
}

/** The OIDC id tokens (and refresh tokens) of every web-identity profile, one JSON file in the cache directory. */
export interface TokenCache {
  /** A cached id token for this IdP URL and client id that is still valid at clock.now(), else undefined. */
  getIdToken(url: string, clientId: string): IdToken | undefined;
  /** Caches the id token for this IdP URL and client id; an empty URL or token is an INVALID_VALUE error. */
  setIdToken(url: string, clientId: string, jwt: string): Promise<void>;
  /** The refresh token kept for this IdP URL and client id, if any. */
  getRefreshToken(url: string, clientId: string): string | undefined;
  /** Keeps the refresh token for this IdP URL and client id; undefined removes it. */
  setRefreshToken(url: string, clientId: string, token: string | undefined): Promise<void>;
  /** Removes this URL+client's entries only (the -r flag). */
  remove(url: string, clientId: string): Promise<void>;
}

/**
 * The token cache `.aws_runas_identity_token.cache` in `dir` (idp.md §3.8): a JSON object of string values, as
 * upstream writes it. Keys include the client id (decisions.md on idp.md §13 item 11: two clients of one IdP URL
 * must not share a token), and -r removes only that pair's entries instead of the whole file. Reads never throw;
 * writes re-read and merge under the cross-process lock, so concurrent runs for other profiles keep their tokens.
 * No token value is ever logged.
 */
export function createTokenCache(o: { dir: string; clock: Clock; logger: Logger; locker: Locker }): TokenCache {
  const file = joinPath(o.dir, FILE_NAME);
  const { clock, logger, locker } = o;

  const read = (): Record<string, string> => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      const code = errorCode(e);
      if (code !== "ENOENT") logger.debug(`cannot read the id token cache ${file}: ${code}`);
      return {};
    }
    // Upstream treats two bytes or fewer (an empty "{}") as no cache.
    if (text.length <= 2) return {};
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      logger.debug(`ignoring the id token cache ${file}: not valid JSON`);
      return {};
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      logger.debug(`ignoring the id token cache ${file}: not a JSON object`);
      return {};
    }
    // No prototype: a "__proto__" key in the file stays an ordinary entry.
    const entries = Object.create(null) as Record<string, string>;
    for (const [key, value] of Object.entries(data)) {
      if (typeof value === "string") entries[key] = value;
    }
    return entries;
  };

  /** Read, change, write back (or delete the file once nothing is left), all under the lock. */
  const update = (change: (entries: Record<string, string>) => void): Promise<void> =>
    locker.withLock(file, async () => {
      const entries = read();
      const before = serialize(entries);
      change(entries);
      const after = serialize(entries);
      try {
        if (after === undefined) {
          unlinkSync(file);
          return;
        }
        if (after === before) return;
        // Loaded here: node:crypto (for the temporary name) is not needed to read a cached token.
        const { writeFileAtomic } = await import("./atomicWrite.js");
        await writeFileAtomic(file, after);
      } catch (e) {
        if (after === undefined && errorCode(e) === "ENOENT") return;
        throw new RunasError(
          "FILE_WRITE",
          `cannot write the id token cache ${file} (${errorCode(e)}); check that its directory is writable`,
          { cause: e },
        );
      }
    });

  return {
    getIdToken(url, clientId) {
      const jwt = read()[cacheKey(url, clientId)];
      if (jwt === undefined) return undefined;
      const token = parseIdToken(jwt);
      const expiresAt = token.expiresAt();
      if (expiresAt === undefined || expiresAt.getTime() <= clock.now().getTime()) {
        logger.debug(`the cached id token for ${url} has expired or has no expiry`);
        return undefined;
      }
      return token;
    },

    async setIdToken(url, clientId, jwt) {
      const token = jwt.trim();
      if (url === "" || token === "") {
        throw new RunasError(
          "INVALID_VALUE",
          "invalid token data or url: an id token and its IdP URL are needed to cache it",
        );
      }
      await update((entries) => {
        entries[cacheKey(url, clientId)] = token;
      });
    },

    getRefreshToken(url, clientId) {
      const token = read()[refreshKey(url, clientId)];
      return token === "" ? undefined : token;
    },

    async setRefreshToken(url, clientId, token) {
      await update((entries) => {
        if (token === undefined || token === "") delete entries[refreshKey(url, clientId)];
        else entries[refreshKey(url, clientId)] = token;
      });
    },

    async remove(url, clientId) {
      await update((entries) => {
        delete entries[cacheKey(url, clientId)];
        delete entries[refreshKey(url, clientId)];
      });
    },
  };
}

/** The file's text: keys sorted and a final newline, as Go's json.Encoder writes a map; undefined when empty. */
function serialize(entries: Record<string, string>): string | undefined {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return undefined;
  return `${JSON.stringify(Object.fromEntries(keys.map((k) => [k, entries[k]])))}\n`;
}

function cacheKey(url: string, clientId: string): string {
  return fnv1_128(`${url}\n${clientId}`);
}

function refreshKey(url: string, clientId: string): string {
  return `${cacheKey(url, clientId)}.refresh`;
}

function errorCode(e: unknown): string {
  if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") return e.code;
  return e instanceof Error ? e.message : String(e);
}
