import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isRunasError } from "../../domain/errors.js";
import { parseOneLoginUrl } from "./apiToken.js";
import { oneLoginApiBase, requestOneLoginAccessToken } from "./accessToken.js";

/** The API-token endpoint of the OneLogin fake contract (idp.md §5.6): checks method, path, headers and body. */
function startFake(): Promise<{ base: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push(`${req.method} ${req.url}`);
      const ok =
        req.method === "POST" && req.url === "/auth/oauth2/v2/token" &&
        req.headers["content-type"] === "application/json" && req.headers.accept === "application/json" &&
        JSON.stringify(JSON.parse(body || "{}")) === JSON.stringify({ grant_type: "client_credentials" });
      if (!ok) {
        res.writeHead(400);
        res.end("unexpected request");
        return;
      }
      if (req.headers.authorization !== `Basic ${Buffer.from("mockClientId:mockClientSecret").toString("base64")}`) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: { error: true, code: 401, type: "Unauthorized", message: "Authentication Failure" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "mockApiAccessToken", account_id: 12345, created_at: new Date().toISOString(), expires_in: 3600, token_type: "bearer" }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

describe("OneLogin API access token (idp.md §15 case 7)", () => {
  let fake: Awaited<ReturnType<typeof startFake>>;
  before(async () => {
    fake = await startFake();
  });
  after(() => fake.close());

  it("obtains the token with the credentials of the URL's token parameter", async () => {
    const token = Buffer.from("mockClientId:mockClientSecret").toString("base64");
    const parsed = parseOneLoginUrl(`${fake.base}/oidc/2?token=${token}`);
    assert.equal(parsed.baseUrl, `${fake.base}/oidc/2`);
    const t = await requestOneLoginAccessToken({ fetch, apiBase: oneLoginApiBase(parsed.baseUrl), ...parsed });
    assert.deepEqual(t, { authorization: "bearer mockApiAccessToken", expiresIn: 3600 });
  });

  it("wrong credentials are one clear error without the secret", async () => {
    await assert.rejects(
      requestOneLoginAccessToken({ fetch, apiBase: fake.base, clientId: "mockClientId", clientSecret: "wrong-secret" }),
      (e) => isRunasError(e) && e.code === "IDP_AUTH" && e.message.includes("Authentication Failure") && !e.message.includes("wrong-secret"),
    );
  });

  it("an unreachable API is an IDP_ERROR", async () => {
    await assert.rejects(
      requestOneLoginAccessToken({ fetch, apiBase: "http://127.0.0.1:9", clientId: "a", clientSecret: "b" }),
      (e) => isRunasError(e) && e.code === "IDP_ERROR",
    );
  });

  it("uses api.<region>.onelogin.com for OneLogin hosts, the host itself otherwise", () => {
    assert.equal(oneLoginApiBase("https://corp.onelogin.com/oidc/2"), "https://api.us.onelogin.com");
    assert.equal(oneLoginApiBase("https://corp.onelogin.com/trust/saml2/launch/1?app_id=2&region=eu"), "https://api.eu.onelogin.com");
    assert.equal(oneLoginApiBase("https://sso.example.com/oidc/2"), "https://sso.example.com");
  });
});
