/** Shell completion (`__complete`, `completion`), bundled on its own: a TAB loads nothing else. */
export { runComplete, runCompletion, runGenerateBashCompletion } from "../cli/commands/completion.js";
