import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { buildAuthnRequest } from "./authnRequest.js";

const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
const ACS = "http://localhost:41234/saml/acs";
const NOW = new Date("2024-05-01T12:34:56.780Z");

/** The XML inside the SAMLRequest parameter of a redirect URL, decoded as an IdP decodes it. */
function decodeRedirect(redirectUrl: string): string {
  const encoded = new URL(redirectUrl).searchParams.get("SAMLRequest");
  assert.ok(encoded !== null, `no SAMLRequest in ${redirectUrl}`);
  return inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8");
}

/** Every attribute of an element as a plain object. */
function attributes(el: { attributes: { length: number; item(i: number): { name: string; value: string } | null } }): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (a !== null) out[a.name] = a.value;
  }
  return out;
}

describe("buildAuthnRequest (idp.md §9.2, §15 case 45)", () => {
  it("encodes an unsigned AuthnRequest with every attribute upstream sends", () => {
    const r = buildAuthnRequest({
      destination: "https://idp.example.com/sso/saml",
      acsUrl: ACS,
      issuer: "http://localhost:41234/saml/metadata",
      now: NOW,
      id: "id-0123456789abcdef0123456789abcdef01234567",
    });
    const xml = decodeRedirect(r.redirectUrl);
    assert.equal(xml, r.xml);
    assert.equal(r.id, "id-0123456789abcdef0123456789abcdef01234567");

    const doc = new DOMParser().parseFromString(xml, "text/xml");
    const root = doc.documentElement;
    assert.ok(root !== null);
    assert.equal(root.namespaceURI, SAMLP);
    assert.equal(root.localName, "AuthnRequest");
    assert.deepEqual(attributes(root), {
      "xmlns:saml": SAML,
      "xmlns:samlp": SAMLP,
      ID: "id-0123456789abcdef0123456789abcdef01234567",
      Version: "2.0",
      IssueInstant: "2024-05-01T12:34:56.78Z",
      Destination: "https://idp.example.com/sso/saml",
      AssertionConsumerServiceURL: ACS,
      ProtocolBinding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
    });

    const children = Array.from({ length: root.childNodes.length }, (_, i) => root.childNodes.item(i)).filter(
      (n) => n !== null && n.nodeType === 1,
    );
    assert.deepEqual(
      children.map((n) => `${n?.namespaceURI} ${n?.localName}`),
      [`${SAML} Issuer`, `${SAMLP} NameIDPolicy`],
    );
    const issuer = doc.getElementsByTagNameNS(SAML, "Issuer")[0];
    const policy = doc.getElementsByTagNameNS(SAMLP, "NameIDPolicy")[0];
    assert.ok(issuer !== undefined && policy !== undefined);
    assert.deepEqual(attributes(issuer), { Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity" });
    assert.equal(issuer.textContent, "http://localhost:41234/saml/metadata");
    assert.deepEqual(attributes(policy), {
      Format: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
      AllowCreate: "true",
    });
    assert.equal(policy.childNodes.length, 0);
    assert.ok(!xml.startsWith("<?xml"), "no XML declaration");
    assert.ok(!/ForceAuthn|Signature/.test(xml));
  });

  it("makes a fresh id-<40 lowercase hex> ID for every request", () => {
    const input = { destination: "https://idp.example.com/sso", acsUrl: ACS, issuer: "urn:x", now: NOW };
    const a = buildAuthnRequest(input);
    const b = buildAuthnRequest(input);
    assert.match(a.id, /^id-[0-9a-f]{40}$/);
    assert.match(b.id, /^id-[0-9a-f]{40}$/);
    assert.notEqual(a.id, b.id);
    assert.ok(a.xml.includes(` ID="${a.id}" `));
  });

  const instants: Array<[string, string]> = [
    ["2024-05-01T12:34:56.000Z", "2024-05-01T12:34:56Z"],
    ["2024-05-01T12:34:56.100Z", "2024-05-01T12:34:56.1Z"],
    ["2024-05-01T12:34:56.120Z", "2024-05-01T12:34:56.12Z"],
    ["2024-05-01T12:34:56.123Z", "2024-05-01T12:34:56.123Z"],
    ["2024-12-31T23:59:59.001Z", "2024-12-31T23:59:59.001Z"],
  ];
  for (const [now, expected] of instants) {
    it(`IssueInstant of ${now} is ${expected}`, () => {
      const r = buildAuthnRequest({ destination: "https://i/", acsUrl: ACS, issuer: "e", now: new Date(now), id: "id-1" });
      assert.ok(r.xml.includes(` IssueInstant="${expected}" `), r.xml);
    });
  }

  const destinations: Array<[string, RegExp]> = [
    ["https://idp.example.com/sso", /^https:\/\/idp\.example\.com\/sso\?SAMLRequest=[^&?]+$/],
    ["https://idp.example.com/sso?", /^https:\/\/idp\.example\.com\/sso\?SAMLRequest=[^&?]+$/],
    ["https://idp.example.com/sso?app=aws&x=a%2Fb", /^https:\/\/idp\.example\.com\/sso\?app=aws&x=a%2Fb&SAMLRequest=[^&?#]+$/],
    ["https://idp.example.com/sso?app=1#frag", /^https:\/\/idp\.example\.com\/sso\?app=1&SAMLRequest=[^&?#]+#frag$/],
  ];
  for (const [destination, shape] of destinations) {
    it(`appends SAMLRequest to ${destination}, keeping the rest as written`, () => {
      const r = buildAuthnRequest({ destination, acsUrl: ACS, issuer: "urn:sp", now: NOW, id: "id-2" });
      assert.match(r.redirectUrl, shape);
      assert.equal(decodeRedirect(r.redirectUrl), r.xml);
      assert.ok(r.xml.includes(` Destination="${destination.replace(/&/g, "&amp;")}" `), r.xml);
    });
  }

  it("query-escapes the base64 (+, / and = never appear raw)", () => {
    // This input's base64 holds all three characters (checked below), so the escaping is really exercised.
    const r = buildAuthnRequest({ destination: "https://i/", acsUrl: ACS, issuer: "urn:".padEnd(400, "q~z!"), now: NOW, id: "id-3" });
    const raw = r.redirectUrl.slice(r.redirectUrl.indexOf("SAMLRequest=") + "SAMLRequest=".length);
    const base64 = decodeURIComponent(raw);
    assert.deepEqual([base64.includes("+"), base64.includes("/"), base64.endsWith("=")], [true, true, true]);
    assert.match(raw, /^[A-Za-z0-9%]+$/);
    assert.equal(raw, base64.replace(/\+/g, "%2B").replace(/\//g, "%2F").replace(/=/g, "%3D"));
    assert.equal(base64, Buffer.from(base64, "base64").toString("base64"), "padded standard base64");
  });

  it("escapes XML specials in the entity id and the URLs", () => {
    const r = buildAuthnRequest({
      destination: "https://idp.example.com/sso?a=1&b=<2>",
      acsUrl: ACS,
      issuer: `urn:"sp"&<co>`,
      now: NOW,
      id: "id-4",
    });
    const doc = new DOMParser().parseFromString(r.xml, "text/xml");
    assert.equal(doc.documentElement?.getAttribute("Destination"), "https://idp.example.com/sso?a=1&b=<2>");
    assert.equal(doc.getElementsByTagNameNS(SAML, "Issuer")[0]?.textContent, `urn:"sp"&<co>`);
  });
});
