import { RunasError, isRunasError } from "../domain/errors.js";
import { decodePassword, looksObfuscated } from "./passwordObfuscation.js";
import type { SharedFiles } from "./sharedFiles.js";

/** Which kind of identity provider a password belongs to: SAML (`saml_auth_url`) or OIDC (`web_identity_auth_url`). */
export type IdpKind = "saml" | "web";

/** The credentials-file key holding the password in section `[<IdP URL>]` (core.md §7.1 step 4). */
export const PASSWORD_KEY: Readonly<Record<IdpKind, string>> = {
  saml: "saml_password",
  web: "web_identity_password",
};

/**
 * The plain-text IdP password for `url`: `override` (from -P / RUNAS_PASSWORD / SAML_PASSWORD / WEB_PASSWORD, already
 * in the resolved settings) else the credentials file's section named exactly `url`, key `saml_password` or
 * `web_identity_password`. A value that is not an obfuscated blob is a plain-text password; a blob that fails to decode
 * throws RunasError("PASSWORD_DECODE", "the stored password for <url> cannot be decoded (was the URL changed?); run
 * aws-runas password <profile> to store it again") — the blob is never returned. undefined when none.
 */
export function idpPassword(o: {
  files: SharedFiles;
  url: string;
  kind: IdpKind;
  override?: string;
  profile: string;
}): string | undefined {
  const profile = o.profile === "" ? "default" : o.profile;
  if (o.override !== undefined && o.override !== "") {
    // Upstream decodes whatever it was given, so a blob copied into SAML_PASSWORD works there and must work here.
    return plain(
      o.override,
      o.url,
      `the password given with -P or RUNAS_PASSWORD/SAML_PASSWORD/WEB_PASSWORD looks obfuscated but cannot be ` +
        `decoded for ${displayIdpUrl(o.url)}; give the plain password, or run aws-runas password ${profile} to store it`,
    );
  }
  const stored = storedValue(o.files, o.url, PASSWORD_KEY[o.kind]);
  if (stored === undefined) return undefined;
  return plain(
    stored,
    o.url,
    `the stored password for ${displayIdpUrl(o.url)} cannot be decoded (was the URL changed?); run aws-runas ` +
      `password ${profile} to store it again`,
  );
}

/**
 * An IdP URL fit for messages and logs: user info and the query are hidden, since OneLogin's `?token=` carries the
 * client secret (seed document).
 */
export function displayIdpUrl(url: string): string {
  return url.replace(/\/\/[^/?#]*@/, "//…@").replace(/[?#].*$/, "?…");
}

/** Decision Q-10: a blob is decoded or refused, never passed on; anything else is the password itself. */
function plain(value: string, url: string, failure: string): string | undefined {
  if (!looksObfuscated(value)) return value;
  let password: string;
  try {
    password = decodePassword(value, url);
  } catch (e) {
    if (isRunasError(e) && e.code === "PASSWORD_DECODE") throw new RunasError("PASSWORD_DECODE", failure, { cause: e });
    throw e;
  }
  // An empty stored password means "ask", as when none is stored (core.md §3.10 step 5).
  return password === "" ? undefined : password;
}

/** The last non-empty value of `key` across the sections named exactly `url` (a later duplicate wins, as for profiles). */
function storedValue(files: SharedFiles, url: string, key: string): string | undefined {
  let found: string | undefined;
  for (const section of files.credentials.sections) {
    if (section.header !== url) continue;
    for (const entry of section.entries) if (entry.key === key && entry.value !== "") found = unquote(entry.value);
  }
  return found === "" ? undefined : found;
}

/** Upstream's ini reader unquotes a value wholly inside matching quotes (core.md §2.2); the SDK's parser keeps them. */
function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/s.exec(value);
  return m?.[2] ?? value;
}
