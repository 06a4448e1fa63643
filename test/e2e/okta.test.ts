/**
 * End to end for the `okta` provider (idp.md §4, §12, §15 cases 48–49): the built CLI, configured with the seed
 * document's Okta lines (only the host changed to the fake org), signs in at the fake Okta with a TOTP code typed on
 * a pseudo-terminal, and assumes the role at moto; a second run reuses the caches and the Okta session cookie.
 */
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { cleanEnv, runCli, tempHome } from "../helpers/cliRun.js";
import { runOnTerminal } from "../helpers/terminal.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";
import { GOOD_PASSWORD, startOktaFake, TOTP_CODE, type OktaFake } from "../fakes/okta.js";

const skip = peerSkip("moto_server", ["--help"]) || peerSkip("python3") || peerSkip("aws");
const ROLE = "arn:aws:iam::123456789012:role/OktaRole";

describe("the Okta provider, end to end", { skip }, () => {
  let proxy: RecordingProxy;
  let okta: OktaFake;
  useMotoBehindProxy((p) => (proxy = p));
  before(async () => {
    okta = await startOktaFake({ clientId: "myClientId", redirectUri: "app:/callback", role: ROLE });
  });
  after(async () => {
    await okta?.close();
  });
  afterEach(() => {
    assert.deepEqual(okta.violations, [], "the CLI spoke Okta's protocol");
  });

  /** A HOME with the seed's Okta OIDC lines and an Okta SAML profile, for `user`. */
  const setup = (user: string) => {
    const { home, aws } = tempHome(
      `[default]\nregion = us-east-1\n\n` +
        `[profile okta-oidc]\n` +
        `web_identity_auth_url = ${okta.oidcUrl}\n` +
        `web_identity_client_id = myClientId\n` +
        `web_identity_callback_uri = app:/callback\n` +
        `web_identity_provider = okta\n` +
        `web_identity_username = ${user}\n` +
        `role_arn = ${ROLE}\n\n` +
        `[profile okta-saml]\n` +
        `saml_auth_url = ${okta.samlUrl}\n` +
        `saml_provider = okta\n` +
        `saml_username = ${user}\n` +
        `role_arn = ${ROLE}\n`,
      "",
    );
    const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url, SAML_PASSWORD: GOOD_PASSWORD, WEB_PASSWORD: GOOD_PASSWORD });
    const cached = () => readdirSync(aws).filter((f) => f.startsWith(".aws_")).sort();
    return { aws, env, cached };
  };

  // The web-role session is named after the configured username, the SAML one after the assertion's RoleSessionName.
  for (const [profile, action, roleCache, sessionName] of [
    ["okta-oidc", "AssumeRoleWithWebIdentity", ".aws_web_role_okta-oidc", "codemfa"],
    ["okta-saml", "AssumeRoleWithSAML", ".aws_saml_role_okta-saml", "codemfa@example.com"],
  ] as const) {
    it(`${profile}: the MFA code typed on the terminal, a command runs with the role; the next run signs in no more`, async () => {
      const { aws, env, cached } = setup("codemfa");
      const signIns = okta.signIns();
      const r = await runOnTerminal([profile, "--", "aws", "sts", "get-caller-identity", "--output", "json"], env, [TOTP_CODE]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /MFA token code: /);
      assert.ok(r.stdout.includes(`"Arn": "arn:aws:sts::123456789012:assumed-role/OktaRole/${sessionName}"`), r.stdout);
      assert.equal(okta.signIns() - signIns, 1);
      assert.deepEqual(proxy.actions().filter((a) => a !== "GetCallerIdentity"), [action]);
      assert.ok(cached().includes(roleCache), cached().join(","));

      // No role credentials and no cached id token: only the Okta session cookie is left to sign in with.
      for (const f of cached()) if (f !== ".aws_runas.cookies") rmSync(path.join(aws, f));
      proxy.clear();
      const again = await runCli(["-O", "json", profile], env, "");
      assert.equal(again.code, 0, again.stderr);
      assert.match(JSON.parse(again.stdout).AccessKeyId, /^ASIA/);
      assert.equal(again.stderr, "", "no prompt");
      assert.equal(okta.signIns() - signIns, 1, "no second sign-in");
      assert.deepEqual(proxy.actions(), [action]);
    });
  }

  it("-l lists the roles of the SAML profile", async () => {
    const { env } = setup("nomfa");
    const r = await runCli(["-l", "okta-saml"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Available role ARNs for nomfa@example.com\n  ${ROLE}\n`);
    assert.deepEqual(proxy.actions(), []);
  });

  for (const profile of ["okta-saml", "okta-oidc"]) {
    it(`${profile}: a password rejected three times is one clear error line, exit 1, nothing cached`, async () => {
      const { env, cached } = setup("nomfa");
      const signIns = okta.signIns();
      const r = await runOnTerminal(["-O", "json", profile], { ...env, SAML_PASSWORD: "wrong-1", WEB_PASSWORD: "wrong-1" }, [
        "wrong-2",
        "wrong-3",
      ]);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(okta.signIns() - signIns, 3);
      const shown = r.stdout.split("\r\n");
      assert.deepEqual(shown.filter((l) => l.includes("rejected, try again")).length, 2, r.stdout);
      const errors = shown.filter((l) => l.includes("sign-in failed"));
      assert.equal(errors.length, 1, r.stdout);
      // On a terminal the logger stamps the line with the time.
      assert.match(
        errors[0] ?? "",
        /^(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d ERROR )?sign-in failed: the password for nomfa was rejected 3 times; check the username and password \(aws-runas password <profile> replaces a stored one\)$/,
      );
      assert.ok(!/wrong-\d/.test(r.stdout), r.stdout);
      assert.ok(!r.stdout.includes("AccessKeyId"), r.stdout);
      assert.deepEqual(cached(), []);
      assert.deepEqual(proxy.actions(), []);
    });
  }

  for (const profile of ["okta-saml", "okta-oidc"]) {
    it(`${profile} with -v: no password, code, session token, assertion or credential in any output`, async () => {
      const { env } = setup("codemfa");
      const r = await runOnTerminal(["-v", "-O", "json", profile], env, [TOTP_CODE]);
      assert.equal(r.code, 0, r.stdout);
      const json = /\{"AccessKeyId".*\}/.exec(r.stdout)?.[0] ?? "{}";
      const creds = JSON.parse(json) as Record<string, string>;
      assert.match(creds.AccessKeyId ?? "", /^ASIA/);
      assert.match(r.stdout, /DEBUG okta: POST \/api\/v1\/authn/);
      // The terminal echoes the typed code after its prompt: that is the user's typing, not aws-runas's output.
      const shown = r.stdout.replace(json, "").replace(`MFA token code: ${TOTP_CODE}`, "MFA token code: ");
      const sent = proxy.calls.find((c) => c.action.startsWith("AssumeRoleWith"))?.params;
      const secrets = [
        GOOD_PASSWORD,
        TOTP_CODE,
        ...okta.sessionTokens,
        sent?.get("SAMLAssertion") ?? sent?.get("WebIdentityToken") ?? "(no AssumeRoleWith call)",
        creds.SecretAccessKey ?? "(none)",
        creds.SessionToken ?? "(none)",
      ];
      for (const secret of secrets) assert.ok(!shown.includes(secret), `a secret reached the output: ${shown}`);
    });
  }
});
