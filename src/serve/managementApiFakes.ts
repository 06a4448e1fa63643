/**
 * Test doubles for the management API and the UI (imported by tests only, never by the server): a ProfileSessions
 * that plays sign-ins needing an MFA code or a password, and a minimal node:http server that feeds route groups the
 * way the serving core does (path without query, body read in full, 404 when no group answers).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import {
  AuthenticationRequired,
  type CustomProfileForm,
  type ProfileSessions,
  type ProfileSummary,
  type RouteGroup,
} from "./contracts.js";

/** One profile of the fake: its summary and what its sign-in needs. */
export interface FakeProfile {
  summary: Partial<ProfileSummary>;
  /** The MFA code the sign-in needs, if any. */
  mfaCode?: string;
  /** The username and password the sign-in needs, if any. */
  login?: { username: string; password: string };
}

export interface FakeSessions extends ProfileSessions {
  /** Every call, with secrets replaced by `***`, in order. */
  calls: string[];
  /** The forms handed to useCustom and saveCustom. */
  customForms: CustomProfileForm[];
  saved: Map<string, CustomProfileForm>;
  /** Makes the list calls throw, as an unreadable config file does. */
  brokenConfig: boolean;
}

const EMPTY: ProfileSummary = {
  auth_url: "",
  client_id: "",
  external_id: "",
  jump_role: "",
  redirect_uri: "",
  role_arn: "",
  username: "",
};

/** A ProfileSessions over `profiles` (names with a role_arn are roles) and the non-role `others`. */
export function fakeSessions(profiles: Record<string, FakeProfile>, others: string[] = ["default"]): FakeSessions {
  let active: string | undefined;
  let custom: ProfileSummary | undefined;
  // Which profiles completed their sign-in (cleared by refresh).
  const signedIn = new Set<string>();
  const loggedIn = new Set<string>();
  const calls: string[] = [];
  const customForms: CustomProfileForm[] = [];
  const saved = new Map<string, CustomProfileForm>();

  const summaryOf = (name: string): ProfileSummary => {
    if (name === "" && custom !== undefined) return custom;
    return { ...EMPTY, ...profiles[name]?.summary };
  };
  /** The sign-in of `name`: throws what the real sessions throw while something is missing. */
  const signIn = (name: string): void => {
    const p = profiles[name];
    if (p === undefined || signedIn.has(name)) return;
    if (p.login !== undefined && !loggedIn.has(name)) throw new AuthenticationRequired("AUTH", p.summary.username ?? "");
    if (p.mfaCode !== undefined) throw new AuthenticationRequired("MFA");
    signedIn.add(name);
  };
  const needActive = (): string => {
    if (active === undefined) throw new RunasError("INVALID_CONFIG", "no profile is active");
    return active;
  };

  const sessions: FakeSessions = {
    calls,
    customForms,
    saved,
    brokenConfig: false,
    activeName: () => active,
    summary: () => (active === undefined ? undefined : summaryOf(active)),
    async activate(name) {
      calls.push(`activate ${name}`);
      if (profiles[name] === undefined) {
        active = undefined;
        throw new RunasError("PROFILE_NOT_FOUND", `profile '${name}' is not in the config file: check its name`);
      }
      active = name;
      signIn(name);
      return summaryOf(name);
    },
    async credentials(name?: string): Promise<Credentials> {
      calls.push(`credentials ${name ?? ""}`);
      const n = name ?? needActive();
      signIn(n);
      return { accessKeyId: "ASIAFAKE", secretAccessKey: "fake-secret", sessionToken: "fake-token" };
    },
    async supplyLogin(username, password) {
      calls.push(`supplyLogin ${username} ***`);
      const name = needActive();
      const want = profiles[name]?.login;
      if (want !== undefined && (want.username !== username || want.password !== password)) {
        throw new RunasError("IDP_AUTH", "the identity provider refused the username or password: try again");
      }
      loggedIn.add(name);
      signIn(name);
    },
    async supplyMfa(code) {
      calls.push("supplyMfa ***");
      const name = needActive();
      if (profiles[name]?.mfaCode !== code) {
        throw new RunasError("MFA_INVALID", "the MFA code was not accepted: enter the current code");
      }
      signedIn.add(name);
    },
    async refresh() {
      calls.push("refresh");
      const name = needActive();
      signedIn.delete(name);
      loggedIn.delete(name);
    },
    listRoles() {
      if (sessions.brokenConfig) throw new RunasError("CONFIG_READ", "cannot read /home/x/.aws/config: permission denied");
      return Object.keys(profiles).filter((n) => (profiles[n]?.summary.role_arn ?? "") !== "");
    },
    listProfiles() {
      if (sessions.brokenConfig) throw new RunasError("CONFIG_READ", "cannot read /home/x/.aws/config: permission denied");
      return [...others, ...Object.keys(profiles).filter((n) => (profiles[n]?.summary.role_arn ?? "") === "")];
    },
    async useCustom(form) {
      calls.push(`useCustom ${form["adv-type"]}`);
      customForms.push(form);
      const arn = form["role-arn"] ?? "";
      if (!arn.startsWith("arn:")) throw new RunasError("INVALID_CONFIG", `role_arn '${arn}' is not an ARN`);
      custom = {
        ...EMPTY,
        role_arn: arn,
        external_id: form["external-id"] ?? "",
        auth_url: form["auth-url"] ?? "",
        username: form.username ?? "",
        ...(form["source-profile"] === undefined ? {} : { source_profile: form["source-profile"] }),
      };
      active = "";
    },
    async saveCustom(name, form) {
      calls.push(`saveCustom ${name}`);
      customForms.push(form);
      saved.set(name, form);
      profiles[name] = { summary: { role_arn: form["role-arn"] ?? "" } };
    },
    close() {
      calls.push("close");
    },
  };
  return sessions;
}

export interface Harness {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `groups` on 127.0.0.1 (random port) as the serving core composes them. */
export async function serveRoutes(groups: RouteGroup[]): Promise<Harness> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const r = { req, res, path, method: req.method ?? "GET", body: Buffer.concat(chunks).toString("utf8") };
      void (async () => {
        for (const g of groups) if (await g.handle(r)) return;
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("404 page not found\n");
      })().catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(599);
        res.end(String(e));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
