import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COMMAND_TREE } from "../cli/commandTree.js";
import { GLOBAL_FLAGS } from "../cli/flags.js";
import { completionCandidates } from "./completionCandidates.js";
import type { CompletionSources } from "./completionCandidates.js";

const PROFILES = ["default", "dev", "dev-admin", "prod", "prod:eu"];

function sources(profiles: () => readonly string[] = () => PROFILES): CompletionSources {
  return { tree: COMMAND_TREE, globalFlags: GLOBAL_FLAGS, profiles };
}

/** The candidate words for a command line typed after `aws-runas`, the last word being the cursor word. */
function complete(...words: string[]): string[] {
  return completionCandidates(words, sources()).map((c) => c.value);
}

const TOP_COMMANDS = ["list", "ls", "serve", "srv", "ssm", "ecr", "password", "passwd", "pw", "diagnose", "diag",
  "completion", "help", "h"];

describe("completionCandidates: commands and profiles", () => {
  it("offers every visible command and alias, then the profiles, for a new first word", () => {
    assert.deepEqual(complete(""), [...TOP_COMMANDS, ...PROFILES]);
  });

  it("keeps only the candidates the cursor word starts", () => {
    assert.deepEqual(complete("pro"), ["prod", "prod:eu"]);
    assert.deepEqual(complete("d"), ["diagnose", "diag", "default", "dev", "dev-admin"]);
    assert.deepEqual(complete("dev-"), ["dev-admin"]);
    assert.deepEqual(complete("zzz"), []);
  });

  it("describes commands with their usage line and profiles as profiles", () => {
    const byValue = new Map(completionCandidates(["l"], sources()).map((c) => [c.value, c]));
    assert.deepEqual(byValue.get("list"),
      { value: "list", kind: "command", description: "Shows IAM roles or MFA device configuration" });
    assert.deepEqual(completionCandidates(["prod:"], sources()),
      [{ value: "prod:eu", kind: "profile", description: "profile" }]);
  });

  it("describes subcommands and help topics with their own usage line, at every level", () => {
    const described = (...words: string[]): [string, string | undefined][] =>
      completionCandidates(words, sources()).map((c) => [c.value, c.description]);
    const help = "Shows a list of commands or help for one command";
    assert.deepEqual(described("ssm", ""), [
      ["shell", "Start an SSM shell session"], ["sh", "Start an SSM shell session"],
      ["forward", "Start an SSM port forwarding session"], ["fwd", "Start an SSM port forwarding session"],
      ["ssh", "Start an SSH over SSM session"], ["help", help], ["h", help],
    ]);
    assert.deepEqual(described("srv", "e"), [
      ["ec2", "Run a mock EC2 metadata (IMDS) service to provide role credentials"],
      ["ecs", "Run a mock ECS credential endpoint to provide role credentials"],
    ]);
    assert.deepEqual(described("h", "ls", ""), [
      ["mfa", "list the ARN of the MFA device associated with your IAM account"],
      ["roles", "list role ARNs you are able to assume"],
    ]);
    assert.deepEqual(described("ecr", "help", "l"), [["login", "Perform 'docker login' to an ECR endpoint"]]);
    assert.deepEqual(described("h", "pa"), [
      ["password", "Set or update the stored password for an external identity provider"],
      ["passwd", "Set or update the stored password for an external identity provider"],
    ]);
  });

  it("offers a group's subcommands and help after the group name or alias", () => {
    assert.deepEqual(complete("list", ""), ["mfa", "roles", "help", "h"]);
    assert.deepEqual(complete("ls", "r"), ["roles"]);
    assert.deepEqual(complete("ssm", ""), ["shell", "sh", "forward", "fwd", "ssh", "help", "h"]);
    assert.deepEqual(complete("ssm", "bogus", ""), []);
  });

  it("offers profiles for the profile argument of a leaf, and nothing after it", () => {
    assert.deepEqual(complete("list", "roles", ""), PROFILES);
    assert.deepEqual(complete("list", "roles", "de"), ["default", "dev", "dev-admin"]);
    assert.deepEqual(complete("list", "roles", "dev", ""), []);
    assert.deepEqual(complete("password", "p"), ["prod", "prod:eu"]);
    assert.deepEqual(complete("diag", "pr"), ["prod", "prod:eu"]);
    assert.deepEqual(complete("ssm", "sh", "dev", ""), []);
    assert.deepEqual(complete("ecr", "login", "d"), ["default", "dev", "dev-admin"]);
    assert.deepEqual(complete("serve", "ecs", "-p", "8080", "-H", "pr"), ["prod", "prod:eu"]);
  });

  it("offers nothing after the profile of the default action: the rest is the command to run", () => {
    assert.deepEqual(complete("dev", ""), []);
    assert.deepEqual(complete("dev", "aws", "s"), []);
    assert.deepEqual(complete("dev", "-"), []);
  });

  it("offers only profiles after -l, -m or -D, also inside a group of short flags", () => {
    assert.deepEqual(complete("-l", ""), PROFILES);
    assert.deepEqual(complete("-vm", "d"), ["default", "dev", "dev-admin"]);
    assert.deepEqual(complete("--diagnose", "prod"), ["prod", "prod:eu"]);
  });

  it("offers the shells after completion", () => {
    assert.deepEqual(complete("completion", ""), ["bash", "zsh", "fish"]);
    assert.deepEqual(complete("completion", "f"), ["fish"]);
    assert.deepEqual(complete("completion", "bash", ""), []);
  });

  it("offers help topics after help, at the top and in a group", () => {
    assert.deepEqual(complete("help", ""), TOP_COMMANDS.filter((c) => c !== "help" && c !== "h"));
    assert.deepEqual(complete("help", "ssm", "f"), ["forward", "fwd"]);
    assert.deepEqual(complete("ssm", "help", "s"), ["shell", "sh", "ssh"]);
    assert.deepEqual(complete("help", "password", ""), []);
  });

  it("reads past flags and their values to the first positional, as the parser does", () => {
    assert.deepEqual(complete("-o", "123456", "pro"), ["prod", "prod:eu"]);
    assert.deepEqual(complete("-vo", "123456", "-E", "li"), ["list"]);
    assert.deepEqual(complete("--otp=123456", "li"), ["list"]);
    assert.deepEqual(complete("-E", "--", "li"), ["list"]);
    assert.deepEqual(complete("--no-such-flag", "pro"), ["prod", "prod:eu"]);
  });
});

describe("completionCandidates: flags", () => {
  it("offers --long and -x names of the global flags, with their help", () => {
    const flags = completionCandidates(["-"], sources());
    assert.equal(flags.length, GLOBAL_FLAGS.length + GLOBAL_FLAGS.filter((f) => f.short !== undefined).length);
    assert.deepEqual(flags.slice(0, 2), [
      { value: "--duration", kind: "flag", description: GLOBAL_FLAGS[0]?.help },
      { value: "-d", kind: "flag", description: GLOBAL_FLAGS[0]?.help },
    ]);
    assert.ok(flags.every((f) => f.kind === "flag"));
  });

  it("offers only long names after --, and filters by the typed prefix", () => {
    assert.deepEqual(complete("--w"), ["--web-url", "--web-redirect", "--web-client", "--whoami", "--write-credentials"]);
    assert.ok(complete("--").every((f) => f.startsWith("--")));
    assert.deepEqual(complete("-v"), ["-v"]);
  });

  it("leaves out flags already typed, except the repeatable -v", () => {
    const after = complete("-s", "--whoami", "-v", "-");
    assert.ok(!after.includes("-s") && !after.includes("--session"));
    assert.ok(!after.includes("-w") && !after.includes("--whoami"));
    assert.ok(after.includes("-v") && after.includes("--verbose"));
    assert.ok(after.includes("-r"));
  });

  it("offers a subcommand's own flags, not the global ones, after the subcommand", () => {
    assert.deepEqual(complete("serve", "ecs", "-"), ["--port", "-p", "--headless", "-H", "--no-auth", "--help", "-h"]);
    assert.deepEqual(complete("ssm", "forward", "-p", "8080", "--"), ["--plugin", "--help"]);
    assert.deepEqual(complete("list", "-"), ["--help", "-h"]);
    assert.deepEqual(complete("list", "roles", "dev", "-"), []);
  });

  it("offers the fixed values of -t, -O, --shell and -R, and nothing for a free value", () => {
    assert.deepEqual(complete("-t", ""), ["auto", "none", "code", "push"]);
    assert.deepEqual(complete("--output", "j"), ["json"]);
    assert.deepEqual(complete("--shell", "p"), ["posix", "powershell"]);
    assert.ok(complete("-R", "").includes("okta") && complete("-R", "").includes("oidc"));
    assert.deepEqual(complete("-a", ""), []);
    assert.deepEqual(complete("serve", "ec2", "-p", ""), []);
  });

  it("does not read the profile files to complete a flag", () => {
    const refuse = () => { throw new Error("profiles read"); };
    assert.ok(completionCandidates(["-"], sources(refuse)).length > 0);
    assert.deepEqual(completionCandidates(["-t", ""], sources(refuse)).map((c) => c.value), ["auto", "none", "code", "push"]);
  });
});
