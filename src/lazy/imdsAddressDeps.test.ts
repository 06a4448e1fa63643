/**
 * The real removal helper and command runner, with harmless commands in place of `ip address del` (no root needed):
 * the helper must run its command when asked, report its failure, and run it too when the server dies without
 * asking — killed by a signal to its whole process group, SIGKILL included.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand, startRemover } from "./imdsAddressDeps.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";

const skip = process.platform === "win32" ? "the removal helper is a POSIX shell (not used on Windows)" : false;
const dir = mkdtempSync(path.join(os.tmpdir(), "runas-remover-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Waits (bounded) for the helper, which outlives the test's child, to write its file. */
async function eventually(file: string): Promise<string> {
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  return readFileSync(file, "utf8");
}

describe("runCommand", { skip }, () => {
  const run = runCommand(memoryLogger());

  it("resolves when the command succeeds", async () => {
    await run("sh", ["-c", "exit 0"]);
  });

  it("rejects with the command's output as the message and its status as the code", async () => {
    await assert.rejects(run("sh", ["-c", "echo 'RTNETLINK answers: Operation not permitted' >&2; exit 2"]), {
      message: "RTNETLINK answers: Operation not permitted",
      code: 2,
    });
  });

  it("a missing program rejects with code ENOENT", async () => {
    await assert.rejects(run("runas-no-such-tool", []), { code: "ENOENT" });
  });
});

describe("startRemover", { skip }, () => {
  it("runs its command only when triggered, and resolves after it ran; triggering twice runs it once", async () => {
    const file = path.join(dir, "triggered");
    const remover = await startRemover("sh", ["-c", `echo x >> '${file}'`]);
    assert.equal(existsSync(file), false, "nothing runs before the trigger");
    await Promise.all([remover.trigger(), remover.trigger()]);
    assert.equal(readFileSync(file, "utf8"), "x\n");
  });

  it("reports the command's failure", async () => {
    const remover = await startRemover("sh", ["-c", "echo 'Error: ipv4: Address not found.' >&2; exit 2"]);
    await assert.rejects(remover.trigger(), { message: "Error: ipv4: Address not found." });
  });

  for (const signal of ["SIGKILL", "SIGINT"] as const) {
    it(`runs its command when the server's process group gets ${signal} (no trigger)`, async () => {
      const file = path.join(dir, `killed-${signal}`);
      const module = path.join(path.dirname(fileURLToPath(import.meta.url)), "imdsAddressDeps.ts");
      const script = `import { startRemover } from ${JSON.stringify(module)};
        await startRemover("sh", ["-c", "echo removed > '${file}'"]);
        process.stdout.write("armed\\n");
        setInterval(() => {}, 1000);`;
      const server = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        detached: true,
        stdio: ["ignore", "pipe", "inherit"],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          server.stdout.on("data", (d: Buffer) => d.toString().includes("armed") && resolve());
          server.once("exit", (code) => reject(new Error(`the server exited early (${code})`)));
        });
        assert.equal(existsSync(file), false);
        // The whole group, as a terminal's Ctrl-C or a supervisor's kill does: the helper has its own session.
        process.kill(-(server.pid ?? 0), signal);
        assert.equal(await eventually(file), "removed\n");
      } finally {
        if (server.exitCode === null && server.signalCode === null) process.kill(-(server.pid ?? 0), "SIGKILL");
      }
    });
  }
});
