import type { Credentials } from "../domain/credentials.js";
import { isoUtcSeconds } from "./envVars.js";

/**
 * The credential_process "Version 1" JSON, one line with a trailing newline, key order AccessKeyId, SecretAccessKey,
 * SessionToken (omitted when empty), Version, Expiration (omitted when none; ISO-8601 UTC without milliseconds).
 * The AWS SDKs reject anything but Version 1 and treat a missing Expiration as never-expiring keys (core.md §5.3).
 */
export function toCredentialProcessJson(creds: Credentials): string {
  const doc: Record<string, string | number> = {
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
  };
  if (creds.sessionToken) doc["SessionToken"] = creds.sessionToken;
  doc["Version"] = 1;
  if (creds.expiration !== undefined) doc["Expiration"] = isoUtcSeconds(creds.expiration);
  return `${JSON.stringify(doc)}\n`;
}
