/**
 * The headers of every response a browser reads from `serve`: the UI's files and the management API's answers
 * (decisions.md "Servers"). The page loads only its own script, style and icon and talks only to its own origin, so a
 * strict Content-Security-Policy costs nothing; no other site may frame it (clickjacking of the role drop-down), and
 * nothing is cached (a role's details and the CSRF token must not outlive the server).
 */

/** For the UI's files: only same-origin scripts, styles, images and requests; no inline code at all. */
export const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/** For the API's JSON and text answers, which are data and never a document. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The security headers shared by the UI and the API; `csp` is UI_CSP or API_CSP. */
export function browserHeaders(csp: string): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  };
}
