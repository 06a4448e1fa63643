import { RunasError } from "../domain/errors.js";
import { commandDoc } from "./commandDocs.js";
import { childCommands, findCommand, HELP_FLAG } from "./commandTree.js";
import type { CommandFlagDef, CommandNode } from "./commandTree.js";
import { flagEnvVars, flagTakesValue, GLOBAL_FLAGS } from "./flags.js";
import type { FlagDef } from "./flags.js";

const INDENT = "   ";
/** Upstream's one-line description of the program (core.md §1.3). */
const APP_USAGE = "Create an environment for interacting with the AWS API using an assumed role";
/** Space between the columns of a two-column block, as urfave/cli's tabwriter pads them. */
const GAP = 2;

/** Lines of two aligned columns, as urfave/cli's tabwriter lays them out. */
function columns(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + GAP;
  return rows.map(([left, right]) => INDENT + left.padEnd(width) + right).join("\n");
}

function indentText(text: string): string {
  return text.split("\n").map((line) => (line === "" ? "" : INDENT + line)).join("\n");
}

/** `--duration value, -d value`: the long name first, as urfave/cli prints it; one-letter names take one dash. */
function flagNames(long: string, short: string | undefined, takesValue: boolean): string {
  const name = (n: string): string => (n.length === 1 ? "-" : "--") + n + (takesValue ? " value" : "");
  return short === undefined ? name(long) : `${name(long)}, ${name(short)}`;
}

function flagText(help: string, defaultText: string | undefined, env: readonly string[]): string {
  const withDefault = defaultText === undefined ? help : `${help} (default: ${defaultText})`;
  return env.length === 0 ? withDefault : `${withDefault} [${env.map((e) => `$${e}`).join(", ")}]`;
}

function globalFlagRow(flag: FlagDef): readonly [string, string] {
  const names = flagNames(flag.long, flag.short, flagTakesValue(flag));
  return [names, flagText(flag.help, flag.defaultText, flagEnvVars(flag))];
}

function commandFlagRow(flag: CommandFlagDef): readonly [string, string] {
  return [flagNames(flag.long, flag.short, flag.type === "port"), flagText(flag.help, flag.defaultText, [])];
}

/** The usage line of the command at a path of canonical names ("" if none: commandDocs.test.ts rules that out). */
function usageOf(path: readonly string[]): string {
  return commandDoc(path)?.usage ?? "";
}

/** One row per visible command of a level: its names, and its usage looked up below the level's `parent` path. */
function commandRows(nodes: readonly CommandNode[], parent: readonly string[]): (readonly [string, string])[] {
  return nodes.filter((n) => n.hidden !== true)
    .map((n) => [[n.name, ...n.aliases].join(", "), usageOf([...parent, n.name])] as const);
}

function section(title: string, body: string): string {
  return `${title}:\n${body}\n`;
}

/**
 * The top-level help, laid out like upstream's urfave/cli page (NAME / USAGE / VERSION / COMMANDS / GLOBAL OPTIONS)
 * so that `aws-runas --help` still matches `^USAGE:\s+aws-runas` (core.md §12.2 T-IT-01), plus examples.
 */
export function appHelp(programName: string, version: string): string {
  const examples = [
    "# run a command with the role's credentials",
    `${programName} my-role -- aws s3 ls`,
    "# set the credentials in the current POSIX shell",
    `eval $(${programName} my-role)`,
    "# make a profile of ~/.aws/config get its credentials from aws-runas",
    `credential_process = ${programName} -O json my-role`,
  ];
  return [
    section("NAME", `${INDENT}${programName} - ${APP_USAGE}`),
    section("USAGE", `${INDENT}${programName} [global options] [subcommand] profile [arguments...]`),
    section("VERSION", INDENT + version),
    section("COMMANDS", columns(commandRows(childCommands(), []))),
    section("GLOBAL OPTIONS", columns(GLOBAL_FLAGS.map(globalFlagRow))),
    section("EXAMPLES", indentText(examples.join("\n"))),
  ].join("\n");
}

/** The canonical names and nodes along a path of names or aliases; throws for a path that names no command. */
function resolvePath(path: readonly string[], programName: string): { names: string[]; node: CommandNode } {
  const names: string[] = [];
  let node: CommandNode | undefined;
  for (const word of path) {
    node = findCommand(childCommands(node), word);
    if (node === undefined) {
      throw new RunasError("USAGE",
        `no help topic for "${[...names, word].join(" ")}"; run '${programName} help' for the commands`);
    }
    names.push(node.name);
  }
  if (node === undefined) throw new RunasError("USAGE", `no command given; run '${programName} help' for the commands`);
  return { names, node };
}

/** The help page of a group (its subcommands) or of a leaf command (its arguments, description and flags). */
export function commandHelp(path: readonly string[], programName: string): string {
  const { names, node } = resolvePath(path, programName);
  const fullName = [programName, ...names].join(" ");
  const doc = commandDoc(names);
  const usageLine = doc?.usage ?? "";
  const options = columns([...node.flags, HELP_FLAG].map(commandFlagRow));
  if (node.children !== undefined) {
    return [
      section("NAME", `${INDENT}${fullName} - ${usageLine}`),
      section("USAGE", `${INDENT}${fullName} command [command options]`),
      section("COMMANDS", columns(commandRows(childCommands(node), names))),
      section("OPTIONS", options),
    ].join("\n");
  }
  const usage = `${fullName} [command options]${node.argsUsage === undefined ? "" : ` ${node.argsUsage}`}`;
  return [
    section("NAME", `${INDENT}${fullName} - ${usageLine}`),
    section("USAGE", INDENT + usage),
    ...(doc?.description === undefined ? [] : [section("DESCRIPTION", indentText(doc.description))]),
    section("OPTIONS", options),
  ].join("\n");
}

/** `--version` output (core.md §1.9): `<program> version <version>`. */
export function versionText(programName: string, version: string): string {
  return `${programName} version ${version}\n`;
}
