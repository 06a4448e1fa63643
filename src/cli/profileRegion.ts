/**
 * The region every regional AWS call of a profile needs, or the one NO_REGION error saying where to set it.
 */
import { RunasError } from "../domain/errors.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";

export function requireRegion(
  profile: ResolvedProfile,
  o: {
    /** Why the region matters here, e.g. "so its ECR registry is unknown". */
    because?: string;
    /** A further way out than setting the region, e.g. "give the registry host as an argument". */
    orElse?: string;
  } = {},
): string {
  if (profile.settings.region !== undefined) return profile.settings.region;
  const name = profile.name || "default";
  const where = name === "default" ? "[default]" : `[profile ${name}]`;
  const why = o.because === undefined ? "" : `, ${o.because}`;
  const ways = o.orElse === undefined ? "or set AWS_REGION" : `set AWS_REGION, or ${o.orElse}`;
  throw new RunasError(
    "NO_REGION",
    `no AWS region for profile '${name}'${why}: add "region = us-east-1" (or yours) to ${where} in your config file, ${ways}`,
  );
}
