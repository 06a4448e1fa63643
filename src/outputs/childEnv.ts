import type { Env } from "../ports.js";

/** How a wrapped command receives credentials: as variables (`-E`), or through the local ECS endpoint (default). */
export type ChildCredentials =
  /** The -E mode: the output of toEnvVars() (region, keys, token, expiration, AWSRUNAS_PROFILE), set as they are. */
  | { mode: "env"; vars: readonly (readonly [string, string])[] }
  /** The endpoint mode: the child's SDK fetches (and refreshes) credentials from `url`, sending `authToken`. */
  | { mode: "endpoint"; url: string; authToken: string; region?: string; profile?: string };

/** A child's SDK must not go back to the profile: it may name aws-runas itself as credential_process (§5.7.4). */
const PROFILE_VARS = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"];

/** Credentials from the parent's environment would shadow the ones we hand over (core.md §5.7.2). */
const ENV_MODE_STALE = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
];

/**
 * Every variable an SDK would prefer over the container endpoint (core.md §5.7.3), plus the relative URI and token
 * file, which would otherwise point it at another endpoint or another token.
 */
const ENDPOINT_MODE_STALE = [
  "AWS_ACCESS_KEY_ID",
  "AWS_ACCESS_KEY",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SECRET_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/**
 * The child's environment as a new object (never mutates `parent`). `nullDevice` ("/dev/null", "NUL" on Windows)
 * replaces the shared credentials file in endpoint mode so the child's SDK cannot fall back to file credentials.
 */
export function childEnv(parent: Env, creds: ChildCredentials, nullDevice: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined) env[name] = value;
  }
  const remove = (names: readonly string[]): void => {
    for (const name of names) delete env[name];
  };
  remove(PROFILE_VARS);

  if (creds.mode === "env") {
    remove(ENV_MODE_STALE);
    for (const [name, value] of creds.vars) env[name] = value;
    return env;
  }

  remove(ENDPOINT_MODE_STALE);
  env.AWS_SHARED_CREDENTIALS_FILE = nullDevice;
  // The Java SDK's name for the same file.
  env.AWS_CREDENTIAL_PROFILES_FILE = nullDevice;
  env.AWS_CONTAINER_CREDENTIALS_FULL_URI = creds.url;
  env.AWS_CONTAINER_AUTHORIZATION_TOKEN = creds.authToken;
  // decisions.md Q-14: the child gets the region in both modes (upstream omitted it here).
  if (creds.region !== undefined && creds.region !== "") {
    env.AWS_REGION = creds.region;
    env.AWS_DEFAULT_REGION = creds.region;
  }
  if (creds.profile !== undefined && creds.profile !== "") env.AWSRUNAS_PROFILE = creds.profile;
  return env;
}
