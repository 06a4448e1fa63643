import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RunasError } from "../domain/errors.js";
import { COMMAND_TREE } from "./commandTree.js";
import { flagTakesValue, GLOBAL_FLAGS } from "./flags.js";
import { appHelp, commandHelp, versionText } from "./help.js";

describe("appHelp", () => {
  const text = appHelp("aws-runas", "0.1.0");

  it("matches upstream's integration check (T-IT-01)", () => {
    assert.match(text, /^USAGE:\s+aws-runas/m);
    assert.ok(text.startsWith("NAME:\n   aws-runas - Create an environment for interacting with the AWS API"));
    assert.ok(text.includes("\nUSAGE:\n   aws-runas [global options] [subcommand] profile [arguments...]\n"));
    assert.ok(text.includes("\nVERSION:\n   0.1.0\n"));
  });

  it("uses the program name it is given", () => {
    assert.match(appHelp("runas", "1.2.3"), /^USAGE:\n {3}runas \[global options\]/m);
  });

  it("lists every global flag with its short name, in table order", () => {
    const lines = text.split("\n");
    let previous = -1;
    for (const flag of GLOBAL_FLAGS) {
      const value = flagTakesValue(flag) ? " value" : "";
      const long = `--${flag.long}${value}`;
      const names = flag.short === undefined ? long : `${long}, -${flag.short}${value}`;
      const index = lines.findIndex((l) => l.startsWith(`   ${names} `));
      assert.ok(index > previous, `${names} missing or out of order`);
      previous = index;
    }
  });

  it("shows each flag's variables and aligns the descriptions", () => {
    const line = (start: string): string => text.split("\n").find((l) => l.startsWith(start)) ?? "";
    assert.equal(line("   --duration value"),
      "   --duration value, -d value       lifetime of session-token credentials: default 12h, 15m to 36h " +
      "(1h30m or seconds) [$SESSION_TOKEN_DURATION]");
    assert.equal(line("   --env,"),
      "   --env, -E                        pass credentials to the command as environment " +
      "variables instead of a local credential endpoint [$RUNAS_ENV_CREDENTIALS]");
    assert.equal(line("   --output"),
      "   --output value, -O value         credential output format: env, or json for " +
      "credential_process (default: env) [$RUNAS_OUTPUT_FORMAT]");
    assert.match(line("   --username"),
      / \[\$RUNAS_USERNAME, \$SAML_USERNAME, \$WEB_IDENTITY_USERNAME, \$WEB_USERNAME\]$/);
    assert.equal(line("   --refresh"),
      "   --refresh, -r                    clear the cached credentials and fetch new ones");
  });

  it("lists the visible commands with their aliases, not the hidden update", () => {
    const commands = text.slice(text.indexOf("COMMANDS:\n"), text.indexOf("\nGLOBAL OPTIONS:"));
    assert.equal(commands, [
      "COMMANDS:",
      "   list, ls              Shows IAM roles or MFA device configuration",
      "   serve, srv            Serve credentials from a listening HTTP service",
      "   ssm                   Helpful shortcuts for working with SSM sessions",
      "   ecr                   Shortcuts for working with ECR",
      "   password, passwd, pw  Set or update the stored password for an external identity provider",
      "   diagnose, diag        run diagnostics to gather information to aid in troubleshooting",
      "   completion            Print the shell completion script for bash, zsh or fish",
      "   help, h               Shows a list of commands or help for one command",
      "",
    ].join("\n"));
  });

  it("ends with examples", () => {
    assert.ok(text.endsWith([
      "EXAMPLES:",
      "   # run a command with the role's credentials",
      "   aws-runas my-role -- aws s3 ls",
      "   # set the credentials in the current POSIX shell",
      "   eval $(aws-runas my-role)",
      "   # make a profile of ~/.aws/config get its credentials from aws-runas",
      "   credential_process = aws-runas -O json my-role",
      "",
    ].join("\n")));
  });
});

describe("commandHelp", () => {
  it("shows a group's subcommands", () => {
    assert.equal(commandHelp(["ls"], "aws-runas"), [
      "NAME:",
      "   aws-runas list - Shows IAM roles or MFA device configuration",
      "",
      "USAGE:",
      "   aws-runas list command [command options]",
      "",
      "COMMANDS:",
      "   mfa      list the ARN of the MFA device associated with your IAM account",
      "   roles    list role ARNs you are able to assume",
      "   help, h  Shows a list of commands or help for one command",
      "",
      "OPTIONS:",
      "   --help, -h  show help",
      "",
    ].join("\n"));
  });

  it("shows a leaf's arguments, description and flags", () => {
    assert.equal(commandHelp(["ssm", "fwd"], "aws-runas"), [
      "NAME:",
      "   aws-runas ssm forward - Start an SSM port forwarding session",
      "",
      "USAGE:",
      "   aws-runas ssm forward [command options] profile_name target_spec:remote_port",
      "",
      "DESCRIPTION:",
      "   Forwards a local port to a port of an instance through SSM Session Manager. The text after",
      "   the last ':' of the target is the remote port; the target is found as for 'ssm shell'.",
      "",
      "OPTIONS:",
      "   --port value, -p value  local port to listen on (default: random port)",
      "   --plugin, -P            use AWS's session-manager-plugin instead of the built-in session client",
      "   --help, -h              show help",
      "",
    ].join("\n"));
  });

  it("has a page for every command, help included", () => {
    const paths = [["help"], ["update"], ["ssm", "help"], ...COMMAND_TREE.flatMap((n) =>
      [[n.name], ...(n.children ?? []).map((c) => [n.name, c.name])])];
    for (const path of paths) {
      const text = commandHelp(path, "aws-runas");
      assert.match(text, new RegExp(`^NAME:\\n {3}aws-runas ${path.join(" ")} - \\S[^\\n]*\\n\\n`), path.join(" "));
      assert.match(text, new RegExp(`^USAGE:\\n {3}aws-runas ${path.join(" ")} `, "m"));
      assert.match(text, /^ {3}--help, -h {2}/m);
    }
  });

  it("shows the usage and description kept for the command, for the help of a group too", () => {
    assert.ok(commandHelp(["completion"], "aws-runas").includes([
      "DESCRIPTION:",
      "   Prints a script that completes subcommands, flags and profile names. Load it with",
      "     source <(aws-runas completion bash)   (bash; zsh: completion zsh, after compinit)",
      "     aws-runas completion fish | source    (fish)",
      "",
    ].join("\n")));
    assert.ok(commandHelp(["ssm", "h"], "aws-runas").startsWith(
      "NAME:\n   aws-runas ssm help - Shows a list of commands or help for one command\n\nUSAGE:\n" +
      "   aws-runas ssm help [command options] [command]\n"));
    assert.ok(!commandHelp(["list"], "aws-runas").includes("DESCRIPTION:"));
  });

  it("refuses a path that names no command", () => {
    for (const [path, message] of [
      [["nope"], "no help topic for \"nope\"; run 'aws-runas help' for the commands"],
      [["ssm", "scp"], "no help topic for \"ssm scp\"; run 'aws-runas help' for the commands"],
      [[], "no command given; run 'aws-runas help' for the commands"],
    ] as const) {
      assert.throws(() => commandHelp(path, "aws-runas"),
        (e: unknown) => e instanceof RunasError && e.code === "USAGE" && e.message === message);
    }
  });
});

describe("versionText", () => {
  it("prints '<program> version <version>' (core.md §1.9, T-IT-02)", () => {
    assert.equal(versionText("aws-runas", "0.1.0"), "aws-runas version 0.1.0\n");
    assert.match(versionText("aws-runas", "3.7.0-5-gabc1234"), /\d+\.\d+(\.\d+)?(-\d+-\w+)?/);
  });
});
