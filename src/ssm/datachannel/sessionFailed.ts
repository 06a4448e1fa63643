/**
 * The one error a Session Manager session fails with: what went wrong and what to do, as a RunasError.
 */
import { RunasError } from "../../domain/errors.js";

export function sessionFailed(message: string, cause?: unknown): RunasError {
  return new RunasError("SSM_SESSION", message, cause === undefined ? {} : { cause });
}
