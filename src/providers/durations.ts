import type { Logger } from "../ports.js";

/** The bounds STS puts on a credential lifetime, and what aws-runas asks for when none is configured (core.md §3.11). */
export interface DurationLimits {
  /** What the duration is for, named in the DEBUG lines. */
  name: string;
  min: number;
  max: number;
  default: number;
}

/** GetSessionToken: 15 minutes to 36 hours, default 12 hours. */
export const SESSION_TOKEN_LIMITS: DurationLimits = { name: "session token", min: 900, max: 129_600, default: 43_200 };
/** AssumeRole (and the SAML / web-identity variants): 15 minutes to 12 hours, default 1 hour. */
export const ASSUME_ROLE_LIMITS: DurationLimits = { name: "role", min: 900, max: 43_200, default: 3_600 };
/** AWS caps a session assumed with role credentials (role chaining) at one hour. */
export const CHAINED_ROLE_LIMITS: DurationLimits = { name: "chained role", min: 900, max: 3_600, default: 3_600 };

/**
 * The whole number of seconds to request: unset or zero → default, below min → min, above max → max, each logged at
 * DEBUG with upstream's wording (scripts and tests match those lines) followed by what it is for and the result.
 */
export function clampDuration(seconds: number | undefined, limits: DurationLimits, logger: Logger): number {
  const say = (text: string, value: number): number => {
    logger.debug(`${text} (${limits.name}: ${value} s)`);
    return value;
  };
  if (seconds === undefined || seconds < 1) return say("provided duration less than 1, setting to default value", limits.default);
  if (seconds < limits.min) return say("provided duration too short, setting to minimum value", limits.min);
  if (seconds > limits.max) return say("provided duration too long, setting to maximum value", limits.max);
  return Math.trunc(seconds);
}
