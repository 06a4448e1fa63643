/**
 * The contracts between the parts of `serve ec2` / `serve ecs` (core.md §9, decisions.md "Servers"): the profile
 * state both servers serve from, and the routes each part contributes to one HTTP server. The credential routes, the
 * management API and the browser UI are separate modules that meet only here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Credentials } from "../domain/credentials.js";

/** What GET /profile shows of the active profile (core.md §9.5; keys sorted when serialised). */
export interface ProfileSummary {
  auth_url: string;
  client_id: string;
  external_id: string;
  jump_role: string;
  redirect_uri: string;
  role_arn: string;
  /** Present only when the profile has a source profile. */
  source_profile?: string;
  username: string;
}

/** The fields of the browser UI's Advanced form (core.md §9.5 "Form → config mapping"). */
export interface CustomProfileForm {
  "adv-type": "iam" | "saml" | "oidc";
  "role-arn"?: string;
  "source-profile"?: string;
  "external-id"?: string;
  "auth-url"?: string;
  username?: string;
  password?: string;
  "jump-role"?: string;
  "client-id"?: string;
  "redirect-uri"?: string;
}

/**
 * A sign-in needs the person at the browser (core.md §9.6): `MFA` for a code, `AUTH` for username and password. The
 * routes answer it with 401 and `X-AwsRunas-Authentication-Type`.
 */
export class AuthenticationRequired extends Error {
  constructor(
    readonly kind: "MFA" | "AUTH",
    /** AUTH: the username already known (prefilled in the dialog). */
    readonly username = "",
  ) {
    super(kind === "MFA" ? "an MFA code is needed" : "a username and password are needed");
    this.name = "AuthenticationRequired";
  }
}

/**
 * The profiles a server serves: one active profile (switched by the UI or the management API) and any other profile
 * asked for by name (ECS `/credentials/<profile>`), each with its own credential provider, refreshed in the background
 * ahead of expiry, one STS call however many requests wait on it, and never blocked by another profile's sign-in.
 * Every method that signs in may reject with AuthenticationRequired (non-headless) or a RunasError.
 */
export interface ProfileSessions {
  /** The active profile's name; undefined before one is chosen, "" for an ad-hoc (custom) profile. */
  activeName(): string | undefined;
  /** GET /profile: undefined when no profile is active. */
  summary(): ProfileSummary | undefined;
  /** POST /profile: resolve `name`, make it active and fetch its credentials now (so the sign-in happens now). */
  activate(name: string): Promise<ProfileSummary>;
  /** Credentials of the active profile (undefined name) or of `name` without changing the active one. */
  credentials(name?: string): Promise<Credentials>;
  /** POST /auth: username and password for the active profile's IdP, then fetch its credentials. */
  supplyLogin(username: string, password: string): Promise<void>;
  /** POST /mfa: one MFA code for the active profile, then fetch its credentials. */
  supplyMfa(code: string): Promise<void>;
  /** POST /refresh: drop the active profile's cached credentials (and tokens), as `-r` does. */
  refresh(): Promise<void>;
  /** GET /list-roles: config profiles with a role_arn; GET /list-profiles: the others (default included). */
  listRoles(): string[];
  listProfiles(): string[];
  /** POST /profile/custom: an ad-hoc profile from the form becomes the active one. */
  useCustom(form: CustomProfileForm): Promise<void>;
  /** PUT /profile/custom: save the form as `[profile <name>]` (and its IdP password) in the user's files. */
  saveCustom(name: string, form: CustomProfileForm): Promise<void>;
  /** Stops background refreshes (the server is shutting down). */
  close(): void;
}

/** What one request is, once the server's guards (Host, methods) have let it through. */
export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path without the query. */
  path: string;
  method: string;
  /** The request body (read in full, at most 64 KiB; larger bodies are refused before a route sees them). */
  body: string;
}

/**
 * A group of routes. `handle` answers the request and returns true, or returns false when none of its routes matches
 * (the server then answers 404 `404 page not found`).
 */
export interface RouteGroup {
  handle(r: RouteRequest): Promise<boolean>;
}
