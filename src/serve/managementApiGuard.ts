/**
 * The same-origin guard of the management API's POST and PUT routes (decisions.md "Servers"). The API switches
 * profiles and receives passwords and MFA codes, and any web page the user visits can send requests to 127.0.0.1:
 * a cross-site form post needs no preflight, so the Host check alone does not stop it. Three checks, each enough on
 * its own against a browser:
 *   - `X-CSRF-Token` must equal this server's token, which only the server's own page carries (a custom header also
 *     forces a CORS preflight that this server never answers with an Allow-Origin);
 *   - an `Origin` header, when present, must be this server's origin;
 *   - `Sec-Fetch-Site`, when present, must be `same-origin` or `none` (a navigation the user typed).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Builds the check for one server's token; it returns why a request is refused, or undefined to let it through. */
export function sameOriginGuard(csrfToken: string): (req: IncomingMessage) => string | undefined {
  const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();
  const expected = digest(csrfToken);
  // Comparing digests keeps the comparison constant-time whatever the header's length.
  const tokenMatches = (given: string): boolean => timingSafeEqual(digest(given), expected);

  return (req) => {
    const given = single(req.headers["x-csrf-token"]);
    if (given === undefined || given === "") {
      return "the X-CSRF-Token header is missing: use the web page of this server (scripts read the token from its csrf-token meta tag)";
    }
    if (!tokenMatches(given)) {
      return "the X-CSRF-Token header is wrong: reload the web page of this server (the token changes with every start)";
    }
    const origin = single(req.headers.origin);
    const host = (single(req.headers.host) ?? "").toLowerCase();
    if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
      return `requests from another origin are refused: only pages of http://${host} may change the profile`;
    }
    const site = single(req.headers["sec-fetch-site"]);
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return `cross-site requests are refused (Sec-Fetch-Site: ${site}): use the web page of this server`;
    }
    return undefined;
  };
}

/** Node joins a repeated header's values with ", ", so a repeated token or Origin never matches and is refused. */
function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}
