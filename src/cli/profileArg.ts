import type { Env } from "../ports.js";

/** The profile and command of the default action (print credentials or run a command). */
export interface ProfileSelection {
  /** "" when none. */
  profile: string;
  /**
   * True when the command line did not name the profile, so AWS_PROFILE / AWS_DEFAULT_PROFILE were consulted:
   * both must then be removed from the child's environment (core.md §1.4), even when they gave nothing.
   */
  fromEnv: boolean;
  /** The command to run (default action); [] when none. */
  command: string[];
}

/** AWS_PROFILE, else AWS_DEFAULT_PROFILE, ignoring empty values; "" when neither is set. */
function envProfile(env: Env): string {
  const profile = env["AWS_PROFILE"];
  if (profile !== undefined && profile !== "") return profile;
  return env["AWS_DEFAULT_PROFILE"] ?? "";
}

/** Drops one `--` at the start of a command (decision Q-01: `aws-runas my-profile -- aws s3 ls`). */
function withoutSeparator(words: readonly string[]): string[] {
  return words[0] === "--" ? words.slice(1) : [...words];
}

/**
 * Rule A of core.md §1.4, the default action. Without a profile in the environment the first positional is the
 * profile and the rest the command. With AWS_PROFILE or AWS_DEFAULT_PROFILE set, every positional is the command,
 * except a first one equal to that profile, which upstream drops too. `--` directly after the profile is dropped
 * (decision Q-01).
 */
export function selectDefaultProfile(positionals: readonly string[], env: Env): ProfileSelection {
  const fromEnvironment = envProfile(env);
  const [first, ...rest] = positionals;
  if (fromEnvironment !== "") {
    const command = first === fromEnvironment ? withoutSeparator(rest) : [...positionals];
    return { profile: fromEnvironment, fromEnv: true, command };
  }
  if (first === undefined) return { profile: "", fromEnv: true, command: [] };
  return { profile: first, fromEnv: false, command: withoutSeparator(rest) };
}

/**
 * Rule B of core.md §1.4, for subcommands expecting `expected` positionals (1 for list, password, diagnose and ecr
 * login, 2 for ssm, 0 for serve). With at least that many, the first names the profile; otherwise the profile comes
 * from the environment and every positional is left in `rest` (`AWS_PROFILE=p aws-runas ssm shell i-123`), except a
 * first one equal to that profile, as upstream's target lookup skips it.
 */
export function selectSubcommandProfile(positionals: readonly string[], env: Env, expected: number):
  { profile: string; fromEnv: boolean; rest: string[] } {
  const [first, ...rest] = positionals;
  if (positionals.length >= expected && first !== undefined && first !== "") {
    return { profile: first, fromEnv: false, rest };
  }
  const profile = envProfile(env);
  return { profile, fromEnv: true, rest: profile !== "" && first === profile ? rest : [...positionals] };
}

/** core.md §1.5: a role ARN given where a profile name goes starts with "arn:" and has at least 5 ":". */
export function looksLikeArn(name: string): boolean {
  return name.startsWith("arn:") && name.split(":").length - 1 >= 5;
}
