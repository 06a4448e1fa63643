/**
 * ForgeRock AM's authentication REST API (idp.md §7.1): `POST <base>/json<realmPath>/authenticate`, first with the
 * username and password in the `X-OpenAM-*` headers ("zero page login"), then with the callbacks of the tree filled
 * in, until AM answers with a session. AM sets its SSO cookie (`iPlanetDirectoryPro` by default) on that answer; the
 * client's HTTP session keeps it, which is what SAML, OIDC and federation then ride on.
 * Every answer is read through `readAnswer`, so a failure is AM's own message and never a password, code, authId or
 * token.
 */
import { isRunasError, RunasError } from "../../domain/errors.js";
import { networkFailure } from "../httpSession.js";
import type { Fetch } from "../types.js";

/** The API version upstream pinned; AM answers tree requests with the callback JSON this module reads. */
export const ACCEPT_API_VERSION = "resource=2.0, protocol=1.0";

/** The AM services (trees or chains) upstream named for push and one-time-code MFA (idp.md §7.1). */
export type AmService = "mfa_push_authentication" | "mfa_oath_authentication";

/** A callback of AM's form, kept as AM sent it so it goes back unchanged but for the inputs aws-runas fills. */
export type AmCallback = Readonly<Record<string, unknown>>;

/** One step of a tree that wants answers: what goes back to AM (authId, stage, header, callbacks). */
export interface AmForm {
  readonly authId: string;
  readonly stage?: string;
  readonly header?: string;
  readonly callbacks: readonly AmCallback[];
}

/** How AM answered one authenticate request. */
export type AmAnswer =
  /** Signed in: AM set its session cookie. */
  | { kind: "session" }
  /** The tree wants more: fill in and post the form. */
  | { kind: "callbacks"; form: AmForm }
  /** A non-200 answer: the HTTP status, the JSON `code` (undefined when the body has none) and AM's message. */
  | { kind: "failed"; status: number; code: number | undefined; message: string };

/** `s` as an RFC 2047 encoded word (`=?UTF-8?B?<base64>?=`), which AM decodes from the X-OpenAM headers. */
export function rfc2047(s: string): string {
  return `=?UTF-8?B?${Buffer.from(s, "utf8").toString("base64")}?=`;
}

/**
 * The first request of a sign-in: the username and password in RFC 2047-encoded `X-OpenAM-*` headers and an empty
 * body, at the realm's default tree or, with `service`, at `?authIndexType=service&authIndexValue=<service>`.
 */
export async function startTree(o: {
  fetch: Fetch;
  url: URL;
  username: string;
  password: string;
  service?: AmService;
  signal?: AbortSignal;
}): Promise<AmAnswer> {
  const target = new URL(o.url.href);
  target.search =
    o.service === undefined ? "" : new URLSearchParams({ authIndexType: "service", authIndexValue: o.service }).toString();
  return send(o.fetch, target, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "accept-api-version": ACCEPT_API_VERSION,
      "x-openam-username": rfc2047(o.username),
      "x-openam-password": rfc2047(o.password),
    },
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
}

/**
 * A continuation: the form posted back to the tree's endpoint, without a query and without the `X-OpenAM-*`
 * headers (AM carries the state in the authId).
 */
export async function continueTree(o: { fetch: Fetch; url: URL; form: AmForm; signal?: AbortSignal }): Promise<AmAnswer> {
  const target = new URL(o.url.href);
  target.search = "";
  return send(o.fetch, target, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-api-version": ACCEPT_API_VERSION },
    body: JSON.stringify(o.form),
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
}

/**
 * The form with `code` in every `IDToken<n>` input of every PasswordCallback (AM's one-time-password pages ask with
 * a PasswordCallback; upstream filled only `IDToken1`, idp.md §13.6). Other callbacks are left as AM sent them.
 */
export function withCode(form: AmForm, code: string): AmForm {
  const callbacks = form.callbacks.map((cb): AmCallback => {
    if (cb.type !== "PasswordCallback" || !Array.isArray(cb.input)) return cb;
    const input = cb.input.map((entry: unknown) => {
      const e = objectOf(entry);
      return typeof e.name === "string" && /^IDToken\d+$/.test(e.name) ? { ...e, value: code } : entry;
    });
    return { ...cb, input };
  });
  return { ...form, callbacks };
}

/** The callback types of a form, in order: what a message says AM asked for. */
export function callbackTypes(form: AmForm): string[] {
  return form.callbacks.map((cb) => (typeof cb.type === "string" ? printable(cb.type) : "?"));
}

/** The `waitTime` (ms) of the form's PollingWaitCallback: how often AM wants a push polled. */
export function pollingWaitMs(form: AmForm): number | undefined {
  const polling = form.callbacks.find((cb) => cb.type === "PollingWaitCallback");
  if (polling === undefined || !Array.isArray(polling.output)) return undefined;
  for (const entry of polling.output) {
    const e = objectOf(entry);
    const ms = typeof e.value === "number" ? e.value : typeof e.value === "string" ? Number(e.value) : NaN;
    if (e.name === "waitTime" && Number.isFinite(ms) && ms > 0) return ms;
  }
  return undefined;
}

/** The one line for an answer of AM that ends the sign-in: the HTTP status and AM's own message, and what to do. */
export function amFailure(what: string, a: { status: number; message: string }, advice: string): RunasError {
  const message = a.message === "" ? "" : `: ${a.message}`;
  return new RunasError("IDP_ERROR", `ForgeRock refused ${what} (HTTP ${a.status}${message}); ${advice}`);
}

async function send(fetch: Fetch, target: URL, init: RequestInit): Promise<AmAnswer> {
  let response: Response;
  try {
    response = await fetch(target, init);
  } catch (e) {
    if (isRunasError(e)) throw e;
    throw new RunasError(
      "IDP_ERROR",
      `could not reach ForgeRock at ${target.origin} (${networkFailure(e, target)}); check the URL and the network`,
      { cause: e },
    );
  }
  return readAnswer(target, response.status, await response.text());
}

/**
 * What an answer means. 200 with a `tokenId` is a session (AM's own success); 200 with authId and callbacks is the
 * next step. Upstream's test server answered a finished sign-in with the bare text `success` and upstream took any
 * 200 for success, so that text is accepted too (idp.md §7.4). Anything else at 200 is an error rather than a guess.
 */
function readAnswer(target: URL, status: number, body: string): AmAnswer {
  const json = parseJson(body);
  if (status !== 200) {
    const o = objectOf(json);
    return {
      kind: "failed",
      status,
      code: typeof o.code === "number" ? o.code : undefined,
      message: typeof o.message === "string" ? printable(o.message) : "",
    };
  }
  const o = objectOf(json);
  if (typeof o.tokenId === "string" && o.tokenId !== "") return { kind: "session" };
  if (json === undefined && body.trim() === "success") return { kind: "session" };
  if (typeof o.authId === "string" && o.authId !== "" && Array.isArray(o.callbacks)) {
    const callbacks = o.callbacks.map((cb: unknown) => objectOf(cb));
    return {
      kind: "callbacks",
      form: {
        authId: o.authId,
        ...(typeof o.stage === "string" ? { stage: o.stage } : {}),
        ...(typeof o.header === "string" ? { header: o.header } : {}),
        callbacks,
      },
    };
  }
  throw new RunasError(
    "IDP_ERROR",
    `ForgeRock at ${target.origin} answered the sign-in with neither a session nor a next step; check that the URL ` +
      "names the AM deployment and realm",
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The object itself, or {} for anything that is not a JSON object. */
function objectOf(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Text from AM made safe for one terminal line: control characters dropped, length bounded. */
function printable(s: string): string {
  const clean = s.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
