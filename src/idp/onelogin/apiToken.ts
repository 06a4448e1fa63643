/**
 * The OneLogin URL carries the API credentials in its `token` query parameter: base64("<client_id>:<client_secret>"),
 * an aws-runas convention (idp.md §5, seed "OneLogin"). Reading it is pure; the vendor client does the network part.
 */
import { RunasError } from "../../domain/errors.js";

/** What the OneLogin client needs from its configured URL. */
export interface OneLoginUrl {
  /** The URL as configured, minus every `token` parameter: safe to log and to build endpoints from. */
  baseUrl: string;
  /** The API client id (the part of the decoded token before the first `:`). */
  clientId: string;
  /** The API client secret (everything after the first `:`, so a secret containing `:` stays whole, idp.md §13.4). */
  clientSecret: string;
  /** The `subdomain` the login API asks for: the first host label on `*.onelogin.com`, else the whole host name. */
  subdomain: string;
}

const HOW_TO_MAKE =
  "set it to the output of: echo -n 'client_id:client_secret' | base64 (add -w0 on Linux to avoid line breaks)";

/**
 * Splits a OneLogin URL into its base and the API credentials of its `token` parameter. Throws
 * RunasError("INVALID_CONFIG") naming what is wrong; no message ever contains the token or the secret.
 */
export function parseOneLoginUrl(url: string): OneLoginUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    const message = "the OneLogin URL is not a valid URL; write it as https://<host>/oidc/2?token=<token>";
    throw new RunasError("INVALID_CONFIG", message, { cause: e });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new RunasError("INVALID_CONFIG", `the OneLogin URL for ${parsed.hostname} must be an https:// URL`);
  }

  // The query is split by hand: URLSearchParams would turn a raw `+` of the base64 into a space and re-encode the
  // parameters that stay in baseUrl (app_id, region).
  const pairs = parsed.search === "" ? [] : parsed.search.slice(1).split("&");
  const isToken = (pair: string): boolean => queryName(pair) === "token";
  const tokenPair = pairs.find(isToken);
  const eq = tokenPair?.indexOf("=") ?? -1;
  const rawToken = tokenPair === undefined || eq < 0 ? "" : tokenPair.slice(eq + 1);
  if (rawToken === "") {
    throw new RunasError(
      "INVALID_CONFIG",
      `missing token query parameter in the OneLogin URL for ${parsed.hostname}: ` +
        `add the query parameter token=<base64 of client_id:client_secret>; ${HOW_TO_MAKE}`,
    );
  }
  const { clientId, clientSecret } = decodeToken(rawToken, parsed.hostname);

  const base = new URL(parsed.href);
  base.search = pairs.filter((p) => !isToken(p)).join("&");
  return { baseUrl: base.href, clientId, clientSecret, subdomain: subdomainOf(parsed.hostname) };
}

/** The decoded name of one raw `name=value` query pair. */
function queryName(pair: string): string {
  const eq = pair.indexOf("=");
  const raw = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, " ");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Decodes the raw token value. Accepts standard and URL-safe base64, with or without padding, and a `+` that became
 * a space on the way (decisions.md "Seed"); a trailing newline left by `echo` without `-n` is dropped.
 */
function decodeToken(rawValue: string, host: string): { clientId: string; clientSecret: string } {
  const invalid = (why: string, cause?: unknown): RunasError =>
    new RunasError(
      "INVALID_CONFIG",
      `invalid token parameter format in the OneLogin URL for ${host}: ${why}; ${HOW_TO_MAKE}`,
      { cause },
    );

  let value: string;
  try {
    value = decodeURIComponent(rawValue);
  } catch (e) {
    throw invalid("it holds a malformed %-escape", e);
  }
  const text = value.replace(/ /g, "+").replace(/-/g, "+").replace(/_/g, "/");
  const unpadded = text.replace(/={1,2}$/, "");
  if (!/^[A-Za-z0-9+/]+$/.test(unpadded) || unpadded.length % 4 === 1) {
    throw invalid("the token is not base64");
  }

  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(unpadded, "base64"));
  } catch (e) {
    throw invalid("the decoded token is not text", e);
  }
  decoded = decoded.replace(/\r?\n$/, "");
  const colon = decoded.indexOf(":");
  if (colon < 0) {
    throw invalid('the decoded token has no ":" between the client id and the client secret');
  }
  const clientId = decoded.slice(0, colon);
  const clientSecret = decoded.slice(colon + 1);
  if (clientId === "" || clientSecret === "") {
    throw invalid(clientId === "" ? "the client id in the token is empty" : "the client secret in the token is empty");
  }
  return { clientId, clientSecret };
}

/**
 * OneLogin tenants live at `<subdomain>.onelogin.com`; on a custom domain the first label is not the subdomain
 * (idp.md §13.4), so the whole host name is used.
 */
function subdomainOf(hostname: string): string {
  const host = hostname.toLowerCase();
  if (host.endsWith(".onelogin.com")) {
    return host.slice(0, host.indexOf("."));
  }
  return host;
}
