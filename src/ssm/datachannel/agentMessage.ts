/**
 * The binary "agent message" every data-channel frame after the first carries (core.md §10.7): a 116-byte big-endian
 * header, the payload length and the payload. Decoding validates what the agent's and the Go client's decoders
 * validate (header length, schema, type, date, length and SHA-256 digest), so a damaged frame is refused rather than
 * delivered.
 */
import { createHash } from "node:crypto";

/** The header length written in every message we encode. */
export const HEADER_LENGTH = 116;
/** `channel_closed` messages from some agents omit the payload type field. */
const SHORT_HEADER_LENGTH = 112;
const TYPE_FIELD_LENGTH = 32;

export interface AgentMessage {
  messageType: string;
  schemaVersion: number;
  /** Milliseconds since the Unix epoch. */
  createdDate: number;
  sequenceNumber: number;
  flags: number;
  /** A UUID in its usual text form. */
  messageId: string;
  payloadType: number;
  payload: Buffer;
}

/** A frame that is not a valid agent message. */
export class AgentMessageError extends Error {
  override readonly name = "AgentMessageError";
}

/** The wire bytes of `m`: digest and payload length computed here. */
export function encodeAgentMessage(m: AgentMessage): Buffer {
  if (m.messageType.length < 10 || m.messageType.length > TYPE_FIELD_LENGTH) {
    throw new AgentMessageError(`invalid message type "${m.messageType}"`);
  }
  const out = Buffer.alloc(HEADER_LENGTH + 4 + m.payload.length);
  out.writeUInt32BE(HEADER_LENGTH, 0);
  out.write(m.messageType.padEnd(TYPE_FIELD_LENGTH, " "), 4, TYPE_FIELD_LENGTH, "ascii");
  out.writeUInt32BE(m.schemaVersion, 36);
  out.writeBigUInt64BE(BigInt(m.createdDate), 40);
  out.writeBigInt64BE(BigInt(m.sequenceNumber), 48);
  out.writeBigUInt64BE(BigInt(m.flags), 56);
  uuidToWire(m.messageId).copy(out, 64);
  sha256(m.payload).copy(out, 80);
  out.writeUInt32BE(m.payloadType, 112);
  out.writeUInt32BE(m.payload.length, 116);
  m.payload.copy(out, 120);
  return out;
}

/** The message in `frame`; an AgentMessageError when it is malformed or its digest does not match. */
export function decodeAgentMessage(frame: Buffer): AgentMessage {
  if (frame.length < SHORT_HEADER_LENGTH + 4) throw new AgentMessageError(`message too short (${frame.length} bytes)`);
  const headerLength = frame.readUInt32BE(0);
  if (headerLength !== HEADER_LENGTH && headerLength !== SHORT_HEADER_LENGTH) {
    throw new AgentMessageError(`invalid header length ${headerLength}`);
  }
  if (frame.length < headerLength + 4) throw new AgentMessageError(`message too short (${frame.length} bytes)`);
  // channel_closed is NUL-padded by some agents, everything else space-padded.
  const messageType = frame
    .subarray(4, 4 + TYPE_FIELD_LENGTH)
    .toString("ascii")
    .replace(/[\0 ]+$/, "");
  if (messageType.length < 10) throw new AgentMessageError(`invalid message type "${messageType}"`);
  const schemaVersion = frame.readUInt32BE(36);
  if (schemaVersion < 1) throw new AgentMessageError(`invalid schema version ${schemaVersion}`);
  const createdDate = Number(frame.readBigUInt64BE(40));
  if (createdDate === 0) throw new AgentMessageError("invalid message date 0");
  const payloadLength = frame.readUInt32BE(headerLength);
  const payload = frame.subarray(headerLength + 4);
  if (payload.length !== payloadLength) {
    throw new AgentMessageError(`payload length mismatch: header says ${payloadLength}, frame holds ${payload.length}`);
  }
  if (!sha256(payload).equals(frame.subarray(80, 112))) throw new AgentMessageError("payload digest mismatch");
  return {
    messageType,
    schemaVersion,
    createdDate,
    sequenceNumber: Number(frame.readBigInt64BE(48)),
    flags: Number(frame.readBigUInt64BE(56)),
    messageId: uuidFromWire(frame.subarray(64, 80)),
    payloadType: headerLength === HEADER_LENGTH ? frame.readUInt32BE(112) : 0,
    payload: Buffer.from(payload),
  };
}

function sha256(data: Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}

/** The wire form of a UUID: its last 8 bytes first, then its first 8 (as the agent's Java-style UUID codec does). */
export function uuidToWire(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new AgentMessageError(`invalid message id "${uuid}"`);
  const bytes = Buffer.from(hex, "hex");
  return Buffer.concat([bytes.subarray(8), bytes.subarray(0, 8)]);
}

/** The UUID text of a 16-byte wire message id. */
export function uuidFromWire(wire: Buffer): string {
  const hex = Buffer.concat([wire.subarray(8, 16), wire.subarray(0, 8)]).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
