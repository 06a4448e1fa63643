import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { type AzureAdFake, GOOD_PASSWORD, MFA_CODE, startAzureAdFake } from "../../../test/fakes/azuread.js";
import { fakeSettings, HARNESS_NOW, type IdpHarness, idpHarness, jarDir } from "../../../test/helpers/idpHarness.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";
import type { Clock } from "../../ports.js";
import { followRedirects } from "../httpSession.js";
import type { IdpSettings, MfaType } from "../types.js";
import { azureAdOidcClient, azureAdSamlClient, type AzureAdOptions } from "./azureAdClient.js";

/** Push polls without waiting. */
const FAST: AzureAdOptions = { sleep: async () => undefined };

/** The harness of every vendor client, plus the calls of `d.federate`: where the guest was sent and with which settings. */
interface Harness extends IdpHarness {
  federated: { url: string; s: IdpSettings }[];
}

/**
 * idpHarness, with a `d.federate` whose FederatedSignIn only opens the URL in the same session, following redirects:
 * the fake's stand-in IdP signs anyone in.
 */
function harness(answers: string[] = [], o: { dir?: string; clock?: Clock; federate?: boolean } = {}): Harness {
  const { federate, ...rest } = o;
  const h = idpHarness(answers, rest);
  const federated: { url: string; s: IdpSettings }[] = [];
  if (federate !== false) {
    h.d.federate = async (url, s) => {
      federated.push({ url: url.href, s });
      return {
        vendor: "mock",
        async signInAt(at, signal) {
          const end = await followRedirects(h.session, at, signal === undefined ? {} : { signal });
          assert.ok(!("stoppedAt" in end), "the federated sign-in ended at a redirect");
          return end;
        },
      };
    };
  }
  return { ...h, federated };
}

describe("the Azure AD client against the fake tenant (idp.md §8, §15 cases 42–44)", () => {
  let aad: AzureAdFake;
  before(async () => {
    aad = await startAzureAdFake();
  });
  after(() => aad.close());
  afterEach(() => {
    assert.deepEqual(aad.violations, [], "the client spoke Azure AD's protocol");
    aad.requests.length = 0;
    aad.posts.length = 0;
    aad.mfaMethods.length = 0;
  });

  const { saml, oidc } = fakeSettings(() => aad, { username: "good", password: GOOD_PASSWORD });
  const t = (p: string): string => p.replace("<t>", aad.tenant);
  /**
   * No secret of the sign-in in any line the user or the debug log saw, nor in `messages`. (The fake's password,
   * `good`, is also a username: tests that check for password leaks use wrong passwords, which are distinctive.)
   */
  const noSecrets = (h: Harness, messages: string[] = [], extra: string[] = []): void => {
    const seen = [...h.progress, ...h.logger.lines, ...messages].join("\n");
    for (const secret of [MFA_CODE, ...aad.secrets, ...extra]) {
      assert.ok(!seen.includes(secret), `leaked ${secret.slice(0, 12)}…: ${seen}`);
    }
  };

  describe("member accounts (case 42)", () => {
    it("OIDC from an empty jar: the username alone, then with the password, KMSI, code; then the session serves a second run", async () => {
      const dir = jarDir();
      const h = harness([], { dir });
      const before = aad.signIns();
      const token = await azureAdOidcClient(oidc(), h.d).getIdToken();
      assert.equal(token.claims.aud, aad.clientId);
      assert.equal(token.claims.iss, `https://login.microsoftonline.com/${aad.tenant}/v2.0`);
      assert.equal(token.claims.tid, aad.tenant);
      assert.equal(token.claims.preferred_username, "good@example.com");
      assert.equal(aad.signIns() - before, 1);
      assert.deepEqual(aad.requests, [
        t("GET /<t>/oauth2/v2.0/authorize"),
        t("POST /<t>/login"),
        t("POST /<t>/login"),
        "POST /kmsi",
        t("POST /<t>/oauth2/v2.0/token"),
      ]);
      assert.deepEqual(aad.posts.slice(0, 3), [
        { path: t("/<t>/login"), fields: ["flowToken", "ctx", "login"] },
        { path: t("/<t>/login"), fields: ["flowToken", "ctx", "login", "passwd"] },
        { path: "/kmsi", fields: ["flowToken", "ctx", "LoginOptions"] },
      ]);
      assert.deepEqual(h.prompts, []);
      noSecrets(h, [], [token.jwt]);

      aad.requests.length = 0;
      const second = harness([], { dir });
      const again = await azureAdOidcClient(oidc({ password: "wrong-and-unused" }), second.d).getIdToken();
      assert.equal(again.claims.preferred_username, "good@example.com");
      assert.equal(aad.signIns() - before, 1, "no second sign-in");
      assert.deepEqual(aad.requests, [t("GET /<t>/oauth2/v2.0/authorize"), t("POST /<t>/oauth2/v2.0/token")]);
    });

    it("asks for the username before the first POST and for the password only then", async () => {
      const h = harness(["good", GOOD_PASSWORD]);
      const token = await azureAdOidcClient(oidc({ username: undefined, password: undefined }), h.d).getIdToken();
      assert.equal(token.claims.preferred_username, "good@example.com");
      assert.deepEqual(h.prompts, ["Username: ", "Password: "]);
      noSecrets(h, [], [token.jwt]);
    });

    it("a wrong password three times is one IDP_AUTH error, after exactly 3 password POSTs", async () => {
      const h = harness(["bad-pass-2", "bad-pass-3"]);
      const before = aad.signIns();
      const e = await runasFailure(azureAdSamlClient(saml({ password: "bad-pass-1" }), h.d).getAssertion());
      assert.deepEqual(e, {
        code: "IDP_AUTH",
        message:
          "sign-in failed: the password for good was rejected 3 times; check the username and password " +
          "(aws-runas password <profile> replaces a stored one)",
      });
      assert.equal(aad.signIns() - before, 3);
      assert.deepEqual(
        aad.posts.map((p) => p.fields.includes("passwd")),
        [false, true, true, true],
      );
      assert.deepEqual(h.prompts, ["Password: ", "Password: "]);
      assert.deepEqual(h.progress, ["the password for good was rejected, try again", "the password for good was rejected, try again"]);
      noSecrets(h, [e.message], ["bad-pass-1", "bad-pass-2", "bad-pass-3"]);
    });

    it("a wrong password then the right one signs in, posting with the flow token of the error page", async () => {
      const h = harness([GOOD_PASSWORD]);
      const a = await azureAdSamlClient(saml({ password: "nope" }), h.d).getAssertion();
      assert.equal(a.roleSessionName(), "good@example.com");
      assert.deepEqual(h.progress, ["the password for good was rejected, try again"]);
    });

    it("skip-MFA-registration: the skip link is opened, then KMSI", async () => {
      const h = harness();
      const a = await azureAdSamlClient(saml({ username: "skipmfa" }), h.d).getAssertion();
      assert.equal(a.roleSessionName(), "skipmfa@example.com");
      assert.deepEqual(aad.requests.slice(2), [
        t("POST /<t>/login"),
        t("POST /<t>/login"),
        t("GET /<t>/SkipMfaRegistration"),
        "POST /kmsi",
      ]);
    });

    it("no KMSI page (OIDC): the password POST's own redirect is the result", async () => {
      const h = harness();
      const token = await azureAdOidcClient(oidc({ username: "nokmsi" }), h.d).getIdToken();
      assert.equal(token.claims.preferred_username, "nokmsi@example.com");
      assert.deepEqual(aad.requests, [
        t("GET /<t>/oauth2/v2.0/authorize"),
        t("POST /<t>/login"),
        t("POST /<t>/login"),
        t("POST /<t>/oauth2/v2.0/token"),
      ]);
    });

    it("no KMSI page (SAML): the password POST's own SAMLResponse page is the result", async () => {
      const h = harness();
      const a = await azureAdSamlClient(saml({ username: "nokmsi" }), h.d).getAssertion();
      assert.equal(a.roleSessionName(), "nokmsi@example.com");
      assert.ok(!aad.requests.includes("POST /kmsi"));
    });

    for (const [user, message] of [
      ["locked", "the account locked is locked (error 50053: too many failed sign-ins); wait, or ask your Azure AD administrator to unlock it"],
      ["disabled", "the account disabled is disabled in Azure AD (error 50057); ask your Azure AD administrator"],
      [
        "expired",
        "the password of expired has expired (error 50055); change it by signing in at Azure AD in a browser, then run aws-runas again",
      ],
      ["nosuchuser", "Azure AD does not know the account nosuchuser (error 50034); check the username"],
    ] as const) {
      it(`${user}: one clear IDP_AUTH line`, async () => {
        const e = await runasFailure(azureAdSamlClient(saml({ username: user }), harness().d).getAssertion());
        assert.deepEqual(e, { code: "IDP_AUTH", message });
      });
    }
  });

  describe("MFA and guests (case 43)", () => {
    it("auto picks the default proof (PhoneAppOTP) and sends the -o code", async () => {
      const h = harness();
      const a = await azureAdSamlClient(saml({ username: "automfa", mfaCode: MFA_CODE }), h.d, FAST).getAssertion();
      assert.equal(a.roleSessionName(), "automfa@example.com");
      assert.deepEqual(aad.mfaMethods, ["PhoneAppOTP"]);
      assert.deepEqual(aad.requests.slice(4), [
        "POST /common/SAS/BeginAuth",
        "POST /common/SAS/EndAuth",
        t("POST /<t>/SAS/ProcessAuth"),
        "POST /kmsi",
      ]);
      assert.deepEqual(aad.posts.find((p) => p.path.endsWith("/ProcessAuth"))?.fields, ["flowToken", "request", "login"]);
      assert.deepEqual(h.prompts, []);
      assert.deepEqual(h.progress, []);
      noSecrets(h);
    });

    it("mfa_type = code with the code typed at the prompt", async () => {
      const h = harness([MFA_CODE]);
      const token = await azureAdOidcClient(oidc({ username: "codemfa", mfaType: "code" }), h.d, FAST).getIdToken();
      assert.equal(token.claims.preferred_username, "codemfa@example.com");
      assert.deepEqual(aad.mfaMethods, ["PhoneAppOTP"]);
      assert.deepEqual(h.prompts, ["MFA token code: "]);
    });

    it("a wrong code is asked again; EndAuth carries the flow token of the previous reply", async () => {
      const h = harness([MFA_CODE]);
      const a = await azureAdSamlClient(saml({ username: "codemfa", mfaType: "code", mfaCode: "97531" }), h.d, FAST).getAssertion();
      assert.equal(a.roleSessionName(), "codemfa@example.com");
      assert.deepEqual(h.prompts, ["MFA token code: "]);
      assert.deepEqual(h.progress, ["the MFA code was rejected, try again"]);
      assert.equal(aad.requests.filter((r) => r === "POST /common/SAS/EndAuth").length, 2);
      noSecrets(h, [], ["97531"]);
    });

    it("no code to be had: one IDP_MFA error, and no empty code is sent", async () => {
      const h = harness(["", "", "", "", ""]);
      const e = await runasFailure(azureAdSamlClient(saml({ username: "codemfa", mfaType: "code" }), h.d, FAST).getAssertion());
      assert.deepEqual(e, {
        code: "IDP_MFA",
        message: "MFA failed: 5 codes were rejected; check the device (and its clock) and run aws-runas again",
      });
      assert.equal(aad.requests.filter((r) => r === "POST /common/SAS/EndAuth").length, 0);
    });

    it("a one-way SMS says a code was sent", async () => {
      const h = harness([MFA_CODE]);
      await azureAdSamlClient(saml({ username: "smsmfa", mfaType: "code" }), h.d, FAST).getAssertion();
      assert.deepEqual(aad.mfaMethods, ["OneWaySMS"]);
      assert.deepEqual(h.progress, ["a code was sent by SMS"]);
    });

    it("push: EndAuth is polled at the page's interval until approved", async () => {
      const h = harness();
      const waits: number[] = [];
      const a = await azureAdSamlClient(saml({ username: "pushmfa" }), h.d, {
        sleep: async (ms) => void waits.push(ms),
      }).getAssertion();
      assert.equal(a.roleSessionName(), "pushmfa@example.com");
      assert.deepEqual(aad.mfaMethods, ["PhoneAppNotification"]);
      assert.equal(aad.requests.filter((r) => r === "POST /common/SAS/EndAuth").length, 3, "2 pending polls, approved on the 3rd");
      assert.deepEqual(waits, [1000, 1000], "oPerAuthPollingInterval of PhoneAppNotification is 1 s");
      assert.deepEqual(h.progress, ["waiting for push approval…"]);
    });

    it("mfa_type = PUSH (any case) chooses the push even when the default is a code", async () => {
      const h = harness();
      await azureAdSamlClient(saml({ username: "codemfa", mfaType: "PUSH" as MfaType }), h.d, FAST).getAssertion();
      assert.deepEqual(aad.mfaMethods, ["PhoneAppNotification"]);
      assert.deepEqual(h.progress, ["waiting for push approval…"]);
    });

    it("push with number matching shows the number", async () => {
      const h = harness();
      await azureAdSamlClient(saml({ username: "pushnumber" }), h.d, FAST).getAssertion();
      assert.deepEqual(h.progress, ["the Authenticator app asks for a number: enter 42", "waiting for push approval…"]);
    });

    it("a denied push is one IDP_MFA error", async () => {
      const e = await runasFailure(azureAdSamlClient(saml({ username: "pushdeny" }), harness().d, FAST).getAssertion());
      assert.deepEqual(e, { code: "IDP_MFA", message: "the push was rejected; run aws-runas again to get a new one" });
    });

    it("mfa_type = none while Azure AD wants MFA is a clear error", async () => {
      const e = await runasFailure(azureAdSamlClient(saml({ username: "codemfa", mfaType: "none" }), harness().d).getAssertion());
      assert.deepEqual(e, { code: "IDP_MFA", message: "Azure AD requires MFA for codemfa; set mfa_type to auto, code or push" });
      assert.equal(aad.requests.filter((r) => r.includes("/SAS/")).length, 0);
    });

    it("mfa_type = push with no push method registered lists what there is", async () => {
      const e = await runasFailure(azureAdSamlClient(saml({ username: "smsmfa", mfaType: "push" }), harness().d).getAssertion());
      assert.deepEqual(e, {
        code: "IDP_MFA",
        message:
          "Azure AD offers smsmfa no MFA method for mfa_type push (PhoneAppNotification); registered: OneWaySMS; " +
          "aws-runas can use PhoneAppNotification, PhoneAppOTP, OneWaySMS: change mfa_type or register one of them",
      });
    });

    it("guest: signs in at the federated IdP as federated_username, posts its answer back, then KMSI", async () => {
      const h = harness();
      const settings = saml({ username: "guest", password: "aad-password", federatedUsername: "guest@partner.example" });
      const a = await azureAdSamlClient(settings, h.d, FAST).getAssertion();
      assert.equal(a.roleSessionName(), "guest@example.com");
      assert.equal(h.federated.length, 1);
      const call = h.federated[0];
      assert.ok(call !== undefined);
      assert.match(call.url, new RegExp(`^${aad.federationUrl}\\?wctx=ctx`));
      assert.deepEqual(call.s, { ...settings, username: "guest@partner.example" });
      assert.deepEqual(aad.requests.slice(2), [
        t("POST /<t>/login"),
        "GET /mock/auth",
        "POST /login.srf",
        "POST /kmsi",
      ]);
      assert.deepEqual(h.progress, ["guest signs in at " + new URL(aad.origin).host + ", the identity provider the account is federated to"]);
      assert.deepEqual(h.prompts, [], "no Azure AD password is asked for a guest");
      noSecrets(h, [], ["aad-password"]);
    });

    it("guest without federated_username: the Azure AD username goes to the federated IdP", async () => {
      const h = harness();
      await azureAdOidcClient(oidc({ username: "guest" }), h.d, FAST).getIdToken();
      assert.equal(h.federated[0]?.s.username, "guest");
    });

    it("guest without a federated sign-in available: a clear error", async () => {
      const e = await runasFailure(azureAdSamlClient(saml({ username: "guest" }), harness([], { federate: false }).d).getAssertion());
      assert.deepEqual(e, {
        code: "IDP_ERROR",
        message:
          `guest signs in at ${new URL(aad.origin).host}, the identity provider the account is federated to, ` +
          "but aws-runas has no sign-in for that identity provider; the account's home identity provider must be one aws-runas supports",
      });
    });
  });

  describe("SAML and OIDC (case 44)", () => {
    it("SAML from the My Apps URL: window.location to the SAML endpoint, sign-in, assertion; a second client on the jar signs in no more", async () => {
      const dir = jarDir();
      const h = harness([], { dir });
      const before = aad.signIns();
      const a = await azureAdSamlClient(saml(), h.d).getAssertion();
      assert.deepEqual(a.roles(), [{ role: aad.role, principal: aad.principal }]);
      assert.equal(a.roleSessionName(), "good@example.com");
      assert.deepEqual(aad.requests, [
        `GET /signin/AWS/${aad.appId}`,
        t("GET /<t>/saml2"),
        t("POST /<t>/login"),
        t("POST /<t>/login"),
        "POST /kmsi",
      ]);
      noSecrets(h, [], [a.base64]);

      aad.requests.length = 0;
      const again = await azureAdSamlClient(saml(), harness([], { dir }).d).getAssertion();
      assert.equal(again.roleSessionName(), "good@example.com");
      assert.equal(aad.signIns() - before, 1);
      assert.deepEqual(aad.requests, [`GET /signin/AWS/${aad.appId}`, t("GET /<t>/saml2")]);
    });

    it("SAML: a My Apps answer with no way on is one error, never an empty assertion", async () => {
      const url = `${aad.origin}/signin/AWS/not-the-app?tenantId=${aad.tenant}`;
      const e = await runasFailure(azureAdSamlClient(saml({ url }), harness().d).getAssertion());
      assert.deepEqual(e, {
        code: "IDP_ERROR",
        message:
          `Azure AD gave no SAMLResponse: ${aad.origin}/signin/AWS/not-the-app answered HTTP 400 with nothing to continue from; ` +
          "check that saml_auth_url is the Enterprise App's User access URL and that the app is assigned to you",
      });
      assert.deepEqual(aad.violations, ["/signin/AWS/not-the-app: no such app not-the-app"]);
      aad.violations.length = 0;
    });

    it("OIDC without a client id or redirect URI is INVALID_CONFIG, before any request", async () => {
      const e = await runasFailure(azureAdOidcClient(oidc({ clientId: undefined }), harness().d).getIdToken());
      assert.deepEqual(e, {
        code: "INVALID_CONFIG",
        message: "incomplete Web Identity configuration: set web_identity_client_id to the value of the Azure AD app registration",
      });
      assert.deepEqual(aad.requests, []);
    });

    it("SAML with a URL that names no tenant is INVALID_CONFIG, before any request", async () => {
      const e = await runasFailure(azureAdSamlClient(saml({ url: `${aad.origin}/signin/AWS/${aad.appId}` }), harness().d).getAssertion());
      assert.equal(e.code, "INVALID_CONFIG");
      assert.deepEqual(aad.requests, []);
    });
  });
});

describe("Azure AD answering KMSI with a self-submitting form (§15 case 42: the form post to /authend)", () => {
  let aad: AzureAdFake;
  before(async () => {
    aad = await startAzureAdFake({ kmsiForm: true });
  });
  after(() => aad.close());
  afterEach(() => {
    assert.deepEqual(aad.violations, []);
    aad.requests.length = 0;
  });

  it("OIDC: the form is submitted and its redirect is the result", async () => {
    const token = await azureAdOidcClient(
      { url: aad.oidcUrl, mfaType: "auto", username: "good", password: GOOD_PASSWORD, clientId: aad.clientId, redirectUri: aad.redirectUri },
      harness().d,
    ).getIdToken();
    assert.equal(token.claims.preferred_username, "good@example.com");
    assert.deepEqual(aad.requests.slice(3), ["POST /kmsi", "POST /authend", `POST /${aad.tenant}/oauth2/v2.0/token`]);
  });

  it("SAML: the form is submitted and its page carries the SAMLResponse", async () => {
    const a = await azureAdSamlClient({ url: aad.samlUrl, mfaType: "auto", username: "good", password: GOOD_PASSWORD }, harness().d).getAssertion();
    assert.deepEqual(a.roles(), [{ role: aad.role, principal: aad.principal }]);
    assert.deepEqual(aad.requests.slice(-2), ["POST /kmsi", "POST /authend"]);
  });
});

describe("Azure AD guests whose federated answer names someone else", () => {
  it("Azure AD's 50034 becomes one line about federated_username", async () => {
    const aad = await startAzureAdFake({ guestFederatedName: "someone-else" });
    try {
      const e = await runasFailure(
        azureAdSamlClient({ url: aad.samlUrl, mfaType: "auto", username: "guest" }, harness().d).getAssertion(),
      );
      assert.deepEqual(e, {
        code: "IDP_AUTH",
        message:
          `Azure AD does not know the account that signed in at ${new URL(aad.origin).host} (error 50034); ` +
          "check federated_username, or ask the directory's administrator to invite it",
      });
      assert.deepEqual(aad.violations, []);
    } finally {
      await aad.close();
    }
  });
});

describe("Azure AD push deadline", () => {
  it("a push never approved ends after 2 minutes of polling at the page's 1 s interval", async () => {
    const aad = await startAzureAdFake({ pushPolls: 10_000 });
    try {
      let now = HARNESS_NOW.getTime();
      const clock = { now: () => new Date(now) };
      const h = harness([], { clock });
      const e = await runasFailure(
        azureAdSamlClient({ url: aad.samlUrl, mfaType: "push", username: "pushmfa", password: GOOD_PASSWORD }, h.d, {
          sleep: async (ms) => void (now += ms),
        }).getAssertion(),
      );
      assert.deepEqual(e, {
        code: "IDP_MFA",
        message: "push not approved within 2 minutes; run aws-runas again, or set mfa_type = code to type a code instead",
      });
      assert.equal(aad.requests.filter((r) => r === "POST /common/SAS/EndAuth").length, 121);
      assert.deepEqual(aad.violations, []);
    } finally {
      await aad.close();
    }
  });
});
