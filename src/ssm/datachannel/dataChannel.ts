/**
 * One Session Manager data channel (core.md §10.7), independent of the WebSocket library and of the session kind:
 * it opens the channel with the token frame, numbers and keeps outbound messages until acknowledged (resending every
 * 500 ms), acknowledges and reorders inbound ones, answers the handshake, obeys pause/start publication, and reports
 * what the session needs (output, readiness, exit code, channel closed) through `ChannelEvents`.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../../ports.js";
import { AgentMessageError, decodeAgentMessage, encodeAgentMessage } from "./agentMessage.js";
import type { AgentMessage } from "./agentMessage.js";
import { buildHandshakeResponse, KMS_UNSUPPORTED, parseHandshakeRequest, requestsKms } from "./handshake.js";
import { InboundOrder } from "./inboundOrder.js";
import { CLIENT_VERSION, MessageFlag, MessageType, PayloadType, SessionFlag } from "./messageTypes.js";
import { OutboundQueue } from "./outboundQueue.js";

/** How often unacknowledged messages are resent, as ssm-session-client does. */
export const RETRANSMIT_INTERVAL_MS = 500;
/** The largest payload per message (the AWS plugin's stream chunk size). */
export const MAX_PAYLOAD = 1024;
/** Unacknowledged messages beyond which sessions stop reading their sources until acknowledgements catch up. */
export const SEND_WINDOW = 64;

/** Where frames go; the WebSocket adapter or a test double. */
export interface ChannelSocket {
  sendText(text: string): void;
  sendBinary(frame: Buffer): void;
}

/** The periodic timer behind retransmission (injectable so tests drive it). */
export interface ChannelTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ChannelEvents {
  /** Data for the session: payload type 1 (output), 2 (error) or 11 (stderr). */
  output(payload: Buffer, payloadType: number): void;
  /** The handshake completed (or, from an agent that sends none, the first output arrived): data may flow. */
  ready(): void;
  /** The remote shell's exit status. */
  exitCode(code: number): void;
  /** The agent could not connect to the remote port. */
  portError(): void;
  /** The agent closed the channel; `output` is its closing text (may be empty). */
  closed(output: string): void;
  /** The channel cannot go on (an unsupported requirement, a broken handshake). */
  failed(error: Error): void;
  /** The send window has room again after being full. */
  writable(): void;
  /** Every sent message has been acknowledged. */
  drained(): void;
  /** A line for the person (the agent's handshake customer message). */
  notice(line: string): void;
}

export interface DataChannelOptions {
  socket: ChannelSocket;
  timers: ChannelTimers;
  /** Milliseconds since the Unix epoch. */
  now(): number;
  logger: Logger;
  events: ChannelEvents;
  /** Message ids; random UUIDs unless a test fixes them. */
  newId?(): string;
}

export class DataChannel {
  private nextSequence = 0;
  private readonly inbound = new InboundOrder<AgentMessage>();
  private readonly outbound = new OutboundQueue();
  private paused = false;
  private handshakeSeen = false;
  private kmsRequested = false;
  private isReady = false;
  private timer: unknown;
  private stopped = false;
  private readonly newId: () => string;

  constructor(private readonly o: DataChannelOptions) {
    this.newId = o.newId ?? randomUUID;
  }

  /** Sends the token frame that authorizes the channel and starts the retransmission timer. */
  open(token: string): void {
    const clientId = this.newId();
    this.o.socket.sendText(
      JSON.stringify({
        MessageSchemaVersion: "1.0",
        RequestId: this.newId(),
        TokenValue: token,
        ClientId: clientId,
        ClientVersion: CLIENT_VERSION,
      }),
    );
    this.o.logger.debug(`SSM data channel opened with client id ${clientId}`);
    this.timer = this.o.timers.setInterval(() => this.retransmit(), RETRANSMIT_INTERVAL_MS);
  }

  /** Stops the timer; nothing is sent afterwards. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.o.timers.clearInterval(this.timer);
  }

  /** True while fewer than SEND_WINDOW messages wait for acknowledgement. */
  get writable(): boolean {
    return this.outbound.size < SEND_WINDOW;
  }

  /** How many sent messages wait for acknowledgement. */
  get unacknowledged(): number {
    return this.outbound.size;
  }

  get ready(): boolean {
    return this.isReady;
  }

  /** Session bytes (payload type 1), split into messages of at most MAX_PAYLOAD bytes. */
  sendData(data: Buffer): void {
    for (let at = 0; at < data.length; at += MAX_PAYLOAD) {
      this.sendInput(PayloadType.Output, data.subarray(at, at + MAX_PAYLOAD), MessageFlag.Data);
    }
  }

  /** The terminal size of a shell session. */
  sendSize(cols: number, rows: number): void {
    this.sendInput(PayloadType.Size, Buffer.from(JSON.stringify({ cols, rows })), MessageFlag.Data);
  }

  /** A flag message: DisconnectToPort, or TerminateSession (which also carries the FIN flag). */
  sendFlag(flag: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(flag);
    this.sendInput(
      PayloadType.Flag,
      payload,
      flag === SessionFlag.TerminateSession ? MessageFlag.Fin : MessageFlag.Data,
    );
  }

  /** Handles one binary frame from the agent. */
  receive(frame: Buffer): void {
    if (this.stopped) return;
    let message: AgentMessage;
    try {
      message = decodeAgentMessage(frame);
    } catch (e) {
      if (!(e instanceof AgentMessageError)) throw e;
      // Not acknowledged, so the agent sends it again; a damaged frame is never delivered.
      this.o.logger.debug(`SSM data channel: dropped an invalid message: ${e.message}`);
      return;
    }
    switch (message.messageType) {
      case MessageType.Acknowledge:
        return this.acknowledged(message);
      case MessageType.OutputStreamData:
        return this.outputArrived(message);
      case MessageType.ChannelClosed:
        return this.channelClosed(message);
      case MessageType.PausePublication:
        this.paused = true;
        return;
      case MessageType.StartPublication:
        this.paused = false;
        for (const f of this.outbound.unsent(this.o.now())) this.o.socket.sendBinary(f);
        return;
      default:
        this.o.logger.debug(`SSM data channel: ignored a ${message.messageType} message`);
    }
  }

  private sendInput(payloadType: number, payload: Buffer, flags: number): void {
    if (this.stopped) return;
    const sequenceNumber = this.nextSequence++;
    const frame = this.encode({
      messageType: MessageType.InputStreamData,
      sequenceNumber,
      flags,
      payloadType,
      payload,
    });
    const sentAt = this.paused ? undefined : this.o.now();
    this.outbound.add(sequenceNumber, frame, sentAt);
    if (sentAt !== undefined) this.o.socket.sendBinary(frame);
  }

  private encode(m: Pick<AgentMessage, "messageType" | "sequenceNumber" | "flags" | "payloadType" | "payload">) {
    return encodeAgentMessage({ ...m, schemaVersion: 1, createdDate: this.o.now(), messageId: this.newId() });
  }

  private retransmit(): void {
    if (this.stopped || this.paused) return;
    const frames = this.outbound.due(this.o.now(), RETRANSMIT_INTERVAL_MS);
    if (frames.length > 0) this.o.logger.debug(`SSM data channel: resending ${frames.length} unacknowledged message(s)`);
    for (const f of frames) this.o.socket.sendBinary(f);
  }

  private acknowledged(message: AgentMessage): void {
    let sequenceNumber = message.sequenceNumber;
    try {
      const ack = JSON.parse(message.payload.toString("utf8")) as { AcknowledgedMessageSequenceNumber?: unknown };
      if (typeof ack.AcknowledgedMessageSequenceNumber === "number") sequenceNumber = ack.AcknowledgedMessageSequenceNumber;
    } catch {
      // The header carries the same number; the payload is only a convenience.
    }
    const wasFull = !this.writable;
    if (!this.outbound.acknowledge(sequenceNumber)) return;
    if (wasFull && this.writable) this.o.events.writable();
    if (this.outbound.size === 0) this.o.events.drained();
  }

  private outputArrived(message: AgentMessage): void {
    const arrival = this.inbound.arrive(message.sequenceNumber, message);
    if (arrival.status === "full") return;
    this.sendAcknowledge(message);
    if (arrival.status === "duplicate") return;
    for (const m of arrival.ready) {
      if (this.stopped) return;
      this.deliver(m);
    }
  }

  private sendAcknowledge(message: AgentMessage): void {
    const payload = Buffer.from(
      JSON.stringify({
        AcknowledgedMessageType: message.messageType,
        AcknowledgedMessageId: message.messageId,
        AcknowledgedMessageSequenceNumber: message.sequenceNumber,
        IsSequentialMessage: true,
      }),
    );
    this.o.socket.sendBinary(
      this.encode({
        messageType: MessageType.Acknowledge,
        sequenceNumber: message.sequenceNumber,
        flags: MessageFlag.Ack,
        payloadType: PayloadType.None,
        payload,
      }),
    );
  }

  private deliver(m: AgentMessage): void {
    switch (m.payloadType) {
      case PayloadType.Output:
        // Agents that predate the handshake start a shell straight away; their first output means "ready".
        if (!this.handshakeSeen) this.becomeReady();
        return this.o.events.output(m.payload, m.payloadType);
      case PayloadType.Error:
      case PayloadType.StdErr:
        return this.o.events.output(m.payload, m.payloadType);
      case PayloadType.HandshakeRequest:
        return this.handshakeRequested(m.payload);
      case PayloadType.HandshakeComplete:
        return this.handshakeCompleted(m.payload);
      case PayloadType.EncChallengeRequest:
        return this.o.events.failed(new Error(KMS_UNSUPPORTED));
      case PayloadType.Flag:
        if (m.payload.length === 4 && m.payload.readUInt32BE(0) === SessionFlag.ConnectToPortError) {
          this.o.events.portError();
        }
        return;
      case PayloadType.ExitCode: {
        const code = parseExitCode(m.payload);
        if (code !== undefined) this.o.events.exitCode(code);
        return;
      }
      default:
        this.o.logger.debug(`SSM data channel: ignored output of payload type ${m.payloadType}`);
    }
  }

  private handshakeRequested(payload: Buffer): void {
    this.handshakeSeen = true;
    let request;
    try {
      request = parseHandshakeRequest(payload);
    } catch (e) {
      return this.o.events.failed(new Error(`the agent sent an unreadable handshake: ${(e as Error).message}`));
    }
    this.kmsRequested = requestsKms(request);
    this.o.logger.debug(`SSM agent version ${request.AgentVersion ?? "unknown"} asked for a handshake`);
    // Sent with the next sequence number and kept for retransmission like any input: the agent processes
    // input_stream_data strictly in sequence order, so it must not be a gap or a stray number.
    this.sendInput(
      PayloadType.HandshakeResponse,
      Buffer.from(JSON.stringify(buildHandshakeResponse(request))),
      MessageFlag.Data,
    );
  }

  private handshakeCompleted(payload: Buffer): void {
    try {
      const complete = JSON.parse(payload.toString("utf8")) as { CustomerMessage?: unknown };
      if (typeof complete.CustomerMessage === "string" && complete.CustomerMessage !== "") {
        this.o.events.notice(complete.CustomerMessage);
      }
    } catch {
      // The customer message is optional; completion is what matters.
    }
    this.becomeReady();
  }

  private becomeReady(): void {
    if (this.isReady) return;
    this.isReady = true;
    this.o.events.ready();
  }

  private channelClosed(message: AgentMessage): void {
    let output = "";
    try {
      const closed = JSON.parse(message.payload.toString("utf8")) as { Output?: unknown };
      if (typeof closed.Output === "string") output = closed.Output;
    } catch {
      // A closing message without readable JSON still closes the channel.
    }
    if (this.kmsRequested && !this.isReady) return this.o.events.failed(new Error(KMS_UNSUPPORTED));
    this.o.events.closed(output);
  }
}

/** The exit status in an ExitCode payload: a 4-byte big-endian integer or decimal text. */
export function parseExitCode(payload: Buffer): number | undefined {
  if (payload.length === 4) return payload.readInt32BE(0);
  const text = payload.toString("utf8").trim();
  return /^-?\d+$/.test(text) ? Number(text) : undefined;
}
