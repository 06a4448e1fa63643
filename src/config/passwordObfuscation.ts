import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { RunasError } from "../domain/errors.js";

/**
 * The obfuscated IdP password format of upstream's `password` command (core.md §7.2), bit-compatible both ways:
 * `<cost hex>$<base32 salt>$<base64 iv||ct>`, AES-128-CBC keyed by scrypt(IdP URL). Obfuscation, not encryption: the
 * key is the URL, which sits next to the blob.
 */

/** The base64 standard alphabet, over which rot32 rotates by half. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BLOCK = 16;
const SALT_BYTES = 8;
const SCRYPT_R = 8;
const SCRYPT_P = 1;

/** What upstream's `password` command writes. */
const DEFAULT_COST = 18;

/**
 * scrypt needs 128·r·2^cost bytes: cost 20 (the largest upstream's own tests use) is 1 GiB. Anything above is refused
 * rather than attempted, so a damaged cost field cannot make the process allocate many gigabytes.
 */
const MAX_COST = 20;

/** Obfuscates `password` with `key` (the IdP URL) at scrypt cost `cost` (N = 2^cost), as upstream's Encode. */
export function encodePassword(password: string, key: string, cost: number = DEFAULT_COST): string {
  if (!Number.isInteger(cost) || cost < 1 || cost > MAX_COST) {
    throw new RunasError(
      "INVALID_VALUE",
      `the password obfuscation cost must be a whole number from 1 to ${MAX_COST}, not ${String(cost)}`,
    );
  }
  const encoded = rot32(rawBase64(Buffer.from(password, "utf8")));
  // Padded with "=" to whole blocks because the cipher runs without a padding scheme; "=" is stripped on decode.
  const plain = encoded.padEnd(Math.ceil(encoded.length / BLOCK) * BLOCK, "=");
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(BLOCK);
  const cipher = createCipheriv("aes-128-cbc", deriveKey(key, salt, cost), iv);
  cipher.setAutoPadding(false);
  const ct = Buffer.concat([cipher.update(plain, "latin1"), cipher.final()]);
  return `${cost.toString(16)}$${base32(salt)}$${rawBase64(Buffer.concat([iv, ct]))}`;
}

/** The password, or throws RunasError("PASSWORD_DECODE", ...) — never returns the blob. */
export function decodePassword(blob: string, key: string): string {
  // Extra "$" parts are ignored, as upstream's decoder ignores them.
  const [costText, saltText, dataText] = blob.split("$");
  if (costText === undefined || saltText === undefined || dataText === undefined) {
    throw malformed("it does not have three parts separated by $");
  }
  if (!/^[0-9a-fA-F]+$/.test(costText)) throw malformed("its cost is not a hexadecimal number");
  const cost = Number.parseInt(costText, 16);
  if (cost < 1 || cost > MAX_COST) throw malformed(`its cost ${cost} is outside 1 to ${MAX_COST}`);
  const salt = unbase32(saltText);
  if (salt === undefined) throw malformed("its salt is not upper-case base32");
  const data = unbase64(dataText);
  if (data === undefined) throw malformed("its data is not base64");
  if (data.length < BLOCK) throw malformed("its data is shorter than one 16-byte block");
  if (data.length % BLOCK !== 0) throw malformed("its data is not a whole number of 16-byte blocks");

  const decipher = createDecipheriv("aes-128-cbc", deriveKey(key, salt, cost), data.subarray(0, BLOCK));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data.subarray(BLOCK)), decipher.final()]).toString("latin1");
  // A wrong key (the URL changed) yields random bytes: anything but rot32'd base64 and its "=" padding says so.
  const password = decodePlain(plain.replace(/=+$/, ""));
  if (password === undefined) {
    throw new RunasError("PASSWORD_DECODE", "the obfuscated password does not decode with this key (was the URL changed?)");
  }
  return password;
}

/**
 * True for text shaped like an obfuscated blob: <hex>$<base32>$<base64>. Strict, so that a real password is not taken
 * for one: a one- or two-digit cost, the 13-character base32 of an 8-byte salt, and at least the 22 base64 characters
 * of the IV.
 */
export function looksObfuscated(value: string): boolean {
  return /^[0-9a-fA-F]{1,2}\$[A-Z2-7]{13}\$[A-Za-z0-9+/]{22,}(?:\$.*)?$/.test(value);
}

function malformed(reason: string): RunasError {
  // The blob itself is never quoted: it is the user's password, only obfuscated.
  return new RunasError("PASSWORD_DECODE", `the obfuscated password is malformed: ${reason}`);
}

function deriveKey(key: string, salt: Buffer, cost: number): Buffer {
  const n = 2 ** cost;
  // OpenSSL's scrypt needs 128·r·(N+2) + 128·r·p bytes; Node's default limit (32 MiB) stops at cost 14.
  const maxmem = 128 * SCRYPT_R * (n + 2) + 128 * SCRYPT_R * SCRYPT_P + 1024 * 1024;
  try {
    return scryptSync(Buffer.from(key, "utf8"), salt, BLOCK, { N: n, r: SCRYPT_R, p: SCRYPT_P, maxmem });
  } catch (e) {
    throw new RunasError("PASSWORD_DECODE", `cannot derive the password key at cost ${cost}: ${describe(e)}`, { cause: e });
  }
}

/**
 * rot32 then base64 back to the UTF-8 password; undefined when any step finds something it cannot come from. Upstream
 * turned every foreign character into "f" here and could hand garbage to the IdP.
 */
function decodePlain(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(text)) return undefined;
  const bytes = unbase64(rot32(text));
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Maps each base64 character to the one 32 places further (self-inverse); callers pass base64 text only. */
function rot32(text: string): string {
  let out = "";
  for (const ch of text) out += ALPHABET.charAt((ALPHABET.indexOf(ch) + 32) % 64);
  return out;
}

function rawBase64(bytes: Buffer): string {
  return bytes.toString("base64").replace(/=+$/, "");
}

/** Standard base64 without padding, strictly: Buffer.from alone would skip foreign characters silently. */
function unbase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, "base64");
}

/** RFC 4648 base32, upper case, without padding (Go's base32.StdEncoding.WithPadding(NoPadding)). */
function base32(bytes: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET.charAt((value << (5 - bits)) & 31);
  return out;
}

/** The inverse of base32; undefined for other characters or a length no encoding produces (1, 3 or 6 mod 8). */
function unbase32(text: string): Buffer | undefined {
  if ([1, 3, 6].includes(text.length % 8)) return undefined;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const n = BASE32_ALPHABET.indexOf(ch);
    if (n < 0) return undefined;
    value = ((value << 5) | n) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
