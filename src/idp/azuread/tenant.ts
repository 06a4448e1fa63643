/**
 * The tenant (and, for SAML, the application) an Azure AD URL names, and the OAuth 2.0 endpoints of that tenant
 * (idp.md §8, decisions.md "Seed"). Pure: the vendor client does the network part.
 */
import { RunasError } from "../../domain/errors.js";

/** What the Azure AD client needs from its configured URL. */
export interface AzureAdUrl {
  /** The directory (tenant) id or domain: from the path of a login URL, else from the `tenantId` query parameter. */
  tenantId: string;
  /** The Enterprise App id: the last path segment of a My Apps URL; absent for a login URL. */
  appId?: string;
  /** `<login host>/<tenant>/oauth2/v2.0/authorize`. */
  authorizeUrl: string;
  /** `<login host>/<tenant>/oauth2/v2.0/token`. */
  tokenUrl: string;
  /** The host of the configured URL as written (with its port, if any). */
  host: string;
}

/**
 * What may follow the tenant in a login URL (lower case): the seed's `/oauth2/v2.0`, its two endpoints, and the
 * v2.0 issuer and discovery paths. The v1 `/oauth2` root is not among them: its tokens carry another issuer.
 */
const LOGIN_TAILS = new Set([
  "",
  "oauth2/v2.0",
  "oauth2/v2.0/authorize",
  "oauth2/v2.0/token",
  "v2.0",
  "v2.0/.well-known/openid-configuration",
]);
/** Where a My Apps host signs in: upstream assumed the public cloud; a US Government host signs in at its own. */
const LOGIN_ORIGINS: readonly [RegExp, string][] = [
  [/(^|\.)(microsoft\.com|windowsazure\.com)$/, "https://login.microsoftonline.com"],
  [/(^|\.)microsoft\.us$/, "https://login.microsoftonline.us"],
];
/** Directory ids are GUIDs or domain names; `common`/`organizations` pass too. Anything else cannot go in a path. */
const TENANT = /^[A-Za-z0-9._-]+$/;
const FORMS =
  "use https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0 (OIDC) or the Enterprise App's User access URL, " +
  "https://myapps.microsoft.com/signin/<app-name>/<app-id>?tenantId=<tenant-id> (SAML)";

/**
 * Reads an Azure AD URL: the seed's login URL `https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0` (tenant from
 * the path), upstream's `?tenantId=<tenant-id>` form, and the My Apps SAML URLs (app id from the path). Throws
 * RunasError("INVALID_CONFIG") saying what is missing.
 */
export function parseAzureAdUrl(url: string): AzureAdUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new RunasError("INVALID_CONFIG", `the Azure AD URL "${url}" is not a valid URL; ${FORMS}`, { cause: e });
  }
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new RunasError("INVALID_CONFIG", `the Azure AD URL ${shown} must be an https:// URL; ${FORMS}`);
  }

  const segments = parsed.pathname.split("/").filter((s) => s !== "");
  const queryTenant = parsed.searchParams.get("tenantId")?.trim() || undefined;
  const host = parsed.hostname.toLowerCase();
  const isTail = (part: readonly string[]): boolean => LOGIN_TAILS.has(part.join("/").toLowerCase());
  const checkedTenant = (tenant: string): string => {
    if (!TENANT.test(tenant)) {
      throw new RunasError(
        "INVALID_CONFIG",
        `the Azure AD URL ${shown} names the tenant "${tenant}", which is not a directory id or domain; ${FORMS}`,
      );
    }
    return tenant;
  };
  const endpoints = (origin: string, tenantId: string): Pick<AzureAdUrl, "authorizeUrl" | "tokenUrl"> => ({
    authorizeUrl: `${origin}/${tenantId}/oauth2/v2.0/authorize`,
    tokenUrl: `${origin}/${tenantId}/oauth2/v2.0/token`,
  });

  // A login URL: always on a login.* host; elsewhere (a fake server, a proxy) when its path has a login shape, unless
  // it is one segment beside a tenantId parameter (upstream's "…/12345?tenantId=…", a My Apps URL with no app name).
  const tenantFirst = !isTail(segments) && isTail(segments.slice(1));
  const loginShaped = isTail(segments) || tenantFirst;
  const loneAppId = segments.length === 1 && queryTenant !== undefined;
  const myApps = /(^|\.)myapps\./.test(host);
  if (!myApps && (host.startsWith("login.") || (loginShaped && !loneAppId))) {
    if (!loginShaped) {
      const message = `the Azure AD URL ${shown} is not a sign-in URL aws-runas knows; ${FORMS}`;
      throw new RunasError("INVALID_CONFIG", message);
    }
    const pathTenant = tenantFirst ? decoded(segments[0] ?? "") : undefined;
    const bothDiffer =
      pathTenant !== undefined && queryTenant !== undefined && pathTenant.toLowerCase() !== queryTenant.toLowerCase();
    if (bothDiffer) {
      throw new RunasError(
        "INVALID_CONFIG",
        `the Azure AD URL ${shown} names the tenant "${pathTenant}" in its path but "${queryTenant}" in tenantId; ` +
          "remove the tenantId parameter",
      );
    }
    const tenant = pathTenant ?? queryTenant;
    if (tenant === undefined) {
      throw new RunasError("INVALID_CONFIG", `the Azure AD URL ${shown} names no tenant; ${FORMS}`);
    }
    const tenantId = checkedTenant(tenant);
    return { tenantId, ...endpoints(parsed.origin, tenantId), host: parsed.host };
  }

  // A My Apps (SAML) URL: upstream's rules, the tenant in the query and the app id as the last of at least two
  // path segments (idp.md §8).
  if (queryTenant === undefined) {
    throw new RunasError(
      "INVALID_CONFIG",
      `tenant ID not found in the Azure AD URL ${shown}: add ?tenantId=<tenant-id>, ` +
        "as in the Enterprise App's User access URL",
    );
  }
  const last = segments.length >= 2 ? segments[segments.length - 1] : undefined;
  if (last === undefined) {
    throw new RunasError(
      "INVALID_CONFIG",
      `app ID not found in the Azure AD URL ${shown}: use the Enterprise App's User access URL, ` +
        "https://myapps.microsoft.com/signin/<app-name>/<app-id>?tenantId=<tenant-id>",
    );
  }
  const tenantId = checkedTenant(queryTenant);
  const loginOrigin = LOGIN_ORIGINS.find(([pattern]) => pattern.test(host))?.[1] ?? parsed.origin;
  return { tenantId, appId: decoded(last), ...endpoints(loginOrigin, tenantId), host: parsed.host };
}

/** A path segment with its %-escapes resolved (kept as is when they are malformed). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
