/**
 * A stand-in for the user's browser in a SAML sign-in through a local ACS listener (the `browserne` provider): it
 * opens the IdP URL it is given, follows redirects with a cookie jar, fills the login form, and submits every form it
 * meets — the IdP's auto-POST form included, whose action is the listener — until a page without a form.
 *
 * Run as the BROWSER command (`samlBrowserPlayer.ts <url>`), it records one line in $PLAYER_LOG for the URL it was
 * opened with and one for the page it ended on (or the error); $PLAYER_MODE=empty-form posts the SAMLResponse form
 * with the field emptied, as a broken IdP would.
 */
import { appendFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { CookieJar } from "tough-cookie";
import { samlResponseFromHtml } from "../../src/idp/samlForm.js";

/** How the browser fills the forms. */
export interface SamlPlayOptions {
  username?: string;
  password?: string;
  /** Post the SAMLResponse form with an empty SAMLResponse. */
  emptyForm?: boolean;
}

/** Where the browser ended: the last page, and the SAMLResponse it posted on the way (undefined when none). */
export interface SamlPlayEnd {
  url: URL;
  status: number;
  body: string;
  postedTo?: URL;
  samlResponse?: string;
}

/** Walks the sign-in from `start` to the first page without a form, as a browser with scripts on would. */
export async function playSamlSignIn(start: string | URL, o: SamlPlayOptions = {}): Promise<SamlPlayEnd> {
  const jar = new CookieJar();
  let url = new URL(start);
  let body: URLSearchParams | undefined;
  let postedTo: URL | undefined;
  let samlResponse: string | undefined;
  for (let step = 0; step < 20; step++) {
    const headers = new Headers();
    const cookie = await jar.getCookieString(url.href);
    if (cookie !== "") headers.set("cookie", cookie);
    if (body !== undefined) headers.set("content-type", "application/x-www-form-urlencoded");
    const response = await fetch(url, { method: body === undefined ? "GET" : "POST", headers, body, redirect: "manual" });
    for (const c of response.headers.getSetCookie()) await jar.setCookie(c, url.href);

    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      url = new URL(location, url);
      body = undefined;
      continue;
    }
    const html = await response.text();
    const form = response.status === 200 ? firstForm(html) : undefined;
    if (form === undefined) {
      return { url, status: response.status, body: html, ...(postedTo === undefined ? {} : { postedTo }), ...(samlResponse === undefined ? {} : { samlResponse }) };
    }
    if (form.fields.has("username")) form.fields.set("username", o.username ?? "alice");
    if (form.fields.has("password")) form.fields.set("password", o.password ?? "correct horse");
    if (form.fields.has("SAMLResponse")) {
      // The real reader of this form, so the page a browser gets is the page aws-runas's vendors read.
      form.fields.set("SAMLResponse", o.emptyForm === true ? "" : (samlResponseFromHtml(html) ?? ""));
      postedTo = new URL(form.action, url);
      samlResponse = form.fields.get("SAMLResponse");
    }
    url = new URL(form.action, url);
    body = form.method === "POST" ? new URLSearchParams([...form.fields]) : undefined;
    if (body === undefined) for (const [k, v] of form.fields) url.searchParams.set(k, v);
  }
  throw new Error(`the sign-in pages did not end after 20 steps, at ${url.href}`);
}

/** The action, method and named inputs of the first <form> of a page. */
function firstForm(html: string): { action: string; method: string; fields: Map<string, string> } | undefined {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (match === null) return undefined;
  const fields = new Map<string, string>();
  for (const input of (match[2] ?? "").matchAll(/<input\b([^>]*)>/gi)) {
    const name = attribute(input[1] ?? "", "name");
    if (name !== undefined) fields.set(name, attribute(input[1] ?? "", "value") ?? "");
  }
  return {
    action: attribute(match[1] ?? "", "action") ?? "",
    method: (attribute(match[1] ?? "", "method") ?? "GET").toUpperCase(),
    fields,
  };
}

/** One attribute's decoded value from the inside of a tag. */
function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\b${name}="([^"]*)"`, "i").exec(tag)?.[1];
  return value
    ?.replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const log = process.env.PLAYER_LOG ?? "/dev/null";
  const start = process.argv[2] ?? "";
  appendFileSync(log, `opened ${start}\n`);
  try {
    const end = await playSamlSignIn(start, { emptyForm: process.env.PLAYER_MODE === "empty-form" });
    appendFileSync(log, `ended ${end.status} ${end.url.href} posted-to ${end.postedTo?.href ?? "-"}\n`);
  } catch (e) {
    appendFileSync(log, `failed ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
