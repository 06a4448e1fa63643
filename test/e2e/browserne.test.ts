/**
 * End to end for the `browserne` provider (idp.md §9.2): the built CLI sends the user's browser (played through the
 * BROWSER variable) to a real samlp IdP with an SP-initiated AuthnRequest, receives the SAMLResponse on its local
 * ACS listener, and assumes the role at moto.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { ROOT, cleanEnv, runCli, tempHome } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";
import { startSamlIdp, type SamlIdp } from "../fakes/samlIdp.js";

const skip = peerSkip("moto_server", ["--help"]);
// One role only: moto answers HTTP 500 to an assertion with two Role values.
const ROLE = "arn:aws:iam::123456789012:role/BrowserRole";
const PROVIDER = "arn:aws:iam::123456789012:saml-provider/CorpIdp";
const SESSION_NAME = "erin@example.com";

/** The root element of an XML document given as bytes. */
function xmlRoot(bytes: Buffer) {
  return new DOMParser().parseFromString(bytes.toString("utf8"), "text/xml").documentElement;
}

describe("the browserne SAML provider, end to end", { skip }, () => {
  let proxy: RecordingProxy;
  let idp: SamlIdp;
  useMotoBehindProxy((p) => (proxy = p));
  before(async () => {
    idp = await startSamlIdp({ roles: [`${ROLE},${PROVIDER}`], sessionName: SESSION_NAME });
  });
  after(async () => {
    await idp?.close();
  });

  const setup = (provider: string, playerMode = "sign-in") => {
    const { home, aws } = tempHome(
      `[default]\nregion = us-east-1\n\n[profile corp]\nsaml_auth_url = ${idp.url}\nsaml_provider = ${provider}\nrole_arn = ${ROLE}\n`,
      "",
    );
    const log = path.join(home, "browser.log");
    const browser = path.join(home, "browser.sh");
    writeFileSync(
      browser,
      `#!/bin/sh\nexec "${process.execPath}" --import tsx "${path.join(ROOT, "test", "helpers", "samlBrowserPlayer.ts")}" "$1"\n`,
    );
    chmodSync(browser, 0o755);
    const env = cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url, BROWSER: browser, PLAYER_LOG: log, PLAYER_MODE: playerMode });
    const lines = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
    /** The player's log once it has written where it ended (it does so just after the CLI has its answer). */
    const ended = async (): Promise<string[]> => {
      for (let i = 0; i < 200 && !lines().some((l) => /^(ended|failed) /.test(l)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return lines();
    };
    return { aws, env, lines, ended };
  };

  for (const provider of ["browserne", "browserNewExperience"]) {
    it(`saml_provider = ${provider}: signs in through the browser and assumes the role; the next run is cached`, async () => {
      const { aws, env, lines, ended } = setup(provider);
      const r = await runCli(["-O", "json", "corp"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(JSON.parse(r.stdout).AccessKeyId, /^ASIA/);

      const call = proxy.calls.find((c) => c.action === "AssumeRoleWithSAML");
      assert.equal(call?.params.get("RoleArn"), ROLE);
      assert.equal(call?.params.get("PrincipalArn"), PROVIDER);
      const log = await ended();
      const opened = (log[0] ?? "").replace(/^opened /, "");
      assert.ok(opened.startsWith(`${idp.url}?SAMLRequest=`), log.join("\n"));
      assert.ok(r.stderr.includes(`open this URL to sign in: ${opened}\n`), r.stderr);
      const request = xmlRoot(inflateRawSync(Buffer.from(new URL(opened).searchParams.get("SAMLRequest") ?? "", "base64")));
      const acs = request?.getAttribute("AssertionConsumerServiceURL") ?? "";
      assert.match(acs, /^http:\/\/localhost:\d+\/saml\/acs$/);
      const response = xmlRoot(Buffer.from(call?.params.get("SAMLAssertion") ?? "", "base64"));
      assert.equal(response?.getAttribute("InResponseTo"), request?.getAttribute("ID"), "the IdP answered our AuthnRequest");
      assert.deepEqual(log.slice(1), [`ended 200 ${acs.replace("/saml/acs", "/success")} posted-to ${acs}`]);
      assert.ok(readdirSync(aws).includes(".aws_saml_role_corp"));

      proxy.clear();
      const again = await runCli(["-O", "json", "corp"], env);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(proxy.actions(), [], "cached credentials");
      assert.equal(lines().length, 2, "no second browser");
    });
  }

  it("-l lists the role under the RoleSessionName of the assertion", async () => {
    const { env, ended } = setup("browserne");
    const r = await runCli(["-l", "corp"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Available role ARNs for ${SESSION_NAME}\n  ${ROLE}\n`);
    assert.deepEqual(proxy.actions(), [], "listing roles makes no AWS call");
    assert.match((await ended())[1] ?? "", /^ended 200 http:\/\/localhost:\d+\/success /);
  });

  it("an IdP that posts no SAMLResponse is one clear error line, exit 1, and nothing is cached", async () => {
    const { aws, env, ended } = setup("browserne", "empty-form");
    const r = await runCli(["-O", "json", "corp"], env);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0] ?? "", /^open this URL to sign in: /);
    assert.match(
      lines[1] ?? "",
      /the identity provider sent no SAMLResponse to http:\/\/localhost:\d+\/saml\/acs; check that saml_auth_url is the IdP's SAML sign-in URL for this application and that the sign-in completed$/,
    );
    assert.deepEqual(proxy.actions(), []);
    assert.deepEqual(readdirSync(aws).filter((f) => f.startsWith(".aws_saml")), []);
    assert.match((await ended())[1] ?? "", /^ended 200 http:\/\/localhost:\d+\/fail posted-to /, "the browser got the failure page");
  });
});
