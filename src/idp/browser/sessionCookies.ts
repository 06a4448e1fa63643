/**
 * Keeps the IdP session for the next sign-in (idp.md §9.1): session cookies die with the browser, and the IdP's
 * login session is usually one. After a successful sign-in each is set again with an expiry 24 hours ahead, so the
 * next launch of aws-runas's browser profile finds the user still signed in at the IdP.
 */
import type { CdpConnection } from "./cdpConnection.js";

/** How long a kept session cookie lives. */
export const KEEP_SESSION_FOR_MS = 24 * 60 * 60 * 1000;

/** A cookie as the browser target's Storage domain reports it. */
interface BrowserCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: string;
  session?: boolean;
  expires?: number;
  priority?: string;
  sourceScheme?: string;
  sourcePort?: number;
  partitionKey?: unknown;
}

/**
 * Re-sets every session cookie (non-empty name, no expiry) with `expires` = now + 24 h, returning how many. Uses
 * the Storage domain of the browser target (the Network domain is not there). A host-only cookie is set through a
 * URL, since giving a domain would widen it to the subdomains.
 */
export async function keepSessionCookies(cdp: CdpConnection, now: Date): Promise<number> {
  const got = (await cdp.send("Storage.getCookies", {})) as { cookies?: unknown } | undefined;
  const cookies = (Array.isArray(got?.cookies) ? got.cookies : []).filter(isSessionCookie);
  if (cookies.length === 0) return 0;
  const expires = Math.floor((now.getTime() + KEEP_SESSION_FOR_MS) / 1000);
  await cdp.send("Storage.setCookies", { cookies: cookies.map((c) => persistent(c, expires)) });
  return cookies.length;
}

function isSessionCookie(c: unknown): c is BrowserCookie {
  const { name, value, domain, path, session, expires } = (c ?? {}) as Partial<Record<keyof BrowserCookie, unknown>>;
  if (typeof name !== "string" || name === "" || typeof value !== "string") return false;
  if (typeof domain !== "string" || domain === "" || typeof path !== "string") return false;
  return session === true || (typeof expires === "number" && expires <= 0);
}

function persistent(c: BrowserCookie, expires: number): Record<string, unknown> {
  const hostOnly = !c.domain.startsWith(".");
  const scheme = c.secure === true || c.sourceScheme === "Secure" ? "https" : "http";
  const param: Record<string, unknown> = {
    name: c.name,
    value: c.value,
    path: c.path,
    expires,
    ...(hostOnly ? { url: `${scheme}://${c.domain}${c.path}` } : { domain: c.domain }),
  };
  if (c.secure !== undefined) param.secure = c.secure;
  if (c.httpOnly !== undefined) param.httpOnly = c.httpOnly;
  if (c.sameSite !== undefined) param.sameSite = c.sameSite;
  if (c.priority !== undefined) param.priority = c.priority;
  if (c.sourceScheme !== undefined) param.sourceScheme = c.sourceScheme;
  if (c.sourcePort !== undefined) param.sourcePort = c.sourcePort;
  if (c.partitionKey !== undefined) param.partitionKey = c.partitionKey;
  return param;
}
