import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIni } from "../config/ini.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { SettingField } from "../config/settings.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import type { Env } from "../ports.js";
import { originText, settingFindings, settingName } from "./settingSource.js";

function files(config: string, credentials = ""): SharedFiles {
  const paths = { configPath: "/h/.aws/config", credentialsPath: "/h/.aws/credentials", cacheDir: "/h/.aws" };
  return { paths, config: parseIni(config, paths.configPath), credentials: parseIni(credentials, paths.credentialsPath) };
}

const SAML = "[profile s]\nsaml_auth_url = https://idp.example.com/saml\n";

describe("settingName / originText", () => {
  it("names settings by their canonical key, and key-less ones by their credentials-file key", () => {
    assert.equal(settingName("samlEntityId"), "saml_auth_entityid");
    assert.equal(settingName("webIdentityRedirectUri"), "web_identity_redirect_uri");
    assert.equal(settingName("webIdentityPassword"), "web_identity_password");
  });

  it("describes files, variables and flags", () => {
    assert.equal(originText("samlEntityId", { kind: "file", path: "/c", section: "profile s", key: "saml_entity_id", line: 4 }),
      "saml_entity_id in [profile s] of /c, line 4");
    assert.equal(originText("samlEntityId", { kind: "env", name: "SAML_ENTITYID" }), "the environment variable SAML_ENTITYID");
    assert.equal(originText("samlEntityId", { kind: "flag" }), "the flag --saml-entityid");
    assert.equal(originText("roleArn", { kind: "flag" }), "the command line");
  });
});

describe("settingFindings (decisions.md Seed: which spelling was read)", () => {
  const ALL: readonly SettingField[] = ["samlEntityId", "samlProvider", "webIdentityRedirectUri", "webIdentityPassword", "samlAuthUrl"];
  const run = (config: string, env: Env = {}, fields: readonly SettingField[] = ALL) => {
    const f = files(config);
    const p = resolveProfile("s", f, env, {});
    return settingFindings(p, fields, { env, files: f }).map((x) => `${x.level} ${x.message}`);
  };

  it("reports the seed spelling saml_entity_id", () => {
    assert.deepEqual(run(`${SAML}saml_entity_id = urn:amazon:webservices\n`, {}, ["samlEntityId"]), [
      "INFO saml_auth_entityid = urn:amazon:webservices (read from saml_entity_id in [profile s] of /h/.aws/config, line 3)",
    ]);
  });

  it("reports the upstream spelling saml_auth_entityid", () => {
    assert.deepEqual(run(`${SAML}saml_auth_entityid = urn:x\n`, {}, ["samlEntityId"]), [
      "INFO saml_auth_entityid = urn:x (read from saml_auth_entityid in [profile s] of /h/.aws/config, line 3)",
    ]);
  });

  it("reports web_identity_callback_uri as the spelling of the redirect URI", () => {
    assert.deepEqual(run(`${SAML}web_identity_callback_uri = app:/callback\n`, {}, ["webIdentityRedirectUri"]), [
      "INFO web_identity_redirect_uri = app:/callback (read from web_identity_callback_uri in [profile s] of /h/.aws/config, line 3)",
    ]);
  });

  it("warns when both spellings are in the section with different values", () => {
    assert.deepEqual(run(`${SAML}saml_entity_id = urn:seed\nsaml_auth_entityid = urn:upstream\n`, {}, ["samlEntityId"]), [
      "INFO saml_auth_entityid = urn:upstream (read from saml_auth_entityid in [profile s] of /h/.aws/config, line 4)",
      "WARN [profile s] of /h/.aws/config has both saml_auth_entityid (line 4) and saml_entity_id (line 3) with " +
        "different values; saml_auth_entityid is used, so remove saml_entity_id",
    ]);
  });

  it("says nothing more when both spellings agree", () => {
    assert.equal(run(`${SAML}saml_entity_id = urn:x\nsaml_auth_entityid = urn:x\n`, {}, ["samlEntityId"]).length, 1);
  });

  it("names the environment variable read: SAML_ENTITYID, SAML_PROFILE, WEB_IDENTITY_PASSWORD", () => {
    assert.deepEqual(run(SAML, { SAML_ENTITYID: "urn:env", SAML_PROFILE: "okta", WEB_IDENTITY_PASSWORD: "pw-secret" }), [
      "INFO saml_auth_entityid = urn:env (read from the environment variable SAML_ENTITYID)",
      "INFO saml_provider = okta (read from the environment variable SAML_PROFILE)",
      "INFO web_identity_password is set (read from the environment variable WEB_IDENTITY_PASSWORD)",
      "INFO saml_auth_url = https://idp.example.com/saml (read from saml_auth_url in [profile s] of /h/.aws/config, line 2)",
    ]);
  });

  it("names the other spellings of the variables: SAML_ENTITY_ID, SAML_PROVIDER, WEB_PASSWORD", () => {
    assert.deepEqual(run(SAML, { SAML_ENTITY_ID: "urn:env", SAML_PROVIDER: "okta", WEB_PASSWORD: "pw-secret" }).slice(0, 3), [
      "INFO saml_auth_entityid = urn:env (read from the environment variable SAML_ENTITY_ID)",
      "INFO saml_provider = okta (read from the environment variable SAML_PROVIDER)",
      "INFO web_identity_password is set (read from the environment variable WEB_PASSWORD)",
    ]);
  });

  it("warns about a second variable that is ignored, never printing password values", () => {
    const lines = run(SAML, { WEB_PASSWORD: "first-secret", WEB_IDENTITY_PASSWORD: "second-secret" }, ["webIdentityPassword"]);
    assert.deepEqual(lines, [
      "INFO web_identity_password is set (read from the environment variable WEB_PASSWORD)",
      "WARN WEB_IDENTITY_PASSWORD is also set, to a different value, and is ignored because WEB_PASSWORD is read " +
        "first; unset one of them",
    ]);
  });

  it("hides the query of a URL value (OneLogin's token holds the client secret)", () => {
    const lines = run("[profile s]\nsaml_auth_url = https://x.onelogin.com/oidc/2?token=c2VjcmV0\n", {}, ["samlAuthUrl"]);
    assert.deepEqual(lines, [
      "INFO saml_auth_url = https://x.onelogin.com/oidc/2?… (read from saml_auth_url in [profile s] of /h/.aws/config, line 2)",
    ]);
  });
});
