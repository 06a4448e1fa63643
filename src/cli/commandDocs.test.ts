import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COMMAND_DOCS, commandDoc } from "./commandDocs.js";
import { COMMAND_TREE, HELP_COMMAND } from "./commandTree.js";
import type { CommandNode } from "./commandTree.js";

/** The canonical path of every command node, depth first, and `help`. */
function commandPaths(nodes: readonly CommandNode[] = COMMAND_TREE, prefix: readonly string[] = []): string[] {
  return nodes.flatMap((n) => [[...prefix, n.name].join(" "), ...commandPaths(n.children ?? [], [...prefix, n.name])]);
}
const PATHS = [...commandPaths(), HELP_COMMAND.name];

describe("COMMAND_DOCS", () => {
  it("gives every command node, help included, a non-empty one-line usage", () => {
    for (const path of PATHS) {
      const usage = commandDoc(path.split(" "))?.usage;
      assert.ok(usage !== undefined, `${path}: no docs`);
      assert.ok(usage.trim() !== "" && !usage.includes("\n"), `${path}: usage ${JSON.stringify(usage)}`);
    }
  });

  it("names only real commands, by their canonical path, in tree order", () => {
    assert.deepEqual(Object.keys(COMMAND_DOCS), PATHS);
  });

  it("keeps descriptions to text lines: none empty, none with a trailing newline", () => {
    for (const [path, doc] of Object.entries(COMMAND_DOCS)) {
      if (doc.description === undefined) continue;
      assert.ok(doc.description.trim() !== "" && !doc.description.endsWith("\n"), path);
    }
  });

  it("describes every leaf for its help page, but the completion scripts' hidden helper", () => {
    const leaves = (nodes: readonly CommandNode[], prefix: readonly string[]): string[][] =>
      nodes.flatMap((n) => {
        const path = [...prefix, n.name];
        return n.children === undefined ? [path] : leaves(n.children, path);
      });
    const described = leaves(COMMAND_TREE, []).filter((p) => p.join(" ") !== "__complete");
    assert.ok(described.length >= 12);
    for (const path of described) assert.ok(commandDoc(path)?.description, path.join(" "));
  });
});

describe("commandDoc", () => {
  it("looks a command up by its path of canonical names", () => {
    assert.equal(commandDoc(["ssm", "forward"])?.usage, "Start an SSM port forwarding session");
    assert.equal(commandDoc(["list"])?.usage, "Shows IAM roles or MFA device configuration");
  });

  it("gives the help of a group the one help command's texts", () => {
    assert.equal(commandDoc(["ssm", "help"]), COMMAND_DOCS["help"]);
    assert.equal(commandDoc(["help"]), COMMAND_DOCS["help"]);
  });

  it("finds nothing for an alias, a path that is no command, or an inherited property name", () => {
    for (const path of [["ls"], ["ssm", "fwd"], ["ssm", "scp"], [], ["constructor"], ["toString"]]) {
      assert.equal(commandDoc(path), undefined, JSON.stringify(path));
    }
  });
});
