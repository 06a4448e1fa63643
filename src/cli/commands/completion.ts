import { RunasError } from "../../domain/errors.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { COMMAND_TREE } from "../commandTree.js";
import { GLOBAL_FLAGS } from "../flags.js";
import { candidateLines } from "../../completion/candidateLines.js";
import { COMPLETION_SHELLS, completionCandidates } from "../../completion/completionCandidates.js";
import type { CompletionSources } from "../../completion/completionCandidates.js";
import { completionProfiles } from "../../completion/completionProfiles.js";
import { completionScript } from "../../completion/completionScript.js";
import { LEGACY_COMPLETION_FLAG, legacyCandidateLines, legacyCandidates } from "../../completion/legacyCompletion.js";

/** "bash, zsh or fish", for messages. */
const SHELL_LIST = `${COMPLETION_SHELLS.slice(0, -1).join(", ")} or ${COMPLETION_SHELLS.at(-1) ?? ""}`;

/** `aws-runas completion <bash|zsh|fish>` (core.md §1.10): prints the shell's completion script on stdout. */
export async function runCompletion(cl: CommandLine, _env: Env, deps: AppDeps, _logger: Logger): Promise<number> {
  const [shell, ...extra] = cl.positionals;
  if (shell === undefined || extra.length > 0) {
    throw new RunasError("USAGE", `name one shell: aws-runas completion <shell>, with ${SHELL_LIST}`);
  }
  const script = completionScript(shell);
  if (script === undefined) {
    throw new RunasError("USAGE", `no completion script for "${shell}": use ${SHELL_LIST}`);
  }
  deps.out.stdout(script);
  return 0;
}

/**
 * The hidden `aws-runas __complete -- <words…>` the completion scripts call: the words typed after the program name,
 * the last being the one at the cursor ("" for a new word); prints one candidate a line (`value<TAB>description`).
 * Reads no more than the AWS config files, and those only when profile names are wanted.
 */
export async function runComplete(cl: CommandLine, env: Env, deps: AppDeps, logger: Logger): Promise<number> {
  deps.out.stdout(candidateLines(completionCandidates(cl.positionals, completionSources(env, deps, logger))));
  return 0;
}

/**
 * Upstream's completion protocol, argv ending in `--generate-bash-completion` (core.md §1.10), for the scripts users
 * installed from upstream's extras/. Takes the raw argv, which must end with that flag: the parser would refuse it.
 */
export async function runGenerateBashCompletion(
  argv: readonly string[],
  env: Env,
  deps: AppDeps,
  logger: Logger,
): Promise<number> {
  const sources = completionSources(env, deps, logger);
  const candidates = legacyCandidates(argv, (words) => completionCandidates(words, sources));
  if (candidates === undefined) {
    throw new RunasError("USAGE", `not a completion request: the last argument is not ${LEGACY_COMPLETION_FLAG}`);
  }
  deps.out.stdout(legacyCandidateLines(candidates, env["_CLI_ZSH_AUTOCOMPLETE_HACK"] === "1"));
  return 0;
}

function completionSources(env: Env, deps: AppDeps, logger: Logger): CompletionSources {
  return {
    tree: COMMAND_TREE,
    globalFlags: GLOBAL_FLAGS,
    profiles: () => completionProfiles(env, deps.homeDir, logger),
  };
}
