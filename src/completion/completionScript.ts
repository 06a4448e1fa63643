import { BASH_COMPLETION } from "./bashCompletion.js";
import { COMPLETION_SHELLS } from "./completionCandidates.js";
import { FISH_COMPLETION } from "./fishCompletion.js";
import { ZSH_COMPLETION } from "./zshCompletion.js";

export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

const SCRIPTS: Readonly<Record<CompletionShell, string>> = {
  bash: BASH_COMPLETION,
  zsh: ZSH_COMPLETION,
  fish: FISH_COMPLETION,
};

/** The completion script for a shell name (case-insensitive), or undefined for a shell without one. */
export function completionScript(shell: string): string | undefined {
  const name = COMPLETION_SHELLS.find((s) => s === shell.toLowerCase());
  return name === undefined ? undefined : SCRIPTS[name];
}
