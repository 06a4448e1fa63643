/**
 * The built-in client end to end, in-process, against the strict fake SSM service and agent: StartSession through
 * the real SDK, then runSession over a real WebSocket, with the fake swapping, duplicating and withholding
 * acknowledgements.
 */
import assert from "node:assert/strict";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { PassThrough, Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { SSMClient, StartSessionCommand } from "@aws-sdk/client-ssm";
import type { StartSessionCommandInput } from "@aws-sdk/client-ssm";
import { WebSocketServer } from "ws";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { startSsmFake } from "../../test/fakes/ssmAgent.js";
import type { SsmFake, SsmFakeOptions } from "../../test/fakes/ssmAgent.js";
import type { SessionTerminal, StartedSession } from "./contracts.js";
import { KMS_UNSUPPORTED } from "./datachannel/handshake.js";
import { runSession } from "./runSession.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const INSTANCE = "i-0123456789abcdef0";

async function start(fake: SsmFake, input: Omit<StartSessionCommandInput, "Target">): Promise<StartedSession> {
  const ssm = new SSMClient({
    region: "us-east-1",
    endpoint: fake.endpoint,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  });
  const out = await ssm.send(new StartSessionCommand({ Target: INSTANCE, ...input }));
  ssm.destroy();
  return { SessionId: out.SessionId ?? "", StreamUrl: out.StreamUrl ?? "", TokenValue: out.TokenValue ?? "" };
}

/** A writable that keeps everything, and resolves waiters when a text shows up. */
function sink() {
  const chunks: Buffer[] = [];
  const waiters: { text: string; resolve(): void }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      const all = Buffer.concat(chunks).toString("utf8");
      for (const w of waiters.filter((w) => all.includes(w.text))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      done();
    },
  });
  return {
    stream,
    text: () => Buffer.concat(chunks).toString("utf8"),
    bytes: () => Buffer.concat(chunks),
    waitFor: (text: string) =>
      Buffer.concat(chunks).toString("utf8").includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ text, resolve })),
  };
}

function fakeTerminal(size: { cols: number; rows: number } | undefined) {
  const modes: boolean[] = [];
  let listener: (() => void) | undefined;
  let current = size;
  const terminal: SessionTerminal = {
    isTTY: true,
    setRawMode: (raw) => void modes.push(raw),
    size: () => current,
    onResize: (l) => {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
  };
  return {
    terminal,
    modes,
    resize(s: { cols: number; rows: number }) {
      current = s;
      listener?.();
    },
    get listening() {
      return listener !== undefined;
    },
  };
}

/** A TCP echo server on 127.0.0.1. */
async function echoServer() {
  const server = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Sends `data` on a new connection to `port` and reads until as many bytes came back, then closes. */
async function roundTrip(port: number, data: Buffer): Promise<Buffer> {
  const socket = net.connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  let got = 0;
  await new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("data", (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= data.length) resolve();
    });
    socket.write(data);
  });
  socket.end();
  await new Promise((r) => socket.once("close", r));
  return Buffer.concat(chunks);
}

/** Waits (polling) until `ok()` holds: the fake records what it receives a moment after the client has moved on. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), what);
}

function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe("runSession against the fake agent", { timeout: 20_000 }, () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  const fakes: SsmFake[] = [];
  const fake = async (o?: SsmFakeOptions) => {
    const f = await startSsmFake(o);
    fakes.push(f);
    return f;
  };
  before(async () => {
    echo = await echoServer();
  });
  after(async () => {
    for (const f of fakes) await f.close();
    await echo.close();
  });

  it("runs a shell: raw terminal, sizes at start and on resize, echoed lines, exit status, terminal restored", async () => {
    const f = await fake({ shellExitCode: 3 });
    const started = await start(f, {});
    const stdin = new PassThrough();
    const stdout = sink();
    const term = fakeTerminal({ cols: 100, rows: 30 });
    const progress: string[] = [];
    const running = runSession({
      started,
      session: { kind: "shell" },
      io: { stdin, stdout: stdout.stream, terminal: term.terminal },
      logger: memoryLogger(),
      progress: (l) => void progress.push(l),
    });
    await stdout.waitFor("$ ");
    assert.deepEqual(term.modes, [true], "raw while the session runs");
    stdin.write("hello world\r");
    await stdout.waitFor("hello world\r\n$ ");
    term.resize({ cols: 120, rows: 40 });
    term.resize({ cols: 120, rows: 40 });
    stdin.write("exit\r");
    assert.equal(await running, 3);
    assert.equal(stdout.text(), "$ hello world\r\nhello world\r\n$ exit\r\n");
    assert.deepEqual(term.modes, [true, false]);
    assert.equal(term.listening, false);
    const s = f.sessions[0];
    assert.deepEqual(s?.terminalSizes, [{ cols: 100, rows: 30 }, { cols: 120, rows: 40 }]);
    assert.equal(s?.handshakeCompleted, true);
    assert.ok((s?.acknowledged ?? 0) > 10);
    assert.deepEqual(progress, [`Starting session with SessionId: ${started.SessionId}`, `Exiting session with sessionId: ${started.SessionId}.`]);
    assert.deepEqual(f.violations, []);
  });

  it("sends 132x45 when the terminal cannot tell its size, and works with an agent older than the handshake", async () => {
    const f = await fake({ legacyShell: true });
    const started = await start(f, {});
    const stdin = new PassThrough();
    const stdout = sink();
    const term = fakeTerminal(undefined);
    const running = runSession({
      started,
      session: { kind: "shell" },
      io: { stdin, stdout: stdout.stream, terminal: term.terminal },
      logger: memoryLogger(),
      progress: () => undefined,
    });
    await stdout.waitFor("$ ");
    stdin.write("exit\n");
    assert.equal(await running, 0);
    assert.deepEqual(f.sessions[0]?.terminalSizes, [{ cols: 132, rows: 45 }]);
    assert.equal(f.sessions[0]?.handshakeCompleted, false);
    assert.deepEqual(f.violations, []);
  });

  it("forwards a port: one connection at a time, DisconnectToPort after each, TerminateSession on abort", async () => {
    const f = await fake();
    const started = await start(f, { DocumentName: "AWS-StartPortForwardingSession", Parameters: { portNumber: [String(echo.port)], localPortNumber: ["0"] } });
    const progress: string[] = [];
    const abort = new AbortController();
    let listening: (port: number) => void = () => undefined;
    const port = new Promise<number>((r) => (listening = r));
    const running = runSession({
      started,
      session: { kind: "port", localPort: 0, onListening: (p) => listening(p) },
      io: { stdin: new PassThrough(), stdout: sink().stream },
      logger: memoryLogger(),
      progress: (l) => void progress.push(l),
      signal: abort.signal,
    });
    const local = await port;
    const first = pattern(20_000, 1);
    assert.ok((await roundTrip(local, first)).equals(first), "first connection echoes every byte in order");
    const second = pattern(3_000, 2);
    assert.ok((await roundTrip(local, second)).equals(second), "second connection too");
    abort.abort();
    assert.equal(await running, 0);
    const s = f.sessions[0];
    await until(() => s?.flags.length === 3, "three flags arrive");
    assert.equal(s?.portConnections, 2);
    assert.ok((s?.reordered ?? 0) > 0 && (s?.duplicated ?? 0) > 0, "the fake did swap and duplicate outputs");
    assert.deepEqual(s?.flags, [1, 1, 2]);
    assert.deepEqual(progress.slice(0, 3), [
      `Starting session with SessionId: ${started.SessionId}`,
      `Port ${local} opened for sessionId ${started.SessionId}.`,
      "Waiting for connections...",
    ]);
    assert.ok(progress.includes(`Connection accepted for session [${started.SessionId}]`));
    await assert.rejects(roundTrip(local, Buffer.from("x")), /ECONNREFUSED/, "the listener is gone");
    assert.deepEqual(f.violations, []);
  });

  it("makes a second local connection wait until the first closes", async () => {
    const f = await fake({ reorderEvery: 0, duplicateEvery: 0 });
    const started = await start(f, { DocumentName: "AWS-StartPortForwardingSession", Parameters: { portNumber: [String(echo.port)], localPortNumber: ["0"] } });
    const abort = new AbortController();
    let listening: (port: number) => void = () => undefined;
    const port = new Promise<number>((r) => (listening = r));
    const running = runSession({
      started,
      session: { kind: "port", localPort: 0, onListening: (p) => listening(p) },
      io: { stdin: new PassThrough(), stdout: sink().stream },
      logger: memoryLogger(),
      progress: () => undefined,
      signal: abort.signal,
    });
    const local = await port;
    const a = net.connect(local, "127.0.0.1");
    a.write("from-a");
    await new Promise((r) => a.once("data", r));
    const b = net.connect(local, "127.0.0.1");
    const bGot: Buffer[] = [];
    b.on("data", (c: Buffer) => bGot.push(c));
    b.write("from-b");
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(Buffer.concat(bGot).length, 0, "b is not served while a is open");
    a.end();
    await new Promise<void>((r) => b.once("data", () => r()));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(Buffer.concat(bGot).toString(), "from-b");
    b.end();
    await new Promise((r) => b.once("close", r));
    abort.abort();
    assert.equal(await running, 0);
    await until(() => f.sessions[0]?.flags.length === 3, "three flags arrive");
    assert.deepEqual(f.sessions[0]?.flags, [1, 1, 2]);
    assert.deepEqual(f.violations, []);
  });

  it("relays a byte stream for ssh: stdin to the agent, the agent to stdout, TerminateSession after stdin ends", async () => {
    const f = await fake({ pauseOnce: true });
    const started = await start(f, { DocumentName: "AWS-StartSSHSession", Parameters: { portNumber: [String(echo.port)] } });
    const stdin = new PassThrough();
    const stdout = sink();
    const progress: string[] = [];
    const running = runSession({
      started,
      session: { kind: "stream" },
      io: { stdin, stdout: stdout.stream },
      logger: memoryLogger(),
      progress: (l) => void progress.push(l),
    });
    const data = pattern(12_345, 3);
    stdin.write(data.subarray(0, 5000));
    await stdout.waitFor(data.subarray(4990, 5000).toString("utf8"));
    stdin.end(data.subarray(5000));
    assert.equal(await running, 0);
    assert.ok(stdout.bytes().equals(data), "stdout carries exactly the relayed bytes");
    const s = f.sessions[0];
    await until(() => s?.flags.length === 1, "the flag arrives");
    assert.deepEqual(s?.flags, [2]);
    assert.ok((s?.retransmits ?? 0) >= 1, "the withheld acknowledgement was answered by a resend");
    assert.ok((s?.reordered ?? 0) > 0 && (s?.duplicated ?? 0) > 0, "the fake did swap and duplicate outputs");
    assert.deepEqual(progress, [], "nothing on the person's stderr for an ssh ProxyCommand");
    assert.deepEqual(f.violations, []);
  });

  it("fails with what to do when the session needs KMS encryption", async () => {
    const f = await fake({ kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k" });
    const started = await start(f, { DocumentName: "AWS-StartSSHSession", Parameters: { portNumber: [String(echo.port)] } });
    await assert.rejects(
      runSession({ started, session: { kind: "stream" }, io: { stdin: new PassThrough(), stdout: sink().stream }, logger: memoryLogger(), progress: () => undefined }),
      { name: "RunasError", message: `Session Manager session ${started.SessionId} failed: ${KMS_UNSUPPORTED}` },
    );
    assert.deepEqual(f.violations, []);
  });

  it("fails in one line when the data channel cannot be opened", async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(
      runSession({
        started: { SessionId: "s-1", StreamUrl: `ws://127.0.0.1:${port}/v1/data-channel/s-1`, TokenValue: "t" },
        session: { kind: "shell" },
        io: { stdin: new PassThrough(), stdout: sink().stream },
        logger: memoryLogger(),
        progress: () => undefined,
      }),
      (e: Error) => e.name === "RunasError" && /^cannot open the Session Manager data channel of session s-1: .*ECONNREFUSED.*; check that the ssmmessages endpoint is reachable$/.test(e.message) && !e.message.includes("\n"),
    );
  });

  it("fails when the connection drops before the agent closes the channel, and restores the terminal", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((r) => wss.once("listening", () => r()));
    wss.on("connection", (ws) => ws.once("message", () => ws.close(1011, "agent went away")));
    const term = fakeTerminal({ cols: 80, rows: 24 });
    await assert.rejects(
      runSession({
        started: { SessionId: "s-2", StreamUrl: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v1/data-channel/s-2`, TokenValue: "t" },
        session: { kind: "shell" },
        io: { stdin: new PassThrough(), stdout: sink().stream, terminal: term.terminal },
        logger: memoryLogger(),
        progress: () => undefined,
      }),
      { name: "RunasError", message: "the Session Manager connection of session s-2 closed unexpectedly (code 1011: agent went away); start the session again" },
    );
    assert.deepEqual(term.modes, [true, false]);
    await new Promise<void>((r) => wss.close(() => r()));
  });
});
