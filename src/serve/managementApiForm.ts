/**
 * The bodies the management API accepts (core.md §9.5), parsed at the edge: a profile name as plain text and the
 * `application/x-www-form-urlencoded` forms of the browser UI. Each parser returns the typed value or the one line
 * that tells the caller what to fix (answered 400). Values that end up in the user's config file must be one line:
 * a line break in a form field would otherwise write keys of the sender's choosing into `~/.aws/config`.
 */
import type { CustomProfileForm } from "./contracts.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Upstream reads at most this much of the POST /profile body. */
const PROFILE_BODY_LIMIT = 256;

// C0 controls (line breaks included) and DEL: never part of a profile name, ARN, URL or code.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** POST /profile: the body is the profile name (its first 256 bytes, trimmed). */
export function parseProfileName(body: string): Parsed<string> {
  const name = Buffer.from(body, "utf8").subarray(0, PROFILE_BODY_LIMIT).toString("utf8").trim();
  if (name === "") return fail("the request body must be the name of a profile, for example: admin");
  if (CONTROL.test(name)) return fail("a profile name must be one line of printable characters");
  return ok(name);
}

/** POST /auth: `username` and `password`, both needed. */
export function parseLogin(body: string): Parsed<{ username: string; password: string }> {
  const form = new URLSearchParams(body);
  const username = (form.get("username") ?? "").trim();
  // A password is taken exactly as typed: leading or trailing spaces may be part of it.
  const password = form.get("password") ?? "";
  if (username === "" || password === "") return fail("both username and password are needed");
  if (CONTROL.test(username)) return fail("the username must be one line of printable characters");
  return ok({ username, password });
}

/** POST /mfa: the `mfa` code. */
export function parseMfa(body: string): Parsed<string> {
  const code = (new URLSearchParams(body).get("mfa") ?? "").trim();
  if (code === "") return fail("the MFA code is missing: send it as the form field mfa");
  if (code.length > 64 || /\s/.test(code) || CONTROL.test(code)) return fail("an MFA code is one word of at most 64 characters");
  return ok(code);
}

/** The fields each type of the Advanced form carries (core.md §9.5 "Form → config mapping"). */
const FIELDS_BY_TYPE: Record<CustomProfileForm["adv-type"], readonly (keyof CustomProfileForm)[]> = {
  iam: ["role-arn", "source-profile", "external-id"],
  saml: ["role-arn", "auth-url", "username", "password", "jump-role"],
  oidc: ["role-arn", "auth-url", "username", "password", "jump-role", "client-id", "redirect-uri"],
};

/**
 * POST|PUT /profile/custom: the Advanced form. Fields of the other types are dropped (the page clears hidden fields
 * too), empty fields are left out, and a missing or unknown `adv-type` is refused (upstream dropped the connection).
 */
export function parseCustomForm(body: string): Parsed<CustomProfileForm> {
  const params = new URLSearchParams(body);
  const type = params.get("adv-type") ?? "";
  if (type !== "iam" && type !== "saml" && type !== "oidc") {
    return fail(`Invalid Configuration: adv-type must be iam, saml or oidc, not '${printable(type)}'`);
  }
  const form: CustomProfileForm = { "adv-type": type };
  for (const field of FIELDS_BY_TYPE[type]) {
    const raw = params.get(field) ?? "";
    const value = field === "password" ? raw : raw.trim();
    if (value === "") continue;
    if (CONTROL.test(value)) return fail(`Invalid Configuration: ${field} must be one line of printable characters`);
    (form as unknown as Record<string, string>)[field] = value;
  }
  return ok(form);
}

/** PUT /profile/custom: the name to save the form as; it becomes an INI section header `[profile <name>]`. */
export function parseSaveName(body: string): Parsed<string> {
  const name = (new URLSearchParams(body).get("profile-name") ?? "").trim();
  if (name === "" || name.length > 128 || CONTROL.test(name) || /[[\]]/.test(name)) {
    return fail("Invalid profile name: give one line of at most 128 characters without [ or ]");
  }
  return ok(name);
}

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** An echoed value, made safe for a one-line message. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > 32 ? `${clean.slice(0, 32)}…` : clean;
}
