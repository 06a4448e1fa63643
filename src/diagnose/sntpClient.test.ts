import assert from "node:assert/strict";
import dgram from "node:dgram";
import { after, describe, it } from "node:test";
import type { Clock } from "../ports.js";
import { clockCheck } from "./clockCheck.js";
import { createSntpQuery } from "./sntpClient.js";

type Behaviour = "answer" | "silent" | "drop-first" | "stray-first" | "kiss";

/**
 * A fake SNTP server on 127.0.0.1 (RFC 4330 server side): it checks that each datagram is a 48-byte client request
 * and answers with a 48-byte server reply whose clock is `offsetMs` away from this machine's, echoing the request's
 * transmit timestamp as originate.
 */
async function fakeNtpServer(o: { offsetMs?: number; behaviour?: Behaviour } = {}) {
  const socket = dgram.createSocket("udp4");
  const state = { requests: 0, problems: [] as string[] };
  const ntpTime = (buf: Buffer, at: number, ms: number) => {
    buf.writeUInt32BE(Math.floor(ms / 1000) + 2208988800, at);
    buf.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32), at + 4);
  };
  socket.on("message", (msg, rinfo) => {
    state.requests++;
    if (msg.length !== 48 || ((msg[0] ?? 0) & 7) !== 3) state.problems.push(`bad request: ${msg.toString("hex")}`);
    const behaviour = o.behaviour ?? "answer";
    if (behaviour === "silent" || (behaviour === "drop-first" && state.requests === 1)) return;
    const r = Buffer.alloc(48);
    r[0] = 0x1c; // LI 0, version 3, mode 4 (server)
    r[1] = behaviour === "kiss" ? 0 : 1;
    if (behaviour === "kiss") r.write("RATE", 12, "latin1");
    msg.copy(r, 24, 40, 48);
    const now = Date.now() + (o.offsetMs ?? 0);
    ntpTime(r, 32, now);
    ntpTime(r, 40, now);
    if (behaviour === "stray-first" && state.requests === 1) {
      const stray = Buffer.from(r);
      stray.writeUInt32BE(12345, 24); // answers a request nobody sent, with a clock 1 day off
      ntpTime(stray, 40, Date.now() + 86_400_000);
      socket.send(stray, rinfo.port, rinfo.address);
    }
    socket.send(r, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  return { port, state, server: { host: "127.0.0.1", port }, close: () => new Promise<void>((resolve) => socket.close(resolve)) };
}

const systemClock: Clock = { now: () => new Date() };
const servers: { close(): Promise<void> }[] = [];
after(async () => {
  for (const s of servers) await s.close();
});
async function server(o: { offsetMs?: number; behaviour?: Behaviour } = {}) {
  const s = await fakeNtpServer(o);
  servers.push(s);
  return s;
}

describe("createSntpQuery against a fake SNTP server", () => {
  const query = createSntpQuery({ clock: systemClock, timeoutMs: 1000, firstWaitMs: 50 });

  it("measures a clock 10 minutes ahead of ours", async () => {
    const s = await server({ offsetMs: 600_000 });
    const sample = await query(s.server);
    assert.ok(Math.abs(sample.offsetMs - 600_000) < 60_000, String(sample.offsetMs));
    assert.deepEqual(s.state.problems, []);
  });

  it("resends when a datagram is lost", async () => {
    const s = await server({ behaviour: "drop-first" });
    const sample = await query(s.server);
    assert.ok(Math.abs(sample.offsetMs) < 60_000);
    assert.equal(s.state.requests, 2);
  });

  it("ignores a datagram that answers no request of ours", async () => {
    const s = await server({ behaviour: "stray-first" });
    const sample = await query(s.server);
    assert.ok(Math.abs(sample.offsetMs) < 60_000, String(sample.offsetMs));
  });

  it("gives up after its timeout when nobody answers, having asked again meanwhile", async () => {
    const s = await server({ behaviour: "silent" });
    await assert.rejects(query(s.server), new Error(`no answer from 127.0.0.1:${s.port} within 1s`));
    assert.ok(s.state.requests >= 2, String(s.state.requests));
  });

  it("reports a refusal (kiss-o'-death)", async () => {
    const s = await server({ behaviour: "kiss" });
    await assert.rejects(query(s.server), new Error(`127.0.0.1:${s.port}: the server refused to answer (kiss code RATE)`));
  });

  it("reports a port where nothing listens (ICMP port unreachable on the connected socket)", async () => {
    const s = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => s.bind(0, "127.0.0.1", resolve));
    const port = s.address().port;
    await new Promise<void>((resolve) => s.close(resolve));
    await assert.rejects(query({ host: "127.0.0.1", port }), /ECONNREFUSED|no answer/);
  });

  it("reports a host that cannot be resolved", async () => {
    await assert.rejects(query({ host: "ntp.invalid", port: 123 }), /^Error: cannot resolve ntp\.invalid \(/);
  });
});

describe("clockCheck with AWS_RUNAS_NTP_SERVER pointing at a fake server", () => {
  const query = createSntpQuery({ clock: systemClock, timeoutMs: 600, firstWaitMs: 100 });
  const lines = async (env: Record<string, string>) => (await clockCheck(env, query)).map((f) => `${f.level} ${f.message}`);

  it("reports a clock 10 minutes off as a problem", async () => {
    const s = await server({ offsetMs: 600_000 });
    const out = await lines({ AWS_RUNAS_NTP_SERVER: `127.0.0.1:${s.port}` });
    assert.match(out[0] ?? "", /^DEBUG ntp: \d+, local: \d+, drift: /);
    assert.equal(out[1], `ERROR Local time drift is more than 5m0s, AWS API requests will be rejected: the system clock ` +
      `is 10m0s behind 127.0.0.1:${s.port}; correct the system time (turn on automatic time synchronization)`);
  });

  it("reports a clock in sync as fine", async () => {
    const s = await server();
    const out = await lines({ AWS_RUNAS_NTP_SERVER: `127.0.0.1:${s.port}` });
    assert.match(out[1] ?? "", new RegExp(`^INFO system time is within spec \\(the system clock is .* 127\\.0\\.0\\.1:${s.port}\\)$`));
  });

  it("only warns when the server does not answer", async () => {
    const s = await server({ behaviour: "silent" });
    assert.deepEqual(await lines({ AWS_RUNAS_NTP_SERVER: `127.0.0.1:${s.port}` }), [
      `WARN cannot check the system time: no answer from 127.0.0.1:${s.port} within 0.6s; skipping the clock check ` +
        "(offline, or UDP port 123 blocked? set AWS_RUNAS_NTP_SERVER to a reachable time server)",
    ]);
  });
});
