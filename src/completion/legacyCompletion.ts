import type { Candidate } from "./completionCandidates.js";

/**
 * The last argument upstream's completion scripts (`extras/aws-runas-bash-completion`, `-zsh-completion`) add
 * (core.md §1.10). Answering it keeps those installed scripts working, and keeps a TAB from running the default
 * action with `--generate-bash-completion` as the command.
 */
export const LEGACY_COMPLETION_FLAG = "--generate-bash-completion";

/**
 * The candidates for an upstream-style call, or undefined when argv is not one. Those scripts pass the cursor word
 * only when it starts with `-`, so a trailing flag is either the cursor word (`-v<TAB>`) or a finished one
 * (`-l <TAB>`). As upstream did, what the finished words already call for wins: the profile after -l/-m/-D, a flag's value, a
 * leaf's profile. Otherwise the trailing flag is completed. The shell filters the output by the cursor word.
 */
export function legacyCandidates(
  argv: readonly string[],
  complete: (words: readonly string[]) => Candidate[],
): Candidate[] | undefined {
  if (argv[argv.length - 1] !== LEGACY_COMPLETION_FLAG) return undefined;
  const typed = argv.slice(0, -1);
  const asFinished = complete([...typed, ""]);
  const last = typed[typed.length - 1];
  if (last === undefined || !last.startsWith("-")) return asFinished;
  if (asFinished.length > 0 && asFinished.every((c) => c.kind !== "command")) return asFinished;
  return complete(typed);
}

/**
 * Upstream's output: one name a line; with `_CLI_ZSH_AUTOCOMPLETE_HACK=1` (set by its zsh script) commands as
 * `name:usage`, the form its _describe call expects.
 */
export function legacyCandidateLines(candidates: readonly Candidate[], zsh: boolean): string {
  return candidates
    .map((c) => (zsh && c.kind === "command" && c.description !== undefined
      ? `${c.value.replace(/:/g, "\\:")}:${c.description}` : c.value))
    .map((line) => `${line}\n`)
    .join("");
}
