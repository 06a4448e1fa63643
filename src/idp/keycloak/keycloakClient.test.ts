import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { GOOD_PASSWORD, OTP_CODE, startKeycloakFake, type KeycloakFake } from "../../../test/fakes/keycloak.js";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { fakeSettings, type IdpHarness, idpHarness, jarDir } from "../../../test/helpers/idpHarness.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";
import { detectVendor } from "../detectVendor.js";
import type { IdpDeps, IdpSettings } from "../types.js";
import { keycloakFederatedSignIn, keycloakOidcClient, keycloakSamlClient } from "./keycloakClient.js";
import { formsOf } from "./loginForm.js";

/** Puts a session of `user` into the harness's cookie jar, as a browser that signed in before. */
async function seedSession(kc: KeycloakFake, h: IdpHarness, user: string): Promise<void> {
  await h.cookies.store(new URL(kc.oidcUrl), [`${kc.sessionCookieFor(user)}; Path=${kc.cookiePath}`]);
}

describe("the Keycloak client against the fake realm (idp.md §6, §15 cases 38–39)", () => {
  let kc: KeycloakFake;
  /** Spent form actions posted again: none, unless a test provokes them. */
  let expiredAtStart = 0;
  let expiredWanted = 0;
  before(async () => {
    kc = await startKeycloakFake();
  });
  after(() => kc.close());
  beforeEach(() => {
    expiredAtStart = kc.expiredPages();
    expiredWanted = 0;
  });
  afterEach(() => {
    assert.deepEqual(kc.violations, [], "the client spoke Keycloak's protocol");
    assert.equal(kc.expiredPages() - expiredAtStart, expiredWanted, "no form action was posted twice");
    kc.requests.length = 0;
  });

  const { saml, oidc } = fakeSettings(() => kc, { username: "nomfa", password: GOOD_PASSWORD });
  const P = (p: string): string => `/auth/realms/myrealm${p}`;
  const SAML_GET = `GET ${P("/protocol/saml/clients/amazon-aws")}`;
  const AUTH_GET = `GET ${P("/protocol/openid-connect/auth")}`;
  const LOGIN_POST = `POST ${P("/login-actions/authenticate")}`;
  const TOKEN_POST = `POST ${P("/protocol/openid-connect/token")}`;

  /** No secret of the sign-in in any line the user or the debug log saw, nor in `messages`. */
  const noSecrets = (h: IdpHarness, extra: string[] = [], messages: string[] = []): void => {
    const seen = [...h.progress, ...h.logger.lines, ...h.prompts, ...messages].join("\n");
    for (const secret of [GOOD_PASSWORD, OTP_CODE, ...kc.secrets, ...extra]) {
      assert.ok(!seen.includes(secret), `leaked ${secret.slice(0, 12)}…: ${seen}`);
    }
  };

  /** Both protocols, for the cases idp.md §15 case 38 wants on each. */
  const flows = [
    {
      name: "SAML",
      run: async (h: IdpHarness, extra: Partial<IdpSettings> = {}): Promise<string> => {
        const a = await keycloakSamlClient(saml(extra), h.d).getAssertion();
        assert.deepEqual(a.roles(), [{ role: kc.role, principal: kc.principal }]);
        assert.equal(a.roleSessionName(), extra.username ?? "nomfa");
        return a.base64;
      },
      start: [SAML_GET],
      end: [] as string[],
    },
    {
      name: "OIDC",
      run: async (h: IdpHarness, extra: Partial<IdpSettings> = {}): Promise<string> => {
        const t = await keycloakOidcClient(oidc(extra), h.d).getIdToken();
        assert.equal(t.claims.iss, kc.oidcUrl);
        assert.equal(t.claims.aud, kc.clientId);
        assert.equal(t.claims.preferred_username, extra.username ?? "nomfa");
        return t.jwt;
      },
      start: [AUTH_GET],
      end: [TOKEN_POST],
    },
  ];

  for (const flow of flows) {
    describe(flow.name, () => {
      it("nomfa from an empty cookie jar: signs in on the first run with exactly one password POST", async () => {
        const h = idpHarness();
        const before = kc.signIns();
        const secret = await flow.run(h);
        assert.equal(kc.signIns() - before, 1);
        assert.deepEqual(kc.requests, [...flow.start, LOGIN_POST, ...flow.end]);
        assert.deepEqual(h.prompts, []);
        assert.deepEqual(h.progress, []);
        noSecrets(h, [secret]);
        assert.ok(h.logger.lines.some((l) => l.startsWith("DEBUG keycloak: signing in as nomfa at ")), h.logger.lines.join("\n"));
      });

      it("codemfa: a wrong -o code is rejected, the prompted one signs in", async () => {
        const h = idpHarness([OTP_CODE]);
        const otpBefore = kc.otpPosts();
        const secret = await flow.run(h, { username: "codemfa", mfaCode: "543210" });
        assert.deepEqual(h.prompts, ["MFA token code: "]);
        assert.deepEqual(h.progress, ["the MFA code was rejected, try again"]);
        assert.equal(kc.otpPosts() - otpBefore, 2);
        assert.deepEqual(kc.requests, [...flow.start, LOGIN_POST, LOGIN_POST, LOGIN_POST, ...flow.end]);
        noSecrets(h, [secret, "543210"]);
      });

      it("a bad password rejected 3 times is one IDP_AUTH error after exactly 3 sign-ins, each on a fresh login page", async () => {
        const h = idpHarness(["bad-2", "bad-3"]);
        const before = kc.signIns();
        const e = await runasFailure(flow.run(h, { password: "bad-1" }));
        assert.deepEqual(e, {
          code: "IDP_AUTH",
          message:
            "sign-in failed: the password for nomfa was rejected 3 times; check the username and password " +
            "(aws-runas password <profile> replaces a stored one)",
        });
        assert.equal(kc.signIns() - before, 3);
        assert.deepEqual(h.prompts, ["Password: ", "Password: "]);
        assert.deepEqual(kc.requests, [...flow.start, LOGIN_POST, ...flow.start, LOGIN_POST, ...flow.start, LOGIN_POST]);
        noSecrets(h, ["bad-1", "bad-2", "bad-3"], [e.message]);
        assert.ok(
          h.logger.lines.includes("DEBUG keycloak: the login form came back: Invalid username or password."),
          h.logger.lines.join("\n"),
        );
      });

      it("a wrong password, then the right one", async () => {
        const h = idpHarness([GOOD_PASSWORD]);
        await flow.run(h, { password: "badPassword" });
        assert.deepEqual(h.progress, ["the password for nomfa was rejected, try again"]);
        assert.deepEqual(kc.requests, [...flow.start, LOGIN_POST, ...flow.start, LOGIN_POST, ...flow.end]);
      });

      it("codemfa with no code available (five empty answers) is one IDP_MFA error", async () => {
        const h = idpHarness(["", "", "", "", ""]);
        const otpBefore = kc.otpPosts();
        const e = await runasFailure(flow.run(h, { username: "codemfa" }));
        assert.deepEqual(e, {
          code: "IDP_MFA",
          message: "MFA failed: 5 codes were rejected; check the device (and its clock) and run aws-runas again",
        });
        assert.equal(kc.otpPosts() - otpBefore, 0, "empty codes are not sent");
        assert.equal(h.prompts.length, 5);
      });

      it("a prompter that fails: its error surfaces, for the password and for the MFA code", async () => {
        const closed = new Error("the terminal was closed");
        await assert.rejects(flow.run(idpHarness([closed]), { password: undefined }), (e) => e === closed);
        const before = kc.signIns();
        await assert.rejects(flow.run(idpHarness([closed]), { username: "codemfa" }), (e) => e === closed);
        assert.equal(kc.signIns() - before, 1);
      });

      it("mfa_type = none while Keycloak asks for an OTP code is an error saying what to set", async () => {
        const e = await runasFailure(flow.run(idpHarness(), { username: "codemfa", mfaType: "none" }));
        assert.deepEqual(e, {
          code: "IDP_MFA",
          message: "Keycloak requires an OTP code for codemfa, but mfa_type is none; set mfa_type to auto or code",
        });
      });

      it("a KEYCLOAK_SESSION cookie already in the jar skips the login: no password POST, no prompt", async () => {
        const h = idpHarness();
        await seedSession(kc, h, "nomfa");
        const before = kc.signIns();
        await flow.run(h, { password: undefined });
        assert.equal(kc.signIns(), before);
        assert.deepEqual(kc.requests, [...flow.start, ...flow.end]);
        assert.deepEqual(h.prompts, []);
      });

      it("a second client sharing the cookie jar directory signs in no more", async () => {
        const dir = jarDir();
        await flow.run(idpHarness([], { dir }), { username: "codemfa", mfaCode: OTP_CODE });
        kc.requests.length = 0;
        const before = kc.signIns();
        const h = idpHarness([], { dir });
        await flow.run(h, { username: "codemfa", password: "wrong-and-unused" });
        assert.equal(kc.signIns(), before);
        assert.deepEqual(kc.requests, [...flow.start, ...flow.end]);
        assert.deepEqual(h.prompts, []);
      });

      it("prompts for the missing username and password", async () => {
        const h = idpHarness(["nomfa", GOOD_PASSWORD]);
        await flow.run(h, { username: undefined, password: undefined });
        assert.deepEqual(h.prompts, ["Username: ", "Password: "]);
      });
    });
  }

  it("a form action Keycloak has already used ends in one IDP_ERROR line naming the status and the host", async () => {
    const h = idpHarness();
    const replaying: IdpDeps = {
      ...h.d,
      // A session that sends every login POST twice, as a double-click would: the second finds the action spent.
      fetch: async (input, init) => {
        if (init?.method === "POST" && String(input).includes("/login-actions/")) await (await h.d.fetch(input, init)).text();
        return h.d.fetch(input, init);
      },
    };
    const e = await runasFailure(keycloakSamlClient(saml(), replaying).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_ERROR",
      message: `Keycloak answered the sign-in with HTTP 400 Bad Request at ${new URL(kc.origin).host}; run aws-runas again, or with -v for details`,
    });
    expiredWanted = 1;
  });

  it("SAML: an unknown client name is upstream's SAML request error, with what to check", async () => {
    const url = kc.samlUrl.replace("amazon-aws", "no-such-client");
    const e = await runasFailure(keycloakSamlClient(saml({ url }), idpHarness().d).getAssertion());
    assert.deepEqual(e, {
      code: "IDP_ERROR",
      message:
        `SAML request error http status 400 at ${kc.origin}${P("/protocol/saml/clients/no-such-client")}; check that saml_auth_url is ` +
        "<keycloak>/realms/<realm>/protocol/saml/clients/<IdP-initiated SSO URL name>",
    });
    assert.deepEqual(kc.violations, ["protocol/saml/clients/no-such-client: no client has this IdP-initiated SSO URL name"]);
    kc.violations.length = 0;
  });

  it("OIDC: a client id Keycloak does not know ends in one error line, no loop and no sign-in", async () => {
    const before = kc.signIns();
    const e = await runasFailure(keycloakOidcClient(oidc({ clientId: "someOtherClient" }), idpHarness().d).getIdToken());
    assert.equal(e.code, "IDP_ERROR");
    assert.match(
      e.message,
      /^the authorization request to 127\.0\.0\.1:\d+ did not redirect back to the client \(http status 400 Bad Request\); check web_identity_auth_url/,
    );
    assert.equal(kc.signIns(), before);
    assert.deepEqual(kc.violations, ["openid-connect/auth: client_id wrong"]);
    kc.violations.length = 0;
  });

  it("OIDC: a realm URL with a trailing slash works", async () => {
    const t = await keycloakOidcClient(oidc({ url: `${kc.oidcUrl}/` }), idpHarness().d).getIdToken();
    assert.equal(t.claims.iss, kc.oidcUrl);
    assert.deepEqual(kc.requests, [AUTH_GET, LOGIN_POST, TOKEN_POST]);
  });

  it("OIDC without a client id or callback URI is a configuration error", async () => {
    assert.deepEqual(await runasFailure(keycloakOidcClient(oidc({ clientId: undefined }), idpHarness().d).getIdToken()), {
      code: "INVALID_CONFIG",
      message: "incomplete Web Identity configuration: set web_identity_client_id to the value of the Keycloak client",
    });
    assert.deepEqual(await runasFailure(keycloakOidcClient(oidc({ redirectUri: "" }), idpHarness().d).getIdToken()), {
      code: "INVALID_CONFIG",
      message: "incomplete Web Identity configuration: set web_identity_callback_uri to the value of the Keycloak client",
    });
    assert.equal((await runasFailure(keycloakSamlClient(saml({ url: "ftp://kc.example.com/x" }), idpHarness().d).getAssertion())).code, "INVALID_CONFIG");
    assert.deepEqual(kc.requests, []);
  });

  describe("federated sign-in (Azure AD guests, idp.md §8.2)", () => {
    const wreply = "https://login.microsoftonline.com/login.srf";
    const fields = (html: string, page: URL): Map<string, string> => {
      const form = formsOf(html, page)[0];
      assert.ok(form !== undefined, html);
      assert.equal(form.action.href, wreply);
      return new Map(form.inputs.map((i) => [i.name ?? "", i.value ?? ""]));
    };

    it("a signed-in user gets the form that posts back to Azure AD, with wa, wresult and the echoed wctx", async () => {
      const h = idpHarness();
      await seedSession(kc, h, "nomfa");
      const url = new URL(`${kc.federationUrl(wreply)}&wctx=LoginOptions%3D3%26estsredirect%3D2`);
      const end = await keycloakFederatedSignIn(saml({ password: undefined }), h.d).signInAt(url);
      assert.equal(end.response.status, 200);
      assert.equal(end.url.href, url.href);
      const f = fields(await end.response.text(), end.url);
      assert.equal(f.get("wa"), "wsignin1.0");
      assert.match(f.get("wresult") ?? "", /<saml:NameIdentifier [^>]*>nomfa<\/saml:NameIdentifier>/);
      assert.equal(f.get("wctx"), "LoginOptions=3&estsredirect=2");
      assert.deepEqual(kc.requests, [`GET ${P("/protocol/wsfed")}`]);
      assert.deepEqual(h.prompts, []);
    });

    it("without a session: the login form (with the OTP step), then the form that posts back to Azure AD", async () => {
      const h = idpHarness([OTP_CODE]);
      const before = kc.signIns();
      const end = await keycloakFederatedSignIn(saml({ username: "codemfa" }), h.d).signInAt(new URL(kc.federationUrl(wreply)));
      const f = fields(await end.response.text(), end.url);
      assert.match(f.get("wresult") ?? "", />codemfa<\/saml:NameIdentifier>/);
      assert.equal(f.has("wctx"), false);
      assert.equal(kc.signIns() - before, 1);
      assert.deepEqual(kc.requests, [`GET ${P("/protocol/wsfed")}`, LOGIN_POST, LOGIN_POST]);
      noSecrets(h);
    });

    it("a page that is no login form is returned as it is", async () => {
      const h = idpHarness();
      const url = new URL(kc.federationUrl(wreply).replace("wsignin1.0", "wsignout1.0"));
      const end = await keycloakFederatedSignIn(saml(), h.d).signInAt(url);
      assert.equal(end.response.status, 400);
      assert.match(await end.response.text(), /We are sorry/);
      assert.deepEqual(kc.violations, ["protocol/wsfed: wa must be wsignin1.0"]);
      kc.violations.length = 0;
    });
  });
});

describe("both URL layouts: /auth/realms/<realm> (older servers, the seed) and /realms/<realm> (newer)", () => {
  for (const basePath of ["/auth", ""]) {
    describe(`basePath "${basePath}"`, () => {
      let kc: KeycloakFake;
      before(async () => {
        kc = await startKeycloakFake({ basePath, realm: "x" });
      });
      after(() => kc.close());
      afterEach(() => assert.deepEqual(kc.violations, []));

      it("SAML and OIDC sign in", async () => {
        assert.equal(kc.oidcUrl, `${kc.origin}${basePath}/realms/x`);
        const s: IdpSettings = { url: kc.samlUrl, mfaType: "auto", username: "nomfa", password: GOOD_PASSWORD };
        const a = await keycloakSamlClient(s, idpHarness().d).getAssertion();
        assert.equal(a.roles().length, 1);
        const t = await keycloakOidcClient(
          { ...s, url: kc.oidcUrl, clientId: kc.clientId, redirectUri: kc.redirectUri },
          idpHarness().d,
        ).getIdToken();
        assert.equal(t.claims.iss, `${kc.origin}${basePath}/realms/x`);
        assert.deepEqual(kc.requests, [
          `GET ${basePath}/realms/x/protocol/saml/clients/amazon-aws`,
          `POST ${basePath}/realms/x/login-actions/authenticate`,
          `GET ${basePath}/realms/x/protocol/openid-connect/auth`,
          `POST ${basePath}/realms/x/login-actions/authenticate`,
          `POST ${basePath}/realms/x/protocol/openid-connect/token`,
        ]);
      });

      it("detection works against the fake: the SAML URL's login page sets KC_RESTART, the realm URL does not (idp.md §2.1)", async () => {
        const logger = memoryLogger();
        assert.equal(await detectVendor(kc.samlUrl, { kind: "saml", fetch: globalThis.fetch, logger }), "keycloak");
        const head = await fetch(kc.samlUrl, { method: "HEAD" });
        assert.equal(head.status, 200);
        assert.ok(head.headers.getSetCookie().some((c) => c.startsWith("KC_RESTART=")));
        const realm = await fetch(kc.oidcUrl, { method: "HEAD" });
        assert.equal(realm.status, 200);
        assert.deepEqual(realm.headers.getSetCookie(), []);
        assert.deepEqual(kc.requests.slice(-3), [
          `HEAD ${basePath}/realms/x/protocol/saml/clients/amazon-aws`,
          `HEAD ${basePath}/realms/x/protocol/saml/clients/amazon-aws`,
          `HEAD ${basePath}/realms/x`,
        ]);
      });
    });
  }
});
