import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clockCheck, clockFindings, ntpServerFrom } from "./clockCheck.js";
import type { SntpQuery, SntpSample } from "./sntpClient.js";

const SERVER = { host: "time.example.com", port: 123 };
const sample = (offsetMs: number): SntpSample => ({
  offsetMs,
  serverTime: new Date(1_714_564_800_000 + offsetMs),
  localTime: new Date(1_714_564_800_000),
});
const lines = (offsetMs: number) => clockFindings(sample(offsetMs), SERVER).map((f) => `${f.level} ${f.message}`);

describe("ntpServerFrom", () => {
  it("asks pool.ntp.org:123 unless AWS_RUNAS_NTP_SERVER names another server", () => {
    assert.deepEqual(ntpServerFrom({}), { server: { host: "pool.ntp.org", port: 123 }, findings: [] });
    assert.deepEqual(ntpServerFrom({ AWS_RUNAS_NTP_SERVER: "" }).server, { host: "pool.ntp.org", port: 123 });
    assert.deepEqual(ntpServerFrom({ AWS_RUNAS_NTP_SERVER: "10.0.0.1:1123" }), { server: { host: "10.0.0.1", port: 1123 }, findings: [] });
  });

  it("ignores a bad value with a warning naming it", () => {
    const r = ntpServerFrom({ AWS_RUNAS_NTP_SERVER: "udp://x" });
    assert.deepEqual(r.server, { host: "pool.ntp.org", port: 123 });
    assert.deepEqual(r.findings, [{
      level: "WARN",
      message: 'ignoring AWS_RUNAS_NTP_SERVER="udp://x": use host or host:port (e.g. time.example.com:123); asking pool.ntp.org:123 instead',
    }]);
  });
});

describe("clockFindings (core.md §8 step 5)", () => {
  it("logs upstream's DEBUG line with the raw numbers", () => {
    assert.equal(lines(1500)[0], "DEBUG ntp: 1714564801, local: 1714564800, drift: 1.5s");
  });

  it("is fine below 3 minutes, either way", () => {
    assert.equal(lines(12)[1], "INFO system time is within spec (the system clock is 12ms behind time.example.com:123)");
    assert.equal(lines(-180_000)[1], "INFO system time is within spec (the system clock is 3m0s ahead of time.example.com:123)");
  });

  it("warns above 3 minutes", () => {
    assert.equal(lines(-200_000)[1], "WARN Local time drift is more than 3m0s, check system time: the system clock is " +
      "3m20s ahead of time.example.com:123");
  });

  it("is a problem from 5 minutes on", () => {
    assert.equal(lines(300_000)[1], "ERROR Local time drift is more than 5m0s, AWS API requests will be rejected: the " +
      "system clock is 5m0s behind time.example.com:123; correct the system time (turn on automatic time synchronization)");
    assert.equal(lines(-36_000_000)[1]?.split(" ")[0], "ERROR");
  });

  it("only warns when there is no measurement", () => {
    assert.deepEqual(clockFindings(new Error("no answer from time.example.com:123 within 2s"), SERVER), [{
      level: "WARN",
      message: "cannot check the system time: no answer from time.example.com:123 within 2s; skipping the clock check " +
        "(offline, or UDP port 123 blocked? set AWS_RUNAS_NTP_SERVER to a reachable time server)",
    }]);
  });
});

describe("clockCheck", () => {
  it("asks the configured server and judges its answer", async () => {
    const asked: unknown[] = [];
    const sntp: SntpQuery = (server) => {
      asked.push(server);
      return Promise.resolve(sample(600_000));
    };
    const f = await clockCheck({ AWS_RUNAS_NTP_SERVER: "time.example.com" }, sntp);
    assert.deepEqual(asked, [SERVER]);
    assert.deepEqual(f.map((x) => x.level), ["DEBUG", "ERROR"]);
  });

  it("turns a failed query into a warning", async () => {
    const f = await clockCheck({}, () => Promise.reject(new Error("cannot resolve pool.ntp.org (ENOTFOUND)")));
    assert.deepEqual(f.map((x) => x.level), ["WARN"]);
  });
});
