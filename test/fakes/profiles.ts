import type { ResolvedProfile } from "../../src/config/resolveProfile.js";
import type { ProfileSettings } from "../../src/config/settings.js";

/** A resolved profile built directly, for provider tests that do not need ini files. */
export function profile(name: string, settings: ProfileSettings, more: Partial<ResolvedProfile> = {}): ResolvedProfile {
  return { name, settings: { mfaType: "auto", ...settings }, origins: {}, warnings: [], ...more };
}

/** A profile holding long-term IAM user keys. */
export function keysProfile(name: string, settings: ProfileSettings = {}): ResolvedProfile {
  return profile(name, settings, { staticKeys: { accessKeyId: `AKIA${name.toUpperCase()}`, secretAccessKey: "longterm" } });
}
