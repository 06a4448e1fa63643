/**
 * Duo MFA behind Okta, through Duo's legacy "iframe" web protocol as upstream speaks it (idp.md §4.4): get a Duo
 * frame sid, ask for a push or send a passcode (chosen by mfa_type, decisions.md "Seed"), poll the status, collect
 * Duo's signed cookie and hand it back to Okta. Polling is bounded by the push deadline and codes by the code limit.
 */
import { isRunasError, RunasError } from "../../domain/errors.js";
import { networkFailure } from "../httpSession.js";
import { waitForPush, withMfaCode } from "../signInPrompts.js";
import type { Fetch, IdpDeps, MfaType } from "../types.js";
import { type AuthnTransaction, isOktaFailure, objectOf, type OktaFactor, oktaFailureError, postAuthn, printable, text } from "./authn.js";
import { expired, type PushTiming, unfinished } from "./factors.js";

/** What Duo's JSON endpoints answer: `{stat, message, response}`. */
interface DuoAnswer {
  stat: string;
  message: string;
  response: Record<string, unknown>;
}

/** The hidden `sid` input of Duo's frame page. */
const SID_INPUT = /<input\b[^>]*\bname=["']sid["'][^>]*>/i;
const VALUE_ATTRIBUTE = /\bvalue=["']([^"']*)["']/i;

/**
 * Runs the Duo factor of an Okta transaction to its end and returns the SUCCESS transaction. Duo's host is reached
 * with the scheme of the Okta URL: https for every real Okta org.
 */
export async function verifyDuo(
  factor: OktaFactor,
  stateToken: string,
  s: { url: string; mfaType: MfaType; mfaCode?: string },
  d: IdpDeps,
  timing: PushTiming = {},
): Promise<AuthnTransaction> {
  const okta = new URL(s.url);
  d.logger.debug("okta: starting the Duo factor");
  const r = await postAuthn(d.fetch, factor.verifyHref, { stateToken });
  if (isOktaFailure(r)) {
    if (r.errorCode === "E0000011") throw expired();
    throw oktaFailureError("the Duo factor", r);
  }
  const verification = objectOf(objectOf(r.factor._embedded).verification);
  const host = text(verification.host);
  const [tx, app] = text(verification.signature).split(":");
  const complete = text(objectOf(objectOf(verification._links).complete).href);
  if (host === "" || tx === undefined || tx === "" || app === undefined || app === "" || complete === "") {
    throw new RunasError("IDP_ERROR", "Okta started Duo without the details Duo needs (host, signature, callback); run aws-runas again");
  }
  const duo = `${okta.protocol}//${host}`;

  const frame = await post(d.fetch, `${duo}/frame/web/v1/auth?tx=${encodeURIComponent(tx)}`, [
    ["parent", `${okta.origin}/signin/verify/duo/web`],
    ["java_version", ""],
    ["java_version", ""],
    ["flash_version", ""],
    ["screen_resolution_width", "3008"],
    ["screen_resolution_height", "1692"],
    ["color_depth", "24"],
  ]);
  const sidInput = SID_INPUT.exec(frame)?.[0];
  const sid = decodeHtml(sidInput === undefined ? "" : (VALUE_ATTRIBUTE.exec(sidInput)?.[1] ?? ""));

  const outcome =
    s.mfaType === "code"
      ? await withMfaCode({
          ...(s.mfaCode === undefined ? {} : { given: s.mfaCode }),
          factor: "Duo",
          prompter: d.prompter,
          progress: d.progress,
          attempt: async (code) => {
            const txid = await prompt(d.fetch, duo, sid, [["factor", "Passcode"], ["passcode", code]]);
            const result = await pollStatus(d, duo, sid, txid, timing, () => undefined);
            return result === "failed" ? "rejected" : result;
          },
        })
      : await (async () => {
          const txid = await prompt(d.fetch, duo, sid, [["factor", "Duo Push"]]);
          const result = await pollStatus(d, duo, sid, txid, timing, d.progress);
          if (result === "failed") throw new RunasError("IDP_MFA", "failed to complete multi-factor authentication: Duo denied the request; run aws-runas again");
          return result;
        })();

  const resultUrl = new URL(text(outcome.result_url), duo);
  const nextSid = text(outcome.sid) !== "" ? text(outcome.sid) : sid;
  const result = await duoJson(d.fetch, resultUrl.href, [["sid", nextSid]]);
  if (result.stat !== "OK") {
    throw new RunasError("IDP_MFA", `mfa result: ${result.stat}, message: ${printable(result.message)}; run aws-runas again`);
  }
  const cookie = text(result.response.cookie);
  await post(d.fetch, complete, [
    ["id", text(r.factor.id) !== "" ? text(r.factor.id) : factor.id],
    ["stateToken", r.stateToken],
    ["sig_response", `${cookie}:${app}`],
  ]);
  const done = await postAuthn(d.fetch, r.nextHref, { stateToken: r.stateToken });
  if (isOktaFailure(done)) throw oktaFailureError("the Duo result", done);
  if (done.status !== "SUCCESS") throw unfinished(done.status);
  return done;
}

/** Asks Duo for a push or checks a passcode (`device=phone1`, as upstream); returns the transaction id. */
async function prompt(fetch: Fetch, duo: string, sid: string, factor: [string, string][]): Promise<string> {
  const a = await duoJson(fetch, `${duo}/frame/prompt`, [["sid", sid], ["device", "phone1"], ...factor, ["out_of_date", "false"]]);
  const txid = text(a.response.txid);
  if (a.stat !== "OK" || txid === "") {
    throw new RunasError("IDP_MFA", "error authorizing mfa device: Duo refused to start the verification; run aws-runas again");
  }
  return txid;
}

/** Polls `/frame/status` until Duo says SUCCESS (its response) or FAILURE ("failed"), within the push deadline. */
async function pollStatus(
  d: IdpDeps,
  duo: string,
  sid: string,
  txid: string,
  timing: PushTiming,
  progress: (line: string) => void,
): Promise<Record<string, unknown> | "failed"> {
  const answer = await waitForPush<{ value: Record<string, unknown> | "failed" }>({
    clock: d.clock,
    progress,
    intervalMs: timing.intervalMs ?? 1000,
    ...(timing.sleep === undefined ? {} : { sleep: timing.sleep }),
    check: async () => {
      const a = await duoJson(d.fetch, `${duo}/frame/status`, [["sid", sid], ["txid", txid]]);
      const result = text(a.response.result).toUpperCase();
      if (result === "SUCCESS") return { value: a.response };
      if (result === "FAILURE") return { value: "failed" };
      return "pending";
    },
  });
  return answer.value;
}

/** A form POST to Duo or Okta that must answer 200; returns the body. */
async function post(fetch: Fetch, url: string, fields: [string, string][]): Promise<string> {
  const target = new URL(url);
  let response: Response;
  try {
    response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  } catch (e) {
    if (isRunasError(e)) throw e;
    throw new RunasError("IDP_ERROR", `could not reach ${target.origin} (${networkFailure(e, target)}); check the network`, { cause: e });
  }
  const body = await response.text();
  if (response.status !== 200) {
    throw new RunasError(
      "IDP_ERROR",
      `Duo MFA failed: POST ${target.origin}${target.pathname} answered HTTP ${response.status}; run aws-runas again`,
    );
  }
  return body;
}

/** A Duo JSON endpoint's answer. */
async function duoJson(fetch: Fetch, url: string, fields: [string, string][]): Promise<DuoAnswer> {
  const body = await post(fetch, url, fields);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    value = undefined;
  }
  const o = objectOf(value);
  return { stat: text(o.stat), message: text(o.message), response: objectOf(o.response) };
}

/** The few entities Duo's frame writes into the sid. */
function decodeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
