/**
 * Every error a user can meet is a RunasError: a stable `code` for tests and scripts, a message that says what is
 * wrong and what to do next, and the underlying `cause`. cli/ turns them into one stderr line and an exit status.
 * Messages never contain secrets.
 */
export type ErrorCode =
  | "USAGE"
  | "NOT_YET_AVAILABLE"
  | "NOTHING_TO_DO"
  | "PROFILE_NOT_FOUND"
  | "SOURCE_PROFILE_NOT_FOUND"
  | "SOURCE_PROFILE_CYCLE"
  | "INI_SYNTAX"
  | "CONFIG_READ"
  | "INVALID_VALUE"
  | "INVALID_CONFIG"
  | "NO_CREDENTIALS"
  | "NO_REGION"
  | "MFA_REQUIRED"
  | "MFA_INVALID"
  | "STS_ERROR"
  | "STS_UNREACHABLE"
  | "CREDENTIALS_INVALID"
  | "COMMAND_NOT_FOUND"
  | "CHILD_EXIT"
  | "FILE_WRITE"
  | "PASSWORD_DECODE"
  | "LOCK_TIMEOUT"
  | "SAML_ROLE_NOT_GRANTED"
  | "OIDC_INVALID"
  | "SAML_INVALID"
  | "IDP_UNKNOWN"
  | "IDP_ERROR"
  | "IDP_AUTH"
  | "IDP_MFA"
  | "PRIVILEGED_MODE"
  | "SSM_SESSION";

export class RunasError extends Error {
  readonly code: ErrorCode;
  /** The process exit status this error maps to. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RunasError";
    this.code = code;
    // Every failure exits 1 as upstream does (scripts test for it); only a command this version does not offer yet
    // exits 2, so a script can tell "not implemented" from "failed".
    this.exitCode = options.exitCode ?? (code === "NOT_YET_AVAILABLE" ? 2 : 1);
  }
}

/**
 * True for a RunasError. Checked by shape, not `instanceof`: lazily loaded bundles (dist/sts.cjs …) carry their own
 * copy of the class, and their errors must be recognised too.
 */
export function isRunasError(e: unknown): e is RunasError {
  return (
    e instanceof Error &&
    e.name === "RunasError" &&
    typeof (e as { code?: unknown }).code === "string" &&
    typeof (e as { exitCode?: unknown }).exitCode === "number"
  );
}
