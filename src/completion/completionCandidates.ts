import { commandDoc } from "../cli/commandDocs.js";
import { HELP_COMMAND } from "../cli/commandTree.js";
import type { CommandNode } from "../cli/commandTree.js";
import type { FlagDef } from "../cli/flags.js";
import { SAML_PROVIDER_NAMES, WEB_IDENTITY_PROVIDER_NAMES } from "../domain/providerNames.js";
import { SHELLS } from "../outputs/shell.js";
import { commandsBelow, levelFlags, readTypedWords } from "./typedWords.js";
import type { AnyFlag, TypedWords } from "./typedWords.js";

/** One completion: the word, what it is, and a short description for shells that show one (zsh, fish). */
export interface Candidate {
  value: string;
  kind: "command" | "flag" | "value" | "profile";
  description?: string;
}

/** The command `aws-runas completion <shell>` and the shells it writes scripts for. */
export const COMPLETION_COMMAND = "completion";
export const COMPLETION_SHELLS = ["bash", "zsh", "fish"] as const;

/** What the candidates are computed from; `profiles` is called only when profile names are wanted. */
export interface CompletionSources {
  tree: readonly CommandNode[];
  globalFlags: readonly FlagDef[];
  profiles(): readonly string[];
}

/** Shortcut flags whose positional is a profile (core.md §1.10: `-m`, `-l`, `-D`). */
const PROFILE_SHORTCUTS = ["list-mfa", "list-roles", "diagnose"];

/** The fixed values some global flags take, offered after the flag. */
const FLAG_VALUES: Readonly<Record<string, readonly string[]>> = {
  "mfa-type": ["auto", "none", "code", "push"],
  "output": ["env", "json"],
  "shell": SHELLS,
  "provider": [...new Set([...SAML_PROVIDER_NAMES, ...WEB_IDENTITY_PROVIDER_NAMES])],
};

/**
 * The completions for the last of `words` (the word at the cursor, "" for a new word), given the words before it
 * (core.md §1.10, adapted): flag names where a flag may stand, a flag's fixed values, the commands of the level
 * reached, and profile names where a profile is expected. Every candidate starts with the cursor word.
 */
export function completionCandidates(words: readonly string[], sources: CompletionSources): Candidate[] {
  const current = words.length === 0 ? "" : words[words.length - 1] ?? "";
  const typed = readTypedWords(words.slice(0, -1), sources.tree, sources.globalFlags);
  const all = candidatesAt(typed, current, sources);
  const seen = new Set<string>();
  return all.filter((c) => {
    if (!c.value.startsWith(current) || seen.has(c.value) || /[\t\n\r]/.test(c.value)) return false;
    seen.add(c.value);
    return true;
  });
}

function candidatesAt(typed: TypedWords, current: string, sources: CompletionSources): Candidate[] {
  if (typed.lost) return [];
  if (typed.pendingValue !== undefined) return valuesOf(typed.pendingValue);
  if (current.startsWith("-")) return typed.flagsOpen ? flagNames(typed, current, sources.globalFlags) : [];
  const { node } = typed;
  if (node === undefined) {
    if (typed.positionals.length > 0) return [];
    const profiles = profileCandidates(sources);
    if (PROFILE_SHORTCUTS.some((f) => typed.globalFlagsSeen.has(f))) return profiles;
    return [...commandCandidates(commandsBelow(undefined, sources.tree), []), ...profiles];
  }
  if (node === HELP_COMMAND) {
    const topics = commandsBelow(typed.helpTopic, sources.tree).filter((n) => n !== HELP_COMMAND);
    return commandCandidates(topics, typed.helpTopicPath);
  }
  if (node.children !== undefined) return commandCandidates(commandsBelow(node, sources.tree), typed.path);
  if (typed.positionals.length > 0) return [];
  if (node.name === COMPLETION_COMMAND) return COMPLETION_SHELLS.map((s) => ({ value: s, kind: "value" as const }));
  return node.argsUsage?.includes("profile_name") === true ? profileCandidates(sources) : [];
}

/** Visible commands of the level below `parent` (canonical names) and their aliases, each with its usage line. */
function commandCandidates(nodes: readonly CommandNode[], parent: readonly string[]): Candidate[] {
  return nodes
    .filter((n) => n.hidden !== true)
    .flatMap((n) => {
      const usage = commandDoc([...parent, n.name])?.usage;
      const described = usage === undefined ? {} : { description: usage };
      return [n.name, ...n.aliases].map((value) => ({ value, kind: "command" as const, ...described }));
    });
}

function profileCandidates(sources: CompletionSources): Candidate[] {
  return sources.profiles().map((value) => ({ value, kind: "profile" as const, description: "profile" }));
}

/**
 * `--long` for every flag of the level and `-x` for its short name, leaving out flags already typed (except the
 * repeatable -v) and short names when the word already starts with `--`, as upstream's completion does.
 */
function flagNames(typed: TypedWords, current: string, globalFlags: readonly FlagDef[]): Candidate[] {
  const out: Candidate[] = [];
  for (const flag of levelFlags(typed.node, globalFlags)) {
    if (typed.flagsSeen.has(flag.long) && flag.type !== "count") continue;
    out.push({ value: `--${flag.long}`, kind: "flag", description: flag.help });
    if (flag.short !== undefined && !current.startsWith("--")) {
      out.push({ value: `-${flag.short}`, kind: "flag", description: flag.help });
    }
  }
  return out;
}

function valuesOf(flag: AnyFlag): Candidate[] {
  const values = "group" in flag ? FLAG_VALUES[flag.long] : undefined;
  return (values ?? []).map((value) => ({ value, kind: "value" as const }));
}
