import { formatDuration } from "../config/duration.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import { displayIdpUrl } from "../config/storedPassword.js";

/**
 * The configuration dump `diagnose` prints on stdout (core.md §8 step 6), label for label as upstream so support
 * scripts keep working: durations in Go format (`0s` when unset), then the SAML and OIDC blocks when their URL is
 * set. No value in it is a secret; IdP URLs lose their query, which may hold one (OneLogin's `token`).
 */
export function configDump(shownName: string, profile: ResolvedProfile): string {
  const s = profile.settings;
  const lines: [string, string | undefined][] = [
    ["PROFILE", shownName],
    ["REGION", s.region],
    ["SOURCE PROFILE", s.sourceProfile],
    ["SESSION TOKEN DURATION", formatDuration(s.sessionTokenDuration ?? 0)],
    ["MFA SERIAL", s.mfaSerial],
    ["ROLE ARN", s.roleArn],
    ["EXTERNAL ID", s.externalId],
    // credentials_duration only, not duration_seconds, as upstream prints it.
    ["ASSUME ROLE CREDENTIAL DURATION", formatDuration(s.credentialsDuration ?? 0)],
  ];
  if (s.samlAuthUrl !== undefined) {
    lines.push(
      ["SAML ENDPOINT URL", displayIdpUrl(s.samlAuthUrl)],
      ["SAML USERNAME", s.samlUsername],
      ["JUMP ROLE ARN", s.jumpRoleArn],
    );
  }
  if (s.webIdentityAuthUrl !== undefined) {
    lines.push(
      ["WEB IDENTITY ENDPOINT URL", displayIdpUrl(s.webIdentityAuthUrl)],
      ["WEB IDENTITY CLIENT ID", s.webIdentityClientId],
      ["WEB IDENTITY REDIRECT URI", s.webIdentityRedirectUri],
      ["WEB IDENTITY USERNAME", s.webIdentityUsername],
      ["JUMP ROLE ARN", s.jumpRoleArn],
    );
  }
  return lines.map(([label, value]) => `${label}: ${value ?? ""}\n`).join("");
}
