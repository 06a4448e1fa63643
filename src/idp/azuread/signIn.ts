/**
 * The Azure AD sign-in, from a login page (one with `$Config`) to the answer that ends it (idp.md §8.1–8.3, in the
 * fixed sequence of decisions.md): username first (upstream posted an empty one), then the password (3 attempts) or,
 * for a guest, the federated identity provider; then skip-MFA-registration or MFA, then "Stay signed in?" (KMSI).
 * Every post carries the flow token, context and address of the latest page: Azure AD hands a new flow token out with
 * each one.
 */
import { RunasError } from "../../domain/errors.js";
import { gatherCredentials, withPasswordAttempts } from "../signInPrompts.js";
import type { IdpDeps, IdpSettings } from "../types.js";
import { type AadPage, type AadPages, resolveOn, where } from "./aadPage.js";
import { readAutoSubmitForm } from "./autoSubmitForm.js";
import { azureMfa, type MfaTiming, printable } from "./azureMfa.js";
import type { PageConfig } from "./pageConfig.js";

/** What one sign-in works with. */
export interface SignInContext {
  s: IdpSettings;
  d: IdpDeps;
  pages: AadPages;
  timing: MfaTiming;
  signal?: AbortSignal;
}

/** Azure AD's answer to a wrong username or password. */
const BAD_PASSWORD = "50126";
/** The account does not exist in the directory. */
const NO_SUCH_USER = "50034";

/** Where the next form goes and what identifies the flow: taken from the latest page that says. */
interface Flow {
  page: URL;
  urlPost: string;
  ftName: string;
  ft: string;
  ctx: string;
}

/**
 * Signs in from the login page `page` and returns the answer that ends the sign-in: a redirect to the redirect URI
 * (OIDC), a page with a SAMLResponse (SAML), or a form to submit onwards. Nothing here reads a secret into a message
 * or a log line.
 */
export async function signIn(page: AadPage, config: PageConfig, c: SignInContext): Promise<AadPage> {
  const { s, d } = c;
  const username = await askUsername(s, d);
  d.logger.debug(`azuread: signing in as ${username}`);
  let flow = advance(undefined, page, config);

  // The username alone first: Azure AD answers with the password page, or sends a guest to its own IdP.
  const named = await post(c, flow, [["login", username]], "the username");
  const namedConfig = named.config;
  if (namedConfig === undefined) throw unexpected(named, "the username");
  // Upstream posted no password here and ignored the 50126 that may come back for it.
  if (namedConfig.sErrorCode !== BAD_PASSWORD) failOn(namedConfig, username);
  flow = advance(flow, named, namedConfig);

  let answer: AadPage;
  if (namedConfig.federationRedirectUrl !== "") {
    answer = await federated(named, namedConfig.federationRedirectUrl, username, c);
  } else {
    const { password } = await gatherCredentials({ username, ...(s.password === undefined ? {} : { password: s.password }) }, d.prompter);
    answer = await withPasswordAttempts({
      username,
      password,
      prompter: d.prompter,
      progress: d.progress,
      attempt: async (user, secret) => {
        const next = await post(c, flow, [["login", user], ["passwd", secret]], "the password");
        if (next.config?.sErrorCode === BAD_PASSWORD) {
          flow = advance(flow, next, next.config);
          return "rejected";
        }
        return next;
      },
    });
  }
  return afterPassword(answer, flow, username, c);
}

/**
 * Step 4 of the sequence: skip MFA registration or do MFA when the page asks, then answer "Stay signed in?" with yes.
 * A page without `$Config` (the redirect, the SAMLResponse, a form) already ends the sign-in.
 */
async function afterPassword(first: AadPage, before: Flow, username: string, c: SignInContext): Promise<AadPage> {
  let page = first;
  let config = page.config;
  if (config === undefined) return page;
  failOn(config, username);
  let flow = advance(before, page, config);

  const skip = resolveOn(config.urlSkipMfaRegistration, page.url);
  if (skip !== undefined) {
    c.d.logger.debug("azuread: skipping MFA registration");
    page = await c.pages.open(skip);
  } else if (config.arrUserProofs.length > 0) {
    page = await azureMfa({ page, config, username, s: c.s, d: c.d, pages: c.pages, timing: c.timing });
  }
  config = page.config;
  if (config === undefined) return page;
  failOn(config, username);
  flow = advance(flow, page, config);

  const kmsi = resolveOn(flow.urlPost, flow.page);
  if (kmsi !== undefined && kmsi.pathname.toLowerCase().endsWith("/kmsi")) {
    c.d.logger.debug("azuread: answering stay-signed-in with yes");
    page = await c.pages.postForm(kmsi, [
      [flow.ftName, flow.ft],
      ["ctx", flow.ctx],
      ["LoginOptions", "1"],
    ]);
    if (page.config !== undefined) failOn(page.config, username);
  }
  return page;
}

/**
 * A guest (idp.md §8.2): the account signs in at the identity provider Azure AD names, as `federated_username` when
 * set; that IdP's answer (a WS-Federation or SAML form) is posted back to Azure AD, and the sequence goes on from
 * there.
 */
async function federated(page: AadPage, redirect: string, username: string, c: SignInContext): Promise<AadPage> {
  const { s, d } = c;
  const url = resolveOn(redirect, page.url);
  if (url === undefined) {
    throw new RunasError("IDP_ERROR", `Azure AD sends ${username} to a federated sign-in whose address is not a URL; sign in in a browser`);
  }
  if (d.federate === undefined) {
    throw new RunasError(
      "IDP_ERROR",
      `${username} signs in at ${url.host}, the identity provider the account is federated to, ` +
        "but aws-runas has no sign-in for that identity provider; the account's home identity provider must be one aws-runas supports",
    );
  }
  d.progress(`${username} signs in at ${url.host}, the identity provider the account is federated to`);
  const federatedName = s.federatedUsername !== undefined && s.federatedUsername !== "" ? s.federatedUsername : username;
  const fed = await d.federate(new URL(url.href), { ...s, username: federatedName });
  const back = await fed.signInAt(url, c.signal);
  const html = await back.response.text();
  const form = readAutoSubmitForm(html, back.url);
  if (form === undefined) {
    throw new RunasError(
      "IDP_AUTH",
      `the sign-in at ${back.url.host} did not hand back to Azure AD (HTTP ${back.response.status} at ${where(back.url)}, ` +
        "no form to submit); check federated_username and sign in there in a browser to see why",
    );
  }
  const answer = await submit(c.pages, form);
  if (answer.config?.sErrorCode === NO_SUCH_USER) {
    throw new RunasError(
      "IDP_AUTH",
      `Azure AD does not know the account that signed in at ${url.host} (error ${NO_SUCH_USER}); ` +
        "check federated_username, or ask the directory's administrator to invite it",
    );
  }
  return answer;
}

/** Submits an auto-submit form as a browser would. */
export function submit(pages: AadPages, form: { action: URL; method: string; fields: [string, string][] }): Promise<AadPage> {
  if (form.method === "POST") return pages.postForm(form.action, form.fields);
  const url = new URL(form.action.href);
  url.search = new URLSearchParams(form.fields).toString();
  return pages.open(url);
}

/** The username from the settings, or asked for; never posted empty (idp.md §13 item 7). */
async function askUsername(s: IdpSettings, d: IdpDeps): Promise<string> {
  const given = (s.username ?? "").trim();
  if (given !== "") return given;
  const typed = (await d.prompter.text("Username: ")).trim();
  if (typed === "") {
    throw new RunasError("IDP_AUTH", "no username given; type it when asked, or set saml_username / web_identity_username (or -U)");
  }
  return typed;
}

/** Posts `fields` with the flow's token and context to the flow's `urlPost`; the answer must be a page or redirect. */
async function post(c: SignInContext, flow: Flow, fields: [string, string][], what: string): Promise<AadPage> {
  const url = resolveOn(flow.urlPost, flow.page);
  if (url === undefined) {
    throw new RunasError("IDP_ERROR", `the Azure AD page at ${where(flow.page)} says nowhere to send ${what}; sign in in a browser to see why`);
  }
  const page = await c.pages.postForm(url, [[flow.ftName, flow.ft], ["ctx", flow.ctx], ...fields]);
  if (page.redirect === undefined && page.status !== 200) throw unexpected(page, what);
  return page;
}

/** The flow state after `page`: its own values where it has them, else those of the page before. */
function advance(prev: Flow | undefined, page: AadPage, config: PageConfig): Flow {
  return {
    page: config.urlPost !== "" || prev === undefined ? page.url : prev.page,
    urlPost: config.urlPost || (prev?.urlPost ?? ""),
    ftName: config.sFTName || (prev?.ftName ?? "flowToken"),
    ft: config.sFT || (prev?.ft ?? ""),
    ctx: config.sCtx || (prev?.ctx ?? ""),
  };
}

/** Throws the error a page reports (`sErrorCode` / `sErrTxt`), as one line that says what to do. */
export function failOn(config: PageConfig, username: string): void {
  const code = config.sErrorCode;
  if (code === "" && config.sErrTxt === "") return;
  const known: Record<string, string> = {
    [BAD_PASSWORD]: `authentication failed: Azure AD rejected the username or password of ${username} (error ${BAD_PASSWORD}); check them`,
    [NO_SUCH_USER]: `Azure AD does not know the account ${username} (error ${NO_SUCH_USER}); check the username`,
    "50053": `the account ${username} is locked (error 50053: too many failed sign-ins); wait, or ask your Azure AD administrator to unlock it`,
    "50057": `the account ${username} is disabled in Azure AD (error 50057); ask your Azure AD administrator`,
    "50055": `the password of ${username} has expired (error 50055); change it by signing in at Azure AD in a browser, then run aws-runas again`,
  };
  const message = known[code];
  if (message !== undefined) throw new RunasError("IDP_AUTH", message);
  const detail = config.sErrTxt === "" ? "" : `: ${printable(config.sErrTxt)}`;
  throw new RunasError(
    "IDP_ERROR",
    `Azure AD stopped the sign-in of ${username} with error ${code === "" ? "(no code)" : code}${detail}; ` +
      "sign in at Azure AD in a browser to see why",
  );
}

/** An answer the sequence cannot continue from. */
function unexpected(page: AadPage, what: string): RunasError {
  return new RunasError(
    "IDP_ERROR",
    `Azure AD answered ${what} with ${page.status === 200 ? "a page that is not a sign-in page" : `HTTP ${page.status}`} ` +
      `at ${where(page.url)}; run aws-runas again, and sign in at Azure AD in a browser if it keeps happening`,
  );
}
