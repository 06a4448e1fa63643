import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isRunasError } from "../domain/errors.js";
import { CLIENT_ID, playBrowser, startOpenIdProvider } from "../../test/fakes/openIdProvider.js";
import type { OpenIdProvider } from "../../test/fakes/openIdProvider.js";
import {
  authorize,
  buildAuthorizationRequest,
  codeFromRedirect,
  exchangeCode,
  isRedirectUri,
} from "./authorizationCode.js";
import type { AuthorizationRequest } from "./authorizationCode.js";
import { parseIdToken } from "./idToken.js";
import { pkceChallenge } from "./pkce.js";
import type { Fetch } from "./types.js";
import { runasFailure } from "../../test/helpers/runasFailure.js";

/** The global fetch with redirects returned, as the per-client HTTP session sends requests. */
const manualFetch: Fetch = (input, init) => fetch(input, { ...init, redirect: "manual" });

/** An unsigned JWT with these claims (the code under test reads, never verifies, it). */
function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** An HTTP server on 127.0.0.1:0 answering with `handler`; its requests' method, path and body are kept. */
async function server(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const seen: Array<{ method: string; url: string; body: string; contentType: string | undefined }> = [];
  const s = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body, contentType: req.headers["content-type"] });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function request(redirectUri = "app:/callback"): AuthorizationRequest {
  return buildAuthorizationRequest({ authorizeEndpoint: "https://idp.example.com/oauth2/v1/authorize", clientId: "cid", redirectUri });
}

/** The code and message of what `fn` throws. */
function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isRunasError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("nothing was thrown");
}

describe("buildAuthorizationRequest (idp.md §15 case 10)", () => {
  it("sends exactly the PKCE authorization parameters, with a state and a nonce", () => {
    const req = buildAuthorizationRequest({
      authorizeEndpoint: "https://idp.example.com/oauth2/v1/authorize?stale=1",
      clientId: "my-client",
      redirectUri: "http://localhost:12345/login",
    });
    const q = req.url.searchParams;
    assert.equal(`${req.url.origin}${req.url.pathname}`, "https://idp.example.com/oauth2/v1/authorize");
    assert.deepEqual([...q], [
      ["client_id", "my-client"],
      ["code_challenge", pkceChallenge(req.verifier)],
      ["code_challenge_method", "S256"],
      ["redirect_uri", "http://localhost:12345/login"],
      ["response_type", "code"],
      ["scope", "openid"],
      ["state", req.state],
      ["nonce", req.nonce],
    ]);
    assert.equal(req.redirectUri, "http://localhost:12345/login");
    assert.match(req.state, /^[A-Za-z0-9_-]{32}$/);
    assert.match(req.nonce, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(req.state, req.nonce);
  });

  it("space-joins the scopes, openid first and once, and adds the extra parameters", () => {
    const req = buildAuthorizationRequest({
      authorizeEndpoint: "https://org.okta.com/oauth2/v1/authorize",
      clientId: "c",
      redirectUri: "app:/callback",
      scopes: ["profile", "openid", "email", "profile"],
      extra: { sessionToken: "tok" },
    });
    assert.equal(req.url.searchParams.get("scope"), "openid profile email");
    assert.equal(req.url.searchParams.getAll("scope").length, 1);
    assert.equal(req.url.searchParams.get("sessionToken"), "tok");
  });

  it("makes a new state, nonce and verifier for every request", () => {
    const a = request();
    const b = request();
    assert.notEqual(a.state, b.state);
    assert.notEqual(a.nonce, b.nonce);
    assert.notEqual(a.verifier, b.verifier);
  });
});

describe("codeFromRedirect (idp.md §15 case 11, decisions on §13.11)", () => {
  const req = request();
  const at = (query: Record<string, string>) => new URL(`app:/callback?${new URLSearchParams(query).toString()}`);

  it("returns the code when the state is the one sent", () => {
    assert.equal(codeFromRedirect(at({ code: "the-code", state: req.state }), req), "the-code");
  });

  const cases: Array<{ name: string; query: Record<string, string>; code: string; message: string }> = [
    {
      name: "another state",
      query: { code: "c", state: "someone-else" },
      code: "IDP_ERROR",
      message: "oauth state token mismatch: the sign-in redirect does not belong to this sign-in; run aws-runas again",
    },
    {
      name: "no state",
      query: { code: "c" },
      code: "IDP_ERROR",
      message: "oauth state token mismatch: the sign-in redirect does not belong to this sign-in; run aws-runas again",
    },
    {
      name: "an error with its description",
      query: { error: "access_denied", error_description: "The user said no", state: req.state },
      code: "IDP_AUTH",
      message: "idp.example.com refused the sign-in: access_denied: The user said no",
    },
    {
      name: "an error without a description or state",
      query: { error: "login_required" },
      code: "IDP_AUTH",
      message: "idp.example.com refused the sign-in: login_required",
    },
    {
      name: "an error with another state",
      query: { error: "access_denied", state: "forged" },
      code: "IDP_ERROR",
      message: "oauth state token mismatch: the sign-in redirect does not belong to this sign-in; run aws-runas again",
    },
    {
      name: "no code",
      query: { state: req.state },
      code: "IDP_ERROR",
      message:
        "the redirect back from idp.example.com carried no authorization code; check the client's redirect URI at the identity provider",
    },
  ];
  for (const c of cases) {
    it(`refuses a redirect with ${c.name}`, () => {
      assert.deepEqual(failure(() => codeFromRedirect(at(c.query), req)), { code: c.code, message: c.message });
    });
  }

  it("keeps an IdP's error description on one line", () => {
    const f = failure(() => codeFromRedirect(at({ error: "x", error_description: "line one\nline two", state: req.state }), req));
    assert.equal(f.message, "idp.example.com refused the sign-in: x: line one line two");
  });
});

describe("isRedirectUri", () => {
  const cases: Array<[string, string, boolean]> = [
    ["app:/callback?code=1", "app:/callback", true],
    ["app:/other?code=1", "app:/callback", false],
    ["http://localhost:12345/login?code=1", "http://localhost:12345/login", true],
    ["http://localhost:12345/login-page?code=1", "http://localhost:12345/login", false],
    ["http://localhost:12346/login?code=1", "http://localhost:12345/login", false],
    ["http://localhost:12345/?code=1", "http://localhost:12345", true],
  ];
  for (const [url, uri, expected] of cases) {
    it(`${url} ${expected ? "goes" : "does not go"} to ${uri}`, () => assert.equal(isRedirectUri(new URL(url), uri), expected));
  }
});

describe("authorize", () => {
  let idp: Awaited<ReturnType<typeof server>>;
  let closed: number;
  before(async () => {
    closed = await closedPort();
    idp = await server((req, _body, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const state = url.searchParams.get("state") ?? "";
      const to = (location: string) => {
        res.writeHead(302, { location });
        res.end();
      };
      switch (url.pathname) {
        case "/page":
          res.writeHead(200, { "content-type": "text/html" });
          res.end("<html>a login page</html>");
          return;
        case "/redirect":
          return to(`/callback?code=direct&state=${state}`);
        case "/chain-app":
          return to(`/hop?next=app&state=${state}`);
        case "/chain-localhost":
          return to(`/hop?next=localhost&state=${state}`);
        case "/hop":
          return to(
            url.searchParams.get("next") === "app"
              ? `app:/callback?code=app-code&state=${state}`
              : `http://localhost:${closed}/login?code=localhost-code&state=${state}`,
          );
        default:
          res.writeHead(404);
          res.end();
      }
    });
  });
  after(() => idp.close());

  const req = (path: string, redirectUri: string) =>
    buildAuthorizationRequest({ authorizeEndpoint: `${idp.base}${path}`, clientId: "c", redirectUri });

  it("without following, returns the Location of the 302", async () => {
    const r = req("/redirect", "app:/callback");
    const back = await authorize({ fetch: manualFetch, req: r, follow: false });
    assert.equal(back.href, `${idp.base}/callback?code=direct&state=${r.state}`);
  });

  it("without following, a 200 is an error naming the status (idp.md §15 case 12)", async () => {
    assert.deepEqual(await runasFailure(authorize({ fetch: manualFetch, req: req("/page", "app:/callback"), follow: false })), {
      code: "IDP_ERROR",
      message:
        `the authorization request to ${new URL(idp.base).host} did not redirect back to the client (http status 200 OK); ` +
        "sign in to the identity provider first, and check the client id and redirect URI",
    });
  });

  it("following, captures app:/callback at the end of a redirect chain (idp.md §15 case 13)", async () => {
    const r = req("/chain-app", "app:/callback");
    const back = await authorize({ fetch: manualFetch, req: r, follow: true });
    assert.equal(back.href, `app:/callback?code=app-code&state=${r.state}`);
    assert.equal(codeFromRedirect(back, r), "app-code");
  });

  it("following, captures a redirect to a closed localhost port without requesting it (idp.md §15 case 13)", async () => {
    const r = req("/chain-localhost", `http://localhost:${closed}/login`);
    const before = idp.seen.length;
    const back = await authorize({ fetch: manualFetch, req: r, follow: true });
    assert.equal(codeFromRedirect(back, r), "localhost-code");
    assert.deepEqual(
      idp.seen.slice(before).map((s) => new URL(s.url, "http://x").pathname),
      ["/chain-localhost", "/hop"],
    );
  });

  it("following, a page instead of the redirect is an error", async () => {
    const f = await runasFailure(authorize({ fetch: manualFetch, req: req("/page", "app:/callback"), follow: true }));
    assert.equal(f.code, "IDP_ERROR");
    assert.match(f.message, /\(http status 200 OK\)/);
  });
});

describe("exchangeCode (idp.md §15 case 14)", () => {
  let token: Awaited<ReturnType<typeof server>>;
  let reply: { status: number; body: unknown } = { status: 200, body: {} };
  before(async () => {
    token = await server((_req, _body, res) => {
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(JSON.stringify(reply.body));
    });
  });
  after(() => token.close());

  const exchange = (req: AuthorizationRequest) =>
    exchangeCode({ fetch: manualFetch, tokenEndpoint: `${token.base}/token`, clientId: "cid", code: "the-code", req });

  it("posts exactly client_id, code, code_verifier, grant_type and redirect_uri, and returns the tokens", async () => {
    const req = request("http://localhost:12345/login");
    const idToken = jwt({ sub: "alice", nonce: req.nonce });
    reply = { status: 200, body: { access_token: "at", token_type: "Bearer", id_token: idToken, refresh_token: "rt" } };
    const before = token.seen.length;
    assert.deepEqual(await exchange(req), { idToken, refreshToken: "rt" });
    const sent = token.seen.slice(before);
    assert.deepEqual(
      sent.map((s) => ({ method: s.method, url: s.url, contentType: s.contentType, body: [...new URLSearchParams(s.body)] })),
      [
        {
          method: "POST",
          url: "/token",
          contentType: "application/x-www-form-urlencoded",
          body: [
            ["client_id", "cid"],
            ["code", "the-code"],
            ["code_verifier", req.verifier],
            ["grant_type", "authorization_code"],
            ["redirect_uri", "http://localhost:12345/login"],
          ],
        },
      ],
    );
  });

  it("accepts an id token without a nonce, and no refresh token", async () => {
    const idToken = jwt({ sub: "alice" });
    reply = { status: 200, body: { access_token: "at", id_token: idToken } };
    assert.deepEqual(await exchange(request()), { idToken });
  });

  const cases: Array<{ name: string; status: number; body: unknown; message: string }> = [
    {
      name: "a non-200 answer",
      status: 400,
      body: { error: "invalid_grant", error_description: "code expired" },
      message: "oAuth token request error: http status 400 Bad Request: invalid_grant: code expired",
    },
    {
      name: "a non-200 answer without JSON",
      status: 502,
      body: "gateway",
      message: "oAuth token request error: http status 502 Bad Gateway",
    },
    {
      name: "no id token",
      status: 200,
      body: { access_token: "at" },
      message: "the token response from HOST has no id_token; check that the client may use the openid scope",
    },
    {
      name: "an id token for another nonce",
      status: 200,
      body: { id_token: jwt({ sub: "alice", nonce: "another" }) },
      message: "the id token from HOST answers another sign-in (nonce mismatch); run aws-runas again",
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      reply = { status: c.status, body: c.body };
      assert.deepEqual(await runasFailure(exchange(request())), {
        code: "IDP_ERROR",
        message: c.message.replace("HOST", new URL(token.base).host),
      });
    });
  }

  it("says so when the token endpoint cannot be reached", async () => {
    const port = await closedPort();
    const f = await runasFailure(
      exchangeCode({ fetch: manualFetch, tokenEndpoint: `http://127.0.0.1:${port}/token`, clientId: "c", code: "x", req: request() }),
    );
    assert.equal(f.code, "IDP_ERROR");
    assert.match(f.message, new RegExp(`^could not reach http://127\\.0\\.0\\.1:${port} for the token request \\(.*ECONNREFUSED.*\\); check the URL and the network$`));
  });
});

describe("the code flow against a real OpenID Provider", () => {
  let op: OpenIdProvider;
  before(async () => {
    op = await startOpenIdProvider();
  });
  after(() => op.close());

  it("signs in through the login and consent pages and exchanges the code for an id token", async () => {
    const discovery = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    const req = buildAuthorizationRequest({
      authorizeEndpoint: discovery.authorization_endpoint ?? "",
      clientId: CLIENT_ID,
      redirectUri: "app:/callback",
      scopes: ["email"],
    });
    const end = await playBrowser(req.url, { stopAt: (url) => isRedirectUri(url, "app:/callback"), login: "alice" });
    assert.ok("redirectedTo" in end, "the pages should end in a redirect to app:/callback");
    const code = codeFromRedirect(end.redirectedTo, req);
    const tokens = await exchangeCode({
      fetch: manualFetch,
      tokenEndpoint: discovery.token_endpoint ?? "",
      clientId: CLIENT_ID,
      code,
      req,
    });
    const claims = parseIdToken(tokens.idToken).claims;
    assert.deepEqual(
      { sub: claims.sub, aud: claims.aud, iss: claims.iss, nonce: claims.nonce },
      { sub: "alice", aud: CLIENT_ID, iss: op.issuer, nonce: req.nonce },
    );
    assert.equal(typeof tokens.refreshToken, "string");
  });

  it("surfaces the provider's refusal when the user cancels the consent", async () => {
    const discovery = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    const req = buildAuthorizationRequest({
      authorizeEndpoint: discovery.authorization_endpoint ?? "",
      clientId: CLIENT_ID,
      redirectUri: "app:/callback",
    });
    const end = await playBrowser(req.url, { stopAt: (url) => isRedirectUri(url, "app:/callback"), deny: true });
    assert.ok("redirectedTo" in end);
    assert.deepEqual(failure(() => codeFromRedirect(end.redirectedTo, req)), {
      code: "IDP_AUTH",
      message: `${new URL(op.issuer).host} refused the sign-in: access_denied: End-User aborted interaction`,
    });
  });
});
