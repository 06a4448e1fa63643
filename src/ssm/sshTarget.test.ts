import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSshTarget } from "./sshTarget.js";

describe("parseSshTarget", () => {
  const cases: [string, [string, string, number]][] = [
    // The examples of core.md §10.5 (upstream's tests).
    ["user@instance:2222", ["user", "instance", 2222]],
    ["user@my_key:value:2222", ["user", "my_key:value", 2222]],
    ["user@instance", ["user", "instance", 22]],
    ["user@my_key:value", ["user", "my_key:value", 22]],
    ["instance:2222", ["ec2-user", "instance", 2222]],
    ["my_key:value:2222", ["ec2-user", "my_key:value", 2222]],
    // More edges.
    ["instance", ["ec2-user", "instance", 22]],
    ["ubuntu@i-0123456789abcdef0:22", ["ubuntu", "i-0123456789abcdef0", 22]],
    ["a@b@c:99", ["a", "b", 22]],
    ["a@host:65535", ["a", "host", 65535]],
    ["a@host:65536", ["a", "host:65536", 22]],
    ["a@host:-1", ["a", "host:-1", 22]],
    ["@host:23", ["ec2-user", "host", 23]],
    ["10.0.0.1:2200", ["ec2-user", "10.0.0.1", 2200]],
  ];
  for (const [spec, [user, host, port]] of cases) {
    it(`${spec} → (${user}, ${host}, ${port})`, () => assert.deepEqual(parseSshTarget(spec), { user, host, port }));
  }
});
