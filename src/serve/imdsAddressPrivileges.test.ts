import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { dropPrivileges, type DropPrivilegesDeps } from "./imdsAddressPrivileges.js";
import type { Env } from "../ports.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";

/** A process as root (unless told otherwise) that records the privilege calls; files by path → owner. */
function fake(o: {
  env?: Env;
  uid?: number;
  files?: Record<string, { uid: number; gid: number }>;
  platform?: NodeJS.Platform;
  failOn?: "setgid" | "setuid";
  noSetgroups?: boolean;
}) {
  const calls: string[] = [];
  let uid = o.uid ?? 0;
  const logger = memoryLogger();
  const deps: DropPrivilegesDeps = {
    env: o.env ?? {},
    homeDir: "/home/alice",
    stat(path) {
      const owner = o.files?.[path];
      if (owner === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, stat '${path}'`), { code: "ENOENT" });
      return owner;
    },
    getuid: () => uid,
    setgid(id) {
      if (o.failOn === "setgid") throw Object.assign(new Error("EPERM, Operation not permitted"), { code: "EPERM" });
      calls.push(`setgid ${id}`);
    },
    setuid(id) {
      if (o.failOn === "setuid") throw Object.assign(new Error("EPERM, Operation not permitted"), { code: "EPERM" });
      calls.push(`setuid ${id}`);
      uid = id;
    },
    platform: o.platform ?? "linux",
    logger,
  };
  if (o.noSetgroups !== true) deps.setgroups = (ids) => void calls.push(`setgroups ${ids.join(",")}`);
  return { deps, calls, logger };
}

const CONFIG = "/home/alice/.aws/config";

describe("dropPrivileges", () => {
  it("SUDO_UID/SUDO_GID first: supplementary groups, then the group, then the user", () => {
    const f = fake({ env: { SUDO_UID: "1000", SUDO_GID: "1001" }, files: { [CONFIG]: { uid: 2000, gid: 2000 } } });
    dropPrivileges(f.deps);
    assert.deepEqual(f.calls, ["setgroups 1001", "setgid 1001", "setuid 1000"]);
    assert.ok(f.logger.lines.includes("DEBUG dropping privileges to uid 1000, gid 1001 (SUDO_UID/SUDO_GID)"), f.logger.lines.join("\n"));
  });

  it("only one of SUDO_UID/SUDO_GID, or not numbers: the owner of ~/.aws/config (the default path)", () => {
    for (const env of [{ SUDO_UID: "1000" }, { SUDO_GID: "1000" }, { SUDO_UID: "alice", SUDO_GID: "1000" }, { SUDO_UID: "1000", SUDO_GID: "-1" }]) {
      const f = fake({ env: { ...env, AWS_CONFIG_FILE: "/etc/other" }, files: { [CONFIG]: { uid: 2000, gid: 2001 }, "/etc/other": { uid: 3, gid: 3 } } });
      dropPrivileges(f.deps);
      assert.deepEqual(f.calls, ["setgroups 2001", "setgid 2001", "setuid 2000"], JSON.stringify(env));
    }
  });

  it("no config file: the owner of the home directory", () => {
    const f = fake({ files: { "/home/alice": { uid: 4000, gid: 4001 } } });
    dropPrivileges(f.deps);
    assert.deepEqual(f.calls, ["setgroups 4001", "setgid 4001", "setuid 4000"]);
    assert.ok(f.logger.lines.includes("DEBUG dropping privileges to uid 4000, gid 4001 (the owner of /home/alice)"));
  });

  it("nothing tells who the user is: an error, nothing changed", () => {
    const f = fake({});
    assert.throws(() => dropPrivileges(f.deps), {
      code: "PRIVILEGED_MODE",
      message: `cannot tell which user to run as: neither SUDO_UID/SUDO_GID nor ${CONFIG} nor /home/alice is usable; run with sudo`,
    });
    assert.deepEqual(f.calls, []);
  });

  it("a failing setuid or setgid is an error: the server does not go on as root", () => {
    for (const failOn of ["setgid", "setuid"] as const) {
      const f = fake({ env: { SUDO_UID: "1000", SUDO_GID: "1000" }, failOn });
      assert.throws(() => dropPrivileges(f.deps), {
        code: "PRIVILEGED_MODE",
        message: "could not drop privileges to uid 1000, gid 1000 (EPERM, Operation not permitted): stopping rather than serving as root",
      });
    }
  });

  it("works where setgroups is not available", () => {
    const f = fake({ env: { SUDO_UID: "1000", SUDO_GID: "1000" }, noSetgroups: true });
    dropPrivileges(f.deps);
    assert.deepEqual(f.calls, ["setgid 1000", "setuid 1000"]);
  });

  it("not root: nothing to do", () => {
    const f = fake({ uid: 1000, env: { SUDO_UID: "1001", SUDO_GID: "1001" } });
    dropPrivileges(f.deps);
    assert.deepEqual(f.calls, []);
  });

  it("Windows: nothing to do", () => {
    const f = fake({ platform: "win32", env: { SUDO_UID: "1001", SUDO_GID: "1001" } });
    dropPrivileges(f.deps);
    assert.deepEqual(f.calls, []);
  });

  it("the user found is root itself: a warning, and no pretence of a drop", () => {
    const f = fake({ files: { [CONFIG]: { uid: 0, gid: 0 } } });
    dropPrivileges(f.deps);
    assert.deepEqual(f.calls, []);
    assert.deepEqual(
      f.logger.lines.filter((l) => l.startsWith("WARN")),
      [`WARN still serving as root: the owner of ${CONFIG} is root; run through sudo from your own account to serve as yourself`],
    );
  });
});
