import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { decodeAgentMessage, encodeAgentMessage } from "./agentMessage.js";
import type { AgentMessage } from "./agentMessage.js";
import { DataChannel, parseExitCode, SEND_WINDOW } from "./dataChannel.js";
import type { ChannelEvents } from "./dataChannel.js";
import { KMS_UNSUPPORTED } from "./handshake.js";
import { CLIENT_VERSION } from "./messageTypes.js";

/** A channel on a recording socket, with a hand-driven clock and timer. */
function harness() {
  const text: string[] = [];
  const sent: AgentMessage[] = [];
  const events: string[] = [];
  const data: string[] = [];
  let tick: (() => void) | undefined;
  let intervalMs = 0;
  let cleared = false;
  const clock = { ms: 1_700_000_000_000 };
  const on = (name: string) => () => void events.push(name);
  const handlers: ChannelEvents = {
    output: (p, t) => void data.push(`${t}:${p.toString()}`),
    ready: on("ready"),
    exitCode: (c) => void events.push(`exit ${c}`),
    portError: on("portError"),
    closed: (o) => void events.push(`closed ${o}`),
    failed: (e) => void events.push(`failed ${e.message}`),
    writable: on("writable"),
    drained: on("drained"),
    notice: (l) => void events.push(`notice ${l}`),
  };
  const channel = new DataChannel({
    socket: { sendText: (t) => void text.push(t), sendBinary: (f) => void sent.push(decodeAgentMessage(f)) },
    timers: {
      setInterval: (fn, ms) => {
        tick = fn;
        intervalMs = ms;
        return 42;
      },
      clearInterval: (h) => {
        assert.equal(h, 42);
        cleared = true;
      },
    },
    now: () => clock.ms,
    logger: memoryLogger(),
    events: handlers,
  });
  let agentSeq = 0;
  const agent = (m: Partial<AgentMessage> & { payload?: Buffer }) => {
    const msg: AgentMessage = {
      messageType: "output_stream_data",
      schemaVersion: 1,
      createdDate: clock.ms,
      sequenceNumber: agentSeq++,
      flags: 0,
      messageId: randomUUID(),
      payloadType: 1,
      payload: Buffer.alloc(0),
      ...m,
    };
    return msg;
  };
  const deliver = (m: AgentMessage) => channel.receive(encodeAgentMessage(m));
  const ackOf = (m: AgentMessage) =>
    agent({
      messageType: "acknowledge",
      sequenceNumber: m.sequenceNumber,
      flags: 3,
      payloadType: 0,
      payload: Buffer.from(JSON.stringify({ AcknowledgedMessageType: "input_stream_data", AcknowledgedMessageId: m.messageId, AcknowledgedMessageSequenceNumber: m.sequenceNumber, IsSequentialMessage: true })),
    });
  return {
    channel, text, sent, events, data, clock, agent, deliver, ackOf,
    tick: () => tick?.(),
    get intervalMs() { return intervalMs; },
    get cleared() { return cleared; },
    inputs: () => sent.filter((m) => m.messageType === "input_stream_data"),
    acks: () => sent.filter((m) => m.messageType === "acknowledge"),
  };
}

const out = (text: string) => Buffer.from(text);

describe("data channel", () => {
  it("opens with the token frame and a 500 ms retransmission timer", () => {
    const h = harness();
    h.channel.open("tok3n");
    assert.equal(h.text.length, 1);
    const frame = JSON.parse(h.text[0] ?? "") as Record<string, unknown>;
    assert.deepEqual(Object.keys(frame), ["MessageSchemaVersion", "RequestId", "TokenValue", "ClientId", "ClientVersion"]);
    assert.equal(frame.MessageSchemaVersion, "1.0");
    assert.equal(frame.TokenValue, "tok3n");
    assert.equal(frame.ClientVersion, CLIENT_VERSION);
    assert.match(String(frame.RequestId), /^[0-9a-f-]{36}$/);
    assert.notEqual(frame.RequestId, frame.ClientId);
    assert.equal(h.intervalMs, 500);
    h.channel.stop();
    assert.equal(h.cleared, true);
  });

  it("numbers input messages from 0, splits data into 1024-byte payloads, and sends sizes and flags", () => {
    const h = harness();
    h.channel.open("t");
    h.channel.sendData(Buffer.alloc(2050, 0x61));
    h.channel.sendSize(80, 24);
    h.channel.sendFlag(1);
    h.channel.sendFlag(2);
    const inputs = h.inputs();
    assert.deepEqual(inputs.map((m) => m.sequenceNumber), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(inputs.map((m) => m.payload.length), [1024, 1024, 2, 21, 4, 4]);
    assert.deepEqual(inputs.map((m) => m.payloadType), [1, 1, 1, 3, 10, 10]);
    assert.deepEqual(inputs.map((m) => m.flags), [0, 0, 0, 0, 0, 2]);
    assert.equal(inputs[3]?.payload.toString(), '{"cols":80,"rows":24}');
    assert.equal(inputs[4]?.payload.readUInt32BE(0), 1);
    assert.equal(inputs[5]?.payload.readUInt32BE(0), 2);
    assert.equal(inputs[0]?.createdDate, h.clock.ms);
  });

  it("acknowledges every output, delivers in order, re-acknowledges and drops duplicates", () => {
    const h = harness();
    h.channel.open("t");
    const m0 = h.agent({ payload: out("a") });
    const m1 = h.agent({ payload: out("b") });
    const m2 = h.agent({ payload: out("c") });
    h.deliver(m1);
    assert.deepEqual(h.data, []);
    h.deliver(m0);
    assert.deepEqual(h.data, ["1:a", "1:b"]);
    h.deliver(m0);
    h.deliver(m2);
    h.deliver(m2);
    assert.deepEqual(h.data, ["1:a", "1:b", "1:c"]);
    const acks = h.acks();
    assert.deepEqual(acks.map((a) => a.sequenceNumber), [1, 0, 0, 2, 2]);
    assert.ok(acks.every((a) => a.flags === 3 && a.payloadType === 0));
    assert.deepEqual(JSON.parse(acks[0]?.payload.toString() ?? ""), {
      AcknowledgedMessageType: "output_stream_data",
      AcknowledgedMessageId: m1.messageId,
      AcknowledgedMessageSequenceNumber: 1,
      IsSequentialMessage: true,
    });
    // Acknowledgements are not numbered input and never resent.
    assert.deepEqual(h.inputs(), []);
    h.clock.ms += 10_000;
    h.tick();
    assert.equal(h.acks().length, 5);
  });

  it("drops (and does not acknowledge) a damaged frame so the agent sends it again", () => {
    const h = harness();
    h.channel.open("t");
    const frame = encodeAgentMessage(h.agent({ payload: out("x") }));
    frame[frame.length - 1] = 0x79;
    h.channel.receive(frame);
    assert.deepEqual(h.sent, []);
    assert.deepEqual(h.data, []);
  });

  it("resends unacknowledged input every 500 ms until acknowledged", () => {
    const h = harness();
    h.channel.open("t");
    h.channel.sendData(out("one"));
    h.channel.sendData(out("two"));
    const [first, second] = h.inputs();
    assert.ok(first && second);
    h.clock.ms += 499;
    h.tick();
    assert.equal(h.inputs().length, 2, "nothing is due before 500 ms");
    h.deliver(h.ackOf(second));
    h.clock.ms += 1;
    h.tick();
    const resent = h.inputs().slice(2);
    assert.equal(resent.length, 1);
    assert.deepEqual(resent[0], first, "the same message (id, number, bytes) goes again");
    h.clock.ms += 500;
    h.tick();
    assert.equal(h.inputs().length, 4);
    h.deliver(h.ackOf(first));
    assert.ok(h.events.includes("drained"));
    h.clock.ms += 5000;
    h.tick();
    assert.equal(h.inputs().length, 4);
  });

  it("holds input while publication is paused and sends it on start_publication", () => {
    const h = harness();
    h.channel.open("t");
    h.deliver(h.agent({ messageType: "pause_publication", payloadType: 0 }));
    h.channel.sendData(out("held"));
    h.clock.ms += 2000;
    h.tick();
    assert.deepEqual(h.inputs(), []);
    h.deliver(h.agent({ messageType: "start_publication", payloadType: 0 }));
    assert.deepEqual(h.inputs().map((m) => m.payload.toString()), ["held"]);
    assert.deepEqual(h.acks(), [], "publication control messages are not acknowledged");
  });

  it("reports the window filling and opening again", () => {
    const h = harness();
    h.channel.open("t");
    for (let i = 0; i < SEND_WINDOW; i++) h.channel.sendData(out(String(i)));
    assert.equal(h.channel.writable, false);
    const first = h.inputs()[0];
    assert.ok(first);
    h.deliver(h.ackOf(first));
    assert.equal(h.channel.writable, true);
    assert.deepEqual(h.events, ["writable"]);
  });

  it("answers the handshake with the next input number, then is ready on completion", () => {
    const h = harness();
    h.channel.open("t");
    h.channel.sendSize(1, 1); // input 0
    h.deliver(h.agent({ payloadType: 5, payload: out(JSON.stringify({ AgentVersion: "3", RequestedClientActions: [{ ActionType: "SessionType", ActionParameters: { SessionType: "Port" } }] })) }));
    const response = h.inputs()[1];
    assert.equal(response?.sequenceNumber, 1);
    assert.equal(response?.payloadType, 6);
    assert.deepEqual(JSON.parse(response?.payload.toString() ?? ""), {
      ClientVersion: CLIENT_VERSION,
      ProcessedClientActions: [{ ActionType: "SessionType", ActionStatus: 1 }],
      Errors: [],
    });
    assert.deepEqual(h.events, []);
    h.deliver(h.agent({ payloadType: 1, payload: out("early") }));
    assert.deepEqual(h.events, [], "output before completion does not make a handshaking session ready");
    h.deliver(h.agent({ payloadType: 7, payload: out(JSON.stringify({ HandshakeTimeToComplete: 1, CustomerMessage: "hello" })) }));
    assert.deepEqual(h.events, ["notice hello", "ready"]);
    assert.equal(h.channel.ready, true);
    assert.equal(h.acks().length, 3);
  });

  it("takes the first output of an agent without handshake as ready", () => {
    const h = harness();
    h.channel.open("t");
    h.deliver(h.agent({ payload: out("$ ") }));
    assert.deepEqual(h.events, ["ready"]);
    assert.deepEqual(h.data, ["1:$ "]);
  });

  it("reports KMS encryption unsupported, and fails with what to do when the agent then closes", () => {
    const h = harness();
    h.channel.open("t");
    h.deliver(h.agent({ payloadType: 5, payload: out(JSON.stringify({ RequestedClientActions: [{ ActionType: "SessionType" }, { ActionType: "KMSEncryption", ActionParameters: { KMSKeyId: "k" } }] })) }));
    const response = JSON.parse(h.inputs()[0]?.payload.toString() ?? "") as { ProcessedClientActions: unknown[] };
    assert.deepEqual(response.ProcessedClientActions[1], { ActionType: "KMSEncryption", ActionStatus: 3, Error: KMS_UNSUPPORTED });
    h.deliver(h.agent({ messageType: "channel_closed", payloadType: 0, payload: out(JSON.stringify({ Output: "KMSEncryption failed" })) }));
    assert.deepEqual(h.events, [`failed ${KMS_UNSUPPORTED}`]);
  });

  it("reports exit codes, port errors, stderr and the channel's closing text", () => {
    const h = harness();
    h.channel.open("t");
    const flag = Buffer.alloc(4);
    flag.writeUInt32BE(3);
    h.deliver(h.agent({ payloadType: 11, payload: out("oops") }));
    h.deliver(h.agent({ payloadType: 10, payload: flag }));
    h.deliver(h.agent({ payloadType: 12, payload: Buffer.from([0, 0, 0, 7]) }));
    h.deliver(h.agent({ messageType: "channel_closed", payloadType: 0, payload: out(JSON.stringify({ MessageType: "channel_closed", SessionId: "s", Output: "bye" })) }));
    assert.deepEqual(h.data, ["11:oops"]);
    assert.deepEqual(h.events, ["portError", "exit 7", "closed bye"]);
  });

  it("reads exit codes as 4-byte integers or decimal text", () => {
    assert.equal(parseExitCode(Buffer.from([0, 0, 0, 2])), 2);
    assert.equal(parseExitCode(Buffer.from("130")), 130);
    assert.equal(parseExitCode(Buffer.from("x")), undefined);
  });

  it("sends nothing once stopped", () => {
    const h = harness();
    h.channel.open("t");
    h.channel.stop();
    h.channel.sendData(out("late"));
    h.deliver(h.agent({ payload: out("late") }));
    assert.deepEqual(h.sent, []);
  });
});
