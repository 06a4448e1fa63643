/**
 * A fake OneLogin for tests (idp.md §5.6): real HTTP on 127.0.0.1:0 speaking the API the client uses — the API
 * access token, the v1 login with its MFA callback, the v2 MFA devices, the v2 SAML assertion with its
 * verify_factor, the session exchange and the OIDC authorize/token endpoints. It checks every request and answers
 * anything unexpected with HTTP 400 and the reason, which also goes into `violations` (tests assert it stays empty).
 * Push approval is decided by the poll count, never by the clock. SAML answers are real XML SAMLResponses that moto's
 * AssumeRoleWithSAML accepts.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The only password every user has. */
export const GOOD_PASSWORD = "goodPassword";
/** The only code the code factors accept. */
export const GOOD_CODE = "54321";

/** One enrolled MFA factor of a user. */
interface Factor {
  deviceId: string;
  name: string;
  display: string;
  isDefault: boolean;
}

const AUTHENTICATOR: Factor = { deviceId: "555", name: "Google Authenticator", display: "Google Authenticator", isDefault: true };
const PROTECT: Factor = { deviceId: "666", name: "OneLogin", display: "OneLogin Protect", isDefault: true };
const SMS: Factor = { deviceId: "777", name: "SMS", display: "SMS +1 555 0100", isDefault: true };

/**
 * The users (the SAML endpoint also knows them with a `saml` prefix: `samlcodemfa` is `codemfa`). Anyone else signs
 * in to SAML without MFA; the v1 login knows only these.
 */
const USERS: Record<string, { id: number; factors: Factor[]; denies?: boolean }> = {
  nomfa: { id: 100, factors: [] },
  badtoken: { id: 101, factors: [] },
  codemfa: { id: 123, factors: [AUTHENTICATOR] },
  pushmfa: { id: 321, factors: [PROTECT] },
  pushdeny: { id: 322, factors: [PROTECT], denies: true },
  smsmfa: { id: 444, factors: [SMS] },
  multimfa: {
    id: 456,
    factors: [{ ...AUTHENTICATOR, isDefault: false }, { ...SMS, isDefault: false }, PROTECT],
  },
  nodefault: { id: 457, factors: [{ ...SMS, isDefault: false }, { ...AUTHENTICATOR, isDefault: false }] },
  nofactors: { id: 458, factors: [] },
};

/** What a test can configure. */
export interface OneLoginFakeOptions {
  /** API client credentials (default: the seed document's `client_id` / `client_secret`). */
  apiClientId?: string;
  apiClientSecret?: string;
  /** The OIDC client and its registered redirect URI (default: the seed's `myClientId`, `app:/callback`). */
  oidcClientId?: string;
  redirectUri?: string;
  /** The SAML app id (default `12345`). */
  appId?: string;
  /** A push is approved on this poll after the one that sent it (default 2). */
  pushApprovedAfter?: number;
  /** Role attribute values of the SAMLResponse, `<role>,<provider>` (moto takes exactly one). */
  roles?: string[];
}

/** A running fake. */
export interface OneLoginFake {
  /** `http://127.0.0.1:<port>`: the tenant host and the API base at once. */
  readonly url: string;
  /** base64("<api client id>:<api client secret>"), the value of the `token` query parameter. */
  readonly token: string;
  /** The OIDC URL: `<url>/oidc/2?token=<token>`. */
  readonly oidcUrl: string;
  /** The SAML URL: `<url>/trust/saml2/launch/98765?app_id=<app id>&token=<token>`. */
  readonly samlUrl: string;
  readonly oidcClientId: string;
  readonly appId: string;
  /** `METHOD /path` of every request received, in order. */
  readonly requests: string[];
  /** Every protocol violation seen: a correct client leaves it empty. */
  readonly violations: string[];
  /** The `do_not_notify` and `otp_token` of every MFA verification, in order. */
  readonly verifications: { path: string; deviceId: unknown; doNotNotify: unknown; otp?: unknown }[];
  /** Password sign-ins received (v1 login and v2 SAML assertion requests). */
  signIns(): number;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** Starts the fake on a free loopback port. */
export async function startOneLoginFake(o: OneLoginFakeOptions = {}): Promise<OneLoginFake> {
  const apiClientId = o.apiClientId ?? "client_id";
  const apiClientSecret = o.apiClientSecret ?? "client_secret";
  const oidcClientId = o.oidcClientId ?? "myClientId";
  const redirectUri = o.redirectUri ?? "app:/callback";
  const appId = o.appId ?? "12345";
  const pushApprovedAfter = o.pushApprovedAfter ?? 2;
  const roles = o.roles ?? ["arn:aws:iam::123456789012:role/OneLoginRole,arn:aws:iam::123456789012:saml-provider/OneLogin"];

  const accessToken = randomBytes(12).toString("hex");
  const requests: string[] = [];
  const violations: string[] = [];
  const verifications: OneLoginFake["verifications"] = [];
  let signIns = 0;
  /** state token → the MFA transaction it opened. */
  const transactions = new Map<string, { user: string; flow: "v1" | "v2"; notified: Set<string>; polls: number }>();
  const sessionTokens = new Map<string, string>();
  const browserSessions = new Map<string, string>();
  const codes = new Map<string, { user: string; challenge: string; nonce: string; redirectUri: string }>();
  let host = "";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const path = url.pathname;
    requests.push(`${method} ${path}`);
    const raw = await readBody(req);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const type = typeof body === "string" ? "text/html" : "application/json";
      res.writeHead(status, { "content-type": type, ...headers });
      res.end(text);
    };
    const violation = (why: string): void => {
      violations.push(`${method} ${path}: ${why}`);
      send(400, { statusCode: 400, name: "BadRequest", message: `fake OneLogin: ${why}` });
    };
    /** The JSON body of an API POST after the common checks, or undefined when a violation was answered. */
    const apiPost = (): Json | undefined => {
      if (method !== "POST") return void violation(`expected POST, got ${method}`);
      if (req.headers.authorization !== `bearer ${accessToken}`) return void violation("missing or wrong API access token");
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return void violation("Content-Type must be application/json");
      if (req.headers.accept !== "application/json") return void violation("Accept must be application/json");
      const body = parseJson(raw);
      if (body === undefined) return void violation("the body is not a JSON object");
      return body;
    };
    const exactKeys = (body: Json, keys: string[]): boolean => {
      const got = Object.keys(body).sort();
      if (JSON.stringify(got) === JSON.stringify([...keys].sort())) return true;
      violation(`expected the fields ${keys.join(", ")}, got ${got.join(", ")}`);
      return false;
    };

    if (path === "/auth/oauth2/v2/token") {
      if (method !== "POST") return violation(`expected POST, got ${method}`);
      const body = parseJson(raw);
      if (body === undefined || !exactKeys(body, ["grant_type"])) return body === undefined ? violation("the body is not JSON") : undefined;
      if (body.grant_type !== "client_credentials") return violation("grant_type must be client_credentials");
      const basic = Buffer.from(`${apiClientId}:${apiClientSecret}`).toString("base64");
      if (req.headers.authorization !== `Basic ${basic}`) {
        return send(401, { status: { error: true, code: 401, type: "Unauthorized", message: "Authentication Failure" } });
      }
      return send(200, { access_token: accessToken, account_id: 12345, created_at: new Date().toISOString(), expires_in: 36000, token_type: "bearer" });
    }

    if (path === "/api/1/login/auth") {
      const body = apiPost();
      if (body === undefined || !exactKeys(body, ["password", "subdomain", "username_or_email"])) return;
      if (body.subdomain !== host) return violation(`subdomain must be ${host}, got ${String(body.subdomain)}`);
      signIns++;
      const name = String(body.username_or_email);
      const user = USERS[name];
      if (body.password !== GOOD_PASSWORD || user === undefined) {
        return send(401, { status: { error: true, code: 401, type: "Unauthorized", message: "Authentication Failed: Invalid user credentials" } });
      }
      if (user.factors.length === 0 && name !== "nofactors") {
        const token = name === "badtoken" ? "" : randomBytes(12).toString("hex");
        if (token !== "") sessionTokens.set(token, name);
        return send(200, { status: { error: false, code: 200, type: "success", message: "Success" }, data: [{ status: "Authenticated", session_token: token, user: { id: user.id, username: name } }] });
      }
      const stateToken = randomBytes(12).toString("hex");
      transactions.set(stateToken, { user: name, flow: "v1", notified: new Set(), polls: 0 });
      return send(200, {
        status: { error: false, code: 200, type: "success", message: "MFA is required for this user" },
        data: [{
          status: "MFA_REQUIRED",
          state_token: stateToken,
          callback_url: `https://api.us.onelogin.com/verify_mfa_local?flow=v1`,
          devices: challengeDevices(user.factors),
          user: { id: user.id, username: name, email: `${name}@example.com`, firstname: name, lastname: "Test" },
        }],
      });
    }

    const devices = /^\/api\/2\/mfa\/users\/(\d+)\/devices$/.exec(path);
    if (devices !== null) {
      if (method !== "GET") return violation(`expected GET, got ${method}`);
      if (req.headers.authorization !== `bearer ${accessToken}`) return violation("missing or wrong API access token");
      const user = Object.values(USERS).find((u) => String(u.id) === devices[1]);
      if (user === undefined) return send(404, { statusCode: 404, name: "NotFound", message: "User not found" });
      return send(200, user.factors.map((f) => ({ device_id: f.deviceId, auth_factor_name: f.name, type_display_name: f.name, user_display_name: f.display, default: f.isDefault })));
    }

    if (path === "/api/2/saml_assertion") {
      const body = apiPost();
      if (body === undefined || !exactKeys(body, ["app_id", "password", "subdomain", "username_or_email"])) return;
      if (body.app_id !== appId) return violation(`app_id must be ${appId}`);
      if (body.subdomain !== host) return violation(`subdomain must be ${host}, got ${String(body.subdomain)}`);
      signIns++;
      if (body.password !== GOOD_PASSWORD) return send(401, { statusCode: 401, name: "Unauthorized", message: "Authentication Failed: Invalid user credentials" });
      const name = String(body.username_or_email);
      const key = name.startsWith("saml") ? name.slice(4) : "";
      const user = USERS[key];
      if (user === undefined || (user.factors.length === 0 && key !== "nofactors")) {
        return send(200, { data: samlResponse(roles, name), message: "Success" });
      }
      const stateToken = randomBytes(12).toString("hex");
      transactions.set(stateToken, { user: key, flow: "v2", notified: new Set(), polls: 0 });
      return send(200, {
        message: "MFA is required for this user",
        state_token: stateToken,
        callback_url: "https://api.us.onelogin.com/api/2/saml_assertion/verify_factor",
        devices: challengeDevices(user.factors),
        user: { id: user.id, username: name },
      });
    }

    if (path === "/verify_mfa_local" || path === "/api/2/saml_assertion/verify_factor") {
      const v2 = path !== "/verify_mfa_local";
      if (!v2 && url.search !== "?flow=v1") return violation("the query of the callback_url was lost");
      const body = apiPost();
      if (body === undefined) return;
      const allowed = new Set(["app_id", "device_id", "do_not_notify", "otp_token", "state_token"]);
      const extra = Object.keys(body).filter((k) => !allowed.has(k));
      if (extra.length > 0) return violation(`unexpected fields ${extra.join(", ")}`);
      if (v2 ? body.app_id !== appId : "app_id" in body) return violation(v2 ? `app_id must be ${appId}` : "app_id belongs to the SAML flow only");
      const t = transactions.get(String(body.state_token));
      if (t === undefined || t.flow !== (v2 ? "v2" : "v1")) return violation("unknown state_token");
      const user = USERS[t.user];
      const factor = user?.factors.find((f) => f.deviceId === body.device_id);
      if (user === undefined || factor === undefined) return violation(`device_id ${JSON.stringify(body.device_id)} is not a device of this user (a string id is expected)`);
      if (typeof body.do_not_notify !== "boolean") return violation("do_not_notify must be a boolean");
      verifications.push({ path, deviceId: body.device_id, doNotNotify: body.do_not_notify, ...("otp_token" in body ? { otp: body.otp_token } : {}) });
      const fail = (message: string): void =>
        send(401, v2 ? { statusCode: 401, name: "Unauthorized", message } : { status: { error: true, code: 401, type: "Unauthorized", message } });
      const pending = (): void =>
        send(200, v2 ? { message: "Authentication pending on OL Protect", data: null } : { status: { error: false, code: 200, type: "pending", message: "Authentication pending on OL Protect" } });
      const success = (): void => {
        transactions.delete(String(body.state_token));
        if (v2) return send(200, { message: "Success", data: samlResponse(roles, t.user) });
        const token = randomBytes(12).toString("hex");
        sessionTokens.set(token, t.user);
        send(200, { status: { error: false, code: 200, type: "success", message: "Success" }, data: [{ session_token: token }] });
      };

      const isPush = factor.name === "OneLogin" && !("otp_token" in body);
      if (isPush) {
        if (!t.notified.has(factor.deviceId)) {
          if (body.do_not_notify !== false) return violation("the first push request must send the push (do_not_notify false)");
          t.notified.add(factor.deviceId);
          return pending();
        }
        if (body.do_not_notify !== true) return violation("a poll must not send the push again (do_not_notify true)");
        t.polls++;
        if (user.denies === true) return fail("Authentication denied by the user");
        return t.polls >= pushApprovedAfter ? success() : pending();
      }
      if (factor.name === "SMS") {
        if (body.do_not_notify !== false) return violation("SMS codes must be sent: do_not_notify must be false");
        if (!("otp_token" in body)) {
          t.notified.add(factor.deviceId);
          return pending();
        }
        if (!t.notified.has(factor.deviceId)) return violation("an SMS code was checked before one was sent");
      }
      if (typeof body.otp_token !== "string" || body.otp_token === "") return violation("otp_token must be a non-empty string");
      return body.otp_token === GOOD_CODE ? success() : fail("Failed authentication with this factor");
    }

    if (path === "/session_via_api_token") {
      if (method !== "POST") return violation(`expected POST, got ${method}`);
      if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) return violation("expected a form");
      const token = new URLSearchParams(raw).get("session_token") ?? "";
      const user = sessionTokens.get(token);
      if (user === undefined) return send(400, "<html><body>Bad Request</body></html>");
      sessionTokens.delete(token);
      const sid = randomBytes(12).toString("hex");
      browserSessions.set(sid, user);
      res.writeHead(302, { location: "/portal", "set-cookie": `sub_session_onelogin.com=${sid}; Path=/; HttpOnly` });
      return void res.end();
    }

    if (path === "/portal" || path === "/login") {
      if (method !== "GET") return violation(`expected GET, got ${method}`);
      return send(200, `<html><body>${path === "/portal" ? "Your apps" : "<form>Sign in</form>"}</body></html>`);
    }

    if (path === "/oidc/2/auth") {
      if (method !== "GET") return violation(`expected GET, got ${method}`);
      const q = url.searchParams;
      if (q.get("client_id") !== oidcClientId) return violation(`client_id must be ${oidcClientId}`);
      if (q.get("redirect_uri") !== redirectUri) return violation(`redirect_uri must be ${redirectUri}`);
      if (q.get("response_type") !== "code") return violation("response_type must be code");
      if (q.get("code_challenge_method") !== "S256" || (q.get("code_challenge") ?? "") === "") return violation("PKCE S256 is required");
      if (!(q.get("scope") ?? "").split(" ").includes("openid")) return violation("scope must include openid");
      if ((q.get("state") ?? "") === "" || (q.get("nonce") ?? "") === "") return violation("state and nonce are required");
      if (q.has("token")) return violation("the API token leaked into the authorize request");
      const sid = /(?:^|;\s*)sub_session_onelogin\.com=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
      const user = sid === undefined ? undefined : browserSessions.get(sid);
      if (user === undefined) {
        res.writeHead(302, { location: "/login" });
        return void res.end();
      }
      const code = randomBytes(12).toString("hex");
      codes.set(code, { user, challenge: q.get("code_challenge") ?? "", nonce: q.get("nonce") ?? "", redirectUri });
      const back = `${redirectUri}?code=${code}&state=${encodeURIComponent(q.get("state") ?? "")}`;
      res.writeHead(302, { location: back });
      return void res.end();
    }

    if (path === "/oidc/2/token") {
      if (method !== "POST") return violation(`expected POST, got ${method}`);
      const form = new URLSearchParams(raw);
      if (form.get("grant_type") !== "authorization_code") return violation("grant_type must be authorization_code");
      if (form.get("client_id") !== oidcClientId) return violation(`client_id must be ${oidcClientId}`);
      const grant = codes.get(form.get("code") ?? "");
      if (grant === undefined) return violation("unknown or reused code");
      codes.delete(form.get("code") ?? "");
      if (form.get("redirect_uri") !== grant.redirectUri) return violation("redirect_uri differs from the authorize request");
      const verifier = form.get("code_verifier") ?? "";
      if (createHash("sha256").update(verifier).digest("base64url") !== grant.challenge) return violation("code_verifier does not match the challenge");
      const now = Math.floor(Date.now() / 1000);
      const idToken = jwt({ iss: `http://${req.headers.host ?? host}/oidc/2`, sub: grant.user, aud: oidcClientId, iat: now, exp: now + 3600, nonce: grant.nonce, email: `${grant.user}@example.com` });
      return send(200, { access_token: randomBytes(12).toString("hex"), id_token: idToken, token_type: "Bearer", expires_in: 3600 });
    }

    if (path.startsWith("/trust/saml2/launch/")) return violation("the client must use the API, not the launch page");
    if (method !== "HEAD") violations.push(`${method} ${path}: unexpected request`);
    res.writeHead(404, { "set-cookie": "sub_session_onelogin.com=abc123; Path=/" });
    res.end();
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      violations.push(`${req.method ?? ""} ${req.url ?? ""}: fake crashed: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  host = "127.0.0.1";
  const base = `http://127.0.0.1:${port}`;
  const token = Buffer.from(`${apiClientId}:${apiClientSecret}`).toString("base64");
  return {
    url: base,
    token,
    oidcUrl: `${base}/oidc/2?token=${token}`,
    samlUrl: `${base}/trust/saml2/launch/98765?app_id=${appId}&token=${token}`,
    oidcClientId,
    appId,
    requests,
    violations,
    verifications,
    signIns: () => signIns,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The devices of an MFA challenge; `nofactors` gets a removed device, which the devices endpoint no longer lists. */
function challengeDevices(factors: Factor[]): { device_type: string; device_id: number }[] {
  const list = factors.length === 0 ? [{ ...AUTHENTICATOR, deviceId: "1", display: "Removed phone" }] : factors;
  return list.map((f) => ({ device_type: f.display, device_id: Number(f.deviceId) }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** An HS256 JWT with a throw-away key: moto does not check signatures, aws-runas reads only the claims. */
function jwt(claims: Json): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");
  const head = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${head}.${createHmac("sha256", "fake-onelogin").update(head).digest("base64url")}`;
}

/**
 * A SAMLResponse as OneLogin's API returns it (base64 XML). Each AttributeValue carries xsi:type, which moto's
 * parser needs to read the value; moto takes exactly one Role value.
 */
function samlResponse(roles: string[], user: string): string {
  const now = new Date();
  const later = new Date(now.getTime() + 5 * 60_000);
  const value = (v: string): string => `<saml:AttributeValue xsi:type="xs:string">${v}</saml:AttributeValue>`;
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
    `ID="R${randomBytes(8).toString("hex")}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="https://signin.aws.amazon.com/saml">` +
    `<saml:Issuer>https://app.onelogin.com/saml/metadata/fake</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `ID="A${randomBytes(8).toString("hex")}" Version="2.0" IssueInstant="${now.toISOString()}">` +
    `<saml:Issuer>https://app.onelogin.com/saml/metadata/fake</saml:Issuer>` +
    `<saml:Subject><saml:NameID>${user}@example.com</saml:NameID></saml:Subject>` +
    `<saml:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${later.toISOString()}">` +
    `<saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AttributeStatement>` +
    `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">${roles.map(value).join("")}</saml:Attribute>` +
    `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName">${value(`${user}@example.com`)}</saml:Attribute>` +
    `</saml:AttributeStatement></saml:Assertion></samlp:Response>`;
  return Buffer.from(xml).toString("base64");
}
