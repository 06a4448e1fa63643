import { parseDuration } from "../config/duration.js";
import { settingFor } from "../config/settings.js";
import type { ProfileSettings, SettingField } from "../config/settings.js";
import { RunasError } from "../domain/errors.js";
import { SHELLS } from "../outputs/shell.js";
import type { Shell } from "../outputs/shell.js";
import type { Env } from "../ports.js";
import { childCommands, findCommand, HELP_COMMAND, HELP_FLAG } from "./commandTree.js";
import type { CommandFlagDef, CommandNode } from "./commandTree.js";
import { flagTakesValue, GLOBAL_FLAGS } from "./flags.js";
import type { FlagDef } from "./flags.js";
import { isHttpUrl } from "../config/httpUrl.js";

/** The global options after parsing the command line and the RUNAS_* variables of the non-setting flags. */
export interface GlobalOptions {
  /** Typed values of setting-bound flags given on the command line (never from env; resolveProfile reads env). */
  overrides: Partial<ProfileSettings>;
  envCredentials: boolean;
  output: "env" | "json";
  sessionOnly: boolean;
  writeCredentials: boolean;
  refresh: boolean;
  expiration: boolean;
  whoami: boolean;
  listMfa: boolean;
  listRoles: boolean;
  update: boolean;
  diagnose: boolean;
  verbose: number;
  shell?: Shell;
  help: boolean;
  version: boolean;
}

/** Everything argv says, before any profile or configuration is looked at. */
export interface CommandLine {
  options: GlobalOptions;
  /**
   * Canonical subcommand path: [] for the default action; e.g. ["list","roles"], ["serve","ec2"], ["ssm","shell"],
   * ["help"], ["password"]. Aliases are mapped to canonical names.
   */
  command: string[];
  /** Flags of the subcommand (e.g. serve ec2 `-p`/`-H`; ssm `-P`/`--ec2ic`; ssm forward `-p`), by long name. */
  commandFlags: Record<string, string | boolean>;
  /** `--help`/`-h` given after a subcommand, or `help <cmd>`. */
  commandHelp: boolean;
  /** Positional arguments after the global flags / subcommand, exactly as typed (profile, command words…). */
  positionals: string[];
  /** Non-fatal notes to log as WARN, e.g. an ignored bad RUNAS_* variable. */
  warnings: string[];
}

type BoolOption = "envCredentials" | "sessionOnly" | "writeCredentials" | "refresh" | "expiration" | "whoami" |
  "listMfa" | "listRoles" | "update" | "diagnose" | "help" | "version";

const BOOL_OPTIONS: Readonly<Record<string, BoolOption>> = {
  "env": "envCredentials", "session": "sessionOnly", "write-credentials": "writeCredentials", "refresh": "refresh",
  "expiration": "expiration", "whoami": "whoami", "list-mfa": "listMfa", "list-roles": "listRoles",
  "update": "update", "diagnose": "diagnose", "help": "help", "version": "version",
};

const MFA_TYPES = ["auto", "none", "code", "push"];
const TRUE_WORDS = ["1", "t", "T", "TRUE", "true", "True"];
const FALSE_WORDS = ["0", "f", "F", "FALSE", "false", "False"];

/** Go's strconv.ParseBool, which upstream's flags and RUNAS_* variables use (core.md §1.1 rule 8). */
function parseBool(text: string): boolean | undefined {
  if (TRUE_WORDS.includes(text)) return true;
  if (FALSE_WORDS.includes(text)) return false;
  return undefined;
}

/** A flag as the generic Go-style scanner sees it. */
interface ScanDef<D> {
  def: D;
  long: string;
  short?: string;
  takesValue: boolean;
}

/** One flag occurrence: `typed` is the name as written (`-a`, `--role-duration`) for error messages. */
interface Occurrence<D> {
  def: D;
  typed: string;
  value: string | undefined;
}

/**
 * Reads flags from `args[start]` onwards the way Go's `flag` package does, with urfave/cli's short-flag combining
 * (core.md §1.1 rules 2–5): stops at the first argument that is not a flag, consumes a `--` there. `unknown` builds
 * the error for a name that is not defined. Returns the occurrences in order and the index of the first positional.
 */
function scanFlags<D>(
  args: readonly string[],
  start: number,
  defs: readonly ScanDef<D>[],
  unknown: (name: string) => RunasError,
): { found: Occurrence<D>[]; next: number } {
  const byName = (name: string): ScanDef<D> | undefined => defs.find((d) => d.long === name || d.short === name);
  const found: Occurrence<D>[] = [];
  let i = start;
  while (i < args.length) {
    const arg = args[i] ?? "";
    if (arg.length < 2 || !arg.startsWith("-")) break;
    if (arg === "--") return { found, next: i + 1 };
    const dashes = arg.startsWith("--") ? "--" : "-";
    let name = arg.slice(dashes.length);
    if (name.startsWith("-") || name.startsWith("=")) {
      const shown = arg.split("=")[0] ?? arg;
      throw new RunasError("USAGE", `bad flag syntax: ${shown}; flags look like -name or --name=value`);
    }
    let inline: string | undefined;
    const eq = name.indexOf("=");
    if (eq > 0) {
      inline = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    i += 1;
    const whole = byName(name);
    const group: { scan: ScanDef<D>; typed: string }[] = [];
    if (whole !== undefined) {
      group.push({ scan: whole, typed: dashes + name });
    } else if (dashes === "-" && name.length > 1) {
      const letters = [...name];
      for (const [index, letter] of letters.entries()) {
        const scan = defs.find((d) => d.short === letter);
        if (scan === undefined) throw unknown(name);
        // A value letter inside the group would swallow the letters after it as its value (`-o123456`); refusing
        // it also keeps such a value, which may be a secret, out of the "not defined" message.
        if (scan.takesValue && index < letters.length - 1) {
          const flag = `-${letter}`;
          throw new RunasError("USAGE",
            `flag ${flag} takes a value: write ${flag} VALUE or ${flag}=VALUE, last in a group of short flags`);
        }
        group.push({ scan, typed: `-${letter}` });
      }
    } else {
      throw unknown(name);
    }
    for (const [index, { scan, typed }] of group.entries()) {
      let value = index === group.length - 1 ? inline : undefined;
      if (scan.takesValue && value === undefined) {
        if (i >= args.length) throw new RunasError("USAGE", `flag needs an argument: ${typed}`);
        value = args[i];
        i += 1;
      }
      found.push({ def: scan.def, typed, value });
    }
  }
  return { found, next: i };
}

/** The value of a bool or count flag occurrence: no value means true, otherwise one of Go's bool words. */
function boolValue(typed: string, value: string | undefined): boolean {
  if (value === undefined) return true;
  const parsed = parseBool(value);
  if (parsed === undefined) {
    throw new RunasError("USAGE", `invalid value "${value}" for flag ${typed}: use true or false`);
  }
  return parsed;
}

function unknownFlag(name: string, hint: string): RunasError {
  return new RunasError("USAGE", `flag provided but not defined: -${name}; ${hint}`);
}

function emptyOptions(): GlobalOptions {
  return {
    overrides: {}, envCredentials: false, output: "env", sessionOnly: false, writeCredentials: false,
    refresh: false, expiration: false, whoami: false, listMfa: false, listRoles: false, update: false,
    diagnose: false, verbose: 0, help: false, version: false,
  };
}

function toShell(text: string): Shell | undefined {
  const lower = text.toLowerCase();
  return SHELLS.find((s) => s === lower);
}

/** Stores the typed value of a setting-bound flag in every field it sets (-U/-P/-R set the SAML and OIDC one). */
function setOverride(overrides: Partial<ProfileSettings>, fields: readonly SettingField[], typed: string,
  value: string): void {
  for (const field of fields) {
    const typedValue = typeSettingValue(field, typed, value);
    // An empty value or a zero duration is "unset", as upstream merges only non-zero flag values; a later
    // occurrence of the flag still wins over an earlier one.
    if (typedValue === undefined) delete overrides[field];
    else Object.assign(overrides, { [field]: typedValue });
  }
}

function typeSettingValue(field: SettingField, typed: string, value: string): string | number | undefined {
  if (value === "") return undefined;
  switch (settingFor(field).type) {
    case "seconds":
      if (!/^\d+$/.test(value)) {
        throw new RunasError("USAGE", `invalid value "${value}" for flag ${typed}: use a whole number of seconds`);
      }
      return Number(value) > 0 ? Number(value) : undefined;
    case "duration": {
      const seconds = parseDuration(value);
      if (seconds === undefined) {
        throw new RunasError("USAGE",
          `invalid value "${value}" for flag ${typed}: use a duration like 1h30m or a number of seconds`);
      }
      return seconds > 0 ? seconds : undefined;
    }
    case "mfaType": {
      const lower = value.toLowerCase();
      if (!MFA_TYPES.includes(lower)) {
        throw new RunasError("USAGE", `invalid value "${value}" for flag ${typed}: use auto, none, code or push`);
      }
      return lower;
    }
    case "url":
      // The value is not repeated: an IdP URL may carry a client secret (OneLogin's token parameter).
      if (!isHttpUrl(value)) {
        throw new RunasError("USAGE", `invalid value for flag ${typed}: use an http:// or https:// URL`);
      }
      return value;
    case "string":
      return value;
  }
}

/** Applies the global flags found on the command line; returns the long names given, which beat their env vars. */
function applyGlobalFlags(options: GlobalOptions, found: readonly Occurrence<FlagDef>[]): Set<string> {
  const given = new Set<string>();
  for (const { def, typed, value } of found) {
    given.add(def.long);
    const boolKey = BOOL_OPTIONS[def.long];
    if (def.type === "count") {
      if (boolValue(typed, value)) options.verbose += 1;
    } else if (boolKey !== undefined) {
      options[boolKey] = boolValue(typed, value);
    } else if (def.fields !== undefined) {
      setOverride(options.overrides, def.fields, typed, value ?? "");
    } else if (def.long === "output") {
      options.output = (value ?? "").toLowerCase() === "json" ? "json" : "env";
    } else if (def.long === "device") {
      // --device is the command-line form of web_identity_flow = device (generic OIDC provider).
      if (boolValue(typed, value)) options.overrides.webIdentityFlow = "device";
    } else if (def.long === "shell") {
      const shell = toShell(value ?? "");
      if (shell === undefined) {
        throw new RunasError("USAGE", `invalid value "${value ?? ""}" for flag ${typed}: use ${SHELLS.join(", ")}`);
      }
      options.shell = shell;
    }
  }
  return given;
}

/**
 * The RUNAS_* variables of the non-setting flags not given on the command line (core.md §1.1 rule 8): the first
 * listed variable that is set wins, even when empty, and empty means the default. A value that does not parse is
 * ignored with a warning instead of aborting (decisions.md Q-08).
 */
function applyFlagEnv(options: GlobalOptions, given: ReadonlySet<string>, env: Env, warnings: string[]): void {
  for (const def of GLOBAL_FLAGS) {
    if (def.env === undefined || given.has(def.long)) continue;
    const name = def.env.find((n) => env[n] !== undefined);
    const value = name === undefined ? undefined : env[name];
    if (name === undefined || value === undefined || value === "") continue;
    const boolKey = BOOL_OPTIONS[def.long];
    if (boolKey !== undefined) {
      const parsed = parseBool(value);
      if (parsed === undefined) warnings.push(`ignoring ${name}="${value}": not true or false`);
      else options[boolKey] = parsed;
    } else if (def.long === "output") {
      options.output = value.toLowerCase() === "json" ? "json" : "env";
    } else if (def.long === "shell") {
      const shell = toShell(value);
      if (shell === undefined) warnings.push(`ignoring ${name}="${value}": use ${SHELLS.join(", ")}`);
      else options.shell = shell;
    }
  }
}

const GLOBAL_SCAN: readonly ScanDef<FlagDef>[] = GLOBAL_FLAGS.map((def) => ({
  def, long: def.long, ...(def.short === undefined ? {} : { short: def.short }),
  takesValue: flagTakesValue(def),
}));

function commandScan(node: CommandNode): ScanDef<CommandFlagDef>[] {
  return [...node.flags, HELP_FLAG].map((def) => ({
    def, long: def.long, ...(def.short === undefined ? {} : { short: def.short }), takesValue: def.type === "port",
  }));
}

/** The unknown-flag error inside a subcommand, telling global flags (which belong before it) from typos. */
function commandUnknown(path: readonly string[]): (name: string) => RunasError {
  return (name) => {
    const isGlobal = GLOBAL_FLAGS.some((f) => f.long === name || f.short === name) ||
      (name.length > 1 && [...name].every((l) => GLOBAL_FLAGS.some((f) => f.short === l)));
    return unknownFlag(name, isGlobal
      ? `global flags go before the subcommand: aws-runas [global options] ${path.join(" ")} ...`
      : `run 'aws-runas ${path.join(" ")} --help' for its flags`);
  };
}

/** Reads a leaf command's flags into `commandFlags`; `-h` becomes `commandHelp`. */
function parseLeaf(node: CommandNode, path: readonly string[], args: readonly string[], start: number,
  out: CommandLine): void {
  const { found, next } = scanFlags(args, start, commandScan(node), commandUnknown(path));
  for (const { def, typed, value } of found) {
    if (def === HELP_FLAG) {
      out.commandHelp = boolValue(typed, value);
    } else if (def.type === "bool") {
      out.commandFlags[def.long] = boolValue(typed, value);
    } else {
      const text = value ?? "";
      if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
        throw new RunasError("USAGE", `invalid value "${text}" for flag ${typed}: use a port number from 0 to 65535`);
      }
      out.commandFlags[def.long] = text;
    }
  }
  out.positionals = args.slice(next);
}

/** Resolves the words of `help [topic...]` below `base` into a canonical path, refusing unknown topics. */
function helpTopic(base: readonly string[], group: CommandNode | undefined, words: readonly string[]): string[] {
  const path = [...base];
  let node = group;
  for (const word of words) {
    const child = findCommand(childCommands(node), word);
    if (child === undefined) {
      const topic = [...path, word].join(" ");
      throw new RunasError("USAGE", `no help topic for "${topic}"; run 'aws-runas help' for the commands`);
    }
    path.push(child.name);
    node = child;
  }
  return ["help", ...path];
}

/** Walks the subcommand tree from the first positional (core.md §1.1 rule 7, §1.3). */
function parseSubcommand(top: CommandNode, args: readonly string[], start: number, out: CommandLine): void {
  const path = [top.name];
  let node = top;
  let i = start + 1;
  for (;;) {
    if (node === HELP_COMMAND) {
      const { found, next } = scanFlags(args, i, commandScan(node), commandUnknown(path));
      out.commandHelp = found.some((o) => boolValue(o.typed, o.value));
      out.command = helpTopic([], undefined, args.slice(next));
      return;
    }
    if (node.children === undefined) {
      out.command = path;
      parseLeaf(node, path, args, i, out);
      return;
    }
    const { found, next } = scanFlags(args, i, commandScan(node), commandUnknown(path));
    out.command = path;
    if (found.some((o) => boolValue(o.typed, o.value))) {
      // Like urfave/cli, `-h` on a group shows that group's help whatever follows.
      out.commandHelp = true;
      out.positionals = args.slice(next);
      return;
    }
    const word = args[next];
    if (word === undefined) return;
    const child = findCommand(childCommands(node), word);
    if (child === undefined) {
      const names = (node.children ?? []).map((c) => c.name).join(", ");
      throw new RunasError("USAGE",
        `unknown command "${word}" for 'aws-runas ${path.join(" ")}': use one of ${names}, or help`);
    }
    if (child === HELP_COMMAND) {
      out.command = helpTopic(path, node, args.slice(next + 1));
      return;
    }
    path.push(child.name);
    node = child;
    i = next + 1;
  }
}

/**
 * Parses argv (without node and script) the way upstream's urfave/cli + Go flag does (core.md §1.1): global flags,
 * then a subcommand path with its own flags, or the positionals of the default action. Throws RunasError("USAGE").
 */
export function parseCommandLine(argv: readonly string[], env: Env): CommandLine {
  const out: CommandLine = {
    options: emptyOptions(), command: [], commandFlags: {}, commandHelp: false, positionals: [], warnings: [],
  };
  const { found, next } = scanFlags(argv, 0, GLOBAL_SCAN,
    (name) => unknownFlag(name, "run 'aws-runas --help' for the flags"));
  const given = applyGlobalFlags(out.options, found);
  applyFlagEnv(out.options, given, env, out.warnings);
  const first = argv[next];
  const top = first === undefined ? undefined : findCommand(childCommands(), first);
  if (top === undefined) out.positionals = argv.slice(next);
  else parseSubcommand(top, argv, next, out);
  return out;
}
