/**
 * One line of `diagnose` output (core.md §8): the checks return findings instead of logging, so each check is a pure
 * function a test can read, and the command alone decides where the lines go and what the exit status is.
 */
export type FindingLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

export interface Finding {
  level: FindingLevel;
  message: string;
}

export const debug = (message: string): Finding => ({ level: "DEBUG", message });
export const info = (message: string): Finding => ({ level: "INFO", message });
export const warn = (message: string): Finding => ({ level: "WARN", message });
export const error = (message: string): Finding => ({ level: "ERROR", message });

/** True when a finding is a problem that makes `diagnose` exit 1. */
export function isFailure(f: Finding): boolean {
  return f.level === "ERROR";
}
