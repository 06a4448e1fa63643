/**
 * The management API of `serve ec2` / `serve ecs` (core.md §9.4–§9.6): list the profiles, show and switch the active
 * one, hand over a username and password or an MFA code when a sign-in needs them, refresh, and use or save an ad-hoc
 * profile from the Advanced form. Every state-changing request must come from this server's own page
 * (managementApiGuard.ts); reads reveal profile names only and stay open.
 */
import type { ServerResponse } from "node:http";
import { isRunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";
import type { AuthenticationRequired, ProfileSessions, ProfileSummary, RouteGroup, RouteRequest } from "./contracts.js";
import { isAuthenticationRequired, oneLine } from "./httpReply.js";
import { parseCustomForm, parseLogin, parseMfa, parseProfileName, parseSaveName, type Parsed } from "./managementApiForm.js";
import { sameOriginGuard } from "./managementApiGuard.js";
import { isProfileNotSet, ProfileNotSet } from "./profileNotSet.js";
import { API_CSP, browserHeaders } from "./ui/browserHeaders.js";

/** Error codes of a sign-in the person can retry with other input: wrong password, wrong or stale MFA code. */
const SIGN_IN_REFUSED = new Set(["MFA_INVALID", "MFA_REQUIRED", "CREDENTIALS_INVALID", "IDP_AUTH", "IDP_MFA"]);

type Handler = (r: RouteRequest) => Promise<void>;

/** The routes, each with the methods it answers; any other method gets 405. */
interface Route {
  methods: readonly string[];
  handler: Handler;
}

/**
 * The management API as a route group. `csrfToken` is the per-server token the UI page carries; `logger` gets one
 * ERROR line per failed request (never a password or code) and DEBUG lines for profile switches.
 */
export function createManagementRoutes(o: { sessions: ProfileSessions; csrfToken: string; logger: Logger }): RouteGroup {
  const { sessions, logger } = o;
  const refusal = sameOriginGuard(o.csrfToken);

  /** Answers a failure of `sessions`: 401 for a sign-in that needs the person, else `status` with the error's line. */
  const failed = (r: RouteRequest, e: unknown, status: number, prefix = ""): void => {
    if (isAuthenticationRequired(e)) {
      logger.debug(`${r.method} ${r.path}: ${e.kind === "MFA" ? "an MFA code" : "a username and password"} asked from the browser`);
      return authenticationRequired(r.res, e);
    }
    const message = `${prefix}${oneLine(e)}`;
    logger.error(`${r.method} ${r.path}: ${message}`);
    const code = isProfileNotSet(e) ? "ProfileNotSet" : isRunasError(e) ? e.code : "InternalError";
    sendJson(r.res, status, { code, message });
  };

  /** /auth and /mfa: a refused sign-in is 401 (the dialog asks again); anything else (STS down…) is 500. */
  const signInFailed = (r: RouteRequest, e: unknown): void =>
    failed(r, e, isRunasError(e) && SIGN_IN_REFUSED.has(e.code) ? 401 : 500);

  const withParsed = <T>(r: RouteRequest, parsed: Parsed<T>, use: (value: T) => Promise<void>): Promise<void> => {
    if (!parsed.ok) {
      sendJson(r.res, 400, { code: "BadRequest", message: parsed.error });
      return Promise.resolve();
    }
    return use(parsed.value);
  };

  const noActiveProfile = (r: RouteRequest): boolean => {
    if (sessions.activeName() !== undefined) return false;
    profileNotSet(r);
    return true;
  };

  const list = (names: () => string[]): Handler => async (r) => {
    try {
      sendJson(r.res, 200, [...names()].sort());
    } catch (e) {
      failed(r, e, 500);
    }
  };

  // A Map, not an object literal: a path such as /constructor must not find Object.prototype's members.
  const routes = new Map<string, Route>(Object.entries({
    "/list-roles": { methods: ["GET", "HEAD"], handler: list(() => sessions.listRoles()) },
    "/list-profiles": { methods: ["GET", "HEAD"], handler: list(() => sessions.listProfiles()) },
    "/profile": {
      methods: ["GET", "HEAD", "POST"],
      handler: async (r) => {
        if (r.method !== "POST") {
          const summary = sessions.summary();
          if (summary === undefined) return profileNotSet(r);
          nameHeader(r.res, sessions.activeName() ?? "");
          return sendJson(r.res, 200, summaryJson(summary));
        }
        await withParsed(r, parseProfileName(r.body), async (name) => {
          try {
            const summary = await sessions.activate(name);
            logger.debug(`updated profile to ${name}`);
            nameHeader(r.res, name);
            sendJson(r.res, 200, summaryJson(summary));
          } catch (e) {
            failed(r, e, 500);
          }
        });
      },
    },
    "/auth": {
      methods: ["POST"],
      handler: (r) =>
        withParsed(r, parseLogin(r.body), async ({ username, password }) => {
          if (noActiveProfile(r)) return;
          try {
            await sessions.supplyLogin(username, password);
            sendText(r.res, 200, "");
          } catch (e) {
            signInFailed(r, e);
          }
        }),
    },
    "/mfa": {
      methods: ["POST"],
      handler: (r) =>
        withParsed(r, parseMfa(r.body), async (code) => {
          if (noActiveProfile(r)) return;
          try {
            await sessions.supplyMfa(code);
            sendText(r.res, 200, "");
          } catch (e) {
            signInFailed(r, e);
          }
        }),
    },
    "/refresh": {
      methods: ["POST"],
      handler: async (r) => {
        if (noActiveProfile(r)) return;
        try {
          await sessions.refresh();
          sendText(r.res, 200, "success");
        } catch (e) {
          failed(r, e, 500);
        }
      },
    },
    "/profile/custom": {
      methods: ["POST", "PUT"],
      handler: (r) =>
        withParsed(r, parseCustomForm(r.body), async (form) => {
          if (r.method === "POST") {
            try {
              await sessions.useCustom(form);
              logger.debug("updated profile to the custom configuration");
              sendText(r.res, 200, "");
            } catch (e) {
              // A configuration the form describes wrongly is the sender's to fix (core.md §9.5).
              if (isRunasError(e)) failed(r, e, 400, "Invalid Configuration: ");
              else failed(r, e, 500);
            }
            return;
          }
          await withParsed(r, parseSaveName(r.body), async (name) => {
            try {
              await sessions.saveCustom(name, form);
              logger.info(`saved the custom configuration as profile '${name}'`);
              sendText(r.res, 200, "");
            } catch (e) {
              failed(r, e, 500);
            }
          });
        }),
    },
  }));

  return {
    async handle(r) {
      const route = routes.get(r.path);
      if (route === undefined) return false;
      if (!route.methods.includes(r.method)) {
        r.res.setHeader("Allow", route.methods.join(", "));
        sendJson(r.res, 405, { code: "MethodNotAllowed", message: `${r.path} answers ${route.methods.join(", ")} only` });
        return true;
      }
      if (r.method === "POST" || r.method === "PUT") {
        const why = refusal(r.req);
        if (why !== undefined) {
          logger.warn(`${r.method} ${r.path} refused: ${why}`);
          sendJson(r.res, 403, { code: "Forbidden", message: why });
          return true;
        }
      }
      await route.handler(r);
      return true;
    },
  };
}

/**
 * 500 before a profile is chosen, worded as the credential routes word it (upstream dropped the connection, QUIRK
 * The page's address is the Host the request named, which the server's Host guard has already checked.
 */
function profileNotSet(r: RouteRequest): void {
  const e = new ProfileNotSet(`http://${r.req.headers.host ?? "127.0.0.1"}/`);
  sendJson(r.res, 500, { code: "ProfileNotSet", message: e.message });
}

/** core.md §9.6: the header tells the page which dialog to open; the AUTH body prefills the username. */
function authenticationRequired(res: ServerResponse, e: AuthenticationRequired): void {
  res.setHeader("X-AwsRunas-Authentication-Type", e.kind);
  sendJson(res, 401, e.kind === "MFA" ? {} : { username: e.username });
}

/**
 * The active profile's name beside GET and POST /profile's JSON, whose keys stay exactly upstream's: the page shows
 * which role is active when it opens (an initial profile given on the command line). URI-encoded: a header is ASCII.
 */
function nameHeader(res: ServerResponse, name: string): void {
  res.setHeader("X-AwsRunas-Profile", encodeURIComponent(name));
}

/** GET /profile's JSON: keys sorted, `source_profile` only when there is one (core.md §9.5). */
function summaryJson(s: ProfileSummary): Record<string, string> {
  const out: Record<string, string> = {
    auth_url: s.auth_url,
    client_id: s.client_id,
    external_id: s.external_id,
    jump_role: s.jump_role,
    redirect_uri: s.redirect_uri,
    role_arn: s.role_arn,
  };
  if (s.source_profile !== undefined && s.source_profile !== "") out.source_profile = s.source_profile;
  out.username = s.username;
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, "application/json", JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, body: string): void {
  send(res, status, "text/plain; charset=utf-8", body);
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    ...browserHeaders(API_CSP),
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}
