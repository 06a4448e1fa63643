/**
 * A real SAML identity provider for tests (design/stack.md §C.5): samlp 8 behind express on 127.0.0.1:0, with a
 * login form, a session cookie, and SAMLResponses signed rsa-sha256 with a key and certificate made at start.
 * `signedResponse` walks the pages as a browser does and returns what the auto-POST form would send to AWS.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import express from "express";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";

/** Where the IdP posts the SAMLResponse unless an AuthnRequest names its own AssertionConsumerServiceURL. */
export const AWS_SIGNIN_URL = "https://signin.aws.amazon.com/saml";

const ROLE = "https://aws.amazon.com/SAML/Attributes/Role";
const ROLE_SESSION_NAME = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
const SESSION_DURATION = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
const SESSION_COOKIE = "idp_session";

/** A running IdP. */
export interface SamlIdp {
  /** The IdP-initiated sign-in URL of the AWS application: what a profile's saml_auth_url names. */
  readonly url: string;
  /** The login form that `url` redirects to when there is no session. */
  readonly loginUrl: string;
  /** Signs in from scratch (no cookies) and returns the base64 SAMLResponse the IdP hands the browser. */
  signedResponse(): Promise<string>;
  close(): Promise<void>;
}

/** The few parts of samlp's (untyped) API used here. */
interface SamlpProfile {
  getNameIdentifier(): { nameIdentifier: string };
  getClaims(): Record<string, string | string[]>;
}
interface SamlpModule {
  auth(options: {
    issuer: string;
    cert: string;
    key: string;
    audience: string;
    recipient: string;
    signatureAlgorithm: "rsa-sha256";
    digestAlgorithm: "sha256";
    getUserFromRequest(req: ExpressRequest): { id: string } | undefined;
    getPostURL(
      audience: string,
      samlRequest: { documentElement?: { getAttribute(name: string): string | null } } | undefined,
      req: ExpressRequest,
      callback: (err: Error | null, url: string) => void,
    ): void;
    profileMapper(user: { id: string }): SamlpProfile;
  }): (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => void;
}

/**
 * Starts the IdP. `roles` are the Role attribute values exactly as sent (`"<role arn>,<provider arn>"`, either
 * order, one AttributeValue each); `sessionName` is the RoleSessionName attribute and `sessionDuration` (seconds)
 * the optional SessionDuration attribute. Any non-empty user name and password signs in.
 */
export async function startSamlIdp(o: { roles: string[]; sessionName: string; sessionDuration?: number }): Promise<SamlIdp> {
  // The package ships no type declarations: import it through a plain string and describe what is used above.
  const specifier = "samlp";
  const { default: samlp } = (await import(specifier)) as { default: SamlpModule };
  const { key, cert } = await selfSignedCertificate();
  const sessions = new Map<string, string>();

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const user = (req: ExpressRequest): { id: string } | undefined => {
    const sid = /(?:^|;\s*)idp_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const id = sid === undefined ? undefined : sessions.get(sid);
    return id === undefined ? undefined : { id };
  };

  app.get("/login", (req, res) => {
    const next = typeof req.query.next === "string" ? req.query.next : "/saml/aws";
    res.type("html").send(
      `<html><body><form method="post" action="/login">` +
        `<input type="text" name="username"><input type="password" name="password">` +
        `<input type="hidden" name="next" value="${escapeHtml(next)}"><input type="submit" value="Sign in">` +
        `</form></body></html>`,
    );
  });
  app.post("/login", (req, res) => {
    const body = req.body as Record<string, unknown>;
    const { username, password, next } = body;
    if (typeof username !== "string" || username === "" || typeof password !== "string" || password === "") {
      res.status(401).type("html").send("<html><body>Invalid credentials</body></html>");
      return;
    }
    const sid = randomBytes(16).toString("hex");
    sessions.set(sid, username);
    res.cookie(SESSION_COOKIE, sid, { httpOnly: true, path: "/" });
    res.redirect(302, typeof next === "string" && next.startsWith("/") ? next : "/saml/aws");
  });
  app.get(
    "/saml/aws",
    (req, res, next) => {
      if (user(req) !== undefined) return next();
      res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    },
    samlp.auth({
      issuer: "urn:test:idp",
      cert,
      key,
      audience: "urn:amazon:webservices",
      recipient: AWS_SIGNIN_URL,
      signatureAlgorithm: "rsa-sha256",
      digestAlgorithm: "sha256",
      getUserFromRequest: user,
      // An SP-initiated request (e.g. a local ACS listener) gets the response where it asked for it.
      getPostURL: (_audience, samlRequest, _req, callback) =>
        callback(null, samlRequest?.documentElement?.getAttribute("AssertionConsumerServiceURL") || AWS_SIGNIN_URL),
      profileMapper: (u) => ({
        getNameIdentifier: () => ({ nameIdentifier: u.id }),
        getClaims: () => ({
          [ROLE]: o.roles,
          [ROLE_SESSION_NAME]: o.sessionName,
          ...(o.sessionDuration === undefined ? {} : { [SESSION_DURATION]: String(o.sessionDuration) }),
        }),
      }),
    }),
  );

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${base}/saml/aws`;

  return {
    url,
    loginUrl: `${base}/login`,
    signedResponse: () => signIn(url, o.sessionName),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET the application, follow to the login form, POST it, follow back, read the auto-POST form's SAMLResponse. */
async function signIn(url: string, username: string): Promise<string> {
  const toLogin = await fetch(url, { redirect: "manual" });
  const loginUrl = new URL(expectRedirect(toLogin, "the application"), url);
  const form = await fetch(loginUrl);
  const html = await form.text();
  const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? "", loginUrl);
  const next = /name="next" value="([^"]*)"/.exec(html)?.[1] ?? "";
  const posted = await fetch(action, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ username, password: "correct horse", next: unescapeHtml(next) }),
  });
  const cookie = (posted.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const back = new URL(expectRedirect(posted, "the login form"), action);
  const page = await fetch(back, { headers: { cookie }, redirect: "manual" });
  const text = await page.text();
  const value = /name="SAMLResponse"\s+value="([^"]+)"/.exec(text)?.[1];
  if (page.status !== 200 || value === undefined) {
    throw new Error(`the IdP did not return a SAMLResponse form (HTTP ${page.status}): ${text.slice(0, 300)}`);
  }
  return value;
}

function expectRedirect(r: Response, what: string): string {
  const location = r.headers.get("location");
  if (r.status !== 302 || location === null) throw new Error(`expected a redirect from ${what}, got HTTP ${r.status}`);
  return location;
}

/** A 2048-bit RSA key and a self-signed certificate, valid one day, made with openssl in a directory then removed. */
async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "runas-samlidp-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    await promisify(execFile)("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=test", "-days", "1",
      "-keyout", keyFile, "-out", certFile,
    ]);
    return { key: await readFile(keyFile, "utf8"), cert: await readFile(certFile, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
