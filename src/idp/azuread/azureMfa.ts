/**
 * Azure MFA through the "SAS" JSON endpoints of the sign-in page (idp.md §8.3): BeginAuth starts the chosen method,
 * EndAuth completes it (polled for a push, once per code for a code), and ProcessAuth hands the result back to the
 * sign-in flow. The fixes of idp.md §13 item 7: mfa_type in any case, `none` refuses MFA instead of carrying on with
 * no method, the method chosen is the one the type names, EndAuth always runs, ProcessAuth's URL is resolved against
 * the page, and codes (5) and push polling (2 minutes) are bounded.
 */
import { RunasError } from "../../domain/errors.js";
import { waitForPush, withMfaCode } from "../signInPrompts.js";
import type { IdpDeps, IdpSettings } from "../types.js";
import { type AadPage, type AadPages, resolveOn, where } from "./aadPage.js";
import { field, type PageConfig, text, type UserProof } from "./pageConfig.js";

/** Push polling knobs; tests make polling instant. */
export interface MfaTiming {
  /** Time between EndAuth polls; default: the page's `oPerAuthPollingInterval` for the method (at least 0.5 s). */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How long a push may stay unanswered (default 2 minutes). */
  deadlineMs?: number;
}

const PUSH = "PhoneAppNotification";
const CODE_METHODS = ["PhoneAppOTP", "OneWaySMS"];
const SUPPORTED = [PUSH, ...CODE_METHODS];
/** EndAuth's "not yet": the push is unanswered. */
const PENDING = 500121;
/** EndAuth's ResultValues for a code that was wrong: ask for another. */
const WRONG_CODE = new Set(["OathCodeIncorrect", "SMSAuthFailedWrongCodeEntered", "InvalidOathCode"]);
const MIN_INTERVAL_MS = 500;
const DEFAULT_INTERVAL_S = 1;

/**
 * The proof to use for `mfaType` (any case): `auto` → the default proof if aws-runas can use it, else the first it
 * can; `push` → PhoneAppNotification; `code` → PhoneAppOTP or OneWaySMS; in each case the default one when it is of
 * that kind, else the first. RunasError("IDP_MFA") for `none` and when nothing fits, listing what is registered.
 */
export function selectProof(proofs: readonly UserProof[], mfaType: string, username: string): UserProof {
  const type = mfaType.toLowerCase();
  if (type === "none") {
    throw new RunasError("IDP_MFA", `Azure AD requires MFA for ${username}; set mfa_type to auto, code or push`);
  }
  const kinds = type === "push" ? [PUSH] : type === "code" ? CODE_METHODS : type === "auto" ? SUPPORTED : [];
  const usable = proofs.filter((p) => kinds.some((k) => k.toLowerCase() === p.authMethodId.toLowerCase()));
  const chosen = usable.find((p) => p.isDefault) ?? usable[0];
  if (chosen !== undefined) return chosen;
  const registered = proofs.map((p) => p.authMethodId).filter((m) => m !== "");
  const want = type === "push" ? "push (PhoneAppNotification)" : type === "code" ? "code (PhoneAppOTP or OneWaySMS)" : type;
  throw new RunasError(
    "IDP_MFA",
    `Azure AD offers ${username} no MFA method for mfa_type ${want}; registered: ` +
      `${registered.length === 0 ? "none" : registered.join(", ")}; aws-runas can use ${SUPPORTED.join(", ")}: ` +
      "change mfa_type or register one of them",
  );
}

/** The fields of a BeginAuth/EndAuth reply aws-runas reads (keys in any case). */
interface SasReply {
  success: boolean;
  resultValue: string;
  message: string;
  authMethodId: string;
  errCode: number;
  retry: boolean;
  flowToken: string;
  ctx: string;
  sessionId: string;
  /** The number the Authenticator app asks for (number matching), 0 when none. */
  entropy: number;
}

function sasReply(json: Record<string, unknown>): SasReply {
  const num = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : 0);
  return {
    success: field(json, "Success") === true,
    resultValue: text(field(json, "ResultValue")),
    message: text(field(json, "Message")),
    authMethodId: text(field(json, "AuthMethodId")),
    errCode: num(field(json, "ErrCode")) || 0,
    retry: field(json, "Retry") === true,
    flowToken: text(field(json, "FlowToken")),
    ctx: text(field(json, "Ctx")),
    sessionId: text(field(json, "SessionId")),
    entropy: num(field(json, "Entropy")) || 0,
  };
}

/**
 * Does the MFA the page `page` asks for and returns Azure AD's answer to ProcessAuth (the next sign-in page).
 */
export async function azureMfa(o: {
  page: AadPage;
  config: PageConfig;
  username: string;
  s: IdpSettings;
  d: IdpDeps;
  pages: AadPages;
  timing: MfaTiming;
}): Promise<AadPage> {
  const { config, d, pages, username } = o;
  const proof = selectProof(config.arrUserProofs, String(o.s.mfaType), username);
  const method = proof.authMethodId;
  const beginUrl = resolveOn(config.urlBeginAuth, o.page.url);
  const endUrl = resolveOn(config.urlEndAuth, o.page.url);
  const processUrl = resolveOn(config.urlPost, o.page.url);
  if (beginUrl === undefined || endUrl === undefined || processUrl === undefined) {
    throw new RunasError(
      "IDP_ERROR",
      `Azure AD asks ${username} for MFA, but its page at ${where(o.page.url)} names no MFA endpoints; sign in at Azure AD ` +
        "in a browser once, then run aws-runas again",
    );
  }

  d.logger.debug(`azuread: MFA by ${method}`);
  const begun = sasReply(
    await pages.postJson(beginUrl, { AuthMethodId: method, Method: "BeginAuth", Ctx: config.sCtx, FlowToken: config.sFT }, "BeginAuth"),
  );
  if (!begun.success) {
    throw new RunasError(
      "IDP_MFA",
      `Azure MFA could not start ${method}: ${printable(begun.message || begun.resultValue || "no reason given")}` +
        `${begun.errCode !== 0 ? ` [code: ${begun.errCode}]` : ""}; run aws-runas again, or change mfa_type`,
    );
  }

  // Every reply hands out the flow token and context the next request must carry.
  let last = begun;
  const endAuth = async (code?: string): Promise<SasReply> => {
    const body: Record<string, unknown> = {
      AuthMethodId: last.authMethodId || method,
      Method: "EndAuth",
      Ctx: last.ctx,
      FlowToken: last.flowToken,
    };
    if (last.sessionId !== "") body.SessionId = last.sessionId;
    if (code !== undefined) body.AdditionalAuthData = code;
    const reply = sasReply(await pages.postJson(endUrl, body, "EndAuth"));
    last = {
      ...reply,
      authMethodId: reply.authMethodId || last.authMethodId,
      ctx: reply.ctx || last.ctx,
      flowToken: reply.flowToken || last.flowToken,
      sessionId: reply.sessionId || last.sessionId,
    };
    return last;
  };

  let done: SasReply;
  if (method.toLowerCase() === PUSH.toLowerCase()) {
    if (begun.entropy > 0) d.progress(`the Authenticator app asks for a number: enter ${begun.entropy}`);
    const seconds = config.pollingIntervals[method] ?? DEFAULT_INTERVAL_S;
    done = await waitForPush({
      clock: d.clock,
      progress: d.progress,
      intervalMs: o.timing.intervalMs ?? Math.max(seconds * 1000, MIN_INTERVAL_MS),
      ...(o.timing.sleep === undefined ? {} : { sleep: o.timing.sleep }),
      ...(o.timing.deadlineMs === undefined ? {} : { deadlineMs: o.timing.deadlineMs }),
      check: async () => {
        const r = await endAuth();
        if (r.success) return r;
        if (r.resultValue === "PhoneAppDenied") return "rejected";
        if (r.retry || r.errCode === PENDING) return "pending";
        throw mfaFailure(r);
      },
    });
  } else {
    if (method.toLowerCase() === "onewaysms") d.progress("a code was sent by SMS");
    done = await withMfaCode({
      ...(o.s.mfaCode === undefined ? {} : { given: o.s.mfaCode }),
      prompter: d.prompter,
      progress: d.progress,
      attempt: async (code) => {
        const r = await endAuth(code);
        if (r.success) return r;
        if (WRONG_CODE.has(r.resultValue) || r.retry || r.errCode === PENDING) return "rejected";
        throw mfaFailure(r);
      },
    });
  }

  return pages.postForm(processUrl, [
    [config.sFTName || "flowToken", done.flowToken],
    ["request", done.ctx],
    ["login", username],
  ]);
}

function mfaFailure(r: SasReply): RunasError {
  const reason = printable(r.message || r.resultValue || "no reason given");
  return new RunasError(
    "IDP_MFA",
    `Azure MFA failed: ${reason}${r.errCode !== 0 ? ` [code: ${r.errCode}]` : ""}; run aws-runas again`,
  );
}

/** Text from Azure AD made safe for one terminal line. */
export function printable(s: string): string {
  const clean = s.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
