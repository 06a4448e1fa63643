/**
 * A real OpenID Provider for tests: oidc-provider 9 (design/stack.md §C.4) on 127.0.0.1:0 with its development login
 * and consent pages, one public native client `aws-runas` (PKCE required, loopback redirect URIs on any port, device
 * flow, refresh tokens), and `playBrowser`, which walks those pages as a person with a browser would.
 */
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CookieJar } from "tough-cookie";

/** The client every test signs in with. */
export const CLIENT_ID = "aws-runas";

/** A running provider. */
export interface OpenIdProvider {
  /** The issuer (and web_identity_auth_url): `http://127.0.0.1:<port>`. */
  readonly issuer: string;
  readonly clientId: string;
  /** `METHOD /path` of every request the provider received, plus ` grant_type=…` for token requests. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** The few parts of oidc-provider's (untyped) API used here. */
interface KoaContext {
  method: string;
  path: string;
  body: unknown;
  /** Set by oidc-provider on its own routes; `body` is the parsed form of a POST. */
  oidc?: { body?: Record<string, unknown> };
}
interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

/**
 * Starts the provider. `deviceInterval` is put in device authorization responses (seconds; the RFC's default of 5 s
 * would slow the tests down); `offlineAccess: false` leaves offline_access out of the discovery document.
 */
export async function startOpenIdProvider(
  o: { redirectUris?: string[]; deviceInterval?: number; offlineAccess?: boolean } = {},
): Promise<OpenIdProvider> {
  // The package ships no type declarations: import it through a plain string and describe what is used above.
  const specifier = "oidc-provider";
  const { default: Provider } = (await import(specifier)) as { default: ProviderClass };

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const requests: string[] = [];

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        application_type: "native",
        token_endpoint_auth_method: "none",
        redirect_uris: o.redirectUris ?? ["http://127.0.0.1/callback", "http://localhost/callback", "app:/callback"],
        grant_types: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
        response_types: ["code"],
      },
    ],
    scopes: o.offlineAccess === false ? ["openid", "email"] : ["openid", "offline_access", "email"],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, deviceFlow: { enabled: true } },
    // offline_access is honoured only with prompt=consent; this client gets refresh tokens without it.
    issueRefreshToken: (_ctx: unknown, client: { clientId: string }) => client.clientId === CLIENT_ID,
    cookies: { keys: ["a test-only cookie signing key"] },
    // Set explicitly so the provider does not print a notice for each default it falls back to.
    ttl: { AccessToken: 3600, AuthorizationCode: 60, DeviceCode: 600, Grant: 3600, IdToken: 3600, Interaction: 600, RefreshToken: 86400, Session: 3600 },
    claims: { openid: ["sub"], email: ["email"] },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.com` }),
    }),
  });
  provider.use(async (ctx, next) => {
    await next();
    const grantType = ctx.oidc?.body?.grant_type;
    const grant = typeof grantType === "string" ? ` grant_type=${grantType}` : "";
    requests.push(`${ctx.method} ${ctx.path}${grant}`);
    if (o.deviceInterval !== undefined && ctx.path === "/device/auth" && typeof ctx.body === "object" && ctx.body !== null) {
      ctx.body = { ...ctx.body, interval: o.deviceInterval };
    }
  });
  server.on("request", provider.callback());

  return {
    issuer,
    clientId: CLIENT_ID,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e === undefined ? resolve() : reject(e)));
      }),
  };
}

/** Where a walk through the pages ended. */
export type BrowserEnd =
  /** A redirect matched `stopAt`; with `visit`, what that address answered. */
  | { redirectedTo: URL; visited?: { status: number; body: string } }
  /** A page without a form to submit (the device flow's success page, an error page). */
  | { page: { url: URL; status: number; body: string } };

/**
 * Plays the user's browser from `start`: follows redirects with its own cookies, and on each page submits the first
 * form (typing `login` and any password into the login form, confirming the device code and the consent) until a
 * redirect matches `stopAt`. `deny` presses Cancel on the consent page (Abort on the device confirmation) instead;
 * `visit` also requests the matched address, as a browser delivers the redirect to a loopback listener.
 */
export async function playBrowser(
  start: string | URL,
  o: { stopAt?: (url: URL) => boolean; login?: string; deny?: boolean; visit?: boolean },
): Promise<BrowserEnd> {
  const jar = new CookieJar();
  let url = new URL(start);
  let init: { method: string; body?: URLSearchParams } = { method: "GET" };
  for (let step = 0; step < 40; step++) {
    const headers = new Headers();
    const cookie = await jar.getCookieString(url.href);
    if (cookie !== "") headers.set("cookie", cookie);
    if (init.body !== undefined) headers.set("content-type", "application/x-www-form-urlencoded");
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of response.headers.getSetCookie()) await jar.setCookie(c, url.href);

    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (o.stopAt?.(next) === true) {
        if (o.visit !== true) return { redirectedTo: next };
        const answer = await fetch(next, { redirect: "manual" });
        return { redirectedTo: next, visited: { status: answer.status, body: await answer.text() } };
      }
      url = next;
      init = { method: "GET" };
      continue;
    }

    const body = await response.text();
    const form = response.status === 200 ? firstForm(body) : undefined;
    // The device flow's code entry page with nothing filled in comes back only after an abort: nothing left to do.
    if (form === undefined || form.fields.get("user_code") === "") return { page: { url, status: response.status, body } };
    if (o.deny === true && form.fields.get("prompt") === "consent") {
      const cancel = /<a href="([^"]*\/abort)"/.exec(body)?.[1];
      if (cancel === undefined) throw new Error(`no Cancel link on the consent page at ${url.href}`);
      url = new URL(decodeEntities(cancel), url);
      init = { method: "GET" };
      continue;
    }
    if (form.fields.has("login")) form.fields.set("login", o.login ?? "alice");
    if (form.fields.has("password")) form.fields.set("password", "any password");
    if (o.deny === true && form.fields.has("confirm")) {
      form.fields.delete("confirm");
      form.fields.set("abort", "yes");
    }
    url = new URL(form.action, url);
    init = form.method === "POST" ? { method: "POST", body: new URLSearchParams([...form.fields]) } : { method: "GET" };
  }
  throw new Error(`the sign-in pages did not end after 40 steps, at ${url.href}`);
}

/** The action, method and named inputs of the first <form> of a page. */
function firstForm(html: string): { action: string; method: string; fields: Map<string, string> } | undefined {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (match === null) return undefined;
  const attributes = match[1] ?? "";
  const fields = new Map<string, string>();
  for (const input of (match[2] ?? "").matchAll(/<input\b([^>]*)>/gi)) {
    const name = attribute(input[1] ?? "", "name");
    if (name !== undefined) fields.set(name, attribute(input[1] ?? "", "value") ?? "");
  }
  return {
    action: attribute(attributes, "action") ?? "",
    method: (attribute(attributes, "method") ?? "GET").toUpperCase(),
    fields,
  };
}

/** One attribute's decoded value from the inside of a tag. */
function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\b${name}="([^"]*)"`, "i").exec(tag)?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

/** The character references oidc-provider's templates produce. */
function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
