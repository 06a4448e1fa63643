import type { Candidate } from "./completionCandidates.js";

/**
 * The output of `aws-runas __complete`: one candidate a line, `value<TAB>description` when there is a description.
 * fish reads this format as it is; the bash script keeps the part before the tab, the zsh one turns it into
 * `value:description` for _describe.
 */
export function candidateLines(candidates: readonly Candidate[]): string {
  return candidates
    .map((c) => {
      const description = oneLine(c.description ?? "");
      return description === "" ? `${c.value}\n` : `${c.value}\t${description}\n`;
    })
    .join("");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
