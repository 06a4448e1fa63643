import { createPrivateKey, createPublicKey, type JsonWebKey } from "node:crypto";
import { RunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";

/**
 * `ssm ssh --ec2ic` (core.md §10.5): find the SSH public key OpenSSH will authenticate with for this host and push it
 * to the instance with EC2 Instance Connect, so sshd accepts it for the next 60 seconds. The key is the one of the
 * first usable `IdentityFile` of the host in ~/.ssh/config, then /etc/ssh/ssh_config.
 */

/** EC2 Instance Connect SendSSHPublicKey; the real one is the SDK adapter in lazy/ssm.ts. */
export type SendSshPublicKey = (o: { instanceId: string; osUser: string; publicKey: string }) => Promise<void>;

export interface PublicKeyDeps {
  homeDir: string;
  /** The text of a file, or undefined when it does not exist; other read errors reject. */
  readFile(path: string): Promise<string | undefined>;
  logger: Logger;
  /** Where the system-wide ssh client configuration is; /etc/ssh/ssh_config unless a test says otherwise. */
  systemConfigPath?: string;
}

/** Finds the public key for `host` and sends it for `osUser` on `instanceId`. */
export async function pushSshPublicKey(
  o: { host: string; osUser: string; instanceId: string },
  deps: PublicKeyDeps & { send: SendSshPublicKey },
): Promise<void> {
  const publicKey = await findPublicKey(o.host, deps);
  deps.logger.debug(`sending SSH public key ${publicKey.split(" ")[0] ?? ""} for ${o.osUser} to ${o.instanceId} with EC2 Instance Connect`);
  await deps.send({ instanceId: o.instanceId, osUser: o.osUser, publicKey });
}

/**
 * The authorized_keys line (`<type> <base64>\n`) of the first IdentityFile configured for `host` that exists and is
 * not protected by a passphrase (aws-runas cannot ask ssh-agent or the user for it). No built-in default key list,
 * as upstream: without an IdentityFile nothing is found.
 */
export async function findPublicKey(host: string, deps: PublicKeyDeps): Promise<string> {
  const configs = [`${deps.homeDir}/.ssh/config`, deps.systemConfigPath ?? "/etc/ssh/ssh_config"];
  for (const configPath of configs) {
    const text = await deps.readFile(configPath);
    if (text === undefined) continue;
    for (const file of identityFiles(text, host)) {
      const keyPath = expandHome(file, deps.homeDir);
      const keyText = await deps.readFile(keyPath);
      if (keyText === undefined) {
        deps.logger.debug(`IdentityFile ${keyPath} does not exist, trying the next one`);
        continue;
      }
      const line = publicKeyLine(keyText, keyPath);
      if (line !== undefined) return line;
      deps.logger.debug(`IdentityFile ${keyPath} is protected by a passphrase, trying the next one`);
    }
  }
  throw new RunasError(
    "INVALID_CONFIG",
    `public key not available for host "${host}": add "IdentityFile ~/.ssh/<key>" for it (under "Host ${host}" or ` +
      '"Host *") in ~/.ssh/config, naming a private key without a passphrase',
  );
}

/**
 * The IdentityFile values that apply to `host` in one ssh_config text, in file order. Settings before the first Host
 * line apply to every host; a Host line applies when one of its patterns matches and none of its `!` patterns does.
 * Match blocks are not evaluated (treated as not matching) and Include is not followed.
 */
export function identityFiles(configText: string, host: string): string[] {
  const found: string[] = [];
  let applies = true;
  for (const raw of configText.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (m === null) continue;
    const keyword = (m[1] ?? "").toLowerCase();
    const args = splitArgs(m[2] ?? "");
    if (keyword === "host") applies = hostMatches(args, host);
    else if (keyword === "match") applies = false;
    else if (keyword === "identityfile" && applies && args[0] !== undefined) found.push(args[0]);
  }
  return found;
}

/** ssh_config(5) PATTERNS: `*` and `?` wildcards, `!` negates; a negated match excludes the host outright. */
export function hostMatches(patterns: readonly string[], host: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith("!");
    if (!globMatch(negated ? pattern.slice(1) : pattern, host)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globMatch(pattern: string, text: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "s").test(text);
}

/** Whitespace-separated words; double-quoted words may hold spaces. */
function splitArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");
}

/** A leading `~/` is the home directory, as ssh reads IdentityFile. */
function expandHome(file: string, homeDir: string): string {
  return file.startsWith("~/") ? `${homeDir}/${file.slice(2)}` : file;
}

/**
 * The authorized_keys line of a private key (OpenSSH, PKCS#1, SEC1 or PKCS#8 PEM; RSA, ECDSA or Ed25519), or
 * undefined when the key is encrypted with a passphrase. Anything else is an error naming the file.
 */
export function publicKeyLine(privateKeyText: string, where = "the private key"): string | undefined {
  const blob = privateKeyText.includes("-----BEGIN OPENSSH PRIVATE KEY-----")
    ? openSshPublicBlob(privateKeyText, where)
    : pemPublicBlob(privateKeyText, where);
  if (blob === undefined) return undefined;
  return `${readString(blob, 0).value.toString("latin1")} ${blob.toString("base64")}\n`;
}

/**
 * openssh-key-v1 (PROTOCOL.key): the public key is stored in clear before the private section, already in the
 * wire format; a cipher other than "none" means a passphrase.
 */
function openSshPublicBlob(text: string, where: string): Buffer | undefined {
  const body = Buffer.from(text.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
  const magic = Buffer.from("openssh-key-v1\0", "latin1");
  try {
    if (!body.subarray(0, magic.length).equals(magic)) throw new Error("not an openssh-key-v1 key");
    const cipher = readString(body, magic.length);
    const kdf = readString(body, cipher.next);
    const kdfOptions = readString(body, kdf.next);
    const count = body.readUInt32BE(kdfOptions.next);
    if (count < 1) throw new Error("no key in the file");
    if (cipher.value.toString("latin1") !== "none") return undefined;
    const blob = readString(body, kdfOptions.next + 4).value;
    const type = readString(blob, 0).value.toString("latin1");
    if (!SUPPORTED_TYPES.has(type)) throw new Error(`unsupported key type ${type}`);
    return blob;
  } catch (e) {
    throw unreadableKey(where, e);
  }
}

const SUPPORTED_TYPES = new Set(["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]);
const CURVES: Readonly<Record<string, string>> = { "P-256": "nistp256", "P-384": "nistp384", "P-521": "nistp521" };

/** A PEM key through node:crypto, its public half re-encoded in the SSH wire format (RFC 4253 §6.6, 5656, 8709). */
function pemPublicBlob(text: string, where: string): Buffer | undefined {
  // Told by the PEM itself: OpenSSL's error for a missing passphrase varies with the key type and version.
  if (text.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----") || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text)) return undefined;
  let jwk: JsonWebKey;
  try {
    jwk = createPublicKey(createPrivateKey(text)).export({ format: "jwk" });
  } catch (e) {
    if ((e as { code?: unknown }).code === "ERR_MISSING_PASSPHRASE") return undefined;
    throw unreadableKey(where, e);
  }
  const b64u = (v: string | undefined) => Buffer.from(v ?? "", "base64url");
  if (jwk.kty === "RSA") return sshBlob([Buffer.from("ssh-rsa"), mpint(b64u(jwk.e)), mpint(b64u(jwk.n))]);
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return sshBlob([Buffer.from("ssh-ed25519"), b64u(jwk.x)]);
  const curve = jwk.kty === "EC" ? CURVES[jwk.crv ?? ""] : undefined;
  if (curve !== undefined) {
    const point = Buffer.concat([Buffer.from([4]), b64u(jwk.x), b64u(jwk.y)]);
    return sshBlob([Buffer.from(`ecdsa-sha2-${curve}`), Buffer.from(curve), point]);
  }
  throw unreadableKey(where, new Error(`unsupported key type ${jwk.kty ?? "unknown"}${jwk.crv === undefined ? "" : ` ${jwk.crv}`}`));
}

function unreadableKey(where: string, e: unknown): RunasError {
  return new RunasError(
    "INVALID_CONFIG",
    `cannot read SSH private key ${where} (${e instanceof Error ? e.message : String(e)}): ` +
      "use an RSA, ECDSA or Ed25519 key in OpenSSH or PEM format, or point IdentityFile at another key",
    { cause: e },
  );
}

/** Each field as an SSH `string`: a uint32 length, then the bytes. */
function sshBlob(fields: readonly Buffer[]): Buffer {
  return Buffer.concat(fields.flatMap((f) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(f.length);
    return [len, f];
  }));
}

/** An unsigned big-endian integer as an SSH mpint body: no leading zeros, one 0x00 when the top bit is set. */
function mpint(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}

function readString(buf: Buffer, offset: number): { value: Buffer; next: number } {
  const length = buf.readUInt32BE(offset);
  const end = offset + 4 + length;
  if (end > buf.length) throw new Error("truncated key data");
  return { value: buf.subarray(offset + 4, end), next: end };
}
