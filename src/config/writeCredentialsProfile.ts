import { lstat, mkdir, readFile, readlink, realpath } from "node:fs/promises";
import { basename, dirname, join as joinPath, resolve as resolvePath } from "node:path";
import { writeFileAtomic } from "../cache/atomicWrite.js";
import type { Credentials } from "../domain/credentials.js";
import { RunasError, isRunasError } from "../domain/errors.js";
import type { Locker } from "../ports.js";
import { setSectionValues } from "./iniEdit.js";

/** The keys of the `<profile>-awsrunas` section this project writes; every other line of the file is left alone. */
const OWNED_KEYS = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"] as const;

/**
 * Writes creds to section `[<profile>-awsrunas]` of the shared credentials file: aws_access_key_id,
 * aws_secret_access_key, and aws_session_token (removed when the credentials have none: decision Q-13). Follows a
 * symlink to the real file, creates the file and its directory when missing, holds `locker` on the real path for the
 * whole read-modify-write, writes atomically with mode 0600 (writeFileAtomic). Returns the section name.
 */
export async function writeCredentialsProfile(o: {
  credentialsPath: string;
  profile: string;
  creds: Credentials;
  locker: Locker;
}): Promise<string> {
  if (o.profile.trim() === "") {
    throw new RunasError("INVALID_VALUE", "cannot write credentials to the credentials file without a profile name");
  }
  if (o.creds.accessKeyId === "" || o.creds.secretAccessKey === "") {
    throw new RunasError("INVALID_VALUE", `refusing to write empty credentials to ${o.credentialsPath}`);
  }
  // A separate `-awsrunas` section keeps the profile's own definition intact (core.md §5.6).
  const section = `${o.profile}-awsrunas`;
  const values = {
    aws_access_key_id: o.creds.accessKeyId,
    aws_secret_access_key: o.creds.secretAccessKey,
    aws_session_token: o.creds.sessionToken || undefined,
  };

  let file = resolvePath(o.credentialsPath);
  try {
    file = await realTarget(file);
    // The directory must exist before locking: a cross-process lock lives beside the file. 0700, like the caches,
    // because the directory holds keys.
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await o.locker.withLock(file, async () => {
      const text = await readIfExists(file);
      await writeFileAtomic(file, setSectionValues(text, section, OWNED_KEYS, values), 0o600);
    });
  } catch (e) {
    if (isRunasError(e)) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new RunasError("FILE_WRITE", `cannot write credentials to ${file}: ${reason}`, { cause: e });
  }
  return section;
}

/**
 * The file a write to `file` must replace: symlinks are followed (also dangling ones, whose target gets created) so
 * that the atomic rename replaces the real file rather than the link.
 */
async function realTarget(file: string): Promise<string> {
  let current = file;
  for (let hops = 0; hops < 40; hops++) {
    const stat = await lstat(current).catch((e: unknown) => {
      if (isErrnoCode(e, "ENOENT")) return undefined;
      throw e;
    });
    if (stat === undefined) {
      // Not there yet: canonicalise the directory when it exists, so every writer locks the same path.
      const dir = await realpath(dirname(current)).catch(() => dirname(current));
      return joinPath(dir, basename(current));
    }
    if (!stat.isSymbolicLink()) return realpath(current);
    current = resolvePath(dirname(current), await readlink(current));
  }
  throw new Error("too many levels of symbolic links");
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if (isErrnoCode(e, "ENOENT")) return "";
    throw e;
  }
}

function isErrnoCode(e: unknown, code: string): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === code;
}
