/**
 * The local Assertion Consumer Service of the `browserne` provider (idp.md §9.2): a one-shot HTTP listener on the
 * loopback interface that receives the SAMLResponse the IdP makes the user's browser POST, and answers the browser
 * with a small page saying how it went.
 */
import http from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RunasError } from "../../domain/errors.js";
import { answerLoopbackPage } from "../loopbackPage.js";

/** How long the user has to finish the sign-in in the browser (upstream waited forever, idp.md §13 item 9). */
export const ACS_TIMEOUT_MS = 5 * 60_000;
/**
 * How long the browser gets to fetch the /success or /fail page after the IdP's POST: the wait ends as soon as it
 * has, and the process may exit right after, so the page must be served first.
 */
const PAGE_GRACE_MS = 2_000;
/** A SAMLResponse is some kilobytes; anything beyond this is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A listener waiting for one SAMLResponse. */
export interface AcsListener {
  readonly port: number;
  /** `http://localhost:<port>/saml/acs`: the AssertionConsumerServiceURL of the AuthnRequest. */
  readonly acsUrl: string;
  /** `http://localhost:<port>/saml/metadata`: the SP entity id when saml_auth_entityid is not set. */
  readonly metadataUrl: string;
  /**
   * The base64 SAMLResponse, once the browser has posted it and fetched its answer page. Rejects with
   * RunasError("IDP_AUTH") when the post holds no SAMLResponse or none comes within `timeoutMs` (default 5 minutes),
   * and with the signal's reason on abort. The listener is closed when this settles.
   */
  waitForResponse(o?: { timeoutMs?: number; signal?: AbortSignal }): Promise<string>;
  /** Stops listening at once. */
  close(): Promise<void>;
}

type Outcome = { value: string } | { error: unknown };

/**
 * Listens on 127.0.0.1 at a free port, and on ::1 at the same port when the machine has IPv6, since the browser may
 * resolve `localhost` to either. Any path under /saml/ takes the SAMLResponse from a POSTed form or the query
 * (idp.md §9.2, §15 case 46).
 */
export async function listenAcs(): Promise<AcsListener> {
  let port = 0;
  let received: Outcome | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let settle: (o: Outcome) => void = () => undefined;
  const settled = new Promise<Outcome>((resolve) => (settle = resolve));

  const finish = (): void => {
    clearTimeout(graceTimer);
    if (received !== undefined) settle(received);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const host = (req.headers.host ?? "").toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return answerLoopbackPage(res, 403, `This address only answers the aws-runas sign-in at http://localhost:${port}/.`);
    }
    const url = new URL(req.url ?? "/", `http://localhost:${port}`);
    if (url.pathname === "/success" || url.pathname === "/fail") {
      const ok = received !== undefined && "value" in received;
      if (received === undefined || ok !== (url.pathname === "/success")) {
        return answerLoopbackPage(res, 404, "This address only receives the aws-runas sign-in.");
      }
      res.once("finish", finish);
      return answerLoopbackPage(
        res,
        200,
        ok
          ? "Signed in: aws-runas has the SAML response. You can close this tab."
          : "The identity provider sent no SAMLResponse, so aws-runas could not sign in. Close this tab and see the terminal.",
      );
    }
    if (!url.pathname.startsWith("/saml/")) return answerLoopbackPage(res, 404, "This address only receives the aws-runas sign-in.");
    if (req.method !== "POST" && req.method !== "GET") {
      return answerLoopbackPage(res, 405, "This address only receives the aws-runas sign-in.");
    }
    readForm(req).then(
      (form) => {
        if (form === undefined) return answerLoopbackPage(res, 413, "That is too large to be a SAML response.");
        if (received !== undefined) return answerLoopbackPage(res, 409, "This sign-in is already finished; you can close this tab.");
        const value = form.get("SAMLResponse") ?? url.searchParams.get("SAMLResponse") ?? "";
        received = value === "" ? { error: noResponse(port) } : { value };
        graceTimer = setTimeout(finish, PAGE_GRACE_MS);
        redirect(res, `http://localhost:${port}/${value === "" ? "fail" : "success"}`);
      },
      () => answerLoopbackPage(res, 400, "The request could not be read."),
    );
  };

  const servers: Server[] = [await listen(handle, "127.0.0.1", 0)];
  port = (servers[0]?.address() as AddressInfo).port;
  try {
    servers.push(await listen(handle, "::1", port));
  } catch {
    // No IPv6 loopback here (or the port is taken there): browsers then reach localhost on 127.0.0.1.
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    clearTimeout(graceTimer);
    closing ??= Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);
    return closing;
  };

  return {
    port,
    acsUrl: `http://localhost:${port}/saml/acs`,
    metadataUrl: `http://localhost:${port}/saml/metadata`,
    async waitForResponse(o = {}) {
      const timeoutMs = o.timeoutMs ?? ACS_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const stopped = new Promise<Outcome>((resolve) => {
        timer = setTimeout(() => resolve({ error: timedOut(timeoutMs) }), timeoutMs);
        onAbort = () => resolve({ error: o.signal?.reason });
        if (o.signal?.aborted === true) onAbort();
        else o.signal?.addEventListener("abort", onAbort, { once: true });
      });
      try {
        const outcome = await Promise.race([settled, stopped]);
        if ("error" in outcome) throw outcome.error;
        return outcome.value;
      } finally {
        clearTimeout(timer);
        if (onAbort !== undefined) o.signal?.removeEventListener("abort", onAbort);
        await close();
      }
    },
    close,
  };
}

/** The form fields of a POST (urlencoded), an empty set for a GET, or undefined when the body is too large. */
function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return resolve(undefined);
      const type = (req.headers["content-type"] ?? "").toLowerCase();
      const isForm = req.method === "POST" && (type === "" || type.startsWith("application/x-www-form-urlencoded"));
      resolve(new URLSearchParams(isForm ? Buffer.concat(chunks).toString("utf8") : ""));
    });
    req.on("error", reject);
  });
}

function noResponse(port: number): RunasError {
  return new RunasError(
    "IDP_AUTH",
    `the identity provider sent no SAMLResponse to http://localhost:${port}/saml/acs; check that saml_auth_url is ` +
      "the IdP's SAML sign-in URL for this application and that the sign-in completed",
  );
}

function timedOut(timeoutMs: number): RunasError {
  const minutes = Math.round(timeoutMs / 60_000);
  const span = minutes >= 1 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${Math.ceil(timeoutMs / 1000)} s`;
  return new RunasError(
    "IDP_AUTH",
    `no SAMLResponse came back from the browser within ${span}; run aws-runas again and finish the sign-in in the browser`,
  );
}

/** Starts one server, turning a failure to listen into an error that says what went wrong. */
function listen(handle: (req: IncomingMessage, res: ServerResponse) => void, host: string, port: number): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = http.createServer(handle);
    // Upstream's limits (idp.md §9.2): a stalled browser cannot hold a request open forever.
    server.requestTimeout = 30_000;
    server.headersTimeout = 30_000;
    server.once("error", (e: NodeJS.ErrnoException) => {
      reject(
        new RunasError(
          "IDP_ERROR",
          `cannot listen on ${host} for the SAML response (${e.code ?? e.message}); check that the loopback interface is up`,
          { cause: e },
        ),
      );
    });
    server.listen(port, host, () => resolve(server));
  });
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, "cache-control": "no-store", "content-length": "0", connection: "close" });
  res.end();
}

