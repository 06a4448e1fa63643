import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { isRunasError } from "../domain/errors.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { findPublicKey, hostMatches, identityFiles, publicKeyLine, pushSshPublicKey } from "./ec2InstanceConnect.js";

const hasSshKeygen = spawnSync("ssh-keygen", ["-?"], { stdio: "ignore" }).error === undefined;
const dir = mkdtempSync(path.join(os.tmpdir(), "runas-sshkeys-"));

/** A key made by ssh-keygen (OpenSSH format unless `-m PEM`), its file path and the public line ssh-keygen derives. */
function sshKeygen(name: string, args: string[]): { file: string; text: string; expected: string } {
  const file = path.join(dir, name);
  const r = spawnSync("ssh-keygen", ["-q", "-N", "", "-C", "", "-f", file, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return { file, text: readFileSync(file, "utf8"), expected: derived(file) };
}

/** `ssh-keygen -y`: the public key OpenSSH itself derives from a private key file, without its comment. */
function derived(file: string): string {
  const r = spawnSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return `${r.stdout.trim().split(" ").slice(0, 2).join(" ")}\n`;
}

function writeKey(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

describe("publicKeyLine against ssh-keygen -y", { skip: hasSshKeygen ? false : "ssh-keygen is not installed" }, () => {
  const generated: [string, string[]][] = [
    ["OpenSSH ed25519", ["-t", "ed25519"]],
    ["OpenSSH rsa 2048", ["-t", "rsa", "-b", "2048"]],
    ["OpenSSH ecdsa 256", ["-t", "ecdsa", "-b", "256"]],
    ["OpenSSH ecdsa 384", ["-t", "ecdsa", "-b", "384"]],
    ["OpenSSH ecdsa 521", ["-t", "ecdsa", "-b", "521"]],
    ["PEM rsa (PKCS#1)", ["-t", "rsa", "-b", "2048", "-m", "PEM"]],
    ["PEM ecdsa (SEC1)", ["-t", "ecdsa", "-b", "256", "-m", "PEM"]],
    ["PKCS#8 rsa", ["-t", "rsa", "-b", "2048", "-m", "PKCS8"]],
  ];
  for (const [name, args] of generated) {
    it(name, () => {
      const key = sshKeygen(name.replace(/\W+/g, "_"), args);
      assert.equal(publicKeyLine(key.text), key.expected);
    });
  }

  const nodeKeys: [string, () => string][] = [
    ["node rsa PKCS#1", () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString()],
    ["node rsa e=3 (odd exponent size)", () =>
      generateKeyPairSync("rsa", { modulusLength: 1024, publicExponent: 3 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString()],
    ["node ec P-384 SEC1", () => generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ type: "sec1", format: "pem" }).toString()],
    ["node ec P-521 PKCS#8", () => generateKeyPairSync("ec", { namedCurve: "P-521" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString()],
  ];
  for (const [name, make] of nodeKeys) {
    it(name, () => {
      const text = make();
      const file = writeKey(name.replace(/\W+/g, "_"), text);
      assert.equal(publicKeyLine(text), derived(file));
    });
  }

  // OpenSSH cannot read an Ed25519 PKCS#8 PEM, so the expected line is built from the key's raw 32 bytes (the tail
  // of its SPKI DER) by the wire format of RFC 8709.
  it("node ed25519 PKCS#8", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const raw = publicKey.export({ type: "spki", format: "der" }).subarray(-32);
    const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const blob = Buffer.concat([str(Buffer.from("ssh-ed25519")), str(raw)]);
    assert.equal(publicKeyLine(privateKey.export({ type: "pkcs8", format: "pem" }).toString()), `ssh-ed25519 ${blob.toString("base64")}\n`);
  });

  it("a passphrase-protected OpenSSH key gives undefined", () => {
    const file = path.join(dir, "protected");
    const r = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret phrase", "-f", file]);
    assert.equal(r.status, 0);
    assert.equal(publicKeyLine(readFileSync(file, "utf8")), undefined);
  });
});

describe("publicKeyLine edges", () => {
  it("encrypted PEM keys (PKCS#8 and traditional) give undefined", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" }).toString();
    const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" }).toString();
    assert.equal(publicKeyLine(pkcs8), undefined);
    assert.equal(publicKeyLine(pkcs1), undefined);
  });
  it("garbage is an error naming the file and what to do", () => {
    assert.throws(() => publicKeyLine("not a key", "/home/u/.ssh/id_x"), (e: unknown) => {
      assert.ok(isRunasError(e));
      assert.equal(e.code, "INVALID_CONFIG");
      assert.match(e.message, /^cannot read SSH private key \/home\/u\/\.ssh\/id_x \(.+\): use an RSA, ECDSA or Ed25519 key/);
      return true;
    });
  });
  it("a truncated OpenSSH key is an error", () => {
    assert.throws(() => publicKeyLine("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n"),
      /cannot read SSH private key/);
  });
});

describe("identityFiles and hostMatches", () => {
  const config = `# global
IdentityFile ~/.ssh/global_key

Host web-* !web-secret
  IdentityFile ~/.ssh/web
  User ec2-user

Host i-?????????????????
    IdentityFile=~/.ssh/instance
Host "quoted" *.example.com
  IdentityFile "/keys/with space"
Match host foo
  IdentityFile ~/.ssh/never
Host *
  identityfile ~/.ssh/last
`;
  const cases: [string, string[]][] = [
    ["web-1", ["~/.ssh/global_key", "~/.ssh/web", "~/.ssh/last"]],
    ["web-secret", ["~/.ssh/global_key", "~/.ssh/last"]],
    ["i-0123456789abcdef0", ["~/.ssh/global_key", "~/.ssh/instance", "~/.ssh/last"]],
    ["i-0123", ["~/.ssh/global_key", "~/.ssh/last"]],
    ["a.example.com", ["~/.ssh/global_key", "/keys/with space", "~/.ssh/last"]],
    ["quoted", ["~/.ssh/global_key", "/keys/with space", "~/.ssh/last"]],
    ["foo", ["~/.ssh/global_key", "~/.ssh/last"]],
  ];
  for (const [host, want] of cases) {
    it(`${host} → ${want.join(", ")}`, () => assert.deepEqual(identityFiles(config, host), want));
  }
  it("patterns", () => {
    assert.equal(hostMatches(["*"], "anything"), true);
    assert.equal(hostMatches(["!*"], "anything"), false);
    assert.equal(hostMatches(["!bad", "*"], "bad"), false);
    assert.equal(hostMatches(["!bad"], "good"), false, "a negation alone matches nothing");
    assert.equal(hostMatches(["a?c"], "abc"), true);
    assert.equal(hostMatches(["a?c"], "abbc"), false);
    assert.equal(hostMatches(["a.c"], "abc"), false, "a dot is literal");
    assert.equal(hostMatches(["Name:web*"], "Name:web-1"), true);
  });
});

describe("findPublicKey and pushSshPublicKey", () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "runas-sshhome-"));
  mkdirSync(path.join(home, ".ssh"));
  const ed = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const edLine = publicKeyLine(ed) ?? "";
  const files: Record<string, string> = {
    [`${home}/.ssh/config`]: "Host i-*\n  IdentityFile ~/.ssh/missing\n  IdentityFile ~/.ssh/protected\n  IdentityFile ~/.ssh/good\n",
    [`${home}/.ssh/protected`]: generateKeyPairSync("ed25519").privateKey
      .export({ type: "pkcs8", format: "pem", cipher: "aes-128-cbc", passphrase: "x" }).toString(),
    [`${home}/.ssh/good`]: ed,
    "/sys/ssh_config": "Host *\n  IdentityFile /sys/key\n",
    "/sys/key": generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
  const deps = (extra: Record<string, string> = {}, drop: string[] = []) => {
    const all: Record<string, string> = { ...files, ...extra };
    for (const d of drop) delete all[d];
    const logger = memoryLogger();
    return { homeDir: home, readFile: (p: string) => Promise.resolve(all[p]), logger, systemConfigPath: "/sys/ssh_config" };
  };

  it("skips a missing and a passphrase-protected key and takes the next, with ~/ expanded", async () => {
    const d = deps();
    assert.equal(await findPublicKey("i-0123456789abcdef0", d), edLine);
    assert.deepEqual(d.logger.lines, [
      `DEBUG IdentityFile ${home}/.ssh/missing does not exist, trying the next one`,
      `DEBUG IdentityFile ${home}/.ssh/protected is protected by a passphrase, trying the next one`,
    ]);
  });
  it("falls back to the system ssh_config", async () => {
    assert.equal(await findPublicKey("other-host", deps()), publicKeyLine(files["/sys/key"] ?? ""));
  });
  it("no usable key: public key not available, with what to do", async () => {
    await assert.rejects(findPublicKey("i-0123456789abcdef0", deps({}, [`${home}/.ssh/good`, "/sys/ssh_config"])), (e: unknown) => {
      assert.ok(isRunasError(e));
      assert.equal(e.code, "INVALID_CONFIG");
      assert.match(e.message, /^public key not available for host "i-0123456789abcdef0": add "IdentityFile ~\/\.ssh\/<key>"/);
      return true;
    });
  });
  it("a key file that is not a key fails (not skipped)", async () => {
    await assert.rejects(findPublicKey("i-1", deps({ [`${home}/.ssh/missing`]: "junk" })), /cannot read SSH private key/);
  });
  it("sends the key for the user to the instance", async () => {
    const sent: unknown[] = [];
    await pushSshPublicKey({ host: "i-0123456789abcdef0", osUser: "ubuntu", instanceId: "i-0123456789abcdef0" }, {
      ...deps(),
      send: (k) => {
        sent.push(k);
        return Promise.resolve();
      },
    });
    assert.deepEqual(sent, [{ instanceId: "i-0123456789abcdef0", osUser: "ubuntu", publicKey: edLine }]);
  });
});
