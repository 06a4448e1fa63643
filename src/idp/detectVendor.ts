import { RunasError } from "../domain/errors.js";
import { providerName, SAML_PROVIDER_NAMES, WEB_IDENTITY_PROVIDER_NAMES } from "../domain/providerNames.js";
import type { Logger } from "../ports.js";
import { configuredUrl } from "./clientConfig.js";
import { networkFailure } from "./httpSession.js";
import type { VendorName } from "./types.js";

/** Hosts the mock provider answers on when the path starts with /mock (idp.md §2.1 step A.4). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const PROBE_TIMEOUT_MS = 3000;

/**
 * The vendor for a URL: `forced` (any case; unknown → RunasError("IDP_UNKNOWN"), listing the valid names); else the
 * host rules; else one probe of the URL (idp.md §2.1, decisions.md "Seed").
 */
export async function detectVendor(
  url: string,
  o: { forced?: string; kind: "saml" | "web"; fetch: typeof globalThis.fetch; timeoutMs?: number; logger: Logger },
): Promise<VendorName> {
  const names: readonly string[] = o.kind === "saml" ? SAML_PROVIDER_NAMES : WEB_IDENTITY_PROVIDER_NAMES;
  const providerKey = o.kind === "saml" ? "saml_provider" : "web_identity_provider";
  const urlKey = o.kind === "saml" ? "saml_auth_url" : "web_identity_auth_url";
  const choices = names.map((n) => (n === "browserne" ? "browserne (or browserNewExperience)" : n)).join(", ");

  const forced = o.forced?.trim() ?? "";
  if (forced !== "") {
    // Every name in those lists is a VendorName (types.ts).
    const vendor = providerName(forced, names) as VendorName | undefined;
    if (vendor === undefined) {
      throw new RunasError(
        "IDP_UNKNOWN",
        `"${forced}" is not a known ${o.kind === "saml" ? "SAML" : "OIDC"} provider; set ${providerKey} to one of ` +
          `${choices}, or remove it to detect the provider from the URL`,
      );
    }
    configuredUrl(url, urlKey);
    o.logger.debug(`identity provider: ${vendor} (set by ${providerKey})`);
    return vendor;
  }

  const target = configuredUrl(url, urlKey);
  const byHost = vendorFromHost(target);
  if (byHost !== undefined) {
    o.logger.debug(`identity provider: ${byHost} (from the host of ${target.origin})`);
    return byHost;
  }
  const probe = await probeUrl(target, o.fetch, o.timeoutMs ?? PROBE_TIMEOUT_MS, o.logger);
  if (probe.vendor !== undefined) {
    o.logger.debug(`identity provider: ${probe.vendor} (from the answer of ${target.origin})`);
    return probe.vendor;
  }
  throw new RunasError(
    "IDP_UNKNOWN",
    `could not tell which identity provider ${target.origin} is (probe saw: ${probe.saw}); ` +
      `set ${providerKey} to one of ${choices}`,
  );
}

/**
 * Vendors known from the host alone, with no I/O (idp.md §2.1 step A). `.microsoftonline.com` is added to upstream's
 * `.microsoft.com` because the seed's own Azure AD example is login.microsoftonline.com (decisions.md "Seed").
 */
function vendorFromHost(url: URL): VendorName | undefined {
  const host = url.hostname.toLowerCase();
  if (host.endsWith(".okta.com")) return "okta";
  if (host.endsWith(".onelogin.com")) return "onelogin";
  if (host.endsWith(".microsoft.com") || host.endsWith(".microsoftonline.com")) return "azuread";
  if (LOOPBACK_HOSTS.has(host) && url.pathname.startsWith("/mock")) return "mock";
  return undefined;
}

/**
 * One HEAD of the URL, retried once as GET only when it timed out (a WAF may drop HEAD), following redirects and
 * reading the final answer (idp.md §2.1 step B). `saw` says what came back, for the error message.
 */
async function probeUrl(
  url: URL,
  fetch: typeof globalThis.fetch,
  timeoutMs: number,
  logger: Logger,
): Promise<{ vendor?: VendorName; saw: string }> {
  const where = `${url.origin}${url.pathname}`;
  const seconds = `${timeoutMs / 1000} s`;
  let response: Response | undefined;
  for (const method of ["HEAD", "GET"]) {
    logger.debug(`detecting the identity provider: ${method} ${where}`);
    try {
      response = await fetch(url, { method, redirect: "follow", signal: AbortSignal.timeout(timeoutMs) });
      break;
    } catch (e) {
      if (!isTimeout(e)) return { saw: networkFailure(e, url) };
      logger.debug(`detecting the identity provider: no answer to ${method} ${where} within ${seconds}`);
    }
  }
  if (response === undefined) return { saw: `no answer to HEAD or GET within ${seconds}` };
  try {
    const vendor = vendorFromResponse(response);
    if (vendor !== undefined) return { vendor, saw: `HTTP ${response.status}` };
    const final = response.redirected ? ` after redirects to ${finalPlace(response.url)}` : "";
    return { saw: `HTTP ${response.status}${final}, no identifying headers or cookies` };
  } finally {
    await response.body?.cancel().catch(() => undefined);
  }
}

/**
 * The vendor an answer identifies, checked in upstream's order (idp.md §2.1 step B). The ForgeRock header names are
 * matched in any case: HTTP header names are case-insensitive, so a lower-cased list means the same.
 */
function vendorFromResponse(response: Response): VendorName | undefined {
  const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
  if (allowed.includes("x-openam-") || allowed.includes("mfa-fr-token")) return "forgerock";
  if ((response.headers.get("x-okta-request-id") ?? "") !== "") return "okta";
  if ((response.headers.get("x-ms-request-id") ?? "") !== "") return "azuread";
  for (const cookie of response.headers.getSetCookie()) {
    const eq = cookie.indexOf("=");
    if (eq < 0) continue;
    const name = cookie.slice(0, eq).trim().toLowerCase();
    if (name === "kc_restart") return "keycloak";
    if (name.includes("_onelogin.com")) return "onelogin";
  }
  return undefined;
}

function isTimeout(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "TimeoutError";
}

function finalPlace(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "an unreadable address";
  }
}
