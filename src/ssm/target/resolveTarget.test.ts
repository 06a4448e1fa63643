import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../../domain/errors.js";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { pickInstance } from "./pickInstance.js";
import { resolveTarget, type Ec2Filter, type TargetLookups } from "./resolveTarget.js";

const RUNNING: Ec2Filter = { Name: "instance-state-name", Values: ["running"] };

/** Lookups answering from tables, recording every EC2 call's filters. */
function lookups(o: {
  ec2?: (filters: Ec2Filter[]) => string[][];
  addresses?: Record<string, string[]>;
  txt?: Record<string, string[]>;
} = {}): TargetLookups & { calls: Ec2Filter[][]; dnsCalls: string[]; lines: string[] } {
  const calls: Ec2Filter[][] = [];
  const dnsCalls: string[] = [];
  const logger = memoryLogger(false);
  return {
    calls,
    dnsCalls,
    lines: logger.lines,
    logger,
    describeInstances: (filters) => {
      calls.push(filters);
      return Promise.resolve(o.ec2?.(filters) ?? []);
    },
    lookupAddresses: (host) => {
      dnsCalls.push(`A ${host}`);
      const a = o.addresses?.[host];
      return a === undefined ? Promise.reject(new Error(`getaddrinfo ENOTFOUND ${host}`)) : Promise.resolve(a);
    },
    lookupTxt: (host) => {
      dnsCalls.push(`TXT ${host}`);
      const t = o.txt?.[host];
      return t === undefined ? Promise.reject(new Error(`queryTxt ENOTFOUND ${host}`)) : Promise.resolve(t);
    },
  };
}

describe("resolveTarget: instance ids", () => {
  for (const id of ["i-0123abcd", "i-0123456789abcdef0", "mi-0123456789abcdef0", "  i-ABCDEF12  "]) {
    it(`${JSON.stringify(id)} is used as it is, with no lookup`, async () => {
      const l = lookups();
      assert.equal(await resolveTarget(id, l), id.trim());
      assert.deepEqual(l.calls, []);
      assert.deepEqual(l.dnsCalls, []);
    });
  }
  it("a too-short id is not an id", async () => {
    const l = lookups({ txt: { "i-0123abc": ["i-0123456789"] } });
    assert.equal(await resolveTarget("i-0123abc", l), "i-0123456789");
  });
});

describe("resolveTarget: tags", () => {
  it("splits on the first colon and asks for running instances with that tag", async () => {
    const l = lookups({ ec2: () => [["i-0000000000000aaaa"]] });
    assert.equal(await resolveTarget("Name:web:blue", l), "i-0000000000000aaaa");
    assert.deepEqual(l.calls, [[{ Name: "tag:Name", Values: ["web:blue"] }, RUNNING]]);
  });
  it("uses the first instance of the first reservation that has any, and warns when it holds several", async () => {
    const l = lookups({ ec2: () => [[], ["i-000000000000000b1", "i-000000000000000b2"], ["i-000000000000000c1"]] });
    assert.equal(await resolveTarget("env:prod", l), "i-000000000000000b1");
    assert.deepEqual(l.lines, ["WARN more than 1 instance found, using 1st value"]);
  });
  it("falls through to addresses and TXT when no instance has the tag", async () => {
    const l = lookups({ txt: { "env:prod": ["v=spf1", "i-0000000000000dddd"] } });
    assert.equal(await resolveTarget("env:prod", l), "i-0000000000000dddd");
    assert.deepEqual(l.calls, [[{ Name: "tag:env", Values: ["prod"] }, RUNNING]]);
    assert.deepEqual(l.dnsCalls, ["A env:prod", "TXT env:prod"]);
  });
  it("needs both a key and a value", async () => {
    for (const text of [":value", "key:"]) {
      const l = lookups();
      await assert.rejects(resolveTarget(text, l));
      assert.deepEqual(l.calls, [], text);
    }
  });
});

describe("resolveTarget: addresses", () => {
  it("a private IP literal is looked up as private-ip-address", async () => {
    const l = lookups({ ec2: () => [["i-0000000000000eeee"]] });
    assert.equal(await resolveTarget("10.1.2.3", l), "i-0000000000000eeee");
    assert.deepEqual(l.calls, [[{ Name: "private-ip-address", Values: ["10.1.2.3"] }, RUNNING]]);
    assert.deepEqual(l.dnsCalls, []);
  });
  it("a public IP literal is looked up as ip-address", async () => {
    const l = lookups({ ec2: () => [["i-0000000000000eeee"]] });
    await resolveTarget("54.1.2.3", l);
    assert.deepEqual(l.calls, [[{ Name: "ip-address", Values: ["54.1.2.3"] }, RUNNING]]);
  });
  it("a DNS name with public and private addresses is looked up by all its public ones only", async () => {
    const l = lookups({
      addresses: { "web.example.com": ["10.0.0.5", "54.1.2.3", "2001:db8::1", "::ffff:34.5.6.7"] },
      ec2: () => [["i-0000000000000ffff"]],
    });
    assert.equal(await resolveTarget("web.example.com", l), "i-0000000000000ffff");
    assert.deepEqual(l.calls, [[{ Name: "ip-address", Values: ["54.1.2.3", "34.5.6.7"] }, RUNNING]]);
  });
  it("a DNS name with private addresses only is looked up by all of them", async () => {
    const l = lookups({ addresses: { "db.internal": ["10.0.0.5", "192.168.1.9", "100.64.3.3"] }, ec2: () => [["i-00000000000000001"]] });
    await resolveTarget("db.internal", l);
    assert.deepEqual(l.calls, [[{ Name: "private-ip-address", Values: ["10.0.0.5", "192.168.1.9", "100.64.3.3"] }, RUNNING]]);
  });
  it("a name with IPv6 addresses only skips to TXT", async () => {
    const l = lookups({ addresses: { v6: ["2001:db8::1"] }, txt: { v6: ["i-00000000000000002"] } });
    assert.equal(await resolveTarget("v6", l), "i-00000000000000002");
    assert.deepEqual(l.calls, []);
  });
});

describe("resolveTarget: TXT and failure", () => {
  it("takes the first TXT record that is exactly an instance id", async () => {
    const l = lookups({ txt: { "host.example.com": ["x i-00000000000000003", "i-00000000000000004", "i-00000000000000005"] } });
    assert.equal(await resolveTarget("host.example.com", l), "i-00000000000000004");
  });
  it("nothing found: one line starting with upstream's message", async () => {
    const l = lookups({ txt: { nothing: ["hello"] } });
    await assert.rejects(resolveTarget(" nothing ", l), (e: unknown) => {
      assert.ok(isRunasError(e));
      assert.equal(e.code, "INVALID_VALUE");
      assert.match(e.message, /^no instances returned from lookup for target "nothing": give an instance id/);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  });
  it("an empty target is not found, without asking EC2 or DNS", async () => {
    const l = lookups();
    await assert.rejects(resolveTarget("  ", l), /^RunasError: no instances returned from lookup for target ""/);
    assert.deepEqual([...l.calls, ...l.dnsCalls], []);
  });
  it("an EC2 failure does not stop the chain, and the final message names it", async () => {
    const l = lookups({ txt: {} });
    l.describeInstances = () => Promise.reject(new Error("AWS denied EC2 DescribeInstances"));
    await assert.rejects(resolveTarget("Name:web", l), (e: unknown) => {
      assert.ok(isRunasError(e));
      assert.match(e.message, /\(EC2 DescribeInstances failed: AWS denied EC2 DescribeInstances\)/);
      return true;
    });
    assert.deepEqual(l.dnsCalls, ["A Name:web", "TXT Name:web"]);
  });
});

describe("pickInstance", () => {
  it("none when no reservation has an instance", () => {
    assert.equal(pickInstance([[], []], memoryLogger()), undefined);
    assert.equal(pickInstance([], memoryLogger()), undefined);
  });
  it("one instance: no warning", () => {
    const logger = memoryLogger();
    assert.equal(pickInstance([["i-1"]], logger), "i-1");
    assert.deepEqual(logger.lines, []);
  });
});
