/**
 * One visit to a Keycloak address as a browser makes it: the request, then its redirects followed through the
 * client's session (cookies kept at every hop), noting whether any answer started a Keycloak session. Keycloak
 * starts one by setting KEYCLOAK_IDENTITY and KEYCLOAK_SESSION (idp.md §6.3 step 5), often on a 302, so the final
 * page alone cannot tell.
 */
import { followRedirects } from "../httpSession.js";
import type { IdpDeps } from "../types.js";

/** A page as it arrived: the address it came from after redirects, its status, headers and HTML. */
export interface KeycloakPage {
  url: URL;
  status: number;
  statusText: string;
  headers: Headers;
  html: string;
}

/** Where a visit ended: at a redirect `stopAt` matched (never requested), or at a page. */
export type Visit =
  | { kind: "redirect"; url: URL; signedIn: boolean }
  | { kind: "page"; page: KeycloakPage; signedIn: boolean };

/** Cookies whose arrival means "signed in"; Keycloak 24+ adds `_LEGACY` twins, which the prefix also matches. */
const SESSION_COOKIE = /^KEYCLOAK_(?:IDENTITY|SESSION)/i;

/**
 * Requests `url` (with `init`, GET by default) and follows its redirects (at most `maxRedirects`, 10 by default);
 * a redirect `stopAt` matches ends the visit there, unrequested (the OIDC redirect URI, e.g. `app:/callback`).
 */
export async function visit(
  d: Pick<IdpDeps, "fetch" | "clock">,
  url: URL,
  o: { init?: RequestInit; stopAt?: (url: URL) => boolean; signal?: AbortSignal; maxRedirects?: number } = {},
): Promise<Visit> {
  let signedIn = false;
  const now = d.clock.now();
  const watched = {
    fetch: async (input: string | URL, init?: RequestInit): Promise<Response> => {
      const response = await d.fetch(input, init);
      if (startsSession(response.headers.getSetCookie(), now)) signedIn = true;
      return response;
    },
  };
  const init: RequestInit = { ...o.init, ...(o.signal === undefined ? {} : { signal: o.signal }) };
  const end = await followRedirects(watched, url, init, {
    ...(o.stopAt === undefined ? {} : { stopAt: o.stopAt }),
    ...(o.maxRedirects === undefined ? {} : { max: o.maxRedirects }),
  });
  if ("stoppedAt" in end) return { kind: "redirect", url: end.stoppedAt, signedIn };
  const { response } = end;
  const html = await response.text();
  return {
    kind: "page",
    signedIn,
    page: { url: end.url, status: response.status, statusText: response.statusText, headers: response.headers, html },
  };
}

/** The page as a Response again (its body was read to judge it), for callers that hand a Response on. */
export function pageResponse(page: KeycloakPage): Response {
  const headers = new Headers(page.headers);
  // The body is the decoded text now: its original length and encoding no longer describe it.
  headers.delete("content-length");
  headers.delete("content-encoding");
  return new Response(page.html, { status: page.status, statusText: page.statusText, headers });
}

/** The address of a page for messages and logs: scheme, host and path; the query may carry one-time codes. */
export function place(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * True when one of the Set-Cookie headers sets a Keycloak session cookie to a live value. Keycloak also *clears*
 * these cookies (empty value, Max-Age=0, an Expires in the past) when it shows the login page; that is no session.
 */
export function startsSession(setCookies: readonly string[], now: Date): boolean {
  return setCookies.some((header) => {
    const [pair = "", ...attributes] = header.split(";");
    const eq = pair.indexOf("=");
    if (eq < 0) return false;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    if (!SESSION_COOKIE.test(name) || value === "") return false;
    for (const attribute of attributes) {
      const [key = "", v = ""] = attribute.split("=", 2).map((x) => x.trim());
      if (key.toLowerCase() === "max-age" && /^-?\d+$/.test(v) && Number(v) <= 0) return false;
      if (key.toLowerCase() === "expires") {
        const at = Date.parse(v);
        if (!Number.isNaN(at) && at <= now.getTime()) return false;
      }
    }
    return true;
  });
}
