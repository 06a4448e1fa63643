import type { Clock, Logger } from "../ports.js";
import type { ProfileSessions, RouteGroup, RouteRequest } from "./contracts.js";
import { ecsCredentialsJson, imdsCredentialsJson } from "./credentialJson.js";
import { sendJson, sendText } from "./httpReply.js";
import { parseTokenTtl, type ImdsTokens } from "./imdsTokens.js";
import { ProfileNotSet } from "./profileNotSet.js";

const TOKEN_PATH = "/latest/api/token";
const CREDENTIALS_ROOT = "/latest/meta-data/iam/security-credentials";

/** The sessions as the credential routes use them: the contract, plus the role ARN for the ECS answer when known. */
export type CredentialSessions = ProfileSessions & {
  /** The role_arn of the active profile (undefined name) or of `name`, when it has one. */
  roleArn?(name?: string): string | undefined;
};

export interface CredentialRoutesOptions {
  sessions: CredentialSessions;
  clock: Clock;
  logger: Logger;
  /** The web page's address, named in the "no profile is active" answer. */
  uiUrl: string;
  /**
   * The EC2 instance metadata routes (core.md §9.5). Left out on the ECS server while its token is required: they
   * would hand out the same credentials without it.
   */
  imds?: { tokens: ImdsTokens; v2Only: boolean };
  /** The ECS routes at `path` (`/credentials`); `authorized` checks the Authorization header, absent with --no-auth. */
  ecs?: { path: string; authorized?: (header: string | string[] | undefined) => boolean };
}

/**
 * The routes SDKs fetch credentials from (core.md §9.4, §9.5), hardened as decisions.md "Servers" says: IMDSv2
 * tokens are random, expire after their TTL and are checked when presented (`--imdsv2-only`: required); a token PUT
 * that came through a proxy (X-Forwarded-For) is refused as real IMDS does; the ECS routes require the bearer token.
 * Credential and sign-in failures are thrown for the server to answer (401 with X-AwsRunas-Authentication-Type, or
 * a JSON 500).
 */
export function createCredentialRoutes(o: CredentialRoutesOptions): RouteGroup {
  const { sessions, clock } = o;

  const activeOrFail = (): string => {
    const name = sessions.activeName();
    if (name === undefined) throw new ProfileNotSet(o.uiUrl);
    return name;
  };

  const onlyGet = (r: RouteRequest): boolean => {
    if (r.method === "GET" || r.method === "HEAD") return true;
    sendText(r.res, 405, "Method Not Allowed\n", { Allow: "GET, HEAD" });
    return false;
  };

  const imdsToken = (r: RouteRequest, imds: { tokens: ImdsTokens }): void => {
    if (r.method !== "PUT") {
      sendText(r.res, 405, "Method Not Allowed\n", { Allow: "PUT" });
      return;
    }
    // A token fetched through a proxy would let a remote requester use it; real IMDS refuses these too.
    if (r.req.headers["x-forwarded-for"] !== undefined) {
      o.logger.warn(`${r.method} ${r.path} refused: it came through a proxy (X-Forwarded-For)`);
      sendText(r.res, 403, "Forbidden\n");
      return;
    }
    const header = r.req.headers["x-aws-ec2-metadata-token-ttl-seconds"];
    const ttl = parseTokenTtl(header);
    if (ttl === undefined) {
      sendText(r.res, 400, "Bad Request: X-Aws-Ec2-Metadata-Token-Ttl-Seconds must be a number of seconds from 1 to 21600\n");
      return;
    }
    // The Go SDK requires the TTL header echoed back (core.md §9.5).
    sendText(r.res, 200, imds.tokens.issue(ttl), { "X-Aws-Ec2-Metadata-Token-Ttl-Seconds": String(ttl) });
  };

  /** IMDSv2: a presented token must be live; without one the request is IMDSv1, refused under --imdsv2-only. */
  const imdsAllowed = (r: RouteRequest, imds: { tokens: ImdsTokens; v2Only: boolean }): boolean => {
    const token = r.req.headers["x-aws-ec2-metadata-token"];
    if (token === undefined) {
      if (!imds.v2Only) return true;
      sendText(r.res, 401, "Unauthorized: this server requires IMDSv2; PUT /latest/api/token first\n");
      return false;
    }
    if (typeof token === "string" && imds.tokens.valid(token)) return true;
    sendText(r.res, 401, "Unauthorized: the X-Aws-Ec2-Metadata-Token is unknown or has expired\n");
    return false;
  };

  const imdsCredentials = async (r: RouteRequest, imds: { tokens: ImdsTokens; v2Only: boolean }): Promise<void> => {
    if (!onlyGet(r) || !imdsAllowed(r, imds)) return;
    if (r.path === `${CREDENTIALS_ROOT}/`) {
      sendText(r.res, 200, roleName(activeOrFail()));
      return;
    }
    // Any role name below gets the active profile's credentials, as upstream: SDKs ask for the name they were given.
    activeOrFail();
    const creds = await sessions.credentials();
    sendJson200(r, imdsCredentialsJson(creds, clock.now()));
  };

  /** The name under security-credentials/: the profile's; an ad-hoc profile has none, so it is called "custom". */
  const roleName = (active: string): string => active === "" ? "custom" : active;

  const ecsCredentials = async (r: RouteRequest, ecs: NonNullable<CredentialRoutesOptions["ecs"]>): Promise<void> => {
    if (ecs.authorized !== undefined && !ecs.authorized(r.req.headers.authorization)) {
      sendJson(r.res, 401, {
        code: "Unauthorized",
        message: "missing or wrong Authorization header: send the token of AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)",
      });
      return;
    }
    if (!onlyGet(r)) return;
    if (r.path === ecs.path) {
      activeOrFail();
      const creds = await sessions.credentials();
      sendJson200(r, ecsCredentialsJson(creds, clock.now(), sessions.roleArn?.()));
      return;
    }
    // `<path>/<profile>`: that profile (the last segment; empty means default), the active one unchanged.
    const segment = r.path.slice(ecs.path.length + 1).split("/").pop() ?? "";
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      sendJson(r.res, 400, { code: "BadRequest", message: "the profile name in the path is not valid percent-encoding" });
      return;
    }
    if (name === "") name = "default";
    const creds = await sessions.credentials(name);
    sendJson200(r, ecsCredentialsJson(creds, clock.now(), sessions.roleArn?.(name)));
  };

  return {
    async handle(r) {
      const { imds, ecs } = o;
      if (ecs !== undefined && (r.path === ecs.path || r.path.startsWith(`${ecs.path}/`))) {
        await ecsCredentials(r, ecs);
        return true;
      }
      if (imds === undefined) return false;
      if (r.path === TOKEN_PATH) {
        imdsToken(r, imds);
        return true;
      }
      if (r.path === CREDENTIALS_ROOT) {
        // Go ServeMux style (core.md §9.4): the subtree root without its slash is redirected to it.
        r.res.writeHead(301, { Location: `${CREDENTIALS_ROOT}/`, "Content-Length": "0" });
        r.res.end();
        return true;
      }
      if (r.path.startsWith(`${CREDENTIALS_ROOT}/`)) {
        await imdsCredentials(r, imds);
        return true;
      }
      return false;
    },
  };
}

function sendJson200(r: RouteRequest, body: string): void {
  r.res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(body)),
    "Cache-Control": "no-store",
  });
  r.res.end(body);
}
