/**
 * OneLogin MFA (idp.md §5.3), shared by the login (v1) and SAML (v2) flows: list the user's factors, pick one by
 * mfa_type, then verify a code or wait for a push at the callback URL the sign-in answer named.
 */
import { RunasError } from "../../domain/errors.js";
import { waitForPush, withMfaCode } from "../signInPrompts.js";
import type { IdpDeps, MfaType } from "../types.js";
import { record, text, type OneLoginAnswer, type OneLoginApi } from "./oneloginApi.js";

/** Factors verified by a push (or a call) rather than a typed code. */
const PUSH_FACTORS = ["onelogin", "onelogin voice"];
/** Factors verified by a typed code. */
const CODE_FACTORS = ["onelogin", "google authenticator", "sms", "onelogin sms", "onelogin email"];
/** Code factors whose code OneLogin has to send first: a request without otp_token and with do_not_notify false. */
const SENT_CODE_FACTORS = ["sms", "onelogin sms", "onelogin email"];

/** The MFA challenge of a sign-in answer. */
export interface OneLoginChallenge {
  userId: number | string;
  stateToken: string;
  /** OneLogin's callback_url: only its path and query are used, on the API base (idp.md §5.3 step 3). */
  callbackUrl: string;
}

/** One enrolled factor as `GET /api/2/mfa/users/<id>/devices` lists it. */
interface Factor {
  deviceId: string;
  name: string;
  display: string;
  isDefault: boolean;
}

/**
 * Runs the MFA of `challenge` and returns what the verifier yields on success: a session token (`v1`, the login flow)
 * or the SAMLResponse (`v2`, with `appId`). Codes are bounded to 5, pushes to the push deadline; a rejected push or
 * an unusable factor is one RunasError line.
 */
export async function oneLoginMfa(o: {
  api: OneLoginApi;
  challenge: OneLoginChallenge;
  flow: "v1" | "v2";
  appId?: string;
  mfaType: MfaType;
  mfaCode?: string;
  deps: IdpDeps;
  pushIntervalMs?: number;
  signal?: AbortSignal;
}): Promise<string> {
  const d = o.deps;
  const mode = o.mfaType.toLowerCase();
  if (mode === "none") {
    throw new RunasError(
      "IDP_MFA",
      "OneLogin requires MFA for this user but mfa_type is none; set mfa_type to auto, code or push",
    );
  }
  const factors = await listFactors(o.api, o.challenge.userId, o.signal);
  const factor = chooseFactor(factors, mode);
  const push = mode === "push" || (mode !== "code" && is(factor, PUSH_FACTORS));
  d.logger.debug(`onelogin: MFA with ${factor.name} (${push ? "push" : "code"})`);

  const callback = new URL(o.challenge.callbackUrl || defaultCallback(o.flow), o.api.base);
  const verifyPath = `${callback.pathname}${callback.search}`;
  const verify = async (fields: { doNotNotify: boolean; otp?: string }): Promise<Verdict> => {
    const answer = await o.api.post(
      verifyPath,
      {
        ...(o.appId === undefined ? {} : { app_id: o.appId }),
        device_id: factor.deviceId,
        do_not_notify: fields.doNotNotify,
        ...(fields.otp === undefined ? {} : { otp_token: fields.otp }),
        state_token: o.challenge.stateToken,
      },
      o.signal,
    );
    return verdict(answer, o.flow);
  };

  if (push) {
    // The first request sends the push; the polls must not send it again.
    const first = await verify({ doNotNotify: false });
    if (first.kind === "done") return first.value;
    if (first.kind === "rejected") {
      throw new RunasError("IDP_MFA", `OneLogin refused the push (${first.message}); run aws-runas again to get a new one`);
    }
    if (first.kind !== "pending") throw unexpected(first, "push");
    return waitForPush({
      clock: d.clock,
      progress: d.progress,
      ...(o.pushIntervalMs === undefined ? {} : { intervalMs: o.pushIntervalMs }),
      check: async () => {
        const v = await verify({ doNotNotify: true });
        if (v.kind === "done") return v.value;
        if (v.kind === "pending") return "pending";
        if (v.kind === "rejected") return "rejected";
        throw unexpected(v, "push");
      },
    });
  }

  // SMS and email codes must really be sent (upstream never sent them, idp.md §13.4), unless -o already gave one.
  const sent = is(factor, SENT_CODE_FACTORS);
  if (sent && (o.mfaCode ?? "") === "") {
    const trigger = await verify({ doNotNotify: false });
    if (trigger.kind === "done") return trigger.value;
    if (trigger.kind !== "pending") throw unexpected(trigger, "code");
    d.progress(`OneLogin sent a code to ${factor.display}`);
  }
  return withMfaCode({
    factor: factor.display,
    ...(o.mfaCode === undefined ? {} : { given: o.mfaCode }),
    prompter: d.prompter,
    progress: d.progress,
    attempt: async (code) => {
      const v = await verify({ doNotNotify: !sent, otp: code });
      if (v.kind === "done") return v.value;
      if (v.kind === "rejected" || v.kind === "pending") return "rejected";
      throw unexpected(v, "code");
    },
  });
}

/** What one verify_factor answer means. */
type Verdict =
  | { kind: "done"; value: string }
  | { kind: "pending" }
  | { kind: "rejected"; message: string }
  | { kind: "error"; status: number; message: string };

/** Reads a v1 (`{status:{message}, data:[{session_token}]}`) or v2 (`{message, data}`) verify_factor answer. */
function verdict(a: OneLoginAnswer, flow: "v1" | "v2"): Verdict {
  if (a.status === 401 || /failed authentication with this factor|denied/i.test(a.message)) {
    return { kind: "rejected", message: a.message };
  }
  if (a.status !== 200) return { kind: "error", status: a.status, message: a.message };
  if (/pending/i.test(a.message)) return { kind: "pending" };
  const json = record(a.json);
  const value = flow === "v1" ? text(record(Array.isArray(json.data) ? json.data[0] : undefined).session_token) : text(json.data);
  if (/^success$/i.test(a.message) && value !== "") return { kind: "done", value };
  return { kind: "error", status: a.status, message: a.message };
}

function unexpected(v: Verdict, what: "push" | "code"): RunasError {
  const detail = v.kind === "error" ? ` (HTTP ${v.status}: ${v.message})` : v.kind === "rejected" ? ` (${v.message})` : "";
  return new RunasError("IDP_MFA", `unexpected ${what} MFA response from OneLogin${detail}; run aws-runas again`);
}

/** The user's factors; none is an error, since the sign-in said MFA is required. */
async function listFactors(api: OneLoginApi, userId: number | string, signal?: AbortSignal): Promise<Factor[]> {
  const answer = await api.get(`api/2/mfa/users/${encodeURIComponent(String(userId))}/devices`, signal);
  if (answer.status !== 200) {
    throw new RunasError(
      "IDP_MFA",
      `OneLogin did not list the MFA factors of this user (HTTP ${answer.status}: ${answer.message}); ` +
        "check that the API credentials may read MFA devices",
    );
  }
  const list = Array.isArray(answer.json) ? answer.json : [];
  const factors = list.map((item): Factor => {
    const f = record(item);
    const id = f.device_id;
    return {
      deviceId: typeof id === "number" ? String(id) : text(id),
      name: text(f.auth_factor_name),
      display: text(f.user_display_name) || text(f.type_display_name) || text(f.auth_factor_name),
      isDefault: f.default === true,
    };
  }).filter((f) => f.deviceId !== "");
  if (factors.length === 0) {
    throw new RunasError("IDP_MFA", "no active MFA factors found for this OneLogin user; enrol one in OneLogin first");
  }
  return factors;
}

/**
 * The factor for `mode` (idp.md §5.3 step 5): `code` and `push` take the first factor of their kind; `auto` the
 * default factor, else the first one.
 */
function chooseFactor(factors: Factor[], mode: string): Factor {
  const names = factors.map((f) => f.name).join(", ");
  if (mode === "code" || mode === "push") {
    const found = factors.find((f) => is(f, mode === "code" ? CODE_FACTORS : PUSH_FACTORS));
    if (found === undefined) {
      throw new RunasError(
        "IDP_MFA",
        `no ${mode} MFA factor is enrolled for this OneLogin user (found: ${names}); ` +
          `set mfa_type to ${mode === "code" ? "push" : "code"} or auto`,
      );
    }
    return found;
  }
  const chosen = factors.find((f) => f.isDefault) ?? factors[0];
  if (chosen === undefined) throw new RunasError("IDP_MFA", "no active MFA factors found for this OneLogin user");
  if (!is(chosen, CODE_FACTORS) && !is(chosen, PUSH_FACTORS)) {
    throw new RunasError(
      "IDP_MFA",
      `the OneLogin MFA factor ${chosen.name} is not supported by aws-runas; set mfa_type to code or push to use another`,
    );
  }
  return chosen;
}

/** Whether a factor's name is one of `names` (any case). */
function is(f: Factor, names: readonly string[]): boolean {
  return names.includes(f.name.toLowerCase());
}

function defaultCallback(flow: "v1" | "v2"): string {
  return flow === "v1" ? "/api/1/login/verify_factor" : "/api/2/saml_assertion/verify_factor";
}
