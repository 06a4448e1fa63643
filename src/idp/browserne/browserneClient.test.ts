import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { startSamlIdp, type SamlIdp } from "../../../test/fakes/samlIdp.js";
import { playSamlSignIn, type SamlPlayEnd, type SamlPlayOptions } from "../../../test/helpers/samlBrowserPlayer.js";
import { isRunasError } from "../../domain/errors.js";
import type { IdpDeps, IdpSettings } from "../types.js";
import { browserneSamlClient } from "./browserneClient.js";

const ROLE = "arn:aws:iam::123456789012:role/Admin";
const PROVIDER = "arn:aws:iam::123456789012:saml-provider/Corp";
const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
const NOW = new Date("2024-05-01T12:00:00Z");

/** The AuthnRequest carried by a redirect URL, as the IdP reads it. */
function authnRequest(redirectUrl: string): { id: string; acs: string; issuer: string; destination: string; instant: string } {
  const encoded = new URL(redirectUrl).searchParams.get("SAMLRequest") ?? "";
  const doc = new DOMParser().parseFromString(inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8"), "text/xml");
  const root = doc.documentElement;
  assert.ok(root !== null && root.namespaceURI === SAMLP && root.localName === "AuthnRequest");
  return {
    id: root.getAttribute("ID") ?? "",
    acs: root.getAttribute("AssertionConsumerServiceURL") ?? "",
    issuer: doc.getElementsByTagNameNS(SAML, "Issuer")[0]?.textContent ?? "",
    destination: root.getAttribute("Destination") ?? "",
    instant: root.getAttribute("IssueInstant") ?? "",
  };
}

/** Deps whose browser is `browse` (started, not awaited, as a real browser is), recording what the user is told. */
function deps(browse: ((url: string) => Promise<unknown>) | undefined): { d: IdpDeps; progress: string[]; opened: string[] } {
  const progress: string[] = [];
  const opened: string[] = [];
  const d: IdpDeps = {
    fetch: async () => assert.fail("browserne makes no HTTP request of its own"),
    prompter: {
      text: async () => assert.fail("no prompt expected"),
      secret: async () => assert.fail("no prompt expected"),
    },
    clock: { now: () => NOW },
    logger: memoryLogger(),
    progress: (line) => progress.push(line),
    openBrowser: async (url) => {
      opened.push(url);
      if (browse === undefined) return false;
      browse(url).catch(() => undefined);
      return true;
    },
  };
  return { d, progress, opened };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("the promise did not reject");
}

describe("browserneSamlClient against a real samlp IdP (idp.md §9.2)", () => {
  let idp: SamlIdp;
  before(async () => {
    idp = await startSamlIdp({ roles: [`${ROLE},${PROVIDER}`], sessionName: "dana@example.com" });
  });
  after(() => idp.close());

  const settings = (extra: Partial<IdpSettings> = {}): IdpSettings => ({ url: idp.url, mfaType: "auto", ...extra });

  /** A browser that signs in, keeping where it ended. */
  function browser(o: SamlPlayOptions = {}): { browse: (url: string) => Promise<SamlPlayEnd>; ends: Promise<SamlPlayEnd>[] } {
    const ends: Promise<SamlPlayEnd>[] = [];
    return {
      ends,
      browse: (url) => {
        const end = playSamlSignIn(url, o);
        ends.push(end);
        return end;
      },
    };
  }

  it("sends the browser to the IdP with an AuthnRequest and takes the SAMLResponse posted to the local ACS", async () => {
    const b = browser();
    const { d, progress, opened } = deps(b.browse);
    const client = browserneSamlClient(settings(), d);
    assert.equal(client.vendor, "browserne");
    const assertion = await client.getAssertion();

    assert.deepEqual(assertion.roles(), [{ role: ROLE, principal: PROVIDER }]);
    assert.equal(assertion.roleSessionName(), "dana@example.com");
    assert.equal(opened.length, 1);
    const url = opened[0] ?? "";
    assert.deepEqual(progress, [`open this URL to sign in: ${url}`]);
    assert.ok(url.startsWith(`${idp.url}?SAMLRequest=`), url);

    const request = authnRequest(url);
    const port = new URL(request.acs).port;
    assert.deepEqual(request, {
      id: request.id,
      acs: `http://localhost:${port}/saml/acs`,
      issuer: `http://localhost:${port}/saml/metadata`,
      destination: idp.url,
      instant: "2024-05-01T12:00:00Z",
    });
    assert.match(request.id, /^id-[0-9a-f]{40}$/);

    // The IdP answered this very request, at the listener, and the browser got the success page.
    const xml = Buffer.from(assertion.base64, "base64").toString("utf8");
    const response = new DOMParser().parseFromString(xml, "text/xml").documentElement;
    assert.equal(response?.getAttribute("InResponseTo"), request.id);
    const end = await b.ends[0];
    assert.equal(end?.postedTo?.href, request.acs);
    assert.equal(end?.samlResponse, assertion.base64);
    assert.deepEqual([end?.url.href, end?.status], [`http://localhost:${port}/success`, 200]);
    assert.match(end?.body ?? "", /Signed in: aws-runas has the SAML response/);
  });

  it("uses saml_auth_entityid as the Issuer when it is set", async () => {
    const { d, opened } = deps(browser().browse);
    await browserneSamlClient(settings({ entityId: "urn:amazon:webservices:corp" }), d).getAssertion();
    assert.equal(authnRequest(opened[0] ?? "").issuer, "urn:amazon:webservices:corp");
  });

  it("every assertion is a new sign-in on a new port", async () => {
    const { d, opened } = deps(browser().browse);
    const client = browserneSamlClient(settings(), d);
    await client.getAssertion();
    await client.getAssertion();
    assert.equal(opened.length, 2);
    assert.notEqual(authnRequest(opened[0] ?? "").acs, authnRequest(opened[1] ?? "").acs);
  });

  it("says so when no browser could be started, and still takes the sign-in done from the printed URL", async () => {
    const { d, progress } = deps(undefined);
    const pending = browserneSamlClient(settings(), d).getAssertion();
    while (progress.length < 2) await new Promise((resolve) => setImmediate(resolve));
    const url = (progress[0] ?? "").replace("open this URL to sign in: ", "");
    assert.deepEqual(progress, [
      `open this URL to sign in: ${url}`,
      "no browser could be started: open the URL above in a browser on this machine",
    ]);
    await playSamlSignIn(url);
    assert.deepEqual((await pending).roles(), [{ role: ROLE, principal: PROVIDER }]);
  });

  it("an empty SAMLResponse form is one clear error, and the browser is told", async () => {
    const b = browser({ emptyForm: true });
    const { d, opened } = deps(b.browse);
    const e = await rejection(browserneSamlClient(settings(), d).getAssertion());
    const acs = authnRequest(opened[0] ?? "").acs;
    assert.ok(isRunasError(e));
    assert.deepEqual(
      { code: e.code, message: e.message },
      {
        code: "IDP_AUTH",
        message:
          `the identity provider sent no SAMLResponse to ${acs}; check that saml_auth_url is the IdP's SAML ` +
          "sign-in URL for this application and that the sign-in completed",
      },
    );
    const end = await b.ends[0];
    assert.deepEqual([end?.url.pathname, end?.status], ["/fail", 200]);
  });
});

describe("browserneSamlClient without an IdP", () => {
  /** A browser that posts `fields` straight to the ACS named in the AuthnRequest. */
  const poster = (fields: Record<string, string>) => async (url: string) => {
    const acs = authnRequest(url).acs;
    return fetch(acs, { method: "POST", body: new URLSearchParams(fields), redirect: "follow" });
  };

  it("a SAMLResponse that is not base64 is the parser's clear error", async () => {
    const { d } = deps(poster({ SAMLResponse: "not base64!" }));
    const e = await rejection(browserneSamlClient({ url: "https://idp.example.com/sso", mfaType: "auto" }, d).getAssertion());
    assert.ok(isRunasError(e));
    assert.equal(e.code, "SAML_INVALID");
    assert.match(e.message, /^invalid saml assertion: the SAMLResponse is not base64;/);
  });

  it("an abort before the browser comes back is one clear line, and the port is closed", async () => {
    const { d, opened } = deps(async () => undefined);
    const controller = new AbortController();
    const pending = rejection(browserneSamlClient({ url: "https://idp.example.com/sso", mfaType: "auto" }, d).getAssertion(controller.signal));
    while (opened.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const e = await pending;
    assert.ok(isRunasError(e));
    assert.deepEqual(
      { code: e.code, message: e.message },
      { code: "IDP_AUTH", message: "the browser sign-in was cancelled before the SAMLResponse came back" },
    );
    await assert.rejects(fetch(authnRequest(opened[0] ?? "").acs.replace("localhost", "127.0.0.1")), /fetch failed/);
  });
});
