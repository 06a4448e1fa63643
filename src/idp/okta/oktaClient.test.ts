import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { DUO_PASSCODE, GOOD_PASSWORD, startOktaFake, TOTP_CODE, type OktaFake } from "../../../test/fakes/okta.js";
import { fakeSettings, HARNESS_NOW, type IdpHarness, idpHarness, jarDir } from "../../../test/helpers/idpHarness.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";
import { joinPath, oktaFederatedSignIn, oktaOidcClient, oktaSamlClient, type OktaOptions } from "./oktaClient.js";

/** Push polls without waiting. */
const FAST: OktaOptions = { sleep: async () => undefined };

describe("the Okta client against the fake org (idp.md §4, §15 cases 27–32)", () => {
  let okta: OktaFake;
  before(async () => {
    okta = await startOktaFake();
  });
  after(() => okta.close());
  afterEach(() => {
    assert.deepEqual(okta.violations, [], "the client spoke Okta's protocol");
    okta.requests.length = 0;
  });

  const { saml, oidc } = fakeSettings(() => okta, { username: "nomfa", password: GOOD_PASSWORD });
  /** No secret of the sign-in in any line the user or the debug log saw. */
  const noSecrets = (h: IdpHarness, extra: string[] = []): void => {
    const seen = [...h.progress, ...h.logger.lines].join("\n");
    for (const secret of [GOOD_PASSWORD, ...okta.sessionTokens, ...extra]) assert.ok(!seen.includes(secret), `leaked: ${seen}`);
  };

  it("SAML, no MFA: the app link sends to the login page, the client signs in and comes back with its session token", async () => {
    const h = idpHarness();
    const before = okta.signIns();
    const a = await oktaSamlClient(saml(), h.d).getAssertion();
    assert.deepEqual(a.roles(), [{ role: okta.role, principal: okta.principal }]);
    assert.equal(a.roleSessionName(), "nomfa@example.com");
    assert.ok(a.base64.length >= 500);
    assert.equal(okta.signIns() - before, 1);
    assert.deepEqual(okta.requests, [
      "GET /home/amazon_aws/0oa1awsapp/272",
      "GET /login/login.htm",
      "POST /api/v1/authn",
      "GET /home/amazon_aws/0oa1awsapp/272",
    ]);
    assert.deepEqual(h.prompts, []);
    noSecrets(h);
    assert.ok(h.logger.lines.includes("DEBUG okta: POST /api/v1/authn"), h.logger.lines.join("\n"));
  });

  it("SAML: the Okta session cookie of a first run serves a second run without any sign-in", async () => {
    const dir = jarDir();
    await oktaSamlClient(saml(), idpHarness([], { dir }).d).getAssertion();
    const before = okta.signIns();
    okta.requests.length = 0;
    const h = idpHarness([], { dir });
    const a = await oktaSamlClient(saml({ password: "wrong-and-unused" }), h.d).getAssertion();
    assert.equal(a.roles().length, 1);
    assert.equal(okta.signIns(), before);
    assert.deepEqual(okta.requests, ["GET /home/amazon_aws/0oa1awsapp/272"]);
  });

  it("as the IdP of an Azure AD guest: signs in, turns the session token into the cookie, returns the form back to Azure AD", async () => {
    const dir = jarDir();
    const wreply = "https://login.microsoftonline.com/login.srf";
    const url = new URL(`${okta.federationUrl(wreply)}&wctx=ctx-123`);
    const h = idpHarness(["codemfa", GOOD_PASSWORD, TOTP_CODE], { dir });
    const before = okta.signIns();
    const page = await oktaFederatedSignIn({ url: url.href, mfaType: "auto" }, h.d).signInAt(url);
    assert.equal(page.response.status, 200);
    const html = await page.response.text();
    assert.match(html, /action="https:\/\/login\.microsoftonline\.com\/login\.srf"/);
    assert.match(html, /name="wctx" value="ctx-123"/);
    assert.match(html, /NameIdentifier&gt;codemfa&lt;/);
    assert.deepEqual(h.prompts, ["Username: ", "Password: ", "MFA token code: "]);
    assert.equal(okta.signIns() - before, 1);
    assert.deepEqual(
      okta.requests.filter((r) => !r.includes("/factors/")),
      [
        "GET /app/office365/0oa1fedapp/sso/wsfed/passive",
        "GET /login/login.htm",
        "POST /api/v1/authn",
        "GET /login/sessionCookieRedirect",
        "GET /app/office365/0oa1fedapp/sso/wsfed/passive",
      ],
    );
    noSecrets(h);

    // The Okta session cookie is in the jar now: the next guest sign-in needs nothing.
    const again = await oktaFederatedSignIn({ url: url.href, mfaType: "auto" }, idpHarness([], { dir }).d).signInAt(url);
    assert.match(await again.response.text(), /name="wresult"/);
    assert.equal(okta.signIns() - before, 1);
  });

  it("prompts for the missing username and password", async () => {
    const h = idpHarness(["nomfa", GOOD_PASSWORD]);
    await oktaSamlClient(saml({ username: undefined, password: undefined }), h.d).getAssertion();
    assert.deepEqual(h.prompts, ["Username: ", "Password: "]);
    noSecrets(h);
  });

  it("a wrong password is asked again; three rejections are one IDP_AUTH error without the password", async () => {
    const h = idpHarness(["bad-2", "bad-3"]);
    const before = okta.signIns();
    const e = await runasFailure(oktaSamlClient(saml({ password: "bad-1" }), h.d).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_AUTH",
      message:
        "sign-in failed: the password for nomfa was rejected 3 times; check the username and password " +
        "(aws-runas password <profile> replaces a stored one)",
    });
    assert.equal(okta.signIns() - before, 3);
    assert.deepEqual(h.prompts, ["Password: ", "Password: "]);
    noSecrets(h, ["bad-1", "bad-2", "bad-3"]);
  });

  it("a wrong password then the right one signs in", async () => {
    const h = idpHarness([GOOD_PASSWORD]);
    const a = await oktaSamlClient(saml({ password: "badPassword" }), h.d).getAssertion();
    assert.equal(a.roles().length, 1);
    assert.deepEqual(h.progress, ["the password for nomfa was rejected, try again"]);
  });

  for (const [user, code, message] of [
    ["badstatus", "IDP_AUTH", "Okta did not complete the sign-in (authentication status UNKNOWN); sign in at Okta in a browser to see why"],
    ["locked", "IDP_AUTH", "Okta did not complete the sign-in (authentication status LOCKED_OUT); sign in at Okta in a browser to see why"],
    [
      "yubikey",
      "IDP_MFA",
      "Okta asks yubikey for MFA, but none of the enrolled factors (Yubikey) can be used by aws-runas; enroll Okta Verify (push) or an authenticator app (TOTP)",
    ],
    [
      "smsonly",
      "IDP_MFA",
      "Okta asks smsonly for MFA, but none of the enrolled factors (sms) can be used by aws-runas; enroll Okta Verify (push) or an authenticator app (TOTP)",
    ],
    ["hardware", "IDP_MFA", "unsupported MFA Type: token:hardware; enroll Okta Verify (push) or an authenticator app (TOTP) at Okta"],
  ] as const) {
    it(`${user}: ${code}, one line`, async () => {
      const e = await runasFailure(oktaSamlClient(saml({ username: user }), idpHarness().d).getAssertion());
      assert.deepEqual(e, { code, message });
    });
  }

  it("code MFA: a wrong -o code is rejected, the prompted one signs in", async () => {
    const h = idpHarness([TOTP_CODE]);
    const a = await oktaSamlClient(saml({ username: "codemfa", mfaCode: "543210" }), h.d).getAssertion();
    assert.equal(a.roleSessionName(), "codemfa@example.com");
    assert.deepEqual(h.prompts, ["MFA token code: "]);
    assert.deepEqual(h.progress, ["the MFA code was rejected, try again"]);
    noSecrets(h, [TOTP_CODE, "543210"]);
  });

  it("code MFA: five rejected codes are one IDP_MFA error", async () => {
    const h = idpHarness(["1", "2", "3", "4"]);
    const e = await runasFailure(oktaSamlClient(saml({ username: "codemfa", mfaCode: "0" }), h.d).getAssertion());
    assert.equal(e.code, "IDP_MFA");
    assert.equal(e.message, "MFA failed: 5 codes were rejected; check the device (and its clock) and run aws-runas again");
  });

  it("mfa_type = none with MFA required is an error saying what to set", async () => {
    const e = await runasFailure(oktaSamlClient(saml({ username: "codemfa", mfaType: "none" }), idpHarness().d).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_MFA",
      message: "Okta requires MFA for codemfa, but mfa_type is none; set mfa_type to auto, code or push",
    });
  });

  it("TOTP + push, auto: the push is chosen and polled until SUCCESS", async () => {
    const h = idpHarness();
    const a = await oktaSamlClient(saml({ username: "pushmfa" }), h.d, FAST).getAssertion();
    assert.equal(a.roleSessionName(), "pushmfa@example.com");
    assert.deepEqual(h.progress, ["waiting for push approval…"]);
    assert.deepEqual(okta.requests.filter((r) => r.includes("/factors/")), [
      "POST /api/v1/authn/factors/54321/verify",
      "POST /api/v1/authn/factors/54321/verify",
    ]);
  });

  it("TOTP + push, mfa_type = code: the TOTP factor is chosen", async () => {
    const h = idpHarness([TOTP_CODE]);
    await oktaSamlClient(saml({ username: "pushmfa", mfaType: "code" }), h.d, FAST).getAssertion();
    assert.deepEqual(okta.requests.filter((r) => r.includes("/factors/")), ["POST /api/v1/authn/factors/12345/verify"]);
  });

  it("push with a number challenge shows the number once", async () => {
    const h = idpHarness();
    await oktaSamlClient(saml({ username: "pushnumber" }), h.d, FAST).getAssertion();
    assert.deepEqual(h.progress, [
      "waiting for push approval…",
      "Okta Verify shows a number challenge: tap 42 on your phone",
    ]);
  });

  for (const [user, message] of [
    ["pushreject", "the push was rejected; run aws-runas again to get a new one"],
    ["pushtimeout", "the Okta Verify push timed out unanswered; run aws-runas again to get a new one"],
  ] as const) {
    it(`${user}: an IDP_MFA error, nothing signed in`, async () => {
      const e = await runasFailure(oktaSamlClient(saml({ username: user }), idpHarness().d, FAST).getAssertion());
      assert.deepEqual(e, { code: "IDP_MFA", message });
    });
  }

  it("a push never answered ends at the 2-minute deadline", async () => {
    let now = HARNESS_NOW.getTime();
    const clock = { now: () => new Date(now) };
    const h = idpHarness([], { clock });
    const e = await runasFailure(
      oktaSamlClient(saml({ username: "pushforever" }), h.d, { sleep: async (ms) => void (now += ms) }).getAssertion(),
    );
    assert.deepEqual(e, {
      code: "IDP_MFA",
      message: "push not approved within 2 minutes; run aws-runas again, or set mfa_type = code to type a code instead",
    });
    assert.equal(okta.requests.filter((r) => r.includes("/factors/")).length, 61, "one poll every 2 s for 2 minutes");
  });

  it("Duo push: frame, prompt, status polled until SUCCESS, result, callback, next", async () => {
    const h = idpHarness();
    const a = await oktaSamlClient(saml({ username: "duopush" }), h.d, FAST).getAssertion();
    assert.equal(a.roleSessionName(), "duopush@example.com");
    const duo = okta.requests.slice(3, -1).map((r) => r.replace(/^POST \/frame\/status\/txid\w+$/, "POST <result_url>"));
    assert.deepEqual(duo, [
      "POST /api/v1/authn/factors/dst1duo/verify",
      "POST /frame/web/v1/auth",
      "POST /frame/prompt",
      "POST /frame/status",
      "POST /frame/status",
      "POST <result_url>",
      "POST /api/v1/authn/factors/dst1duo/lifecycle/duoCallback",
      "POST /api/v1/authn/factors/dst1duo/verify",
    ]);
    assert.deepEqual(h.progress, ["waiting for push approval…"]);
  });

  it("Duo with mfa_type = code sends the passcode; a wrong one is asked again", async () => {
    const h = idpHarness([DUO_PASSCODE]);
    const a = await oktaSamlClient(saml({ username: "duocode", mfaType: "code", mfaCode: "111111" }), h.d, FAST).getAssertion();
    assert.equal(a.roleSessionName(), "duocode@example.com");
    assert.deepEqual(h.prompts, ["Duo MFA token code: "]);
    assert.deepEqual(h.progress, ["the MFA code was rejected, try again"]);
    noSecrets(h, [DUO_PASSCODE]);
  });

  it("Duo denying the push is one IDP_MFA error", async () => {
    const e = await runasFailure(oktaSamlClient(saml({ username: "duofail" }), idpHarness().d, FAST).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_MFA",
      message: "failed to complete multi-factor authentication: Duo denied the request; run aws-runas again",
    });
  });

  it("OIDC: authorize sends to the login page (fromURI), the client signs in, then code, PKCE and token", async () => {
    const h = idpHarness();
    const t = await oktaOidcClient(oidc(), h.d).getIdToken();
    assert.equal(t.jwt.split(".").length, 3);
    assert.equal(t.claims.aud, okta.clientId);
    assert.equal(t.claims.iss, okta.oidcUrl);
    assert.deepEqual(okta.requests, ["GET /oauth2/v1/authorize", "POST /api/v1/authn", "GET /oauth2/v1/authorize", "POST /oauth2/v1/token"]);
    noSecrets(h, [t.jwt]);
  });

  it("OIDC: a custom authorization server with a trailing slash, then the session cookie of the first run", async () => {
    const dir = jarDir();
    const url = `${okta.origin}/oauth2/default/`;
    const first = await oktaOidcClient(oidc({ url, username: "codemfa", mfaCode: TOTP_CODE }), idpHarness([], { dir }).d).getIdToken();
    assert.equal(first.claims.iss, `${okta.origin}/oauth2/default`);
    okta.requests.length = 0;
    const second = await oktaOidcClient(oidc({ url, username: "codemfa" }), idpHarness([], { dir }).d).getIdToken();
    assert.equal(second.claims.sub, "00ucodemfa");
    assert.deepEqual(okta.requests, ["GET /oauth2/default/v1/authorize", "POST /oauth2/default/v1/token"]);
  });

  it("OIDC: a client id Okta does not know ends in one error line, no loop", async () => {
    const e = await runasFailure(oktaOidcClient(oidc({ clientId: "someOtherClient" }), idpHarness().d).getIdToken());
    assert.equal(e.code, "IDP_ERROR");
    assert.match(e.message, /^the authorization request to 127\.0\.0\.1:\d+ did not redirect back to the client \(http status 400 Bad Request\)/);
    assert.deepEqual(okta.violations, ["/oauth2/v1/authorize: client_id wrong"]);
    okta.violations.length = 0;
  });
});

describe("joinPath (idp.md §13 item 12)", () => {
  for (const [base, suffix, want] of [
    ["https://org.okta.com/oauth2", "/v1/authorize", "https://org.okta.com/oauth2/v1/authorize"],
    ["https://org.okta.com/oauth2/", "/v1/token", "https://org.okta.com/oauth2/v1/token"],
    ["https://org.okta.com/oauth2/default//", "v1/token", "https://org.okta.com/oauth2/default/v1/token"],
    ["https://org.okta.com/oauth2?x=1", "/v1/token", "https://org.okta.com/oauth2/v1/token?x=1"],
    ["https://org.okta.com", "/v1/token", "https://org.okta.com/v1/token"],
  ] as const) {
    it(`${base} + ${suffix}`, () => {
      assert.equal(joinPath(new URL(base), suffix).href, want);
    });
  }
});
