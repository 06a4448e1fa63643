/**
 * The OAuth 2.0 device authorization grant (RFC 8628), for machines without a browser: the user signs in on another
 * device with the code shown here, while this side polls the token endpoint.
 */
import { setTimeout as delay } from "node:timers/promises";
import * as oauth from "oauth4webapi";
import { RunasError } from "../../domain/errors.js";
import type { Clock } from "../../ports.js";

/** Waits `ms`, or rejects when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** RFC 8628 §3.2: the polling interval when the server names none. */
const DEFAULT_INTERVAL_S = 5;
/** RFC 8628 §3.5: each slow_down adds this to the interval. */
const SLOW_DOWN_STEP_MS = 5_000;

/** What a device sign-in needs: the provider's metadata, the client, and how to talk, wait and tell the user. */
export interface DeviceFlowOptions {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  /** Space-separated scopes, `openid` first. */
  scope: string;
  /** How oauth4webapi sends requests (our fetch, whether http:// is allowed, the caller's signal). */
  http: oauth.TokenEndpointRequestOptions;
  clock: Clock;
  /** Shows the user where to go (stderr). */
  progress(line: string): void;
  signal?: AbortSignal;
  sleep?: Sleep;
}

/**
 * Runs the device flow to its end and returns the token response (its id token already checked by oauth4webapi: iss,
 * aud, exp). Polls at the server's interval (5 s by default), slows down on `slow_down`, keeps waiting on
 * `authorization_pending`, and stops with a RunasError on `access_denied`, `expired_token` or the code's deadline.
 * Other failures are thrown as they come, for the caller to translate.
 */
export async function deviceFlowSignIn(o: DeviceFlowOptions): Promise<oauth.TokenEndpointResponse> {
  const sleep = o.sleep ?? ((ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }));
  const host = new URL(o.as.issuer).host;
  const started = await oauth.deviceAuthorizationRequest(o.as, o.client, oauth.None(), { scope: o.scope }, o.http);
  const grant = await oauth.processDeviceAuthorizationResponse(o.as, o.client, started);

  // RFC 8628 §3.3.1: even with the complete URI, the user should see the code to compare it with the page.
  o.progress(
    grant.verification_uri_complete === undefined
      ? `to sign in, open ${grant.verification_uri} and enter the code ${grant.user_code}`
      : `to sign in, open ${grant.verification_uri_complete} (the page shows the code ${grant.user_code})`,
  );

  const deadline = o.clock.now().getTime() + grant.expires_in * 1000;
  let intervalMs = (grant.interval ?? DEFAULT_INTERVAL_S) * 1000;
  const expired = (): RunasError =>
    new RunasError(
      "IDP_AUTH",
      `the device sign-in was not finished within ${span(grant.expires_in)}; run aws-runas again and ` +
        `finish it at ${grant.verification_uri}`,
    );

  for (;;) {
    await sleep(intervalMs, o.signal);
    if (o.clock.now().getTime() >= deadline) throw expired();
    try {
      const polled = await oauth.deviceCodeGrantRequest(o.as, o.client, oauth.None(), grant.device_code, o.http);
      return await oauth.processDeviceCodeResponse(o.as, o.client, polled);
    } catch (e) {
      if (!(e instanceof oauth.ResponseBodyError)) throw e;
      switch (e.error) {
        case "authorization_pending":
          continue;
        case "slow_down":
          intervalMs += SLOW_DOWN_STEP_MS;
          continue;
        case "expired_token":
          throw expired();
        case "access_denied":
          throw new RunasError("IDP_AUTH", `${host} refused the sign-in: ${describe(e)}`);
        default:
          throw e;
      }
    }
  }
}

/** A lifetime in words: minutes from one minute on, else seconds. */
function span(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return `${seconds} s`;
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** `error: description` of a refusal, bounded to one line. */
function describe(e: oauth.ResponseBodyError): string {
  const description = e.error_description?.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim().slice(0, 300);
  return description === undefined || description === "" ? e.error : `${e.error}: ${description}`;
}
