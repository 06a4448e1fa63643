/**
 * The checks every vendor client makes on its configuration before the first request (idp.md §2 step 2, §3): the
 * configured URL must be an http(s) URL, and an OIDC client needs its client id and redirect URI. Each error names
 * the setting to fix, never its value: a URL's query can hold a secret (OneLogin's `token=`).
 */
import { RunasError } from "../domain/errors.js";
import type { IdpSettings } from "./types.js";

/** The setting a client's URL comes from. */
export type UrlSetting = "saml_auth_url" | "web_identity_auth_url";

/** The configured URL, parsed; upstream's `invalid client URL` for anything that is not an http(s) URL. */
export function configuredUrl(url: string, setting: UrlSetting): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new RunasError("INVALID_CONFIG", `invalid client URL: ${setting} is not a URL; write it as https://…`, { cause: e });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new RunasError(
      "INVALID_CONFIG",
      `invalid client URL: ${setting} starts with ${parsed.protocol}, but must be an http:// or https:// URL`,
    );
  }
  return parsed;
}

/**
 * The client id and redirect URI of an OIDC sign-in. INVALID_CONFIG naming the missing settings otherwise; `source`
 * says where their values are found (e.g. "the Keycloak client").
 */
export function oidcClient(s: IdpSettings, source: string): { clientId: string; redirectUri: string } {
  const clientId = s.clientId ?? "";
  const redirectUri = s.redirectUri ?? "";
  const missing = [
    ...(clientId === "" ? ["web_identity_client_id"] : []),
    ...(redirectUri === "" ? ["web_identity_callback_uri"] : []),
  ];
  if (missing.length > 0) {
    throw new RunasError(
      "INVALID_CONFIG",
      `incomplete Web Identity configuration: set ${missing.join(" and ")} to the ${missing.length > 1 ? "values" : "value"} ` +
        `of ${source}`,
    );
  }
  return { clientId, redirectUri };
}
