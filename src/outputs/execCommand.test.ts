import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import { execCommand, resolveCommand } from "./execCommand.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";


function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
}

async function waitForFile(file: string): Promise<void> {
  while (!fs.existsSync(file)) await sleep(10);
}

const PATH = "/usr/local/bin:/usr/bin:/bin";

describe("resolveCommand (T-CLI-04)", () => {
  const onPath = new Set(["/usr/bin/aws", "/bin/ls", "local", "./local", "bin/tool"]);
  const exists = (p: string): boolean => onPath.has(p);
  const cases: [string, string[], Env, NodeJS.Platform, string[]][] = [
    ["empty command", [], { SHELL: "/bin/bash", PATH }, "linux", []],
    [
      "unknown command with SHELL=/bin/bash",
      ["not_a_command", "-v", "arg"],
      { SHELL: "/bin/bash", PATH },
      "linux",
      ["/bin/bash", "-i", "-c", "not_a_command -v arg"],
    ],
    ["unknown command with SHELL unset", ["not_a_command", "-v", "arg"], { PATH }, "linux", ["not_a_command", "-v", "arg"]],
    ["found on PATH", ["aws", "s3", "ls"], { SHELL: "/bin/bash", PATH }, "linux", ["aws", "s3", "ls"]],
    ["found in a later PATH entry", ["ls", "-l"], { SHELL: "/bin/zsh", PATH }, "darwin", ["ls", "-l"]],
    ["not found without a PATH", ["ls"], { SHELL: "/bin/sh" }, "linux", ["/bin/sh", "-i", "-c", "ls"]],
    ["an empty PATH entry is skipped", ["local"], { SHELL: "/bin/sh", PATH: ":/bin" }, "linux", ["/bin/sh", "-i", "-c", "local"]],
    ["a relative PATH entry is skipped", ["tool"], { SHELL: "/bin/sh", PATH: "bin" }, "linux", ["/bin/sh", "-i", "-c", "tool"]],
    ["a path with a slash is not searched", ["bin/tool", "x"], { SHELL: "/bin/sh", PATH: "/nowhere" }, "linux", ["bin/tool", "x"]],
    [
      "a missing path with a slash is wrapped",
      ["/opt/missing", "x"],
      { SHELL: "/usr/bin/fish", PATH },
      "linux",
      ["/usr/bin/fish", "-i", "-c", "/opt/missing x"],
    ],
    ["an alias shell: dash", ["ll"], { SHELL: "/bin/dash", PATH }, "linux", ["/bin/dash", "-i", "-c", "ll"]],
    ["an alias shell: ksh", ["ll"], { SHELL: "/bin/ksh", PATH }, "linux", ["/bin/ksh", "-i", "-c", "ll"]],
    ["an alias shell: ash", ["ll"], { SHELL: "/sbin/ash", PATH }, "linux", ["/sbin/ash", "-i", "-c", "ll"]],
    ["another shell is not used", ["ll"], { SHELL: "/usr/bin/tcsh", PATH }, "linux", ["ll"]],
    ["a shell name without a slash is not used", ["ll"], { SHELL: "bash", PATH }, "linux", ["ll"]],
    ["never wrapped on Windows", ["not_a_command", "x"], { SHELL: "/bin/bash", PATH }, "win32", ["not_a_command", "x"]],
  ];
  for (const [name, words, env, platform, want] of cases) {
    it(name, () => {
      assert.deepEqual(resolveCommand(words, env, platform, exists), want);
    });
  }
});

describe("execCommand", () => {
  it("returns the child's exit status and logs the command", async () => {
    const logger = memoryLogger();
    const result = await execCommand(["sh", "-c", "exit 3"], { env: { PATH }, logger });
    assert.deepEqual(result, { code: 3 });
    assert.deepEqual(logger.lines, ["DEBUG WRAPPED CMD: [sh -c exit 3]"]);
  });

  it("returns 0 for success", async () => {
    assert.deepEqual(await execCommand(["true"], { env: { PATH }, logger: memoryLogger() }), { code: 0 });
  });

  it("reports a child killed by a signal as 128 + its number", async () => {
    const result = await execCommand(["sh", "-c", "kill -TERM $$"], { env: { PATH }, logger: memoryLogger() });
    assert.deepEqual(result, { code: 128 + os.constants.signals.SIGTERM, signal: "SIGTERM" });
  });

  it("passes the environment to the child, and only it", async () => {
    const dir = tempDir();
    const out = path.join(dir, "out");
    await execCommand(["sh", "-c", `printf '%s|%s' "$RUNAS_TEST_VALUE" "\${HOME-unset}" > "${out}"`], {
      env: { PATH, RUNAS_TEST_VALUE: "it's here" },
      logger: memoryLogger(),
    });
    assert.equal(fs.readFileSync(out, "utf8"), "it's here|unset");
  });

  it("runs an unknown command through $SHELL -i -c", async () => {
    const dir = tempDir();
    const out = path.join(dir, "out");
    const shell = path.join(dir, "sh");
    // A stand-in shell that records the arguments it was given.
    fs.writeFileSync(shell, `#!/bin/sh\nprintf '%s\\n' "$@" > "${out}"\n`, { mode: 0o755 });
    const logger = memoryLogger();
    const result = await execCommand(["my_alias", "-v", "arg"], { env: { PATH, SHELL: shell }, logger });
    assert.deepEqual(result, { code: 0 });
    assert.equal(fs.readFileSync(out, "utf8"), "-i\n-c\nmy_alias -v arg\n");
    assert.deepEqual(logger.lines, [`DEBUG WRAPPED CMD: [${shell} -i -c my_alias -v arg]`]);
  });

  it("a missing command without an alias shell is COMMAND_NOT_FOUND", async () => {
    await assert.rejects(
      execCommand(["runas_no_such_command", "x"], { env: { PATH }, logger: memoryLogger() }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "COMMAND_NOT_FOUND" &&
        e.message === "command not found: runas_no_such_command; check PATH or the spelling",
    );
  });

  it("a file that is not executable is COMMAND_NOT_FOUND with the reason", async () => {
    const file = path.join(tempDir(), "script");
    fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o644 });
    await assert.rejects(
      execCommand([file], { env: { PATH }, logger: memoryLogger() }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "COMMAND_NOT_FOUND" &&
        e.message === `cannot run ${file} (EACCES); check that it is an executable file`,
    );
  });

  it("ignores SIGINT while the child runs, and removes its handlers afterwards", async () => {
    const dir = tempDir();
    const started = path.join(dir, "started");
    const go = path.join(dir, "go");
    const listeners = ["SIGINT", "SIGQUIT", "SIGTERM", "SIGHUP"].map((s) => process.listenerCount(s));
    const logger = memoryLogger();
    const running = execCommand(
      ["sh", "-c", `touch "${started}"; while [ ! -f "${go}" ]; do sleep 0.02; done; exit 7`],
      { env: { PATH }, logger },
    );
    await waitForFile(started);
    process.kill(process.pid, "SIGINT");
    while (!logger.lines.includes("DEBUG Got signal: SIGINT")) await sleep(10);
    fs.writeFileSync(go, "");
    assert.deepEqual(await running, { code: 7 });
    assert.deepEqual(
      ["SIGINT", "SIGQUIT", "SIGTERM", "SIGHUP"].map((s) => process.listenerCount(s)),
      listeners,
    );
  });

  it("passes SIGTERM on to the child", async () => {
    const started = path.join(tempDir(), "started");
    const logger = memoryLogger();
    const running = execCommand(["sh", "-c", `touch "${started}"; exec sleep 30`], { env: { PATH }, logger });
    await waitForFile(started);
    process.kill(process.pid, "SIGTERM");
    assert.deepEqual(await running, { code: 128 + os.constants.signals.SIGTERM, signal: "SIGTERM" });
    assert.equal(logger.lines.includes("DEBUG Got signal: SIGTERM, passing it to the command"), true);
  });
});
