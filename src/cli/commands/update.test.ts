import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { startFakeRegistry, unreachableRegistryUrl } from "../../../test/fakes/npmRegistry.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import { parseCommandLine } from "../argv.js";
import { runUpdate } from "./update.js";

interface Harness {
  deps: AppDeps;
  home: string;
  lines: string[];
  stdout: string[];
}

/** AppDeps for version `version` in a temp HOME (no ~/.npmrc unless a test writes one). */
function harness(version: string): Harness {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "runas-update-"));
  const lines: string[] = [];
  const stdout: string[] = [];
  const logger: Logger = {
    debugEnabled: true,
    traceEnabled: false,
    debug: (m) => lines.push(`DEBUG ${m}`),
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
  const refuse = (what: string) => () => Promise.reject(new Error(`the update check must not ${what}`));
  const deps: AppDeps = {
    out: { stdout: (t) => stdout.push(t), stderr: (t) => lines.push(`stderr ${t}`) },
    clock: { now: () => new Date("2024-05-01T12:00:00Z") },
    platform: "linux",
    homeDir: home,
    version,
    logger: () => logger,
    prompter: () => { throw new Error("the update check must not prompt"); },
    locker: { withLock: refuse("take a lock") },
    osUser: () => "tester",
    sts: refuse("call STS"),
    openBrowser: refuse("open a browser"),
    sdkCredentials: refuse("resolve AWS credentials"),
  };
  return { deps, home, lines, stdout };
}

async function update(h: Harness, env: Env, timeoutMs?: number): Promise<number> {
  const logger = h.deps.logger(1);
  const globalPrefix = path.join(h.home, "no-global");
  return runUpdate(parseCommandLine(["update"], env), env, h.deps, logger,
    timeoutMs === undefined ? { globalPrefix } : { globalPrefix, timeoutMs });
}

describe("runUpdate against a registry on 127.0.0.1", async () => {
  const registry = await startFakeRegistry("aws-runas", { kind: "document", latest: "1.3.0" });
  after(() => registry.close());

  it("names a newer version and the npm command that installs it, exit 0", async () => {
    registry.behaviour = { kind: "document", latest: "1.3.0" };
    registry.requests.length = 0;
    const h = harness("1.2.5");
    assert.equal(await update(h, { npm_config_registry: registry.url }), 0);
    assert.deepEqual(h.stdout,
      ["New version of aws-runas available: 1.3.0 (this is 1.2.5); install it with: npm install -g aws-runas@latest\n"]);
    assert.deepEqual(registry.requests.map((r) => [r.method, r.path]), [["GET", "/aws-runas"]]);
    assert.match(registry.requests[0]?.accept ?? "", /^application\/vnd\.npm\.install-v1\+json/);
    assert.deepEqual(h.lines.filter((l) => !l.startsWith("DEBUG")), []);
    assert.ok(h.lines.some((l) => l.includes(`(registry from npm_config_registry)`)), h.lines.join("\n"));
  });

  it("says up to date for the same and for an older published version", async () => {
    for (const latest of ["1.3.0", "1.2.9"]) {
      registry.behaviour = { kind: "document", latest };
      const h = harness("1.3.0");
      assert.equal(await update(h, { npm_config_registry: registry.url }), 0);
      assert.deepEqual(h.stdout, ["aws-runas 1.3.0 is up to date\n"]);
    }
  });

  it("uses the registry of ~/.npmrc when the environment names none", async () => {
    registry.behaviour = { kind: "document", latest: "2.0.0" };
    const h = harness("1.0.0");
    fs.writeFileSync(path.join(h.home, ".npmrc"), `registry=${registry.url}\n`);
    assert.equal(await update(h, {}), 0);
    assert.match(h.stdout.join(""), /^New version of aws-runas available: 2\.0\.0 /);
  });

  it("warns in one line and exits 0 on 404, garbage and a registry that does not answer in time", async () => {
    const cases: [typeof registry.behaviour, RegExp][] = [
      [{ kind: "status", status: 404, body: '{"error":"Not found"}' }, /answered 404: aws-runas is not published there/],
      [{ kind: "body", body: "<html>sign in to the proxy</html>" }, /is not npm package metadata/],
      [{ kind: "hang" }, /did not answer within 300 ms/],
    ];
    for (const [behaviour, reason] of cases) {
      registry.behaviour = behaviour;
      const h = harness("1.0.0");
      assert.equal(await update(h, { npm_config_registry: registry.url }, 300), 0);
      assert.deepEqual(h.stdout, []);
      const warnings = h.lines.filter((l) => !l.startsWith("DEBUG"));
      assert.equal(warnings.length, 1, warnings.join("\n"));
      assert.match(warnings[0] ?? "", /^WARN cannot check for a newer version of aws-runas: /);
      assert.match(warnings[0] ?? "", reason);
    }
  });
});

describe("runUpdate with nothing listening", () => {
  it("warns that the registry cannot be reached and exits 0", async () => {
    const url = await unreachableRegistryUrl();
    const h = harness("1.0.0");
    assert.equal(await update(h, { npm_config_registry: url }), 0);
    assert.deepEqual(h.stdout, []);
    assert.deepEqual(h.lines.filter((l) => !l.startsWith("DEBUG")),
      [`WARN cannot check for a newer version of aws-runas: cannot reach ${url}aws-runas: connection refused; ` +
        "check the network and npm's registry setting (npm config get registry)"]);
  });
});
