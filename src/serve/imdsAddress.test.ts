import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NetworkInterfaceInfo } from "node:os";
import { addImdsAddress, type ImdsAddressDeps, type Remover } from "./imdsAddress.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";

const v4 = (address: string, internal: boolean): NetworkInterfaceInfo => ({
  address,
  netmask: internal ? "255.0.0.0" : "255.255.255.0",
  family: "IPv4",
  mac: "00:00:00:00:00:00",
  internal,
  cidr: `${address}/8`,
});
const v6lo: NetworkInterfaceInfo = {
  address: "::1",
  netmask: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
  family: "IPv6",
  mac: "00:00:00:00:00:00",
  internal: true,
  cidr: "::1/128",
  scopeid: 0,
};

const LINUX = { eth0: [v4("192.168.1.5", false)], lo: [v4("127.0.0.1", true), v6lo] };
const MAC = { en0: [v4("10.0.0.2", false)], lo0: [v6lo, v4("127.0.0.1", true)] };
const WINDOWS = { Ethernet: [v4("10.0.0.3", false)], "Loopback Pseudo-Interface 1": [v6lo, v4("127.0.0.1", true)] };

/** Fails a command with what the tool prints, as the real `run` does (output as the message). */
const failure = (output: string, code: unknown = 2): Error => Object.assign(new Error(output), { code });

interface Recorder {
  deps: ImdsAddressDeps;
  /** Every command, as "cmd arg arg", run directly or armed in the remover. */
  commands: string[];
  logger: ReturnType<typeof memoryLogger>;
}

function fake(
  platform: NodeJS.Platform,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  o: {
    fail?: (line: string) => Error | undefined;
    remover?: "none" | "works" | ((line: string) => Error | undefined) | "cannot-start";
  } = {},
): Recorder {
  const commands: string[] = [];
  const logger = memoryLogger();
  const deps: ImdsAddressDeps = {
    platform,
    logger,
    networkInterfaces: () => interfaces,
    run(cmd, args) {
      const line = [cmd, ...args].join(" ");
      commands.push(`run: ${line}`);
      const e = o.fail?.(line);
      return e === undefined ? Promise.resolve() : Promise.reject(e);
    },
  };
  const remover = o.remover ?? "works";
  if (remover !== "none") {
    deps.startRemover = (cmd, args): Promise<Remover> => {
      const line = [cmd, ...args].join(" ");
      if (remover === "cannot-start") {
        return Promise.reject(Object.assign(new Error("spawn /bin/sh ENOENT"), { code: "ENOENT" }));
      }
      commands.push(`armed: ${line}`);
      return Promise.resolve({
        trigger() {
          commands.push(`triggered: ${line}`);
          const e = typeof remover === "function" ? remover(line) : undefined;
          return e === undefined ? Promise.resolve() : Promise.reject(e);
        },
      });
    };
  }
  return { deps, commands, logger };
}

describe("addImdsAddress: the commands on each platform", () => {
  const cases: [string, NodeJS.Platform, NodeJS.Dict<NetworkInterfaceInfo[]>, string, string, string][] = [
    ["Linux (ip)", "linux", LINUX, "lo", "ip address add 169.254.169.254/22 dev lo", "ip address del 169.254.169.254/22 dev lo"],
    ["macOS (ifconfig)", "darwin", MAC, "lo0", "ifconfig lo0 alias 169.254.169.254/22", "ifconfig lo0 -alias 169.254.169.254"],
    ["FreeBSD (ifconfig)", "freebsd", MAC, "lo0", "ifconfig lo0 alias 169.254.169.254/22", "ifconfig lo0 -alias 169.254.169.254"],
  ];
  for (const [name, platform, interfaces, iface, add, del] of cases) {
    it(`${name}: adds to the loopback interface, arms the root helper with the removal, which remove() triggers once`, async () => {
      const f = fake(platform, interfaces);
      const address = await addImdsAddress(f.deps);
      assert.equal(address.iface, iface);
      assert.deepEqual(f.commands, [`run: ${add}`, `armed: ${del}`]);
      await Promise.all([address.remove(), address.remove()]);
      await address.remove();
      assert.deepEqual(f.commands, [`run: ${add}`, `armed: ${del}`, `triggered: ${del}`]);
      assert.ok(f.logger.lines.includes(`DEBUG configuring interface with command: ${add}`), f.logger.lines.join("\n"));
      assert.ok(f.logger.lines.includes(`DEBUG configuring interface with command: ${del}`), f.logger.lines.join("\n"));
    });
  }

  it("Windows (netsh): the loopback adapter by name, and remove() runs the command itself (no privilege drop there)", async () => {
    const f = fake("win32", WINDOWS);
    const address = await addImdsAddress(f.deps);
    assert.equal(address.iface, "Loopback Pseudo-Interface 1");
    await address.remove();
    await address.remove();
    assert.deepEqual(f.commands, [
      "run: netsh interface ipv4 add address Loopback Pseudo-Interface 1 169.254.169.254 255.255.252.0",
      "run: netsh interface ipv4 delete address Loopback Pseudo-Interface 1 169.254.169.254",
    ]);
    assert.ok(
      f.logger.lines.includes(
        'DEBUG configuring interface with command: netsh interface ipv4 add address "Loopback Pseudo-Interface 1" 169.254.169.254 255.255.252.0',
      ),
      f.logger.lines.join("\n"),
    );
  });

  it("without a remover, remove() runs the removal command itself", async () => {
    const f = fake("linux", LINUX, { remover: "none" });
    const address = await addImdsAddress(f.deps);
    await address.remove();
    assert.deepEqual(f.commands, [
      "run: ip address add 169.254.169.254/22 dev lo",
      "run: ip address del 169.254.169.254/22 dev lo",
    ]);
  });
});

describe("addImdsAddress: an address that is already there is not ours", () => {
  it("found on an interface before adding: no command at all, and remove() leaves it", async () => {
    const f = fake("linux", { ...LINUX, lo: [v4("127.0.0.1", true), v4("169.254.169.254", false)] });
    const address = await addImdsAddress(f.deps);
    assert.equal(address.iface, "lo");
    await address.remove();
    assert.deepEqual(f.commands, []);
    assert.deepEqual(f.logger.lines, ["INFO 169.254.169.254 is already on lo: serving on it, and leaving it in place on exit"]);
  });

  const exists: [NodeJS.Platform, NodeJS.Dict<NetworkInterfaceInfo[]>, string][] = [
    ["linux", LINUX, "Error: ipv4: Address already assigned."],
    ["linux", LINUX, "RTNETLINK answers: File exists"],
    ["darwin", MAC, "ifconfig: ioctl (SIOCAIFADDR): File exists"],
    ["win32", WINDOWS, "The object already exists."],
  ];
  for (const [platform, interfaces, output] of exists) {
    it(`${platform}: the tool says "${output}": served as it is, never removed`, async () => {
      const f = fake(platform, interfaces, { fail: (l) => (l.includes(" add") || l.includes(" alias ") ? failure(output) : undefined) });
      const address = await addImdsAddress(f.deps);
      await address.remove();
      assert.equal(f.commands.length, 1, f.commands.join("\n"));
      assert.match(f.commands[0] ?? "", /^run: /);
    });
  }
});

describe("addImdsAddress: failures are one clear line", () => {
  const notPermitted: [NodeJS.Platform, NodeJS.Dict<NetworkInterfaceInfo[]>, string, RegExp][] = [
    ["linux", LINUX, "RTNETLINK answers: Operation not permitted", /^serving on 169\.254\.169\.254:80 needs root: run with sudo \(or serve on a local port with -p <port>\)$/],
    ["darwin", MAC, "ifconfig: ioctl (SIOCAIFADDR): Operation not permitted", /needs root: run with sudo/],
    ["openbsd", MAC, "ifconfig: SIOCAIFADDR: Permission denied", /needs root: run with sudo/],
    ["win32", WINDOWS, "The requested operation requires elevation (Run as administrator).", /needs root: run it from an Administrator prompt/],
  ];
  for (const [platform, interfaces, output, message] of notPermitted) {
    it(`${platform}: "${output}" → needs root`, async () => {
      const f = fake(platform, interfaces, { fail: () => failure(output, 1) });
      await assert.rejects(addImdsAddress(f.deps), (e: Error & { code?: string }) => {
        assert.equal(e.code, "PRIVILEGED_MODE");
        assert.match(e.message, message);
        return true;
      });
      assert.equal(f.commands.filter((c) => c.startsWith("armed")).length, 0, "nothing to remove");
    });
  }

  it("the tool is not installed", async () => {
    const f = fake("linux", LINUX, { fail: () => failure("spawn ip ENOENT", "ENOENT") });
    await assert.rejects(addImdsAddress(f.deps), {
      code: "PRIVILEGED_MODE",
      message: 'the "ip" command was not found: install it (iproute2) or serve on a local port with -p <port>',
    });
  });

  it("any other failure names the tool's first line", async () => {
    const f = fake("linux", LINUX, { fail: () => failure("Error: something odd.\nmore detail") });
    await assert.rejects(addImdsAddress(f.deps), {
      code: "PRIVILEGED_MODE",
      message: "could not add 169.254.169.254 to lo (Error: something odd.): fix that or serve on a local port with -p <port>",
    });
  });

  it("no loopback interface is up (Node lists only interfaces that are up)", async () => {
    const f = fake("linux", { eth0: [v4("192.168.1.5", false)] });
    await assert.rejects(addImdsAddress(f.deps), {
      code: "PRIVILEGED_MODE",
      message: 'no loopback network interface is up: bring it up (e.g. "ip link set lo up") and try again',
    });
    assert.deepEqual(f.commands, []);
  });

  it("a platform without such a mode", async () => {
    const f = fake("aix", LINUX);
    await assert.rejects(addImdsAddress(f.deps), {
      code: "PRIVILEGED_MODE",
      message: "serving on 169.254.169.254 is not supported on aix: serve on a local port with -p <port>",
    });
  });

  it("the helper cannot start: the address is taken away again while still root, and the error says so", async () => {
    const f = fake("linux", LINUX, { remover: "cannot-start" });
    await assert.rejects(addImdsAddress(f.deps), {
      code: "PRIVILEGED_MODE",
      message:
        "could not start the helper that removes 169.254.169.254 on exit (spawn /bin/sh ENOENT): serve on a local port with -p <port>",
    });
    assert.deepEqual(f.commands, [
      "run: ip address add 169.254.169.254/22 dev lo",
      "run: ip address del 169.254.169.254/22 dev lo",
    ]);
  });

  it("remove(): an address already gone is fine (idempotent across processes)", async () => {
    for (const gone of ["Error: ipv4: Address not found.", "RTNETLINK answers: Cannot assign requested address"]) {
      const f = fake("linux", LINUX, { remover: () => failure(gone) });
      const address = await addImdsAddress(f.deps);
      await address.remove();
    }
    const w = fake("win32", WINDOWS, { fail: (l) => (l.includes("delete") ? failure("Element not found.") : undefined) });
    await (await addImdsAddress(w.deps)).remove();
  });

  it("remove(): a helper that cannot find the tool is a failure, not an address already gone", async () => {
    const f = fake("linux", LINUX, { remover: () => failure("aws-runas-imds-remover: 1: exec: ip: not found") });
    await assert.rejects((await addImdsAddress(f.deps)).remove(), { code: "PRIVILEGED_MODE", message: /^could not remove 169\.254\.169\.254 from lo \(aws-runas-imds-remover: 1: exec: ip: not found\)/ });
  });

  it("remove(): any other failure tells the user the command to run", async () => {
    const f = fake("linux", LINUX, { remover: () => failure("the removal helper ended with SIGKILL") });
    const address = await addImdsAddress(f.deps);
    const expected = {
      code: "PRIVILEGED_MODE",
      message:
        'could not remove 169.254.169.254 from lo (the removal helper ended with SIGKILL): remove it with "sudo ip address del 169.254.169.254/22 dev lo"',
    };
    await assert.rejects(address.remove(), expected);
    // Asked again (another exit path), the same outcome without a second attempt.
    await assert.rejects(address.remove(), expected);
    assert.equal(f.commands.filter((c) => c.startsWith("triggered")).length, 1);
  });
});
