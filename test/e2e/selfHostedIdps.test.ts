/**
 * End to end for Keycloak, ForgeRock and Azure AD (idp.md §6–§8, issue acceptance): the built CLI in a temporary HOME
 * with the seed document's configuration lines (only the host changed to the fake), for both protocols. The first run
 * signs in with the password (and an MFA code) typed on a real terminal and runs `aws sts get-caller-identity` with
 * the role from moto; the second run prompts for nothing; a run with the role credentials gone but the IdP session
 * cookie kept signs in no more. SAML profiles leave the provider to detection; OIDC profiles name it, as the seed does.
 */
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { cleanEnv, runCli, tempHome } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";
import { runOnTerminal } from "../helpers/terminal.js";
import { startKeycloakFake } from "../fakes/keycloak.js";
import { startForgerockFake } from "../fakes/forgerock.js";
import { startAzureAdFake } from "../fakes/azuread.js";
import { GOOD_PASSWORD as OKTA_PASSWORD, startOktaFake } from "../fakes/okta.js";

const skip = peerSkip("moto_server", ["--help"]) || peerSkip("python3") || peerSkip("aws");

/** What the tests need of a running fake IdP. */
interface Fake {
  samlUrl: string;
  oidcUrl: string;
  clientId: string;
  redirectUri: string;
  violations: string[];
  signIns(): number;
  close(): Promise<void>;
}

/** One provider: how to start its fake and the user that signs in with a code. */
interface Vendor {
  name: "keycloak" | "forgerock" | "azuread";
  role: string;
  start(role: string): Promise<Fake>;
  user: string;
  password: string;
  code: string;
  /** Lines the profile needs beside the URL (MFA type …). */
  extra: string;
}

const VENDORS: Vendor[] = [
  {
    name: "keycloak",
    role: "arn:aws:iam::123456789012:role/KeycloakRole",
    start: (role) => startKeycloakFake({ clientId: "myClientId", redirectUri: "app:/callback", role }),
    user: "codemfa",
    password: "goodPassword",
    code: "54321",
    extra: "",
  },
  {
    name: "forgerock",
    role: "arn:aws:iam::123456789012:role/ForgerockRole",
    start: (role) => startForgerockFake({ clientId: "myClientId", redirectUri: "app:/callback", role }),
    user: "codemfa",
    password: "goodPassword",
    code: "54321",
    extra: "mfa_type = code\n",
  },
  {
    name: "azuread",
    role: "arn:aws:iam::123456789012:role/AzureRole",
    start: (role) => startAzureAdFake({ clientId: "myClientId", redirectUri: "app:/callback", role }),
    user: "codemfa",
    password: "good",
    code: "24680",
    extra: "",
  },
];

for (const v of VENDORS) {
  describe(`the ${v.name} provider, end to end`, { skip }, () => {
    let proxy: RecordingProxy;
    let fake: Fake;
    useMotoBehindProxy((p) => (proxy = p));
    before(async () => {
      fake = await v.start(v.role);
    });
    after(async () => {
      await fake?.close();
    });
    afterEach(() => {
      assert.deepEqual(fake.violations, [], `the CLI spoke ${v.name}'s protocol`);
    });

    /** A HOME with the seed's OIDC lines for the vendor and a SAML profile, both for `v.user`. */
    const setup = () => {
      const { home, aws } = tempHome(
        `[default]\nregion = us-east-1\n\n` +
          `[profile ${v.name}-oidc]\n` +
          `web_identity_auth_url = ${fake.oidcUrl}\n` +
          `web_identity_client_id = myClientId\n` +
          `web_identity_callback_uri = app:/callback\n` +
          `web_identity_provider = ${v.name}\n` +
          `web_identity_username = ${v.user}\n` +
          v.extra +
          `role_arn = ${v.role}\n\n` +
          `[profile ${v.name}-saml]\n` +
          `saml_auth_url = ${fake.samlUrl}\n` +
          `saml_username = ${v.user}\n` +
          v.extra +
          `role_arn = ${v.role}\n`,
        "",
      );
      const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url });
      const cached = () => readdirSync(aws).filter((f) => f.startsWith(".aws_")).sort();
      return { aws, env, cached };
    };

    for (const [protocol, action] of [
      ["oidc", "AssumeRoleWithWebIdentity"],
      ["saml", "AssumeRoleWithSAML"],
    ] as const) {
      const profile = `${v.name}-${protocol}`;
      it(`${profile}: password and MFA code typed on the terminal, the command runs with the role; later runs ask nothing`, async () => {
        const { aws, env, cached } = setup();
        const signIns = fake.signIns();
        const command = [profile, "--", "aws", "sts", "get-caller-identity", "--output", "json"];
        const r = await runOnTerminal(command, env, [v.password, v.code]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /Password: /);
        assert.match(r.stdout, /MFA token code: /);
        const roleName = v.role.split("/").pop() ?? "";
        assert.match(r.stdout, new RegExp(`"Arn": "arn:aws:sts::123456789012:assumed-role/${roleName}/`), r.stdout);
        assert.equal(fake.signIns() - signIns, 1);
        assert.deepEqual(proxy.actions().filter((a) => a !== "GetCallerIdentity"), [action]);

        // The second run: cached role credentials, no prompt (stdin is empty and there is no terminal), no AWS call.
        proxy.clear();
        const second = await runCli(command, env, "");
        assert.equal(second.code, 0, second.stderr);
        assert.equal(second.stderr, "");
        assert.match(second.stdout, new RegExp(`assumed-role/${roleName}/`));
        assert.deepEqual(proxy.actions().filter((a) => a !== "GetCallerIdentity"), []);

        // Role credentials and id token gone: the IdP session cookie signs in without a password.
        for (const f of cached()) if (f !== ".aws_runas.cookies") rmSync(path.join(aws, f));
        proxy.clear();
        const third = await runCli(["-O", "json", profile], env, "");
        assert.equal(third.code, 0, third.stderr);
        assert.match(JSON.parse(third.stdout).AccessKeyId, /^ASIA/);
        assert.equal(third.stderr, "", "no prompt");
        assert.equal(fake.signIns() - signIns, 1, "no second sign-in");
        assert.deepEqual(proxy.actions(), [action]);
      });
    }

    for (const protocol of ["oidc", "saml"]) {
      it(`${v.name}-${protocol} with -v: no password, code, assertion, id token or credential in any output`, async () => {
        const { env } = setup();
        const r = await runOnTerminal(["-v", "-O", "json", `${v.name}-${protocol}`], env, [v.password, v.code]);
        assert.equal(r.code, 0, r.stdout);
        const json = /\{"AccessKeyId".*\}/.exec(r.stdout)?.[0] ?? "{}";
        const creds = JSON.parse(json) as Record<string, string>;
        assert.match(creds.AccessKeyId ?? "", /^ASIA/);
        assert.match(r.stdout, / DEBUG /);
        // The terminal echoes the typed code after its prompt: that is the user's typing, not aws-runas's output.
        const shown = r.stdout.replace(json, "").replace(`MFA token code: ${v.code}`, "MFA token code: ");
        const sent = proxy.calls.find((c) => c.action.startsWith("AssumeRoleWith"))?.params;
        const secrets = [
          v.password,
          v.code,
          sent?.get("SAMLAssertion") ?? sent?.get("WebIdentityToken") ?? "(no AssumeRoleWith call)",
          creds.SecretAccessKey ?? "(none)",
          creds.SessionToken ?? "(none)",
        ];
        for (const secret of secrets) assert.ok(!shown.includes(secret), `a secret reached the output: ${shown}`);
      });
    }

    it(`${v.name}: a wrong password three times is one clear line, exit 1, no secret, nothing cached`, async () => {
      const { env, cached } = setup();
      const r = await runOnTerminal(["-v", "-O", "json", `${v.name}-oidc`], env, ["wrong-1", "wrong-2", "wrong-3"]);
      assert.equal(r.code, 1, r.stdout);
      const errors = r.stdout.split("\r\n").filter((l) => / ERROR /.test(l));
      assert.equal(errors.length, 1, r.stdout);
      assert.match(errors[0] ?? "", /password for codemfa was rejected 3 times/);
      assert.ok(!/wrong-\d/.test(r.stdout), r.stdout);
      assert.ok(!r.stdout.includes("AccessKeyId"), r.stdout);
      assert.deepEqual(cached().filter((f) => f !== ".aws_runas.cookies"), []);
      assert.deepEqual(proxy.actions(), []);
    });
  });
}

describe("an Azure AD guest federated to Okta, end to end", { skip }, () => {
  let proxy: RecordingProxy;
  useMotoBehindProxy((p) => (proxy = p));

  it("signs in at Okta with federated_username and gets the role; the AAD username is not sent to Okta", async () => {
    const okta = await startOktaFake();
    const role = "arn:aws:iam::123456789012:role/GuestRole";
    // Azure AD's own fake must exist before Okta's federation URL can name it as the place to reply to.
    const aad = await startAzureAdFake({
      role,
      guestFederatedName: "nomfa",
      federationUrl: (origin: string) => okta.federationUrl(`${origin}/login.srf`),
    });
    try {
      const { home } = tempHome(
        `[default]\nregion = us-east-1\n\n` +
          `[profile guest]\n` +
          `web_identity_auth_url = ${aad.oidcUrl}\n` +
          `web_identity_client_id = myClientId\n` +
          `web_identity_callback_uri = app:/callback\n` +
          `web_identity_provider = azuread\n` +
          `web_identity_username = guest\n` +
          `federated_username = nomfa\n` +
          `role_arn = ${role}\n`,
        "",
      );
      const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url });
      const r = await runOnTerminal(["guest", "--", "aws", "sts", "get-caller-identity", "--output", "json"], env, [OKTA_PASSWORD]);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /"Arn": "arn:aws:sts::123456789012:assumed-role\/GuestRole\//);
      assert.equal(okta.signIns(), 1);
      assert.deepEqual(okta.violations, []);
      assert.deepEqual(aad.violations, []);
      assert.deepEqual(proxy.actions().filter((a) => a !== "GetCallerIdentity"), ["AssumeRoleWithWebIdentity"]);
      assert.ok(!r.stdout.includes(OKTA_PASSWORD));
    } finally {
      await aad.close();
      await okta.close();
    }
  });
});
