import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import { isoUtcSeconds as isoUtc } from "../domain/isoTime.js";

/** One environment variable as a name and its value, in the order it is printed or passed on. */
export type EnvVar = readonly [name: string, value: string];

/**
 * The variables that carry credentials to a shell or a child, in this fixed order: AWS_REGION, AWS_DEFAULT_REGION
 * (only with a region), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_SECURITY_TOKEN (only with
 * a token; AWS_SECURITY_TOKEN is the old boto name upstream prints, kept for compatibility),
 * AWS_CREDENTIAL_EXPIRATION (only with an expiration; ISO-8601 UTC without milliseconds, e.g. 2024-05-01T13:04:05Z),
 * AWSRUNAS_PROFILE (only when profile is non-empty).
 */
export function toEnvVars(creds: Credentials, ctx: { region?: string; profile?: string }): EnvVar[] {
  const vars: EnvVar[] = [];
  if (ctx.region) vars.push(["AWS_REGION", ctx.region], ["AWS_DEFAULT_REGION", ctx.region]);
  vars.push(["AWS_ACCESS_KEY_ID", creds.accessKeyId], ["AWS_SECRET_ACCESS_KEY", creds.secretAccessKey]);
  if (creds.sessionToken) {
    vars.push(["AWS_SESSION_TOKEN", creds.sessionToken], ["AWS_SECURITY_TOKEN", creds.sessionToken]);
  }
  if (creds.expiration !== undefined) vars.push(["AWS_CREDENTIAL_EXPIRATION", isoUtcSeconds(creds.expiration)]);
  // Printed last, as upstream does (core.md §5.2), so a reader sees the credentials first.
  if (ctx.profile) vars.push(["AWSRUNAS_PROFILE", ctx.profile]);
  return vars;
}

/**
 * `date` as ISO-8601 UTC to the second (2024-05-01T13:04:05Z): the form the AWS SDKs and CLI parse everywhere.
 * Milliseconds are cut, never rounded up, so the printed expiry is never later than the real one.
 */
export function isoUtcSeconds(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    throw new RunasError(
      "INVALID_VALUE",
      "the credentials carry an invalid expiration time; run again with -r to fetch new ones",
    );
  }
  return isoUtc(date);
}
