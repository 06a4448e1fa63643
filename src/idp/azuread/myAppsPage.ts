/**
 * The My Apps page of an Enterprise App (idp.md §8.4) does not redirect: a script sets `window.location` to Azure AD's
 * SAML endpoint with the app's SAMLRequest. Upstream matched only `https` and single quotes, and kept JavaScript
 * escapes in the URL (idp.md §13 item 7).
 */

/** `window.location = '…'` / `window.location.href = "…"`, the string's body captured with its escapes. */
const LOCATION = /window\.location(?:\.href)?\s*=\s*(?:"((?:[^"\\\r\n]|\\.)*)"|'((?:[^'\\\r\n]|\\.)*)')/g;

/**
 * The SAML sign-in URL (http or https, carrying `SAMLRequest=`) the page sends the browser to, with `\/`, `\u0026`
 * and the other JavaScript escapes resolved; undefined when the page has none.
 */
export function samlRequestUrl(html: string): URL | undefined {
  for (const m of html.matchAll(LOCATION)) {
    const target = unescapeJs(m[1] ?? m[2] ?? "");
    if (!/^https?:\/\//i.test(target) || !target.includes("SAMLRequest=")) continue;
    try {
      return new URL(target);
    } catch {
      // Not a URL after all: look at the next assignment.
    }
  }
  return undefined;
}

/** The value of a JavaScript string literal's body. */
function unescapeJs(s: string): string {
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_whole, e: string) => {
    if (e.startsWith("u{")) {
      const code = parseInt(e.slice(2, -1), 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    if (e.length > 1 && (e[0] === "u" || e[0] === "x")) return String.fromCharCode(parseInt(e.slice(1), 16));
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", "0": "\0" };
    return simple[e] ?? e;
  });
}
