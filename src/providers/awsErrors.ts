import { RunasError } from "../domain/errors.js";

/** What was being done when an AWS call failed, for the message. */
export interface AwsCallContext {
  operation: string;
  /** The endpoint or region, so "unreachable" says where. */
  where: string;
  mfaSerial?: string;
  roleArn?: string;
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH"]);
const BAD_KEYS = new Set(["InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "IncompleteSignature"]);

/**
 * Turns an AWS SDK error into one RunasError line that says what went wrong and what to do (core.md §3.13). The SDK's
 * messages never contain secrets; the request's own secrets are never included here.
 */
export function translateAwsError(e: unknown, ctx: AwsCallContext): RunasError {
  const err = e as { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof err.name === "string" ? err.name : "Error";
  const code = typeof err.code === "string" ? err.code : undefined;
  const message = typeof err.message === "string" ? err.message : String(e);
  const causeCode = typeof (e as { cause?: { code?: unknown } }).cause?.code === "string"
    ? String((e as { cause: { code: string } }).cause.code) : undefined;
  const netCode = [code, causeCode, name].find((c) => c !== undefined && UNREACHABLE.has(c));

  if (netCode !== undefined || name === "TimeoutError" || /socket hang up|connect ECONNREFUSED|getaddrinfo/i.test(message)) {
    return new RunasError("STS_UNREACHABLE",
      `cannot reach ${ctx.where} for ${ctx.operation} (${netCode ?? name}): check your network, proxy, or AWS_ENDPOINT_URL / endpoint_url settings`,
      { cause: e });
  }
  if (/MultiFactorAuthentication|MFA.*(invalid|failed)|invalid MFA/i.test(message)) {
    return new RunasError("MFA_INVALID",
      `AWS rejected the MFA code for ${ctx.mfaSerial ?? "your MFA device"} (${ctx.operation}): run the command again with the current code from that device`,
      { cause: e });
  }
  if (BAD_KEYS.has(name)) {
    return new RunasError("CREDENTIALS_INVALID",
      `AWS rejected the access key used for ${ctx.operation} (${name}): check aws_access_key_id and aws_secret_access_key of the source profile in your credentials file`,
      { cause: e });
  }
  if (name === "ExpiredToken" || name === "ExpiredTokenException") {
    return new RunasError("CREDENTIALS_INVALID",
      `the credentials used for ${ctx.operation} have expired (${name}): refresh the source credentials, or run again with -r`,
      { cause: e });
  }
  if (name === "AccessDenied" || name === "AccessDeniedException") {
    return new RunasError("STS_ERROR",
      `${ctx.operation}${ctx.roleArn === undefined ? "" : ` of ${ctx.roleArn}`} was denied: ${message}; check the role's trust policy, your permissions, mfa_serial and external_id`,
      { cause: e });
  }
  return new RunasError("STS_ERROR", `${ctx.operation} failed: ${name}: ${message}`, { cause: e });
}
