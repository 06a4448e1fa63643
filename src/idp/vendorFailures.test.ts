/**
 * Failure paths every vendor must meet with one clear line: the identity provider down,
 * and an answer that is not what the protocol says (a proxy's HTML page instead of JSON).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isRunasError } from "../domain/errors.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { createHttpSession } from "./httpSession.js";
import { oktaOidcClient, oktaSamlClient } from "./okta/oktaClient.js";
import { oneloginOidcClient, oneloginSamlClient } from "./onelogin/oneloginClient.js";
import { keycloakOidcClient, keycloakSamlClient } from "./keycloak/keycloakClient.js";
import { forgerockOidcClient, forgerockSamlClient } from "./forgerock/forgerockClient.js";
import { azureAdOidcClient, azureAdSamlClient } from "./azuread/azureAdClient.js";
import type { CookieStore, IdpDeps, IdpSettings } from "./types.js";

const TOKEN = Buffer.from("mockClientId:mockClientSecret").toString("base64");

function deps(): IdpDeps {
  const cookies: CookieStore = { header: () => undefined, store: async () => undefined };
  const logger = memoryLogger();
  return {
    fetch: createHttpSession({ cookies, fetch: globalThis.fetch, logger, timeoutMs: 5000 }).fetch,
    prompter: { text: async () => "", secret: async () => "" },
    clock: { now: () => new Date() },
    logger,
    progress: () => undefined,
    openBrowser: async () => false,
  };
}

/** One RunasError whose message is a single line and carries no secret. */
async function oneLine(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (e) => {
    assert.ok(isRunasError(e), `not a RunasError: ${String(e)}`);
    assert.ok(!e.message.includes("\n"), e.message);
    for (const secret of ["goodPassword", "mockClientSecret", TOKEN]) assert.ok(!e.message.includes(secret), e.message);
    return true;
  });
}

describe("vendor failure paths", () => {
  let garbage: http.Server;
  let garbageUrl = "";
  before(async () => {
    // Answers everything with 200 and an HTML page: what a captive portal or a misrouted proxy returns.
    garbage = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Service temporarily unavailable</body></html>");
    });
    await new Promise<void>((r) => garbage.listen(0, "127.0.0.1", r));
    garbageUrl = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => garbage.close(() => r())));

  const base = { mfaType: "auto" as const, username: "alice", password: "goodPassword", clientId: "c", redirectUri: "app:/callback" };
  const cases: [string, (url: string) => Promise<unknown>][] = [
    ["okta OIDC", (url) => oktaOidcClient({ ...base, url: `${url}/oauth2` } as IdpSettings, deps()).getIdToken()],
    ["okta SAML", (url) => oktaSamlClient({ ...base, url: `${url}/home/amazon_aws/0oa1/272` } as IdpSettings, deps()).getAssertion()],
    ["onelogin OIDC", (url) => oneloginOidcClient({ ...base, url: `${url}/oidc/2?token=${TOKEN}` } as IdpSettings, deps()).getIdToken()],
    ["onelogin SAML", (url) => oneloginSamlClient({ ...base, url: `${url}/trust/saml2/launch/1?app_id=2&token=${TOKEN}` } as IdpSettings, deps()).getAssertion()],
    ["keycloak OIDC", (url) => keycloakOidcClient({ ...base, url: `${url}/auth/realms/r` } as IdpSettings, deps()).getIdToken()],
    ["keycloak SAML", (url) => keycloakSamlClient({ ...base, url: `${url}/auth/realms/r/protocol/saml/clients/aws` } as IdpSettings, deps()).getAssertion()],
    ["forgerock OIDC", (url) => forgerockOidcClient({ ...base, url: `${url}/auth/oauth2/realms/root/realms/alpha` } as IdpSettings, deps()).getIdToken()],
    ["forgerock SAML", (url) => forgerockSamlClient({ ...base, url: `${url}/auth/json/realms/root/realms/alpha/authenticate` } as IdpSettings, deps()).getAssertion()],
    ["azuread OIDC", (url) => azureAdOidcClient({ ...base, url: `${url}/tenant-id/oauth2/v2.0` } as IdpSettings, deps()).getIdToken()],
    ["azuread SAML", (url) => azureAdSamlClient({ ...base, url: `${url}/signin/AWS/app-id?tenantId=tenant-id` } as IdpSettings, deps()).getAssertion()],
  ];

  for (const [name, run] of cases) {
    it(`${name}: the identity provider down is one clear line`, async () => {
      await oneLine(run("http://127.0.0.1:1"));
    });
    it(`${name}: a malformed answer is one clear line`, async () => {
      await oneLine(run(garbageUrl));
    });
  }
});
