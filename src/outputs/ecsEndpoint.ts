import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Credentials, CredentialProvider } from "../domain/credentials.js";
import type { Clock, Logger } from "../ports.js";
import { isoUtcSeconds } from "../domain/isoTime.js";

/** The endpoint as the child needs to know it; close() lets the process exit once the child is done. */
export interface RunningEndpoint {
  url: string;
  authToken: string;
  close(): Promise<void>;
}

/** SDKs reject an ECS answer without Expiration (design/stack.md §C.2), so keys that never expire get this much. */
const NO_EXPIRY_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Listens on 127.0.0.1 (random port); GET /credentials answers the ECS credential JSON from `provider`
 * (core.md §9.8). Unlike upstream, every request must carry `authToken` and name this endpoint in its Host header
 * (decisions.md "Servers"). `clock` dates credentials that never expire.
 */
export async function startEcsEndpoint(o: {
  provider: CredentialProvider;
  logger: Logger;
  clock: Clock;
  authToken?: string;
}): Promise<RunningEndpoint> {
  // Loaded here: this module is only needed to run a command, never on the cached credential path.
  const [{ createServer }, { createHash, randomBytes, timingSafeEqual }] = await Promise.all([
    import("node:http"),
    import("node:crypto"),
  ]);
  const { provider, logger, clock } = o;
  const authToken = o.authToken ?? randomBytes(32).toString("base64url");
  const digest = (s: string): Buffer => createHash("sha256").update(s).digest();
  const tokenDigest = digest(authToken);
  // Hashing first makes the comparison constant-time whatever the header's length.
  const authorized = (header: string | undefined): boolean =>
    header !== undefined && timingSafeEqual(digest(header), tokenDigest);

  let allowedHosts: readonly string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    req.resume();
    // DNS-rebinding guard: a web page that rebinds its own name to 127.0.0.1 still sends that name as Host.
    if (!allowedHosts.includes((req.headers.host ?? "").toLowerCase())) {
      return send(res, 403, { code: "Forbidden", message: "the Host header does not name this endpoint" });
    }
    if (!authorized(req.headers.authorization)) {
      return send(res, 401, { code: "Unauthorized", message: "missing or wrong Authorization header" });
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return send(res, 405, { code: "MethodNotAllowed", message: "only GET and HEAD are allowed" });
    }
    const pathname = (req.url ?? "").split("?")[0];
    if (pathname !== "/credentials" && pathname !== "/credentials/") {
      return send(res, 404, { code: "NotFound", message: "the credentials are served at /credentials" });
    }
    let creds: Credentials;
    try {
      // The provider caches and refreshes by itself, so asking it on every request is cheap and always current.
      creds = await provider();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      logger.error(`ECS credential endpoint: ${message}`);
      return send(res, 500, { code: "CredentialsError", message });
    }
    const expiration = creds.expiration ?? new Date(clock.now().getTime() + NO_EXPIRY_LIFETIME_MS);
    send(res, 200, {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      // `Token`, not `SessionToken`, and always a string: the JS SDK rejects the answer otherwise (stack.md §C.2).
      Token: creds.sessionToken ?? "",
      Expiration: isoUtcSeconds(expiration),
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error(`ECS credential endpoint: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) send(res, 500, { code: "InternalError", message: "unexpected error" });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const url = `http://127.0.0.1:${port}/credentials`;
  logger.debug(`ECS credential endpoint set to ${url}`);
  logger.debug("ECS endpoint ready");

  return {
    url,
    authToken,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e === undefined ? resolve() : reject(e)));
        // Idle keep-alive sockets would otherwise hold the process open until they time out.
        server.closeIdleConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(text);
}
