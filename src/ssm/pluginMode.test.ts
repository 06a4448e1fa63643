import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../domain/errors.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { pluginArguments, requirePlugin, runPlugin, ssmEndpointUrl, type PluginSpawner } from "./pluginMode.js";

const STARTED = { SessionId: "s-1", StreamUrl: "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe", TokenValue: "tok/en+value=" };

describe("pluginArguments", () => {
  it("a shell: null document and parameters", () => {
    assert.deepEqual(pluginArguments({ started: STARTED, request: { Target: "i-0123456789abcdef0" }, region: "us-east-1", endpoint: "https://ssm.us-east-1.amazonaws.com" }), [
      `{"SessionId":"s-1","StreamUrl":"${STARTED.StreamUrl}","TokenValue":"tok/en+value=","ResultMetadata":{}}`,
      "us-east-1",
      "StartSession",
      "",
      '{"Target":"i-0123456789abcdef0","DocumentName":null,"Parameters":null,"Reason":null}',
      "https://ssm.us-east-1.amazonaws.com",
    ]);
  });
  it("port forwarding: the document and its string-array parameters as sent", () => {
    const args = pluginArguments({
      started: STARTED,
      request: { Target: "i-1", DocumentName: "AWS-StartPortForwardingSession", Parameters: { portNumber: ["80"], localPortNumber: ["0"] } },
      region: "eu-west-1",
      endpoint: "https://ssm.eu-west-1.amazonaws.com",
    });
    assert.equal(args.length, 6);
    assert.equal(args[4], '{"Target":"i-1","DocumentName":"AWS-StartPortForwardingSession","Parameters":{"portNumber":["80"],"localPortNumber":["0"]},"Reason":null}');
  });
});

describe("ssmEndpointUrl", () => {
  const cases: [string, string][] = [
    ["us-east-1", "https://ssm.us-east-1.amazonaws.com"],
    ["us-gov-west-1", "https://ssm.us-gov-west-1.amazonaws.com"],
    ["cn-north-1", "https://ssm.cn-north-1.amazonaws.com.cn"],
    ["us-iso-east-1", "https://ssm.us-iso-east-1.c2s.ic.gov"],
    ["us-isob-east-1", "https://ssm.us-isob-east-1.sc2s.sgov.gov"],
    ["eu-isoe-west-1", "https://ssm.eu-isoe-west-1.cloud.adc-e.uk"],
    ["us-isof-south-1", "https://ssm.us-isof-south-1.csp.hci.ic.gov"],
  ];
  for (const [region, url] of cases) it(region, () => assert.equal(ssmEndpointUrl(region), url));
});

describe("requirePlugin", () => {
  it("finds it in an absolute PATH entry", () => {
    const seen: string[] = [];
    requirePlugin({ PATH: "relative:/opt/a:/usr/local/bin" }, (p) => {
      seen.push(p);
      return p === "/usr/local/bin/session-manager-plugin";
    });
    assert.ok(!seen.some((p) => p.startsWith("relative")), "relative PATH entries are skipped");
  });
  it("missing: one line with the install link", () => {
    assert.throws(() => requirePlugin({ PATH: "/nowhere" }, () => false), (e: unknown) => {
      assert.ok(isRunasError(e));
      assert.equal(e.code, "COMMAND_NOT_FOUND");
      assert.equal(e.message, "session-manager-plugin is not installed or not on PATH: install it " +
        "(https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html), " +
        "or run without --plugin to use the built-in client");
      return true;
    });
  });
});

describe("runPlugin", () => {
  const args = pluginArguments({ started: STARTED, request: { Target: "i-1" }, region: "us-east-1", endpoint: "https://ssm.us-east-1.amazonaws.com" });

  it("runs the plugin with the six arguments and the env, returns its exit status, and hides the token in the log", async () => {
    const logger = memoryLogger();
    let got: unknown;
    const spawner: PluginSpawner = (file, a, env) => {
      got = { file, a, env };
      return Promise.resolve({ code: 3, signal: null });
    };
    assert.equal(await runPlugin(args, { env: { A: "1" }, logger, spawner }), 3);
    assert.deepEqual(got, { file: "session-manager-plugin", a: args, env: { A: "1" } });
    const line = logger.lines.find((l) => l.startsWith("DEBUG COMMAND: session-manager-plugin "));
    assert.ok(line !== undefined);
    assert.ok(!line.includes("tok/en+value="), line);
    assert.match(line, /"TokenValue":"\*\*\*\*"/);
  });

  it("ignores SIGINT and SIGQUIT while the plugin runs, and only then", async () => {
    const before = [process.listenerCount("SIGINT"), process.listenerCount("SIGQUIT")];
    let during: number[] = [];
    const spawner: PluginSpawner = () => {
      during = [process.listenerCount("SIGINT"), process.listenerCount("SIGQUIT")];
      process.emit("SIGINT", "SIGINT");
      return Promise.resolve({ code: 0, signal: null });
    };
    const logger = memoryLogger();
    assert.equal(await runPlugin(args, { env: {}, logger, spawner, platform: "linux" }), 0);
    assert.deepEqual(during, [(before[0] ?? 0) + 1, (before[1] ?? 0) + 1]);
    assert.deepEqual([process.listenerCount("SIGINT"), process.listenerCount("SIGQUIT")], before);
    assert.ok(logger.lines.includes("DEBUG Got signal: SIGINT"));
  });

  it("a plugin killed by a signal exits 128 + its number", async () => {
    const spawner: PluginSpawner = () => Promise.resolve({ code: null, signal: "SIGTERM" });
    assert.equal(await runPlugin(args, { env: {}, logger: memoryLogger(), spawner }), 143);
  });

  it("a plugin that vanished from PATH is the install line", async () => {
    const spawner: PluginSpawner = () => Promise.reject(Object.assign(new Error("spawn ENOENT"), { code: "ENOENT" }));
    await assert.rejects(runPlugin(args, { env: {}, logger: memoryLogger(), spawner }), /^RunasError: session-manager-plugin is not installed or not on PATH/);
  });
});
