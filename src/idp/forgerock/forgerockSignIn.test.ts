import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { idpHarness } from "../../../test/helpers/idpHarness.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";
import type { IdpSettings } from "../types.js";
import { forgerockSignIn } from "./forgerockSignIn.js";

const AUTHENTICATE = new URL("https://am.example.com/am/json/realms/root/realms/alpha/authenticate");
const SESSION = JSON.stringify({ tokenId: "AQIC5wFakeToken", successUrl: "/am/console", realm: "/alpha" });
const OTP_STEP = (authId: string) =>
  JSON.stringify({
    authId,
    callbacks: [{ type: "PasswordCallback", output: [{ name: "prompt", value: "One Time Password" }], input: [{ name: "IDToken1", value: "" }] }],
  });

/**
 * Answers AM's requests from a script, in order, and records them as "<query> <body>"; edge cases the fake AM has no
 * user for. Each entry is [status, body].
 */
function scripted(answers: [number, string][], prompts: string[] = []) {
  const seen: string[] = [];
  const { d, progress } = idpHarness(prompts, {
    fetch: async (input, init = {}) => {
      const url = new URL(input);
      seen.push(`${url.search === "" ? "-" : url.searchParams.get("authIndexValue") ?? url.search} ${typeof init.body === "string" ? init.body : ""}`.trim());
      const next = answers.shift();
      if (next === undefined) assert.fail(`unexpected request ${url.href}`);
      return new Response(next[1], { status: next[0] });
    },
  });
  return { d, seen, progress };
}

const settings = (extra: Partial<IdpSettings>): IdpSettings => ({
  url: AUTHENTICATE.href,
  mfaType: "auto",
  username: "alice",
  password: "s3cret",
  ...extra,
});

describe("forgerockSignIn, beyond the fake AM's users", () => {
  it("a code tree that asks again after a wrong code (a retry node) is answered in place, no new tree", async () => {
    const { d, seen, progress } = scripted(
      [
        [200, OTP_STEP("first")],
        [200, OTP_STEP("second")],
        [200, SESSION],
      ],
      ["222222"],
    );
    await forgerockSignIn(settings({ mfaType: "code", mfaCode: "111111" }), d, {})(AUTHENTICATE);
    assert.equal(seen.length, 3);
    assert.equal(seen[0], "mfa_oath_authentication");
    assert.deepEqual(JSON.parse(seen[1]?.slice(2) ?? ""), JSON.parse(OTP_STEP("first").replace('"value":""', '"value":"111111"')));
    assert.deepEqual(JSON.parse(seen[2]?.slice(2) ?? ""), JSON.parse(OTP_STEP("second").replace('"value":""', '"value":"222222"')));
    assert.deepEqual(progress, ["the MFA code was rejected, try again"]);
  });

  it("mfa_type none when the default tree wants more than a password: an IDP_MFA error naming the callbacks", async () => {
    const { d } = scripted([[200, OTP_STEP("x")]]);
    const e = await runasFailure(forgerockSignIn(settings({ mfaType: "none" }), d, {})(AUTHENTICATE));
    assert.deepEqual(e, {
      code: "IDP_MFA",
      message: "ForgeRock's default sign-in asks alice for more than a password (PasswordCallback); set mfa_type to push or code",
    });
  });

  it("a push service that asks for a code instead of polling is an IDP_MFA error", async () => {
    const { d } = scripted([[200, OTP_STEP("x")]]);
    const e = await runasFailure(forgerockSignIn(settings({ mfaType: "push" }), d, {})(AUTHENTICATE));
    assert.deepEqual(e, {
      code: "IDP_MFA",
      message:
        "ForgeRock's push service asks for PasswordCallback instead of waiting for a push; set mfa_type to code, or " +
        "check the mfa_push_authentication tree",
    });
  });

  it("a code service that asks for no code is an IDP_MFA error", async () => {
    const { d } = scripted([[200, JSON.stringify({ authId: "x", callbacks: [{ type: "ChoiceCallback" }] })]]);
    const e = await runasFailure(forgerockSignIn(settings({ mfaType: "code", mfaCode: "1" }), d, {})(AUTHENTICATE));
    assert.equal(e.code, "IDP_MFA");
    assert.match(e.message, /^ForgeRock's code service asks for ChoiceCallback instead of a one-time code;/);
  });

  it("an AM error on the first request (not 401) is one IDP_ERROR line with AM's message, auto does not go on", async () => {
    const { d, seen } = scripted([[500, JSON.stringify({ code: 500, reason: "Internal Server Error", message: "Realm not found" })]]);
    const e = await runasFailure(forgerockSignIn(settings({}), d, {})(AUTHENTICATE));
    assert.deepEqual(e, {
      code: "IDP_ERROR",
      message:
        "ForgeRock refused the push sign-in of alice (HTTP 500: Realm not found); check the ForgeRock URL and realm, or " +
        "run aws-runas with -v for details",
    });
    assert.equal(seen.length, 1);
    assert.ok(!e.message.includes("s3cret"));
  });

  it("a push answered by something else than 200, 400 or 401 is an error", async () => {
    const step = JSON.stringify({ authId: "p", callbacks: [{ type: "PollingWaitCallback", output: [{ name: "waitTime", value: "1000" }] }] });
    const { d } = scripted([
      [200, step],
      [503, "<html>unavailable</html>"],
    ]);
    const e = await runasFailure(forgerockSignIn(settings({ mfaType: "push" }), d, { sleep: async () => undefined })(AUTHENTICATE));
    assert.equal(e.message, "ForgeRock refused the push (HTTP 503); check the ForgeRock URL and realm, or run aws-runas with -v for details");
  });
});
