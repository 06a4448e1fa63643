import { RunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";
import type { CookieStore, Fetch } from "./types.js";

/**
 * One identity-provider client's HTTP session: its own cookies, timeout and redirect policy (decisions on
 * idp.md §13.2).
 */
export interface HttpSession {
  /**
   * Sends one request: cookies from the store go out, Set-Cookie headers come back into it; redirects are returned,
   * not followed.
   */
  fetch: Fetch;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * A session over `fetch` (the platform's by default). Upstream shared one process-wide client whose redirect policy
 * Keycloak switched off for everyone (idp.md §3.4); here every client has its own, every request has a timeout
 * (default 30 s) combined with the caller's signal, and redirects are never followed implicitly: see `followRedirects`.
 */
export function createHttpSession(o: {
  cookies: CookieStore;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  logger: Logger;
}): HttpSession {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const send = o.fetch ?? globalThis.fetch;
  return {
    async fetch(input, init = {}) {
      const url = new URL(input);
      const method = (init.method ?? "GET").toUpperCase();
      const headers = new Headers(init.headers);
      const stored = o.cookies.header(url);
      if (stored !== undefined) {
        const own = headers.get("cookie");
        headers.set("cookie", own === null || own === "" ? stored : `${own}; ${stored}`);
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      const callerSignal = init.signal ?? undefined;
      const signal = callerSignal === undefined ? timeout : AbortSignal.any([callerSignal, timeout]);

      let response: Response;
      try {
        response = await send(url, { ...init, method, headers, signal, redirect: "manual" });
      } catch (e) {
        if (callerSignal?.aborted === true) throw e;
        if (timeout.aborted) {
          throw new RunasError(
            "IDP_ERROR",
            `${method} ${place(url)} got no answer within ${timeoutMs / 1000} s; check the network and that the ` +
              "identity provider is up",
            { cause: e },
          );
        }
        throw new RunasError(
          "IDP_ERROR",
          `could not reach ${url.origin} (${networkFailure(e, url)}); check the URL and the network`,
          { cause: e },
        );
      }
      // Cookies are kept from every answer, redirects included: IdPs set their session cookies on the 302.
      const setCookies = response.headers.getSetCookie();
      if (setCookies.length > 0) await o.cookies.store(url, setCookies);
      o.logger.debug(`${method} ${place(url)}: HTTP ${response.status}`);
      return response;
    },
  };
}

/**
 * Follows up to `max` (10) redirects through the session, so cookies are stored at every hop. 301/302/303 continue
 * as GET without a body (as Go's client, which upstream used), 307/308 repeat the request. When `stopAt` matches a
 * Location the walk ends there without requesting it: that captures `app:/callback?code=…` redirect URIs, or a
 * loopback redirect no one listens on (idp.md §3.7).
 */
export async function followRedirects(
  session: HttpSession,
  url: string | URL,
  init: RequestInit = {},
  o: { max?: number; stopAt?: (url: URL) => boolean } = {},
): Promise<{ response: Response; url: URL } | { stoppedAt: URL }> {
  const max = o.max ?? DEFAULT_MAX_REDIRECTS;
  let current = new URL(url);
  let request = init;
  for (let followed = 0; ; followed++) {
    const response = await session.fetch(current, request);
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
    if (location === null) return { response, url: current };
    await response.body?.cancel().catch(() => undefined);

    let next: URL;
    try {
      next = new URL(location, current);
    } catch (e) {
      throw new RunasError("IDP_ERROR", `${place(current)} answered with a redirect to an address that is not a URL`, {
        cause: e,
      });
    }
    if (o.stopAt?.(next) === true) return { stoppedAt: next };
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new RunasError(
        "IDP_ERROR",
        `${place(current)} redirected to ${place(next)}, which aws-runas cannot open; check the client's redirect URI`,
      );
    }
    if (followed >= max) {
      throw new RunasError(
        "IDP_ERROR",
        `gave up after ${max} redirects, at ${place(next)}; ` +
          "the identity provider is redirecting in a loop, check its URL",
      );
    }
    request = redirectedRequest(request, response.status, current, next);
    current = next;
  }
}

/**
 * The request for the next hop: GET without a body after 301/302/303 (HEAD stays HEAD); the caller's own
 * credentials are not sent to another origin.
 */
function redirectedRequest(init: RequestInit, status: number, from: URL, to: URL): RequestInit {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  let next: RequestInit = { ...init, headers };
  if (status !== 307 && status !== 308 && method !== "HEAD" && method !== "GET") {
    next = { ...next, method: "GET", body: null };
    for (const h of ["content-type", "content-length", "content-encoding", "content-language"]) headers.delete(h);
  }
  if (from.origin !== to.origin) {
    // The session adds the right cookies for each origin; the caller's own credentials stay with the first one.
    headers.delete("authorization");
    headers.delete("cookie");
  }
  return next;
}

/** Scheme, host and path, for log lines and messages: the query and fragment may carry codes, tokens or state. */
function place(url: URL): string {
  const copy = new URL(url.href);
  copy.search = "";
  copy.hash = "";
  copy.username = "";
  copy.password = "";
  return copy.href;
}

/**
 * What a failed request to `url` ran into, for a message: fetch wraps the socket error ("connect ECONNREFUSED …")
 * in its cause. The URL's query is cut out should the error quote it: it may hold a secret.
 */
export function networkFailure(e: unknown, url: URL): string {
  const cause = e instanceof Error && e.cause !== undefined ? e.cause : e;
  let text: string;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    text = cause.message !== "" ? cause.message : typeof code === "string" ? code : cause.name;
  } else {
    text = String(cause);
  }
  return url.search === "" ? text : text.split(url.search).join("");
}
