import { readFileSync } from "node:fs";
import { Cookie, CookieJar } from "tough-cookie";
import type { CookieStore } from "../idp/types.js";
import type { Clock, Locker, Logger } from "../ports.js";
import { writeFileAtomic } from "./atomicWrite.js";

/** Go's zero time: what upstream writes as `Expires` of a session cookie (idp.md §3.5). */
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/** Go's http.SameSite values, as upstream's file stores them. */
const SAME_SITE_TO_GO: Readonly<Record<string, number>> = { lax: 2, strict: 3, none: 4 };
const SAME_SITE_FROM_GO: Readonly<Record<number, string>> = { 2: "lax", 3: "strict", 4: "none" };

/** One cookie in upstream's file: the JSON of Go's http.Cookie. */
interface GoCookie {
  Name: string;
  Value: string;
  Quoted: boolean;
  Path: string;
  Domain: string;
  Expires: string;
  RawExpires: string;
  MaxAge: number;
  Secure: boolean;
  HttpOnly: boolean;
  SameSite: number;
  Partitioned: boolean;
  Raw: string;
  Unparsed: string[] | null;
}

/** The file: "<scheme>://<hostname>" → the cookies that origin set. Entries may be whatever an older writer left. */
type CookieFile = Record<string, unknown[]>;

/**
 * The IdP session cookies, kept across runs in `file` (.aws_runas.cookies, idp.md §3.5) so that a signed-in IdP
 * session is reused instead of asking for the password and MFA again. RFC 6265 matching (domain, path, Secure,
 * expiry) is tough-cookie's; the file is upstream's Go JSON, so both tools can share it. Session cookies are kept
 * across runs on purpose: that is how IdP sessions persist (idp.md §13 item 16). Unlike upstream, a Max-Age is
 * turned into an absolute expiry when the cookie is received, so reloading never extends a cookie's life, and
 * expired cookies are pruned from the file whenever it is written.
 *
 * The file is read on first use. Saving is best effort: a failure is one WARN line, since the sign-in itself worked.
 */
export function createCookieJar(o: { file: string; clock: Clock; logger: Logger; locker: Locker }): CookieStore {
  const { file, clock, logger, locker } = o;
  let jar: CookieJar | undefined;

  const loaded = (): CookieJar => {
    if (jar !== undefined) return jar;
    const j = new CookieJar();
    const content = readCookieFile(file, logger);
    const now = clock.now();
    for (const [origin, entries] of Object.entries(content ?? {})) {
      for (const entry of entries) {
        const cookie = fromGoCookie(entry, now);
        if (cookie !== undefined) j.setCookieSync(cookie, origin, { now, ignoreError: true });
      }
    }
    jar = j;
    return j;
  };

  return {
    header(url) {
      const now = clock.now().getTime();
      // Expiry is checked here against the injected clock; tough-cookie's own check reads the system clock.
      const cookies = loaded()
        .getCookiesSync(url, { expire: false, sort: true })
        .filter((c) => (c.expiryTime() ?? Infinity) > now);
      return cookies.length === 0 ? undefined : cookies.map((c) => c.cookieString()).join("; ");
    },

    async store(url, setCookies) {
      if ((url.protocol !== "http:" && url.protocol !== "https:") || setCookies.length === 0) return;
      const j = loaded();
      const now = clock.now();
      const accepted: GoCookie[] = [];
      for (const header of setCookies) {
        const cookie = Cookie.parse(header);
        if (cookie === undefined) continue;
        fixExpiry(cookie, now);
        const stored = j.setCookieSync(cookie, url, { now, ignoreError: true });
        if (stored !== undefined) accepted.push(toGoCookie(stored));
      }
      if (accepted.length === 0) return;
      const origin = `${url.protocol}//${url.hostname}`;
      try {
        await locker.withLock(file, async () => {
          // Re-read: another aws-runas process may have saved cookies of another IdP since this one loaded.
          const content = readCookieFile(file, logger);
          if (content === undefined) throw new Error("the file exists but cannot be read");
          content[origin] = merge(content[origin] ?? [], accepted);
          await writeFileAtomic(file, `${JSON.stringify(prune(content, now))}\n`);
        });
      } catch (e) {
        logger.warn(
          `cannot save the identity provider's session cookies to ${file} (${describe(e)}); ` +
            "you may be asked to sign in again next time",
        );
      }
    },
  };
}

/**
 * The file's content: {} when missing, empty or not JSON of the right shape (one DEBUG line), undefined when it
 * exists but cannot be read (one WARN line), so that it is not overwritten.
 */
function readCookieFile(file: string, logger: Logger): CookieFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (describe(e) === "ENOENT") return {};
    logger.warn(
      `cannot read the identity provider's session cookies ${file} (${describe(e)}); signing in without them`,
    );
    return undefined;
  }
  // Upstream treats two bytes or fewer (an empty "{}") as no cookies.
  if (text.length <= 2) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    logger.debug(`ignoring the session cookie file ${file}: not valid JSON`);
    return {};
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    logger.debug(`ignoring the session cookie file ${file}: not a JSON object`);
    return {};
  }
  const content = Object.create(null) as CookieFile;
  for (const [origin, entries] of Object.entries(data)) {
    if (Array.isArray(entries) && /^https?:\/\/[^/]+$/.test(origin)) content[origin] = entries as unknown[];
  }
  return content;
}

/**
 * A cookie of the file as tough-cookie's, or undefined when the entry is malformed or expired. An absolute Expires
 * wins; a MaxAge without one (written by upstream, which keeps Max-Age relative) counts from now, as upstream does.
 */
function fromGoCookie(entry: unknown, now: Date): Cookie | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const e = entry as Partial<Record<keyof GoCookie, unknown>>;
  if (typeof e.Name !== "string" || typeof e.Value !== "string" || e.Name === "") return undefined;
  const expires = typeof e.Expires === "string" ? parseGoTime(e.Expires) : undefined;
  const maxAge = typeof e.MaxAge === "number" ? e.MaxAge : 0;
  if (maxAge < 0) return undefined;
  let expiry: Date | "Infinity" = "Infinity";
  if (expires !== undefined) expiry = expires;
  else if (maxAge > 0) expiry = new Date(now.getTime() + maxAge * 1000);
  if (expiry !== "Infinity" && expiry.getTime() <= now.getTime()) return undefined;
  const sameSite = typeof e.SameSite === "number" ? SAME_SITE_FROM_GO[e.SameSite] : undefined;
  return new Cookie({
    key: e.Name,
    value: e.Value,
    // As a Set-Cookie parser would: a leading dot means nothing (RFC 6265 §5.2.3), case does not matter.
    domain: typeof e.Domain === "string" && e.Domain !== "" ? e.Domain.replace(/^\./, "").toLowerCase() : null,
    path: typeof e.Path === "string" && e.Path !== "" ? e.Path : null,
    expires: expiry,
    secure: e.Secure === true,
    httpOnly: e.HttpOnly === true,
    ...(sameSite === undefined ? {} : { sameSite }),
    ...(e.Partitioned === true ? { extensions: ["Partitioned"] } : {}),
  });
}

/** Replaces a Max-Age by the absolute time it ends (RFC 6265 §5.2.2), so neither reloads nor uses extend it. */
function fixExpiry(cookie: Cookie, now: Date): void {
  if (typeof cookie.maxAge !== "number") return;
  cookie.expires = new Date(cookie.maxAge <= 0 ? 0 : now.getTime() + cookie.maxAge * 1000);
  cookie.maxAge = null;
}

/** A cookie as stored by the jar (domain and path resolved) in upstream's format; host-only cookies keep Domain "". */
function toGoCookie(c: Cookie): GoCookie {
  const expires = c.expires instanceof Date ? c.expires.toISOString().replace(/\.000Z$/, "Z") : GO_ZERO_TIME;
  return {
    Name: c.key,
    Value: c.value,
    Quoted: false,
    Path: c.path ?? "/",
    Domain: c.hostOnly === true ? "" : (c.domain ?? ""),
    Expires: expires,
    RawExpires: "",
    MaxAge: 0,
    Secure: c.secure,
    HttpOnly: c.httpOnly,
    SameSite: c.sameSite === undefined ? 0 : (SAME_SITE_TO_GO[c.sameSite] ?? 0),
    Partitioned: (c.extensions ?? []).some((x) => x.toLowerCase() === "partitioned"),
    Raw: "",
    Unparsed: null,
  };
}

/** Adds `fresh` to an origin's entries, replacing those with the same Name|Domain|Path (idp.md §3.5). */
function merge(existing: unknown[], fresh: GoCookie[]): unknown[] {
  const identities = new Set(fresh.map(identity));
  return [...existing.filter((entry) => !identities.has(identity(entry))), ...fresh];
}

/** Name|Domain|Path with the defaults an upstream entry may leave empty, so old and new entries compare equal. */
function identity(entry: unknown): string {
  if (typeof entry !== "object" || entry === null) return "";
  const e = entry as Partial<Record<keyof GoCookie, unknown>>;
  const name = typeof e.Name === "string" ? e.Name : "";
  const domain = typeof e.Domain === "string" ? e.Domain.replace(/^\./, "").toLowerCase() : "";
  const path = typeof e.Path === "string" && e.Path !== "" ? e.Path : "/";
  return `${name}|${domain}|${path}`;
}

/** Drops cookies that can never be sent again (upstream never pruned, idp.md §13 item 16), and emptied origins. */
function prune(content: CookieFile, now: Date): CookieFile {
  const out = Object.create(null) as CookieFile;
  for (const origin of Object.keys(content).sort()) {
    const kept = (content[origin] ?? []).filter((entry) => fromGoCookie(entry, now) !== undefined);
    if (kept.length > 0) out[origin] = kept;
  }
  return out;
}

/** Go's RFC 3339 time; undefined for the zero time (a session cookie) or anything unparseable. */
function parseGoTime(s: string): Date | undefined {
  if (s === "" || s.startsWith("0001-01-01")) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function describe(e: unknown): string {
  if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") return e.code;
  return e instanceof Error ? e.message : String(e);
}
