/**
 * Finding a program on PATH as Go's exec.LookPath does, for the wrapped command and for session-manager-plugin.
 */
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import path from "node:path";

/** True when `p` is a file this process may execute. */
export function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A name with a slash is checked as it is, others in each PATH entry. Like Go since 1.19, relative entries
 * (including the empty one, meaning ".") are skipped, so a file in the current directory is not run by surprise.
 * `exists` tells whether a path is an executable file.
 */
export function onPath(name: string, pathVar: string, exists: (p: string) => boolean = isExecutable): boolean {
  if (name.includes("/")) return exists(name);
  if (name === "") return false;
  return pathVar.split(path.delimiter).some((dir) => path.isAbsolute(dir) && exists(path.join(dir, name)));
}
