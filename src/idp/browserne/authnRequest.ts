/**
 * The SP-initiated SAML 2.0 AuthnRequest of the `browserne` provider (idp.md §9.2): unsigned, HTTP-Redirect binding,
 * shaped as upstream's crewjam/saml v0.5.1 builds it, so an IdP that accepts upstream's request accepts this one.
 */
import { randomBytes } from "node:crypto";
import { deflateRawSync } from "node:zlib";

const SAML_ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAML_PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
const HTTP_POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const ENTITY_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

/** What the request says and where it goes. */
export interface AuthnRequestInput {
  /** The IdP's SSO URL (saml_auth_url), used as the Destination and as the base of the redirect URL. */
  destination: string;
  /** Where the IdP must POST the SAMLResponse: the local listener's ACS URL. */
  acsUrl: string;
  /** The SP entity id: saml_auth_entityid, or the listener's metadata URL. */
  issuer: string;
  now: Date;
  /** The request ID; a fresh `id-<40 hex>` when absent. */
  id?: string;
}

/** The request as XML, the URL that carries it to the IdP, and its ID (the InResponseTo of the answer). */
export interface AuthnRequest {
  xml: string;
  redirectUrl: string;
  id: string;
}

/**
 * Builds the AuthnRequest and its HTTP-Redirect URL: raw DEFLATE (level 9), base64, query-escaped, appended as
 * `SAMLRequest` to the destination's own query; no RelayState, no signature (idp.md §9.2, §15 case 45).
 */
export function buildAuthnRequest(o: AuthnRequestInput): AuthnRequest {
  const id = o.id ?? `id-${randomBytes(20).toString("hex")}`;
  const xml =
    `<samlp:AuthnRequest xmlns:saml="${SAML_ASSERTION_NS}" xmlns:samlp="${SAML_PROTOCOL_NS}"` +
    ` ID="${escapeXml(id)}" Version="2.0" IssueInstant="${issueInstant(o.now)}"` +
    ` Destination="${escapeXml(o.destination)}" AssertionConsumerServiceURL="${escapeXml(o.acsUrl)}"` +
    ` ProtocolBinding="${HTTP_POST_BINDING}">` +
    `<saml:Issuer Format="${ENTITY_FORMAT}">${escapeXml(o.issuer)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="${EMAIL_FORMAT}" AllowCreate="true"/>` +
    `</samlp:AuthnRequest>`;
  const encoded = encodeURIComponent(deflateRawSync(Buffer.from(xml, "utf8"), { level: 9 }).toString("base64"));
  return { xml, redirectUrl: withQueryParameter(o.destination, `SAMLRequest=${encoded}`), id };
}

/**
 * UTC with milliseconds, trailing zeros trimmed and the dot dropped when none are left: Go's
 * "2006-01-02T15:04:05.999Z07:00", which crewjam/saml writes.
 */
function issueInstant(now: Date): string {
  const iso = now.toISOString();
  const [seconds = iso, millis = ""] = iso.slice(0, -1).split(".");
  const trimmed = millis.replace(/0+$/, "");
  return `${seconds}${trimmed === "" ? "" : `.${trimmed}`}Z`;
}

/**
 * Appends `param` to the URL's raw query with `&`, or starts the query with `?`; the rest of the URL is kept byte for
 * byte (parsing and re-serialising could re-encode what the IdP expects verbatim), and a fragment stays last.
 */
function withQueryParameter(url: string, param: string): string {
  const hash = url.indexOf("#");
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? "" : url.slice(hash);
  const q = base.indexOf("?");
  const separator = q < 0 ? "?" : q === base.length - 1 ? "" : "&";
  return `${base}${separator}${param}${fragment}`;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}
