/**
 * The SAMLResponse the fake identity providers hand out: an unsigned SAML 2.0 Response as real IdPs send AWS, with
 * the current IssueInstant (aws-runas reuses an assertion only until IssueInstant + 4 minutes). Every AttributeValue
 * carries xsi:type, which moto's parser needs to read the value; moto accepts exactly one Role value, so several
 * roles are meant for listing tests only.
 */
import { randomBytes } from "node:crypto";

const ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role";
const SESSION_NAME_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
const SESSION_DURATION_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/SessionDuration";

export interface SamlResponseSpec {
  /** The IdP's entity id. */
  issuer: string;
  /** NameID and RoleSessionName. */
  sessionName: string;
  /** Role attribute values, each `role-arn,principal-arn` (either order). */
  roles: string[];
  /** SessionDuration in seconds; left out when undefined. */
  durationSeconds?: number;
  /** Where the Response is posted: AWS's sign-in endpoint unless told. */
  destination?: string;
}

/** The Response as XML text. */
export function samlResponseXml(o: SamlResponseSpec): string {
  const now = new Date();
  const later = new Date(now.getTime() + 5 * 60_000);
  const value = (v: string): string =>
    `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escapeXml(v)}</saml2:AttributeValue>`;
  const attribute = (name: string, values: string[]): string =>
    `<saml2:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values.map(value).join("")}</saml2:Attribute>`;
  const destination = o.destination ?? "https://signin.aws.amazon.com/saml";
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" Destination="${escapeXml(destination)}" ` +
    `ID="R${randomBytes(8).toString("hex")}" IssueInstant="${now.toISOString()}" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">${escapeXml(o.issuer)}</saml2:Issuer>` +
    `<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>` +
    `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="A${randomBytes(8).toString("hex")}" ` +
    `IssueInstant="${now.toISOString()}" Version="2.0">` +
    `<saml2:Issuer>${escapeXml(o.issuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escapeXml(o.sessionName)}</saml2:NameID></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${later.toISOString()}">` +
    `<saml2:AudienceRestriction><saml2:Audience>urn:amazon:webservices</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AttributeStatement>` +
    attribute(ROLE_ATTRIBUTE, o.roles) +
    attribute(SESSION_NAME_ATTRIBUTE, [o.sessionName]) +
    (o.durationSeconds === undefined ? "" : attribute(SESSION_DURATION_ATTRIBUTE, [String(o.durationSeconds)])) +
    `</saml2:AttributeStatement></saml2:Assertion></saml2p:Response>`
  );
}

/** The Response base64-encoded, as the SAMLResponse form field carries it. */
export function samlResponseBase64(o: SamlResponseSpec): string {
  return Buffer.from(samlResponseXml(o)).toString("base64");
}

/** The auto-submitting HTML form an IdP answers the browser with, posting `samlResponse` to `action`. */
export function samlPostPage(samlResponse: string, action = "https://signin.aws.amazon.com/saml"): string {
  return (
    `<!DOCTYPE html><html><body onload="document.forms[0].submit()">` +
    `<form method="POST" action="${escapeXml(action)}">` +
    `<input type="hidden" name="SAMLResponse" value="${samlResponse}"/><input type="hidden" name="RelayState" value=""/>` +
    `<noscript><input type="submit" value="Continue"/></noscript></form></body></html>`
  );
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
