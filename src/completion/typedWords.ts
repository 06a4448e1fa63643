import { HELP_COMMAND, HELP_FLAG } from "../cli/commandTree.js";
import type { CommandFlagDef, CommandNode } from "../cli/commandTree.js";
import { flagTakesValue } from "../cli/flags.js";
import type { FlagDef } from "../cli/flags.js";

/** A flag as completion sees it: a global flag or a subcommand flag. */
export type AnyFlag = FlagDef | CommandFlagDef;

/** Where the words typed before the cursor leave the command line (core.md §1.1 parsing, read forgivingly). */
export interface TypedWords {
  /** The subcommand reached; undefined at the top level (global flags, then profile and command). */
  node: CommandNode | undefined;
  /** The canonical names of the commands entered, down to `node` (`["ssm", "forward"]`); [] at the top level. */
  path: string[];
  /** For `help`: the group whose commands it names (undefined: the top level). */
  helpTopic: CommandNode | undefined;
  /** The canonical names down to `helpTopic` ([] for the top level). */
  helpTopicPath: string[];
  /** Flags may still come at this level: no positional and no `--` yet. */
  flagsOpen: boolean;
  /** Positional words typed at this level. */
  positionals: string[];
  /** Long names of the flags typed at this level. */
  flagsSeen: Set<string>;
  /** Long names of the global flags typed, kept after a subcommand is entered. */
  globalFlagsSeen: Set<string>;
  /** The flag whose value the cursor word is (`-t <TAB>`). */
  pendingValue: AnyFlag | undefined;
  /** A word named no command of a group: nothing sensible can follow. */
  lost: boolean;
}

/** The flags accepted at a level: the global ones at the top, otherwise the command's own plus `--help`. */
export function levelFlags(node: CommandNode | undefined, globalFlags: readonly FlagDef[]): readonly AnyFlag[] {
  return node === undefined ? globalFlags : [...node.flags, HELP_FLAG];
}

function takesValue(flag: AnyFlag): boolean {
  return "group" in flag ? flagTakesValue(flag) : flag.type === "port";
}

/** The commands a group (undefined: the top level) offers, `help` included as the parser does. */
export function commandsBelow(node: CommandNode | undefined, tree: readonly CommandNode[]): readonly CommandNode[] {
  if (node === undefined) return [...tree, HELP_COMMAND];
  return node.children === undefined ? [] : [...node.children, HELP_COMMAND];
}

function find(nodes: readonly CommandNode[], word: string): CommandNode | undefined {
  return nodes.find((n) => n.name === word || n.aliases.includes(word));
}

/**
 * Reads the completed words (those before the cursor word) the way the parser would: flags until the first
 * positional or `--`, a subcommand name where one may stand, the value word after a value flag. Unknown flags are
 * skipped rather than refused: completion must not fail on a typo earlier in the line.
 */
export function readTypedWords(
  words: readonly string[],
  tree: readonly CommandNode[],
  globalFlags: readonly FlagDef[],
): TypedWords {
  const s: TypedWords = {
    node: undefined, path: [], helpTopic: undefined, helpTopicPath: [], flagsOpen: true, positionals: [],
    flagsSeen: new Set(), globalFlagsSeen: new Set(), pendingValue: undefined, lost: false,
  };
  const enter = (node: CommandNode): void => {
    s.node = node;
    s.path = [...s.path, node.name];
    s.flagsOpen = true;
    s.positionals = [];
    s.flagsSeen = new Set();
  };
  for (const word of words) {
    if (s.pendingValue !== undefined) {
      s.pendingValue = undefined;
      continue;
    }
    if (s.flagsOpen && word === "--") {
      // A group still takes its subcommand after `--`; at a leaf or the top, positionals follow.
      if (s.node?.children === undefined) s.flagsOpen = false;
      continue;
    }
    if (s.flagsOpen && word.length >= 2 && word.startsWith("-")) {
      readFlag(word, levelFlags(s.node, globalFlags), s);
      continue;
    }
    if (s.node === HELP_COMMAND) {
      const topic = find(commandsBelow(s.helpTopic, tree), word);
      if (topic === undefined || topic === HELP_COMMAND || topic.children === undefined) s.lost = true;
      else {
        s.helpTopic = topic;
        s.helpTopicPath = [...s.helpTopicPath, topic.name];
      }
      s.positionals.push(word);
      continue;
    }
    const mayBeCommand = s.node === undefined ? s.positionals.length === 0 : s.node.children !== undefined;
    const command = mayBeCommand ? find(commandsBelow(s.node, tree), word) : undefined;
    if (command !== undefined) {
      if (command === HELP_COMMAND) {
        s.helpTopic = s.node;
        s.helpTopicPath = s.path;
      }
      enter(command);
      continue;
    }
    if (s.node?.children !== undefined) s.lost = true;
    s.positionals.push(word);
    s.flagsOpen = false;
  }
  return s;
}

/** One flag word: `--name`, `-name`, `--name=value`, or a group of single letters (`-vsr`, `-vo 123456`). */
function readFlag(word: string, flags: readonly AnyFlag[], s: TypedWords): void {
  const body = word.replace(/^--?/, "");
  const eq = body.indexOf("=");
  const name = eq < 0 ? body : body.slice(0, eq);
  const whole = flags.find((f) => f.long === name || f.short === name);
  const letters = whole !== undefined ? [whole] : word.startsWith("--") ? [] :
    [...name].map((l) => flags.find((f) => f.short === l));
  if (letters.length === 0 || letters.some((f) => f === undefined)) return;
  const found = letters.filter((f): f is AnyFlag => f !== undefined);
  for (const flag of found) {
    s.flagsSeen.add(flag.long);
    if (s.node === undefined) s.globalFlagsSeen.add(flag.long);
  }
  const last = found[found.length - 1];
  if (eq < 0 && last !== undefined && takesValue(last)) s.pendingValue = last;
}
