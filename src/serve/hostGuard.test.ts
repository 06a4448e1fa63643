import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { allowedHosts, hostAllowed } from "./hostGuard.js";

describe("allowedHosts", () => {
  it("loopback: 127.0.0.1 and localhost with the port, the bare names only on port 80", () => {
    assert.deepEqual([...allowedHosts("127.0.0.1", 8080)], ["127.0.0.1:8080", "localhost:8080"]);
    assert.deepEqual([...allowedHosts("127.0.0.1", 80)], ["127.0.0.1:80", "127.0.0.1", "localhost:80", "localhost"]);
    assert.deepEqual([...allowedHosts("::1", 9)], ["127.0.0.1:9", "localhost:9", "[::1]:9"]);
  });
  it("the privileged mode: 169.254.169.254 with or without :80, nothing else", () => {
    const a = allowedHosts("169.254.169.254", 80);
    assert.deepEqual([...a], ["169.254.169.254:80", "169.254.169.254"]);
    assert.equal(hostAllowed(a, "localhost"), false);
  });
  it("compares case-insensitively and refuses a missing Host", () => {
    const a = allowedHosts("127.0.0.1", 8080);
    assert.equal(hostAllowed(a, "LocalHost:8080"), true);
    assert.equal(hostAllowed(a, undefined), false);
    assert.equal(hostAllowed(a, "localhost:8081"), false);
    assert.equal(hostAllowed(a, "attacker.example:8080"), false);
  });
});
