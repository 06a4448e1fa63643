import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isPrivateIpv4, toIpv4 } from "./ipv4.js";

describe("toIpv4", () => {
  const cases: [string, string | undefined][] = [
    ["10.1.2.3", "10.1.2.3"],
    ["::ffff:10.1.2.3", "10.1.2.3"],
    ["::ffff:a01:203", "10.1.2.3"],
    ["0:0:0:0:0:ffff:c0a8:0101", "192.168.1.1"],
    ["::1", undefined],
    ["2001:db8::1", undefined],
    ["::10.1.2.3", undefined],
    ["fe80::1%eth0", undefined],
    ["not-an-ip", undefined],
    ["", undefined],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${String(want)}`, () => assert.equal(toIpv4(input), want));
  }
});

describe("isPrivateIpv4", () => {
  const cases: [string, boolean][] = [
    ["10.0.0.0", true],
    ["10.255.255.255", true],
    ["11.0.0.1", false],
    ["172.16.0.1", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["172.15.255.255", false],
    ["192.168.10.10", true],
    ["192.169.0.1", false],
    ["100.64.0.1", true],
    ["100.127.255.255", true],
    ["100.128.0.1", false],
    ["100.63.255.255", false],
    ["127.0.0.1", false],
    ["54.1.2.3", false],
  ];
  for (const [ip, want] of cases) {
    it(`${ip} is ${want ? "private" : "public"}`, () => assert.equal(isPrivateIpv4(ip), want));
  }
});
