import { describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isRunasError, RunasError } from "../../domain/errors.js";
import { listenLoopback, loopbackAddress } from "./loopbackListener.js";

/** What the browser sees when it requests `url`. */
async function visit(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url, { redirect: "manual" });
  return { status: r.status, body: await r.text() };
}

/** A port free right now. */
async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function page(text: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>aws-runas</title></head><body><p>${text}</p></body></html>`;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("the promise did not reject");
}

describe("loopbackAddress (RFC 8252 §7.3)", () => {
  const cases: Array<[string, { host: string; port: number } | undefined]> = [
    ["http://127.0.0.1:8400/callback", { host: "127.0.0.1", port: 8400 }],
    ["http://127.0.0.1/callback", { host: "127.0.0.1", port: 0 }],
    ["http://127.0.0.1:0/callback", { host: "127.0.0.1", port: 0 }],
    ["http://127.0.0.1", { host: "127.0.0.1", port: 0 }],
    ["http://localhost:12345/login", { host: "localhost", port: 12345 }],
    ["HTTP://LOCALHOST:5/cb", { host: "localhost", port: 5 }],
    ["http://[::1]:9000/cb?x=1", { host: "[::1]", port: 9000 }],
    ["https://127.0.0.1:8400/callback", undefined],
    ["http://127.0.0.1.example.com/callback", undefined],
    ["http://example.com:80/callback", undefined],
    ["http://localhost:99999/callback", undefined],
    ["app:/callback", undefined],
  ];
  for (const [uri, expected] of cases) {
    it(`${uri} → ${expected === undefined ? "not loopback" : `${expected.host} port ${expected.port}`}`, () => {
      assert.deepEqual(loopbackAddress(uri), expected);
    });
  }
});

describe("listenLoopback", () => {
  it("picks a free port when none is given, and answers the redirect with a page saying the sign-in worked", async () => {
    const listener = await listenLoopback("http://127.0.0.1/callback");
    try {
      assert.match(listener.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      assert.notEqual(new URL(listener.redirectUri).port, "");
      const seen: string[] = [];
      const result = listener.waitForRedirect(async (url) => {
        seen.push(url.href);
        return url.searchParams.get("code");
      }, { timeoutMs: 60_000 });
      const browser = await visit(`${listener.redirectUri}?code=abc&state=xyz`);
      assert.deepEqual(browser, { status: 200, body: page("Signed in, you can close this tab.") });
      assert.equal(await result, "abc");
      assert.deepEqual(seen, [`${listener.redirectUri}?code=abc&state=xyz`]);
      assert.deepEqual(await visit(`${listener.redirectUri}?code=again&state=xyz`), {
        status: 409,
        body: page("This sign-in is already finished; you can close this tab."),
      });
    } finally {
      await listener.close();
    }
  });

  it("listens exactly on the configured port and keeps the URI as written", async () => {
    const port = await freePort();
    const listener = await listenLoopback(`http://localhost:${port}/login`);
    try {
      assert.equal(listener.redirectUri, `http://localhost:${port}/login`);
      const result = listener.waitForRedirect(async (url) => url.searchParams.get("code"), { timeoutMs: 60_000 });
      assert.equal((await visit(`http://127.0.0.1:${port}/login?code=c1&state=s`)).status, 200);
      assert.equal(await result, "c1");
    } finally {
      await listener.close();
    }
  });

  it("keeps a redirect that arrives before anyone waits for it", async () => {
    const listener = await listenLoopback("http://127.0.0.1:0/cb");
    try {
      const browser = visit(`${listener.redirectUri}?code=early&state=s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const result = await listener.waitForRedirect(async (url) => url.searchParams.get("code"), { timeoutMs: 60_000 });
      assert.equal(result, "early");
      assert.equal((await browser).status, 200);
    } finally {
      await listener.close();
    }
  });

  it("shows the browser why a sign-in failed, and passes the error on", async () => {
    const listener = await listenLoopback("http://127.0.0.1/cb");
    try {
      const refused = new RunasError("IDP_AUTH", "idp refused the sign-in: access_denied: <no>");
      const result = rejection(
        listener.waitForRedirect(() => Promise.reject(refused), { timeoutMs: 60_000 }),
      );
      assert.deepEqual(await visit(`${listener.redirectUri}?error=access_denied&state=s`), {
        status: 400,
        body: page("The sign-in failed: idp refused the sign-in: access_denied: &#60;no&#62;"),
      });
      assert.equal(await result, refused);
    } finally {
      await listener.close();
    }
  });

  it("answers other paths and requests without an OAuth answer, and goes on waiting", async () => {
    const listener = await listenLoopback("http://127.0.0.1/cb");
    try {
      const result = listener.waitForRedirect(async (url) => url.searchParams.get("code"), { timeoutMs: 60_000 });
      const origin = new URL(listener.redirectUri).origin;
      assert.deepEqual(await visit(`${origin}/favicon.ico`), {
        status: 404,
        body: page("This address only receives the aws-runas sign-in."),
      });
      assert.deepEqual(await visit(`${origin}/cb`), {
        status: 400,
        body: page("This address waits for the redirect back from the sign-in."),
      });
      assert.equal((await visit(`${origin}/cb?code=late&state=s`)).status, 200);
      assert.equal(await result, "late");
    } finally {
      await listener.close();
    }
  });

  it("gives up after the timeout with a line saying what to do", async () => {
    const listener = await listenLoopback("http://127.0.0.1/cb");
    try {
      const e = await rejection(listener.waitForRedirect(async () => "never", { timeoutMs: 20 }));
      assert.ok(isRunasError(e));
      assert.deepEqual({ code: e.code, message: e.message }, {
        code: "IDP_AUTH",
        message: "the sign-in did not come back within 1 s; run aws-runas again and finish the sign-in in the browser",
      });
    } finally {
      await listener.close();
    }
  });

  it("stops waiting when the caller aborts", async () => {
    const listener = await listenLoopback("http://127.0.0.1/cb");
    try {
      const controller = new AbortController();
      const result = rejection(listener.waitForRedirect(async () => "never", { timeoutMs: 60_000, signal: controller.signal }));
      controller.abort(new Error("interrupted"));
      assert.deepEqual(await result, new Error("interrupted"));
    } finally {
      await listener.close();
    }
  });

  it("says which port is busy", async () => {
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const e = await rejection(listenLoopback(`http://127.0.0.1:${port}/cb`));
      assert.ok(isRunasError(e));
      assert.deepEqual({ code: e.code, message: e.message }, {
        code: "IDP_ERROR",
        message:
          `cannot listen on http://127.0.0.1:${port}/cb for the sign-in redirect (EADDRINUSE); free that port or ` +
          "choose another one in web_identity_redirect_uri",
      });
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it("refuses a redirect URI that is not on the loopback", async () => {
    const e = await rejection(listenLoopback("https://app.example.com/cb"));
    assert.ok(isRunasError(e));
    assert.equal(e.code, "INVALID_CONFIG");
  });

  it("frees the port when closed", async () => {
    const listener = await listenLoopback("http://127.0.0.1/cb");
    await listener.close();
    const e = await rejection(fetch(`${listener.redirectUri}?code=x&state=y`));
    assert.match(String((e as { cause?: { code?: string } }).cause?.code), /ECONNREFUSED/);
  });
});
