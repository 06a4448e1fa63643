import type { ResolvedProfile } from "../config/resolveProfile.js";
import { error, info } from "./finding.js";
import type { Finding } from "./finding.js";
import { originText } from "./settingSource.js";

/** The region check (core.md §8 step 3), saying where the region was read so a surprising value can be traced. */
export function regionFindings(profile: ResolvedProfile): Finding[] {
  const region = profile.settings.region;
  const origin = profile.origins.region;
  if (region === undefined || origin === undefined) {
    return [
      error(
        "region is not set, it must be specified in the config file or as an environment variable: add " +
          "region = <e.g. us-east-1> to the profile or [default], or set AWS_REGION",
      ),
    ];
  }
  return [info(`region is configured in profile or environment variable (${region}, read from ${originText("region", origin)})`)];
}
