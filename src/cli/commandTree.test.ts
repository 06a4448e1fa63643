import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { childCommands, commandAt, COMMAND_TREE, findCommand, HELP_COMMAND } from "./commandTree.js";
import type { CommandNode } from "./commandTree.js";

/** Every node with its path, depth first. */
function walk(nodes: readonly CommandNode[], prefix: readonly string[] = []): [string[], CommandNode][] {
  return nodes.flatMap((n) => [[[...prefix, n.name], n] as [string[], CommandNode],
    ...walk(n.children ?? [], [...prefix, n.name])]);
}

describe("COMMAND_TREE", () => {
  it("has the commands, aliases and flags of core.md §1.3", () => {
    const flags = (n: CommandNode): string => n.flags.map((f) => `${f.long}/${f.short ?? ""}:${f.type}`).join(",");
    const rows = walk(COMMAND_TREE).map(([path, n]) => [path.join(" "), n.aliases.join("|"), flags(n)].join(" ; "));
    assert.deepEqual(rows, [
      "list ; ls ; ",
      "list mfa ;  ; ",
      "list roles ;  ; ",
      "serve ; srv ; ",
      "serve ec2 ;  ; port/p:port,headless/H:bool,imdsv2-only/:bool",
      "serve ecs ;  ; port/p:port,headless/H:bool,no-auth/:bool",
      "ssm ;  ; ",
      "ssm shell ; sh ; plugin/P:bool",
      "ssm forward ; fwd ; port/p:port,plugin/P:bool",
      "ssm ssh ;  ; ec2ic/:bool,plugin/P:bool",
      "ecr ;  ; ",
      "ecr login ;  ; ",
      "password ; passwd|pw ; ",
      "diagnose ; diag ; ",
      "completion ;  ; ",
      "update ;  ; ",
      "__complete ;  ; ",
    ]);
  });

  it("gives every leaf its arguments, and no group any", () => {
    for (const [path, node] of walk(COMMAND_TREE)) {
      if (node.children === undefined && node.name !== "update") assert.ok(node.argsUsage, path.join(" "));
      if (node.children !== undefined) assert.equal(node.argsUsage, undefined, path.join(" "));
    }
  });

  it("carries no usage or description texts: those are in commandDocs.ts, off the credential_process path", () => {
    for (const [path, node] of [...walk(COMMAND_TREE), [["help"], HELP_COMMAND] as const]) {
      assert.deepEqual(Object.keys(node).filter((k) => k === "usage" || k === "description"), [], path.join(" "));
    }
  });

  it("uses no name twice at one level, nor the help names", () => {
    for (const nodes of [COMMAND_TREE, ...COMMAND_TREE.map((n) => n.children ?? [])]) {
      const names = [...nodes, HELP_COMMAND].flatMap((n) => [n.name, ...n.aliases]);
      assert.equal(new Set(names).size, names.length);
    }
  });

  it("hides only update and the completion scripts' helper", () => {
    assert.deepEqual(walk(COMMAND_TREE).filter(([, n]) => n.hidden === true).map(([p]) => p.join(" ")), ["update", "__complete"]);
  });
});

describe("findCommand, childCommands and commandAt", () => {
  it("finds a node by name or alias", () => {
    assert.equal(findCommand(COMMAND_TREE, "passwd")?.name, "password");
    assert.equal(findCommand(COMMAND_TREE, "diagnose")?.name, "diagnose");
    assert.equal(findCommand(COMMAND_TREE, "p"), undefined);
  });

  it("offers help at the top and in every group, and nothing below a leaf", () => {
    assert.deepEqual(childCommands().map((n) => n.name),
      ["list", "serve", "ssm", "ecr", "password", "diagnose", "completion", "update", "__complete", "help"]);
    assert.deepEqual(childCommands(findCommand(COMMAND_TREE, "ssm")).map((n) => n.name),
      ["shell", "forward", "ssh", "help"]);
    assert.deepEqual(childCommands(findCommand(COMMAND_TREE, "password")), []);
  });

  const cases: [string[], string | undefined][] = [
    [["ls", "roles"], "roles"],
    [["ssm", "fwd"], "forward"],
    [["srv"], "serve"],
    [["h"], "help"],
    [["ssm", "h"], "help"],
    [["ssm", "scp"], undefined],
    [["password", "x"], undefined],
    [[], undefined],
  ];
  for (const [path, name] of cases) {
    it(`resolves ${JSON.stringify(path)}`, () => {
      assert.equal(commandAt(path)?.name, name);
    });
  }
});
