/**
 * The OneLogin API access token (idp.md §5.1 step 4): every OneLogin API call needs it, obtained with the client
 * credentials carried by the URL's `token` parameter (see apiToken.ts).
 */
import { isRunasError, RunasError } from "../../domain/errors.js";
import type { Fetch } from "../types.js";

/** What the API answered: the value for the Authorization header of later calls. */
export interface OneLoginAccessToken {
  /** e.g. "bearer abc123" */
  authorization: string;
  expiresIn: number;
}

/**
 * The API base for a OneLogin host: `api.<region>.onelogin.com` for OneLogin's own hosts (region from the URL's
 * `region` parameter, default us), else the host itself (custom domains, test servers).
 */
export function oneLoginApiBase(url: string): string {
  const u = new URL(url);
  if (!u.hostname.endsWith(".onelogin.com")) return u.origin;
  const region = u.searchParams.get("region") ?? "us";
  return `${u.protocol}//api.${region}.onelogin.com`;
}

/**
 * POST <apiBase>/auth/oauth2/v2/token with HTTP Basic client credentials. Failures are one RunasError line with
 * OneLogin's own message; the secret never appears in it.
 */
export async function requestOneLoginAccessToken(o: {
  fetch: Fetch;
  apiBase: string;
  clientId: string;
  clientSecret: string;
}): Promise<OneLoginAccessToken> {
  const basic = Buffer.from(`${o.clientId}:${o.clientSecret}`).toString("base64");
  let res: Response;
  try {
    res = await o.fetch(`${o.apiBase}/auth/oauth2/v2/token`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
  } catch (e) {
    // The session already turns network failures into one clear line; keep it rather than wrapping it again.
    if (isRunasError(e)) throw e;
    throw new RunasError("IDP_ERROR", `cannot reach the OneLogin API at ${o.apiBase}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (res.status !== 200) {
    const status = body?.status as { message?: unknown } | undefined;
    const message = typeof status?.message === "string" ? status.message : "unexpected OneLogin API response";
    throw new RunasError(
      "IDP_AUTH",
      `OneLogin refused the API credentials of the token parameter (HTTP ${res.status}: ${message}); check the client id and secret encoded in it`,
    );
  }
  const token = body?.access_token;
  const type = body?.token_type;
  if (typeof token !== "string" || token === "") {
    throw new RunasError("IDP_ERROR", "the OneLogin API answered without an access token");
  }
  return {
    authorization: `${typeof type === "string" && type !== "" ? type : "bearer"} ${token}`,
    expiresIn: typeof body?.expires_in === "number" ? body.expires_in : 0,
  };
}
