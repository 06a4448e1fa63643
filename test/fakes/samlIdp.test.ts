/**
 * The samlp IdP of samlIdp.ts against the SAML parser: a signed response from a real IdP library parses to exactly
 * what the IdP was configured with, and moto's AssumeRoleWithSAML accepts it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AssumeRoleWithSAMLCommand, STSClient } from "@aws-sdk/client-sts";
import { parseSamlAssertion } from "../../src/idp/samlAssertion.js";
import { roleNotInAssertion } from "../../src/idp/roleNotInAssertion.js";
import { startMoto, type Moto } from "../helpers/moto.js";
import { peerSkip } from "../helpers/peers.js";
import { AWS_SIGNIN_URL, startSamlIdp, type SamlIdp } from "./samlIdp.js";

const ADMIN = "arn:aws:iam::123456789012:role/Admin";
const READER = "arn:aws:iam::123456789012:role/team/Reader";
const GOV = "arn:aws-us-gov:iam::210987654321:role/GovOps";
const OKTA = "arn:aws:iam::123456789012:saml-provider/Okta";
const GOV_IDP = "arn:aws-us-gov:iam::210987654321:saml-provider/GovIdp";

describe("startSamlIdp", () => {
  let idp: SamlIdp;
  before(async () => {
    idp = await startSamlIdp({
      roles: [`${ADMIN},${OKTA}`, `${OKTA},${READER}`, `${GOV},${GOV_IDP}`],
      sessionName: "alice@example.com",
      sessionDuration: 7200,
    });
  });
  after(() => idp.close());

  it("sends a browser without a session to the login form", async () => {
    const r = await fetch(idp.url, { redirect: "manual" });
    assert.equal(r.status, 302);
    assert.equal(new URL(r.headers.get("location") ?? "", idp.url).href, `${idp.loginUrl}?next=%2Fsaml%2Faws`);
  });

  it("refuses an empty password", async () => {
    const r = await fetch(idp.loginUrl, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ username: "alice", password: "", next: "/saml/aws" }),
    });
    assert.equal(r.status, 401);
  });

  it("returns a signed SAMLResponse (rsa-sha256) for the AWS sign-in endpoint", async () => {
    const xml = Buffer.from(await idp.signedResponse(), "base64").toString("utf8");
    assert.match(xml, /<saml:Assertion [^>]*IssueInstant="/);
    assert.match(xml, /SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"/);
    assert.match(xml, new RegExp(`Recipient="${AWS_SIGNIN_URL}"`));
    assert.match(xml, /<saml:Audience>urn:amazon:webservices<\/saml:Audience>/);
  });

  it("parses to exactly the configured roles, principals, RoleSessionName and SessionDuration", async () => {
    const before = Date.now();
    const a = parseSamlAssertion(await idp.signedResponse());
    const after = Date.now();
    assert.deepEqual(a.roles(), [
      { role: ADMIN, principal: OKTA },
      { role: READER, principal: OKTA },
      { role: GOV, principal: GOV_IDP },
    ]);
    assert.equal(a.roleSessionName(), "alice@example.com");
    assert.equal(a.sessionDuration(), 7200);
    // IssueInstant is the IdP's "now", in milliseconds, somewhere during the sign-in.
    const expires = a.expiresAt().getTime();
    assert.equal(expires >= before + 4 * 60_000 - 1000 && expires <= after + 4 * 60_000, true, a.expiresAt().toISOString());
  });

  it("names the granted roles when the wanted one is missing", async () => {
    const a = parseSamlAssertion(await idp.signedResponse());
    assert.equal(
      roleNotInAssertion("arn:aws:iam::123456789012:role/Nope", a).message,
      `role arn:aws:iam::123456789012:role/Nope is not in the SAML assertion; roles available: ${ADMIN}, ${READER}, ${GOV}. Check role_arn (or jump_role_arn)`,
    );
  });

  it("leaves SessionDuration out when none is configured", async () => {
    const plain = await startSamlIdp({ roles: [`${ADMIN},${OKTA}`], sessionName: "bob" });
    try {
      const a = parseSamlAssertion(await plain.signedResponse());
      assert.deepEqual(a.roles(), [{ role: ADMIN, principal: OKTA }]);
      assert.equal(a.roleSessionName(), "bob");
      assert.equal(a.sessionDuration(), undefined);
    } finally {
      await plain.close();
    }
  });
});

describe("moto's AssumeRoleWithSAML accepts the samlp response", { skip: peerSkip("moto_server", ["--help"]) }, () => {
  let moto: Moto;
  let idp: SamlIdp;
  before(async () => {
    moto = await startMoto();
    // One Role value only: moto answers HTTP 500 to two (design/stack.md, moto notes).
    idp = await startSamlIdp({ roles: [`${ADMIN},${OKTA}`], sessionName: "alice@example.com", sessionDuration: 3600 });
  });
  after(async () => {
    await idp.close();
    await moto.stop();
  });

  it("returns temporary credentials for the role and principal the assertion pairs", async () => {
    const assertion = parseSamlAssertion(await idp.signedResponse());
    const pair = assertion.roles()[0];
    assert.deepEqual(pair, { role: ADMIN, principal: OKTA });
    const sts = new STSClient({
      endpoint: moto.url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    });
    try {
      const out = await sts.send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: pair.role,
          PrincipalArn: pair.principal,
          SAMLAssertion: assertion.base64,
          DurationSeconds: 3600,
        }),
      );
      assert.match(out.Credentials?.AccessKeyId ?? "", /^ASIA[A-Z0-9]{16}$/);
      assert.equal(out.AssumedRoleUser?.Arn, "arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com");
    } finally {
      sts.destroy();
    }
  });
});
