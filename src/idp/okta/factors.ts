/**
 * Okta MFA (idp.md §4.2, §4.3): which enrolled factor to use, and verifying it by code or by push. Upstream's choice
 * is kept (a lone supported factor always wins; Duo wins over everything), with the fixes of idp.md §13 item 3:
 * mfa_type in any case, `none` refuses MFA instead of being ignored, a rejected or timed-out push is an error, the
 * number challenge is shown, and codes and polling are bounded.
 */
import { RunasError } from "../../domain/errors.js";
import { waitForPush, withMfaCode } from "../signInPrompts.js";
import type { IdpDeps, MfaType } from "../types.js";
import {
  type AuthnTransaction,
  isOktaFailure,
  objectOf,
  type OktaFactor,
  oktaFailureError,
  postAuthn,
} from "./authn.js";

/** The factor types verified with a typed code (upstream's list; `token:hardware` is not one of them). */
const CODE_TYPES = ["token:software:totp", "token:hotp", "token"];

/** Okta's error code for a state token that expired or was already used. */
const INVALID_TOKEN = "E0000011";

/** How a push is polled: tests shorten the wait between polls. */
export interface PushTiming {
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The factor to verify (idp.md §4.2): the Duo factor if there is one; else the only supported one; else by mfa_type
 * (push → push; code → TOTP, HOTP, token; auto → push first). RunasError("IDP_MFA") when none fits.
 */
export function selectFactor(factors: readonly OktaFactor[], mfaType: MfaType, username: string): OktaFactor {
  const duo = factors.find((f) => f.provider.toLowerCase() === "duo");
  if (duo !== undefined) return duo;
  const supported = new Map<string, OktaFactor>();
  for (const f of factors) {
    const type = f.factorType.toLowerCase();
    if (type === "push" || type.startsWith("token")) supported.set(type, f);
  }
  if (supported.size === 0) {
    const offered = [...new Set(factors.map((f) => f.factorType))].join(", ");
    throw new RunasError(
      "IDP_MFA",
      `Okta asks ${username} for MFA, but none of the enrolled factors (${offered === "" ? "none" : offered}) can be used ` +
        "by aws-runas; enroll Okta Verify (push) or an authenticator app (TOTP)",
    );
  }
  const only = supported.size === 1 ? [...supported.values()][0] : undefined;
  if (only !== undefined) return only;
  const order = mfaType === "push" ? ["push"] : mfaType === "code" ? CODE_TYPES : ["push", ...CODE_TYPES];
  for (const type of order) {
    const f = supported.get(type);
    if (f !== undefined) return f;
  }
  throw new RunasError(
    "IDP_MFA",
    `mfa_type is ${mfaType}, but ${username} has no such factor enrolled at Okta (enrolled: ${[...supported.keys()].join(", ")}); ` +
      "change mfa_type or enroll one",
  );
}

/**
 * Verifies a push or code factor and returns the transaction that follows (SUCCESS with a session token). A factor
 * that is neither is `unsupported MFA Type` (idp.md §4.2 step 6).
 */
export async function verifyFactor(
  factor: OktaFactor,
  stateToken: string,
  s: { mfaCode?: string },
  d: IdpDeps,
  timing: PushTiming = {},
): Promise<AuthnTransaction> {
  const type = factor.factorType.toLowerCase();
  if (type === "push") return verifyPush(factor, stateToken, d, timing);
  if (CODE_TYPES.includes(type)) return verifyCode(factor, stateToken, s, d);
  throw new RunasError(
    "IDP_MFA",
    `unsupported MFA Type: ${factor.factorType}; enroll Okta Verify (push) or an authenticator app (TOTP) at Okta`,
  );
}

/** A code factor: the -o code first, then prompted ones, 5 in all (idp.md §4.3b, §13 item 1). */
async function verifyCode(
  factor: OktaFactor,
  stateToken: string,
  s: { mfaCode?: string },
  d: IdpDeps,
): Promise<AuthnTransaction> {
  return withMfaCode({
    ...(s.mfaCode === undefined ? {} : { given: s.mfaCode }),
    prompter: d.prompter,
    progress: d.progress,
    attempt: async (code) => {
      d.logger.debug(`okta: verifying the ${factor.factorType} factor`);
      const r = await postAuthn(d.fetch, verifyUrl(factor), { stateToken, passCode: code });
      if (!isOktaFailure(r)) return r;
      if (r.errorCode === INVALID_TOKEN) throw expired();
      if (r.status === 401 || r.status === 403) return "rejected";
      throw oktaFailureError("the MFA code", r);
    },
  });
}

/**
 * A push: asks Okta to send it, shows the number challenge when there is one, and polls `next` until Okta says
 * SUCCESS (2 minutes at most). REJECTED and TIMEOUT are errors, not upstream's silent empty session.
 */
async function verifyPush(factor: OktaFactor, stateToken: string, d: IdpDeps, timing: PushTiming): Promise<AuthnTransaction> {
  d.logger.debug(`okta: sending a push to the ${factor.provider} factor`);
  let current = await postAuthn(d.fetch, verifyUrl(factor), { stateToken });
  let shownChallenge = false;
  let polled = false;
  return waitForPush({
    clock: d.clock,
    progress: d.progress,
    ...(timing.intervalMs === undefined ? {} : { intervalMs: timing.intervalMs }),
    ...(timing.sleep === undefined ? {} : { sleep: timing.sleep }),
    check: async () => {
      if (polled) {
        if (isOktaFailure(current) || current.nextHref === "") throw pushLost();
        current = await postAuthn(d.fetch, current.nextHref, { stateToken: current.stateToken });
      }
      polled = true;
      if (isOktaFailure(current)) {
        if (current.errorCode === INVALID_TOKEN) throw expired();
        throw oktaFailureError("the push", current);
      }
      if (current.status === "SUCCESS") return current;
      if (current.status !== "MFA_CHALLENGE") throw unfinished(current.status);
      const answer = objectOf(objectOf(objectOf(current.factor._embedded).challenge)).correctAnswer;
      if (!shownChallenge && (typeof answer === "number" || typeof answer === "string")) {
        shownChallenge = true;
        d.progress(`Okta Verify shows a number challenge: tap ${String(answer)} on your phone`);
      }
      if (current.factorResult === "WAITING") return "pending";
      if (current.factorResult === "REJECTED") return "rejected";
      if (current.factorResult === "TIMEOUT") {
        throw new RunasError("IDP_MFA", "the Okta Verify push timed out unanswered; run aws-runas again to get a new one");
      }
      throw new RunasError(
        "IDP_MFA",
        `Okta answered the push with ${current.factorResult || "no result"}; run aws-runas again, or set mfa_type = code`,
      );
    },
  });
}

/** A factor's verify URL; an MFA_REQUIRED answer without one is not something to send a code to. */
function verifyUrl(factor: OktaFactor): URL {
  try {
    return new URL(factor.verifyHref);
  } catch (e) {
    throw new RunasError("IDP_ERROR", `Okta listed the ${factor.factorType} factor without a usable verify link; run aws-runas again`, {
      cause: e,
    });
  }
}

/** The sign-in transaction expired while waiting (Okta gives 5 minutes). */
export function expired(): RunasError {
  return new RunasError("IDP_AUTH", "the Okta sign-in expired before MFA was completed; run aws-runas again");
}

/** Okta ended the transaction in a state aws-runas does not handle. */
export function unfinished(status: string): RunasError {
  return new RunasError(
    "IDP_AUTH",
    `Okta did not complete the sign-in (authentication status ${status || "missing"}); sign in at Okta in a browser to see why`,
  );
}

function pushLost(): RunasError {
  return new RunasError("IDP_ERROR", "Okta gave no link to poll the push with; run aws-runas again");
}
