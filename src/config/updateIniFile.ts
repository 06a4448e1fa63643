import { lstat, mkdir, readFile, readlink, realpath } from "node:fs/promises";
import { basename, dirname, join as joinPath, resolve as resolvePath } from "node:path";
import { writeFileAtomic } from "../cache/atomicWrite.js";
import type { Locker } from "../ports.js";

/**
 * Read-modify-write of an ini file under `locker`, following symlinks, creating the file/dir when missing, atomic 0600.
 * `edit` gets the current text ("" for a missing file) and returns the new text. Errors from `edit` and the
 * locker pass through unchanged, and so do Node's I/O errors: the caller knows what it was storing and says so.
 */
export async function updateIniFile(path: string, locker: Locker, edit: (text: string) => string): Promise<void> {
  const file = await realTarget(resolvePath(path));
  // The directory must exist before locking, since the cross-process lock lives beside the file. 0700, like the
  // caches, because the directory holds keys and passwords.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await locker.withLock(file, async () => {
    const text = await readIfExists(file);
    // Written even when unchanged, so that a file which holds secrets ends up 0600 whatever its mode was.
    await writeFileAtomic(file, edit(text), 0o600);
  });
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
