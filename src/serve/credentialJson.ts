import type { Credentials } from "../domain/credentials.js";
import { isoUtcSeconds } from "../domain/isoTime.js";

/**
 * SDKs refuse an answer without a future Expiration (design/stack.md §C.2), so credentials that never expire (IAM
 * user keys, some credential_process sources) are served with this much lifetime; clients ask again after it.
 */
const NO_EXPIRY_LIFETIME_MS = 60 * 60 * 1000;

function expiration(creds: Credentials, now: Date): string {
  return isoUtcSeconds(creds.expiration ?? new Date(now.getTime() + NO_EXPIRY_LIFETIME_MS));
}

/**
 * The EC2 instance metadata answer for `…/iam/security-credentials/<role>`, in AWS's own key order (core.md §9.5,
 * design/stack.md §C.2). `Token` is always there (as "" for keys without one): the JS SDK refuses an answer without
 * it, where upstream left it out.
 */
export function imdsCredentialsJson(creds: Credentials, now: Date): string {
  return JSON.stringify({
    Code: "Success",
    LastUpdated: isoUtcSeconds(now),
    Type: "AWS-HMAC",
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    Token: creds.sessionToken ?? "",
    Expiration: expiration(creds, now),
  });
}

/**
 * The ECS container credential answer (core.md §9.5): `Token`, never `SessionToken` (every SDK refuses that), and
 * `RoleArn` when the profile assumes a role, as the real endpoint sends it.
 */
export function ecsCredentialsJson(creds: Credentials, now: Date, roleArn?: string): string {
  return JSON.stringify({
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    Token: creds.sessionToken ?? "",
    Expiration: expiration(creds, now),
    ...(roleArn === undefined || roleArn === "" ? {} : { RoleArn: roleArn }),
  });
}
