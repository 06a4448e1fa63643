import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  clockOffsetMs, DEFAULT_NTP_SERVER, NTP_PACKET_SIZE, ntpRequest, parseNtpReply, parseNtpServer, replyKey, requestKey, showNtpServer,
} from "./sntpPacket.js";

/** A server reply built independently of the module: LI/VN/mode byte, stratum, originate, receive, transmit. */
function reply(o: { first?: number; stratum?: number; refId?: string; originate?: Buffer; receive?: [number, number]; transmit?: [number, number] }): Buffer {
  const b = Buffer.alloc(48);
  b[0] = o.first ?? 0x1c;
  b[1] = o.stratum ?? 2;
  if (o.refId !== undefined) b.write(o.refId, 12, "latin1");
  o.originate?.copy(b, 24);
  const [rs, rf] = o.receive ?? [0, 0];
  const [ts, tf] = o.transmit ?? [0, 0];
  b.writeUInt32BE(rs, 32);
  b.writeUInt32BE(rf, 36);
  b.writeUInt32BE(ts, 40);
  b.writeUInt32BE(tf, 44);
  return b;
}

describe("parseNtpServer / showNtpServer", () => {
  it("reads host, host:port and IPv6 forms", () => {
    assert.deepEqual(parseNtpServer("time.example.com"), { host: "time.example.com", port: 123 });
    assert.deepEqual(parseNtpServer(" 127.0.0.1:1123 "), { host: "127.0.0.1", port: 1123 });
    assert.deepEqual(parseNtpServer("[::1]:1123"), { host: "::1", port: 1123 });
    assert.deepEqual(parseNtpServer("[::1]"), { host: "::1", port: 123 });
    assert.deepEqual(parseNtpServer("fe80::1"), { host: "fe80::1", port: 123 });
    assert.equal(showNtpServer({ host: "::1", port: 123 }), "[::1]:123");
    assert.equal(showNtpServer(DEFAULT_NTP_SERVER), "pool.ntp.org:123");
  });

  it("refuses what is not a server", () => {
    for (const bad of ["", ":123", "host:", "host:0", "host:70000", "host:abc", "ntp://host", "a b"]) {
      assert.equal(parseNtpServer(bad), undefined, bad);
    }
  });
});

describe("ntpRequest", () => {
  it("is 48 bytes, 0x1B first, our send time as transmit timestamp", () => {
    const r = ntpRequest(new Date("2024-05-01T12:00:00.500Z"));
    assert.equal(r.length, NTP_PACKET_SIZE);
    assert.equal(r[0], 0x1b);
    assert.ok(r.subarray(1, 40).every((b) => b === 0));
    assert.equal(r.readUInt32BE(40), Date.UTC(2024, 4, 1, 12) / 1000 + 2208988800);
    assert.equal(r.readUInt32BE(44), 2 ** 31);
  });

  it("wraps into NTP era 1 after 2036", () => {
    const r = ntpRequest(new Date("2040-01-01T00:00:00Z"));
    assert.equal(r.readUInt32BE(40), Date.UTC(2040, 0, 1) / 1000 + 2208988800 - 2 ** 32);
  });
});

describe("parseNtpReply", () => {
  const sent = ntpRequest(new Date("2024-05-01T12:00:00Z"));
  const secs = Date.UTC(2024, 4, 1, 12, 10) / 1000 + 2208988800;

  it("reads the receive and transmit times of a server reply and what it answers", () => {
    const buf = reply({ originate: sent.subarray(40, 48), receive: [secs, 0], transmit: [secs, 2 ** 30] });
    assert.equal(replyKey(buf), requestKey(sent));
    const r = parseNtpReply(buf);
    assert.ok(typeof r !== "string");
    assert.equal(r.received.toISOString(), "2024-05-01T12:10:00.000Z");
    assert.equal(r.transmitted.toISOString(), "2024-05-01T12:10:00.250Z");
    assert.equal(r.stratum, 2);
  });

  it("reads era 1 timestamps (after 2036)", () => {
    const era1 = Date.UTC(2040, 0, 1) / 1000 + 2208988800 - 2 ** 32;
    const r = parseNtpReply(reply({ transmit: [era1, 0], receive: [era1, 0] }));
    assert.ok(typeof r !== "string");
    assert.equal(r.transmitted.toISOString(), "2040-01-01T00:00:00.000Z");
  });

  it("refuses what a client must not use (RFC 4330 §5)", () => {
    const t: [number, number] = [secs, 0];
    assert.match(String(parseNtpReply(Buffer.alloc(12))), /reply of 12 bytes/);
    assert.match(String(parseNtpReply(reply({ first: 0x1b, transmit: t }))), /not an NTP server reply \(version 3, mode 3\)/);
    assert.equal(parseNtpReply(reply({ stratum: 0, refId: "RATE", transmit: t })), "the server refused to answer (kiss code RATE)");
    assert.equal(parseNtpReply(reply({ first: 0xdc, transmit: t })), "the server's own clock is not synchronized");
    assert.equal(parseNtpReply(reply({ stratum: 16, transmit: t })), "the server's own clock is not synchronized");
    assert.equal(parseNtpReply(reply({})), "the reply has no transmit time");
    assert.equal(replyKey(Buffer.alloc(47)), undefined);
  });
});

describe("clockOffsetMs", () => {
  it("cancels the network delay: ((T2 - T1) + (T3 - T4)) / 2", () => {
    const t1 = new Date(1_000_000);
    const t4 = new Date(1_000_400); // 400 ms round trip, 200 ms each way
    const server = { received: new Date(1_000_200 + 600_000), transmitted: new Date(1_000_200 + 600_000), stratum: 1 };
    assert.equal(clockOffsetMs(t1, server, t4), 600_000);
  });
});
