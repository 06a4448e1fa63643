/**
 * A fake Okta org for tests (idp.md §4.7), with Duo's legacy frame API beside it (§4.4): real HTTP on 127.0.0.1:0,
 * speaking the classic authentication API (`/api/v1/authn`, factor verify and poll), the org authorization server
 * (`/oauth2[/<id>]/v1/authorize`, `/v1/token` with PKCE and nonce), the AWS app embed link (`/home/amazon_aws/…`) and
 * the login redirect (`/login/login.htm?fromURI=…`). Sessions are a `sid` cookie set when a one-time sessionToken is
 * presented. Everything is deterministic: MFA outcomes depend on the user and on poll counts, never on time. Anything
 * a client sends that Okta would not expect is answered with HTTP 400 and the reason, and listed in `violations`.
 *
 * Users (password `goodPassword` for all): nomfa, codemfa (TOTP, code 54321), pushmfa (TOTP + push, approved on the
 * first poll), pushnumber (push with a number challenge), pushreject, pushtimeout, pushforever (always waiting),
 * yubikey (only an unsupported factor), hardware (a lone token:hardware), smsonly, badstatus, locked, duopush (Duo,
 * approved on the second status poll), duocode (Duo passcode 135790), duofail (Duo push denied).
 */
import { createHash } from "node:crypto";
import type http from "node:http";
import { check, formBody, jsonBody, sendHtml, sendJson, serveFake, Violation } from "./fakeServer.js";
import { type IdpFake, type IdpFakeOptions, withFakeDefaults } from "./idpFake.js";
import { authorizationCodes, checkAuthorizationRequest, type Grant } from "./oauthGrants.js";
import { samlPostPage, samlResponseBase64 } from "./samlResponse.js";

export const GOOD_PASSWORD = "goodPassword";
export const TOTP_CODE = "54321";
export const DUO_PASSCODE = "135790";
const DUO_TX = "TX|dHhzaWc=|0123";
const WSFED_PATH = "/app/office365/0oa1fedapp/sso/wsfed/passive";
const DUO_APP = "APP|YXBwc2ln|4567";

/** One MFA factor as the authn API lists it. */
interface FactorSpec {
  id: string;
  factorType: string;
  provider: string;
}

interface UserSpec {
  factors: FactorSpec[];
  status?: string;
  /** Push: polls (POSTs to `next`) answered WAITING before the outcome; Infinity waits for ever. */
  pushPolls?: number;
  pushOutcome?: "SUCCESS" | "REJECTED" | "TIMEOUT";
  correctAnswer?: number;
  /** Duo: status polls answered pending before the outcome. */
  duoPending?: number;
  duoOutcome?: "SUCCESS" | "FAILURE";
}

const TOTP: FactorSpec = { id: "12345", factorType: "token:software:totp", provider: "GOOGLE" };
const PUSH: FactorSpec = { id: "54321", factorType: "push", provider: "OKTA" };
const DUO: FactorSpec = { id: "dst1duo", factorType: "web", provider: "DUO" };

const USERS: Readonly<Record<string, UserSpec>> = {
  nomfa: { factors: [] },
  codemfa: { factors: [TOTP] },
  pushmfa: { factors: [TOTP, PUSH], pushPolls: 0, pushOutcome: "SUCCESS" },
  pushnumber: { factors: [PUSH], pushPolls: 1, pushOutcome: "SUCCESS", correctAnswer: 42 },
  pushreject: { factors: [PUSH], pushPolls: 1, pushOutcome: "REJECTED" },
  pushtimeout: { factors: [PUSH], pushPolls: 0, pushOutcome: "TIMEOUT" },
  pushforever: { factors: [PUSH], pushPolls: Infinity, pushOutcome: "SUCCESS" },
  yubikey: { factors: [{ id: "ybk1", factorType: "Yubikey", provider: "yubikey" }] },
  hardware: { factors: [{ id: "hw1", factorType: "token:hardware", provider: "YUBICO" }] },
  smsonly: { factors: [{ id: "sms1", factorType: "sms", provider: "OKTA" }] },
  badstatus: { factors: [], status: "unknown" },
  locked: { factors: [], status: "LOCKED_OUT" },
  duopush: { factors: [DUO], duoPending: 1, duoOutcome: "SUCCESS" },
  duocode: { factors: [DUO], duoPending: 0, duoOutcome: "SUCCESS" },
  duofail: { factors: [DUO], duoPending: 0, duoOutcome: "FAILURE" },
};

/** One sign-in in progress, keyed by its stateToken. */
interface Transaction {
  user: string;
  polls: number;
  /** The Duo frame's sid and txid, and the cookie its result hands out. */
  duoSid?: string;
  duoTxid?: string;
  duoStatusPolls?: number;
  duoPasscodeOk?: boolean;
  duoCookie?: string;
  duoCompleted?: boolean;
}

/** An authorization code waiting to be exchanged, at the authorization server that issued it. */
interface OktaGrant extends Grant {
  user: string;
  issuer: string;
}

/**
 * A running fake org. Its `samlUrl` is the AWS app's embed link, its `oidcUrl` the org authorization server as the seed
 * writes it (`https://<org>.okta.com/oauth2`); `signIns()` counts the POSTs to /api/v1/authn.
 */
export interface OktaFake extends IdpFake {
  /**
   * The WS-Federation URL Azure AD sends a guest federated to this org to, answering back to `wreply`; Azure AD adds
   * its own `wctx`.
   */
  federationUrl(wreply: string): string;
  /** Session tokens handed out, to check that none leaks. */
  readonly sessionTokens: string[];
}

/** Starts the fake org; `role`/`principal` are the single Role value of its SAML assertions. */
export async function startOktaFake(o: IdpFakeOptions = {}): Promise<OktaFake> {
  const { clientId, redirectUri, role, principal } = withFakeDefaults(o, "Okta", "0oaClientIdOfAws");
  const requests: string[] = [];
  const violations: string[] = [];
  const sessionTokens: string[] = [];
  const transactions = new Map<string, Transaction>();
  const unusedSessionTokens = new Map<string, string>();
  const sessions = new Map<string, string>();
  const grants = authorizationCodes<OktaGrant>();
  let counter = 0;
  let signIns = 0;
  const next = (prefix: string) => `${prefix}${String(++counter).padStart(6, "0")}x${createHash("sha256").update(`${prefix}${counter}`).digest("hex").slice(0, 16)}`;
  let origin = "";

  const oktaError = (res: http.ServerResponse, status: number, code: string, summary: string): void =>
    sendJson(res, status, { errorCode: code, errorSummary: summary, errorLink: code, errorId: "oaeFakeErrorId", errorCauses: [] });

  const onlyKeys = (body: Record<string, unknown>, keys: string[], where: string): void => {
    const extra = Object.keys(body).filter((k) => !keys.includes(k));
    check(extra.length === 0, `${where}: unexpected fields ${extra.join(",")}`);
  };
  const transaction = (body: Record<string, unknown>, where: string): [string, Transaction] => {
    const st = body.stateToken;
    check(typeof st === "string" && transactions.has(st), `${where}: unknown or missing stateToken`);
    return [st as string, transactions.get(st as string) as Transaction];
  };

  const success = (res: http.ServerResponse, user: string, stateToken?: string, factorResult?: string): void => {
    if (stateToken !== undefined) transactions.delete(stateToken);
    const token = next("20111");
    unusedSessionTokens.set(token, user);
    sessionTokens.push(token);
    sendJson(res, 200, {
      expiresAt: "2030-01-01T00:00:00.000Z",
      status: "SUCCESS",
      sessionToken: token,
      ...(factorResult === undefined ? {} : { factorResult }),
      _embedded: { user: { id: `00u${user}`, profile: { login: `${user}@example.com` } } },
    });
  };
  const factorJson = (f: FactorSpec) => ({
    id: f.id,
    factorType: f.factorType,
    provider: f.provider,
    vendorName: f.provider,
    _links: { verify: { href: `${origin}/api/v1/authn/factors/${f.id}/verify`, hints: { allow: ["POST"] } } },
  });

  const authn = (req: http.IncomingMessage, res: http.ServerResponse, text: string): void => {
    const body = jsonBody(req, text, req.url ?? "");
    onlyKeys(body, ["username", "password"], "/api/v1/authn");
    check(typeof body.username === "string" && typeof body.password === "string", "/api/v1/authn: username and password must be strings");
    signIns++;
    const user = USERS[body.username as string];
    if (user === undefined || body.password !== GOOD_PASSWORD) {
      oktaError(res, 401, "E0000004", "Authentication failed");
      return;
    }
    const name = body.username as string;
    if (user.status !== undefined) {
      sendJson(res, 200, { status: user.status, expiresAt: "2030-01-01T00:00:00.000Z" });
      return;
    }
    if (user.factors.length === 0) return success(res, name);
    const stateToken = next("00st");
    transactions.set(stateToken, { user: name, polls: 0 });
    sendJson(res, 200, {
      stateToken,
      expiresAt: "2030-01-01T00:00:00.000Z",
      status: "MFA_REQUIRED",
      _embedded: { user: { id: `00u${name}` }, factors: user.factors.map(factorJson) },
      _links: { cancel: { href: `${origin}/api/v1/authn/cancel` } },
    });
  };

  const pushAnswer = (res: http.ServerResponse, stateToken: string, t: Transaction, user: UserSpec, f: FactorSpec): void => {
    const waiting = t.polls <= (user.pushPolls ?? 0);
    t.polls++;
    if (!waiting && user.pushOutcome === "SUCCESS") return success(res, t.user, stateToken);
    sendJson(res, 200, {
      stateToken,
      status: "MFA_CHALLENGE",
      factorResult: waiting ? "WAITING" : user.pushOutcome,
      _embedded: {
        factor: {
          ...factorJson(f),
          ...(user.correctAnswer === undefined ? {} : { _embedded: { challenge: { correctAnswer: user.correctAnswer } } }),
        },
      },
      _links: {
        next: { name: "poll", href: `${origin}/api/v1/authn/factors/${f.id}/verify`, hints: { allow: ["POST"] } },
        cancel: { href: `${origin}/api/v1/authn/cancel` },
      },
    });
  };

  const verify = (req: http.IncomingMessage, res: http.ServerResponse, text: string, factorId: string): void => {
    const where = `/api/v1/authn/factors/${factorId}/verify`;
    const body = jsonBody(req, text, req.url ?? "");
    const [stateToken, t] = transaction(body, where);
    const user = USERS[t.user] as UserSpec;
    const f = user.factors.find((x) => x.id === factorId);
    check(f !== undefined, `${where}: ${t.user} has no factor ${factorId}`);
    const factor = f as FactorSpec;
    if (factor.factorType === "push") {
      onlyKeys(body, ["stateToken"], where);
      return pushAnswer(res, stateToken, t, user, factor);
    }
    if (factor.provider === "DUO") {
      onlyKeys(body, ["stateToken"], where);
      if (t.duoCompleted === true) return success(res, t.user, stateToken);
      sendJson(res, 200, {
        stateToken,
        status: "MFA_CHALLENGE",
        factorResult: "WAITING",
        _embedded: {
          factor: {
            id: factor.id,
            factorType: factor.factorType,
            provider: factor.provider,
            _embedded: {
              verification: {
                host: new URL(origin).host,
                signature: `${DUO_TX}:${DUO_APP}`,
                factorResult: "WAITING",
                _links: {
                  complete: { href: `${origin}/api/v1/authn/factors/${factor.id}/lifecycle/duoCallback`, hints: { allow: ["POST"] } },
                  script: { href: `${origin}/js/sections/duo/Duo-Web-v2.6.js`, type: "text/javascript; charset=utf-8" },
                },
              },
            },
          },
        },
        _links: { next: { name: "poll", href: `${origin}/api/v1/authn/factors/${factor.id}/verify`, hints: { allow: ["POST"] } } },
      });
      return;
    }
    onlyKeys(body, ["stateToken", "passCode"], where);
    check(factor.factorType === "token:software:totp", `${where}: a ${factor.factorType} factor cannot be verified by this client`);
    check(typeof body.passCode === "string", `${where}: passCode missing`);
    if (body.passCode === TOTP_CODE) return success(res, t.user, stateToken, "SUCCESS");
    oktaError(res, 403, "E0000068", "Invalid Passcode/Answer");
  };

  /** The user of the request's session: a fresh sessionToken (one use, sets `sid`) or the `sid` cookie. */
  const sessionUser = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): string | undefined => {
    const token = url.searchParams.get("sessionToken");
    if (token !== null) {
      const user = unusedSessionTokens.get(token);
      check(user !== undefined, `${url.pathname}: sessionToken unknown or already used`);
      unusedSessionTokens.delete(token);
      const sid = next("102sid");
      sessions.set(sid, user as string);
      res.setHeader("set-cookie", `sid=${sid}; Path=/; HttpOnly`);
      return user;
    }
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    return sid === undefined ? undefined : sessions.get(sid);
  };
  const toLogin = (res: http.ServerResponse, url: URL): void => {
    res.writeHead(302, { location: `${origin}/login/login.htm?fromURI=${encodeURIComponent(url.pathname + url.search)}` });
    res.end();
  };

  const authorize = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, issuer: string): void => {
    check(req.method === "GET", `${url.pathname} wants GET`);
    const { state, nonce, challenge } = checkAuthorizationRequest(url, url.pathname, { clientId, redirectUri });
    const user = sessionUser(req, res, url);
    if (user === undefined) return toLogin(res, url);
    const code = next("code");
    grants.issue(code, { user, clientId, redirectUri, challenge, nonce, issuer });
    res.writeHead(302, { location: `${redirectUri}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}` });
    res.end();
  };

  const token = (req: http.IncomingMessage, res: http.ServerResponse, text: string, issuer: string): void => {
    const g = grants.redeem(formBody(req, text, "/v1/token"), "/v1/token");
    check(g.issuer === issuer, "/v1/token: code from another authorization server");
    const now = Math.floor(Date.now() / 1000);
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const idToken = [
      part({ alg: "RS256", kid: "fake", typ: "JWT" }),
      part({ iss: issuer, aud: g.clientId, sub: `00u${g.user}`, preferred_username: `${g.user}@example.com`, iat: now, exp: now + 3600, nonce: g.nonce }),
      Buffer.from(createHash("sha256").update(`${g.user}${now}`).digest()).toString("base64url"),
    ].join(".");
    sendJson(res, 200, { access_token: "fakeAccessTokenValue", expires_in: 3600, id_token: idToken, scope: "openid", token_type: "Bearer" });
  };

  const samlPage = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    check(req.method === "GET", `${url.pathname} wants GET`);
    const user = sessionUser(req, res, url);
    if (user === undefined) return toLogin(res, url);
    const response = samlResponseBase64({
      issuer: "http://www.okta.com/exkfake",
      sessionName: `${user}@example.com`,
      roles: [`${role},${principal}`],
      durationSeconds: 3600,
    });
    sendHtml(res, 200, samlPostPage(response));
  };

  /** Okta's documented way to turn a session token into the session cookie, then go on to a URL of the org. */
  const sessionCookieRedirect = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    check(req.method === "GET", `${url.pathname} wants GET`);
    const token = url.searchParams.get("token");
    const target = url.searchParams.get("redirectUrl");
    check(token !== null && target !== null, `${url.pathname}: token and redirectUrl are required`);
    check(new URL(target as string).origin === origin, `${url.pathname}: redirectUrl must be a URL of the org (trusted origin)`);
    const user = sessionUser(req, res, new URL(`${url.pathname}?sessionToken=${encodeURIComponent(token as string)}`, origin));
    check(user !== undefined, `${url.pathname}: no session`);
    res.statusCode = 302;
    res.setHeader("location", target as string);
    res.end();
  };

  /**
   * The WS-Federation endpoint of an Office 365 app (Azure AD federated to Okta): for a signed-in user, the form that
   * posts the sign-in (`wresult`) back to `wreply`; without a session, the login redirect.
   */
  const wsFederation = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    // HEAD: the provider detection's probe.
    check(req.method === "GET" || req.method === "HEAD", `${url.pathname} wants GET`);
    const q = url.searchParams;
    check(q.get("wa") === "wsignin1.0", `${url.pathname}: wa must be wsignin1.0`);
    check((q.get("wreply") ?? "") !== "", `${url.pathname}: wreply missing`);
    const user = sessionUser(req, res, url);
    if (user === undefined) return toLogin(res, url);
    const escape = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const wresult =
      `<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust"><t:RequestedSecurityToken>` +
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion"><saml:AuthenticationStatement><saml:Subject>` +
      `<saml:NameIdentifier>${user}</saml:NameIdentifier></saml:Subject></saml:AuthenticationStatement></saml:Assertion>` +
      `</t:RequestedSecurityToken></t:RequestSecurityTokenResponse>`;
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      `<html><body onload="document.forms[0].submit()"><form method="POST" name="hiddenform" action="${escape(q.get("wreply") ?? "")}">` +
        `<input type="hidden" name="wa" value="wsignin1.0"/><input type="hidden" name="wresult" value="${escape(wresult)}"/>` +
        (q.get("wctx") === null ? "" : `<input type="hidden" name="wctx" value="${escape(q.get("wctx") ?? "")}"/>`) +
        `<noscript><input type="submit" value="Continue"/></noscript></form></body></html>`,
    );
  };

  const duo = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, text: string): void => {
    const form = formBody(req, text, req.url ?? "");
    const byTx = (): Transaction => {
      const sid = form.get("sid") ?? "";
      const found = [...transactions.values()].find((t) => t.duoSid === sid && sid !== "");
      check(found !== undefined, `${url.pathname}: unknown sid`);
      return found as Transaction;
    };
    if (url.pathname === "/frame/web/v1/auth") {
      check(url.searchParams.get("tx") === DUO_TX, "/frame/web/v1/auth: tx must be the TX part of the signature");
      check(form.get("parent") === `${origin}/signin/verify/duo/web`, "/frame/web/v1/auth: parent must be the Okta Duo page");
      for (const k of ["java_version", "flash_version", "screen_resolution_width", "screen_resolution_height", "color_depth"]) {
        check(form.has(k), `/frame/web/v1/auth: ${k} missing`);
      }
      // The transaction waiting for Duo: the newest one of a Duo user without a sid yet.
      const t = [...transactions.values()].reverse().find((x) => USERS[x.user]?.factors[0]?.provider === "DUO" && x.duoSid === undefined);
      check(t !== undefined, "/frame/web/v1/auth: no Okta Duo verification is waiting");
      const tx = t as Transaction;
      tx.duoSid = `sid&${next("duo")}`;
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<html><body><form><input type="hidden" name="sid" value="${tx.duoSid.replace(/&/g, "&amp;")}"><input type="hidden" name="url" value="/frame/prompt"></form></body></html>`);
      return;
    }
    if (url.pathname === "/frame/prompt") {
      const t = byTx();
      check(form.get("device") === "phone1" && form.get("out_of_date") === "false", "/frame/prompt: device/out_of_date wrong");
      const factor = form.get("factor");
      if (t.user === "duocode") {
        check(factor === "Passcode" && form.has("passcode"), "/frame/prompt: duocode answers with a Passcode");
        t.duoPasscodeOk = form.get("passcode") === DUO_PASSCODE;
      } else {
        check(factor === "Duo Push" && !form.has("passcode"), "/frame/prompt: wanted factor=Duo Push without a passcode");
      }
      t.duoTxid = next("txid");
      t.duoStatusPolls = 0;
      sendJson(res, 200, { stat: "OK", response: { txid: t.duoTxid } });
      return;
    }
    if (url.pathname === "/frame/status") {
      const t = byTx();
      check(form.get("txid") === t.duoTxid, "/frame/status: wrong txid");
      const spec = USERS[t.user] as UserSpec;
      const polls = t.duoStatusPolls ?? 0;
      t.duoStatusPolls = polls + 1;
      if (polls < (spec.duoPending ?? 0)) {
        sendJson(res, 200, { stat: "OK", response: { status: "Pushed a login request to your device...", status_code: "pushed" } });
        return;
      }
      const ok = spec.duoOutcome === "SUCCESS" && t.duoPasscodeOk !== false;
      sendJson(res, 200, {
        stat: "OK",
        response: ok
          ? { result: "SUCCESS", status: "Success. Logging you in...", status_code: "allow", result_url: `/frame/status/${t.duoTxid ?? ""}` }
          : { result: "FAILURE", status: ok ? "" : "Login request denied.", status_code: "deny" },
      });
      return;
    }
    if (url.pathname.startsWith("/frame/status/")) {
      const t = byTx();
      check(url.pathname === `/frame/status/${t.duoTxid ?? ""}`, "result_url: wrong txid");
      t.duoCookie = `AUTH|${Buffer.from(t.user).toString("base64")}|9999`;
      sendJson(res, 200, { stat: "OK", response: { cookie: t.duoCookie, parent: `${origin}/signin/verify/duo/web` } });
      return;
    }
    throw new Violation(`no such Duo endpoint ${url.pathname}`);
  };

  const duoCallback = (req: http.IncomingMessage, res: http.ServerResponse, text: string, factorId: string): void => {
    const form = formBody(req, text, req.url ?? "");
    const t = transactions.get(form.get("stateToken") ?? "");
    check(t !== undefined, "duoCallback: unknown stateToken");
    const tx = t as Transaction;
    check(form.get("id") === factorId, "duoCallback: id must be the Duo factor id");
    check(tx.duoCookie !== undefined && form.get("sig_response") === `${tx.duoCookie}:${DUO_APP}`, "duoCallback: sig_response must be <cookie>:<APP sig>");
    tx.duoCompleted = true;
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<html></html>");
  };

  const server = await serveFake({
    name: "Okta",
    violations,
    handle: (req, res, url, text) => {
      requests.push(`${req.method ?? ""} ${url.pathname}`);
      // Every Okta answer carries its request id: what provider detection recognises Okta by on a custom domain.
      res.setHeader("x-okta-request-id", `req${requests.length}`);
      let m: RegExpExecArray | null;
      if (url.pathname === "/api/v1/authn") return authn(req, res, text);
      if ((m = /^\/api\/v1\/authn\/factors\/([^/]+)\/verify$/.exec(url.pathname)) !== null) {
        return verify(req, res, text, m[1] ?? "");
      }
      if ((m = /^\/api\/v1\/authn\/factors\/([^/]+)\/lifecycle\/duoCallback$/.exec(url.pathname)) !== null) {
        return duoCallback(req, res, text, m[1] ?? "");
      }
      if ((m = /^(\/oauth2(?:\/[^/]+)?)\/v1\/(authorize|token)$/.exec(url.pathname)) !== null) {
        const issuer = `${origin}${m[1] ?? ""}`;
        return m[2] === "authorize" ? authorize(req, res, url, issuer) : token(req, res, text, issuer);
      }
      if (url.pathname.startsWith("/home/amazon_aws/")) return samlPage(req, res, url);
      if (url.pathname === "/login/sessionCookieRedirect") return sessionCookieRedirect(req, res, url);
      if (url.pathname === WSFED_PATH) return wsFederation(req, res, url);
      if (url.pathname === "/login/login.htm") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<html><body><div id="okta-sign-in">Sign In</div></body></html>`);
        return;
      }
      if (url.pathname.startsWith("/frame/")) return duo(req, res, url, text);
      throw new Violation(`no such endpoint: ${req.method ?? ""} ${url.pathname}`);
    },
  });
  origin = server.origin;

  return {
    origin,
    samlUrl: `${origin}/home/amazon_aws/0oa1awsapp/272`,
    oidcUrl: `${origin}/oauth2`,
    clientId,
    redirectUri,
    role,
    principal,
    federationUrl: (wreply: string) =>
      `${origin}${WSFED_PATH}?${new URLSearchParams({ wa: "wsignin1.0", wtrealm: "urn:federation:MicrosoftOnline", wreply }).toString()}`,
    signIns: () => signIns,
    requests,
    violations,
    sessionTokens,
    close: server.close,
  };
}
