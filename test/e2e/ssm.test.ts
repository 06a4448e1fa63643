/**
 * End to end for `ssm shell|forward|ssh` (core.md §10) through the built CLI (dist/aws-runas.cjs): moto behind the
 * recording proxy plays STS and EC2 (instances created with tags, private and public IPs), the strict SSM fake plays
 * StartSession and the agent (AWS_ENDPOINT_URL_SSM), a local TCP echo server is the instance's remote port, and a
 * small recorder plays EC2 Instance Connect so the exact key sent can be checked.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { CLI, cleanEnv, run, runCli, tempHome } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";
import { startSsmFake, type SsmFake } from "../fakes/ssmAgent.js";
import { memoryLogger } from "../fakes/memoryLogger.js";
import { createSsmApis } from "../../src/lazy/ssm.js";
import { isRunasError } from "../../src/domain/errors.js";

// The SDK clients created here would warn about Node 20 on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const skip = peerSkip("moto_server", ["--help"]) || (process.platform === "win32" ? "the fake plugin and pty are POSIX" : false);
const hasPython = spawnSync("python3", ["-c", "import pty"], { stdio: "ignore" }).status === 0;
const hasSshKeygen = spawnSync("ssh-keygen", ["-?"], { stdio: "ignore" }).error === undefined;

const KEY = "AKIAIOSFODNN7SSMUSER1";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSSMSECRET";
const CONFIG = `[default]
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default
`;
const CREDENTIALS = `[default]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n`;

/** A TCP server that sends back whatever it receives: the service behind the instance's remote port. */
async function echoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

/** EC2 Instance Connect's JSON API, recording each SendSSHPublicKey input. */
async function instanceConnectRecorder(): Promise<{ url: string; calls: Record<string, unknown>[]; close(): Promise<void> }> {
  const calls: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.headers["x-amz-target"] === "AWSEC2InstanceConnectService.SendSSHPublicKey") calls.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ RequestId: "req-1", Success: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    calls,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** A fake session-manager-plugin that writes its argv as JSON to $FAKE_PLUGIN_LOG and exits with $FAKE_PLUGIN_EXIT. */
function fakePlugin(): { dir: string; log: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runas-plugin-"));
  const log = path.join(dir, "plugin.json");
  const script = path.join(dir, "session-manager-plugin");
  writeFileSync(script, `#!${process.execPath}
require("node:fs").writeFileSync(process.env.FAKE_PLUGIN_LOG, JSON.stringify({ argv: process.argv.slice(2), key: process.env.AWS_ACCESS_KEY_ID }));
process.exit(Number(process.env.FAKE_PLUGIN_EXIT ?? "0"));
`);
  chmodSync(script, 0o755);
  return { dir, log };
}

/** The only stderr line of a failed run: one ERROR line, nothing on stdout. */
function oneErrorLine(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? "", / ERROR /);
  assert.match(lines[0] ?? "", pattern);
}

describe("ssm commands through the built CLI, against moto and the SSM fake", { skip }, () => {
  let proxy: RecordingProxy;
  let fake: SsmFake;
  let echo: { port: number; close(): Promise<void> };
  let connect: Awaited<ReturnType<typeof instanceConnectRecorder>>;
  let web: { id: string; privateIp: string; publicIp: string };
  let pair: string[];
  useMotoBehindProxy((p) => (proxy = p));

  before(async () => {
    fake = await startSsmFake();
    echo = await echoServer();
    connect = await instanceConnectRecorder();
    const ec2 = new EC2Client({ region: "us-east-1", endpoint: proxy.url, credentials: { accessKeyId: KEY, secretAccessKey: SECRET }, maxAttempts: 1 });
    const launch = async (name: string, count: number) => {
      const r = await ec2.send(new RunInstancesCommand({
        ImageId: "ami-03cf127a", MinCount: count, MaxCount: count,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: name }, { Key: "role", Value: "a:b" }] }],
      }));
      return r.Instances ?? [];
    };
    const [w] = await launch("web", 1);
    web = { id: w?.InstanceId ?? "", privateIp: w?.PrivateIpAddress ?? "", publicIp: w?.PublicIpAddress ?? "" };
    pair = (await launch("pair", 2)).map((i) => i.InstanceId ?? "");
    ec2.destroy();
  });
  after(async () => {
    await fake?.close();
    await echo?.close();
    await connect?.close();
  });

  const env = (extra: Record<string, string> = {}) => {
    const { home } = tempHome(CONFIG, CREDENTIALS);
    return {
      home,
      env: cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url, AWS_ENDPOINT_URL_SSM: fake.endpoint, AWS_ENDPOINT_URL_EC2_INSTANCE_CONNECT: connect.url, ...extra }),
    };
  };
  const lastSession = () => fake.sessions[fake.sessions.length - 1];

  it("forward by tag: bytes echo through the printed local port, Ctrl-C ends the session politely", async () => {
    const { env: e } = env();
    const child = spawn(process.execPath, [CLI, "ssm", "forward", "-p", "0", "admin", `Name:web:${echo.port}`], { env: e, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        const m = /Port (\d+) opened for sessionId/.exec(stderr);
        if (m) resolve(Number(m[1]));
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const message = "hello through SSM\n".repeat(200);
    const received = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(port, "127.0.0.1", () => sock.write(message));
      let got = "";
      sock.on("data", (d: Buffer) => {
        got += d.toString();
        if (got.length >= message.length) {
          sock.end();
          resolve(got);
        }
      });
      sock.on("error", reject);
    });
    assert.equal(received, message);
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGINT");
    assert.equal(await exited, 0, stderr);
    assert.equal(stdout, "");
    const s = lastSession();
    assert.equal(s?.Target, web.id);
    assert.deepEqual(s?.DocumentName, "AWS-StartPortForwardingSession");
    assert.deepEqual(s?.Parameters, { portNumber: [String(echo.port)], localPortNumber: ["0"] });
    assert.ok(s?.flags.includes(2), `TerminateSession flag sent: ${JSON.stringify(s?.flags)}`);
    assert.deepEqual(fake.violations, []);
    assert.ok(proxy.actions().includes("DescribeInstances"));
    assert.ok(!stderr.includes(SECRET));
  });

  it("ssh as a ProxyCommand: stdout carries exactly the relayed bytes", async () => {
    const { env: e } = env();
    const input = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(32 + (i % 90))).join("");
    const r = await runCli(["ssm", "ssh", "admin", `ec2-user@${web.id}:${echo.port}`], e, input);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, input);
    assert.deepEqual(lastSession()?.Parameters, { portNumber: [String(echo.port)] });
    assert.equal(lastSession()?.DocumentName, "AWS-StartSSHSession");
    assert.deepEqual(fake.violations, []);
    assert.deepEqual(proxy.actions().filter((a) => a === "DescribeInstances"), [], "an instance id needs no lookup");
  });

  it("ssh by private IP resolves through EC2's private-ip-address filter", async () => {
    const { env: e } = env();
    const r = await runCli(["ssm", "ssh", "admin", `${web.privateIp}:${echo.port}`], e, "ping");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "ping");
    assert.equal(lastSession()?.Target, web.id);
  });

  it("a tag matching two instances warns and uses the first", async () => {
    const { env: e } = env();
    const r = await runCli(["ssm", "ssh", "admin", `Name:pair:${echo.port}`], e, "x");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, / WARN more than 1 instance found, using 1st value\n/);
    assert.ok(pair.includes(lastSession()?.Target ?? ""));
  });

  it("ssh --ec2ic sends the IdentityFile's public key for the user first", { skip: hasSshKeygen ? false : "ssh-keygen is not installed" }, async () => {
    const { env: e, home } = env();
    mkdirSync(path.join(home, ".ssh"), { mode: 0o700 });
    const keyFile = path.join(home, ".ssh", "id_ed25519");
    assert.equal(spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyFile]).status, 0);
    writeFileSync(path.join(home, ".ssh", "config"), "Host i-*\n  IdentityFile ~/.ssh/missing_key\n  IdentityFile ~/.ssh/id_ed25519\n");
    const publicLine = `${readFileSync(`${keyFile}.pub`, "utf8").split(" ").slice(0, 2).join(" ")}\n`;
    connect.calls.length = 0;
    const r = await runCli(["ssm", "ssh", "--ec2ic", "admin", `ubuntu@${web.id}:${echo.port}`], e, "hi");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "hi");
    assert.deepEqual(connect.calls, [{ InstanceId: web.id, InstanceOSUser: "ubuntu", SSHPublicKey: publicLine }]);
  });

  it("ssh --ec2ic without a usable key: one line", async () => {
    const { env: e } = env();
    const r = await runCli(["ssm", "ssh", "--ec2ic", "admin", `${web.id}:22`], e);
    oneErrorLine(r, /public key not available for host "i-[0-9a-f]+": add "IdentityFile/);
  });

  it("shell on a terminal: a typed line is echoed, exit ends with status 0", { skip: hasPython ? false : "python3 with pty is not installed" }, async () => {
    const { env: e } = env();
    const script = [
      "import os, pty, sys, json, time, select",
      "args = json.loads(sys.argv[1])",
      "pid, fd = pty.fork()",
      "if pid == 0:",
      "    os.execv(args[0], args)",
      // A read the select said was ready can still block on a pty master: never let it hang the test.
      "os.set_blocking(fd, False)",
      "out = b''",
      // Reads until `done(out)` or EOF (the CLI exited), giving up after `limit` seconds.
      "def until(done, limit=20):",
      "    global out",
      "    end = time.time() + limit",
      "    while not done(out) and time.time() < end:",
      "        r, _, _ = select.select([fd], [], [], 0.2)",
      "        if not r: continue",
      "        try: chunk = os.read(fd, 4096)",
      "        except BlockingIOError: continue",
      "        except OSError: return",
      "        if not chunk: return",
      "        out += chunk",
      "until(lambda o: b'$ ' in o)",
      "os.write(fd, b'echo typed-line\\r')",
      "until(lambda o: o.count(b'$ ') >= 2)",
      "os.write(fd, b'exit\\r')",
      // Read to the end as a terminal does: a process leaving raw mode waits for its output to be drained.
      "until(lambda o: False, 30)",
      "_, status = os.waitpid(pid, 0)",
      "sys.stdout.write(out.decode(errors='replace'))",
      "sys.exit(os.waitstatus_to_exitcode(status))",
    ].join("\n");
    const r = await run("python3", ["-c", script, JSON.stringify([process.execPath, CLI, "ssm", "shell", "admin", "Name:web"])], e);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Starting session with SessionId: /);
    // The agent's CRLF may gain a CR from the pty's output processing (libuv's raw mode keeps ONLCR).
    assert.match(r.stdout, /\$ echo typed-line\r+\necho typed-line\r+\n\$ /);
    const s = lastSession();
    assert.equal(s?.Target, web.id);
    assert.equal(s?.DocumentName, undefined);
    assert.ok((s?.terminalSizes.length ?? 0) >= 1, "the terminal size was sent");
    assert.deepEqual(fake.violations, []);
  });

  it("--plugin hands session-manager-plugin exactly six arguments and returns its exit status", async () => {
    const plugin = fakePlugin();
    const { env: e } = env({ PATH: `${plugin.dir}:${process.env.PATH ?? ""}`, FAKE_PLUGIN_LOG: plugin.log, FAKE_PLUGIN_EXIT: "3" });
    const r = await runCli(["ssm", "forward", "-P", "-p", "8080", "admin", `role:a:b:443`], e);
    assert.equal(r.code, 3, r.stderr);
    const { argv, key } = JSON.parse(readFileSync(plugin.log, "utf8")) as { argv: string[]; key: string };
    const s = lastSession();
    const response = JSON.parse(argv[0] ?? "{}") as { TokenValue: string; StreamUrl: string };
    assert.deepEqual(argv, [
      JSON.stringify({ SessionId: s?.sessionId, StreamUrl: response.StreamUrl, TokenValue: response.TokenValue, ResultMetadata: {} }),
      "us-east-1",
      "StartSession",
      "",
      JSON.stringify({ Target: s?.Target, DocumentName: "AWS-StartPortForwardingSession", Parameters: { portNumber: ["443"], localPortNumber: ["8080"] }, Reason: null }),
      fake.endpoint,
    ]);
    assert.match(response.StreamUrl, /^ws:\/\/127\.0\.0\.1:\d+\/v1\/data-channel\//);
    assert.ok([web.id, ...pair].includes(s?.Target ?? ""), "tag role=a:b, split on the first colon");
    assert.match(key, /^ASIA/, "the plugin gets the role credentials");
    assert.ok(!r.stderr.includes(response.TokenValue));
  });

  it("plugin missing: one line with the install link, no session started", async () => {
    const { env: e } = env({ PATH: path.dirname(process.execPath) });
    const before = fake.sessions.length;
    const r = await runCli(["ssm", "shell", "--plugin", "admin", web.id], e);
    oneErrorLine(r, /session-manager-plugin is not installed or not on PATH: install it \(https:\/\/docs\.aws\.amazon\.com\/systems-manager\//);
    assert.equal(fake.sessions.length, before);
  });

  it("no instance: one line", async () => {
    const { env: e } = env();
    const r = await runCli(["ssm", "shell", "admin", "Name:nothing-here"], e);
    oneErrorLine(r, /no instances returned from lookup for target "Name:nothing-here"/);
  });

  it("forward without a remote port: one line", async () => {
    const { env: e } = env();
    const r = await runCli(["ssm", "forward", "admin", "justtext"], e);
    oneErrorLine(r, /no instances returned from lookup for target ""/);
  });

  it("no target at all: one usage line", async () => {
    const { env: e } = env({ AWS_PROFILE: "admin" });
    const r = await runCli(["ssm", "shell"], e);
    oneErrorLine(r, /no target given: use 'aws-runas ssm shell <profile> target'/);
  });
});

describe("the SDK adapters' errors, in-process against the SSM fake", () => {
  const creds = { accessKeyId: KEY, secretAccessKey: SECRET };
  const apis = (fake: SsmFake) => createSsmApis({ region: "us-east-1", endpoints: { ssm: fake.endpoint } }, creds, memoryLogger());

  it("TargetNotConnected says what to check on the instance", async () => {
    const fake = await startSsmFake({ startSessionError: { type: "TargetNotConnected", message: "i-0123456789abcdef0 is not connected." } });
    try {
      await assert.rejects(apis(fake).startSession({ Target: "i-0123456789abcdef0" }), (e: unknown) => {
        assert.ok(isRunasError(e));
        assert.match(e.message, /^instance i-0123456789abcdef0 is not connected to Systems Manager: check that its SSM agent is running/);
        return true;
      });
    } finally {
      await fake.close();
    }
  });

  it("a denial names the permission", async () => {
    const fake = await startSsmFake({ startSessionError: { type: "AccessDeniedException", message: "not authorized to perform ssm:StartSession" } });
    try {
      await assert.rejects(apis(fake).startSession({ Target: "i-0123456789abcdef0" }),
        /^RunasError: AWS denied SSM StartSession in us-east-1 \(not authorized to perform ssm:StartSession\): allow ssm:StartSession to the role or user of this profile$/);
    } finally {
      await fake.close();
    }
  });

  it("an unreachable endpoint says where", async () => {
    const dead = createSsmApis({ region: "us-east-1", endpoints: { ec2: "http://127.0.0.1:9" } }, creds, memoryLogger());
    await assert.rejects(dead.describeInstances([]), /^RunasError: cannot reach http:\/\/127\.0\.0\.1:9 for EC2 DescribeInstances in us-east-1/);
  });
});
