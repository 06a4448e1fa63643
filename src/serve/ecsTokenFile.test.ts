import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { removeEcsTokenFile, writeEcsTokenFile } from "./ecsTokenFile.js";

describe("the ECS token file", () => {
  it("holds the token alone, mode 0600, named by the port; removed on exit", async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "runas-token-")), ".aws");
    const file = await writeEcsTokenFile(dir, 12319, "tok");
    assert.equal(file, path.join(dir, ".aws_runas_ecs_token_12319"));
    assert.equal(readFileSync(file, "utf8"), "tok");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700, "a missing directory is created private");
    await removeEcsTokenFile(file);
    assert.equal(existsSync(file), false);
    await removeEcsTokenFile(file);
  });
});
