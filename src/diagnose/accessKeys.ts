import { error, warn } from "./finding.js";
import type { Finding } from "./finding.js";

/**
 * A key id fit for output: its first 4 characters (the AKIA/ASIA kind) and `****`. The kind is what a reader needs to
 * follow the checks; the rest identifies the user's key and is left out, as aws-vault's FormatKeyForDisplay does.
 */
export function maskKeyId(accessKeyId: string): string {
  return accessKeyId.length > 4 ? `${accessKeyId.slice(0, 4)}****` : "****";
}

/** A set of IAM keys as found in the environment or a profile section; empty strings count as absent. */
export interface KeyMaterial {
  accessKeyId: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/** What the three values are called where they were found, and `where` (" in [p] of <file>", or "" for variables). */
export interface KeyNames {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  where: string;
}

/** AWS access key ids: 20 upper-case letters and digits; AKIA for long-term IAM user keys, ASIA for temporary ones. */
const KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
/** AWS secret access keys: 40 base64 characters. */
const SECRET = /^[A-Za-z0-9/+]{40}$/;

/**
 * The problems of one set of keys, never quoting a secret: a missing secret, a long-term key carrying a session
 * token (upstream's env check, core.md §8 step 2), a temporary key without its token (STS and every AWS API reject
 * both), and values that are not shaped like AWS keys — a warning only, as AWS-compatible endpoints (moto,
 * LocalStack) accept any text. Empty when the keys look usable.
 */
export function keyFindings(keys: KeyMaterial, names: KeyNames): Finding[] {
  const id = keys.accessKeyId;
  const masked = maskKeyId(id);
  const secret = keys.secretAccessKey ?? "";
  const token = keys.sessionToken ?? "";
  const found: Finding[] = [];
  if (secret === "") {
    found.push(
      error(
        `${names.accessKeyId} (${masked}) is set${names.where} but ${names.secretAccessKey} is not: ` +
          `AWS needs both; add ${names.secretAccessKey}, or remove ${names.accessKeyId}`,
      ),
    );
  }
  if (id.startsWith("AKIA") && token !== "") {
    found.push(
      error(
        `detected static access key ${names.accessKeyId} (${masked}) along with session token ` +
          `${names.sessionToken}${names.where}, this is invalid: remove ${names.sessionToken}, or use the ` +
          `temporary ASIA… key that came with the token`,
      ),
    );
  } else if (id.startsWith("ASIA") && token === "") {
    found.push(
      error(
        `${names.accessKeyId} (${masked}) is a temporary key but ${names.sessionToken} is not set${names.where}: ` +
          `AWS rejects a temporary key without its session token; set ${names.sessionToken} as well`,
      ),
    );
  }
  if (!KEY_ID.test(id)) {
    found.push(
      warn(
        `${names.accessKeyId} (${masked})${names.where} does not look like an AWS access key id (20 upper-case ` +
          `letters and digits starting with AKIA or ASIA); AWS will reject it, so check it for a copy-and-paste error`,
      ),
    );
  }
  if (secret !== "" && !SECRET.test(secret)) {
    found.push(
      warn(
        `${names.secretAccessKey}${names.where} does not look like an AWS secret access key (40 characters of ` +
          `letters, digits, / and +); AWS will reject it, so check it for a copy-and-paste error`,
      ),
    );
  }
  return found;
}
