/**
 * End to end: `aws-runas completion bash|zsh|fish` loaded into the real shells, which call the built CLI's hidden
 * `__complete` through an `aws-runas` on PATH (core.md §1.10), and upstream's `--generate-bash-completion` protocol.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import { CLI, cleanEnv, run, runCli, tempHome } from "../helpers/cliRun.js";
import { peerSkip } from "../helpers/peers.js";

const CONFIG = "[default]\nregion = us-east-1\n\n[profile prod]\nregion = eu-west-1\n\n[profile prod-eu]\n\n[dev]\n";
const CREDENTIALS = "[ci]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n";

/** A temp HOME with profiles ci, default, dev, prod, prod-eu, and a PATH whose `aws-runas` runs the built CLI. */
function userSession(): { home: string; env: Record<string, string> } {
  const { home } = tempHome(CONFIG, CREDENTIALS);
  const bin = mkdtempSync(path.join(os.tmpdir(), "runas-bin-"));
  const wrapper = path.join(bin, "aws-runas");
  writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const env = cleanEnv(home, { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` });
  return { home, env };
}

/** `peerSkip`, with the package that provides the shell named for whoever sets up the machine. */
function shellSkip(shell: string): string | false {
  const skip = peerSkip(shell, ["-c", "exit 0"]);
  return skip === false ? false : `${skip} (install the ${shell} package, e.g. apt-get install ${shell})`;
}

describe("aws-runas completion", () => {
  it("prints a script for each shell and refuses another shell with a usage error", async () => {
    const { env } = userSession();
    for (const shell of ["bash", "zsh", "fish"]) {
      const r = await runCli(["completion", shell], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^#.*${shell} completion for aws-runas`, "m"));
      assert.match(r.stdout, /aws-runas __complete -- /);
    }
    const bad = await runCli(["completion", "tcsh"], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /no completion script for "tcsh": use bash, zsh or fish/);
  });

  it("answers __complete with one candidate a line", async () => {
    const { env } = userSession();
    const r = await runCli(["__complete", "--", "list", "roles", "pro"], env);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, "prod\tprofile\nprod-eu\tprofile\n", ""]);
  });

  it("answers upstream's --generate-bash-completion", async () => {
    const { env } = userSession();
    const r = await runCli(["list", "--generate-bash-completion"], env);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, "mfa\nroles\nhelp\nh\n", ""]);
    const profiles = await runCli(["-l", "--generate-bash-completion"], env);
    assert.deepEqual([profiles.code, profiles.stdout], [0, "ci\ndefault\ndev\nprod\nprod-eu\n"]);
  });
});

describe("bash completion in a real bash", { skip: shellSkip("bash") }, () => {
  let env: Record<string, string>;
  before(() => {
    env = userSession().env;
  });

  /** What the registered completion function puts in COMPREPLY for the words, the last one at the cursor. */
  async function complete(...words: string[]): Promise<string[]> {
    const quoted = ["aws-runas", ...words].map((w) => `'${w}'`).join(" ");
    const script = [
      "source <(aws-runas completion bash)",
      "spec=$(complete -p aws-runas) || exit 3",
      'fn=$(printf "%s" "$spec" | sed -E "s/.*-F ([^ ]+).*/\\1/")',
      `COMP_WORDS=(${quoted})`,
      `COMP_CWORD=${words.length}`,
      `COMP_LINE="${["aws-runas", ...words].join(" ")}"`,
      "COMP_POINT=${#COMP_LINE}",
      '"$fn" aws-runas "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join("\n");
    const r = await run("bash", ["--norc", "--noprofile", "-c", script], env);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split("\n").filter((l) => l !== "");
  }

  it("registers a completion function for aws-runas that falls back to file names", async () => {
    const script = "source <(aws-runas completion bash); complete -p aws-runas";
    const r = await run("bash", ["--norc", "--noprofile", "-c", script], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^complete -o default -F \S+ aws-runas\n$/);
  });

  it("completes a partial profile name", async () => {
    assert.deepEqual(await complete("pro"), ["prod", "prod-eu"]);
  });

  it("completes a partial subcommand and the subcommands of list", async () => {
    assert.deepEqual(await complete("li"), ["list"]);
    assert.deepEqual(await complete("list", ""), ["mfa", "roles", "help", "h"]);
    assert.deepEqual(await complete("list", "roles", "d"), ["default", "dev"]);
  });

  it("completes flag names and flag values", async () => {
    assert.deepEqual(await complete("--who"), ["--whoami"]);
    assert.deepEqual(await complete("-t", "p"), ["push"]);
    assert.deepEqual(await complete("serve", "ecs", "--h"), ["--headless", "--help"]);
  });

  it("offers nothing after the profile, leaving bash to complete file names", async () => {
    assert.deepEqual(await complete("prod", "aw"), []);
  });
});

describe("fish completion in a real fish", { skip: shellSkip("fish") }, () => {
  let env: Record<string, string>;
  before(() => {
    const session = userSession();
    const xdg = path.join(session.home, ".xdg");
    mkdirSync(xdg);
    env = { ...session.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg };
  });

  /** The completions `complete -C` gives for a command line, values only. */
  async function complete(line: string): Promise<string[]> {
    const script = `aws-runas completion fish | source; complete -C '${line}'`;
    const r = await run("fish", ["--no-config", "-c", script], env);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0] ?? "");
  }

  it("completes a partial profile name, with its description", async () => {
    assert.deepEqual(await complete("aws-runas pro"), ["prod", "prod-eu"]);
    const r = await run("fish", ["--no-config", "-c", "aws-runas completion fish | source; complete -C 'aws-runas pro'"], env);
    assert.match(r.stdout, /^prod\tprofile$/m);
  });

  it("completes subcommands, the subcommands of list and a new word after a subcommand", async () => {
    assert.deepEqual(await complete("aws-runas li"), ["list"]);
    assert.deepEqual((await complete("aws-runas list ")).sort(), ["h", "help", "mfa", "roles"]);
    assert.deepEqual(await complete("aws-runas list roles d"), ["default", "dev"]);
  });

  it("completes flag names", async () => {
    assert.deepEqual(await complete("aws-runas --who"), ["--whoami"]);
  });
});

describe("zsh completion in a real zsh", { skip: shellSkip("zsh") }, () => {
  it("is valid zsh (zsh -n)", async () => {
    const { env, home } = userSession();
    const r = await runCli(["completion", "zsh"], env);
    const file = path.join(home, "_aws-runas");
    writeFileSync(file, r.stdout);
    const check = await run("zsh", ["-n", file], env);
    assert.deepEqual([check.code, check.stderr], [0, ""]);
  });

  it("completes a partial profile name at an interactive prompt, with descriptions", () => {
    const { env } = userSession();
    // An interactive zsh on a pseudo-terminal (zpty): load compinit and the script, type `aws-runas pro` and TAB
    // twice, then read the screen until the listing appears. The marker is split so the echoed command does not match.
    const driver = [
      "zmodload zsh/zpty",
      "zpty z zsh -f -i",
      `zpty -w z 'autoload -U compinit; compinit -u -D; source <(aws-runas completion zsh); PS1="> "; print -r -- RE""ADY'`,
      "zpty -r z out '*READY*'",
      "zpty -w -n z $'aws-runas pro\\t\\t'",
      "zpty -r z out '*-- profile*'",
      'print -r -- "$out"',
      "zpty -d z",
    ].join("\n");
    // The timeout only ends a zsh that waits for a listing that never comes; nothing is asserted about time.
    const r = spawnSync("zsh", ["-f", "-c", driver], { env: { ...env, TERM: "dumb" }, encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    const screen = r.stdout.replace(/\r/g, "");
    assert.match(screen, /aws-runas prod/, screen);
    assert.match(screen, /^prod-eu +prod +-- profile/m, screen);
  });
});
