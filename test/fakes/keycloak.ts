/**
 * A fake Keycloak 2x realm for tests (idp.md §6.5, made realistic): real HTTP on 127.0.0.1:0 serving, under
 * `<basePath>/realms/<realm>` (basePath `/auth` by default, as older servers and the seed's URL; `""` as newer ones):
 *
 * - the realm document (`GET`/`HEAD <realm>`), without KC_RESTART, as Keycloak;
 * - the OIDC authorization endpoint `/protocol/openid-connect/auth` (PKCE S256, state, nonce, scope ⊇ openid) and
 *   token endpoint `/protocol/openid-connect/token`;
 * - the AWS client's IdP-initiated SAML URL `/protocol/saml/clients/<samlClientName>`;
 * - a WS-Federation endpoint `/protocol/wsfed` (see `federationUrl`), for Azure AD guest accounts federated to
 *   Keycloak: a signed-in browser gets a 200 auto-post form to `wreply` with hidden `wa=wsignin1.0`, `wresult`
 *   (a RequestSecurityTokenResponse whose SAML 1.1 assertion has `<saml:NameIdentifier>USERNAME</saml:NameIdentifier>`,
 *   USERNAME being the name the user signed in with) and `wctx` (the request's `wctx` query parameter, when given);
 * - the login pages and `/login-actions/authenticate`, as Keycloak's browser flow: a browser without a session gets
 *   the login form (200, with KC_RESTART and AUTH_SESSION_ID cookies, also on HEAD); each form action
 *   (`…/login-actions/authenticate?session_code=…&execution=…&client_id=…&tab_id=…`) is good for one POST; a reused
 *   one gets Keycloak's 400 "page has expired" (counted in `expiredPages()`, not a violation). A wrong password
 *   shows the form again (200) with "Invalid username or password."; `codemfa` then gets the OTP form
 *   (`<input id="otp" name="otp" type="text">`), a wrong code shows it again with "Invalid authenticator code.".
 *   On success Keycloak sets KEYCLOAK_IDENTITY and KEYCLOAK_SESSION (Path `<basePath>/realms/<realm>/`) and answers
 *   the OIDC flow with a 302 to `<redirect_uri>?state=…&session_state=…&code=…`, the SAML and WS-Federation flows
 *   with 200 auto-post forms. With a session cookie the auth, SAML and WS-Federation endpoints skip the login.
 *
 * Users: `nomfa` and `codemfa` (OTP `54321`), password `goodPassword`; anyone else, or another password, is
 * rejected. Everything is deterministic. Anything Keycloak would not expect (a missing hidden input, a posted submit
 * button, the password sent with the OTP, a lost AUTH_SESSION_ID cookie, a wrong PKCE verifier, …) is answered with
 * HTTP 400 and the reason, and listed in `violations`.
 */
import { createHash } from "node:crypto";
import type http from "node:http";
import { fakeJwt } from "./fakeJwt.js";
import { check, formBody, sendHtml, sendJson, serveFake, Violation } from "./fakeServer.js";
import { type IdpFake, type IdpFakeOptions, withFakeDefaults } from "./idpFake.js";
import { authorizationCodes, checkAuthorizationRequest, type Grant } from "./oauthGrants.js";
import { samlPostPage, samlResponseBase64 } from "./samlResponse.js";

export const GOOD_PASSWORD = "goodPassword";
export const OTP_CODE = "54321";
const USERS: Readonly<Record<string, { otp: boolean }>> = { nomfa: { otp: false }, codemfa: { otp: true } };
const PASSWORD_EXECUTION = "d3c5a8f0-8e1b-4f5e-9d0a-password0001";
const OTP_EXECUTION = "7a2b9c4d-1e6f-4a3b-8c5d-otp000000002";

export interface KeycloakFakeOptions extends IdpFakeOptions {
  /** What comes before `/realms/<realm>`: `/auth` (default, Keycloak before 17 and the seed's URL) or `""`. */
  basePath?: string;
  realm?: string;
  /** The AWS SAML client's "IdP-Initiated SSO URL name". */
  samlClientName?: string;
}

/**
 * A running fake realm. Its `samlUrl` is `<origin><realmPath>/protocol/saml/clients/<samlClientName>`, its `oidcUrl`
 * `<origin><realmPath>`; `signIns()` counts the password POSTs.
 */
export interface KeycloakFake extends IdpFake {
  /** `<basePath>/realms/<realm>`: the path of the realm. */
  readonly realmPath: string;
  /** Where Keycloak's cookies live: `<realmPath>/`. */
  readonly cookiePath: string;
  /** OTP POSTs so far. */
  readonly otpPosts: () => number;
  /** Reused (expired) form actions posted so far. */
  readonly expiredPages: () => number;
  /** Every cookie value, code and token handed out, to check that none leaks. */
  readonly secrets: string[];
  /** A new session of `user`: `KEYCLOAK_SESSION=<value>`, for a test to put in the cookie jar (Path `cookiePath`). */
  sessionCookieFor(user: string): string;
  /**
   * The realm's WS-Federation sign-in URL for Azure AD: `…/protocol/wsfed?wa=wsignin1.0&wtrealm=urn:federation:
   * MicrosoftOnline&wreply=<wreply>`; append `&wctx=…` to have it echoed.
   */
  federationUrl(wreply: string): string;
}

/** Where a login started, and so what a successful one answers. */
type Target =
  | { kind: "oidc"; state: string; nonce: string; challenge: string }
  | { kind: "saml" }
  | { kind: "wsfed"; wreply: string; wctx: string | undefined };

/** One rendered form action, good for one POST. */
interface Pending {
  authSession: string;
  tabId: string;
  execution: string;
  stage: "password" | "otp";
  user?: string;
  target: Target;
}

/** An authorization code waiting to be exchanged, and the Keycloak session it came from. */
interface KeycloakGrant extends Grant {
  user: string;
  session: string;
}

export async function startKeycloakFake(o: KeycloakFakeOptions = {}): Promise<KeycloakFake> {
  const basePath = (o.basePath ?? "/auth").replace(/\/+$/, "");
  const realm = o.realm ?? "myrealm";
  const { clientId, redirectUri, role, principal } = withFakeDefaults(o, "Keycloak");
  const samlClientName = o.samlClientName ?? "amazon-aws";
  const realmPath = `${basePath}/realms/${realm}`;
  const cookiePath = `${realmPath}/`;

  const requests: string[] = [];
  const violations: string[] = [];
  const secrets: string[] = [];
  const pendings = new Map<string, Pending>();
  const authSessions = new Set<string>();
  /** KEYCLOAK_IDENTITY and KEYCLOAK_SESSION values → user and session id. */
  const sessions = new Map<string, { user: string; sid: string }>();
  const grants = authorizationCodes<KeycloakGrant>();
  let counter = 0;
  let signIns = 0;
  let otpPosts = 0;
  let expired = 0;
  let origin = "";

  /** A deterministic, unguessable-looking id. */
  const next = (prefix: string): string => {
    counter++;
    const h = createHash("sha256").update(`${prefix}${counter}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${String(counter).padStart(12, "0")}`;
  };
  const secret = <T extends string>(v: T): T => {
    secrets.push(v);
    return v;
  };
  const realmUrl = (): string => `${origin}${realmPath}`;
  const cookie = (name: string, value: string, o: { maxAge?: number; httpOnly?: boolean } = {}): string =>
    `${name}=${value}; Version=1;${o.maxAge === undefined ? "" : ` Max-Age=${o.maxAge};`} Path=${cookiePath}` +
    `${o.httpOnly === false ? "" : "; HttpOnly"}`;
  const cookiesOf = (req: http.IncomingMessage): Map<string, string> => {
    const jar = new Map<string, string>();
    for (const part of (req.headers.cookie ?? "").split(";")) {
      const eq = part.indexOf("=");
      if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    return jar;
  };
  const sessionOf = (req: http.IncomingMessage): { user: string; sid: string } | undefined => {
    const jar = cookiesOf(req);
    return sessions.get(jar.get("KEYCLOAK_IDENTITY") ?? "") ?? sessions.get(jar.get("KEYCLOAK_SESSION") ?? "");
  };
  const newSession = (user: string): { identity: string; session: string; sid: string } => {
    const sid = next("sid");
    const identity = secret(fakeJwt({ typ: "Serialized-JWT", sub: `user-${user}`, sid, iss: realmUrl() }, "keycloak-identity"));
    const session = secret(`${realm}/user-${user}/${sid}`);
    sessions.set(identity, { user, sid });
    sessions.set(session, { user, sid });
    return { identity, session, sid };
  };

  const html = (res: http.ServerResponse, status: number, body: string, cookies: string[] = []): void =>
    sendHtml(res, status, body, {
      "cache-control": "no-store, must-revalidate, max-age=0",
      ...(cookies.length === 0 ? {} : { "set-cookie": cookies }),
    });
  const json = (res: http.ServerResponse, status: number, body: unknown): void =>
    sendJson(res, status, body, { "cache-control": "no-store" });
  const getOrHead = (req: http.IncomingMessage, where: string): void =>
    check(req.method === "GET" || req.method === "HEAD", `${where} wants GET, got ${req.method ?? ""}`);

  /** Renders a form step (login or OTP) with a fresh one-time action; cookies for a new auth session as Keycloak. */
  const showForm = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    p: Omit<Pending, "authSession" | "tabId"> & { authSession?: string; tabId?: string },
    o: { error?: string; username?: string } = {},
  ): void => {
    const cookies: string[] = [];
    let authSession = p.authSession ?? cookiesOf(req).get("AUTH_SESSION_ID");
    if (authSession === undefined || !authSessions.has(authSession)) {
      authSession = secret(`${next("auth")}.keycloak-0`);
      authSessions.add(authSession);
      cookies.push(cookie("AUTH_SESSION_ID", authSession));
    }
    const tabId = p.tabId ?? next("tab").slice(0, 11);
    const code = secret(next("code"));
    pendings.set(code, { ...p, authSession, tabId });
    const action =
      `${realmUrl()}/login-actions/authenticate?session_code=${encodeURIComponent(code)}` +
      `&execution=${p.execution}&client_id=${encodeURIComponent(p.target.kind === "oidc" ? clientId : samlClientName)}` +
      `&tab_id=${tabId}`;
    cookies.push(cookie("KC_RESTART", secret(fakeJwt({ cid: clientId, tab: tabId }, "keycloak-restart"))));
    html(res, 200, p.stage === "password" ? loginPage(realm, action, o) : otpPage(realm, action, o.error), cookies);
  };

  /** The answer of a completed login, or of an endpoint visited with a session. */
  const answer = (res: http.ServerResponse, target: Target, user: string, sid: string, cookies: string[] = []): void => {
    if (target.kind === "oidc") {
      const code = secret(`${next("grant")}.${sid}.${next("c")}`);
      grants.issue(code, { user, session: sid, clientId, redirectUri, challenge: target.challenge, nonce: target.nonce });
      const location =
        `${redirectUri}?state=${encodeURIComponent(target.state)}&session_state=${encodeURIComponent(sid)}` +
        `&code=${encodeURIComponent(code)}`;
      res.writeHead(302, { location, ...(cookies.length === 0 ? {} : { "set-cookie": cookies }) });
      res.end();
      return;
    }
    if (target.kind === "saml") {
      const saml = secret(samlResponseBase64({ issuer: realmUrl(), sessionName: user, roles: [`${role},${principal}`], durationSeconds: 3600 }));
      html(res, 200, samlPostPage(saml), cookies);
      return;
    }
    html(res, 200, wsFedPage(realmUrl(), target.wreply, target.wctx, user), cookies);
  };

  const complete = (res: http.ServerResponse, target: Target, user: string): void => {
    const s = newSession(user);
    answer(res, target, user, s.sid, [
      cookie("KEYCLOAK_IDENTITY", s.identity),
      cookie("KEYCLOAK_SESSION", s.session, { maxAge: 36000, httpOnly: false }),
      cookie("KC_RESTART", "", { maxAge: 0 }),
    ]);
  };

  /** Either the answer for the signed-in browser, or the login form. */
  const signedInOrLogin = (req: http.IncomingMessage, res: http.ServerResponse, target: Target): void => {
    const s = sessionOf(req);
    if (s !== undefined) return answer(res, target, s.user, s.sid);
    showForm(req, res, { execution: PASSWORD_EXECUTION, stage: "password", target });
  };

  const authorize = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    const where = "openid-connect/auth";
    getOrHead(req, where);
    const { state, nonce, challenge } = checkAuthorizationRequest(url, where, { clientId, redirectUri });
    signedInOrLogin(req, res, { kind: "oidc", state, nonce, challenge });
  };

  const token = (req: http.IncomingMessage, res: http.ServerResponse, text: string): void => {
    const where = "openid-connect/token";
    const g = grants.redeem(formBody(req, text, where), where);
    const claims = { iss: realmUrl(), sub: `user-${g.user}`, typ: "ID", azp: clientId, session_state: g.session, sid: g.session };
    json(res, 200, {
      access_token: secret(fakeJwt({ ...claims, typ: "Bearer", aud: "account", scope: "openid profile email" }, "keycloak-access")),
      expires_in: 300,
      refresh_expires_in: 1800,
      refresh_token: secret(fakeJwt({ ...claims, typ: "Refresh", aud: realmUrl() }, "keycloak-refresh")),
      token_type: "Bearer",
      id_token: secret(fakeJwt({ ...claims, aud: clientId, nonce: g.nonce, preferred_username: g.user, email_verified: false })),
      "not-before-policy": 0,
      session_state: g.session,
      scope: "openid profile email",
    });
  };

  const samlClient = (req: http.IncomingMessage, res: http.ServerResponse, name: string): void => {
    getOrHead(req, "protocol/saml/clients");
    check(name === samlClientName, `protocol/saml/clients/${name}: no client has this IdP-initiated SSO URL name`);
    signedInOrLogin(req, res, { kind: "saml" });
  };

  const wsFed = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    const where = "protocol/wsfed";
    getOrHead(req, where);
    const q = url.searchParams;
    check(q.get("wa") === "wsignin1.0", `${where}: wa must be wsignin1.0`);
    check(q.get("wtrealm") === "urn:federation:MicrosoftOnline", `${where}: wtrealm must be urn:federation:MicrosoftOnline`);
    const wreply = q.get("wreply") ?? "";
    check(/^https?:\/\//.test(wreply), `${where}: wreply must be an http(s) URL`);
    signedInOrLogin(req, res, { kind: "wsfed", wreply, wctx: q.get("wctx") ?? undefined });
  };

  const authenticate = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, text: string): void => {
    const where = "login-actions/authenticate";
    const form = formBody(req, text, where);
    const q = url.searchParams;
    for (const k of ["session_code", "execution", "client_id", "tab_id"]) check(q.has(k), `${where}: ${k} missing from the action URL`);
    const code = q.get("session_code") ?? "";
    const pending = pendings.get(code);
    if (pending === undefined) {
      // Keycloak's one-time action: a second POST of the same form is not a protocol error, but it cannot go on.
      expired++;
      html(res, 400, errorPage(realm, "Page has expired"));
      return;
    }
    pendings.delete(code);
    check(q.get("execution") === pending.execution && q.get("tab_id") === pending.tabId, `${where}: execution or tab_id altered`);
    check(cookiesOf(req).get("AUTH_SESSION_ID") === pending.authSession, `${where}: the AUTH_SESSION_ID cookie was not sent back`);
    check(!form.has("login"), `${where}: the submit button (login) was posted`);
    const keys = new Set(form.keys());
    if (pending.stage === "password") {
      for (const k of ["username", "password", "credentialId"]) check(keys.has(k), `${where}: ${k} missing from the login form POST`);
      const extra = [...keys].filter((k) => !["username", "password", "credentialId", "rememberMe"].includes(k));
      check(extra.length === 0, `${where}: unexpected fields ${extra.join(",")}`);
      signIns++;
      const user = form.get("username") ?? "";
      const spec = USERS[user];
      if (spec === undefined || form.get("password") !== GOOD_PASSWORD) {
        showForm(req, res, { ...pending, stage: "password" }, { error: "Invalid username or password.", username: user });
        return;
      }
      if (spec.otp) {
        showForm(req, res, { ...pending, execution: OTP_EXECUTION, stage: "otp", user });
        return;
      }
      complete(res, pending.target, user);
      return;
    }
    check(!keys.has("password") && !keys.has("username"), `${where}: the OTP form POST carries username or password`);
    const extra = [...keys].filter((k) => k !== "otp");
    check(extra.length === 0, `${where}: unexpected fields ${extra.join(",")}`);
    check(keys.has("otp"), `${where}: otp missing from the OTP form POST`);
    otpPosts++;
    if (form.get("otp") === OTP_CODE) {
      complete(res, pending.target, pending.user ?? "");
      return;
    }
    showForm(req, res, pending, { error: "Invalid authenticator code." });
  };

  const server = await serveFake({
    name: "Keycloak",
    violations,
    refuse: (res, message) => html(res, 400, errorPage(realm, message)),
    handle: (req, res, url, text) => {
      requests.push(`${req.method ?? ""} ${url.pathname}`);
      const path = url.pathname;
      if (path === realmPath || path === `${realmPath}/`) {
        getOrHead(req, "realm");
        json(res, 200, {
          realm,
          public_key: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAfake",
          "token-service": `${realmUrl()}/protocol/openid-connect`,
          "account-service": `${realmUrl()}/account`,
          "tokens-not-before": 0,
        });
        return;
      }
      const rest = path.startsWith(`${realmPath}/`) ? path.slice(realmPath.length) : undefined;
      let m: RegExpExecArray | null;
      if (rest === "/protocol/openid-connect/auth") return authorize(req, res, url);
      if (rest === "/protocol/openid-connect/token") return token(req, res, text);
      if (rest === "/protocol/wsfed") return wsFed(req, res, url);
      if (rest === "/login-actions/authenticate") return authenticate(req, res, url, text);
      if (rest !== undefined && (m = /^\/protocol\/saml\/clients\/([^/]+)$/.exec(rest)) !== null) {
        return samlClient(req, res, decodeURIComponent(m[1] ?? ""));
      }
      throw new Violation(`no such endpoint: ${req.method ?? ""} ${path}`);
    },
  });
  origin = server.origin;

  return {
    origin,
    realmPath,
    cookiePath,
    samlUrl: `${origin}${realmPath}/protocol/saml/clients/${samlClientName}`,
    oidcUrl: `${origin}${realmPath}`,
    clientId,
    redirectUri,
    role,
    principal,
    signIns: () => signIns,
    otpPosts: () => otpPosts,
    expiredPages: () => expired,
    requests,
    violations,
    secrets,
    sessionCookieFor: (user) => `KEYCLOAK_SESSION=${newSession(user).session}`,
    federationUrl: (wreply) =>
      `${origin}${realmPath}/protocol/wsfed?wa=wsignin1.0&wtrealm=${encodeURIComponent("urn:federation:MicrosoftOnline")}` +
      `&wreply=${encodeURIComponent(wreply)}`,
    close: server.close,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The page frame of Keycloak's keycloak.v2 login theme. */
function frame(realm: string, title: string, content: string): string {
  return (
    `<!DOCTYPE html>\n<html class="login-pf" lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="robots" content="noindex, nofollow">\n<title>Sign in to ${escapeHtml(realm)}</title>\n` +
    `<link href="/resources/x1y2z/login/keycloak.v2/css/styles.css" rel="stylesheet" />\n` +
    `<script type="importmap">{"imports":{"rfc4648":"/resources/x1y2z/common/keycloak/vendor/rfc4648/rfc4648.js"}}</script>\n` +
    `</head>\n<body id="keycloak-bg" class="">\n<div class="pf-v5-c-login">\n<div class="pf-v5-c-login__container">\n` +
    `<header id="kc-header" class="pf-v5-c-login__header"><div id="kc-header-wrapper" class="pf-v5-c-brand">${escapeHtml(realm)}</div></header>\n` +
    `<main class="pf-v5-c-login__main">\n<div class="pf-v5-c-login__main-header"><h1 class="pf-v5-c-title pf-m-3xl" id="kc-page-title">${title}</h1></div>\n` +
    `<div class="pf-v5-c-login__main-body">\n${content}\n</div>\n</main>\n</div>\n</div>\n</body>\n</html>\n`
  );
}

function alert(error: string | undefined): string {
  return error === undefined
    ? ""
    : `<div class="alert-error pf-v5-c-alert pf-m-inline pf-m-danger">\n<div class="pf-v5-c-alert__icon"><span class="fa fa-fw fa-exclamation-circle"></span></div>\n` +
        `<span class="pf-v5-c-alert__title kc-feedback-text">${escapeHtml(error)}</span>\n</div>\n`;
}

function loginPage(realm: string, action: string, o: { error?: string; username?: string }): string {
  const invalid = o.error === undefined ? "" : ` aria-invalid="true"`;
  return frame(
    realm,
    "Sign in to your account",
    alert(o.error) +
      `<div id="kc-form">\n<div id="kc-form-wrapper">\n` +
      `<form id="kc-form-login" class="pf-v5-c-form" onsubmit="login.disabled = true; return true;" action="${escapeHtml(action)}" method="post" novalidate="novalidate">\n` +
      `<div class="pf-v5-c-form__group"><label for="username" class="pf-v5-c-form__label"><span class="pf-v5-c-form__label-text">Username or email</span></label>\n` +
      `<span class="pf-v5-c-form-control"><input id="username" name="username" value="${escapeHtml(o.username ?? "")}" type="text" autocomplete="username" autofocus${invalid}/></span>\n` +
      (o.error === undefined ? "" : `<span id="input-error" class="pf-v5-c-helper-text__item-text kc-feedback-text" aria-live="polite">${escapeHtml(o.error)}</span>\n`) +
      `</div>\n` +
      `<div class="pf-v5-c-form__group"><label for="password" class="pf-v5-c-form__label"><span class="pf-v5-c-form__label-text">Password</span></label>\n` +
      `<div class="pf-v5-c-input-group"><span class="pf-v5-c-form-control"><input id="password" name="password" value="" type="password" autocomplete="current-password"${invalid}/></span>\n` +
      `<button class="pf-v5-c-button pf-m-control" type="button" aria-label="Show password" aria-controls="password" data-password-toggle>` +
      `<i class="fa-eye fas" aria-hidden="true"></i></button></div>\n</div>\n` +
      `<div class="pf-v5-c-form__group"><div class="pf-v5-c-check"><label for="rememberMe" class="pf-v5-c-check__label">` +
      `<input class="pf-v5-c-check__input" type="checkbox" id="rememberMe" name="rememberMe"> Remember me</label></div>\n` +
      `<a href="/realms/${escapeHtml(realm)}/login-actions/reset-credentials?client_id=x&amp;tab_id=y">Forgot Password?</a></div>\n` +
      `<input type="hidden" id="id-hidden-input" name="credentialId"/>\n` +
      `<div class="pf-v5-c-form__group pf-m-action"><input class="pf-v5-c-button pf-m-primary pf-m-block" name="login" id="kc-login" type="submit" value="Sign In"/></div>\n` +
      `</form>\n</div>\n</div>`,
  );
}

function otpPage(realm: string, action: string, error: string | undefined): string {
  return frame(
    realm,
    "Sign in to your account",
    alert(error) +
      `<form id="kc-otp-login-form" class="pf-v5-c-form" onsubmit="login.disabled = true; return true;" action="${escapeHtml(action)}" method="post" novalidate="novalidate">\n` +
      `<div class="pf-v5-c-form__group"><label for="otp" class="pf-v5-c-form__label"><span class="pf-v5-c-form__label-text">One-time code</span></label>\n` +
      `<span class="pf-v5-c-form-control"><input id="otp" name="otp" autocomplete="off" type="text" autofocus${error === undefined ? "" : ` aria-invalid="true"`}/></span>\n` +
      (error === undefined ? "" : `<span id="input-error" class="pf-v5-c-helper-text__item-text kc-feedback-text" aria-live="polite">${escapeHtml(error)}</span>\n`) +
      `</div>\n` +
      `<div class="pf-v5-c-form__group pf-m-action"><input class="pf-v5-c-button pf-m-primary pf-m-block" name="login" id="kc-login" type="submit" value="Sign In"/></div>\n` +
      `</form>`,
  );
}

function errorPage(realm: string, message: string): string {
  return frame(realm, "We are sorry...", `<div id="kc-error-message"><p class="instruction">${escapeHtml(message)}</p></div>`);
}

/** The WS-Federation sign-in response a browser posts to `wreply` (Azure AD's login.srf for guests). */
function wsFedPage(issuer: string, wreply: string, wctx: string | undefined, user: string): string {
  const now = new Date();
  const later = new Date(now.getTime() + 3600_000);
  const rstr =
    `<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust">` +
    `<t:Lifetime><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${now.toISOString()}</wsu:Created>` +
    `<wsu:Expires xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${later.toISOString()}</wsu:Expires></t:Lifetime>` +
    `<wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing">` +
    `<wsa:Address>urn:federation:MicrosoftOnline</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
    `<t:RequestedSecurityToken><saml:Assertion MajorVersion="1" MinorVersion="1" AssertionID="_${createHash("sha256").update(`${user}${now.getTime()}`).digest("hex").slice(0, 32)}" ` +
    `Issuer="${issuer}" IssueInstant="${now.toISOString()}" xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion">` +
    `<saml:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${later.toISOString()}"><saml:AudienceRestrictionCondition>` +
    `<saml:Audience>urn:federation:MicrosoftOnline</saml:Audience></saml:AudienceRestrictionCondition></saml:Conditions>` +
    `<saml:AttributeStatement><saml:Subject><saml:NameIdentifier Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${user}</saml:NameIdentifier>` +
    `<saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:bearer</saml:ConfirmationMethod></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Attribute AttributeName="UPN" AttributeNamespace="http://schemas.xmlsoap.org/claims"><saml:AttributeValue>${user}</saml:AttributeValue></saml:Attribute>` +
    `</saml:AttributeStatement></saml:Assertion></t:RequestedSecurityToken>` +
    `<t:TokenType>urn:oasis:names:tc:SAML:1.0:assertion</t:TokenType>` +
    `<t:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</t:RequestType>` +
    `<t:KeyType>http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey</t:KeyType></t:RequestSecurityTokenResponse>`;
  return (
    `<!DOCTYPE html><html><head><title>Working...</title></head><body>` +
    `<form method="POST" name="hiddenform" action="${escapeHtml(wreply)}">` +
    `<input type="hidden" name="wa" value="wsignin1.0" />` +
    `<input type="hidden" name="wresult" value="${escapeHtml(rstr)}" />` +
    (wctx === undefined ? "" : `<input type="hidden" name="wctx" value="${escapeHtml(wctx)}" />`) +
    `<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>` +
    `</form><script language="javascript">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>`
  );
}
