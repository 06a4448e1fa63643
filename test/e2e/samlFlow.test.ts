/**
 * The SAML flow against real peers: a response signed by samlp (a real SAML IdP) goes through the SAML provider of
 * aws-runas and the real STS adapter (the AWS SDK) to moto's AssumeRoleWithSAML.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCredentialCache } from "../../src/cache/credentialCache.js";
import { createFileLocker } from "../../src/cache/fileLocker.js";
import { parseSamlAssertion } from "../../src/idp/samlAssertion.js";
import { createStsApi } from "../../src/lazy/sts.js";
import { providerForProfile } from "../../src/providers/providerForProfile.js";
import { memoryLogger } from "../fakes/memoryLogger.js";
import { profile } from "../fakes/profiles.js";
import { startSamlIdp } from "../fakes/samlIdp.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";

const skip = peerSkip("moto_server", ["--help"]) || peerSkip("openssl", ["version"]);
const ROLE = "arn:aws:iam::123456789012:role/SamlAdmin";
const PRINCIPAL = "arn:aws:iam::123456789012:saml-provider/TestIdP";

describe("a samlp-signed assertion through the SAML flow to moto", { skip }, () => {
  let proxy: RecordingProxy;
  useMotoBehindProxy((p) => (proxy = p));

  it("assumes the role with the principal the assertion pairs with it", async () => {
    const idp = await startSamlIdp({ roles: [`${ROLE},${PRINCIPAL}`], sessionName: "alice@example.com", sessionDuration: 3600 });
    try {
      const assertion = parseSamlAssertion(await idp.signedResponse());
      assert.deepEqual(assertion.roles(), [{ role: ROLE, principal: PRINCIPAL }]);
      assert.equal(assertion.roleSessionName(), "alice@example.com");

      const dir = mkdtempSync(path.join(os.tmpdir(), "runas-saml-"));
      const logger = memoryLogger();
      const sts = createStsApi({ region: "us-east-1", endpoint: proxy.url }, logger);
      const provider = providerForProfile(profile("corp", { samlAuthUrl: idp.url, roleArn: ROLE }), {
        sts: async () => sts,
        sdkCredentials: () => () => Promise.reject(new Error("not used")),
        cache: createCredentialCache({ dir, logger }),
        cacheDir: dir,
        credentialsPath: path.join(dir, "credentials"),
        locker: createFileLocker(),
        clock: { now: () => new Date() },
        logger,
        mfaCode: () => Promise.reject(new Error("no MFA in a SAML flow")),
        env: {},
        osUser: () => "tester",
        idp: { samlAssertion: async () => assertion, idToken: () => Promise.reject(new Error("not used")) },
      });
      const creds = await provider();
      assert.match(creds.accessKeyId, /^ASIA/);
      const call = proxy.calls.find((c) => c.action === "AssumeRoleWithSAML");
      assert.equal(call?.params.get("RoleArn"), ROLE);
      assert.equal(call?.params.get("PrincipalArn"), PRINCIPAL);
      assert.equal(call?.params.get("SAMLAssertion"), assertion.base64);
    } finally {
      await idp.close();
    }
  });
});
