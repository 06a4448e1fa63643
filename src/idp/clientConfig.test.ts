import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../domain/errors.js";
import { configuredUrl, oidcClient } from "./clientConfig.js";

/** The code and message `f` throws with; fails when it throws nothing or something else than a RunasError. */
function thrown(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    assert.ok(isRunasError(e), String(e));
    return { code: e.code, message: e.message };
  }
  assert.fail("nothing was thrown");
}

describe("configuredUrl (idp.md §2 step 2)", () => {
  it("parses http and https URLs as written", () => {
    assert.equal(configuredUrl("https://corp.okta.com/home/amazon_aws/0oa1/272?x=1", "saml_auth_url").href, "https://corp.okta.com/home/amazon_aws/0oa1/272?x=1");
    assert.equal(configuredUrl("http://127.0.0.1:8080/realms/r", "web_identity_auth_url").host, "127.0.0.1:8080");
  });

  it("text that is no URL names the setting, never the text (its query could hold a secret)", () => {
    const e = thrown(() => configuredUrl("idp.example.com/sso?token=s3cret", "saml_auth_url"));
    assert.deepEqual(e, { code: "INVALID_CONFIG", message: "invalid client URL: saml_auth_url is not a URL; write it as https://…" });
  });

  it("another scheme is upstream's invalid client URL, naming the scheme", () => {
    const e = thrown(() => configuredUrl("ftp://kc.example.com/x?token=s3cret", "web_identity_auth_url"));
    assert.deepEqual(e, {
      code: "INVALID_CONFIG",
      message: "invalid client URL: web_identity_auth_url starts with ftp:, but must be an http:// or https:// URL",
    });
  });
});

describe("oidcClient", () => {
  it("gives the client id and redirect URI when both are set", () => {
    assert.deepEqual(oidcClient({ url: "https://x", mfaType: "auto", clientId: "c", redirectUri: "app:/cb" }, "the app"), {
      clientId: "c",
      redirectUri: "app:/cb",
    });
  });

  const cases: Array<[string, { clientId?: string; redirectUri?: string }, string]> = [
    ["no client id", { redirectUri: "app:/cb" }, "set web_identity_client_id to the value of the Keycloak client"],
    ["an empty redirect URI", { clientId: "c", redirectUri: "" }, "set web_identity_callback_uri to the value of the Keycloak client"],
    ["neither", {}, "set web_identity_client_id and web_identity_callback_uri to the values of the Keycloak client"],
  ];
  for (const [what, given, wanted] of cases) {
    it(`${what}: INVALID_CONFIG naming what is missing`, () => {
      const e = thrown(() => oidcClient({ url: "https://x", mfaType: "auto", ...given }, "the Keycloak client"));
      assert.deepEqual(e, { code: "INVALID_CONFIG", message: `incomplete Web Identity configuration: ${wanted}` });
    });
  }
});
