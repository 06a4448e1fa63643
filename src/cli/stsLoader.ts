/**
 * The STS adapter of a profile (its region and endpoint), loaded on the first AWS call only: a cache hit never loads
 * the AWS SDK. Shared by the credential commands and the servers.
 */
import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { Env, Logger } from "../ports.js";
import type { StsApi } from "../providers/stsApi.js";
import type { AppDeps } from "./appDeps.js";
import { requireRegion } from "./profileRegion.js";

/** The STS adapter for this profile's region and endpoint, loaded once and only when an AWS call is made. */
export function stsLoader(profile: ResolvedProfile, env: Env, deps: AppDeps, logger: Logger): () => Promise<StsApi> {
  let api: Promise<StsApi> | undefined;
  return () => {
    api ??= (async () => {
      const region = requireRegion(profile);
      const endpoint = stsEndpoint(env, profile.settings.endpointUrl);
      return deps.sts({ region, ...(endpoint === undefined ? {} : { endpoint }) }, logger);
    })();
    return api;
  };
}

/** Service endpoint overrides as the AWS SDKs define them: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then endpoint_url. */
export function stsEndpoint(env: Env, profileEndpoint: string | undefined): string | undefined {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true") return undefined;
  const pick = [env.AWS_ENDPOINT_URL_STS, env.AWS_ENDPOINT_URL, profileEndpoint].find((v) => v !== undefined && v !== "");
  return pick;
}
