/**
 * Keycloak's browser sign-in (idp.md §6.3) with the fixes of §13: the login form is posted with the username and
 * password (3 attempts), then the OTP form when Keycloak asks for a code (5 codes). Every answer Keycloak gives a
 * browser that signed in counts as success, the 302 to the redirect URI included (upstream took that 302 for an
 * error, §13 item 5).
 */
import { RunasError } from "../../domain/errors.js";
import { samlResponseFromHtml } from "../samlForm.js";
import { gatherCredentials, withMfaCode, withPasswordAttempts } from "../signInPrompts.js";
import type { IdpDeps, IdpSettings } from "../types.js";
import { feedbackOf, formFields, loginFormOf, otpFormOf, titleOf, type OtpForm } from "./loginForm.js";
import { type KeycloakPage, place, type Visit, visit } from "./pageVisit.js";

/** Where a sign-in ended. */
export type FormLoginResult =
  /** Keycloak redirected to an address `stopAt` matched: the OIDC redirect URI with the code. */
  | { kind: "redirect"; url: URL }
  /** The page Keycloak answered the signed-in browser with: the SAMLResponse form, the WS-Federation form… */
  | { kind: "page"; page: KeycloakPage };

/** What to sign in to. */
export interface LoginTarget {
  /** The address that shows the login page to a browser without a session; opened again for every new attempt. */
  url: URL;
  /** The login page already fetched from `url`, used for the first attempt. */
  page: KeycloakPage;
  /** Redirects that end the sign-in unrequested (the OIDC redirect URI). */
  stopAt?: (url: URL) => boolean;
  maxRedirects?: number;
}

const FORM: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };

/**
 * Signs in on the login page of `target` and returns where Keycloak sent the signed-in browser. The username and
 * password come from the settings, prompting for what is missing; a rejected password is asked again, each attempt
 * on a freshly opened login page, since Keycloak's form actions are good for one POST only.
 */
export async function signInWithForm(
  target: LoginTarget,
  s: IdpSettings,
  d: IdpDeps,
  signal?: AbortSignal,
): Promise<FormLoginResult> {
  const open = (url: URL, init?: RequestInit): Promise<Visit> =>
    visit(d, url, {
      ...(init === undefined ? {} : { init }),
      ...(target.stopAt === undefined ? {} : { stopAt: target.stopAt }),
      ...(signal === undefined ? {} : { signal }),
      ...(target.maxRedirects === undefined ? {} : { maxRedirects: target.maxRedirects }),
    });
  const post = (url: URL, body: URLSearchParams): Promise<Visit> => open(url, { method: "POST", headers: FORM, body });

  let unused: KeycloakPage | undefined = target.page;
  const creds = await gatherCredentials(s, d.prompter);
  return withPasswordAttempts<FormLoginResult>({
    ...creds,
    prompter: d.prompter,
    progress: d.progress,
    attempt: async (username, password) => {
      let page = unused;
      unused = undefined;
      if (page === undefined) {
        const again = await open(target.url);
        const done = signedIn(again);
        if (done !== undefined) return done;
        page = pageOf(again);
      }
      const form = loginFormOf(page.html, page.url);
      if (page.status !== 200 || form === undefined) throw unexpected(page, "instead of its login form");
      d.logger.debug(`keycloak: signing in as ${username} at ${place(form.action)}`);
      const answer = await post(form.action, formFields(form, { username, password }));
      const done = signedIn(answer);
      if (done !== undefined) return done;
      const next = pageOf(answer);
      const otp = otpFormOf(next.html, next.url);
      if (otp !== undefined) return withOtp(otp, username);
      if (loginFormOf(next.html, next.url) !== undefined) {
        d.logger.debug(`keycloak: the login form came back: ${feedbackOf(next.html) ?? "no message"}`);
        return "rejected";
      }
      throw unexpected(next, "after the password");
    },
  });

  /** The OTP step: the -o code first, then prompted ones, each posted with the OTP form Keycloak showed last. */
  async function withOtp(first: OtpForm, username: string): Promise<FormLoginResult> {
    if (s.mfaType === "none") {
      throw new RunasError(
        "IDP_MFA",
        `Keycloak requires an OTP code for ${username}, but mfa_type is none; set mfa_type to auto or code`,
      );
    }
    d.logger.debug("keycloak: Keycloak asks for an OTP code");
    let current = first;
    return withMfaCode<FormLoginResult>({
      ...(s.mfaCode === undefined ? {} : { given: s.mfaCode }),
      prompter: d.prompter,
      progress: d.progress,
      attempt: async (code) => {
        const body = formFields(current.form, { [current.field]: code });
        // An OTP input known only by its id (no name) is still the field upstream posted the code in.
        if (!body.has(current.field)) body.append(current.field, code);
        const answer = await post(current.form.action, body);
        const done = signedIn(answer);
        if (done !== undefined) return done;
        const next = pageOf(answer);
        const again = otpFormOf(next.html, next.url);
        if (again !== undefined) {
          d.logger.debug(`keycloak: the OTP form came back: ${feedbackOf(next.html) ?? "no message"}`);
          current = again;
          return "rejected";
        }
        if (loginFormOf(next.html, next.url) !== undefined) {
          throw new RunasError(
            "IDP_AUTH",
            `Keycloak at ${next.url.host} asked for the password again after the OTP code: the sign-in expired; ` +
              "run aws-runas again",
          );
        }
        throw unexpected(next, "after the OTP code");
      },
    });
  }
}

/**
 * The result when a visit shows the browser signed in: a redirect `stopAt` matched, a SAMLResponse form, or any
 * 200 page that came with Keycloak's session cookies; undefined when Keycloak still wants something. A status
 * other than 200 is an error.
 */
function signedIn(v: Visit): FormLoginResult | undefined {
  if (v.kind === "redirect") return { kind: "redirect", url: v.url };
  if (v.page.status !== 200) throw statusError(v.page);
  if (v.signedIn || samlResponseFromHtml(v.page.html) !== undefined) return { kind: "page", page: v.page };
  return undefined;
}

function pageOf(v: Visit): KeycloakPage {
  // signedIn() has already returned every redirect.
  if (v.kind === "redirect") throw new RunasError("IDP_ERROR", `unexpected redirect to ${place(v.url)}`);
  return v.page;
}

/** Keycloak answered the sign-in with a status a browser could not go on from. */
export function statusError(page: KeycloakPage): RunasError {
  return new RunasError(
    "IDP_ERROR",
    `Keycloak answered the sign-in with HTTP ${page.status}${page.statusText === "" ? "" : ` ${page.statusText}`} at ` +
      `${page.url.host}; run aws-runas again, or with -v for details`,
  );
}

/**
 * A 200 page that is neither a form aws-runas knows nor a signed-in answer: typically one of Keycloak's required
 * actions (update the password, set up OTP, accept terms), which only a browser can complete.
 */
function unexpected(page: KeycloakPage, when: string): RunasError {
  if (page.status !== 200) return statusError(page);
  const title = titleOf(page.html);
  return new RunasError(
    "IDP_AUTH",
    `Keycloak at ${page.url.host} showed a page aws-runas cannot fill in ${when}${title === undefined ? "" : ` ("${title}")`}; ` +
      "sign in once in a browser to finish what Keycloak asks for, then run aws-runas again",
  );
}
