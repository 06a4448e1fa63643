import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { isRunasError } from "../domain/errors.js";
import { createHttpSession, followRedirects } from "./httpSession.js";
import type { HttpSession } from "./httpSession.js";
import type { CookieStore } from "./types.js";

/** Cookies by host, name → value, ignoring attributes; records every store() call. */
function memoryCookies(): CookieStore & { stores: string[] } {
  const jar = new Map<string, Map<string, string>>();
  const stores: string[] = [];
  return {
    stores,
    header(url) {
      const cookies = jar.get(url.host);
      if (cookies === undefined || cookies.size === 0) return undefined;
      return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    },
    async store(url, setCookies) {
      stores.push(`${url.pathname}: ${setCookies.join(" | ")}`);
      const cookies = jar.get(url.host) ?? new Map<string, string>();
      for (const c of setCookies) {
        const pair = c.split(";")[0] ?? "";
        const eq = pair.indexOf("=");
        cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      jar.set(url.host, cookies);
    },
  };
}

interface Echo {
  method: string;
  path: string;
  cookie: string | null;
  body: string;
  contentType: string | null;
  authorization: string | null;
}

/** The code and message of the RunasError a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isRunasError(e), `not a RunasError: ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  assert.fail("expected a rejection");
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe("createHttpSession and followRedirects", () => {
  let base = "";
  let other = "";
  let closedPort = 0;
  const seen: string[] = [];

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.push(`${req.method ?? ""} ${url.pathname}`);
    const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (chain !== null) {
      const n = Number(chain[1]);
      if (n > 0) res.writeHead(302, { Location: `/chain/${n - 1}` }).end();
      else res.writeHead(200).end("end of chain");
      return;
    }
    switch (url.pathname) {
      case "/echo": {
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => (body += chunk));
        req.on("end", () => {
          const echo: Echo = {
            method: req.method ?? "",
            path: url.pathname,
            cookie: req.headers.cookie ?? null,
            body,
            contentType: req.headers["content-type"] ?? null,
            authorization: req.headers.authorization ?? null,
          };
          res.writeHead(200, { "Set-Cookie": ["a=1; Path=/", "b=2; HttpOnly"] }).end(JSON.stringify(echo));
        });
        return;
      }
      case "/redirect":
        res.writeHead(302, { Location: "/echo?from=redirect", "Set-Cookie": "hop=1; Path=/" }).end("moved");
        return;
      case "/see-other":
        res.writeHead(303, { Location: "echo" }).end();
        return;
      case "/found":
        res.writeHead(302, { Location: "/echo" }).end();
        return;
      case "/temporary":
        res.writeHead(307, { Location: "/echo" }).end();
        return;
      case "/permanent":
        res.writeHead(308, { Location: "/echo" }).end();
        return;
      case "/elsewhere":
        res.writeHead(302, { Location: `${other}/echo` }).end();
        return;
      case "/to-app":
        res.writeHead(302, { Location: "app:/callback?code=abc&state=xyz" }).end();
        return;
      case "/to-closed":
        res.writeHead(302, { Location: `http://localhost:${closedPort}/login?code=abc&state=xyz` }).end();
        return;
      case "/no-location":
        res.writeHead(302).end("no location");
        return;
      case "/hang":
        return;
      default:
        res.writeHead(404).end();
    }
  };
  const server = http.createServer(handler);
  const otherServer = http.createServer(handler);

  let cookies: ReturnType<typeof memoryCookies>;
  let logger: ReturnType<typeof memoryLogger>;
  let session: HttpSession;

  before(async () => {
    base = await listen(server);
    other = await listen(otherServer);
    const closed = http.createServer();
    closedPort = Number(new URL(await listen(closed)).port);
    await stop(closed);
  });
  after(async () => {
    await stop(server);
    await stop(otherServer);
  });
  beforeEach(() => {
    seen.length = 0;
    cookies = memoryCookies();
    logger = memoryLogger();
    session = createHttpSession({ cookies, fetch: globalThis.fetch, logger });
  });

  it("keeps the cookies of every answer and sends them back, after the caller's own", async () => {
    const first = (await (await session.fetch(`${base}/echo`)).json()) as Echo;
    assert.equal(first.cookie, null);
    const second = (await (
      await session.fetch(new URL(`${base}/echo`), { headers: { Cookie: "mine=0" } })
    ).json()) as Echo;
    assert.equal(second.cookie, "mine=0; a=1; b=2");
    assert.deepEqual(cookies.stores, ["/echo: a=1; Path=/ | b=2; HttpOnly", "/echo: a=1; Path=/ | b=2; HttpOnly"]);
  });

  it("returns a redirect instead of following it, even when asked to follow, keeping its cookies", async () => {
    const res = await session.fetch(`${base}/redirect`, { redirect: "follow" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "/echo?from=redirect");
    assert.equal(await res.text(), "moved");
    assert.deepEqual(seen, ["GET /redirect"]);
    assert.deepEqual(cookies.stores, ["/redirect: hop=1; Path=/"]);
  });

  it("logs method, origin and path, never the query, body or cookies", async () => {
    await (await session.fetch(`${base}/echo?code=s3cret#frag`, { method: "post", body: "password=hunter2" })).text();
    await (await session.fetch(`${base}/echo`)).text();
    assert.deepEqual(logger.lines, [`DEBUG POST ${base}/echo: HTTP 200`, `DEBUG GET ${base}/echo: HTTP 200`]);
  });

  it("gives up on a request after its timeout with a clear error", async () => {
    const quick = createHttpSession({ cookies, fetch: globalThis.fetch, timeoutMs: 100, logger });
    assert.deepEqual(await failure(quick.fetch(`${base}/hang?token=s3cret`)), {
      code: "IDP_ERROR",
      message: `GET ${base}/hang got no answer within 0.1 s; check the network and that the identity provider is up`,
    });
  });

  it("lets the caller's own abort through unchanged", async () => {
    const controller = new AbortController();
    const pending = session.fetch(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, (e: unknown) => {
      assert.ok(!isRunasError(e));
      assert.equal((e as { name?: unknown }).name, "AbortError");
      return true;
    });
  });

  it("says which address could not be reached and why", async () => {
    assert.deepEqual(await failure(session.fetch(`http://127.0.0.1:${closedPort}/sso?token=s3cret`)), {
      code: "IDP_ERROR",
      message:
        `could not reach http://127.0.0.1:${closedPort} (connect ECONNREFUSED 127.0.0.1:${closedPort}); ` +
        "check the URL and the network",
    });
  });

  it("followRedirects stores cookies at every hop and sends them on the next", async () => {
    const result = await followRedirects(session, `${base}/redirect`);
    assert.ok("response" in result);
    assert.equal(result.url.href, `${base}/echo?from=redirect`);
    assert.deepEqual(await result.response.json(), {
      method: "GET",
      path: "/echo",
      cookie: "hop=1",
      body: "",
      contentType: null,
      authorization: null,
    } satisfies Echo);
    assert.deepEqual(seen, ["GET /redirect", "GET /echo"]);
  });

  const methodCases: [path: string, method: string, want: Pick<Echo, "method" | "body" | "contentType">][] = [
    ["/see-other", "POST", { method: "GET", body: "", contentType: null }],
    ["/found", "POST", { method: "GET", body: "", contentType: null }],
    ["/temporary", "POST", { method: "POST", body: "user=alice", contentType: "application/x-www-form-urlencoded" }],
    ["/permanent", "PUT", { method: "PUT", body: "user=alice", contentType: "application/x-www-form-urlencoded" }],
  ];
  for (const [path, method, want] of methodCases) {
    it(`followRedirects: ${method} then ${path} arrives as ${want.method}`, async () => {
      const result = await followRedirects(session, `${base}${path}`, {
        method,
        body: "user=alice",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      assert.ok("response" in result);
      const echo = (await result.response.json()) as Echo;
      assert.deepEqual({ method: echo.method, body: echo.body, contentType: echo.contentType }, want);
      assert.deepEqual(seen, [`${method} ${path}`, `${want.method} /echo`]);
    });
  }

  it("followRedirects keeps the caller's Authorization on the same origin only", async () => {
    const same = await followRedirects(session, `${base}/found`, { headers: { Authorization: "Bearer t" } });
    assert.ok("response" in same);
    assert.equal(((await same.response.json()) as Echo).authorization, "Bearer t");

    const moved = await followRedirects(session, `${base}/elsewhere`, { headers: { Authorization: "Bearer t" } });
    assert.ok("response" in moved);
    assert.equal(moved.url.href, `${other}/echo`);
    assert.equal(((await moved.response.json()) as Echo).authorization, null);
  });

  it("followRedirects returns an answer that is a 3xx without Location as it is", async () => {
    const result = await followRedirects(session, `${base}/no-location`);
    assert.ok("response" in result);
    assert.equal(result.response.status, 302);
    assert.equal(await result.response.text(), "no location");
  });

  it("followRedirects follows 10 redirects, not 11", async () => {
    const ten = await followRedirects(session, `${base}/chain/10`);
    assert.ok("response" in ten);
    assert.equal(await ten.response.text(), "end of chain");
    assert.deepEqual(await failure(followRedirects(session, `${base}/chain/11`)), {
      code: "IDP_ERROR",
      message: `gave up after 10 redirects, at ${base}/chain/0; the identity provider is redirecting in a loop, check its URL`,
    });
  });

  it("followRedirects honours a smaller max", async () => {
    assert.deepEqual(await failure(followRedirects(session, `${base}/chain/3`, {}, { max: 2 })), {
      code: "IDP_ERROR",
      message: `gave up after 2 redirects, at ${base}/chain/0; the identity provider is redirecting in a loop, check its URL`,
    });
  });

  it("followRedirects stops at an app: redirect URI it is told to capture", async () => {
    const result = await followRedirects(session, `${base}/to-app`, {}, { stopAt: (u) => u.protocol === "app:" });
    assert.deepEqual(result, { stoppedAt: new URL("app:/callback?code=abc&state=xyz") });
  });

  it("followRedirects stops at a loopback redirect URI no one listens on, without requesting it", async () => {
    const result = await followRedirects(session, `${base}/to-closed`, {}, {
      stopAt: (u) => u.hostname === "localhost" && u.pathname === "/login",
    });
    assert.deepEqual(result, { stoppedAt: new URL(`http://localhost:${closedPort}/login?code=abc&state=xyz`) });
    assert.deepEqual(seen, ["GET /to-closed"]);
  });

  it("followRedirects cannot open a redirect that is not http(s) and says so, without its query", async () => {
    assert.deepEqual(await failure(followRedirects(session, `${base}/to-app?x=1`)), {
      code: "IDP_ERROR",
      message: `${base}/to-app redirected to app:/callback, which aws-runas cannot open; check the client's redirect URI`,
    });
  });
});
