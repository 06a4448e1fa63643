import { SETTINGS } from "../config/settings.js";
import type { SettingField } from "../config/settings.js";

/** How a flag's argument is read: `bool` and `count` take none (but accept `=true|false`), the others take one. */
export type FlagType = "bool" | "string" | "duration" | "count";

/** One global flag: names, type, bindings and help, defined once for the parser, the help text and the docs. */
export interface FlagDef {
  long: string;
  short?: string;
  type: FlagType;
  /**
   * Environment variables bound to the flag, first set wins (core.md §1.1 rule 8). Only for flags NOT bound to a
   * profile setting: setting-bound flags get their env handling in config/resolveProfile.ts from SETTINGS.
   */
  env?: readonly string[];
  /** Profile setting(s) this flag sets (from SETTINGS rows whose `flag` equals `long`); -U/-P/-R set two fields. */
  fields?: readonly SettingField[];
  group: "config" | "other" | "shortcut" | "help";
  help: string;
  defaultText?: string;
}

type FlagSpec = Omit<FlagDef, "fields">;

// Help order of core.md §1.2: config flags, other flags, shortcut flags, then help/version. `--shell` is new
// (decisions.md "shells") and closes the "other" group so the upstream flags keep their relative order.
const SPECS: readonly FlagSpec[] = [
  { long: "duration", short: "d", type: "duration", group: "config",
    help: "lifetime of session-token credentials: default 12h, 15m to 36h (1h30m or seconds)" },
  { long: "role-duration", short: "a", type: "duration", group: "config",
    help: "lifetime of assume-role credentials: default 1h, 15m to 12h (1h30m or seconds)" },
  { long: "otp", short: "o", type: "string", group: "config", help: "MFA code to use instead of prompting for one" },
  { long: "mfa-serial", short: "M", type: "string", group: "config",
    help: "serial number (or ARN) of the MFA device for the IAM calls" },
  { long: "mfa-type", short: "t", type: "string", group: "config",
    help: "identity-provider MFA method instead of auto-detection: auto, none, code or push" },
  { long: "external-id", short: "X", type: "string", group: "config", help: "external ID sent with AssumeRole" },
  { long: "jump-role", short: "J", type: "string", group: "config",
    help: "ARN of the role assumed first with SAML or OIDC credentials, then used to assume the profile's role" },
  { long: "saml-url", short: "S", type: "string", group: "config", help: "URL of the SAML identity provider" },
  { long: "saml-entityid", short: "I", type: "string", group: "config",
    help: "SAML entity id (browserne provider)" },
  { long: "web-url", short: "W", type: "string", group: "config", help: "URL of the OIDC (web identity) provider" },
  { long: "web-redirect", short: "T", type: "string", group: "config", help: "OIDC redirect (callback) URI" },
  { long: "web-client", short: "C", type: "string", group: "config", help: "OIDC client ID" },
  { long: "username", short: "U", type: "string", group: "config",
    help: "user name for SAML or OIDC sign-in" },
  { long: "password", short: "P", type: "string", group: "config",
    help: "password for SAML or OIDC sign-in; other local users can see it in the process list, so prefer " +
      "'aws-runas password'" },
  { long: "provider", short: "R", type: "string", group: "config",
    help: "SAML or OIDC provider type, skipping auto-detection" },
  { long: "env", short: "E", type: "bool", group: "other", env: ["RUNAS_ENV_CREDENTIALS"],
    help: "pass credentials to the command as environment variables instead of a local credential endpoint" },
  { long: "output", short: "O", type: "string", group: "other", env: ["RUNAS_OUTPUT_FORMAT"], defaultText: "env",
    help: "credential output format: env, or json for credential_process" },
  { long: "session", short: "s", type: "bool", group: "other", env: ["RUNAS_SESSION_CREDENTIALS"],
    help: "use session-token credentials of the source profile instead of role credentials" },
  { long: "refresh", short: "r", type: "bool", group: "other",
    help: "clear the cached credentials and fetch new ones" },
  { long: "expiration", short: "e", type: "bool", group: "other",
    help: "show when the credentials expire (on stderr)" },
  { long: "whoami", short: "w", type: "bool", group: "other",
    help: "show the AWS identity of the credentials (on stderr)" },
  { long: "write-credentials", short: "c", type: "bool", group: "other", env: ["RUNAS_WRITE_CREDENTIALS"],
    help: "also write the credentials to the shared credentials file, section <profile>-awsrunas" },
  { long: "device", type: "bool", group: "other",
    help: "sign in to an OIDC provider with the device flow (no browser here): same as web_identity_flow = device" },
  { long: "shell", type: "string", group: "other", env: ["RUNAS_SHELL"], defaultText: "detected from the environment",
    help: "syntax of the printed environment statements: posix, fish, powershell or cmd" },
  { long: "list-mfa", short: "m", type: "bool", group: "shortcut",
    help: "list the ARN of the MFA device of your IAM user (same as 'list mfa')" },
  { long: "list-roles", short: "l", type: "bool", group: "shortcut",
    help: "list the role ARNs you are able to assume (same as 'list roles')" },
  { long: "update", short: "u", type: "bool", group: "shortcut", help: "check for a newer version of aws-runas" },
  { long: "diagnose", short: "D", type: "bool", group: "shortcut",
    help: "check the configuration and clock for common problems (same as 'diagnose')" },
  { long: "verbose", short: "v", type: "count", group: "shortcut",
    help: "debug logging; twice (-vv) also traces AWS requests (secrets redacted)" },
  { long: "help", short: "h", type: "bool", group: "help", help: "show help" },
  { long: "version", short: "V", type: "bool", group: "help", help: "print the version" },
];

/**
 * Every global flag in help order (core.md §1.2). `fields` is taken from SETTINGS, so a setting's flag binding is
 * written in one place only (config/settings.ts).
 */
export const GLOBAL_FLAGS: readonly FlagDef[] = SPECS.map((spec) => {
  const fields = SETTINGS.filter((s) => s.flag === spec.long).map((s) => s.field);
  return fields.length === 0 ? spec : { ...spec, fields };
});

/** True for flags that read a value (`-a 2h`, `-a=2h`); bool and count flags take none. */
export function flagTakesValue(flag: FlagDef): boolean {
  return flag.type === "string" || flag.type === "duration";
}

/**
 * The environment variables that feed a flag, for help and docs: its own `env`, or those of its settings in
 * SETTINGS order (for -U/-P/-R both the SAML and the OIDC variables), without repeats.
 */
export function flagEnvVars(flag: FlagDef): readonly string[] {
  if (flag.env !== undefined) return flag.env;
  const names: string[] = [];
  for (const field of flag.fields ?? []) {
    for (const name of SETTINGS.find((s) => s.field === field)?.env ?? []) {
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}
