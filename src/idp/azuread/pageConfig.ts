/**
 * The page state Azure AD's sign-in pages carry in `$Config={…};` (idp.md §8): flow token, context, where to post
 * next, MFA proofs, errors. Upstream cut the object at the first `};` with a regex, which breaks as soon as a string
 * in it contains `};` (idp.md §13 item 7); here the object is found by scanning balanced braces outside JSON strings.
 */
import { RunasError } from "../../domain/errors.js";

/** One MFA method the user has registered (`arrUserProofs`). */
export interface UserProof {
  /** `PhoneAppNotification`, `PhoneAppOTP`, `OneWaySMS`, `TwoWayVoiceMobile` … */
  authMethodId: string;
  /** What the page shows for it (e.g. a masked phone number). */
  display: string;
  isDefault: boolean;
}

/** The fields of `$Config` aws-runas uses; absent ones are "" (or empty), as Go's decoder left them. */
export interface PageConfig {
  sCtx: string;
  sFT: string;
  sFTName: string;
  urlPost: string;
  urlBeginAuth: string;
  urlEndAuth: string;
  urlSkipMfaRegistration: string;
  /** "" when the page reports no error ("0" counts as none). */
  sErrorCode: string;
  sErrTxt: string;
  arrUserProofs: UserProof[];
  /** `oGetCredTypeResult.Credentials.FederationRedirectUrl`: set for an account that signs in elsewhere (a guest). */
  federationRedirectUrl: string;
  /** `oPerAuthPollingInterval`: seconds between MFA polls, per method. */
  pollingIntervals: Record<string, number>;
}

const CONFIG_START = /\$Config\s*=\s*\{/g;

/**
 * The `$Config` of an Azure AD page, or undefined when the page has none (a form, a SAMLResponse page). Keys are
 * matched in any case, as Go's JSON decoder did. RunasError("IDP_ERROR") when the object is there but unreadable.
 */
export function parsePageConfig(html: string): PageConfig | undefined {
  const raw = configObject(html);
  if (raw === undefined) return undefined;
  const credentials = field(field(raw, "oGetCredTypeResult"), "Credentials");
  const proofs = field(raw, "arrUserProofs");
  const intervals = field(raw, "oPerAuthPollingInterval");
  const errorCode = text(field(raw, "sErrorCode"));
  return {
    sCtx: text(field(raw, "sCtx")),
    sFT: text(field(raw, "sFT")),
    sFTName: text(field(raw, "sFTName")),
    urlPost: text(field(raw, "urlPost")),
    urlBeginAuth: text(field(raw, "urlBeginAuth")),
    urlEndAuth: text(field(raw, "urlEndAuth")),
    urlSkipMfaRegistration: text(field(raw, "urlSkipMfaRegistration")),
    sErrorCode: errorCode === "0" ? "" : errorCode,
    sErrTxt: text(field(raw, "sErrTxt")),
    arrUserProofs: Array.isArray(proofs)
      ? proofs.map((p) => ({
          authMethodId: text(field(p, "authMethodId")),
          display: text(field(p, "display")),
          isDefault: field(p, "isDefault") === true,
        }))
      : [],
    federationRedirectUrl: text(field(credentials, "FederationRedirectUrl")),
    pollingIntervals: numbers(intervals),
  };
}

/**
 * The JSON object after the first `$Config=` of the page, found by counting braces outside strings; undefined when
 * the page has no `$Config`.
 */
function configObject(html: string): Record<string, unknown> | undefined {
  CONFIG_START.lastIndex = 0;
  const m = CONFIG_START.exec(html);
  if (m === null) return undefined;
  const start = m.index + m[0].length - 1;
  const end = matchingBrace(html, start);
  if (end === undefined) throw unreadable();
  let value: unknown;
  try {
    value = JSON.parse(html.slice(start, end + 1));
  } catch (e) {
    throw unreadable(e);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw unreadable();
  return value as Record<string, unknown>;
}

/** The index of the `}` closing the `{` at `open`, skipping braces inside JSON strings (with their escapes). */
function matchingBrace(s: string, open: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === "{" || c === "[") {
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return c === "}" ? i : undefined;
    }
  }
  return undefined;
}

/** `obj[name]` with the key matched in any case (Go's encoding/json); undefined for anything but an object. */
export function field(obj: unknown, name: string): unknown {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  const record = obj as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

/** A string or number field as text; anything else is "". */
export function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return "";
}

function numbers(obj: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return out;
  for (const [k, v] of Object.entries(obj)) {
    const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
    if (Number.isFinite(n)) out[k] = n;
  }
  return out;
}

function unreadable(cause?: unknown): RunasError {
  return new RunasError(
    "IDP_ERROR",
    "an Azure AD sign-in page carries page data ($Config) that is not readable JSON; run aws-runas again, " +
      "and sign in at Azure AD in a browser if it keeps happening",
    cause === undefined ? {} : { cause },
  );
}
