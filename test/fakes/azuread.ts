/**
 * A fake Azure AD (Entra ID) tenant for tests (idp.md §8.6, made strict and deterministic): real HTTP on 127.0.0.1:0
 * serving the tenant's v2.0 authorize and token endpoints, a My Apps SAML link and the SAML endpoint, the `$Config`
 * sign-in pages (username, password, skip-MFA-registration, MFA, "Stay signed in?"), Azure MFA's BeginAuth/EndAuth/
 * ProcessAuth, and a stand-in federated IdP for guests (`/mock/auth`, answering with a WS-Federation form to
 * `/login.srf`). Sessions are the ESTSAUTH / ESTSAUTHPERSISTENT cookies set when a sign-in finishes.
 *
 * Every page hands out a fresh flow token; a request that carries any other, or anything else Azure AD would not
 * expect, is answered with HTTP 400 and the reason, which also goes into `violations`. Push outcomes depend on the poll
 * count only. Every answer carries `x-ms-request-id` (what provider detection looks for).
 *
 * Users (password `good` for all): good (no MFA), skipmfa (urlSkipMfaRegistration), automfa / codemfa (proofs
 * PhoneAppNotification, OneWaySMS, PhoneAppOTP (default); code 24680), pushmfa (PhoneAppNotification default,
 * approved on poll pushPolls + 1), pushdeny (the push is denied), pushnumber (number matching: 42), smsmfa (OneWaySMS
 * only), nokmsi (no "Stay signed in?" page), guest (federated to `federationUrl`), locked (50053), disabled (50057),
 * expired (50055). Anyone else: 50034 (no such user).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { fakeJwt } from "./fakeJwt.js";
import { check, formBody, jsonBody, sendHtml, sendJson, serveFake, Violation } from "./fakeServer.js";
import { type IdpFake, type IdpFakeOptions, withFakeDefaults } from "./idpFake.js";
import { authorizationCodes, checkAuthorizationRequest, type Grant } from "./oauthGrants.js";
import { samlPostPage, samlResponseBase64 } from "./samlResponse.js";

/** The password of every user. */
export const GOOD_PASSWORD = "good";
/** The only code the OTP and SMS proofs accept. */
export const MFA_CODE = "24680";

interface Proof {
  authMethodId: string;
  data: string;
  display: string;
  isDefault: boolean;
}

const proof = (authMethodId: string, isDefault: boolean, display = authMethodId): Proof => ({
  authMethodId,
  data: authMethodId,
  display,
  isDefault,
});
const OTP_DEFAULT = [proof("PhoneAppNotification", false), proof("OneWaySMS", false, "+X XXXXXXXX34"), proof("PhoneAppOTP", true)];
const PUSH_DEFAULT = [proof("PhoneAppNotification", true), proof("OneWaySMS", false, "+X XXXXXXXX34"), proof("PhoneAppOTP", false)];

interface UserSpec {
  proofs?: Proof[];
  skipMfa?: boolean;
  /** false: the password (or MFA) answer finishes the sign-in directly, without the "Stay signed in?" page. */
  kmsi?: boolean;
  guest?: boolean;
  /** The sErrorCode a right password gets. */
  error?: string;
  pushDenied?: boolean;
  entropy?: number;
}

const USERS: Readonly<Record<string, UserSpec>> = {
  good: {},
  skipmfa: { skipMfa: true },
  automfa: { proofs: OTP_DEFAULT },
  codemfa: { proofs: OTP_DEFAULT },
  pushmfa: { proofs: PUSH_DEFAULT },
  pushdeny: { proofs: PUSH_DEFAULT, pushDenied: true },
  pushnumber: { proofs: [proof("PhoneAppNotification", true)], entropy: 42 },
  smsmfa: { proofs: [proof("OneWaySMS", true, "+X XXXXXXXX34")] },
  nokmsi: { kmsi: false },
  guest: { guest: true },
  locked: { error: "50053" },
  disabled: { error: "50057" },
  expired: { error: "50055" },
};

const ERROR_TEXTS: Readonly<Record<string, string>> = {
  "50126": "Your account or password is incorrect.",
  "50034": "This username may be incorrect.",
  "50053": "Your account is locked.",
  "50057": "Your account is disabled.",
  "50055": "Your password is expired.",
};

type Stage = "username" | "password" | "guest" | "skip" | "mfa" | "endauth" | "processauth" | "kmsi" | "authend";

/** One sign-in in progress, keyed by its ctx. */
interface Flow {
  ctx: string;
  kind: "oidc" | "saml";
  oidc?: { clientId: string; redirectUri: string; state: string; nonce: string; challenge: string };
  /** The flow token of the latest page or reply: the only one the next request may carry. */
  flowToken: string;
  stage: Stage;
  user?: string;
  mfa?: { method: string; sessionId: string; polls: number };
}

/** An authorization code waiting to be exchanged. */
interface AzureAdGrant extends Grant {
  user: string;
}

export interface AzureAdFakeOptions extends IdpFakeOptions {
  tenant?: string;
  appId?: string;
  /** Where guests are sent to sign in (default: the fake's own stand-in, `<origin>/mock/auth`). */
  federationUrl?: string | ((origin: string) => string);
  /** The NameIdentifier the guest's WS-Federation answer must carry (default `guest`). */
  guestFederatedName?: string;
  /** Push polls answered "pending" before the outcome (default 2). */
  pushPolls?: number;
  /**
   * KMSI answers with a self-submitting form to `/authend` (hidden `a=1` and the ctx), whose POST then finishes the
   * sign-in: upstream's fake (idp.md §8.6), and the shape of a hand-off back to My Apps. Default false.
   */
  kmsiForm?: boolean;
}

/**
 * A running fake tenant. Its `samlUrl` is the Enterprise App's User access URL,
 * `<origin>/signin/AWS/<appId>?tenantId=<tenant>`; its `oidcUrl` the seed's form, `<origin>/<tenant>/oauth2/v2.0`.
 * `signIns()` counts the password POSTs.
 */
export interface AzureAdFake extends IdpFake {
  readonly tenant: string;
  readonly appId: string;
  /** Where guests are sent. */
  readonly federationUrl: string;
  /** Every form POST: its path and its field names, in order. */
  readonly posts: { path: string; fields: string[] }[];
  /** The AuthMethodId of every BeginAuth, in order. */
  readonly mfaMethods: string[];
  /** Cookie values, codes, id tokens and SAMLResponses handed out: none may show up in a message or log line. */
  readonly secrets: string[];
}

export async function startAzureAdFake(o: AzureAdFakeOptions = {}): Promise<AzureAdFake> {
  const tenant = o.tenant ?? "11111111-2222-3333-4444-555555555555";
  const { clientId, redirectUri, role, principal } = withFakeDefaults(o, "AzureAD");
  const appId = o.appId ?? "aws-app-id";
  const guestFederatedName = o.guestFederatedName ?? "guest";
  const pushPolls = o.pushPolls ?? 2;
  const requests: string[] = [];
  const posts: { path: string; fields: string[] }[] = [];
  const mfaMethods: string[] = [];
  const violations: string[] = [];
  const secrets: string[] = [];
  const flows = new Map<string, Flow>();
  const sessions = new Map<string, string>();
  const grants = authorizationCodes<AzureAdGrant>();
  let counter = 0;
  let signIns = 0;
  let origin = "";
  let federationUrl = "";
  const next = (prefix: string): string =>
    `${prefix}${String(++counter).padStart(5, "0")}${createHash("sha256").update(`${prefix}${counter}`).digest("base64url").slice(0, 20)}`;

  /** A form POST with only `allowed` fields, each once, and the `required` ones not empty; recorded in `posts`. */
  const formOf = (req: IncomingMessage, text: string, path: string, allowed: string[], required: string[]): URLSearchParams => {
    const form = formBody(req, text, path);
    const names = [...form.keys()];
    posts.push({ path, fields: names });
    const extra = names.filter((k) => !allowed.includes(k));
    check(extra.length === 0, `${path}: unexpected fields ${extra.join(",")}`);
    check(new Set(names).size === names.length, `${path}: a field is sent twice`);
    for (const k of required) check((form.get(k) ?? "") !== "", `${path}: ${k} missing`);
    return form;
  };
  /** A JSON POST with only `allowed` fields and the `required` ones non-empty strings. */
  const jsonOf = (req: IncomingMessage, text: string, path: string, allowed: string[], required: string[]): Record<string, unknown> => {
    const body = jsonBody(req, text, path);
    const extra = Object.keys(body).filter((k) => !allowed.includes(k));
    check(extra.length === 0, `${path}: unexpected fields ${extra.join(",")}`);
    for (const k of required) check(typeof body[k] === "string" && body[k] !== "", `${path}: ${k} missing`);
    return body;
  };
  /** The pending flow `ctx` names, in `stage`, presenting its latest flow token. */
  const flowOf = (ctx: string | null | undefined, flowToken: unknown, stage: Stage, path: string): Flow => {
    const flow = flows.get(ctx ?? "");
    check(flow !== undefined, `${path}: ctx names no pending sign-in`);
    const f = flow as Flow;
    check(flowToken === f.flowToken, `${path}: stale or wrong flow token (every page hands out a new one)`);
    check(f.stage === stage, `${path}: the sign-in is at the ${f.stage} step, not ${stage}`);
    return f;
  };
  const cookie = (req: IncomingMessage, name: string): string | undefined =>
    new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(req.headers.cookie ?? "")?.[1];
  const sessionUser = (req: IncomingMessage): string | undefined => {
    for (const name of ["ESTSAUTH", "ESTSAUTHPERSISTENT"]) {
      const user = sessions.get(cookie(req, name) ?? "");
      if (user !== undefined) return user;
    }
    return undefined;
  };

  const html = (res: ServerResponse, body: string, status = 200): void =>
    sendHtml(res, status, body, { "content-type": "text/html; charset=utf-8" });
  const json = (res: ServerResponse, body: unknown): void =>
    sendJson(res, 200, body, { "content-type": "application/json; charset=utf-8" });
  /** A sign-in page: `$Config` with a new flow token, and strings holding `};` and braces to trip a naive parser. */
  const configPage = (res: ServerResponse, flow: Flow | undefined, config: Record<string, unknown>): void => {
    const full: Record<string, unknown> = {
      sText: "};",
      sBraces: '{"a":"};"}',
      iMaxPollErrors: 5,
      ...(flow === undefined ? {} : { sCtx: flow.ctx, sFT: (flow.flowToken = next("ft")), sFTName: "flowToken" }),
      ...config,
    };
    html(
      res,
      `<!DOCTYPE html><html><head><title>Sign in to your account</title>` +
        `<script type="text/javascript">//<![CDATA[\n$Config=${JSON.stringify(full)};\n//]]></script>` +
        `<script>var ServerData = {a: 1};</script></head><body><div id="root"></div></body></html>`,
    );
  };
  const loginPage = (res: ServerResponse, flow: Flow): void => configPage(res, flow, { urlPost: `/${tenant}/login`, sPOST_Username: "" });
  const errorPage = (res: ServerResponse, flow: Flow | undefined, code: string): void =>
    configPage(res, flow, { urlPost: `/${tenant}/login`, sErrorCode: code, sErrTxt: ERROR_TEXTS[code] ?? "Sign-in failed." });

  const newFlow = (kind: Flow["kind"], oidc?: Flow["oidc"]): Flow => {
    const ctx = next("ctx");
    const flow: Flow = { ctx, kind, flowToken: "", stage: "username", ...(oidc === undefined ? {} : { oidc }) };
    flows.set(ctx, flow);
    return flow;
  };

  /** Ends a sign-in: session cookies, then the code (OIDC) or the SAMLResponse (SAML). */
  const finish = (res: ServerResponse, flow: Flow): void => {
    flows.delete(flow.ctx);
    const user = flow.user ?? "";
    const session = next("estsauth");
    const persistent = next("estspersist");
    sessions.set(session, user);
    sessions.set(persistent, user);
    secrets.push(session, persistent);
    res.setHeader("set-cookie", [
      `ESTSAUTH=${session}; Path=/; HttpOnly; SameSite=None`,
      `ESTSAUTHPERSISTENT=${persistent}; Path=/; Max-Age=7776000; HttpOnly; SameSite=None`,
    ]);
    if (flow.kind === "oidc") return redirectWithCode(res, user, flow.oidc as NonNullable<Flow["oidc"]>);
    samlPage(res, user);
  };
  const redirectWithCode = (res: ServerResponse, user: string, oidc: NonNullable<Flow["oidc"]>): void => {
    const code = next("code");
    secrets.push(code);
    grants.issue(code, { user, clientId: oidc.clientId, redirectUri: oidc.redirectUri, challenge: oidc.challenge, nonce: oidc.nonce });
    const location = new URL(oidc.redirectUri);
    location.search = new URLSearchParams({ code, state: oidc.state, session_state: next("sst") }).toString();
    res.writeHead(302, { location: location.href });
    res.end();
  };
  const samlPage = (res: ServerResponse, user: string): void => {
    const saml = samlResponseBase64({
      issuer: `https://sts.windows.net/${tenant}/`,
      sessionName: `${user}@example.com`,
      roles: [`${role},${principal}`],
      durationSeconds: 3600,
    });
    secrets.push(saml);
    html(res, samlPostPage(saml));
  };
  /** After the password, MFA, skip or federation: "Stay signed in?", or straight to the end for `nokmsi`. */
  const kmsiOrFinish = (res: ServerResponse, flow: Flow): void => {
    if (USERS[flow.user ?? ""]?.kmsi === false) return finish(res, flow);
    flow.stage = "kmsi";
    configPage(res, flow, { urlPost: "/kmsi", sTitle: "Stay signed in?" });
  };

  const authorize = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const path = url.pathname;
    check(req.method === "GET", `${path} wants GET`);
    const { state, nonce, challenge } = checkAuthorizationRequest(url, path, { clientId, redirectUri });
    const mode = url.searchParams.get("response_mode");
    check(mode === null || mode === "query", `${path}: response_mode must be query`);
    const oidc = { clientId, redirectUri, state, nonce, challenge };
    const user = sessionUser(req);
    if (user !== undefined) return redirectWithCode(res, user, oidc);
    loginPage(res, newFlow("oidc", oidc));
  };

  const token = (req: IncomingMessage, res: ServerResponse, text: string, path: string): void => {
    const keys = ["client_id", "code", "code_verifier", "grant_type", "redirect_uri"];
    const g = grants.redeem(formOf(req, text, path, keys, keys), path);
    const idToken = fakeJwt({
      iss: `https://login.microsoftonline.com/${tenant}/v2.0`,
      aud: g.clientId,
      sub: `sub-${g.user}`,
      tid: tenant,
      oid: `oid-${g.user}`,
      preferred_username: `${g.user}@example.com`,
      nonce: g.nonce,
    });
    secrets.push(idToken);
    json(res, {
      token_type: "Bearer",
      scope: "openid profile email",
      expires_in: 3600,
      ext_expires_in: 3600,
      access_token: next("at"),
      id_token: idToken,
    });
  };

  const myApps = (req: IncomingMessage, res: ServerResponse, url: URL, app: string): void => {
    if (req.method === "HEAD") {
      // Provider detection's probe: My Apps answers it like any page, with its request id.
      res.writeHead(200, { "content-type": "text/html" });
      res.end();
      return;
    }
    check(req.method === "GET", `${url.pathname} wants GET`);
    check(app === appId, `${url.pathname}: no such app ${app}`);
    check(url.searchParams.get("tenantId") === tenant, `${url.pathname}: tenantId missing or wrong`);
    const authnRequest =
      `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="id${next("req")}" Version="2.0" ` +
      `IssueInstant="2024-01-01T00:00:00Z" AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml">` +
      `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">urn:amazon:webservices</saml:Issuer></samlp:AuthnRequest>`;
    const samlRequest = deflateRawSync(Buffer.from(authnRequest)).toString("base64");
    const target = `${origin}/${tenant}/saml2?SAMLRequest=${encodeURIComponent(samlRequest)}&sso_reload=true`;
    // As My Apps writes it: a JavaScript string with "/" and "&" escaped.
    const js = target.replace(/\//g, "\\/").replace(/&/g, "\\u0026");
    html(res, `<!DOCTYPE html><html><head><script type="text/javascript">window.location = '${js}';</script></head><body></body></html>`);
  };

  const saml2 = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const path = url.pathname;
    check(req.method === "GET", `${path} wants GET`);
    check(url.searchParams.get("sso_reload") === "true", `${path}: sso_reload missing (was \\u0026 unescaped?)`);
    let xml: string;
    try {
      xml = inflateRawSync(Buffer.from(url.searchParams.get("SAMLRequest") ?? "", "base64")).toString("utf8");
    } catch {
      throw new Violation(`${path}: SAMLRequest is not a deflated, base64 AuthnRequest`);
    }
    check(xml.includes("<samlp:AuthnRequest") && xml.includes("urn:amazon:webservices"), `${path}: SAMLRequest is not AWS's AuthnRequest`);
    const user = sessionUser(req);
    if (user !== undefined) return samlPage(res, user);
    loginPage(res, newFlow("saml"));
  };

  const login = (req: IncomingMessage, res: ServerResponse, text: string, path: string): void => {
    const form = formOf(req, text, path, ["flowToken", "ctx", "login", "passwd"], ["flowToken", "ctx", "login"]);
    const name = form.get("login") ?? "";
    if (!form.has("passwd")) {
      const flow = flowOf(form.get("ctx"), form.get("flowToken"), "username", path);
      const spec = USERS[name];
      if (spec === undefined) return errorPage(res, flow, "50034");
      flow.user = name;
      if (spec.guest === true) {
        flow.stage = "guest";
        const redirect = `${federationUrl}${federationUrl.includes("?") ? "&" : "?"}wctx=${encodeURIComponent(flow.ctx)}`;
        return configPage(res, flow, {
          urlPost: `/${tenant}/login`,
          oGetCredTypeResult: { Username: name, Credentials: { HasPassword: true, PrefCredential: 1, FederationRedirectUrl: redirect } },
        });
      }
      flow.stage = "password";
      return configPage(res, flow, {
        urlPost: `/${tenant}/login`,
        sPOST_Username: name,
        oGetCredTypeResult: { Username: name, Credentials: { HasPassword: true, PrefCredential: 1 } },
      });
    }
    const flow = flowOf(form.get("ctx"), form.get("flowToken"), "password", path);
    check(name === flow.user, `${path}: login differs from the username of the sign-in`);
    signIns++;
    if (form.get("passwd") !== GOOD_PASSWORD) return errorPage(res, flow, "50126");
    const spec = USERS[name] as UserSpec;
    if (spec.error !== undefined) {
      flows.delete(flow.ctx);
      return errorPage(res, undefined, spec.error);
    }
    if (spec.skipMfa === true) {
      flow.stage = "skip";
      return configPage(res, flow, {
        urlPost: `/${tenant}/login`,
        urlSkipMfaRegistration: `${origin}/${tenant}/SkipMfaRegistration?ctx=${encodeURIComponent(flow.ctx)}`,
      });
    }
    if (spec.proofs !== undefined) {
      flow.stage = "mfa";
      return configPage(res, flow, {
        arrUserProofs: spec.proofs,
        urlBeginAuth: `${origin}/common/SAS/BeginAuth`,
        urlEndAuth: `${origin}/common/SAS/EndAuth`,
        // Relative on purpose: upstream posted it unresolved.
        urlPost: `/${tenant}/SAS/ProcessAuth`,
        oPerAuthPollingInterval: { PhoneAppNotification: 1, OneWaySMS: 0 },
      });
    }
    kmsiOrFinish(res, flow);
  };

  const skipMfa = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    check(req.method === "GET", `${url.pathname} wants GET`);
    const flow = flows.get(url.searchParams.get("ctx") ?? "");
    check(flow !== undefined && flow.stage === "skip", `${url.pathname}: no sign-in is waiting to skip MFA registration`);
    kmsiOrFinish(res, flow as Flow);
  };

  const sasReply = (flow: Flow, fields: Record<string, unknown>): Record<string, unknown> => ({
    Success: false,
    ResultValue: "",
    Message: null,
    AuthMethodId: flow.mfa?.method ?? "",
    ErrCode: 0,
    Retry: false,
    FlowToken: (flow.flowToken = next("ft")),
    Ctx: flow.ctx,
    SessionId: flow.mfa?.sessionId ?? "",
    CorrelationId: "00000000-0000-0000-0000-000000000000",
    Timestamp: "2024-01-01T00:00:00Z",
    ...fields,
  });

  const beginAuth = (req: IncomingMessage, res: ServerResponse, text: string, path: string): void => {
    const keys = ["AuthMethodId", "Method", "Ctx", "FlowToken"];
    const body = jsonOf(req, text, path, keys, keys);
    check(body.Method === "BeginAuth", `${path}: Method must be BeginAuth`);
    const flow = flowOf(body.Ctx as string, body.FlowToken, "mfa", path);
    const spec = USERS[flow.user ?? ""] as UserSpec;
    const method = body.AuthMethodId as string;
    mfaMethods.push(method);
    check((spec.proofs ?? []).some((p) => p.authMethodId === method), `${path}: ${flow.user ?? ""} has no proof ${method}`);
    flow.mfa = { method, sessionId: next("sess"), polls: 0 };
    flow.stage = "endauth";
    json(res, sasReply(flow, { Success: true, ResultValue: "Success", ...(spec.entropy === undefined ? {} : { Entropy: spec.entropy }) }));
  };

  const endAuth = (req: IncomingMessage, res: ServerResponse, text: string, path: string): void => {
    const body = jsonOf(
      req,
      text,
      path,
      ["AuthMethodId", "Method", "Ctx", "FlowToken", "SessionId", "AdditionalAuthData"],
      ["AuthMethodId", "Method", "Ctx", "FlowToken", "SessionId"],
    );
    check(body.Method === "EndAuth", `${path}: Method must be EndAuth`);
    const flow = flowOf(body.Ctx as string, body.FlowToken, "endauth", path);
    const mfa = flow.mfa as NonNullable<Flow["mfa"]>;
    check(body.SessionId === mfa.sessionId, `${path}: SessionId is not BeginAuth's`);
    check(body.AuthMethodId === mfa.method, `${path}: AuthMethodId is not BeginAuth's`);
    const spec = USERS[flow.user ?? ""] as UserSpec;
    const success = (): void => {
      flow.stage = "processauth";
      json(res, sasReply(flow, { Success: true, ResultValue: "Success" }));
    };
    if (mfa.method === "PhoneAppNotification") {
      check(!("AdditionalAuthData" in body), `${path}: a push carries no AdditionalAuthData`);
      mfa.polls++;
      if (mfa.polls <= pushPolls) {
        return json(res, sasReply(flow, { ResultValue: "AuthenticationPending", Retry: true, ErrCode: 500121, Message: "waiting" }));
      }
      if (spec.pushDenied === true) {
        flows.delete(flow.ctx);
        return json(res, sasReply(flow, { ResultValue: "PhoneAppDenied", Message: "The request was denied." }));
      }
      return success();
    }
    check(typeof body.AdditionalAuthData === "string" && body.AdditionalAuthData !== "", `${path}: AdditionalAuthData (the code) missing`);
    if (body.AdditionalAuthData === MFA_CODE) return success();
    json(
      res,
      sasReply(flow, {
        ResultValue: mfa.method === "OneWaySMS" ? "SMSAuthFailedWrongCodeEntered" : "OathCodeIncorrect",
        Message: "incorrect mfa code",
      }),
    );
  };

  const processAuth = (req: IncomingMessage, res: ServerResponse, text: string, path: string): void => {
    const keys = ["flowToken", "request", "login"];
    const form = formOf(req, text, path, keys, keys);
    const flow = flowOf(form.get("request"), form.get("flowToken"), "processauth", path);
    check(form.get("login") === flow.user, `${path}: login differs from the username of the sign-in`);
    kmsiOrFinish(res, flow);
  };

  const kmsi = (req: IncomingMessage, res: ServerResponse, text: string, path: string): void => {
    const keys = ["flowToken", "ctx", "LoginOptions"];
    const form = formOf(req, text, path, keys, keys);
    check(form.get("LoginOptions") === "1", `${path}: LoginOptions must be 1`);
    const flow = flowOf(form.get("ctx"), form.get("flowToken"), "kmsi", path);
    if (o.kmsiForm !== true) return finish(res, flow);
    flow.stage = "authend";
    html(
      res,
      `<html><body onload="document.forms[0].submit()"><form method="POST" action="/authend">` +
        `<input type="hidden" name="a" value="1"/><input type="hidden" name="ctx" value="${flow.ctx}"/></form></body></html>`,
    );
  };

  const authEnd = (req: IncomingMessage, res: ServerResponse, text: string, path: string): void => {
    const keys = ["a", "ctx"];
    const form = formOf(req, text, path, keys, keys);
    check(form.get("a") === "1", `${path}: a must be 1`);
    const flow = flows.get(form.get("ctx") ?? "");
    check(flow !== undefined && flow.stage === "authend", `${path}: ctx names no sign-in waiting at /authend`);
    finish(res, flow as Flow);
  };

  /** The stand-in federated IdP: whoever asks is signed in, and handed a WS-Federation answer back to Azure AD. */
  const mockAuth = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    check(req.method === "GET", `${url.pathname} wants GET`);
    const ctx = url.searchParams.get("wctx") ?? "";
    const flow = flows.get(ctx);
    check(flow !== undefined && flow.stage === "guest", `${url.pathname}: wctx names no guest sign-in`);
    const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    html(
      res,
      `<html><body onload="document.forms[0].submit()"><form method="POST" name="hiddenform" action="${origin}/login.srf">` +
        `<input type="hidden" name="wa" value="wsignin1.0"/>` +
        `<input type="hidden" name="wresult" value="${escape("<saml:NameIdentifier>guest</saml:NameIdentifier>")}"/>` +
        `<input type="hidden" name="wctx" value="${escape(ctx)}"/>` +
        `<noscript><input type="submit" value="Submit"/></noscript></form></body></html>`,
    );
  };

  const loginSrf = (req: IncomingMessage, res: ServerResponse, text: string, path: string): void => {
    const keys = ["wa", "wresult", "wctx"];
    const form = formOf(req, text, path, keys, keys);
    check(form.get("wa") === "wsignin1.0", `${path}: wa must be wsignin1.0`);
    const flow = flows.get(form.get("wctx") ?? "");
    check(flow !== undefined && flow.stage === "guest", `${path}: wctx names no guest sign-in`);
    const f = flow as Flow;
    const name = /<saml:NameIdentifier[^>]*>([^<]*)<\/saml:NameIdentifier>/.exec(form.get("wresult") ?? "")?.[1];
    if (name !== guestFederatedName) {
      flows.delete(f.ctx);
      return errorPage(res, undefined, "50034");
    }
    kmsiOrFinish(res, f);
  };

  const server = await serveFake({
    name: "Azure AD",
    violations,
    handle: (req, res, url, text) => {
      const path = url.pathname;
      requests.push(`${req.method ?? ""} ${path}`);
      res.setHeader("x-ms-request-id", `00000000-0000-0000-0000-${String(requests.length).padStart(12, "0")}`);
      let m: RegExpExecArray | null;
      if (path === `/${tenant}/oauth2/v2.0/authorize`) return authorize(req, res, url);
      if (path === `/${tenant}/oauth2/v2.0/token`) return token(req, res, text, path);
      if ((m = /^\/signin\/[^/]+\/([^/]+)$/.exec(path)) !== null) return myApps(req, res, url, decodeURIComponent(m[1] ?? ""));
      if (path === `/${tenant}/saml2`) return saml2(req, res, url);
      if (path === `/${tenant}/login`) return login(req, res, text, path);
      if (path === `/${tenant}/SkipMfaRegistration`) return skipMfa(req, res, url);
      if (path === "/common/SAS/BeginAuth") return beginAuth(req, res, text, path);
      if (path === "/common/SAS/EndAuth") return endAuth(req, res, text, path);
      if (path === `/${tenant}/SAS/ProcessAuth`) return processAuth(req, res, text, path);
      if (path === "/kmsi") return kmsi(req, res, text, path);
      if (path === "/authend") return authEnd(req, res, text, path);
      if (path === "/mock/auth") return mockAuth(req, res, url);
      if (path === "/login.srf") return loginSrf(req, res, text, path);
      throw new Violation(`no such endpoint: ${req.method ?? ""} ${path}`);
    },
  });
  origin = server.origin;
  federationUrl = typeof o.federationUrl === "function" ? o.federationUrl(origin) : (o.federationUrl ?? `${origin}/mock/auth`);

  return {
    origin,
    tenant,
    appId,
    samlUrl: `${origin}/signin/AWS/${appId}?tenantId=${tenant}`,
    oidcUrl: `${origin}/${tenant}/oauth2/v2.0`,
    clientId,
    redirectUri,
    role,
    principal,
    federationUrl,
    signIns: () => signIns,
    requests,
    posts,
    mfaMethods,
    violations,
    secrets,
    close: server.close,
  };
}
