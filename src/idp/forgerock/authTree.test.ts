import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../../domain/errors.js";
import type { Fetch } from "../types.js";
import { type AmForm, callbackTypes, continueTree, pollingWaitMs, rfc2047, startTree, withCode } from "./authTree.js";

const URL_ = new URL("https://am.example.com/auth/json/realms/root/realms/alpha/authenticate");

/** A fetch that records the one request and answers with `status` and `body`. */
function answering(status: number, body: string): { fetch: Fetch; seen: { url: string; headers: Headers; body: string }[] } {
  const seen: { url: string; headers: Headers; body: string }[] = [];
  const fetch: Fetch = async (input, init = {}) => {
    seen.push({ url: String(input), headers: new Headers(init.headers), body: typeof init.body === "string" ? init.body : "" });
    return new Response(body, { status });
  };
  return { fetch, seen };
}

const OTP_FORM: AmForm = {
  authId: "eyJ.auth.id",
  stage: "OATH1",
  header: "Sign in",
  callbacks: [
    { type: "NameCallback", output: [{ name: "prompt", value: "User Name" }], input: [{ name: "IDToken1", value: "kept" }] },
    {
      type: "PasswordCallback",
      output: [{ name: "prompt", value: "One Time Password" }],
      input: [
        { name: "IDToken2", value: "" },
        { name: "IDToken2validateOnly", value: false },
      ],
    },
    { type: "PasswordCallback", output: [], input: [{ name: "IDToken3", value: "" }] },
    { type: "HiddenValueCallback", output: [{ name: "id", value: "x" }], input: [{ name: "IDToken4", value: "" }] },
  ],
};

describe("rfc2047 (idp.md §7.1)", () => {
  it("encodes as =?UTF-8?B?<standard base64 with padding>?=", () => {
    assert.equal(rfc2047("nomfa"), "=?UTF-8?B?bm9tZmE=?=");
    assert.equal(rfc2047(""), "=?UTF-8?B??=");
  });

  it("round-trips non-ASCII text as UTF-8", () => {
    const encoded = rfc2047("gööd Pässwörd ✓");
    assert.match(encoded, /^=\?UTF-8\?B\?[A-Za-z0-9+/]+={0,2}\?=$/);
    assert.equal(Buffer.from(encoded.slice(10, -2), "base64").toString("utf8"), "gööd Pässwörd ✓");
  });
});

describe("withCode", () => {
  it("puts the code in every IDToken<n> input of every PasswordCallback, and nowhere else", () => {
    const filled = withCode(OTP_FORM, "54321");
    assert.deepEqual(filled.callbacks.map((cb) => cb.input), [
      [{ name: "IDToken1", value: "kept" }],
      [
        { name: "IDToken2", value: "54321" },
        { name: "IDToken2validateOnly", value: false },
      ],
      [{ name: "IDToken3", value: "54321" }],
      [{ name: "IDToken4", value: "" }],
    ]);
    assert.deepEqual(filled.callbacks.map((cb) => cb.output), OTP_FORM.callbacks.map((cb) => cb.output));
    assert.equal(filled.authId, OTP_FORM.authId);
  });

  it("leaves the form it was given alone", () => {
    const before = JSON.stringify(OTP_FORM);
    withCode(OTP_FORM, "54321");
    assert.equal(JSON.stringify(OTP_FORM), before);
  });
});

describe("callbackTypes and pollingWaitMs", () => {
  it("lists the callback types", () => {
    assert.deepEqual(callbackTypes(OTP_FORM), ["NameCallback", "PasswordCallback", "PasswordCallback", "HiddenValueCallback"]);
  });

  for (const [value, want] of [
    ["8000", 8000],
    [5000, 5000],
    ["soon", undefined],
    ["0", undefined],
  ] as const) {
    it(`waitTime ${JSON.stringify(value)} → ${String(want)}`, () => {
      const form: AmForm = { authId: "a", callbacks: [{ type: "PollingWaitCallback", output: [{ name: "waitTime", value }] }] };
      assert.equal(pollingWaitMs(form), want);
    });
  }

  it("no PollingWaitCallback → undefined", () => {
    assert.equal(pollingWaitMs(OTP_FORM), undefined);
  });
});

describe("startTree and continueTree (idp.md §7.1)", () => {
  it("a first request: POST, JSON content type, Accept-API-Version, RFC 2047 X-OpenAM headers, an empty body", async () => {
    const { fetch, seen } = answering(200, JSON.stringify({ tokenId: "AQIC", successUrl: "/auth/console" }));
    const a = await startTree({ fetch, url: URL_, username: "jürgen", password: "pässword" });
    assert.deepEqual(a, { kind: "session" });
    const r = seen[0];
    assert.ok(r !== undefined);
    assert.equal(r.url, URL_.href);
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.equal(r.headers.get("accept-api-version"), "resource=2.0, protocol=1.0");
    assert.equal(r.headers.get("x-openam-username"), rfc2047("jürgen"));
    assert.equal(r.headers.get("x-openam-password"), rfc2047("pässword"));
    assert.equal(r.body, "");
  });

  it("a service's first request names it in the query", async () => {
    const { fetch, seen } = answering(401, JSON.stringify({ code: 401, reason: "Unauthorized", message: "Authentication Failed" }));
    const a = await startTree({ fetch, url: URL_, username: "u", password: "p", service: "mfa_push_authentication" });
    assert.deepEqual(a, { kind: "failed", status: 401, code: 401, message: "Authentication Failed" });
    assert.equal(seen[0]?.url, `${URL_.href}?authIndexType=service&authIndexValue=mfa_push_authentication`);
  });

  it("a form comes back with authId, stage, header and callbacks only", async () => {
    const { fetch } = answering(200, JSON.stringify({ ...OTP_FORM, template: "", description: "d" }));
    const a = await startTree({ fetch, url: URL_, username: "u", password: "p", service: "mfa_oath_authentication" });
    assert.deepEqual(a, { kind: "callbacks", form: OTP_FORM });
  });

  it("a continuation: the form as JSON, no query, no X-OpenAM headers", async () => {
    const { fetch, seen } = answering(200, "success");
    const a = await continueTree({ fetch, url: new URL(`${URL_.href}?authIndexType=service&authIndexValue=x`), form: OTP_FORM });
    // Upstream's test server answered a finished sign-in with the bare text "success" (idp.md §7.4).
    assert.deepEqual(a, { kind: "session" });
    const r = seen[0];
    assert.ok(r !== undefined);
    assert.equal(r.url, URL_.href);
    assert.deepEqual(JSON.parse(r.body), OTP_FORM);
    assert.equal(r.headers.get("accept-api-version"), "resource=2.0, protocol=1.0");
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.deepEqual([...r.headers.keys()].filter((k) => k.startsWith("x-openam")), []);
  });

  it("a failure without JSON keeps the status, no code, no message", async () => {
    const { fetch } = answering(502, "<html>Bad Gateway</html>");
    assert.deepEqual(await continueTree({ fetch, url: URL_, form: OTP_FORM }), {
      kind: "failed",
      status: 502,
      code: undefined,
      message: "",
    });
  });

  it("AM's message is made one bounded line", async () => {
    const { fetch } = answering(500, JSON.stringify({ code: 500, message: `line one\nline two${"x".repeat(300)}` }));
    const a = await continueTree({ fetch, url: URL_, form: OTP_FORM });
    assert.equal(a.kind, "failed");
    if (a.kind !== "failed") return;
    assert.ok(!a.message.includes("\n"));
    assert.ok(a.message.length <= 201, String(a.message.length));
  });

  it("a 200 that is neither a session nor a step is an IDP_ERROR", async () => {
    const { fetch } = answering(200, JSON.stringify({ successUrl: "/auth/console" }));
    await assert.rejects(continueTree({ fetch, url: URL_, form: OTP_FORM }), (e: unknown) => {
      assert.ok(isRunasError(e));
      assert.equal(e.code, "IDP_ERROR");
      assert.equal(
        e.message,
        "ForgeRock at https://am.example.com answered the sign-in with neither a session nor a next step; check that the " +
          "URL names the AM deployment and realm",
      );
      return true;
    });
  });

  it("a network failure is one IDP_ERROR line naming the origin", async () => {
    const fetch: Fetch = async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 10.0.0.1:443") });
    };
    await assert.rejects(startTree({ fetch, url: URL_, username: "u", password: "secret" }), (e: unknown) => {
      assert.ok(isRunasError(e));
      assert.equal(
        e.message,
        "could not reach ForgeRock at https://am.example.com (connect ECONNREFUSED 10.0.0.1:443); check the URL and the network",
      );
      return true;
    });
  });
});
