import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { AgentMessageError, decodeAgentMessage, encodeAgentMessage, uuidFromWire, uuidToWire } from "./agentMessage.js";
import type { AgentMessage } from "./agentMessage.js";

const SAMPLE: AgentMessage = {
  messageType: "input_stream_data",
  schemaVersion: 1,
  createdDate: 1_700_000_000_000,
  sequenceNumber: 5,
  flags: 0,
  messageId: "00112233-4455-6677-8899-aabbccddeeff",
  payloadType: 1,
  payload: Buffer.from("hi"),
};

// The spec's table, field by field (core.md §10.7).
const GOLDEN = [
  "00000074", // HeaderLength 116
  "696e7075745f73747265616d5f64617461" + "20".repeat(32 - 17), // MessageType, space-padded to 32
  "00000001", // SchemaVersion
  "0000018bcfe56800", // CreatedDate 1700000000000 ms
  "0000000000000005", // SequenceNumber
  "0000000000000000", // Flags
  "8899aabbccddeeff" + "0011223344556677", // MessageId, halves swapped
  "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4", // SHA-256("hi")
  "00000001", // PayloadType
  "00000002", // PayloadLength
  "6869", // Payload
].join("");

describe("agent message codec", () => {
  it("encodes a known message byte for byte as the spec's table", () => {
    assert.equal(encodeAgentMessage(SAMPLE).toString("hex"), GOLDEN);
  });

  it("decodes the golden bytes back to the same message", () => {
    assert.deepEqual(decodeAgentMessage(Buffer.from(GOLDEN, "hex")), SAMPLE);
  });

  it("round-trips large numbers, flags and an empty payload", () => {
    const m: AgentMessage = { ...SAMPLE, messageType: "acknowledge", sequenceNumber: 2 ** 40, flags: 3, payloadType: 0, payload: Buffer.alloc(0) };
    assert.deepEqual(decodeAgentMessage(encodeAgentMessage(m)), m);
  });

  it("swaps the UUID halves on the wire and back", () => {
    assert.equal(uuidToWire(SAMPLE.messageId).toString("hex"), "8899aabbccddeeff0011223344556677");
    assert.equal(uuidFromWire(uuidToWire(SAMPLE.messageId)), SAMPLE.messageId);
  });

  it("refuses a payload whose digest does not match", () => {
    const frame = encodeAgentMessage(SAMPLE);
    frame[frame.length - 1] = 0x78; // "hx"
    assert.throws(() => decodeAgentMessage(frame), { name: "AgentMessageError", message: "payload digest mismatch" });
  });

  it("refuses a payload length that disagrees with the frame", () => {
    const longer = Buffer.concat([encodeAgentMessage(SAMPLE), Buffer.from("!")]);
    assert.throws(() => decodeAgentMessage(longer), /payload length mismatch: header says 2, frame holds 3/);
    const shorter = encodeAgentMessage(SAMPLE).subarray(0, 121);
    assert.throws(() => decodeAgentMessage(shorter), /payload length mismatch/);
  });

  it("refuses other header lengths, short frames, short types, schema 0 and date 0", () => {
    const bad = (edit: (b: Buffer) => void) => {
      const b = encodeAgentMessage(SAMPLE);
      edit(b);
      return () => decodeAgentMessage(b);
    };
    assert.throws(bad((b) => b.writeUInt32BE(120, 0)), /invalid header length 120/);
    assert.throws(bad((b) => b.fill(0x20, 9, 36)), /invalid message type "input"/);
    assert.throws(bad((b) => b.writeUInt32BE(0, 36)), /invalid schema version 0/);
    assert.throws(bad((b) => b.writeBigUInt64BE(0n, 40)), /invalid message date 0/);
    assert.throws(() => decodeAgentMessage(Buffer.alloc(50)), AgentMessageError);
  });

  it("reads a NUL-padded channel_closed with the 112-byte header (no payload type)", () => {
    const payload = Buffer.from('{"Output":"bye"}');
    const b = Buffer.alloc(112 + 4 + payload.length);
    b.writeUInt32BE(112, 0);
    b.write("channel_closed", 4, "ascii"); // the rest of the field stays NUL
    b.writeUInt32BE(1, 36);
    b.writeBigUInt64BE(1n, 40);
    b.writeBigInt64BE(7n, 48);
    uuidToWire(SAMPLE.messageId).copy(b, 64);
    createHash("sha256").update(payload).digest().copy(b, 80);
    b.writeUInt32BE(payload.length, 112);
    payload.copy(b, 116);
    const m = decodeAgentMessage(b);
    assert.equal(m.messageType, "channel_closed");
    assert.equal(m.payloadType, 0);
    assert.equal(m.sequenceNumber, 7);
    assert.equal(m.payload.toString(), '{"Output":"bye"}');
  });

  it("will not encode a type name the agent would refuse", () => {
    assert.throws(() => encodeAgentMessage({ ...SAMPLE, messageType: "short" }), AgentMessageError);
  });
});
