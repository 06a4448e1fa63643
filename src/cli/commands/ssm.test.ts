import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { createFileLocker } from "../../cache/fileLocker.js";
import { isRunasError, RunasError } from "../../domain/errors.js";
import type { Env } from "../../ports.js";
import type { RunSession } from "../../ssm/contracts.js";
import type { StartSessionRequest } from "../../ssm/pluginMode.js";
import type { Ec2Filter } from "../../ssm/target/resolveTarget.js";
import { fakeSts } from "../../../test/fakes/fakeSts.js";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import type { AppDeps } from "../appDeps.js";
import { parseCommandLine } from "../argv.js";
import { planSession, runSsm, sessionRequest, type SsmApisTarget, type SsmOptions } from "./ssm.js";

const KEY = "AKIASSMUSEREXAMPLE01";
const SECRET = "ssm/user/secret/never/printed";
const NOW = new Date("2024-05-01T12:00:00Z");
const INSTANCE = "i-0123456789abcdef0";

const CONFIG = `[default]
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default

[profile china]
region = cn-north-1
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default

[profile noregion]
output = json
`;
const CREDENTIALS = `[default]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n\n[noregion]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n`;

/** A temp HOME, fake STS, fake SSM/EC2 adapters and a fake built-in client and plugin spawner, all recording. */
function harness(o: { instances?: string[][]; sessionStatus?: number; pluginExit?: number; pluginOnPath?: boolean; config?: string } = {}) {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "runas-ssm-")));
  fs.mkdirSync(path.join(home, ".aws"), { mode: 0o700 });
  fs.writeFileSync(path.join(home, ".aws", "config"), o.config ?? CONFIG);
  fs.writeFileSync(path.join(home, ".aws", "credentials"), CREDENTIALS, { mode: 0o600 });
  const sts = fakeSts({ now: () => NOW });
  const logger = memoryLogger();
  const out: string[] = [];
  const noPrompt = () => Promise.reject(new Error("ssm must not prompt here"));
  const deps: AppDeps = {
    out: { stdout: (t) => out.push(`stdout ${t}`), stderr: (t) => out.push(`stderr ${t}`) },
    clock: { now: () => NOW },
    platform: "linux",
    homeDir: home,
    version: "0.0.0-test",
    logger: () => logger,
    prompter: () => ({ text: noPrompt, secret: noPrompt }),
    locker: createFileLocker(),
    osUser: () => "tester",
    sts: () => Promise.resolve(sts),
    openBrowser: () => Promise.reject(new Error("no browser")),
    sdkCredentials: () => Promise.reject(new Error("no SDK credentials in this test")),
  };
  const apiTargets: { target: SsmApisTarget; signedBy: string }[] = [];
  const describes: Ec2Filter[][] = [];
  const starts: StartSessionRequest[] = [];
  const keys: unknown[] = [];
  const sessions: Parameters<RunSession>[0][] = [];
  const spawns: { file: string; args: string[]; env: Env }[] = [];
  const options: SsmOptions = {
    apis: (target, credentials) => {
      apiTargets.push({ target, signedBy: credentials.accessKeyId });
      return Promise.resolve({
        describeInstances: (filters) => {
          describes.push(filters);
          return Promise.resolve(o.instances ?? [[INSTANCE]]);
        },
        startSession: (request) => {
          starts.push(request);
          return Promise.resolve({ SessionId: "sess-1", StreamUrl: "wss://example/stream", TokenValue: "session-token-value" });
        },
        sendSshPublicKey: (k) => {
          keys.push(k);
          return Promise.resolve();
        },
      });
    },
    runSession: () => Promise.resolve(async (s) => {
      sessions.push(s);
      s.progress(`Starting session with SessionId: ${s.started.SessionId}`);
      return o.sessionStatus ?? 0;
    }),
    io: () => ({ stdin: new PassThrough(), stdout: new PassThrough() }),
    dns: { lookupAddresses: () => Promise.reject(new Error("no DNS")), lookupTxt: () => Promise.reject(new Error("no DNS")) },
    plugin: {
      isExecutable: () => o.pluginOnPath ?? true,
      spawner: (file, args, env) => {
        spawns.push({ file, args, env });
        return Promise.resolve({ code: o.pluginExit ?? 0, signal: null });
      },
    },
  };
  const cmd = (argv: string[], env: Env = {}) => runSsm(parseCommandLine(argv, env), env, deps, logger, options);
  const visible = () => [...logger.lines, ...out].join("\n");
  return { home, cmd, sts, logger, out, apiTargets, describes, starts, keys, sessions, spawns, visible };
}

async function failure(p: Promise<unknown>): Promise<RunasError> {
  try {
    await p;
  } catch (e) {
    if (isRunasError(e)) return e;
    throw e;
  }
  throw new Error("the command did not fail");
}

describe("planSession and sessionRequest", () => {
  it("forward splits on the LAST colon", () => {
    assert.deepEqual(planSession("forward", "Name:web:8080", { port: "9000" }), { kind: "forward", target: "Name:web", remotePort: "8080", localPort: 9000 });
    assert.deepEqual(planSession("forward", "i-1:80", {}), { kind: "forward", target: "i-1", remotePort: "80", localPort: 0 });
    assert.deepEqual(planSession("forward", "i-1", {}), { kind: "forward", target: "", remotePort: "i-1", localPort: 0 });
  });
  it("ssh reads [user@]host[:port] and --ec2ic", () => {
    assert.deepEqual(planSession("ssh", "ubuntu@Name:web:2222", { ec2ic: true }), { kind: "ssh", ssh: { user: "ubuntu", host: "Name:web", port: 2222 }, ec2ic: true });
  });
  it("no target is a usage error", () => {
    assert.throws(() => planSession("shell", undefined, {}), /^RunasError: no target given: use 'aws-runas ssm shell <profile> target'/);
    assert.throws(() => planSession("forward", " ", {}), /target:remote_port/);
  });
  it("the StartSession inputs of the three documents", () => {
    assert.deepEqual(sessionRequest({ kind: "shell", target: "x" }, "i-1", false), { Target: "i-1" });
    assert.deepEqual(sessionRequest({ kind: "forward", target: "x", remotePort: "80", localPort: 0 }, "i-1", false), {
      Target: "i-1", DocumentName: "AWS-StartPortForwardingSession", Parameters: { portNumber: ["80"], localPortNumber: ["0"] },
    });
    assert.deepEqual(sessionRequest({ kind: "ssh", ssh: { user: "u", host: "h", port: 22 }, ec2ic: false }, "i-1", true), {
      Target: "i-1", DocumentName: "AWS-StartSSHSession", Parameters: { portNumber: ["22"] },
    });
  });
  it("a non-numeric remote port is 0 for the built-in client, as typed for the plugin", () => {
    const plan = { kind: "forward" as const, target: "x", remotePort: "http", localPort: 5 };
    assert.deepEqual(sessionRequest(plan, "i-1", false).Parameters, { portNumber: ["0"], localPortNumber: ["5"] });
    assert.deepEqual(sessionRequest(plan, "i-1", true).Parameters, { portNumber: ["http"], localPortNumber: ["5"] });
  });
});

describe("ssm commands with the built-in client", () => {
  it("shell: role credentials sign every call in the profile's region; the session's status is the exit status", async () => {
    const h = harness({ sessionStatus: 7 });
    assert.equal(await h.cmd(["ssm", "shell", "admin", "Name:web"]), 7);
    assert.equal(h.sts.calls.at(-1)?.op, "AssumeRole");
    assert.equal(h.apiTargets.length, 1);
    assert.equal(h.apiTargets[0]?.target.region, "us-east-1");
    assert.match(h.apiTargets[0]?.signedBy ?? "", /^ASIAROLE/);
    assert.deepEqual(h.describes, [[{ Name: "tag:Name", Values: ["web"] }, { Name: "instance-state-name", Values: ["running"] }]]);
    assert.deepEqual(h.starts, [{ Target: INSTANCE }]);
    assert.equal(h.sessions.length, 1);
    assert.deepEqual(h.sessions[0]?.session, { kind: "shell" });
    assert.deepEqual(h.sessions[0]?.started, { SessionId: "sess-1", StreamUrl: "wss://example/stream", TokenValue: "session-token-value" });
    assert.deepEqual(h.out, ["stderr Starting session with SessionId: sess-1\n"], "progress goes to stderr");
  });

  it("forward: -p is the local port, the remote port follows the last colon", async () => {
    const h = harness();
    assert.equal(await h.cmd(["ssm", "forward", "-p", "8888", "admin", "Name:web:80"]), 0);
    assert.deepEqual(h.starts, [{ Target: INSTANCE, DocumentName: "AWS-StartPortForwardingSession", Parameters: { portNumber: ["80"], localPortNumber: ["8888"] } }]);
    assert.deepEqual(h.sessions[0]?.session, { kind: "port", localPort: 8888 });
  });

  it("ssh: writes nothing to stdout itself", async () => {
    const h = harness();
    assert.equal(await h.cmd(["-e", "-w", "ssm", "ssh", "admin", `ec2-user@${INSTANCE}:2222`]), 0);
    assert.deepEqual(h.starts, [{ Target: INSTANCE, DocumentName: "AWS-StartSSHSession", Parameters: { portNumber: ["2222"] } }]);
    assert.deepEqual(h.sessions[0]?.session, { kind: "stream" });
    assert.deepEqual(h.describes, [], "an instance id needs no lookup");
    assert.ok(!h.out.some((l) => l.startsWith("stdout")), h.out.join("|"));
    assert.ok(h.out.some((l) => l.startsWith("stderr Credentials will expire on")));
    assert.ok(h.logger.lines.some((l) => l.startsWith("INFO {UserId:AIDA Arn:arn:aws:iam::123456789012:user/alice Account:123456789012}")));
  });

  it("ssh --ec2ic: sends the key of the host's IdentityFile for the user before StartSession", async () => {
    const h = harness();
    const { generateKeyPairSync } = await import("node:crypto");
    fs.mkdirSync(path.join(h.home, ".ssh"));
    fs.writeFileSync(path.join(h.home, ".ssh", "id_test"), generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }));
    fs.writeFileSync(path.join(h.home, ".ssh", "config"), "Host Name:*\n  IdentityFile ~/.ssh/id_test\n");
    assert.equal(await h.cmd(["ssm", "ssh", "--ec2ic", "admin", "ubuntu@Name:web"]), 0);
    assert.equal(h.keys.length, 1);
    const key = h.keys[0] as { instanceId: string; osUser: string; publicKey: string };
    assert.equal(key.instanceId, INSTANCE);
    assert.equal(key.osUser, "ubuntu");
    assert.match(key.publicKey, /^ssh-ed25519 [A-Za-z0-9+/=]+\n$/);
    assert.deepEqual(h.starts[0]?.Parameters, { portNumber: ["22"] });
  });

  it("AWS_PROFILE with one positional: that positional is the target", async () => {
    const h = harness();
    assert.equal(await h.cmd(["ssm", "shell", INSTANCE], { AWS_PROFILE: "admin" }), 0);
    assert.deepEqual(h.starts, [{ Target: INSTANCE }]);
  });

  it("-c writes the <profile>-awsrunas section", async () => {
    const h = harness();
    assert.equal(await h.cmd(["-c", "ssm", "shell", "admin", INSTANCE]), 0);
    const written = fs.readFileSync(path.join(h.home, ".aws", "credentials"), "utf8");
    assert.match(written, /\[admin-awsrunas\]/);
    assert.ok(h.logger.lines.includes("INFO Credentials written to AWS credentials file under profile: admin-awsrunas"));
  });

  it("endpoint overrides reach the adapters per service", async () => {
    const h = harness();
    await h.cmd(["ssm", "shell", "admin", INSTANCE], { AWS_ENDPOINT_URL_SSM: "http://127.0.0.1:1", AWS_ENDPOINT_URL: "http://127.0.0.1:2" });
    assert.deepEqual(h.apiTargets[0]?.target.endpoints, { ec2: "http://127.0.0.1:2", ssm: "http://127.0.0.1:1", ec2InstanceConnect: "http://127.0.0.1:2" });
  });
});

describe("ssm --plugin", () => {
  it("runs session-manager-plugin with the six arguments, the credentials in its environment, and its exit status", async () => {
    const h = harness({ pluginExit: 4 });
    assert.equal(await h.cmd(["ssm", "forward", "-P", "china", "Name:web:443"], { PATH: "/bin", AWS_PROFILE: "x" }), 4);
    assert.equal(h.sessions.length, 0, "the built-in client is not used");
    assert.equal(h.spawns.length, 1);
    const spawn = h.spawns[0];
    assert.equal(spawn?.file, "session-manager-plugin");
    assert.deepEqual(spawn?.args, [
      '{"SessionId":"sess-1","StreamUrl":"wss://example/stream","TokenValue":"session-token-value","ResultMetadata":{}}',
      "cn-north-1",
      "StartSession",
      "",
      `{"Target":"${INSTANCE}","DocumentName":"AWS-StartPortForwardingSession","Parameters":{"portNumber":["443"],"localPortNumber":["0"]},"Reason":null}`,
      "https://ssm.cn-north-1.amazonaws.com.cn",
    ]);
    assert.match(spawn?.env.AWS_ACCESS_KEY_ID ?? "", /^ASIAROLE/);
    assert.equal(spawn?.env.AWS_REGION, "cn-north-1");
    assert.equal(spawn?.env.AWS_PROFILE, "x", "a profile named on the command line leaves AWS_PROFILE alone");
    assert.ok(!h.visible().includes("session-token-value"), "the data channel token is not logged");
  });

  it("an SSM endpoint override is the plugin's endpoint too", async () => {
    const h = harness();
    await h.cmd(["ssm", "shell", "-P", "admin", INSTANCE], { PATH: "/bin", AWS_ENDPOINT_URL_SSM: "http://127.0.0.1:5951" });
    assert.equal(h.spawns[0]?.args[5], "http://127.0.0.1:5951");
  });

  it("plugin missing: one line, before any credentials or AWS call", async () => {
    const h = harness({ pluginOnPath: false });
    const e = await failure(h.cmd(["ssm", "shell", "-P", "admin", INSTANCE], { PATH: "/nowhere" }));
    assert.equal(e.code, "COMMAND_NOT_FOUND");
    assert.match(e.message, /^session-manager-plugin is not installed or not on PATH: install it \(https:\/\/docs\.aws\.amazon\.com\//);
    assert.deepEqual(h.sts.calls, []);
    assert.deepEqual(h.apiTargets, []);
  });
});

describe("ssm errors", () => {
  it("no instance: one line, no session started", async () => {
    const h = harness({ instances: [] });
    const e = await failure(h.cmd(["ssm", "shell", "admin", "Name:nothing"]));
    assert.match(e.message, /^no instances returned from lookup for target "Name:nothing"/);
    assert.deepEqual(h.starts, []);
  });
  it("forward without a port: the empty target is not found", async () => {
    const h = harness();
    const e = await failure(h.cmd(["ssm", "forward", "admin", "Name"]));
    assert.match(e.message, /^no instances returned from lookup for target ""/);
  });
  it("a missing target is refused before credentials", async () => {
    const h = harness();
    const e = await failure(h.cmd(["ssm", "ssh"], { AWS_PROFILE: "admin" }));
    assert.equal(e.code, "USAGE");
    assert.deepEqual(h.sts.calls, []);
  });
  it("no region: says where to set one", async () => {
    const h = harness({ config: "[profile noregion]\noutput = json\n" });
    const e = await failure(h.cmd(["ssm", "shell", "noregion", INSTANCE]));
    assert.equal(e.code, "NO_REGION");
    assert.match(e.message, /^no AWS region for profile 'noregion'.*add "region = us-east-1" \(or yours\) to \[profile noregion\]/);
  });
  it("one positional without AWS_PROFILE is the target of the default profile (core.md §1.4 B)", async () => {
    const h = harness();
    assert.equal(await h.cmd(["ssm", "shell", INSTANCE]), 0);
    assert.deepEqual(h.starts, [{ Target: INSTANCE }]);
    assert.match(h.apiTargets[0]?.signedBy ?? "", /^ASIASESSION/, "the default profile's session credentials");
  });
  it("the secret key never shows", async () => {
    const h = harness();
    await h.cmd(["-v", "ssm", "shell", "admin", INSTANCE]);
    assert.ok(!h.visible().includes(SECRET));
  });
});
