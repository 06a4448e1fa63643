import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { isRunasError } from "../../domain/errors.js";
import type { Prompter } from "../../ports.js";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { GOOD_CODE, GOOD_PASSWORD, startOneLoginFake, type OneLoginFake } from "../../../test/fakes/onelogin.js";
import { createHttpSession } from "../httpSession.js";
import type { CookieStore, IdpDeps, IdpSettings, MfaType } from "../types.js";
import { oneloginOidcClient, oneloginSamlClient } from "./oneloginClient.js";

const ROLE = "arn:aws:iam::123456789012:role/OneLoginRole";
const PROVIDER = "arn:aws:iam::123456789012:saml-provider/OneLogin";

/** Cookies in memory, by name, for every URL: enough for one fake host. */
function memoryCookies(): CookieStore {
  const jar = new Map<string, string>();
  return {
    header: () => (jar.size === 0 ? undefined : [...jar].map(([k, v]) => `${k}=${v}`).join("; ")),
    store: async (_url, setCookies) => {
      for (const c of setCookies) {
        const [pair = ""] = c.split(";");
        const eq = pair.indexOf("=");
        if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    },
  };
}

/** A prompter answering from scripts, keeping every prompt it showed. */
function scripted(o: { texts?: string[]; secrets?: string[] } = {}): Prompter & { shown: string[] } {
  const texts = [...(o.texts ?? [])];
  const secrets = [...(o.secrets ?? [])];
  const shown: string[] = [];
  return {
    shown,
    text: async (m) => {
      shown.push(m);
      const next = texts.shift();
      if (next === undefined) throw new Error(`unexpected prompt ${m}`);
      return next;
    },
    secret: async (m) => {
      shown.push(m);
      const next = secrets.shift();
      if (next === undefined) throw new Error(`unexpected prompt ${m}`);
      return next;
    },
  };
}

function deps(prompter: Prompter = scripted()): IdpDeps & { progressLines: string[]; logger: ReturnType<typeof memoryLogger> } {
  const logger = memoryLogger();
  const progressLines: string[] = [];
  const session = createHttpSession({ cookies: memoryCookies(), logger });
  return {
    fetch: session.fetch,
    prompter,
    clock: { now: () => new Date() },
    logger,
    progress: (line) => progressLines.push(line),
    progressLines,
    openBrowser: () => Promise.reject(new Error("no browser expected")),
  };
}

const FAST = { pushIntervalMs: 1 };

describe("oneloginSamlClient", () => {
  let fake: OneLoginFake;
  before(async () => {
    fake = await startOneLoginFake();
  });
  after(async () => {
    await fake.close();
  });
  afterEach(() => {
    assert.deepEqual(fake.violations, []);
    fake.requests.length = 0;
    fake.verifications.length = 0;
  });

  const saml = (username: string, extra: Partial<IdpSettings> = {}): IdpSettings => ({
    url: fake.samlUrl,
    username,
    password: GOOD_PASSWORD,
    mfaType: "auto",
    ...extra,
  });

  it("signs in without MFA and returns the SAMLResponse of the API", async () => {
    const d = deps();
    const assertion = await oneloginSamlClient(saml("testuser"), d, FAST).getAssertion();
    assert.deepEqual(assertion.roles(), [{ role: ROLE, principal: PROVIDER }]);
    assert.equal(assertion.roleSessionName(), "testuser@example.com");
    assert.deepEqual(fake.requests, ["POST /auth/oauth2/v2/token", "POST /api/2/saml_assertion"]);
  });

  const codeCases: Array<[string, string, MfaType, string]> = [
    ["explicit code", "samlcodemfa", "code", "555"],
    ["the default factor (Google Authenticator)", "samlcodemfa", "auto", "555"],
    ["mfa_type in capitals", "samlcodemfa", "CODE" as MfaType, "555"],
    ["code chosen among several factors", "samlmultimfa", "code", "555"],
  ];
  for (const [name, user, mfaType, device] of codeCases) {
    it(`code MFA: ${name}; a wrong code asks again, at the callback path on the API base`, async () => {
      const prompter = scripted({ texts: ["11111", GOOD_CODE] });
      const d = deps(prompter);
      const assertion = await oneloginSamlClient(saml(user, { mfaType }), d, FAST).getAssertion();
      assert.equal(assertion.roles()[0]?.role, ROLE);
      assert.deepEqual(prompter.shown, ["Google Authenticator MFA token code: ", "Google Authenticator MFA token code: "]);
      assert.deepEqual(fake.verifications, [
        { path: "/api/2/saml_assertion/verify_factor", deviceId: device, doNotNotify: true, otp: "11111" },
        { path: "/api/2/saml_assertion/verify_factor", deviceId: device, doNotNotify: true, otp: GOOD_CODE },
      ]);
      assert.deepEqual(d.progressLines, ["the MFA code was rejected, try again"]);
    });
  }

  it("the -o code is used first, without a prompt", async () => {
    const d = deps();
    await oneloginSamlClient(saml("samlcodemfa", { mfaCode: GOOD_CODE }), d, FAST).getAssertion();
    assert.equal(fake.verifications.length, 1);
  });

  const pushCases: Array<[string, string, MfaType]> = [
    ["explicit push", "samlpushmfa", "push"],
    ["the default factor (OneLogin Protect)", "samlpushmfa", "auto"],
    ["the default among several factors", "samlmultimfa", "auto"],
  ];
  for (const [name, user, mfaType] of pushCases) {
    it(`push MFA: ${name}; sends the push once, then polls until approved`, async () => {
      const d = deps();
      const assertion = await oneloginSamlClient(saml(user, { mfaType }), d, FAST).getAssertion();
      assert.equal(assertion.roles()[0]?.role, ROLE);
      assert.deepEqual(
        fake.verifications.map((v) => [v.deviceId, v.doNotNotify]),
        [["666", false], ["666", true], ["666", true]],
      );
      assert.deepEqual(d.progressLines, ["waiting for push approval…"]);
    });
  }

  it("SMS codes are really sent before the code is asked for", async () => {
    const prompter = scripted({ texts: [GOOD_CODE] });
    const d = deps(prompter);
    await oneloginSamlClient(saml("samlsmsmfa"), d, FAST).getAssertion();
    assert.deepEqual(fake.verifications, [
      { path: "/api/2/saml_assertion/verify_factor", deviceId: "777", doNotNotify: false },
      { path: "/api/2/saml_assertion/verify_factor", deviceId: "777", doNotNotify: false, otp: GOOD_CODE },
    ]);
    assert.deepEqual(prompter.shown, ["SMS +1 555 0100 MFA token code: "]);
    assert.deepEqual(d.progressLines, ["OneLogin sent a code to SMS +1 555 0100"]);
  });

  it("auto without a default factor takes the first one", async () => {
    const d = deps(scripted({ texts: [GOOD_CODE] }));
    await oneloginSamlClient(saml("samlnodefault"), d, FAST).getAssertion();
    assert.deepEqual(fake.verifications.map((v) => v.deviceId), ["777", "777"]);
  });

  const failures: Array<[string, IdpSettings | (() => IdpSettings), string, RegExp, Prompter?]> = [
    ["mfa_type none when MFA is required", () => saml("samlcodemfa", { mfaType: "none" }), "IDP_MFA", /^OneLogin requires MFA for this user but mfa_type is none; set mfa_type to auto, code or push$/],
    ["a rejected push", () => saml("samlpushdeny"), "IDP_MFA", /^the push was rejected; run aws-runas again to get a new one$/],
    ["no push factor", () => saml("samlcodemfa", { mfaType: "push" }), "IDP_MFA", /^no push MFA factor is enrolled for this OneLogin user \(found: Google Authenticator\); set mfa_type to code or auto$/],
    ["no factor at all", () => saml("samlnofactors"), "IDP_MFA", /^no active MFA factors found for this OneLogin user; enrol one in OneLogin first$/],
    ["five wrong codes", () => saml("samlcodemfa"), "IDP_MFA", /^MFA failed: 5 codes were rejected/, scripted({ texts: ["1", "2", "3", "4", "5"] })],
    ["three wrong passwords", () => saml("testuser", { password: "wrong-1" }), "IDP_AUTH", /^sign-in failed: the password for testuser was rejected 3 times/, scripted({ secrets: ["wrong-2", "wrong-3"] })],
    ["a missing app_id", () => ({ ...saml("testuser"), url: fake.samlUrl.replace(/app_id=\d+&/, "") }), "INVALID_CONFIG", /^missing app_id query parameter in the OneLogin URL for 127\.0\.0\.1:\d+: add app_id=<id>/],
    ["wrong API credentials", () => ({ ...saml("testuser"), url: fake.samlUrl.replace(fake.token, Buffer.from("client_id:nope").toString("base64")) }), "IDP_AUTH", /^OneLogin refused the API credentials of the token parameter \(HTTP 401: Authentication Failure\)/],
  ];
  for (const [name, make, code, message, prompter] of failures) {
    it(`${name} is one RunasError line without a secret`, async () => {
      const s = typeof make === "function" ? make() : make;
      const d = deps(prompter ?? scripted());
      await assert.rejects(oneloginSamlClient(s, d, FAST).getAssertion(), (e: unknown) => {
        assert.ok(isRunasError(e), String(e));
        assert.equal(e.code, code, e.message);
        assert.match(e.message, message);
        assert.ok(!e.message.includes("\n"));
        for (const secret of [GOOD_PASSWORD, "wrong-1", "client_secret", fake.token]) {
          assert.ok(!e.message.includes(secret) && !d.logger.lines.join("\n").includes(secret), secret);
        }
        return true;
      });
    });
  }

  it("a missing app_id fails before any request", async () => {
    const d = deps();
    const s = { ...saml("testuser"), url: fake.samlUrl.replace(/app_id=\d+&/, "") };
    await assert.rejects(oneloginSamlClient(s, d, FAST).getAssertion(), /missing app_id/);
    assert.deepEqual(fake.requests, []);
  });

  it("three wrong passwords make three sign-in requests, and no more", async () => {
    const before = fake.signIns();
    const d = deps(scripted({ secrets: ["wrong-2", "wrong-3"] }));
    await assert.rejects(oneloginSamlClient(saml("testuser", { password: "wrong-1" }), d, FAST).getAssertion());
    assert.equal(fake.signIns() - before, 3);
  });

  it("asks for the username and the password when the profile has none", async () => {
    const prompter = scripted({ texts: ["testuser"], secrets: [GOOD_PASSWORD] });
    const d = deps(prompter);
    await oneloginSamlClient({ url: fake.samlUrl, mfaType: "auto" }, d, FAST).getAssertion();
    assert.deepEqual(prompter.shown, ["Username: ", "Password: "]);
  });
});

describe("oneloginOidcClient", () => {
  let fake: OneLoginFake;
  before(async () => {
    fake = await startOneLoginFake();
  });
  after(async () => {
    await fake.close();
  });
  afterEach(() => {
    assert.deepEqual(fake.violations, []);
    fake.requests.length = 0;
    fake.verifications.length = 0;
  });

  const oidc = (username: string, extra: Partial<IdpSettings> = {}): IdpSettings => ({
    url: fake.oidcUrl,
    username,
    password: GOOD_PASSWORD,
    mfaType: "auto",
    clientId: fake.oidcClientId,
    redirectUri: "app:/callback",
    ...extra,
  });

  it("signs in through the API when OneLogin shows its sign-in page, then gets the id token", async () => {
    const d = deps();
    const token = await oneloginOidcClient(oidc("nomfa"), d, FAST).getIdToken();
    assert.equal(token.claims.aud, fake.oidcClientId);
    assert.equal(token.claims.sub, "nomfa");
    assert.deepEqual(fake.requests, [
      "GET /oidc/2/auth",
      "GET /login",
      "POST /auth/oauth2/v2/token",
      "POST /api/1/login/auth",
      "POST /session_via_api_token",
      "GET /portal",
      "GET /oidc/2/auth",
      "POST /oidc/2/token",
    ]);
  });

  it("with the OneLogin session of an earlier sign-in, asks for nothing and makes no sign-in", async () => {
    const d = deps();
    const client = oneloginOidcClient(oidc("nomfa"), d, FAST);
    await client.getIdToken();
    const signIns = fake.signIns();
    fake.requests.length = 0;
    await client.getIdToken();
    assert.equal(fake.signIns(), signIns);
    assert.deepEqual(fake.requests, ["GET /oidc/2/auth", "POST /oidc/2/token"]);
  });

  it("code MFA on the v1 callback, host rewritten to the API base and its query kept", async () => {
    const prompter = scripted({ texts: [GOOD_CODE] });
    const d = deps(prompter);
    const token = await oneloginOidcClient(oidc("codemfa", { mfaType: "code" }), d, FAST).getIdToken();
    assert.equal(token.claims.sub, "codemfa");
    assert.deepEqual(fake.verifications, [{ path: "/verify_mfa_local", deviceId: "555", doNotNotify: true, otp: GOOD_CODE }]);
  });

  it("push MFA on the v1 callback", async () => {
    const d = deps();
    const token = await oneloginOidcClient(oidc("pushmfa"), d, FAST).getIdToken();
    assert.equal(token.claims.sub, "pushmfa");
    assert.deepEqual(fake.verifications.map((v) => v.doNotNotify), [false, true, true]);
  });

  const failures: Array<[string, () => IdpSettings, string, RegExp]> = [
    ["no session token", () => oidc("badtoken"), "IDP_ERROR", /^OneLogin accepted the sign-in but gave no session token; run aws-runas again$/],
    ["mfa_type none", () => oidc("codemfa", { mfaType: "none" }), "IDP_MFA", /mfa_type is none/],
    ["no callback URI", () => ({ ...oidc("nomfa"), redirectUri: "" }), "INVALID_CONFIG", /^incomplete Web Identity configuration: set web_identity_callback_uri to the value of the OneLogin OIDC app$/],
    ["no token parameter", () => oidc("nomfa", { url: `${fake.url}/oidc/2` }), "INVALID_CONFIG", /^missing token query parameter/],
  ];
  for (const [name, make, code, message] of failures) {
    it(`${name} is one RunasError line`, async () => {
      const run = async () => oneloginOidcClient(make(), deps(), FAST).getIdToken();
      await assert.rejects(run(), (e: unknown) => {
        assert.ok(isRunasError(e), String(e));
        assert.equal(e.code, code, e.message);
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it("an authorization request OneLogin refuses is one line naming the settings to check", async () => {
    await assert.rejects(oneloginOidcClient(oidc("nomfa", { clientId: "other" }), deps(), FAST).getIdToken(), (e: unknown) => {
      assert.ok(isRunasError(e));
      assert.match(e.message, /^OneLogin refused the authorization request to 127\.0\.0\.1:\d+ \(HTTP 400\); check web_identity_client_id/);
      return true;
    });
    assert.deepEqual(fake.violations, ["GET /oidc/2/auth: client_id must be myClientId"]);
    fake.violations.length = 0;
  });
});
