/**
 * How the Azure AD client requests and reads pages: every request goes through the client's HTTP session, redirects
 * are followed hop by hop (cookies kept at each), and a redirect to the OIDC client's redirect URI ends the walk
 * without being requested (`app:/callback` cannot be opened). Each answer is read once, into an `AadPage`, so no
 * step ever re-reads a consumed body (upstream's non-KMSI failure, idp.md §13 item 7).
 */
import { isRunasError, RunasError } from "../../domain/errors.js";
import { followRedirects, networkFailure } from "../httpSession.js";
import type { IdpDeps } from "../types.js";
import { type PageConfig, parsePageConfig } from "./pageConfig.js";

/** One answer, read. */
export interface AadPage {
  /** The address that gave this answer (after redirects); for `redirect`, the redirect URI itself. */
  url: URL;
  status: number;
  html: string;
  /** Set when the answer is a redirect to the client's redirect URI: the sign-in's result, not requested. */
  redirect?: URL;
  /** The page's `$Config`, when it has one (a sign-in page). */
  config?: PageConfig;
}

/** Requests made on behalf of one sign-in. */
export interface AadPages {
  /** GET (or the given request) following redirects, stopping at the redirect URI. */
  open(url: URL, init?: RequestInit): Promise<AadPage>;
  /** POSTs a form (`application/x-www-form-urlencoded`), following redirects as `open` does. */
  postForm(url: URL, fields: readonly (readonly [string, string])[]): Promise<AadPage>;
  /** POSTs JSON to one of Azure MFA's endpoints; the answer must be 200 with a JSON object. */
  postJson(url: URL, body: Record<string, unknown>, what: string): Promise<Record<string, unknown>>;
}

/** Requests through `d.fetch`; `stopAt` says which redirects end the walk (the OIDC redirect URI). */
export function aadPages(d: IdpDeps, o: { stopAt?: (url: URL) => boolean; signal?: AbortSignal } = {}): AadPages {
  const withSignal = (init: RequestInit): RequestInit => (o.signal === undefined ? init : { ...init, signal: o.signal });

  const open = async (url: URL, init: RequestInit = {}): Promise<AadPage> => {
    const end = await followRedirects({ fetch: d.fetch }, url, withSignal(init), o.stopAt === undefined ? {} : { stopAt: o.stopAt });
    if ("stoppedAt" in end) return { url: end.stoppedAt, status: 302, html: "", redirect: end.stoppedAt };
    const html = await end.response.text();
    const config = parsePageConfig(html);
    return { url: end.url, status: end.response.status, html, ...(config === undefined ? {} : { config }) };
  };

  return {
    open,
    postForm: (url, fields) =>
      open(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString(),
      }),
    async postJson(url, body, what) {
      let response: Response;
      try {
        response = await d.fetch(
          url,
          withSignal({
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json" },
            body: JSON.stringify(body),
          }),
        );
      } catch (e) {
        if (isRunasError(e) || o.signal?.aborted === true) throw e;
        throw new RunasError("IDP_ERROR", `could not reach ${url.origin} for ${what} (${networkFailure(e, url)}); check the network`, {
          cause: e,
        });
      }
      const text = await response.text();
      if (response.status !== 200) {
        throw new RunasError(
          "IDP_ERROR",
          `Azure MFA answered ${what} with HTTP ${response.status} at ${where(url)}; run aws-runas again`,
        );
      }
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // Reported below, with the step it belongs to.
      }
      throw new RunasError("IDP_ERROR", `Azure MFA answered ${what} at ${where(url)} with something that is not JSON; run aws-runas again`);
    },
  };
}

/** `url` resolved against the page's address; undefined when it is empty or not a URL. */
export function resolveOn(url: string, page: URL): URL | undefined {
  if (url.trim() === "") return undefined;
  try {
    return new URL(url, page);
  } catch {
    return undefined;
  }
}

/** Origin and path, for messages: queries of sign-in URLs carry flow state and codes. */
export function where(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
