import { readFileSync, unlinkSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import type { Credentials } from "../domain/credentials.js";
import { parseRfc3339 } from "../domain/rfc3339.js";
import { RunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";

/** The four kinds of STS cache file upstream writes (core.md §4.2); the kind is part of the file name. */
export type CacheKind = "session_token" | "assume_role" | "saml_role" | "web_role";

/**
 * ".aws_session_token_<name>" etc. — `name` is the profile name; for ARN profiles use cacheNameForArn(arn).
 * The names are upstream's, so caches survive a switch of tools (decisions.md Q-04). A path separator in a profile
 * name becomes "_" so that no name can point outside the cache directory.
 */
export function cacheFileName(kind: CacheKind, name: string): string {
  return `.aws_${kind}_${name.replace(/[/\\]/g, "_")}`;
}

/** "<account>-<last / segment of the resource>" e.g. arn:aws:iam::123456789012:role/path/Dev → 123456789012-Dev. */
export function cacheNameForArn(arn: string): string {
  const parts = arn.split(":");
  const account = parts[4] ?? "";
  const resource = parts.slice(5).join(":");
  const name = resource.split("/").pop() ?? "";
  if (parts.length < 6 || parts[0] !== "arn" || account === "" || name === "") {
    throw new RunasError(
      "INVALID_VALUE",
      `"${arn}" is not a role ARN; expected the form arn:aws:iam::<account>:role/<name>`,
    );
  }
  return `${account}-${name}`;
}

/** The on-disk STS credential cache: one small JSON file per profile and kind (core.md §4.2). */
export interface CredentialCache {
  /**
   * The cached credentials, or undefined for a missing, unreadable, corrupt or incomplete file (never throws; logs
   * one DEBUG line saying why). Synchronous and small: every `aws` command that uses the profile comes through here.
   */
  read(file: string): Credentials | undefined;
  /**
   * Atomic 0600 write of {"AccessKeyId","Expiration","SecretAccessKey","SessionToken"} + "\n" (upstream field
   * order; Expiration RFC 3339 UTC).
   */
  write(file: string, creds: Credentials): Promise<void>;
  /** Deletes the file; a missing file is fine. */
  remove(file: string): Promise<void>;
}

/**
 * The credential cache stored in `dir` (the directory of the config file, core.md §4.1). Each method takes a file
 * name from cacheFileName(), resolved against `dir`; an absolute path is used as it is.
 */
export function createCredentialCache(o: { dir: string; logger: Logger }): CredentialCache {
  const { dir, logger } = o;
  const resolve = (file: string): string => resolvePath(dir, file);

  return {
    read(file) {
      const full = resolve(file);
      let text: string;
      try {
        text = readFileSync(full, "utf8");
      } catch (e) {
        const code = errorCode(e);
        logger.debug(
          code === "ENOENT" ? `no cached credentials in ${full}` : `cannot read cached credentials ${full}: ${code}`,
        );
        return undefined;
      }
      const parsed = parseCacheJson(text);
      if (typeof parsed === "string") {
        logger.debug(`ignoring cached credentials ${full}: ${parsed}`);
        return undefined;
      }
      return parsed;
    },

    async write(file, creds) {
      if (creds.accessKeyId === "" || creds.secretAccessKey === "") {
        throw new RunasError(
          "CREDENTIALS_INVALID",
          "invalid credentials: an access key id and a secret access key are needed to cache them",
        );
      }
      const full = resolve(file);
      // Loaded here rather than at the top: node:crypto is not needed on the cache-hit path.
      const { writeFileAtomic } = await import("./atomicWrite.js");
      try {
        await writeFileAtomic(full, formatCacheJson(creds));
      } catch (e) {
        throw new RunasError(
          "FILE_WRITE",
          `cannot write the credential cache ${full} (${errorCode(e)}); check that its directory is writable`,
          { cause: e },
        );
      }
    },

    async remove(file) {
      const full = resolve(file);
      try {
        unlinkSync(full);
      } catch (e) {
        if (errorCode(e) === "ENOENT") return;
        throw new RunasError(
          "FILE_WRITE",
          `cannot delete the credential cache ${full} (${errorCode(e)}); check the permissions of its directory`,
          { cause: e },
        );
      }
    },
  };
}

/** Go's zero time, which upstream writes for a missing expiration; it reads back as long expired. */
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/** The upstream JSON: fixed field order, Expiration rendered as Go's RFC3339Nano in UTC (no trailing zeros). */
function formatCacheJson(creds: Credentials): string {
  const exp = creds.expiration;
  const expiration =
    exp === undefined || Number.isNaN(exp.getTime()) ? GO_ZERO_TIME : exp.toISOString().replace(/\.?0*Z$/, "Z");
  const body = {
    AccessKeyId: creds.accessKeyId,
    Expiration: expiration,
    SecretAccessKey: creds.secretAccessKey,
    SessionToken: creds.sessionToken ?? "",
  };
  return `${JSON.stringify(body)}\n`;
}

/** Credentials from the file's text, or the reason they cannot be used. Never includes a value in the reason. */
function parseCacheJson(text: string): Credentials | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return "not a JSON object";
  const obj = data as Record<string, unknown>;

  const fields: Record<string, string> = {};
  for (const name of ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]) {
    const value = field(obj, name);
    if (value === undefined || value === null) continue;
    // Upstream's Go struct rejects a file whose field has the wrong JSON type (e.g. "Expiration": 0).
    if (typeof value !== "string") return `${name} is not a string`;
    fields[name] = value;
  }
  const accessKeyId = fields.AccessKeyId ?? "";
  const secretAccessKey = fields.SecretAccessKey ?? "";
  if (accessKeyId === "") return "no AccessKeyId";
  if (secretAccessKey === "") return "no SecretAccessKey";
  if (fields.Expiration === undefined) return "no Expiration";
  const expiration = parseRfc3339(fields.Expiration);
  if (expiration === undefined) return "Expiration is not an RFC 3339 timestamp";

  const creds: Credentials = { accessKeyId, secretAccessKey, expiration };
  if (fields.SessionToken !== undefined && fields.SessionToken !== "") creds.sessionToken = fields.SessionToken;
  return creds;
}

/** A JSON member by name, matched as Go's encoding/json does: the exact name first, else case-insensitively. */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}


function errorCode(e: unknown): string {
  if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") return e.code;
  return e instanceof Error ? e.message : String(e);
}
