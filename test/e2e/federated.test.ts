/**
 * End to end for SAML and web-identity profiles: the built CLI in a temporary HOME, moto (behind the recording
 * proxy) as AWS, and the mock identity provider (idp.md §9.3), selected by its local /mock URL.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cleanEnv, runCli, tempHome } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";

const skip = peerSkip("moto_server", ["--help"]);

const ROLE1 = "arn:aws:iam::123:role/role1";

const CONFIG = `[default]
region = us-east-1

[profile mock-saml]
saml_auth_url = http://127.0.0.1:9/mock/saml
role_arn = ${ROLE1}

[profile mock-saml-other]
saml_auth_url = http://127.0.0.1:9/mock/saml
role_arn = arn:aws:iam::123:role/not-granted

[profile web]
web_identity_auth_url = http://127.0.0.1:9/mock/oidc
web_identity_client_id = client-1
web_identity_callback_uri = app:/callback
role_arn = arn:aws:iam::123456789012:role/WebRole
`;

/** The AssumeRoleWithSAML answer of STS; moto cannot take the mock provider's fragment, so the proxy answers. */
function samlCredentialsXml(): string {
  const exp = new Date(Date.now() + 3600_000).toISOString();
  return `<AssumeRoleWithSAMLResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithSAMLResult>` +
    `<Credentials><AccessKeyId>ASIAMOCKSAML0000001</AccessKeyId><SecretAccessKey>mocksamlsecret</SecretAccessKey>` +
    `<SessionToken>mocksamltoken</SessionToken><Expiration>${exp}</Expiration></Credentials>` +
    `<AssumedRoleUser><AssumedRoleId>AROA:mock</AssumedRoleId><Arn>arn:aws:sts::123:assumed-role/role1/mock</Arn></AssumedRoleUser>` +
    `<Subject>mock</Subject><SubjectType>transient</SubjectType><Issuer>mock</Issuer><Audience>https://signin.aws.amazon.com/saml</Audience>` +
    `<NameQualifier>x</NameQualifier></AssumeRoleWithSAMLResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleWithSAMLResponse>`;
}

describe("SAML and web-identity profiles", { skip }, () => {
  let proxy: RecordingProxy;
  useMotoBehindProxy((p) => (proxy = p));
  const setup = () => {
    const { home, aws } = tempHome(CONFIG, "");
    return { home, aws, env: cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url }) };
  };

  it("-l lists the roles of the SAML assertion", async () => {
    const { env } = setup();
    const r = await runCli(["-l", "mock-saml"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Available role ARNs for \n  ${ROLE1}\n`);
    const again = await runCli(["list", "roles", "mock-saml"], env);
    assert.equal(again.stdout, r.stdout);
    assert.deepEqual(proxy.actions(), [], "listing roles makes no AWS call");
  });

  it("-l on a web-identity profile says roles cannot be listed", async () => {
    const { env } = setup();
    const r = await runCli(["-l", "web"], env);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr.trimEnd(), /detected Web Identity profile, only IAM and SAML profiles support role enumeration$/);
  });

  it("a SAML profile assumes its role with the assertion, caches it, and -r fetches a new one", async () => {
    const { aws, env } = setup();
    proxy.stubs.push((c) => (c.action === "AssumeRoleWithSAML" ? { status: 200, body: samlCredentialsXml() } : undefined));
    const r = await runCli(["-v", "-O", "json", "mock-saml"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).AccessKeyId, "ASIAMOCKSAML0000001");
    const call = proxy.calls.find((c) => c.action === "AssumeRoleWithSAML");
    assert.equal(call?.params.get("RoleArn"), ROLE1);
    assert.equal(call?.params.get("PrincipalArn"), "arn:aws:iam::123:saml-provider/mock");
    assert.equal(call?.accessKeyId, "", "AssumeRoleWithSAML is not signed");
    assert.match(r.stderr, /SAML ROLE CREDENTIALS: \{AccessKeyID:ASIA/);
    assert.ok(readdirSync(aws).includes(".aws_saml_role_mock-saml"));

    proxy.clear();
    assert.equal((await runCli(["-O", "json", "mock-saml"], env)).code, 0);
    assert.deepEqual(proxy.actions(), [], "cached");
    assert.equal((await runCli(["-r", "-O", "json", "mock-saml"], env)).code, 0);
    assert.deepEqual(proxy.actions(), ["AssumeRoleWithSAML"]);
  });

  it("a role the assertion does not grant is one clear line, and nothing is cached", async () => {
    const { aws, env } = setup();
    const r = await runCli(["mock-saml-other"], env);
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? "", /role arn:aws:iam::123:role\/not-granted is not in the SAML assertion; roles available: arn:aws:iam::123:role\/role1/);
    assert.deepEqual(readdirSync(aws).filter((f) => f.startsWith(".aws_saml")), []);
  });

  it("web_identity_token_file: the token is read from the file (trimmed) and sent to AssumeRoleWithWebIdentity", async () => {
    const { home, env } = setup();
    const payload = Buffer.from(JSON.stringify({ sub: "alice", email: "alice@example.com", exp: Math.floor(Date.now() / 1000) + 3600 })).toString("base64url");
    const jwt = `eyJhbGciOiJub25lIn0.${payload}.c2ln`;
    const file = path.join(home, "token.jwt");
    writeFileSync(file, `${jwt}\n`);
    const r = await runCli(["-O", "json", "web"], { ...env, AWS_WEB_IDENTITY_TOKEN_FILE: file });
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).AccessKeyId, /^ASIA/);
    const call = proxy.calls.find((c) => c.action === "AssumeRoleWithWebIdentity");
    assert.equal(call?.params.get("WebIdentityToken"), jwt);
    assert.equal(call?.params.get("RoleSessionName"), "alice@example.com");
  });
});
