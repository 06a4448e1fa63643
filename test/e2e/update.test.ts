/**
 * End to end: `aws-runas update` / `-u` (core.md §1.9, decisions.md Q-05) and `-V`, with the built CLI asking a fake
 * npm registry on 127.0.0.1 that npm_config_registry (or ~/.npmrc) names.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startFakeRegistry, unreachableRegistryUrl } from "../fakes/npmRegistry.js";
import type { FakeRegistry } from "../fakes/npmRegistry.js";
import { cleanEnv, ROOT, runCli, tempHome } from "../helpers/cliRun.js";

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** A user's environment without the npm_config_* variables `npm test` itself sets (its registry among them). */
function userEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env = cleanEnv(home, extra);
  for (const name of Object.keys(env)) {
    if (name.toLowerCase().startsWith("npm_config_") && !(name in extra)) delete env[name];
  }
  return env;
}

const WARNING = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d WARN cannot check for a newer version of aws-runas: .+\n$/;

describe("aws-runas update against a fake registry", () => {
  let registry: FakeRegistry;
  before(async () => {
    registry = await startFakeRegistry("aws-runas", { kind: "document", latest: "99.0.0" });
  });
  after(() => registry.close());

  it("names the newer version and how to install it, on stdout, exit 0", async () => {
    registry.behaviour = { kind: "document", latest: "99.0.0" };
    registry.requests.length = 0;
    const { home } = tempHome("", "");
    const r = await runCli(["update"], userEnv(home, { npm_config_registry: registry.url }));
    assert.equal(r.stderr, "");
    assert.equal(r.stdout,
      `New version of aws-runas available: 99.0.0 (this is ${VERSION}); install it with: npm install -g aws-runas@latest\n`);
    assert.equal(r.code, 0);
    assert.deepEqual(registry.requests.map((q) => `${q.method} ${q.path}`), ["GET /aws-runas"]);
    assert.match(registry.requests[0]?.accept ?? "", /^application\/vnd\.npm\.install-v1\+json/);
  });

  it("says up to date for the same version, through -u and through ~/.npmrc", async () => {
    registry.behaviour = { kind: "document", latest: VERSION };
    const { home } = tempHome("", "");
    writeFileSync(path.join(home, ".npmrc"), `registry=${registry.url}\n`);
    const r = await runCli(["-u"], userEnv(home));
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `aws-runas ${VERSION} is up to date\n`, ""]);
  });

  it("warns in one line and exits 0 for a 404 and for an answer that is not package metadata", async () => {
    const cases: [FakeRegistry["behaviour"], RegExp][] = [
      [{ kind: "status", status: 404, body: '{"error":"Not found"}' }, /answered 404: aws-runas is not published there/],
      [{ kind: "body", body: "<html>proxy sign-in</html>" }, /is not npm package metadata/],
    ];
    for (const [behaviour, reason] of cases) {
      registry.behaviour = behaviour;
      const { home } = tempHome("", "");
      const r = await runCli(["update"], userEnv(home, { npm_config_registry: registry.url }));
      assert.deepEqual([r.code, r.stdout], [0, ""]);
      assert.match(r.stderr, WARNING);
      assert.match(r.stderr, reason);
    }
  });
});

describe("aws-runas update with no registry listening", () => {
  it("warns that the registry cannot be reached, exit 0", async () => {
    const url = await unreachableRegistryUrl();
    const { home } = tempHome("", "");
    const r = await runCli(["-u"], userEnv(home, { npm_config_registry: url }));
    assert.deepEqual([r.code, r.stdout], [0, ""]);
    assert.match(r.stderr, WARNING);
    assert.ok(r.stderr.includes(`cannot reach ${url}aws-runas: connection refused`), r.stderr);
  });
});

describe("aws-runas --version", () => {
  it("prints 'aws-runas version <package.json version>' (core.md §1.9)", async () => {
    const { home } = tempHome("", "");
    for (const flag of ["-V", "--version"]) {
      const r = await runCli([flag], userEnv(home));
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, `aws-runas version ${VERSION}\n`, ""]);
    }
  });
});
