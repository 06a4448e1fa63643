import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIni } from "../config/ini.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import { configDump } from "./configDump.js";

function files(config: string): SharedFiles {
  const paths = { configPath: "/h/.aws/config", credentialsPath: "/h/.aws/credentials", cacheDir: "/h/.aws" };
  return { paths, config: parseIni(config, paths.configPath), credentials: parseIni("", paths.credentialsPath) };
}

const BASE = "[profile s]\n[profile p]\nregion = r\nsource_profile = s\nmfa_serial = mfa\nrole_arn = myrole\nexternal_id = e\n";
const UPSTREAM_LINES = "PROFILE: p\nREGION: r\nSOURCE PROFILE: s\nSESSION TOKEN DURATION: 0s\nMFA SERIAL: mfa\n" +
  "ROLE ARN: myrole\nEXTERNAL ID: e\nASSUME ROLE CREDENTIAL DURATION: 0s\n";

describe("configDump (core.md §8 step 6, T-CLI-19)", () => {
  it("prints upstream's labels in upstream's order", () => {
    assert.equal(configDump("p", resolveProfile("p", files(BASE), {}, {})), UPSTREAM_LINES);
  });

  it("prints durations in Go format", () => {
    const p = resolveProfile("p", files(`${BASE}session_token_duration = 12h\ncredentials_duration = 15m\nduration_seconds = 7200\n`), {}, {});
    const dump = configDump("p", p);
    assert.match(dump, /^SESSION TOKEN DURATION: 12h0m0s$/m);
    // credentials_duration only, not duration_seconds.
    assert.match(dump, /^ASSUME ROLE CREDENTIAL DURATION: 15m0s$/m);
  });

  it("adds the SAML block", () => {
    const p = resolveProfile("p", files(`${BASE}saml_auth_url = https://saml.example.com/u\nsaml_username = user\njump_role_arn = j\n`), {}, {});
    assert.equal(configDump("p", p),
      `${UPSTREAM_LINES}SAML ENDPOINT URL: https://saml.example.com/u\nSAML USERNAME: user\nJUMP ROLE ARN: j\n`);
  });

  it("adds the OIDC block, the redirect URI read from either spelling, the URL without its query", () => {
    const p = resolveProfile("p", files(`${BASE}web_identity_auth_url = https://x.onelogin.com/oidc/2?token=c2VjcmV0\n` +
      "web_identity_client_id = id\nweb_identity_callback_uri = app:/callback\nweb_identity_username = user\njump_role_arn = j\n"), {}, {});
    assert.equal(configDump("p", p), `${UPSTREAM_LINES}WEB IDENTITY ENDPOINT URL: https://x.onelogin.com/oidc/2?…\n` +
      "WEB IDENTITY CLIENT ID: id\nWEB IDENTITY REDIRECT URI: app:/callback\nWEB IDENTITY USERNAME: user\nJUMP ROLE ARN: j\n");
  });
});
