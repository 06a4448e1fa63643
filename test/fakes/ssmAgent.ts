/**
 * A strict fake of SSM's StartSession/TerminateSession API and of the SSM agent behind a session's data channel
 * (core.md §10.7; stack.md §C.6). moto has no StartSession, so this plays both: a JSON-1.1 endpoint for
 * `AWS_ENDPOINT_URL_SSM`, and a WebSocket server that checks every frame a client sends (token frame, header,
 * digest, sequence numbers, acknowledgements, handshake answers) and records whatever the real service or agent would
 * refuse in `violations`. It also makes the client's life harder the way a real network does: it swaps and
 * duplicates some of its output messages and withholds one acknowledgement to force a retransmission.
 *
 * It keeps its own small codec rather than importing the client's, so a codec mistake on one side cannot hide
 * behind the same mistake on the other.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import type WebSocket from "ws";
import { check, sendJson, serveFake, Violation } from "./fakeServer.js";

export interface SsmFakeOptions {
  /** Every n-th data output message is sent after the next one (default 5; 0 = never). */
  reorderEvery?: number;
  /** Every n-th data output message is sent twice (default 7; 0 = never). */
  duplicateEvery?: number;
  /** Do not acknowledge the first data input message until it is sent again (default true). */
  withholdAck?: boolean;
  /** The exit status the fake shell reports (payload type 12) when `exit` is typed; none when undefined. */
  shellExitCode?: number;
  /** Ask for KMS encryption in the handshake (the agent then ends the session, as the client cannot do it). */
  kmsKeyId?: string;
  /** Behave like an agent older than the handshake for shell sessions. */
  legacyShell?: boolean;
  /** Send pause_publication after the first data input, and start_publication 50 ms later. */
  pauseOnce?: boolean;
  /** Answer StartSession with this error (e.g. TargetNotConnected) instead of a session. */
  startSessionError?: { type: string; message: string };
}

/** One StartSession call as received (its input fields as sent), and what happened on its data channel. */
export interface FakeSession {
  Target: string;
  DocumentName?: string;
  Parameters?: Record<string, string[]>;
  sessionId: string;
  /** The ClientId and ClientVersion of the token frame. */
  clientId?: string;
  clientVersion?: string;
  /** Terminal sizes received, in order. */
  terminalSizes: { cols: number; rows: number }[];
  /** Flag payloads received (1 DisconnectToPort, 2 TerminateSession), in order. */
  flags: number[];
  /** Input messages received a second time (retransmissions). */
  retransmits: number;
  /** Data outputs the fake sent after the one that followed them, and data outputs it sent twice. */
  reordered: number;
  duplicated: number;
  /** Output messages the client acknowledged. */
  acknowledged: number;
  /** Local-side TCP connections the fake agent opened to the remote port. */
  portConnections: number;
  handshakeCompleted: boolean;
  /** SSM TerminateSession was called for it. */
  terminatedByApi: boolean;
}

export interface SsmFake {
  /** For AWS_ENDPOINT_URL_SSM. */
  readonly endpoint: string;
  readonly sessions: FakeSession[];
  readonly violations: string[];
  close(): Promise<void>;
}

const HEADER_LENGTH = 116;
const DOCUMENTS = new Set(["AWS-StartPortForwardingSession", "AWS-StartSSHSession"]);

export async function startSsmFake(o: SsmFakeOptions = {}): Promise<SsmFake> {
  const violations: string[] = [];
  const sessions: FakeSession[] = [];
  const tokens = new Map<string, string>();
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const wsPort = (wss.address() as AddressInfo).port;

  const http = await serveFake({
    name: "ssm",
    violations,
    refuse: (res, message) => sendJson(res, 400, { __type: "ValidationException", message }),
    handle(req, res, url, body) {
      check(req.method === "POST" && url.pathname === "/", `SSM wants POST /, got ${req.method ?? ""} ${url.pathname}`);
      check(
        req.headers["content-type"] === "application/x-amz-json-1.1",
        `SSM wants content-type application/x-amz-json-1.1, got ${req.headers["content-type"] ?? "none"}`,
      );
      const auth = req.headers.authorization ?? "";
      check(
        /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/ssm\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/.test(auth),
        "SSM wants a SigV4 Authorization header for the ssm service",
      );
      const input = JSON.parse(body) as Record<string, unknown>;
      const target = req.headers["x-amz-target"];
      if (target === "AmazonSSM.StartSession") return startSession(res, input);
      if (target === "AmazonSSM.TerminateSession") {
        const s = sessions.find((x) => x.sessionId === input.SessionId);
        check(s !== undefined, `TerminateSession of an unknown session ${String(input.SessionId)}`);
        s.terminatedByApi = true;
        return sendJson(res, 200, { SessionId: s.sessionId }, { "content-type": "application/x-amz-json-1.1" });
      }
      throw new Violation(`unexpected X-Amz-Target ${String(target)}`);
    },
  });

  function startSession(res: import("node:http").ServerResponse, input: Record<string, unknown>) {
    for (const k of Object.keys(input)) {
      check(["Target", "DocumentName", "Parameters"].includes(k), `StartSession got an unexpected field ${k}`);
    }
    check(typeof input.Target === "string" && /^m?i-[0-9a-f]{8,}$/.test(input.Target), `StartSession Target ${String(input.Target)} is not an instance id`);
    const document = input.DocumentName;
    check(document === undefined || (typeof document === "string" && DOCUMENTS.has(document)), `StartSession with unknown DocumentName ${String(document)}`);
    const parameters = input.Parameters as Record<string, unknown> | undefined;
    if (document === undefined) check(parameters === undefined, "a shell StartSession has no Parameters");
    else {
      check(typeof parameters === "object" && parameters !== null, `${document} needs Parameters`);
      const allowed = document === "AWS-StartSSHSession" ? ["portNumber"] : ["portNumber", "localPortNumber"];
      for (const [k, v] of Object.entries(parameters)) {
        check(allowed.includes(k), `${document} got an unexpected parameter ${k}`);
        check(Array.isArray(v) && v.length === 1 && typeof v[0] === "string" && /^\d+$/.test(v[0]), `${document} parameter ${k} must be one decimal string, got ${JSON.stringify(v)}`);
      }
      check(Array.isArray(parameters.portNumber), `${document} needs portNumber`);
    }
    if (o.startSessionError !== undefined) {
      return sendJson(res, 400, { __type: o.startSessionError.type, message: o.startSessionError.message }, { "content-type": "application/x-amz-json-1.1" });
    }
    const sessionId = `runas-${sessions.length + 1}-${randomBytes(8).toString("hex")}`;
    const token = randomBytes(24).toString("base64");
    tokens.set(sessionId, token);
    sessions.push({
      Target: input.Target,
      ...(document === undefined ? {} : { DocumentName: document }),
      ...(parameters === undefined ? {} : { Parameters: parameters as Record<string, string[]> }),
      sessionId,
      terminalSizes: [],
      flags: [],
      retransmits: 0,
      reordered: 0,
      duplicated: 0,
      acknowledged: 0,
      portConnections: 0,
      handshakeCompleted: false,
      terminatedByApi: false,
    });
    sendJson(
      res,
      200,
      {
        SessionId: sessionId,
        StreamUrl: `ws://127.0.0.1:${wsPort}/v1/data-channel/${sessionId}?role=publish_subscribe`,
        TokenValue: token,
      },
      { "content-type": "application/x-amz-json-1.1" },
    );
  }

  wss.on("connection", (ws, req) => {
    const url = new URL(req.url ?? "/", "ws://127.0.0.1");
    const id = /^\/v1\/data-channel\/([^/]+)$/.exec(url.pathname)?.[1];
    const session = sessions.find((s) => s.sessionId === id);
    if (session === undefined || url.searchParams.get("role") !== "publish_subscribe") {
      violations.push(`data channel opened at an unknown address ${req.url ?? ""}`);
      ws.close(1008, "unknown session");
      return;
    }
    new FakeAgent(ws, session, tokens.get(session.sessionId) ?? "", o, violations).start();
  });

  return {
    endpoint: http.origin,
    sessions,
    violations,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await http.close();
    },
  };
}

interface WireMessage {
  messageType: string;
  sequenceNumber: number;
  flags: number;
  messageId: string;
  payloadType: number;
  payload: Buffer;
  createdDate: number;
}

/** The agent's side of one data channel. */
class FakeAgent {
  private tokenSeen = false;
  private outSequence = 0;
  private readonly sent = new Map<number, { id: string; acked: boolean }>();
  private expectedIn = 0;
  private readonly receivedIds = new Map<number, string>();
  private withholdDone = false;
  private handshake: "none" | "requested" | "complete" = "none";
  private dataCount = 0;
  private held: Buffer | undefined;
  private heldTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private pausedOnce = false;
  private line = "";
  private tcp: net.Socket | undefined;
  private tcpQueue: Buffer[] = [];
  private readonly kind: "shell" | "port";

  constructor(
    private readonly ws: WebSocket,
    private readonly session: FakeSession,
    private readonly token: string,
    private readonly o: SsmFakeOptions,
    private readonly violations: string[],
  ) {
    this.kind = session.DocumentName === undefined ? "shell" : "port";
  }

  start(): void {
    this.ws.on("message", (data, isBinary) => {
      try {
        this.frame(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]), isBinary);
      } catch (e) {
        this.violation(e instanceof Error ? e.message : String(e));
      }
    });
    this.ws.on("close", () => {
      clearTimeout(this.heldTimer);
      this.tcp?.destroy();
    });
  }

  private violation(why: string) {
    this.violations.push(`session ${this.session.sessionId}: ${why}`);
  }

  private frame(data: Buffer, isBinary: boolean) {
    if (!this.tokenSeen) {
      check(!isBinary, "the first frame must be the TEXT token frame");
      const t = JSON.parse(data.toString("utf8")) as Record<string, unknown>;
      const keys = Object.keys(t).sort().join(",");
      check(keys === "ClientId,ClientVersion,MessageSchemaVersion,RequestId,TokenValue", `token frame fields: ${keys}`);
      check(t.MessageSchemaVersion === "1.0", "token frame MessageSchemaVersion must be 1.0");
      check(t.TokenValue === this.token, "token frame carries the wrong TokenValue");
      check(isUuid(t.RequestId) && isUuid(t.ClientId), "token frame RequestId/ClientId must be UUIDs");
      check(typeof t.ClientVersion === "string" && versionBelow(t.ClientVersion, [1, 1, 70]), `ClientVersion ${String(t.ClientVersion)} would switch port sessions to smux`);
      this.session.clientId = t.ClientId as string;
      this.session.clientVersion = t.ClientVersion as string;
      this.tokenSeen = true;
      if (this.kind === "shell" && this.o.legacyShell === true) this.begin();
      else this.requestHandshake();
      return;
    }
    check(isBinary, "a TEXT frame after the token frame");
    const m = decodeStrict(data);
    if (m.messageType === "acknowledge") return this.acknowledged(m);
    check(m.messageType === "input_stream_data", `unexpected message type ${m.messageType} from the client`);
    this.input(m);
  }

  private acknowledged(m: WireMessage) {
    check(m.flags === 3 && m.payloadType === 0, `acknowledge with flags ${m.flags} payload type ${m.payloadType}`);
    const a = JSON.parse(m.payload.toString("utf8")) as Record<string, unknown>;
    check(
      Object.keys(a).sort().join(",") === "AcknowledgedMessageId,AcknowledgedMessageSequenceNumber,AcknowledgedMessageType,IsSequentialMessage",
      `acknowledge payload fields: ${Object.keys(a).join(",")}`,
    );
    check(a.AcknowledgedMessageType === "output_stream_data" && a.IsSequentialMessage === true, "acknowledge of something other than output_stream_data");
    check(a.AcknowledgedMessageSequenceNumber === m.sequenceNumber, "acknowledge header and payload sequence numbers differ");
    const s = this.sent.get(m.sequenceNumber);
    check(s !== undefined, `acknowledge of output ${m.sequenceNumber}, which was never sent`);
    check(s.id === a.AcknowledgedMessageId, `acknowledge of output ${m.sequenceNumber} names the wrong message id`);
    if (!s.acked) this.session.acknowledged++;
    s.acked = true;
  }

  private input(m: WireMessage) {
    if (m.sequenceNumber < this.expectedIn) {
      check(this.receivedIds.get(m.sequenceNumber) === m.messageId, `input ${m.sequenceNumber} sent again with a different message id`);
      this.session.retransmits++;
      return this.ack(m);
    }
    check(m.sequenceNumber === this.expectedIn, `input sequence jumped from ${this.expectedIn} to ${m.sequenceNumber}`);
    this.expectedIn++;
    this.receivedIds.set(m.sequenceNumber, m.messageId);
    const terminate = m.payloadType === 10 && m.payload.length === 4 && m.payload.readUInt32BE(0) === 2;
    check(m.flags === (terminate ? 2 : 0) || (m.sequenceNumber === 0 && m.flags === 1), `input ${m.sequenceNumber} has flags ${m.flags}`);
    const withhold = this.o.withholdAck !== false && !this.withholdDone && m.payloadType === 1;
    if (withhold) this.withholdDone = true;
    else this.ack(m);
    switch (m.payloadType) {
      case 6:
        return this.handshakeAnswered(m.payload);
      case 3: {
        check(this.kind === "shell", "a terminal size in a port session");
        const size = JSON.parse(m.payload.toString("utf8")) as Record<string, unknown>;
        check(Object.keys(size).sort().join(",") === "cols,rows", `terminal size fields: ${Object.keys(size).join(",")}`);
        check(Number.isInteger(size.cols) && Number.isInteger(size.rows) && (size.cols as number) > 0 && (size.rows as number) > 0, "terminal size must be positive integers");
        this.session.terminalSizes.push({ cols: size.cols as number, rows: size.rows as number });
        return;
      }
      case 1:
        check(this.handshake === "complete" || (this.kind === "shell" && this.o.legacyShell === true), "data sent before the handshake completed");
        this.maybePause();
        return this.kind === "shell" ? this.shellInput(m.payload) : this.portInput(m.payload);
      case 10: {
        check(m.payload.length === 4, "a flag payload must be 4 bytes");
        const flag = m.payload.readUInt32BE(0);
        check(flag === 1 || flag === 2, `unknown flag ${flag}`);
        this.session.flags.push(flag);
        if (flag === 1) {
          check(this.kind === "port", "DisconnectToPort in a shell session");
          this.tcp?.end();
          this.tcp = undefined;
          return;
        }
        this.tcp?.destroy();
        this.tcp = undefined;
        return;
      }
      default:
        throw new Violation(`unexpected input payload type ${m.payloadType}`);
    }
  }

  private ack(m: WireMessage) {
    this.sendRaw(
      encode("acknowledge", m.sequenceNumber, 3, 0, Buffer.from(JSON.stringify({
        AcknowledgedMessageType: "input_stream_data",
        AcknowledgedMessageId: m.messageId,
        AcknowledgedMessageSequenceNumber: m.sequenceNumber,
        IsSequentialMessage: true,
      }))).frame,
    );
  }

  private requestHandshake() {
    const port = this.session.Parameters?.portNumber?.[0];
    const actions: unknown[] = [
      {
        ActionType: "SessionType",
        ActionParameters:
          this.kind === "shell"
            ? { SessionType: "Standard_Stream", Properties: { linux: { commands: "", runAsElevated: false } } }
            : { SessionType: "Port", Properties: { portNumber: port, type: this.session.DocumentName === "AWS-StartSSHSession" ? "LocalPortForwarding" : "" } },
      },
    ];
    if (this.o.kmsKeyId !== undefined) actions.push({ ActionType: "KMSEncryption", ActionParameters: { KMSKeyId: this.o.kmsKeyId } });
    this.handshake = "requested";
    this.output(5, Buffer.from(JSON.stringify({ AgentVersion: "3.3.40.0", RequestedClientActions: actions })));
  }

  private handshakeAnswered(payload: Buffer) {
    check(this.handshake === "requested", "a handshake response nobody asked for");
    const r = JSON.parse(payload.toString("utf8")) as {
      ClientVersion?: unknown;
      ProcessedClientActions?: { ActionType?: unknown; ActionStatus?: unknown; Error?: unknown }[];
      Errors?: unknown;
    };
    check(typeof r.ClientVersion === "string" && versionBelow(r.ClientVersion, [1, 1, 70]), `handshake ClientVersion ${String(r.ClientVersion)} would switch port sessions to smux`);
    const actions = r.ProcessedClientActions ?? [];
    const wanted = this.o.kmsKeyId === undefined ? 1 : 2;
    check(actions.length === wanted, `handshake response has ${actions.length} processed actions, wanted ${wanted}`);
    check(actions[0]?.ActionType === "SessionType" && actions[0].ActionStatus === 1, "handshake response must accept the SessionType");
    if (this.o.kmsKeyId !== undefined) {
      const kms = actions[1];
      check(kms?.ActionType === "KMSEncryption" && kms.ActionStatus === 3 && typeof kms.Error === "string" && kms.Error !== "", "KMSEncryption must be reported unsupported (3) with an error text");
      // What the agent does when the client cannot encrypt: the session ends.
      return this.closeChannel(`Encountered error while initiating handshake. KMSEncryption failed on client with status 3 error: ${String(kms.Error)}`);
    }
    check(Array.isArray(r.Errors), "handshake response Errors must be a list");
    this.handshake = "complete";
    this.session.handshakeCompleted = true;
    this.output(7, Buffer.from(JSON.stringify({ HandshakeTimeToComplete: 12000000, CustomerMessage: "" })));
    if (this.kind === "shell") this.begin();
  }

  /** The shell's first prompt. */
  private begin() {
    this.data(Buffer.from("$ "));
  }

  private shellInput(bytes: Buffer) {
    for (const ch of bytes.toString("utf8")) {
      if (ch === "\r" || ch === "\n") {
        const line = this.line;
        this.line = "";
        if (line.trim() === "exit") return void this.shellExit();
        this.data(Buffer.from(`\r\n${line}\r\n$ `));
      } else {
        this.line += ch;
        this.data(Buffer.from(ch));
      }
    }
  }

  private async shellExit() {
    this.data(Buffer.from("\r\n"));
    if (this.o.shellExitCode !== undefined) {
      const code = Buffer.alloc(4);
      code.writeUInt32BE(this.o.shellExitCode);
      this.output(12, code);
    }
    await this.closeChannel("");
  }

  private portInput(bytes: Buffer) {
    if (this.tcp === undefined) {
      const port = Number(this.session.Parameters?.portNumber?.[0]);
      const tcp = net.connect(port, "127.0.0.1");
      this.session.portConnections++;
      this.tcp = tcp;
      this.tcpQueue = [];
      tcp.on("connect", () => {
        for (const b of this.tcpQueue) tcp.write(b);
        this.tcpQueue = [];
      });
      tcp.on("data", (chunk: Buffer) => {
        for (let at = 0; at < chunk.length; at += 1024) this.data(chunk.subarray(at, at + 1024));
      });
      tcp.on("error", () => {
        const flag = Buffer.alloc(4);
        flag.writeUInt32BE(3);
        this.output(10, flag);
      });
      tcp.on("close", () => {
        if (this.tcp === tcp) this.tcp = undefined;
      });
    }
    if (this.tcp.connecting) this.tcpQueue.push(bytes);
    else this.tcp.write(bytes);
  }

  private maybePause() {
    if (this.o.pauseOnce !== true || this.pausedOnce) return;
    this.pausedOnce = true;
    this.paused = true;
    this.sendRaw(encode("pause_publication", 0, 0, 0, Buffer.alloc(0)).frame);
    setTimeout(() => {
      this.paused = false;
      this.sendRaw(encode("start_publication", 0, 0, 0, Buffer.alloc(0)).frame);
    }, 50);
  }

  /** Session data (payload type 1), with the deterministic swaps and duplicates. */
  private data(payload: Buffer) {
    this.dataCount++;
    const frame = this.prepare(1, payload);
    const n = this.dataCount;
    if (this.held !== undefined) {
      const earlier = this.held;
      this.held = undefined;
      clearTimeout(this.heldTimer);
      this.sendRaw(frame);
      this.sendRaw(earlier);
      this.session.reordered++;
    } else if (this.o.reorderEvery !== 0 && n % (this.o.reorderEvery ?? 5) === 0) {
      this.held = frame;
      // Nothing may follow for a while (a prompt waiting for input): then it goes out alone.
      this.heldTimer = setTimeout(() => this.flushHeld(), 30);
      return;
    } else this.sendRaw(frame);
    if (this.o.duplicateEvery !== 0 && n % (this.o.duplicateEvery ?? 7) === 0) {
      this.sendRaw(frame);
      this.session.duplicated++;
    }
  }

  private flushHeld() {
    clearTimeout(this.heldTimer);
    if (this.held === undefined) return;
    const f = this.held;
    this.held = undefined;
    this.sendRaw(f);
  }

  /** A control output (handshake, flags, exit code): in order, after anything held. */
  private output(payloadType: number, payload: Buffer) {
    this.flushHeld();
    this.sendRaw(this.prepare(payloadType, payload));
  }

  private prepare(payloadType: number, payload: Buffer): Buffer {
    const seq = this.outSequence++;
    const { frame, id } = encode("output_stream_data", seq, seq === 0 ? 1 : 0, payloadType, payload);
    this.sent.set(seq, { id, acked: false });
    return frame;
  }

  private sendRaw(frame: Buffer) {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame, { binary: true });
  }

  /** Ends the session the agent's way: once every output is acknowledged, channel_closed, then the socket closes. */
  private async closeChannel(output: string) {
    this.flushHeld();
    for (let i = 0; i < 200 && [...this.sent.values()].some((s) => !s.acked); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const unacked = [...this.sent.entries()].filter(([, s]) => !s.acked).map(([n]) => n);
    if (unacked.length > 0 && this.ws.readyState === this.ws.OPEN) this.violation(`outputs never acknowledged: ${unacked.join(",")}`);
    const body = {
      MessageType: "channel_closed",
      MessageId: randomUUID(),
      DestinationId: this.session.Target,
      SessionId: this.session.sessionId,
      SchemaVersion: 1,
      CreatedDate: new Date().toISOString(),
      Output: output,
    };
    this.sendRaw(encode("channel_closed", 0, 0, 0, Buffer.from(JSON.stringify(body)), true).frame);
    this.ws.close(1000);
  }
}

/** Encodes a message; `nulPadded` writes the type NUL-padded with the short 112-byte header, as channel_closed may. */
function encode(type: string, seq: number, flags: number, payloadType: number, payload: Buffer, nulPadded = false) {
  const id = randomUUID();
  const headerLength = nulPadded ? 112 : HEADER_LENGTH;
  const out = Buffer.alloc(headerLength + 4 + payload.length, 0);
  out.writeUInt32BE(headerLength, 0);
  Buffer.from(type.padEnd(32, nulPadded ? "\0" : " "), "ascii").copy(out, 4);
  out.writeUInt32BE(1, 36);
  out.writeBigUInt64BE(BigInt(Date.now()), 40);
  out.writeBigInt64BE(BigInt(seq), 48);
  out.writeBigUInt64BE(BigInt(flags), 56);
  const u = Buffer.from(id.replace(/-/g, ""), "hex");
  Buffer.concat([u.subarray(8), u.subarray(0, 8)]).copy(out, 64);
  createHash("sha256").update(payload).digest().copy(out, 80);
  if (!nulPadded) out.writeUInt32BE(payloadType, 112);
  out.writeUInt32BE(payload.length, headerLength);
  payload.copy(out, headerLength + 4);
  return { frame: out, id };
}

/** Decodes a client message, refusing anything the agent would, and a little more (the client always writes 116). */
function decodeStrict(b: Buffer): WireMessage {
  check(b.length >= HEADER_LENGTH + 4, `message of ${b.length} bytes is shorter than a header`);
  check(b.readUInt32BE(0) === HEADER_LENGTH, `header length ${b.readUInt32BE(0)}, wanted 116`);
  const typeField = b.subarray(4, 36).toString("ascii");
  const messageType = typeField.trimEnd();
  check(/^[a-z_]+ *$/.test(typeField) && messageType.length >= 10, `message type field ${JSON.stringify(typeField)} is not a space-padded name`);
  check(b.readUInt32BE(36) === 1, `schema version ${b.readUInt32BE(36)}`);
  const createdDate = Number(b.readBigUInt64BE(40));
  check(Math.abs(createdDate - Date.now()) < 86_400_000, `CreatedDate ${createdDate} is not a current time in ms`);
  const wire = b.subarray(64, 80);
  const hex = Buffer.concat([wire.subarray(8), wire.subarray(0, 8)]).toString("hex");
  const messageId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  // A v4 UUID read back with the halves swapped the agent's way must still be a v4 UUID.
  check(isUuid(messageId), `message id ${messageId} is not a v4 UUID with its halves swapped`);
  const payloadLength = b.readUInt32BE(116);
  const payload = b.subarray(120);
  check(payload.length === payloadLength, `payload length ${payloadLength} but ${payload.length} bytes follow`);
  check(createHash("sha256").update(payload).digest().equals(b.subarray(80, 112)), "payload digest mismatch");
  return {
    messageType,
    createdDate,
    sequenceNumber: Number(b.readBigInt64BE(48)),
    flags: Number(b.readBigUInt64BE(56)),
    messageId,
    payloadType: b.readUInt32BE(112),
    payload: Buffer.from(payload),
  };
}

function isUuid(v: unknown): boolean {
  return typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(v);
}

function versionBelow(version: string, limit: number[]): boolean {
  const parts = version.split(".").map(Number);
  for (let i = 0; i < limit.length; i++) {
    const p = parts[i] ?? 0;
    const l = limit[i] ?? 0;
    if (p !== l) return p < l;
  }
  return false;
}
