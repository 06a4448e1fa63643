import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { runWithInput } from "./runWithInput.js";

/** A directory holding an executable `name` with the given shell body, to put first on PATH. */
function binDir(name: string, body: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runas-bin-"));
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return dir;
}

describe("runWithInput", { skip: process.platform === "win32" ? "POSIX shell scripts" : false }, () => {
  it("finds the program on the given PATH, passes argv and env as values and the input on stdin", async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "runas-out-")), "seen");
    const dir = binDir("tool", `printf '%s\\n' "$@" > "$OUT"; printf 'stdin=' >> "$OUT"; cat >> "$OUT"; printf '\\nX=%s\\n' "$X" >> "$OUT"`);
    const r = await runWithInput("tool", ["a b", "$HOME", "--flag"], {
      input: "the-input",
      env: { PATH: `${dir}:/usr/bin:/bin`, OUT: out, X: "y", UNSET: undefined },
    });
    assert.deepEqual(r, { code: 0, signal: null });
    assert.equal(readFileSync(out, "utf8"), "a b\n$HOME\n--flag\nstdin=the-input\nX=y\n");
  });

  it("reports the exit status, a program that never reads its input included, and a killing signal", async () => {
    assert.deepEqual(await runWithInput("tool", [], { input: "x".repeat(1 << 20), env: { PATH: binDir("tool", "exit 3") } }),
      { code: 3, signal: null });
    assert.deepEqual(await runWithInput("tool", [], { input: "", env: { PATH: binDir("tool", "kill -TERM $$") } }),
      { code: null, signal: "SIGTERM" });
  });

  it("rejects with ENOENT when the program is not on PATH", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "runas-empty-"));
    await assert.rejects(runWithInput("docker", ["login"], { input: "pw", env: { PATH: empty } }), (e: NodeJS.ErrnoException) => {
      assert.equal(e.code, "ENOENT");
      return true;
    });
  });
});
