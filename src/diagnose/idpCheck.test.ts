import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIni } from "../config/ini.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import type { Env } from "../ports.js";
import { idpOf, idpSettingsFindings, sectionOf } from "./idpCheck.js";

function files(config: string, credentials = ""): SharedFiles {
  const paths = { configPath: "/h/.aws/config", credentialsPath: "/h/.aws/credentials", cacheDir: "/h/.aws" };
  return { paths, config: parseIni(config, paths.configPath), credentials: parseIni(credentials, paths.credentialsPath) };
}
function check(config: string, o: { env?: Env; credentials?: string; name?: string } = {}): string[] {
  const f = files(config, o.credentials);
  const env = o.env ?? {};
  const p = resolveProfile(o.name ?? "p", f, env, {});
  return idpSettingsFindings(p, { env, files: f }).map((x) => `${x.level} ${x.message}`);
}
const SAML_URL = "https://corp.okta.com/home/amazon_aws/abc/123";
const WEB_URL = "https://sso.example.com/auth/realms/corp";
const ROLE = "role_arn = arn:aws:iam::123456789012:role/R\n";

describe("idpOf / sectionOf", () => {
  it("prefers SAML when both URLs are set, as upstream", () => {
    const p = resolveProfile("p", files(`[profile p]\nsaml_auth_url = ${SAML_URL}\nweb_identity_auth_url = ${WEB_URL}\n`), {}, {});
    assert.deepEqual(idpOf(p), { kind: "saml", url: SAML_URL });
    assert.equal(sectionOf(p), "[profile p]");
    assert.equal(idpOf(resolveProfile("p", files("[profile p]\n"), {}, {})), undefined);
  });
});

describe("idpSettingsFindings (core.md §8 step 4, external IdP)", () => {
  it("has nothing to say about an IAM profile", () => {
    assert.deepEqual(check(`[profile p]\n${ROLE}`), []);
  });

  it("reports a complete SAML profile with the seed spelling saml_entity_id and the password prompt", () => {
    assert.deepEqual(check(`[profile p]\nsaml_auth_url = ${SAML_URL}\nsaml_entity_id = urn:amazon:webservices\n${ROLE}`), [
      `INFO saml_auth_url = ${SAML_URL} (read from saml_auth_url in [profile p] of /h/.aws/config, line 2)`,
      "INFO saml_auth_entityid = urn:amazon:webservices (read from saml_entity_id in [profile p] of /h/.aws/config, line 3)",
      `INFO no saml_password for ${SAML_URL} is stored in /h/.aws/credentials; aws-runas asks for it when the ` +
        "identity provider needs one (store it with: aws-runas password p)",
    ]);
  });

  it("finds a password stored with `aws-runas password`", () => {
    const lines = check(`[profile p]\nsaml_auth_url = ${SAML_URL}\n${ROLE}`, { credentials: `[${SAML_URL}]\nsaml_password = a$XYZ$abc\n` });
    assert.equal(lines.at(-1), `INFO a saml_password for ${SAML_URL} is stored in /h/.aws/credentials`);
    assert.ok(!lines.join("\n").includes("a$XYZ$abc"));
  });

  it("requires role_arn", () => {
    const lines = check(`[profile p]\nsaml_auth_url = ${SAML_URL}\n`);
    assert.equal(lines[0], "ERROR role_arn is a required parameter when using external identity providers: add " +
      "role_arn = arn:aws:iam::<account>:role/<name> to [profile p]");
  });

  it("reports both URLs, naming where each was read", () => {
    const lines = check(`[profile p]\nsaml_auth_url = ${SAML_URL}\n${ROLE}`, { env: { WEB_AUTH_URL: WEB_URL } });
    assert.match(lines[0] ?? "", /^ERROR found SAML and Web Identity \(OIDC\) endpoint urls set, this is invalid: saml_auth_url \(read from saml_auth_url in \[profile p\] of \/h\/\.aws\/config, line 2\) and web_identity_auth_url \(read from the environment variable WEB_AUTH_URL\)/);
  });

  it("reports an OIDC profile with web_identity_callback_uri and WEB_IDENTITY_PASSWORD", () => {
    const config = `[profile p]\nweb_identity_auth_url = ${WEB_URL}\nweb_identity_client_id = cid\n` +
      `web_identity_callback_uri = app:/callback\n${ROLE}`;
    assert.deepEqual(check(config, { env: { WEB_IDENTITY_PASSWORD: "hunter2-secret" } }), [
      `INFO web_identity_auth_url = ${WEB_URL} (read from web_identity_auth_url in [profile p] of /h/.aws/config, line 2)`,
      "INFO web_identity_client_id = cid (read from web_identity_client_id in [profile p] of /h/.aws/config, line 3)",
      "INFO web_identity_redirect_uri = app:/callback (read from web_identity_callback_uri in [profile p] of /h/.aws/config, line 4)",
      "INFO web_identity_password is set (read from the environment variable WEB_IDENTITY_PASSWORD)",
    ]);
  });

  it("reports a missing OIDC client id and redirect URI in upstream's words", () => {
    const lines = check(`[profile p]\nweb_identity_auth_url = ${WEB_URL}\n${ROLE}`);
    assert.equal(lines[0], "ERROR missing web_identity_client_id and/or web_identity_redirect_uri configuration: add " +
      "web_identity_client_id = … and web_identity_redirect_uri = … to [profile p] (web_identity_callback_uri is accepted too)");
  });

  it("reports provider names, flows and browsers the sign-in would refuse", () => {
    const saml = check(`[profile p]\nsaml_auth_url = ${SAML_URL}\nsaml_provider = pingfed\nauth_browser = firefox\n${ROLE}`);
    assert.match(saml[0] ?? "", /^ERROR saml_provider \(read from saml_provider in \[profile p\].*\) is "pingfed", which is not a known SAML provider; use one of okta, onelogin/);
    assert.match(saml[1] ?? "", /^ERROR auth_browser .* is "firefox"; write auth_browser = chrome, auth_browser = msedge, or the full path of a Chromium-based browser$/);
    const web = check(`[profile p]\nweb_identity_auth_url = ${WEB_URL}\nweb_identity_client_id = c\n` +
      `web_identity_redirect_uri = app:/cb\nweb_identity_provider = Keycloak\nweb_identity_flow = magic\n${ROLE}`);
    assert.deepEqual(web.filter((l) => l.startsWith("ERROR")), [
      'ERROR web_identity_flow (read from web_identity_flow in [profile p] of /h/.aws/config, line 6) is "magic"; use browser or device',
    ]);
  });
});
