import assert from "node:assert/strict";
import http from "node:http";
import { describe, it } from "node:test";
import { isRunasError } from "../../domain/errors.js";
import { listenAcs, type AcsListener } from "./acsListener.js";

interface Seen {
  status: number;
  location: string | null;
  body: string;
}

/**
 * One request as a browser sends it, with an explicit Host header (fetch cannot set one): plain node:http to
 * 127.0.0.1, so the test does not depend on how this machine resolves localhost.
 */
function request(l: AcsListener, path: string, o: { method?: string; body?: string; host?: string; type?: string } = {}): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: o.host ?? `localhost:${l.port}` };
    if (o.body !== undefined) headers["content-type"] = o.type ?? "application/x-www-form-urlencoded";
    const req = http.request({ host: "127.0.0.1", port: l.port, path, method: o.method ?? "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, body }));
    });
    req.on("error", reject);
    req.end(o.body);
  });
}

function page(text: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>aws-runas</title></head><body><p>${text}</p></body></html>`;
}

const NOT_HERE = page("This address only receives the aws-runas sign-in.");
const SIGNED_IN = page("Signed in: aws-runas has the SAML response. You can close this tab.");
const FAILED = page(
  "The identity provider sent no SAMLResponse, so aws-runas could not sign in. Close this tab and see the terminal.",
);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("the promise did not reject");
}

/** Whether anything still listens on the listener's port. */
function refused(l: AcsListener): Promise<boolean> {
  return request(l, "/success").then(
    () => false,
    (e: unknown) => (e as { code?: string }).code === "ECONNREFUSED",
  );
}

describe("listenAcs (idp.md §9.2, §15 case 46)", () => {
  it("listens on a free port and names the ACS and metadata URLs on localhost", async () => {
    const l = await listenAcs();
    try {
      assert.ok(l.port > 0);
      assert.equal(l.acsUrl, `http://localhost:${l.port}/saml/acs`);
      assert.equal(l.metadataUrl, `http://localhost:${l.port}/saml/metadata`);
    } finally {
      await l.close();
    }
  });

  it("a POSTed SAMLResponse → 302 /success, the page, then the wait resolves with it and the listener closes", async () => {
    const l = await listenAcs();
    const wait = l.waitForResponse({ timeoutMs: 60_000 });
    const post = await request(l, "/saml/acs", {
      method: "POST",
      body: new URLSearchParams({ SAMLResponse: "PHNhbWxwOlJlc3BvbnNlLz4=", RelayState: "" }).toString(),
    });
    assert.deepEqual(post, { status: 302, location: `http://localhost:${l.port}/success`, body: "" });
    assert.deepEqual(await request(l, "/success"), { status: 200, location: null, body: SIGNED_IN });
    assert.equal(await wait, "PHNhbWxwOlJlc3BvbnNlLz4=");
    assert.equal(await refused(l), true);
  });

  it("any path under /saml/ and the query work too, and the answer waits for a late waiter", async () => {
    const l = await listenAcs();
    try {
      const post = await request(l, `/saml/other?SAMLResponse=${encodeURIComponent("QUJD+/==")}`, { host: `127.0.0.1:${l.port}` });
      assert.equal(post.status, 302);
      assert.equal(post.location, `http://localhost:${l.port}/success`);
      assert.equal((await request(l, "/success")).status, 200);
      assert.equal(await l.waitForResponse({ timeoutMs: 60_000 }), "QUJD+/==");
    } finally {
      await l.close();
    }
  });

  it("the form field wins over the query", async () => {
    const l = await listenAcs();
    const wait = l.waitForResponse({ timeoutMs: 60_000 });
    await request(l, "/saml/acs?SAMLResponse=query", { method: "POST", body: "SAMLResponse=form" });
    await request(l, "/success");
    assert.equal(await wait, "form");
  });

  const empty: Array<[string, { method?: string; body?: string; type?: string }]> = [
    ["an empty SAMLResponse field", { method: "POST", body: "SAMLResponse=&RelayState=x" }],
    ["a form without the field", { method: "POST", body: "RelayState=x" }],
    ["a GET without it", {}],
    ["a body that is not a form", { method: "POST", body: "SAMLResponse=x", type: "text/plain" }],
  ];
  for (const [what, o] of empty) {
    it(`${what} → 302 /fail, the page, and the wait fails with one clear line`, async () => {
      const l = await listenAcs();
      const wait = rejection(l.waitForResponse({ timeoutMs: 60_000 }));
      const post = await request(l, "/saml/acs", o);
      assert.deepEqual(post, { status: 302, location: `http://localhost:${l.port}/fail`, body: "" });
      assert.deepEqual(await request(l, "/fail"), { status: 200, location: null, body: FAILED });
      const e = await wait;
      assert.ok(isRunasError(e));
      assert.deepEqual(
        { code: e.code, message: e.message },
        {
          code: "IDP_AUTH",
          message:
            `the identity provider sent no SAMLResponse to http://localhost:${l.port}/saml/acs; check that ` +
            "saml_auth_url is the IdP's SAML sign-in URL for this application and that the sign-in completed",
        },
      );
      assert.equal(await refused(l), true);
    });
  }

  it("the wait ends without the page when the browser does not follow the redirect within 2 s", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const l = await listenAcs();
    let done = false;
    const wait = l.waitForResponse({ timeoutMs: 60_000 }).finally(() => (done = true));
    assert.equal((await request(l, "/saml/acs", { method: "POST", body: "SAMLResponse=QUJD" })).status, 302);
    t.mock.timers.tick(1_999);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false, "the browser still has time to fetch its page");
    t.mock.timers.tick(1);
    assert.equal(await wait, "QUJD");
    assert.equal(await refused(l), true);
  });

  it("answers other requests without ending the wait", async () => {
    const l = await listenAcs();
    try {
      const seen = [
        await request(l, "/"),
        await request(l, "/favicon.ico"),
        await request(l, "/success"),
        await request(l, "/fail"),
        await request(l, "/saml/acs", { method: "PUT", body: "SAMLResponse=x" }),
        await request(l, "/saml/acs", { method: "POST", body: "SAMLResponse=x", host: `evil.example:${l.port}` }),
        await request(l, "/saml/acs", { method: "POST", body: "SAMLResponse=x", host: "localhost:1" }),
      ];
      assert.deepEqual(
        seen.map((s) => [s.status, s.body]),
        [
          [404, NOT_HERE],
          [404, NOT_HERE],
          [404, NOT_HERE],
          [404, NOT_HERE],
          [405, NOT_HERE],
          [403, page(`This address only answers the aws-runas sign-in at http://localhost:${l.port}/.`)],
          [403, page(`This address only answers the aws-runas sign-in at http://localhost:${l.port}/.`)],
        ],
      );
      // Still waiting: a real response is taken after all that.
      const wait = l.waitForResponse({ timeoutMs: 60_000 });
      assert.equal((await request(l, "/saml/acs", { method: "POST", body: "SAMLResponse=QUJD" })).status, 302);
      assert.deepEqual(await request(l, "/fail"), { status: 404, location: null, body: NOT_HERE });
      assert.deepEqual(await request(l, "/saml/acs", { method: "POST", body: "SAMLResponse=again" }), {
        status: 409,
        location: null,
        body: page("This sign-in is already finished; you can close this tab."),
      });
      assert.equal((await request(l, "/success")).status, 200);
      assert.equal(await wait, "QUJD");
    } finally {
      await l.close();
    }
  });

  it("refuses a body too large to be a SAML response, and keeps waiting", async () => {
    const l = await listenAcs();
    try {
      const big = await request(l, "/saml/acs", { method: "POST", body: `SAMLResponse=${"A".repeat(1024 * 1024 + 1)}` });
      assert.deepEqual([big.status, big.body], [413, page("That is too large to be a SAML response.")]);
      const wait = l.waitForResponse({ timeoutMs: 60_000 });
      await request(l, "/saml/acs", { method: "POST", body: "SAMLResponse=QUJD" });
      await request(l, "/success");
      assert.equal(await wait, "QUJD");
    } finally {
      await l.close();
    }
  });

  const timeouts: Array<[number, string]> = [
    [50, "1 s"],
    [5 * 60_000, "5 minutes"],
  ];
  for (const [timeoutMs, span] of timeouts) {
    it(`gives up after ${span} with a clear error and closes`, async (t) => {
      t.mock.timers.enable({ apis: ["setTimeout"] });
      const l = await listenAcs();
      const wait = rejection(l.waitForResponse({ timeoutMs }));
      t.mock.timers.tick(timeoutMs);
      const e = await wait;
      assert.ok(isRunasError(e));
      assert.deepEqual(
        { code: e.code, message: e.message },
        {
          code: "IDP_AUTH",
          message: `no SAMLResponse came back from the browser within ${span}; run aws-runas again and finish the sign-in in the browser`,
        },
      );
      assert.equal(await refused(l), true);
    });
  }

  it("waits 5 minutes by default", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const l = await listenAcs();
    let done = false;
    const wait = rejection(l.waitForResponse()).finally(() => (done = true));
    t.mock.timers.tick(5 * 60_000 - 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false);
    t.mock.timers.tick(1);
    assert.match(String((await wait) as Error), /within 5 minutes/);
  });

  it("stops on abort with the signal's reason", async () => {
    const l = await listenAcs();
    const controller = new AbortController();
    const wait = rejection(l.waitForResponse({ timeoutMs: 60_000, signal: controller.signal }));
    const reason = new Error("stopped by the caller");
    controller.abort(reason);
    assert.equal(await wait, reason);
    assert.equal(await refused(l), true);
  });
});
