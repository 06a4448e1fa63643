import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { candidateLines } from "./candidateLines.js";
import type { Candidate } from "./completionCandidates.js";
import { legacyCandidateLines, legacyCandidates } from "./legacyCompletion.js";

const CANDIDATES: Candidate[] = [
  { value: "list", kind: "command", description: "Shows IAM roles or MFA device configuration" },
  { value: "--duration", kind: "flag", description: "lifetime of\nsession-token credentials" },
  { value: "dev", kind: "profile", description: "profile" },
  { value: "json", kind: "value" },
];

describe("candidateLines", () => {
  it("prints value<TAB>description, one line each, descriptions on one line", () => {
    assert.equal(candidateLines(CANDIDATES),
      "list\tShows IAM roles or MFA device configuration\n--duration\tlifetime of session-token credentials\n" +
      "dev\tprofile\njson\n");
    assert.equal(candidateLines([]), "");
  });
});

describe("legacyCandidates (upstream's --generate-bash-completion)", () => {
  /** A completer that records the words it is asked for and answers from a table. */
  function completer(table: Record<string, Candidate[]>): ((w: readonly string[]) => Candidate[]) & { asked: string[][] } {
    const asked: string[][] = [];
    const fn = (words: readonly string[]) => {
      asked.push([...words]);
      return table[JSON.stringify(words)] ?? [];
    };
    return Object.assign(fn, { asked });
  }
  const cmd: Candidate = { value: "list", kind: "command" };
  const flag: Candidate = { value: "--whoami", kind: "flag" };
  const profile: Candidate = { value: "dev", kind: "profile" };

  it("completes a new word after the words the script passed", () => {
    const c = completer({ '["ls",""]': [cmd] });
    assert.deepEqual(legacyCandidates(["ls", "--generate-bash-completion"], c), [cmd]);
    assert.deepEqual(c.asked, [["ls", ""]]);
    assert.deepEqual(legacyCandidates(["--generate-bash-completion"], completer({ '[""]': [cmd, profile] })),
      [cmd, profile]);
  });

  it("completes a trailing flag word, unless the finished words call for profiles or values", () => {
    const flags = completer({ '["-v",""]': [cmd, profile], '["-v"]': [flag] });
    assert.deepEqual(legacyCandidates(["-v", "--generate-bash-completion"], flags), [flag]);
    const profiles = completer({ '["-l",""]': [profile], '["-l"]': [flag] });
    assert.deepEqual(legacyCandidates(["-l", "--generate-bash-completion"], profiles), [profile]);
    const none = completer({ '["-a"]': [flag] });
    assert.deepEqual(legacyCandidates(["-a", "--generate-bash-completion"], none), [flag]);
  });

  it("is undefined for any other argv", () => {
    assert.equal(legacyCandidates([], completer({})), undefined);
    assert.equal(legacyCandidates(["--generate-bash-completion", "x"], completer({})), undefined);
  });
});

describe("legacyCandidateLines", () => {
  it("prints names only, or name:usage for commands for upstream's zsh script", () => {
    assert.equal(legacyCandidateLines(CANDIDATES, false), "list\n--duration\ndev\njson\n");
    assert.equal(legacyCandidateLines(CANDIDATES, true),
      "list:Shows IAM roles or MFA device configuration\n--duration\ndev\njson\n");
  });
});
