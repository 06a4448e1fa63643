import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { CLIENT_ID, playBrowser, startOpenIdProvider } from "../../../test/fakes/openIdProvider.js";
import type { BrowserEnd, OpenIdProvider } from "../../../test/fakes/openIdProvider.js";
import type { Prompter } from "../../ports.js";
import { isRedirectUri } from "../authorizationCode.js";
import type { IdpSettings, IdToken, RefreshTokenStore } from "../types.js";
import { genericOidcClient } from "./genericOidcClient.js";
import type { GenericOidcDeps } from "./genericOidcClient.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";

/** A refresh-token store in memory that keeps every write. */
function memoryRefreshTokens(initial?: string): RefreshTokenStore & { writes: Array<string | undefined> } {
  let value = initial;
  const writes: Array<string | undefined> = [];
  return {
    writes,
    get: () => value,
    set: async (token) => {
      writes.push(token);
      value = token;
    },
  };
}

const noPrompts: Prompter = {
  text: () => Promise.reject(new Error("no prompt expected")),
  secret: () => Promise.reject(new Error("no prompt expected")),
};

/** Dependencies as the CLI gives them, with stderr lines and browser visits kept for assertions. */
function deps(o: {
  browser?: (url: string) => Promise<BrowserEnd>;
  prompter?: Prompter;
  refreshTokens?: RefreshTokenStore;
}): GenericOidcDeps & { progressLines: string[]; opened: string[]; browsed: Array<Promise<BrowserEnd>>; signal: AbortSignal } {
  const progressLines: string[] = [];
  const opened: string[] = [];
  const browsed: Array<Promise<BrowserEnd>> = [];
  // A browser walk that never reaches the redirect would leave the client waiting for minutes: end the test instead.
  const stuck = new AbortController();
  return {
    progressLines,
    opened,
    browsed,
    signal: stuck.signal,
    fetch: (input, init) => fetch(input, { ...init, redirect: "manual" }),
    prompter: o.prompter ?? noPrompts,
    clock: { now: () => new Date() },
    logger: memoryLogger(),
    progress: (line) => progressLines.push(line),
    openBrowser: async (url) => {
      opened.push(url);
      if (o.browser === undefined) throw new Error("no browser expected");
      // Like a real browser: it opens at once, the person signs in while aws-runas waits.
      const walk = o.browser(url);
      browsed.push(walk);
      walk.then(
        (end) => {
          if ("page" in end) stuck.abort(new Error(`the browser ended on a page: HTTP ${end.page.status} at ${end.page.url.href}`));
        },
        (e: unknown) => stuck.abort(e),
      );
      return true;
    },
    ...(o.refreshTokens === undefined ? {} : { refreshTokens: o.refreshTokens }),
  };
}

function settings(url: string, extra: Partial<IdpSettings> = {}): IdpSettings {
  return { url, provider: "oidc", mfaType: "auto", clientId: CLIENT_ID, ...extra };
}

/** Plays the person at the browser: signs in and lets the redirect reach the loopback listener. */
const signInAndReturn = (o: { deny?: boolean } = {}) => (url: string) => {
  const redirectUri = new URL(url).searchParams.get("redirect_uri") ?? "";
  return playBrowser(url, { stopAt: (u) => isRedirectUri(u, redirectUri), visit: true, login: "alice", ...o });
};

function claimsOf(token: IdToken) {
  const c = token.claims;
  return { sub: c.sub, aud: c.aud, iss: c.iss };
}

/** A server on 127.0.0.1:0 that answers every request with `status` and the JSON `body(base)`. */
async function jsonServer(status: number, body: (base: string) => unknown) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on("request", (_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body(base)));
  });
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("genericOidcClient against a real OpenID Provider", () => {
  let op: OpenIdProvider;
  let host: string;
  before(async () => {
    op = await startOpenIdProvider({ deviceInterval: 1 });
    host = new URL(op.issuer).host;
  });
  after(() => op.close());

  it("signs in in the browser through a loopback redirect on a free port", async () => {
    const refreshTokens = memoryRefreshTokens();
    const d = deps({ browser: signInAndReturn(), refreshTokens });
    const token = await genericOidcClient(settings(op.issuer, { redirectUri: "http://127.0.0.1/callback" }), d).getIdToken(d.signal);

    assert.deepEqual(claimsOf(token), { sub: "alice", aud: CLIENT_ID, iss: op.issuer });
    assert.ok(token.expiresAt() !== undefined);
    assert.equal(d.opened.length, 1);
    const authorize = new URL(d.opened[0] ?? "");
    assert.deepEqual(d.progressLines, [`open this URL to sign in: ${authorize.href}`]);
    assert.equal(authorize.searchParams.get("scope"), "openid offline_access");
    assert.match(authorize.searchParams.get("redirect_uri") ?? "", /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.notEqual(authorize.searchParams.get("nonce"), null);
    const browser = await d.browsed[0];
    assert.ok(browser !== undefined && "visited" in browser);
    assert.equal(browser.visited?.status, 200);
    assert.match(browser.visited?.body ?? "", /Signed in, you can close this tab\./);
    assert.equal(refreshTokens.writes.length, 1);
    assert.equal(typeof refreshTokens.writes[0], "string");
  });

  it("listens exactly on a configured localhost port", async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const d = deps({ browser: signInAndReturn() });
    const token = await genericOidcClient(settings(op.issuer, { redirectUri: `http://localhost:${port}/callback` }), d).getIdToken(d.signal);
    assert.deepEqual(claimsOf(token), { sub: "alice", aud: CLIENT_ID, iss: op.issuer });
    assert.equal(new URL(d.opened[0] ?? "").searchParams.get("redirect_uri"), `http://localhost:${port}/callback`);
  });

  it("signs in with the stored refresh token without opening a browser, and keeps the rotated one", async () => {
    const first = memoryRefreshTokens();
    const firstDeps = deps({ browser: signInAndReturn(), refreshTokens: first });
    await genericOidcClient(settings(op.issuer), firstDeps).getIdToken(firstDeps.signal);
    const stored = first.get();
    assert.ok(stored !== undefined);

    const refreshTokens = memoryRefreshTokens(stored);
    const d = deps({ refreshTokens });
    const seen = op.requests.length;
    const token = await genericOidcClient(settings(op.issuer), d).getIdToken(d.signal);
    assert.deepEqual(claimsOf(token), { sub: "alice", aud: CLIENT_ID, iss: op.issuer });
    assert.deepEqual(d.opened, []);
    assert.deepEqual(d.progressLines, []);
    assert.deepEqual(op.requests.slice(seen), ["GET /.well-known/openid-configuration", "POST /token grant_type=refresh_token"]);
    assert.equal(refreshTokens.writes.length, 1);
    assert.notEqual(refreshTokens.writes[0], stored);
    assert.equal(typeof refreshTokens.writes[0], "string");
  });

  it("signs in again when the stored refresh token is refused", async () => {
    const refreshTokens = memoryRefreshTokens("not-a-refresh-token");
    const d = deps({ browser: signInAndReturn(), refreshTokens });
    const token = await genericOidcClient(settings(op.issuer), d).getIdToken(d.signal);
    assert.deepEqual(claimsOf(token), { sub: "alice", aud: CLIENT_ID, iss: op.issuer });
    assert.equal(d.opened.length, 1);
    assert.equal(refreshTokens.writes[0], undefined);
    assert.equal(typeof refreshTokens.writes[1], "string");
    assert.equal(refreshTokens.writes.length, 2);
  });

  it("sends the back-channel requests through baseFetch, and keeps the refresh token after a network failure", async () => {
    const refreshTokens = memoryRefreshTokens("a-stored-token");
    const d = deps({ browser: signInAndReturn(), refreshTokens });
    const backChannel: string[] = [];
    d.fetch = () => Promise.reject(new Error("the cookie-keeping fetch is not for back-channel requests"));
    d.baseFetch = async (input, init) => {
      const grant = init?.body instanceof URLSearchParams ? init.body.get("grant_type") : null;
      backChannel.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}${grant === null ? "" : ` ${grant}`}`);
      if (grant === "refresh_token") throw new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) });
      return fetch(input, init);
    };
    const token = await genericOidcClient(settings(op.issuer), d).getIdToken(d.signal);
    assert.deepEqual(claimsOf(token), { sub: "alice", aud: CLIENT_ID, iss: op.issuer });
    assert.deepEqual(backChannel, [
      "GET /.well-known/openid-configuration",
      "POST /token refresh_token",
      "POST /token authorization_code",
    ]);
    assert.equal(refreshTokens.writes.length, 1);
    assert.equal(typeof refreshTokens.writes[0], "string");
    assert.notEqual(refreshTokens.writes[0], "a-stored-token");
  });

  it("signs in with the device flow while the user confirms on the provider's pages", async () => {
    const refreshTokens = memoryRefreshTokens();
    const browsed: Array<Promise<BrowserEnd>> = [];
    const d = deps({ refreshTokens });
    d.progress = (line) => {
      d.progressLines.push(line);
      const url = /open (\S+)/.exec(line)?.[1];
      if (url !== undefined) browsed.push(playBrowser(url, { login: "bob" }));
    };
    const token = await genericOidcClient(settings(op.issuer, { flow: "device" }), d).getIdToken(d.signal);
    assert.deepEqual(claimsOf(token), { sub: "bob", aud: CLIENT_ID, iss: op.issuer });
    assert.equal(d.progressLines.length, 1);
    assert.match(d.progressLines[0] ?? "", /^to sign in, open http:\/\/127\.0\.0\.1:\d+\/device\?user_code=(\S+) \(the page shows the code \1\)$/);
    const end = await browsed[0];
    assert.ok(end !== undefined && "page" in end);
    assert.match(end.page.body, /Sign-in Success/);
    assert.deepEqual(d.opened, []);
    assert.equal(typeof refreshTokens.get(), "string");
  });

  it("says so when the user aborts the device sign-in", async () => {
    const d = deps({});
    d.progress = (line) => {
      const url = /open (\S+)/.exec(line)?.[1];
      if (url !== undefined) void playBrowser(url, { deny: true });
    };
    assert.deepEqual(await runasFailure(genericOidcClient(settings(op.issuer, { flow: "device" }), d).getIdToken(d.signal)), {
      code: "IDP_AUTH",
      message: `${host} refused the sign-in: access_denied: End-User aborted interaction`,
    });
  });

  it("says so when the user cancels the consent, in the terminal and in the browser", async () => {
    const refreshTokens = memoryRefreshTokens();
    const d = deps({ browser: signInAndReturn({ deny: true }), refreshTokens });
    const message = `${host} refused the sign-in: access_denied: End-User aborted interaction`;
    assert.deepEqual(await runasFailure(genericOidcClient(settings(op.issuer), d).getIdToken(d.signal)), { code: "IDP_AUTH", message });
    const browser = await d.browsed[0];
    assert.ok(browser !== undefined && "visited" in browser);
    assert.equal(browser.visited?.status, 400);
    assert.match(browser.visited?.body ?? "", new RegExp(`The sign-in failed: ${message.replace(/[.:]/g, "\\$&")}`));
    assert.deepEqual(refreshTokens.writes, []);
  });

  it("takes the pasted address when the redirect URI is not on the loopback", async () => {
    let end: Promise<BrowserEnd> | undefined;
    const d = deps({
      browser: (url) => (end = playBrowser(url, { stopAt: (u) => isRedirectUri(u, "app:/callback") })),
      prompter: {
        text: async (message) => {
          assert.equal(message, "after signing in, paste the address the browser was sent to: ");
          const e = await end;
          assert.ok(e !== undefined && "redirectedTo" in e);
          return `${e.redirectedTo.href}\n`;
        },
        secret: () => Promise.reject(new Error("no secret prompt expected")),
      },
    });
    const token = await genericOidcClient(settings(op.issuer, { redirectUri: "app:/callback" }), d).getIdToken(d.signal);
    assert.deepEqual(claimsOf(token), { sub: "alice", aud: CLIENT_ID, iss: op.issuer });
  });

  it("accepts the issuer written with a trailing slash", async () => {
    const d = deps({ browser: signInAndReturn() });
    const token = await genericOidcClient(settings(`${op.issuer}/`), d).getIdToken(d.signal);
    assert.equal(token.claims.iss, op.issuer);
  });
});

describe("genericOidcClient asks for offline access only where it is offered", () => {
  it("requests openid alone when the discovery document has no offline_access", async () => {
    const op = await startOpenIdProvider({ offlineAccess: false });
    try {
      const d = deps({ browser: signInAndReturn() });
      await genericOidcClient(settings(op.issuer), d).getIdToken(d.signal);
      assert.equal(new URL(d.opened[0] ?? "").searchParams.get("scope"), "openid");
    } finally {
      await op.close();
    }
  });
});

describe("genericOidcClient errors", () => {
  it("names an unreachable provider", async () => {
    const gone = await jsonServer(200, () => ({}));
    await gone.close();
    const f = await runasFailure(genericOidcClient(settings(gone.base), deps({})).getIdToken());
    assert.equal(f.code, "IDP_ERROR");
    assert.match(
      f.message,
      new RegExp(`^could not reach the OpenID Provider at ${gone.base} \\(.*ECONNREFUSED.*\\); check web_identity_auth_url and the network$`),
    );
  });

  const discoveryCases: Array<{ name: string; status: number; body: (base: string) => unknown; flow?: "device"; message: string }> = [
    {
      name: "no discovery document",
      status: 404,
      body: () => ({ error: "not found" }),
      message: "HOST gave no usable OpenID configuration (HTTP 404) at BASE/.well-known/openid-configuration; set web_identity_auth_url to the provider's issuer",
    },
    {
      name: "another issuer",
      status: 200,
      body: () => ({ issuer: "https://elsewhere.example.com", token_endpoint: "https://elsewhere.example.com/token" }),
      message:
        "the OpenID configuration at HOST is for the issuer https://elsewhere.example.com, not BASE/; set web_identity_auth_url to https://elsewhere.example.com",
    },
    {
      name: "no token endpoint",
      status: 200,
      body: (base) => ({ issuer: base, authorization_endpoint: `${base}/auth` }),
      message: "the OpenID Provider BASE offers no token_endpoint in its discovery document, so aws-runas cannot do the sign-in; check web_identity_auth_url",
    },
    {
      name: "no authorization endpoint",
      status: 200,
      body: (base) => ({ issuer: base, token_endpoint: `${base}/token` }),
      message:
        "the OpenID Provider BASE offers no authorization_endpoint in its discovery document, so aws-runas cannot do the browser sign-in; check web_identity_auth_url",
    },
    {
      name: "no device authorization endpoint",
      status: 200,
      flow: "device",
      body: (base) => ({ issuer: base, token_endpoint: `${base}/token`, authorization_endpoint: `${base}/auth` }),
      message:
        "the OpenID Provider BASE offers no device_authorization_endpoint in its discovery document, so aws-runas cannot do the device sign-in; use web_identity_flow = browser",
    },
  ];
  for (const c of discoveryCases) {
    it(`explains a provider with ${c.name}`, async () => {
      const idp = await jsonServer(c.status, c.body);
      try {
        const s = settings(idp.base, c.flow === undefined ? {} : { flow: c.flow });
        assert.deepEqual(await runasFailure(genericOidcClient(s, deps({})).getIdToken()), {
          code: "IDP_ERROR",
          message: c.message.replaceAll("HOST", new URL(idp.base).host).replaceAll("BASE", idp.base),
        });
      } finally {
        await idp.close();
      }
    });
  }

  const configCases: Array<{ name: string; s: IdpSettings; message: string }> = [
    {
      name: "plain http to another machine",
      s: settings("http://idp.example.com/realms/x"),
      message: "web_identity_auth_url must start with https:// (http:// only for 127.0.0.1, localhost or [::1]); it is http://idp.example.com",
    },
    {
      name: "no client id",
      s: { url: "https://idp.example.com", provider: "oidc", mfaType: "auto" },
      message: "web_identity_client_id is not set; set it to the id of the client registered for aws-runas at the OpenID Provider",
    },
    {
      name: "an auth URL that is not a URL",
      s: settings("idp.example.com"),
      message: "web_identity_auth_url 'idp.example.com' is not a URL; set it to the OpenID Provider's issuer",
    },
  ];
  for (const c of configCases) {
    it(`refuses ${c.name} before any request`, async () => {
      assert.deepEqual(await runasFailure(genericOidcClient(c.s, deps({})).getIdToken()), { code: "INVALID_CONFIG", message: c.message });
    });
  }

  it("is the oidc vendor", () => {
    assert.equal(genericOidcClient(settings("https://idp.example.com"), deps({})).vendor, "oidc");
  });
});
