import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as oauth from "oauth4webapi";
import { deviceFlowSignIn } from "./deviceFlow.js";
import type { DeviceFlowOptions } from "./deviceFlow.js";
import { runasFailure } from "../../../test/helpers/runasFailure.js";

const ISSUER = "https://idp.example.com";
const AS: oauth.AuthorizationServer = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/token`,
  device_authorization_endpoint: `${ISSUER}/device/auth`,
};

/** An id token oauth4webapi accepts for this issuer and client (it checks claims, not the signature, at the token endpoint). */
function idToken(): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "RS256" })}.${part({ iss: ISSUER, aud: "cli", sub: "alice", iat: now, exp: now + 3600 })}.c2ln`;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/**
 * A device-flow peer: the device authorization answer, then one scripted answer per token poll. It keeps every
 * request's path and form, and a clock that each sleep moves forward.
 */
function peer(device: Record<string, unknown>, polls: Array<Response | (() => Response)>) {
  const requests: Array<{ path: string; form: Record<string, string> }> = [];
  const sleeps: number[] = [];
  const progress: string[] = [];
  let now = Date.parse("2030-01-01T00:00:00Z");
  const options: DeviceFlowOptions = {
    as: AS,
    client: { client_id: "cli" },
    scope: "openid offline_access",
    http: {
      [oauth.customFetch]: async (url: string, init: oauth.CustomFetchOptions<"POST", URLSearchParams>) => {
        const path = new URL(url).pathname;
        requests.push({ path, form: Object.fromEntries(init.body) });
        if (path === "/device/auth") return json(200, device);
        const next = polls.shift();
        if (next === undefined) throw new Error("more polls than scripted");
        return typeof next === "function" ? next() : next;
      },
    },
    clock: { now: () => new Date(now) },
    progress: (line) => progress.push(line),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { options, requests, sleeps, progress };
}

const DEVICE = {
  device_code: "dev-code",
  user_code: "WDJB-MJHT",
  verification_uri: `${ISSUER}/device`,
  verification_uri_complete: `${ISSUER}/device?user_code=WDJB-MJHT`,
  expires_in: 600,
  interval: 1,
};
const pending = () => json(400, { error: "authorization_pending" });

describe("deviceFlowSignIn (RFC 8628)", () => {
  it("shows the complete URI, polls at the interval, slows down when told, and returns the tokens", async () => {
    const token = idToken();
    const p = peer(DEVICE, [
      pending(),
      json(400, { error: "slow_down" }),
      pending(),
      json(200, { access_token: "at", token_type: "Bearer", id_token: token, refresh_token: "rt", expires_in: 3600 }),
    ]);
    const tokens = await deviceFlowSignIn(p.options);
    assert.equal(tokens.id_token, token);
    assert.equal(tokens.refresh_token, "rt");
    assert.deepEqual(p.progress, [`to sign in, open ${ISSUER}/device?user_code=WDJB-MJHT (the page shows the code WDJB-MJHT)`]);
    assert.deepEqual(p.sleeps, [1000, 1000, 6000, 6000]);
    const poll = { path: "/token", form: { client_id: "cli", device_code: "dev-code", grant_type: "urn:ietf:params:oauth:grant-type:device_code" } };
    assert.deepEqual(p.requests, [
      { path: "/device/auth", form: { client_id: "cli", scope: "openid offline_access" } },
      poll,
      poll,
      poll,
      poll,
    ]);
  });

  it("shows the URI and the code to type when there is no complete URI, and waits 5 s when no interval is given", async () => {
    const { verification_uri_complete: _complete, interval: _interval, ...device } = DEVICE;
    const p = peer(device, [json(200, { access_token: "at", token_type: "bearer", id_token: idToken() })]);
    await deviceFlowSignIn(p.options);
    assert.deepEqual(p.progress, [`to sign in, open ${ISSUER}/device and enter the code WDJB-MJHT`]);
    assert.deepEqual(p.sleeps, [5000]);
  });

  it("stops when the user denies the sign-in", async () => {
    const p = peer(DEVICE, [pending(), json(400, { error: "access_denied", error_description: "End-User aborted interaction" })]);
    assert.deepEqual(await runasFailure(deviceFlowSignIn(p.options)), {
      code: "IDP_AUTH",
      message: "idp.example.com refused the sign-in: access_denied: End-User aborted interaction",
    });
  });

  it("stops when the provider says the code expired", async () => {
    const p = peer(DEVICE, [pending(), json(400, { error: "expired_token" })]);
    assert.deepEqual(await runasFailure(deviceFlowSignIn(p.options)), {
      code: "IDP_AUTH",
      message: `the device sign-in was not finished within 10 minutes; run aws-runas again and finish it at ${ISSUER}/device`,
    });
  });

  it("stops polling at the code's deadline even when the provider keeps saying pending", async () => {
    const p = peer({ ...DEVICE, expires_in: 10 }, Array.from({ length: 20 }, () => pending));
    const f = await runasFailure(deviceFlowSignIn(p.options));
    assert.equal(f.code, "IDP_AUTH");
    assert.match(f.message, /^the device sign-in was not finished within 10 s;/);
    assert.equal(p.requests.filter((r) => r.path === "/token").length, 9);
  });

  it("passes any other refusal on for the caller to translate", async () => {
    const p = peer(DEVICE, [json(401, { error: "invalid_client" })]);
    await assert.rejects(deviceFlowSignIn(p.options), (e: unknown) => e instanceof oauth.ResponseBodyError && e.error === "invalid_client");
  });

  it("stops when the caller aborts while waiting", async () => {
    const p = peer(DEVICE, []);
    const controller = new AbortController();
    const reason = new Error("interrupted");
    p.options.signal = controller.signal;
    p.options.sleep = async (_ms, signal) => {
      controller.abort(reason);
      signal?.throwIfAborted();
    };
    await assert.rejects(deviceFlowSignIn(p.options), (e: unknown) => e === reason);
  });
});
