/** AWS credentials as every layer passes them around; the same shape as the SDK's AwsCredentialIdentity. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Absent for long-term IAM user keys, which never expire. */
  expiration?: Date;
}

/** Returns credentials, refreshing them when needed; `forceRefresh` skips this layer's cache (the `-r` flag). */
export type CredentialProvider = (options?: { forceRefresh?: boolean }) => Promise<Credentials>;

/**
 * Credentials with less than this left are refreshed before use (decisions.md Q-11). Five minutes is also what the
 * AWS SDKs use as their own refresh window, so what we hand out is never refreshed again straight away.
 */
export const REFRESH_WINDOW_MS = 5 * 60 * 1000;

/** True when the credentials can be used as they are at `now`: no expiry, or more than the refresh window left. */
export function isFresh(creds: Credentials, now: Date, windowMs = REFRESH_WINDOW_MS): boolean {
  if (creds.expiration === undefined) return true;
  return creds.expiration.getTime() - now.getTime() > windowMs;
}

/** An access key id fit for a log line: the first four and last four characters only. */
export function maskKeyId(id: string): string {
  return id.length <= 8 ? "****" : `${id.slice(0, 4)}…${id.slice(-4)}`;
}
