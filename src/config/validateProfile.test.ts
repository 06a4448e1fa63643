import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import { resolveProfile } from "./resolveProfile.js";
import type { ResolvedProfile } from "./resolveProfile.js";
import type { ProfileSettings } from "./settings.js";
import { loadSharedFiles } from "./sharedFiles.js";
import { validateProfile } from "./validateProfile.js";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Resolves profile `p` from a config file holding `lines`, so messages carry real origins. */
function resolved(
  lines: string[],
  env: Env = {},
  overrides: Partial<ProfileSettings> = {},
): { p: ResolvedProfile; config: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
  dirs.push(dir);
  const config = path.join(dir, "config");
  fs.writeFileSync(config, ["[profile p]", ...lines].join("\n"));
  const files = loadSharedFiles({ configPath: config, credentialsPath: path.join(dir, "credentials"), cacheDir: dir });
  return { p: resolveProfile("p", files, env, overrides), config };
}

function rejects(p: ResolvedProfile, message: string): void {
  assert.throws(() => validateProfile(p), (e: unknown) => {
    assert.ok(e instanceof RunasError);
    assert.deepEqual({ code: e.code, message: e.message }, { code: "INVALID_CONFIG", message });
    return true;
  });
}

const OIDC = [
  "web_identity_auth_url = https://example.okta.com/oauth2/default",
  "web_identity_client_id = 0oa123",
  "web_identity_redirect_uri = app:/callback",
];

describe("validateProfile", () => {
  const valid: [string, string[], Env][] = [
    ["an empty profile", [], {}],
    ["an IAM role profile", ["role_arn = arn:aws:iam::1:role/R", "mfa_serial = m"], {}],
    ["a SAML profile with a provider in any case", ["saml_auth_url = https://idp/saml", "saml_provider = OKTA"], {}],
    ["every SAML provider", ["saml_provider = browserNewExperience"], {}],
    ["the browserne alias", ["saml_provider = browserne", "auth_browser = msedge"], {}],
    ["a complete OIDC profile", [...OIDC, "web_identity_provider = AzureAD"], {}],
    ["the seed's callback spelling", [OIDC[0] ?? "", OIDC[1] ?? "", "web_identity_callback_uri = app:/callback"], {}],
    ["OIDC completed from the environment", [OIDC[0] ?? ""], { WEB_CLIENT_ID: "c", WEB_REDIRECT_URI: "app:/cb" }],
    ["chrome", ["auth_browser = chrome"], {}],
    ["a browser by its full path", ["auth_browser = /opt/brave.com/brave/brave"], {}],
    ["a Windows browser path", ["auth_browser = C:\\Program Files\\BraveSoftware\\brave.exe"], {}],
  ];
  for (const [name, lines, env] of valid) {
    it(`accepts ${name}`, () => {
      assert.doesNotThrow(() => validateProfile(resolved(lines, env).p));
    });
  }

  for (const provider of ["mock", "onelogin", "keycloak", "forgerock", "azuread", "browser"]) {
    it(`accepts saml_provider = ${provider}`, () => {
      assert.doesNotThrow(() => validateProfile(resolved([`saml_provider = ${provider}`]).p));
    });
  }
  for (const provider of ["forgerock", "keycloak", "azuread", "okta", "OneLogin"]) {
    it(`accepts web_identity_provider = ${provider}`, () => {
      assert.doesNotThrow(() => validateProfile(resolved([...OIDC, `web_identity_provider = ${provider}`]).p));
    });
  }

  it("rejects SAML and web URLs together", () => {
    const { p, config } = resolved(["saml_auth_url = https://idp/saml"], { WEB_AUTH_URL: "https://idp/oidc" });
    rejects(
      p,
      `profile 'p': saml_auth_url (${config}, line 2) and web_identity_auth_url (from WEB_AUTH_URL) are both set; ` +
        "keep only the one for your identity provider (SAML or OIDC)",
    );
  });

  it("rejects a web URL without a client id", () => {
    const { p, config } = resolved([OIDC[0] ?? "", OIDC[2] ?? ""]);
    rejects(
      p,
      `profile 'p': web_identity_auth_url (${config}, line 2) is set but web_identity_client_id is missing; ` +
        "add web_identity_client_id = … to the profile",
    );
  });

  it("rejects a web URL without a redirect URI", () => {
    const { p } = resolved([], {}, { webIdentityAuthUrl: "https://idp/oidc", webIdentityClientId: "c" });
    rejects(
      p,
      "profile 'p': web_identity_auth_url (from --web-url) is set but web_identity_redirect_uri is missing; " +
        "add web_identity_redirect_uri = … to the profile",
    );
  });

  it("rejects a web URL with neither", () => {
    const { p } = resolved([], { WEB_IDENTITY_AUTH_URL: "https://idp/oidc" });
    rejects(
      p,
      "profile 'p': web_identity_auth_url (from WEB_IDENTITY_AUTH_URL) is set but web_identity_client_id and " +
        "web_identity_redirect_uri are missing; " +
        "add web_identity_client_id = … and web_identity_redirect_uri = … to the profile",
    );
  });

  for (const browser of ["firefox", "Chrome", "edge"]) {
    it(`rejects auth_browser = ${browser}`, () => {
      const { p, config } = resolved(["region = r", `auth_browser = ${browser}`]);
      rejects(
        p,
        `profile 'p': auth_browser (${config}, line 3) is "${browser}"; ` +
          "write auth_browser = chrome, auth_browser = msedge, or the full path of a Chromium-based browser",
      );
    });
  }

  it("rejects an unknown web_identity_provider, listing the valid names", () => {
    const { p, config } = resolved([...OIDC, "web_identity_provider = auth0"]);
    rejects(
      p,
      `profile 'p': web_identity_provider (${config}, line 5) is "auth0", which is not a known OIDC provider; ` +
        "use one of okta, onelogin, keycloak, forgerock, azuread, oidc, mock, or remove it to detect the provider from the URL",
    );
  });

  it("rejects an unknown saml_provider from the environment (SAML_PROFILE), listing the valid names", () => {
    const { p } = resolved(["saml_auth_url = https://idp.example.com/saml"], { SAML_PROFILE: "adfs" });
    rejects(
      p,
      "profile 'p': saml_provider (from SAML_PROFILE) is \"adfs\", which is not a known SAML provider; use one of " +
        "okta, onelogin, keycloak, forgerock, azuread, browser, browserne (or browserNewExperience), mock, or remove it " +
        "to detect the provider from the URL",
    );
  });

  it("rejects a SAML-only provider for OIDC", () => {
    const { p } = resolved([...OIDC], {}, { webIdentityProvider: "browser" });
    rejects(
      p,
      "profile 'p': web_identity_provider (from --provider) is \"browser\", which is not a known OIDC provider; " +
        "use one of okta, onelogin, keycloak, forgerock, azuread, oidc, mock, or remove it to detect the provider from the URL",
    );
  });

  it("checks only the provider of the profile's own kind (-R sets both)", () => {
    const saml = resolved(["saml_auth_url = https://idp.example.com/saml"], {}, { samlProvider: "browser", webIdentityProvider: "browser" });
    assert.doesNotThrow(() => validateProfile(saml.p));
    const web = resolved([...OIDC], {}, { samlProvider: "oidc", webIdentityProvider: "oidc" });
    assert.doesNotThrow(() => validateProfile(web.p));
  });

  it("rejects an unknown web_identity_flow", () => {
    const { p, config } = resolved([...OIDC, "web_identity_flow = magic"]);
    rejects(p, `profile 'p': web_identity_flow (${config}, line 5) is not a sign-in flow; use browser or device`);
  });

  it("names a role ARN given instead of a profile", () => {
    const p: ResolvedProfile = {
      name: "",
      settings: { roleArn: "arn:aws:iam::1:role/R", authBrowser: "safari", mfaType: "auto" },
      origins: { roleArn: { kind: "flag" } },
      warnings: [],
    };
    rejects(
      p,
      'role ARN arn:aws:iam::1:role/R: auth_browser is "safari"; write auth_browser = chrome, auth_browser = msedge, or the full path of a Chromium-based browser',
    );
  });
});
