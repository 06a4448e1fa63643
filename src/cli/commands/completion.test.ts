import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { BASH_COMPLETION } from "../../completion/bashCompletion.js";
import { FISH_COMPLETION } from "../../completion/fishCompletion.js";
import { ZSH_COMPLETION } from "../../completion/zshCompletion.js";
import { RunasError } from "../../domain/errors.js";
import type { AppDeps } from "../appDeps.js";
import { parseCommandLine } from "../argv.js";
import type { CommandLine } from "../argv.js";
import { runComplete, runCompletion, runGenerateBashCompletion } from "./completion.js";

/** AppDeps in a temp HOME whose config has the profiles dev and prod; `stdout` collects what is printed. */
function harness(): { deps: AppDeps; stdout: string[] } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "runas-completion-"));
  fs.mkdirSync(path.join(home, ".aws"));
  fs.writeFileSync(path.join(home, ".aws", "config"), "[profile dev]\n[profile prod]\n");
  const stdout: string[] = [];
  const refuse = (what: string) => () => Promise.reject(new Error(`completion must not ${what}`));
  const deps: AppDeps = {
    out: { stdout: (t) => stdout.push(t), stderr: () => assert.fail("completion writes nothing to stderr") },
    clock: { now: () => new Date("2024-05-01T12:00:00Z") },
    platform: "linux",
    homeDir: home,
    version: "1.0.0",
    logger: () => memoryLogger(),
    prompter: () => assert.fail("completion must not prompt"),
    locker: { withLock: refuse("take a lock") },
    osUser: () => "tester",
    sts: refuse("call STS"),
    openBrowser: refuse("open a browser"),
    sdkCredentials: refuse("resolve AWS credentials"),
  };
  return { deps, stdout };
}

/** The CommandLine of `aws-runas <command> <positionals…>`, as the parser gives it once the command is wired. */
function commandLine(command: string, positionals: string[]): CommandLine {
  return { ...parseCommandLine([], {}), command: [command], positionals };
}

describe("runCompletion", () => {
  it("prints the script of the shell named, in any case", async () => {
    for (const [shell, script] of [["bash", BASH_COMPLETION], ["ZSH", ZSH_COMPLETION], ["fish", FISH_COMPLETION]]) {
      const h = harness();
      assert.equal(await runCompletion(commandLine("completion", [shell ?? ""]), {}, h.deps, memoryLogger()), 0);
      assert.deepEqual(h.stdout, [script]);
    }
  });

  it("refuses a missing, unknown or extra shell with a usage error that lists the shells", async () => {
    const cases: [string[], string][] = [
      [[], "name one shell: aws-runas completion <shell>, with bash, zsh or fish"],
      [["tcsh"], 'no completion script for "tcsh": use bash, zsh or fish'],
      [["bash", "zsh"], "name one shell: aws-runas completion <shell>, with bash, zsh or fish"],
    ];
    for (const [args, message] of cases) {
      const h = harness();
      await assert.rejects(runCompletion(commandLine("completion", args), {}, h.deps, memoryLogger()),
        new RunasError("USAGE", message));
      assert.deepEqual(h.stdout, []);
    }
  });
});

describe("runComplete (the hidden __complete)", () => {
  it("prints the candidates for the cursor word, one a line, with descriptions after a tab", async () => {
    const h = harness();
    assert.equal(await runComplete(commandLine("__complete", ["list", "roles", "p"]), {}, h.deps, memoryLogger()), 0);
    assert.deepEqual(h.stdout, ["prod\tprofile\n"]);
  });

  it("reads profiles from AWS_CONFIG_FILE when it is set", async () => {
    const h = harness();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runas-completion-"));
    fs.writeFileSync(path.join(dir, "config"), "[profile elsewhere]\n");
    const env = { AWS_CONFIG_FILE: path.join(dir, "config") };
    await runComplete(commandLine("__complete", ["e"]), env, h.deps, memoryLogger());
    assert.deepEqual(h.stdout, ["ecr\tShortcuts for working with ECR\nelsewhere\tprofile\n"]);
  });

  it("prints nothing when there is nothing to offer", async () => {
    const h = harness();
    await runComplete(commandLine("__complete", ["dev", "aws", ""]), {}, h.deps, memoryLogger());
    assert.deepEqual(h.stdout, [""]);
  });
});

describe("runGenerateBashCompletion (upstream's scripts)", () => {
  it("prints names for the words before the flag, commands as name:usage for upstream's zsh script", async () => {
    const h = harness();
    assert.equal(await runGenerateBashCompletion(["ls", "--generate-bash-completion"], {}, h.deps, memoryLogger()), 0);
    assert.deepEqual(h.stdout, ["mfa\nroles\nhelp\nh\n"]);

    const z = harness();
    await runGenerateBashCompletion(["-l", "--generate-bash-completion"], { _CLI_ZSH_AUTOCOMPLETE_HACK: "1" }, z.deps,
      memoryLogger());
    assert.deepEqual(z.stdout, ["dev\nprod\n"]);

    const zc = harness();
    await runGenerateBashCompletion(["ecr", "--generate-bash-completion"], { _CLI_ZSH_AUTOCOMPLETE_HACK: "1" }, zc.deps,
      memoryLogger());
    const help = "Shows a list of commands or help for one command";
    assert.deepEqual(zc.stdout, [`login:Perform 'docker login' to an ECR endpoint\nhelp:${help}\nh:${help}\n`]);
  });

  it("completes a flag word the script passed", async () => {
    const h = harness();
    await runGenerateBashCompletion(["--wh", "--generate-bash-completion"], {}, h.deps, memoryLogger());
    assert.deepEqual(h.stdout, ["--whoami\n"]);
  });
});
