/**
 * A fake ForgeRock AM for tests (idp.md §7.4, made realistic): real HTTP on 127.0.0.1:0 under a deployment path
 * (`/auth`) and a realm (`/realms/root/realms/alpha`, or any other, e.g. `/realms/myrealm`), speaking
 *
 * - the authentication REST API `POST <deployment>/json<realm>/authenticate`: a first request with the RFC 2047
 *   encoded `X-OpenAM-Username`/`X-OpenAM-Password` headers and an empty body, at the default tree or at
 *   `?authIndexType=service&authIndexValue=mfa_oath_authentication|mfa_push_authentication`; continuations post the
 *   callback JSON back (no X-OpenAM headers, the authId that was issued, the callbacks as issued). A finished sign-in
 *   is `200 {"tokenId",…}` plus `Set-Cookie: iPlanetDirectoryPro=<tokenId>; Path=/`; a refusal is
 *   `401 {"code":401,"reason":"Unauthorized","message":"Authentication Failed"}`;
 * - OAuth 2.0 `GET <deployment>/oauth2<realm>/authorize` (PKCE S256, state, nonce, scope openid): with the session
 *   cookie a 302 to `<redirect_uri>?code&iss&state&client_id`, without one a 302 to the login UI
 *   `<deployment>/XUI/?realm=/alpha&goto=<authorize URL>`; `POST …/access_token` (form: client_id, code,
 *   code_verifier, grant_type, redirect_uri; the code once) → `{access_token, scope, id_token, token_type, expires_in}`;
 * - SAML `GET <deployment>/idpssoinit?metaAlias=/alpha/saml-idp&spEntityID=urn:amazon:webservices` (that query
 *   exactly): with the session a SAMLResponse post page, without one a 302 to the login UI;
 * - WS-Federation for Azure AD guests, `federationUrl(wreply)` =
 *   `<deployment>/WSFederationServlet/metaAlias/alpha/wsfed-idp?wa=wsignin1.0&wtrealm=urn:federation:MicrosoftOnline&wreply=<wreply>`
 *   (a caller may append `&wctx=…`): with the session a 200 auto-post form to `wreply` with hidden inputs `wa`
 *   (`wsignin1.0`), `wresult` (a WS-Trust response whose `<saml:NameIdentifier>` is the signed-in username; the XML is
 *   HTML-escaped in the value attribute, as in a real page) and `wctx` (the request's, echoed; empty when absent);
 *   without a session a 302 to the login UI.
 *
 * Every answer carries `Access-Control-Allow-Headers: X-OpenAM-Username, X-OpenAM-Password, Accept-API-Version`
 * (how ForgeRock is detected, idp.md §2.1); HEAD/GET of `oidcUrl` and `samlUrl` answer 200. A realm path also
 * matches with `/realms/root` in front (`/realms/myrealm` = `/realms/root/realms/myrealm`), as in AM.
 *
 * Users (password `goodPassword` unless said): nomfa (default tree only; a service request is refused with 401, so
 * `auto` falls through push → code → none), codemfa (only `mfa_oath_authentication`, code `54321`), pushmfa (only
 * `mfa_push_authentication`, approved after `pushPolls` polls answered "waiting"), pushdeny (the push is denied: 401
 * on the first poll), pushforever (the push is never answered), codebroken (like codemfa, but the code is answered
 * with a 500), jürgen (default tree, password `gööd Pässwörd ✓`).
 * Everything is deterministic: outcomes depend on the user and on poll counts, never on time. Anything a client
 * sends that AM would refuse is answered with HTTP 400 and the reason, and listed in `violations`.
 *
 * `upstreamShapes: true` answers as upstream's test server did (idp.md §7.4): a finished sign-in is the bare text
 * `success` and a push ends with `400 {"code":400,"message":"push mfa complete"}`; the session cookie is set all the
 * same, so what follows works.
 */
import { createHash } from "node:crypto";
import type http from "node:http";
import { fakeJwt } from "./fakeJwt.js";
import { check, formBody, jsonObject, sendHtml, sendJson, serveFake, Violation } from "./fakeServer.js";
import { type IdpFake, type IdpFakeOptions, withFakeDefaults } from "./idpFake.js";
import { authorizationCodes, checkAuthorizationRequest, type Grant } from "./oauthGrants.js";
import { samlPostPage, samlResponseBase64 } from "./samlResponse.js";

export const GOOD_PASSWORD = "goodPassword";
export const OTP_CODE = "54321";
export const UNICODE_USER = "jürgen";
export const UNICODE_PASSWORD = "gööd Pässwörd ✓";
export const ACCEPT_API_VERSION = "resource=2.0, protocol=1.0";
export const ALLOW_HEADERS = "X-OpenAM-Username, X-OpenAM-Password, Accept-API-Version";
const PUSH_SERVICE = "mfa_push_authentication";
const CODE_SERVICE = "mfa_oath_authentication";
const SESSION_COOKIE = "iPlanetDirectoryPro";
const WS_FED_REALM = "urn:federation:MicrosoftOnline";

type Mfa = "none" | "code" | "push";
interface UserSpec {
  mfa: Mfa;
  password?: string;
  push?: "approve" | "deny" | "never";
  /** AM fails on the code with a 500 (a broken OATH module). */
  broken?: boolean;
}
const USERS: Readonly<Record<string, UserSpec>> = {
  nomfa: { mfa: "none" },
  codemfa: { mfa: "code" },
  pushmfa: { mfa: "push", push: "approve" },
  pushdeny: { mfa: "push", push: "deny" },
  pushforever: { mfa: "push", push: "never" },
  codebroken: { mfa: "code", broken: true },
  [UNICODE_USER]: { mfa: "none", password: UNICODE_PASSWORD },
};

/** A tree waiting for its callbacks, keyed by the authId it was issued with (each authId is good once). */
interface Step {
  user: string;
  mfa: "code" | "push";
  polls: number;
  callbacks: unknown[];
}

/** An authorization code waiting to be exchanged. */
interface ForgerockGrant extends Grant {
  user: string;
}

export interface ForgerockFakeOptions extends IdpFakeOptions {
  /** The AM deployment path (default `/auth`). */
  deployment?: string;
  /** The realm as AM's REST paths spell it (default `/realms/root/realms/alpha`). */
  realmPath?: string;
  /** Polls answered "waiting" before a push is approved (default 2). */
  pushPolls?: number;
  /** The SP entity id idpssoinit expects (default AWS's, `urn:amazon:webservices`). */
  spEntityId?: string;
  /** Answer as upstream's test server did (see above). */
  upstreamShapes?: boolean;
}

/**
 * A running fake AM. Its `samlUrl` is the SAML URL as the docs write it, `<origin><deployment>/json<realm>/authenticate`;
 * its `oidcUrl` the OIDC URL as the seed writes it, `<origin><deployment>/oauth2<realm>`. `signIns()` counts the first
 * requests to /authenticate (the ones carrying a password); `requests` shows those with their query.
 */
export interface ForgerockFake extends IdpFake {
  /** The realm as AM names it in its UI and in metaAlias: `/alpha`. */
  readonly realmName: string;
  /** Every authId, tokenId, authorization code and id token handed out, to check that none leaks. */
  readonly issued: string[];
  /** The WS-Federation sign-in URL for Azure AD guests, answering to `wreply` (see above). */
  federationUrl(wreply: string): string;
}

/** Starts the fake AM. */
export async function startForgerockFake(o: ForgerockFakeOptions = {}): Promise<ForgerockFake> {
  const deployment = o.deployment ?? "/auth";
  const realmPath = o.realmPath ?? "/realms/root/realms/alpha";
  const { clientId, redirectUri, role, principal } = withFakeDefaults(o, "Forgerock");
  const pushPolls = o.pushPolls ?? 2;
  const spEntityId = o.spEntityId ?? "urn:amazon:webservices";
  const legacy = o.upstreamShapes === true;
  const realmNames = [...realmPath.matchAll(/\/realms\/([^/]+)/g)].map((m) => m[1] ?? "");
  const realmName = `/${(realmNames[0] === "root" && realmNames.length > 1 ? realmNames.slice(1) : realmNames).join("/")}`;

  const requests: string[] = [];
  const violations: string[] = [];
  const issued: string[] = [];
  const steps = new Map<string, Step>();
  const sessions = new Map<string, string>();
  const grants = authorizationCodes<ForgerockGrant>();
  let counter = 0;
  let signIns = 0;
  let origin = "";
  const next = (prefix: string): string => {
    const value = `${prefix}${String(++counter).padStart(4, "0")}${createHash("sha256").update(`${prefix}${counter}`).digest("hex").slice(0, 20)}`;
    issued.push(value);
    return value;
  };

  const unauthorized = (res: http.ServerResponse): void =>
    sendJson(res, 401, { code: 401, reason: "Unauthorized", message: "Authentication Failed" });
  /** Where AM sends a browser without a session: its login UI, to come back to `url` afterwards. */
  const toLogin = (res: http.ServerResponse, url: URL): void => {
    res.writeHead(302, { location: `${origin}${deployment}/XUI/?realm=${realmName}&goto=${encodeURIComponent(url.href)}` });
    res.end();
  };
  const sessionUser = (req: http.IncomingMessage): string | undefined => {
    const token = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? "")?.[1];
    return token === undefined ? undefined : sessions.get(token);
  };
  /** A realm path as AM resolves it: `/realms/root/realms/x` and `/realms/x` are the same realm. */
  const sameRealm = (path: string): boolean => {
    const plain = (p: string) => p.replace(/^\/realms\/root(?=\/realms\/)/, "");
    return plain(path) === plain(realmPath);
  };

  /** A finished sign-in: the session cookie, and AM's answer (or upstream's, see above; `push` for its 400). */
  const signedIn = (res: http.ServerResponse, user: string, push = false): void => {
    const tokenId = next("AQIC5wM2LY4S");
    sessions.set(tokenId, user);
    res.setHeader("set-cookie", `${SESSION_COOKIE}=${tokenId}; Path=/`);
    if (!legacy) return sendJson(res, 200, { tokenId, successUrl: `${deployment}/console`, realm: realmName });
    if (push) return sendJson(res, 400, { code: 400, message: "push mfa complete" });
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("success");
  };
  const ask = (res: http.ServerResponse, user: string, mfa: "code" | "push", polls: number): void => {
    const callbacks =
      mfa === "code"
        ? [
            {
              type: "PasswordCallback",
              output: [{ name: "prompt", value: "One Time Password" }],
              input: [{ name: "IDToken1", value: "" }],
            },
          ]
        : [
            {
              type: "PollingWaitCallback",
              output: [
                { name: "waitTime", value: "8000" },
                { name: "message", value: "Waiting for response..." },
              ],
            },
            {
              type: "HiddenValueCallback",
              output: [
                { name: "value", value: "" },
                { name: "id", value: "pushChallengeNumber" },
              ],
              input: [{ name: "IDToken2", value: "" }],
            },
          ];
    const authId = next("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.");
    steps.set(authId, { user, mfa, polls, callbacks });
    sendJson(res, 200, { authId, template: "", stage: mfa === "code" ? "OATH1" : "PUSH1", header: "Sign in", callbacks });
  };

  /** RFC 2047 `=?UTF-8?B?<base64>?=`, decoded; a violation when it is anything else. */
  const decoded = (value: string | string[] | undefined, name: string): string => {
    const m = typeof value === "string" ? /^=\?UTF-8\?B\?([A-Za-z0-9+/]*={0,2})\?=$/i.exec(value) : null;
    check(m !== null, `/authenticate: ${name} must be an RFC 2047 encoded word =?UTF-8?B?…?=`);
    return Buffer.from(m?.[1] ?? "", "base64").toString("utf8");
  };

  const authenticate = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, text: string): void => {
    check(req.method === "POST", `/authenticate wants POST, got ${req.method ?? ""}`);
    check((req.headers["content-type"] ?? "").startsWith("application/json"), "/authenticate: content-type must be application/json");
    check(req.headers["accept-api-version"] === ACCEPT_API_VERSION, `/authenticate: Accept-API-Version must be "${ACCEPT_API_VERSION}"`);
    const openAm = Object.keys(req.headers).filter((h) => h.startsWith("x-openam-"));
    if (text === "") {
      check(
        openAm.includes("x-openam-username") && openAm.includes("x-openam-password"),
        "/authenticate: a first request needs X-OpenAM-Username and X-OpenAM-Password",
      );
      const username = decoded(req.headers["x-openam-username"], "X-OpenAM-Username");
      const password = decoded(req.headers["x-openam-password"], "X-OpenAM-Password");
      const keys = [...url.searchParams.keys()].sort().join(",");
      const service = url.searchParams.get("authIndexValue") ?? undefined;
      check(
        keys === "" ||
          (keys === "authIndexType,authIndexValue" &&
            url.searchParams.get("authIndexType") === "service" &&
            (service === PUSH_SERVICE || service === CODE_SERVICE)),
        `/authenticate: unknown query ${url.search}`,
      );
      signIns++;
      const user = USERS[username];
      if (user === undefined || password !== (user.password ?? GOOD_PASSWORD)) return unauthorized(res);
      if (user.mfa === "none") return service === undefined ? signedIn(res, username) : unauthorized(res);
      const wanted = user.mfa === "code" ? CODE_SERVICE : PUSH_SERVICE;
      if (service !== wanted) return unauthorized(res);
      return ask(res, username, user.mfa, 0);
    }

    check(openAm.length === 0, `/authenticate: a continuation must not carry ${openAm.join(", ")}`);
    const body = jsonObject(text, "/authenticate");
    const extra = Object.keys(body).filter((k) => !["authId", "template", "stage", "header", "description", "callbacks"].includes(k));
    check(extra.length === 0, `/authenticate: unexpected fields ${extra.join(",")}`);
    const authId = typeof body.authId === "string" ? body.authId : "";
    const step = steps.get(authId);
    check(step !== undefined, "/authenticate: authId unknown or already used");
    const s = step as Step;
    steps.delete(authId);
    check(Array.isArray(body.callbacks) && body.callbacks.length === s.callbacks.length, "/authenticate: callbacks differ from the ones issued");
    const sent = body.callbacks as unknown[];
    // Everything but the input values must come back as issued.
    const shape = (cb: unknown): string => {
      const c = cb as { type?: unknown; output?: unknown; input?: { name?: unknown }[] };
      return JSON.stringify([c.type, c.output, Array.isArray(c.input) ? c.input.map((i) => i.name) : c.input]);
    };
    s.callbacks.forEach((cb, i) => check(shape(sent[i]) === shape(cb), `/authenticate: callback ${i} differs from the one issued`));
    const inputValue = (i: number): unknown => (sent[i] as { input?: { value?: unknown }[] }).input?.[0]?.value;

    if (s.mfa === "code") {
      if (USERS[s.user]?.broken === true) {
        return sendJson(res, 500, { code: 500, reason: "Internal Server Error", message: "Unable to verify the one time password" });
      }
      return inputValue(0) === OTP_CODE ? signedIn(res, s.user) : unauthorized(res);
    }
    check(inputValue(1) === "", "/authenticate: the push's hidden value must come back unchanged");
    const spec = USERS[s.user] as UserSpec;
    if (spec.push === "deny") return unauthorized(res);
    if (spec.push === "never" || s.polls < pushPolls) return ask(res, s.user, "push", s.polls + 1);
    return signedIn(res, s.user, true);
  };

  const authorizeEndpoint = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, issuer: string): void => {
    check(req.method === "GET", `${url.pathname} wants GET`);
    const { state, nonce, challenge } = checkAuthorizationRequest(url, url.pathname, { clientId, redirectUri });
    const user = sessionUser(req);
    if (user === undefined) return toLogin(res, url);
    const code = next("code");
    grants.issue(code, { user, clientId, redirectUri, challenge, nonce });
    const back = new URLSearchParams({ code, iss: issuer, state, client_id: clientId });
    res.writeHead(302, { location: `${redirectUri}?${back.toString()}` });
    res.end();
  };

  const tokenEndpoint = (req: http.IncomingMessage, res: http.ServerResponse, text: string, issuer: string): void => {
    const g = grants.redeem(formBody(req, text, "/access_token"), "/access_token");
    const idToken = fakeJwt({
      iss: issuer,
      aud: clientId,
      azp: clientId,
      sub: g.user,
      subname: g.user,
      nonce: g.nonce,
      realm: realmName,
      tokenName: "id_token",
      tokenType: "JWTToken",
    });
    issued.push(idToken);
    sendJson(res, 200, { access_token: next("at"), scope: "openid", id_token: idToken, token_type: "Bearer", expires_in: 3599 });
  };

  const idpssoinit = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    check(req.method === "GET", `${url.pathname} wants GET`);
    const want = `?metaAlias=${realmName}/saml-idp&spEntityID=${spEntityId}`;
    check(url.search === want, `${url.pathname}: the query must be exactly ${want}, got ${url.search}`);
    const user = sessionUser(req);
    if (user === undefined) return toLogin(res, url);
    const saml = samlResponseBase64({
      issuer: `${origin}${deployment}`,
      sessionName: `${user}@example.com`,
      roles: [`${role},${principal}`],
      durationSeconds: 3600,
    });
    issued.push(saml);
    sendHtml(res, 200, samlPostPage(saml));
  };

  const wsFederation = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    check(req.method === "GET" || req.method === "HEAD", `${url.pathname} wants GET`);
    const q = url.searchParams;
    const extra = [...q.keys()].filter((k) => !["wa", "wtrealm", "wreply", "wctx", "wct", "username"].includes(k));
    check(extra.length === 0, `${url.pathname}: unexpected parameters ${extra.join(",")}`);
    check(q.get("wa") === "wsignin1.0", `${url.pathname}: wa must be wsignin1.0`);
    check(q.get("wtrealm") === WS_FED_REALM, `${url.pathname}: wtrealm must be ${WS_FED_REALM}`);
    const wreply = q.get("wreply") ?? "";
    check(/^https?:\/\//.test(wreply), `${url.pathname}: wreply must be an http(s) URL`);
    const user = sessionUser(req);
    if (user === undefined) return toLogin(res, url);
    const wresult =
      `<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust"><t:RequestedSecurityToken>` +
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" MajorVersion="1" MinorVersion="1" ` +
      `AssertionID="${next("_")}" Issuer="${origin}${deployment}">` +
      `<saml:AuthenticationStatement AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:password"><saml:Subject>` +
      `<saml:NameIdentifier>${escapeHtml(user)}</saml:NameIdentifier></saml:Subject></saml:AuthenticationStatement>` +
      `</saml:Assertion></t:RequestedSecurityToken></t:RequestSecurityTokenResponse>`;
    const hidden = (name: string, value: string): string =>
      `<input type="hidden" name="${name}" value="${escapeHtml(value)}"/>`;
    sendHtml(
      res,
      200,
      `<!DOCTYPE html><html><body onload="document.forms[0].submit()">` +
        `<form method="post" action="${escapeHtml(wreply)}">` +
        hidden("wa", "wsignin1.0") +
        hidden("wresult", wresult) +
        hidden("wctx", q.get("wctx") ?? "") +
        `<noscript><input type="submit" value="Continue"/></noscript></form></body></html>`,
    );
  };

  const server = await serveFake({
    name: "ForgeRock",
    violations,
    handle: (req, res, url, text) => {
      const path = url.pathname;
      requests.push(`${req.method ?? ""} ${path}${path.endsWith("/authenticate") ? url.search : ""}`);
      // How AM is recognised (idp.md §2.1): its CORS filter names the headers of its REST API.
      res.setHeader("access-control-allow-headers", ALLOW_HEADERS);
      check(path.startsWith(`${deployment}/`), `no such endpoint: ${req.method ?? ""} ${path}`);
      const rest = path.slice(deployment.length);
      const api = /^\/(json|oauth2)((?:\/realms\/[^/]+)+)(\/authenticate|\/authorize|\/access_token)?$/.exec(rest);
      if (api !== null) {
        check(sameRealm(api[2] ?? ""), `${path}: no such realm`);
        const [, kind, realm, endpoint] = api;
        const issuer = `${origin}${deployment}/oauth2${realmPath}`;
        if (kind === "json" && endpoint === "/authenticate" && req.method === "POST") return authenticate(req, res, url, text);
        if (kind === "oauth2" && endpoint === "/authorize") return authorizeEndpoint(req, res, url, issuer);
        if (kind === "oauth2" && endpoint === "/access_token") return tokenEndpoint(req, res, text, issuer);
        // The configured URLs themselves, as a provider probe sees them.
        const configured = (kind === "oauth2" && endpoint === undefined) || (kind === "json" && endpoint === "/authenticate");
        if (configured && (req.method === "HEAD" || req.method === "GET") && realm !== undefined) {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(req.method === "GET" ? "{}" : undefined);
          return;
        }
        throw new Violation(`no such endpoint: ${req.method ?? ""} ${path}`);
      }
      if (rest === "/idpssoinit") return idpssoinit(req, res, url);
      if (rest === `/WSFederationServlet/metaAlias${realmName}/wsfed-idp`) return wsFederation(req, res, url);
      if (rest === "/XUI/" && (req.method === "GET" || req.method === "HEAD")) {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<!DOCTYPE html><html><head><title>ForgeRock Access Management</title></head><body><div id="login-base"></div></body></html>`);
        return;
      }
      throw new Violation(`no such endpoint: ${req.method ?? ""} ${path}`);
    },
  });
  origin = server.origin;

  return {
    origin,
    samlUrl: `${origin}${deployment}/json${realmPath}/authenticate`,
    oidcUrl: `${origin}${deployment}/oauth2${realmPath}`,
    clientId,
    redirectUri,
    role,
    principal,
    realmName,
    signIns: () => signIns,
    requests,
    violations,
    issued,
    federationUrl: (wreply) =>
      `${origin}${deployment}/WSFederationServlet/metaAlias${realmName}/wsfed-idp?` +
      new URLSearchParams({ wa: "wsignin1.0", wtrealm: WS_FED_REALM, wreply }).toString(),
    close: server.close,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
