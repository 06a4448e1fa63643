/**
 * Where a ForgeRock AM deployment and its realm sit in the configured URL, and the endpoints built from them
 * (idp.md §7). Pure: the vendor client does the network part.
 */
import { RunasError } from "../../domain/errors.js";

/** What the ForgeRock client needs from its configured URL. */
export interface ForgerockUrl {
  /** The AM deployment URL, everything before `/json/`, `/oauth2/` or `/WSFederationServlet/`: `https://host/auth`. */
  baseUrl: string;
  /** The realm names from the top, joined with `/`: `root/alpha` for `…/realms/root/realms/alpha`. */
  realm: string;
  /** The realm as AM's REST and OAuth 2.0 paths spell it: `/realms/root/realms/alpha`. */
  realmPath: string;
  /** The IdP-initiated SAML URL of the realm's hosted IdP `saml-idp`; `entityId` defaults to AWS's SP entity id. */
  samlInitUrl(entityId?: string): string;
  /** `<base>/oauth2<realmPath>/authorize`. */
  authorizeUrl: string;
  /** `<base>/oauth2<realmPath>/access_token`. */
  tokenUrl: string;
  /** `<base>/json<realmPath>/authenticate`: the authentication tree endpoint. */
  authenticateUrl: string;
}

/** The path segments AM's base URL ends before, in the order upstream looks for them (idp.md §7). */
const BASE_MARKERS = ["json", "oauth2", "WSFederationServlet"] as const;
/** The hosted IdP alias and SP entity id upstream always used (idp.md §7.2); only the entity id is configurable. */
const HOSTED_IDP_ALIAS = "saml-idp";
const AWS_SP_ENTITY_ID = "urn:amazon:webservices";
const FORMS =
  "write it as https://<host>/<deployment>/oauth2/realms/<realm> (OIDC) or " +
  "https://<host>/<deployment>/json/realms/<realm> (SAML); a nested realm as …/realms/root/realms/<realm>";

/**
 * Reads the base URL and realm of a ForgeRock URL: the seed's `…/oauth2/realms/<realm>`, the SAML
 * `…/json/realms/<realm>[/…]`, nested `…/realms/root/realms/alpha` (kept whole, idp.md §13.6) and
 * `…/WSFederationServlet/metaAlias/<realm>/<alias>`. Throws RunasError("INVALID_CONFIG") naming what is missing.
 */
export function parseForgerockUrl(url: string): ForgerockUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new RunasError("INVALID_CONFIG", `the ForgeRock URL "${url}" is not a valid URL; ${FORMS}`, { cause: e });
  }
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new RunasError("INVALID_CONFIG", `the ForgeRock URL ${shown} must be an https:// URL; ${FORMS}`);
  }

  const segments = parsed.pathname.split("/");
  const realms = realmsIn(segments);
  if (realms === undefined) {
    throw new RunasError("INVALID_CONFIG", `the ForgeRock URL ${shown} names no realm; ${FORMS}`);
  }
  const markerAt = BASE_MARKERS.map((m) => segments.indexOf(m)).find((i) => i > 0);
  if (markerAt === undefined) {
    throw new RunasError(
      "INVALID_CONFIG",
      `the ForgeRock URL ${shown} has no /json/, /oauth2/ or /WSFederationServlet/ part to find the AM deployment ` +
        `from; ${FORMS}`,
    );
  }

  const baseUrl = parsed.origin + segments.slice(0, markerAt).join("/");
  const realmPath = realms.map((r) => `/realms/${encodeURIComponent(r)}`).join("");
  // A hosted IdP's metaAlias names its realm from below the top-level realm, which REST paths call "root".
  const samlRealms = realms[0] === "root" ? realms.slice(1) : realms;
  const metaAlias = `/${[...samlRealms, HOSTED_IDP_ALIAS].map(queryValue).join("/")}`;
  const samlInitUrl = (entityId?: string): string => {
    const spEntityId = entityId === undefined || entityId === "" ? AWS_SP_ENTITY_ID : entityId;
    return `${baseUrl}/idpssoinit?metaAlias=${metaAlias}&spEntityID=${queryValue(spEntityId)}`;
  };
  return {
    baseUrl,
    realm: realms.join("/"),
    realmPath,
    samlInitUrl,
    authorizeUrl: `${baseUrl}/oauth2${realmPath}/authorize`,
    tokenUrl: `${baseUrl}/oauth2${realmPath}/access_token`,
    authenticateUrl: `${baseUrl}/json${realmPath}/authenticate`,
  };
}

/**
 * The realm names of the path, from the top: each `realms/<name>` pair from the first `realms` segment on; without
 * one, what follows `metaAlias/` (whose last segment is the entity alias, unless it is alone, as upstream read it).
 */
function realmsIn(segments: readonly string[]): string[] | undefined {
  const realms: string[] = [];
  for (let i = segments.indexOf("realms"); i >= 0 && segments[i] === "realms"; i += 2) {
    const name = segments[i + 1];
    if (name === undefined || name === "") {
      break;
    }
    realms.push(decoded(name));
  }
  if (realms.length > 0) {
    return realms;
  }

  const at = segments.indexOf("metaAlias");
  const after = at < 0 ? [] : segments.slice(at + 1).filter((s) => s !== "");
  if (after.length === 0) {
    return undefined;
  }
  const named = after.length === 1 ? after : after.slice(0, -1);
  return ["root", ...named.map(decoded)];
}

/** A path segment with its %-escapes resolved (kept as is when they are malformed). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A query value escaped for `&`, `#`, `+` and the like, keeping `/` and `:` readable as AM's own URLs do. */
function queryValue(text: string): string {
  return encodeURIComponent(text).replace(/%2F/gi, "/").replace(/%3A/gi, ":");
}
