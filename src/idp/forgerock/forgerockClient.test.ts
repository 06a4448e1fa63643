import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import {
  ALLOW_HEADERS,
  type ForgerockFake,
  GOOD_PASSWORD,
  OTP_CODE,
  startForgerockFake,
  UNICODE_PASSWORD,
  UNICODE_USER,
} from "../../../test/fakes/forgerock.js";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { fakeSettings, HARNESS_NOW, type IdpHarness, idpHarness, jarDir } from "../../../test/helpers/idpHarness.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";
import { detectVendor } from "../detectVendor.js";
import type { IdpSettings, MfaType } from "../types.js";
import { rfc2047 } from "./authTree.js";
import {
  forgerockFederatedSignIn,
  forgerockOidcClient,
  forgerockSamlClient,
  type ForgerockOptions,
} from "./forgerockClient.js";

/** Push polls without waiting. */
const FAST: ForgerockOptions = { sleep: async () => undefined };
const PUSH = "?authIndexType=service&authIndexValue=mfa_push_authentication";
const OATH = "?authIndexType=service&authIndexValue=mfa_oath_authentication";

/** A fetch that loses every cookie AM sets, as a browser with cookies blocked would: no sign-in ever sticks. */
const cookieless: typeof globalThis.fetch = async (input, init) => {
  const r = await fetch(input, init);
  const headers = new Headers(r.headers);
  headers.delete("set-cookie");
  return new Response(r.body, { status: r.status, statusText: r.statusText, headers });
};

/** The fake's requests to /authenticate, with their query, the path cut down to what differs. */
function authRequests(fake: ForgerockFake): string[] {
  return fake.requests.filter((r) => r.includes("/authenticate")).map((r) => r.replace(/^POST \/.*\/authenticate/, "POST"));
}

describe("the ForgeRock client against the fake AM, nested realm (idp.md §7, §15 cases 40–41)", () => {
  let fr: ForgerockFake;
  before(async () => {
    fr = await startForgerockFake();
  });
  after(() => fr.close());
  afterEach(() => {
    assert.deepEqual(fr.violations, [], "the client spoke AM's protocol");
    fr.requests.length = 0;
  });

  const { saml, oidc } = fakeSettings(() => fr, { username: "nomfa", password: GOOD_PASSWORD });
  /** No secret of the sign-in in any line the user or the debug log saw, nor in `errors`. */
  const noSecrets = (h: IdpHarness, extra: string[] = [], errors: string[] = []): void => {
    // The port of the fake could spell a code; the origin is not a secret.
    const seen = [...h.progress, ...h.logger.lines, ...errors].join("\n").split(fr.origin).join("<origin>");
    const secrets = [GOOD_PASSWORD, UNICODE_PASSWORD, OTP_CODE, rfc2047(GOOD_PASSWORD), ...fr.issued, ...extra];
    for (const secret of secrets) assert.ok(!seen.includes(secret), `leaked ${secret}: ${seen}`);
  };

  it("case 40: nomfa with auto tries push (401), code (401), then no MFA; SAML follows with the session", async () => {
    const h = idpHarness();
    const before = fr.signIns();
    const a = await forgerockSamlClient(saml(), h.d).getAssertion();
    assert.deepEqual(a.roles(), [{ role: fr.role, principal: fr.principal }]);
    assert.equal(a.roleSessionName(), "nomfa@example.com");
    assert.equal(fr.signIns() - before, 3);
    assert.deepEqual(fr.requests, [
      "GET /auth/idpssoinit",
      "GET /auth/XUI/",
      `POST /auth/json/realms/root/realms/alpha/authenticate${PUSH}`,
      `POST /auth/json/realms/root/realms/alpha/authenticate${OATH}`,
      "POST /auth/json/realms/root/realms/alpha/authenticate",
      "GET /auth/idpssoinit",
    ]);
    assert.deepEqual(h.prompts, []);
    assert.deepEqual(h.progress, []);
    assert.ok(
      h.logger.lines.includes("DEBUG forgerock: AM refused the push service for nomfa, trying a code") &&
        h.logger.lines.includes("DEBUG forgerock: AM refused the code service for nomfa, trying without MFA"),
      h.logger.lines.join("\n"),
    );
    noSecrets(h);
  });

  it("case 40: codemfa with a wrong -o code, then the prompted one: two trees, each from its first request", async () => {
    const h = idpHarness([OTP_CODE]);
    const a = await forgerockSamlClient(saml({ username: "codemfa", mfaType: "code", mfaCode: "111111" }), h.d).getAssertion();
    assert.equal(a.roleSessionName(), "codemfa@example.com");
    assert.deepEqual(authRequests(fr), [`POST${OATH}`, "POST", `POST${OATH}`, "POST"]);
    assert.deepEqual(h.prompts, ["MFA token code: "]);
    assert.deepEqual(h.progress, ["the MFA code was rejected, try again"]);
    noSecrets(h, ["111111"]);
  });

  it("codemfa with auto: push is refused, the -o code is sent to the code service", async () => {
    const h = idpHarness();
    await forgerockSamlClient(saml({ username: "codemfa", mfaCode: OTP_CODE }), h.d).getAssertion();
    assert.deepEqual(authRequests(fr), [`POST${PUSH}`, `POST${OATH}`, "POST"]);
    assert.deepEqual(h.prompts, []);
  });

  it("code MFA: five rejected codes are one IDP_MFA error", async () => {
    const h = idpHarness(["2", "3", "4", "5"]);
    const e = await runasFailure(forgerockSamlClient(saml({ username: "codemfa", mfaType: "code", mfaCode: "1" }), h.d).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_MFA",
      message: "MFA failed: 5 codes were rejected; check the device (and its clock) and run aws-runas again",
    });
    assert.equal(authRequests(fr).length, 10);
  });

  it("auto: an error from the code service that is not a 401 is an error, not a success (idp.md §13.6)", async () => {
    const h = idpHarness();
    const e = await runasFailure(forgerockSamlClient(saml({ username: "codebroken", mfaCode: OTP_CODE }), h.d).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_ERROR",
      message:
        "ForgeRock refused the MFA code (HTTP 500: Unable to verify the one time password); check the ForgeRock URL " +
        "and realm, or run aws-runas with -v for details",
    });
    assert.deepEqual(authRequests(fr), [`POST${PUSH}`, `POST${OATH}`, "POST"]);
    assert.equal(fr.requests.filter((r) => r === "GET /auth/idpssoinit").length, 1, "no SAML request after the error");
  });

  it("case 40: pushmfa completes after the waiting polls; the progress line goes to stderr", async () => {
    const h = idpHarness();
    const a = await forgerockSamlClient(saml({ username: "pushmfa", mfaType: "push" }), h.d, FAST).getAssertion();
    assert.equal(a.roleSessionName(), "pushmfa@example.com");
    assert.deepEqual(authRequests(fr), [`POST${PUSH}`, "POST", "POST", "POST"]);
    assert.deepEqual(h.progress, ["waiting for push approval…"]);
    noSecrets(h);
  });

  it("pushmfa with auto (and mfa_type in upper case) goes straight to the push", async () => {
    const h = idpHarness();
    await forgerockSamlClient(saml({ username: "pushmfa" }), h.d, FAST).getAssertion();
    assert.deepEqual(authRequests(fr), [`POST${PUSH}`, "POST", "POST", "POST"]);
    fr.requests.length = 0;
    await forgerockSamlClient(saml({ username: "pushmfa", mfaType: "PUSH" as MfaType }), idpHarness().d, FAST).getAssertion();
    assert.deepEqual(authRequests(fr), [`POST${PUSH}`, "POST", "POST", "POST"]);
  });

  it("push polls wait AM's waitTime (8 s) by default", async () => {
    const waits: number[] = [];
    await forgerockSamlClient(saml({ username: "pushmfa" }), idpHarness().d, { sleep: async (ms) => void waits.push(ms) }).getAssertion();
    assert.deepEqual(waits, [8000, 8000]);
  });

  for (const mfaType of ["push", "auto"] as const) {
    it(`a denied push is one IDP_MFA error (mfa_type ${mfaType}), with no fall-through to a code`, async () => {
      const e = await runasFailure(forgerockSamlClient(saml({ username: "pushdeny", mfaType }), idpHarness().d, FAST).getAssertion());
      assert.deepEqual(e, { code: "IDP_MFA", message: "the push was rejected; run aws-runas again to get a new one" });
      assert.deepEqual(authRequests(fr), [`POST${PUSH}`, "POST"]);
    });
  }

  it("a push never approved ends at the 2-minute deadline", async () => {
    let now = HARNESS_NOW.getTime();
    const clock = { now: () => new Date(now) };
    const h = idpHarness([], { clock });
    const options: ForgerockOptions = { sleep: async (ms) => void (now += ms) };
    const e = await runasFailure(forgerockSamlClient(saml({ username: "pushforever" }), h.d, options).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_MFA",
      message: "push not approved within 2 minutes; run aws-runas again, or set mfa_type = code to type a code instead",
    });
    assert.equal(authRequests(fr).length, 1 + 16, "one poll every 8 s for 2 minutes");
  });

  it("a shorter deadline and interval can be set", async () => {
    let now = HARNESS_NOW.getTime();
    const clock = { now: () => new Date(now) };
    const options: ForgerockOptions = { sleep: async (ms) => void (now += ms), intervalMs: 1000, deadlineMs: 5000 };
    const e = await runasFailure(forgerockSamlClient(saml({ username: "pushforever" }), idpHarness([], { clock }).d, options).getAssertion());
    assert.equal(e.message, "push not approved within 5 seconds; run aws-runas again, or set mfa_type = code to type a code instead");
    assert.equal(authRequests(fr).length, 1 + 6);
  });

  it("case 40: non-ASCII username and password go RFC 2047 encoded (the fake decodes and checks them)", async () => {
    const h = idpHarness();
    const fed = forgerockFederatedSignIn(
      { url: fr.federationUrl("https://login.microsoftonline.com/login.srf"), mfaType: "none", username: UNICODE_USER, password: UNICODE_PASSWORD },
      h.d,
    );
    const end = await fed.signInAt(new URL(fr.federationUrl("https://login.microsoftonline.com/login.srf")));
    assert.ok((await end.response.text()).includes(`&lt;saml:NameIdentifier&gt;${UNICODE_USER}&lt;/saml:NameIdentifier&gt;`));
    assert.deepEqual(authRequests(fr), ["POST"]);
    noSecrets(h, [rfc2047(UNICODE_PASSWORD)]);
  });

  it("a wrong password is asked again; three rejections are one IDP_AUTH error without the password", async () => {
    const h = idpHarness(["bad-2", "bad-3"]);
    const before = fr.signIns();
    const e = await runasFailure(forgerockSamlClient(saml({ mfaType: "none", password: "bad-1" }), h.d).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_AUTH",
      message:
        "sign-in failed: the password for nomfa was rejected 3 times; check the username and password " +
        "(aws-runas password <profile> replaces a stored one)",
    });
    assert.equal(fr.signIns() - before, 3);
    assert.deepEqual(h.prompts, ["Password: ", "Password: "]);
    noSecrets(h, ["bad-1", "bad-2", "bad-3"], [e.message]);
  });

  it("auto with a wrong password: each attempt runs push, code and no MFA before calling the password wrong", async () => {
    const h = idpHarness([GOOD_PASSWORD]);
    const before = fr.signIns();
    await forgerockSamlClient(saml({ password: "bad-1" }), h.d).getAssertion();
    assert.equal(fr.signIns() - before, 3 + 3);
    assert.deepEqual(h.progress, ["the password for nomfa was rejected, try again"]);
  });

  it("prompts for the missing username and password", async () => {
    const h = idpHarness(["nomfa", GOOD_PASSWORD]);
    await forgerockSamlClient(saml({ username: undefined, password: undefined, mfaType: "none" }), h.d).getAssertion();
    assert.deepEqual(h.prompts, ["Username: ", "Password: "]);
    noSecrets(h);
  });

  it("case 41: SAML from the seed's OIDC URL form too, and the idpssoinit query exactly /alpha/saml-idp", async () => {
    const h = idpHarness();
    await forgerockSamlClient(saml({ url: fr.oidcUrl, mfaType: "none" }), h.d).getAssertion();
    // The fake refuses any other query (a violation, checked after each test).
    assert.deepEqual(fr.requests.filter((r) => r.includes("idpssoinit")), ["GET /auth/idpssoinit", "GET /auth/idpssoinit"]);
  });

  it("SAML: the session of a first run serves a second run without any sign-in", async () => {
    const dir = jarDir();
    await forgerockSamlClient(saml({ mfaType: "none" }), idpHarness([], { dir }).d).getAssertion();
    const before = fr.signIns();
    fr.requests.length = 0;
    const a = await forgerockSamlClient(saml({ password: "wrong-and-unused" }), idpHarness([], { dir }).d).getAssertion();
    assert.equal(a.roles().length, 1);
    assert.equal(fr.signIns(), before);
    assert.deepEqual(fr.requests, ["GET /auth/idpssoinit"]);
  });

  it("case 41: OIDC from scratch: authorize → login UI → one password sign-in → authorize → token", async () => {
    const dir = jarDir();
    const h = idpHarness([], { dir });
    const before = fr.signIns();
    const t = await forgerockOidcClient(oidc({ mfaType: "none" }), h.d).getIdToken();
    assert.equal(fr.signIns() - before, 1);
    assert.deepEqual(fr.requests, [
      "GET /auth/oauth2/realms/root/realms/alpha/authorize",
      "POST /auth/json/realms/root/realms/alpha/authenticate",
      "GET /auth/oauth2/realms/root/realms/alpha/authorize",
      "POST /auth/oauth2/realms/root/realms/alpha/access_token",
    ]);
    assert.equal(t.claims.iss, fr.oidcUrl);
    assert.equal(t.claims.aud, fr.clientId);
    assert.equal(t.claims.subname, "nomfa");
    assert.ok(h.logger.lines.includes("DEBUG forgerock: authorize redirected to /auth/XUI/, signing in"), h.logger.lines.join("\n"));
    noSecrets(h, [t.jwt]);

    // A second run with the same cookie jar: AM's session answers the authorization request straight away.
    fr.requests.length = 0;
    const again = await forgerockOidcClient(oidc({ password: "wrong-and-unused" }), idpHarness([], { dir }).d).getIdToken();
    assert.equal(again.claims.subname, "nomfa");
    assert.equal(fr.signIns() - before, 1);
    assert.deepEqual(fr.requests, [
      "GET /auth/oauth2/realms/root/realms/alpha/authorize",
      "POST /auth/oauth2/realms/root/realms/alpha/access_token",
    ]);
  });

  it("OIDC with push MFA from the SAML URL form", async () => {
    const h = idpHarness();
    const t = await forgerockOidcClient(oidc({ url: fr.samlUrl, username: "pushmfa" }), h.d, FAST).getIdToken();
    assert.equal(t.claims.subname, "pushmfa");
    assert.deepEqual(h.progress, ["waiting for push approval…"]);
  });

  it("OIDC without client id or redirect URI is an INVALID_CONFIG error, before any request", async () => {
    const e = await runasFailure(forgerockOidcClient(oidc({ clientId: "" }), idpHarness().d).getIdToken());
    assert.deepEqual(e, {
      code: "INVALID_CONFIG",
      message: "incomplete Web Identity configuration: set web_identity_client_id to the value of the ForgeRock OAuth 2.0 client",
    });
    assert.deepEqual(fr.requests, []);
  });

  it("OIDC: a client id AM does not know ends in one error line, no loop", async () => {
    const e = await runasFailure(forgerockOidcClient(oidc({ clientId: "someOtherClient" }), idpHarness().d).getIdToken());
    assert.equal(e.code, "IDP_ERROR");
    assert.match(e.message, /^the authorization request to 127\.0\.0\.1:\d+ did not redirect back to the client \(http status 400 Bad Request\)/);
    assert.deepEqual(fr.violations, ["/auth/oauth2/realms/root/realms/alpha/authorize: client_id wrong"]);
    fr.violations.length = 0;
  });

  it("SAML: a sign-in that leaves no session is one error after one sign-in, not a loop", async () => {
    const h = idpHarness([], { send: cookieless });
    const e = await runasFailure(forgerockSamlClient(saml({ mfaType: "none" }), h.d).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_ERROR",
      message:
        `signed in to ForgeRock, but ${fr.origin}/auth/idpssoinit gave no SAMLResponse; check that the realm root/alpha ` +
        "has the hosted IdP saml-idp and that AWS (urn:amazon:webservices) is one of its SPs",
    });
    assert.deepEqual(fr.requests, [
      "GET /auth/idpssoinit",
      "GET /auth/XUI/",
      "POST /auth/json/realms/root/realms/alpha/authenticate",
      "GET /auth/idpssoinit",
      "GET /auth/XUI/",
    ]);
    noSecrets(h, [], [e.message]);
  });

  it("OIDC: a sign-in that leaves no session is one error after one sign-in, not a loop", async () => {
    const h = idpHarness([], { send: cookieless });
    const e = await runasFailure(forgerockOidcClient(oidc({ mfaType: "none" }), h.d).getIdToken());
    assert.deepEqual(e, {
      code: "IDP_AUTH",
      message:
        `signed in to ForgeRock, but ${fr.origin.slice("http://".length)} still sends the sign-in to ${fr.origin}/auth/XUI/; ` +
        "check that the OAuth 2.0 client myClientId exists in the realm root/alpha and that web_identity_callback_uri " +
        "is one of its redirect URIs",
    });
    assert.equal(fr.requests.length, 3);
    noSecrets(h, [], [e.message]);
  });

  it("federated sign-in: a sign-in that leaves no session is an error, not AM's login page handed to Azure AD", async () => {
    const url = fr.federationUrl("https://login.microsoftonline.com/login.srf");
    const h = idpHarness([], { send: cookieless });
    const fed = forgerockFederatedSignIn({ url, mfaType: "none", username: "nomfa", password: GOOD_PASSWORD }, h.d);
    const e = await runasFailure(fed.signInAt(new URL(url)));
    assert.deepEqual(e, {
      code: "IDP_ERROR",
      message:
        `signed in to ForgeRock, but ${fr.origin}/auth/XUI/ answered the federated sign-in with its login page; check ` +
        "that Azure AD is a WS-Federation SP of the realm root/alpha",
    });
  });

  it("an unusable ForgeRock URL is an INVALID_CONFIG error", async () => {
    const e = await runasFailure(forgerockSamlClient(saml({ url: `${fr.origin}/auth/realms/alpha` }), idpHarness().d).getAssertion());
    assert.equal(e.code, "INVALID_CONFIG");
    assert.deepEqual(fr.requests, []);
  });

  it("federated sign-in: signs in, then returns AM's WS-Federation form for Azure AD", async () => {
    const wreply = "https://login.microsoftonline.com/login.srf";
    const url = `${fr.federationUrl(wreply)}&wctx=LoginOptions%3D3%26estsredirect%3D2`;
    const h = idpHarness();
    const fed = forgerockFederatedSignIn({ url, mfaType: "none", username: "nomfa", password: GOOD_PASSWORD }, h.d);
    assert.equal(fed.vendor, "forgerock");
    const end = await fed.signInAt(new URL(url));
    assert.equal(end.response.status, 200);
    assert.equal(end.url.href, url);
    const html = await end.response.text();
    assert.ok(html.includes(`action="${wreply}"`), html);
    assert.ok(html.includes(`name="wa" value="wsignin1.0"`), html);
    assert.ok(html.includes(`name="wctx" value="LoginOptions=3&amp;estsredirect=2"`), html);
    assert.ok(html.includes("&lt;saml:NameIdentifier&gt;nomfa&lt;/saml:NameIdentifier&gt;"), html);
    assert.deepEqual(fr.requests, [
      "POST /auth/json/realms/root/realms/alpha/authenticate",
      "GET /auth/WSFederationServlet/metaAlias/alpha/wsfed-idp",
    ]);
    noSecrets(h);
  });

  it("federated sign-in: each call signs in afresh with the configured mfa_type (auto is not left at none)", async () => {
    const url = fr.federationUrl("https://login.microsoftonline.com/login.srf");
    const fed = forgerockFederatedSignIn({ url, mfaType: "auto", username: "nomfa", password: GOOD_PASSWORD }, idpHarness().d);
    await fed.signInAt(new URL(url));
    await fed.signInAt(new URL(url));
    assert.deepEqual(authRequests(fr), [`POST${PUSH}`, `POST${OATH}`, "POST", `POST${PUSH}`, `POST${OATH}`, "POST"]);
  });

  it("detection: the configured URLs and the federation URL name AM's headers (idp.md §2.1)", async () => {
    for (const url of [fr.oidcUrl, fr.samlUrl, fr.federationUrl("https://login.microsoftonline.com/login.srf")]) {
      const head = await fetch(url, { method: "HEAD" });
      assert.equal(head.headers.get("access-control-allow-headers"), ALLOW_HEADERS);
      const vendor = await detectVendor(url, { kind: "saml", fetch: globalThis.fetch, logger: memoryLogger() });
      assert.equal(vendor, "forgerock");
    }
  });
});

describe("the ForgeRock client against a single-realm AM (/realms/myrealm)", () => {
  let fr: ForgerockFake;
  before(async () => {
    fr = await startForgerockFake({ realmPath: "/realms/myrealm", deployment: "/openam", spEntityId: "urn:example:aws" });
  });
  after(() => fr.close());
  afterEach(() => {
    assert.deepEqual(fr.violations, [], "the client spoke AM's protocol");
    fr.requests.length = 0;
  });

  it("SAML: idpssoinit for metaAlias=/myrealm/saml-idp and the configured SP entity id", async () => {
    const s: IdpSettings = { url: fr.samlUrl, mfaType: "none", username: "nomfa", password: GOOD_PASSWORD, entityId: "urn:example:aws" };
    const a = await forgerockSamlClient(s, idpHarness().d).getAssertion();
    assert.equal(a.roles().length, 1);
    assert.deepEqual(fr.requests, [
      "GET /openam/idpssoinit",
      "GET /openam/XUI/",
      "POST /openam/json/realms/myrealm/authenticate",
      "GET /openam/idpssoinit",
    ]);
  });

  it("OIDC with the seed's URL form", async () => {
    const s: IdpSettings = {
      url: fr.oidcUrl,
      mfaType: "code",
      mfaCode: OTP_CODE,
      username: "codemfa",
      password: GOOD_PASSWORD,
      clientId: fr.clientId,
      redirectUri: fr.redirectUri,
    };
    const t = await forgerockOidcClient(s, idpHarness().d).getIdToken();
    assert.equal(t.claims.iss, `${fr.origin}/openam/oauth2/realms/myrealm`);
    assert.equal(t.claims.subname, "codemfa");
  });

  it("federation: the metaAlias URL names the realm from the top (root/myrealm), which AM resolves alike", async () => {
    const url = fr.federationUrl("https://login.microsoftonline.com/login.srf");
    const end = await forgerockFederatedSignIn({ url, mfaType: "none", username: "nomfa", password: GOOD_PASSWORD }, idpHarness().d).signInAt(
      new URL(url),
    );
    assert.equal(end.response.status, 200);
    assert.deepEqual(fr.requests, [
      "POST /openam/json/realms/root/realms/myrealm/authenticate",
      "GET /openam/WSFederationServlet/metaAlias/myrealm/wsfed-idp",
    ]);
  });
});

describe("the ForgeRock client against upstream's answer shapes (idp.md §7.4)", () => {
  let fr: ForgerockFake;
  before(async () => {
    fr = await startForgerockFake({ upstreamShapes: true });
  });
  after(() => fr.close());
  afterEach(() => {
    assert.deepEqual(fr.violations, [], "the client spoke AM's protocol");
    fr.requests.length = 0;
  });
  const s = (extra: Partial<IdpSettings>): IdpSettings => ({ url: fr.samlUrl, mfaType: "auto", password: GOOD_PASSWORD, ...extra });

  it("a `success` body ends a plain sign-in (auto, nomfa)", async () => {
    const a = await forgerockSamlClient(s({ username: "nomfa" }), idpHarness().d).getAssertion();
    assert.equal(a.roleSessionName(), "nomfa@example.com");
  });

  it("a `success` body ends a code sign-in", async () => {
    await forgerockSamlClient(s({ username: "codemfa", mfaType: "code", mfaCode: OTP_CODE }), idpHarness().d).getAssertion();
    assert.deepEqual(authRequests(fr), [`POST${OATH}`, "POST"]);
  });

  it("a push ended by a JSON code 400 is taken as approved", async () => {
    const h = idpHarness();
    const a = await forgerockSamlClient(s({ username: "pushmfa" }), h.d, FAST).getAssertion();
    assert.equal(a.roleSessionName(), "pushmfa@example.com");
    assert.deepEqual(authRequests(fr), [`POST${PUSH}`, "POST", "POST", "POST"]);
    assert.ok(h.logger.lines.includes("DEBUG forgerock: AM ended the push with code 400, taken as approved (as upstream)"));
  });
});
