/**
 * The ForgeRock AM sign-in (idp.md §7.1) with the fixes of §13: 3 password attempts, 5 codes, a push deadline,
 * `auto` that only falls through when AM refuses a service outright, and no error taken for success.
 */
import { RunasError } from "../../domain/errors.js";
import { gatherCredentials, waitForPush, withMfaCode, withPasswordAttempts } from "../signInPrompts.js";
import type { IdpDeps, IdpSettings } from "../types.js";
import {
  type AmAnswer,
  type AmForm,
  type AmService,
  amFailure,
  callbackTypes,
  continueTree,
  pollingWaitMs,
  startTree,
  withCode,
} from "./authTree.js";

/** Tuning for tests: how push polls wait, and how long a push may take. */
export interface ForgerockOptions {
  /** Time between push polls; default: the PollingWaitCallback's waitTime (1–10 s), else upstream's 1.25 s. */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How long a push may stay unanswered (default 2 minutes). */
  deadlineMs?: number;
}

const PUSH_SERVICE: AmService = "mfa_push_authentication";
const CODE_SERVICE: AmService = "mfa_oath_authentication";
const PUSH_INTERVAL_MS = 1250;
const ADVICE = "check the ForgeRock URL and realm, or run aws-runas with -v for details";

/**
 * A sign-in at `authenticateUrl` by `s.mfaType` (any case): `none` runs the realm's default tree; `push` and `code`
 * run upstream's `mfa_push_authentication` / `mfa_oath_authentication` services; `auto` (and anything else, as
 * upstream) tries push, then code, then none, moving on only when AM refuses the service's first request (401).
 * Only a session counts as done; AM sets its cookie then.
 */
export function forgerockSignIn(
  s: IdpSettings,
  d: IdpDeps,
  o: ForgerockOptions,
): (authenticateUrl: URL, signal?: AbortSignal) => Promise<void> {
  return async (url, signal) => {
    // Read once per sign-in, never written back: upstream's auto mode left the type it ended on for later calls.
    const mode = String(s.mfaType).toLowerCase();
    const given = await gatherCredentials(s, d.prompter);
    await withPasswordAttempts({
      ...given,
      prompter: d.prompter,
      progress: d.progress,
      attempt: async (username, password) => {
        const run = new TreeRun(url, username, password, s, d, o, signal);
        if (mode === "none") return run.plain();
        if (mode === "push") return run.push();
        if (mode === "code") return run.code();
        // A 401 to a service's first request means "not for this user" as much as "wrong password": AM does not
        // say which, so auto tries the next way in and calls the password rejected only when the plain tree does.
        if ((await run.push()) === "done") return "done";
        d.logger.debug(`forgerock: AM refused the push service for ${username}, trying a code`);
        if ((await run.code()) === "done") return "done";
        d.logger.debug(`forgerock: AM refused the code service for ${username}, trying without MFA`);
        return run.plain();
      },
    });
    d.logger.debug(`forgerock: signed in as ${given.username}`);
  };
}

/** One password attempt's requests: each way in ends "done" (a session) or "rejected" (401 to its first request). */
class TreeRun {
  constructor(
    private readonly url: URL,
    private readonly username: string,
    private readonly password: string,
    private readonly s: IdpSettings,
    private readonly d: IdpDeps,
    private readonly o: ForgerockOptions,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The realm's default tree: username and password only. */
  async plain(): Promise<"done" | "rejected"> {
    const a = await this.start();
    if (a.kind !== "callbacks") return this.endOfStart(a, "the sign-in");
    throw new RunasError(
      "IDP_MFA",
      `ForgeRock's default sign-in asks ${this.username} for more than a password (${callbackTypes(a.form).join(", ")}); ` +
        "set mfa_type to push or code",
    );
  }

  /** Push: AM sends it on the first request, then the form is posted back until AM answers with a session. */
  async push(): Promise<"done" | "rejected"> {
    const a = await this.start(PUSH_SERVICE);
    if (a.kind !== "callbacks") return this.endOfStart(a, "the push sign-in");
    let form = pushForm(a.form);
    const interval = this.o.intervalMs ?? clampedWait(pollingWaitMs(form));
    this.d.logger.debug(`forgerock: push sent to ${this.username}, polling every ${interval} ms`);
    await waitForPush({
      clock: this.d.clock,
      progress: this.d.progress,
      intervalMs: interval,
      ...(this.o.sleep === undefined ? {} : { sleep: this.o.sleep }),
      ...(this.o.deadlineMs === undefined ? {} : { deadlineMs: this.o.deadlineMs }),
      check: async () => {
        const r = await continueTree({ fetch: this.d.fetch, url: this.url, form, ...this.signalled() });
        if (r.kind === "session") return "done";
        if (r.kind === "callbacks") {
          form = pushForm(r.form);
          return "pending";
        }
        // Upstream's only sign of an approved push was an error answer whose JSON code is 400 (idp.md §7.1, §7.4); it
        // stays accepted for its servers, and what follows still needs the session cookie, so nothing is assumed.
        if (r.code === 400) {
          this.d.logger.debug("forgerock: AM ended the push with code 400, taken as approved (as upstream)");
          return "done";
        }
        if ((r.code ?? r.status) === 401) return "rejected";
        throw amFailure("the push", r, ADVICE);
      },
    });
    return "done";
  }

  /**
   * A one-time code: the first form from the service's first request, then one code per form; AM's 401 to a code
   * ends that tree, so the next code starts a new one (new authId), as upstream did. A tree that asks again in the
   * same run (a retry node) is answered in place.
   */
  async code(): Promise<"done" | "rejected"> {
    const a = await this.start(CODE_SERVICE);
    if (a.kind !== "callbacks") return this.endOfStart(a, "the code sign-in");
    let pending: AmForm | undefined = codeForm(a.form);
    await withMfaCode({
      ...(this.s.mfaCode === undefined ? {} : { given: this.s.mfaCode }),
      prompter: this.d.prompter,
      progress: this.d.progress,
      attempt: async (code) => {
        let form = pending;
        pending = undefined;
        if (form === undefined) {
          const again = await this.start(CODE_SERVICE);
          if (again.kind === "session") return "done";
          if (again.kind === "failed") throw amFailure(`a new code sign-in of ${this.username}`, again, ADVICE);
          form = codeForm(again.form);
        }
        this.d.logger.debug(`forgerock: sending the code of ${this.username}`);
        const r = await continueTree({ fetch: this.d.fetch, url: this.url, form: withCode(form, code), ...this.signalled() });
        if (r.kind === "session") return "done";
        if (r.kind === "callbacks") {
          pending = codeForm(r.form);
          return "rejected";
        }
        if ((r.code ?? r.status) === 401) return "rejected";
        throw amFailure("the MFA code", r, ADVICE);
      },
    });
    return "done";
  }

  private start(service?: AmService): Promise<AmAnswer> {
    return startTree({
      fetch: this.d.fetch,
      url: this.url,
      username: this.username,
      password: this.password,
      ...(service === undefined ? {} : { service }),
      ...this.signalled(),
    });
  }

  /** A first answer that is not a form: a session, a refusal (401), or an error. */
  private endOfStart(a: Exclude<AmAnswer, { kind: "callbacks" }>, what: string): "done" | "rejected" {
    if (a.kind === "session") return "done";
    if ((a.code ?? a.status) === 401) return "rejected";
    throw amFailure(`${what} of ${this.username}`, a, ADVICE);
  }

  private signalled(): { signal?: AbortSignal } {
    return this.signal === undefined ? {} : { signal: this.signal };
  }
}

/** A push step must be one AM polls with; any other question is not one aws-runas can answer. */
function pushForm(form: AmForm): AmForm {
  if (form.callbacks.some((cb) => cb.type === "PollingWaitCallback")) return form;
  throw new RunasError(
    "IDP_MFA",
    `ForgeRock's push service asks for ${callbackTypes(form).join(", ") || "nothing"} instead of waiting for a push; ` +
      "set mfa_type to code, or check the mfa_push_authentication tree",
  );
}

/** A code step must have a PasswordCallback to put the code in. */
function codeForm(form: AmForm): AmForm {
  if (form.callbacks.some((cb) => cb.type === "PasswordCallback")) return form;
  throw new RunasError(
    "IDP_MFA",
    `ForgeRock's code service asks for ${callbackTypes(form).join(", ") || "nothing"} instead of a one-time code; ` +
      "set mfa_type to push, or check the mfa_oath_authentication tree",
  );
}

/** AM's suggested wait between polls, kept between 1 and 10 seconds; upstream's 1.25 s without one. */
function clampedWait(ms: number | undefined): number {
  return ms === undefined ? PUSH_INTERVAL_MS : Math.min(Math.max(ms, 1000), 10_000);
}
