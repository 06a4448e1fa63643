import { readFileSync } from "node:fs";
import { dirname, join as joinPath } from "node:path";
import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import { parseIni } from "./ini.js";
import type { IniDocument } from "./ini.js";

/** Where the two AWS files are, and where aws-runas keeps its cache files. */
export interface SharedFilePaths {
  configPath: string;
  credentialsPath: string;
  /** The directory of the config file, so caches follow AWS_CONFIG_FILE as upstream's do (core.md §4.1). */
  cacheDir: string;
}

/**
 * AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (a leading ~ expanded with homeDir) or ~/.aws/config|credentials;
 * cacheDir = directory of the config file (core.md §2.1, §4.1).
 */
export function sharedFilePaths(env: Env, homeDir: string): SharedFilePaths {
  const configPath = fromEnv(env["AWS_CONFIG_FILE"], homeDir) ?? joinPath(homeDir, ".aws", "config");
  const credentialsPath =
    fromEnv(env["AWS_SHARED_CREDENTIALS_FILE"], homeDir) ?? joinPath(homeDir, ".aws", "credentials");
  return { configPath, credentialsPath, cacheDir: dirname(configPath) };
}

/** An override path with `~` expanded like a shell would, since the variable is often set in a quoted string. */
function fromEnv(value: string | undefined, homeDir: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === "~") return homeDir;
  if (value.startsWith("~/") || value.startsWith("~\\")) return joinPath(homeDir, value.slice(2));
  return value;
}

/** Both files, parsed. */
export interface SharedFiles {
  paths: SharedFilePaths;
  config: IniDocument;
  credentials: IniDocument;
}

/**
 * Reads and parses both files synchronously (the cached path is faster with sync reads). A missing file is an empty
 * document, as for the AWS CLI; any other read error is RunasError("CONFIG_READ", "cannot read <path>: <reason>").
 */
export function loadSharedFiles(paths: SharedFilePaths): SharedFiles {
  return {
    paths,
    config: loadDocument(paths.configPath),
    credentials: loadDocument(paths.credentialsPath),
  };
}

function loadDocument(file: string): IniDocument {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = errorCode(e);
    // ENOTDIR: a path through a regular file (`/dev/null/config`) cannot exist either.
    if (code === "ENOENT" || code === "ENOTDIR") return { path: file, sections: [] };
    throw new RunasError("CONFIG_READ", `cannot read ${file}: ${readFailure(code, e)}`, { cause: e });
  }
  return parseIni(text, file);
}

function errorCode(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null || !("code" in e)) return undefined;
  return typeof e.code === "string" ? e.code : undefined;
}

function readFailure(code: string | undefined, e: unknown): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied (check the file's owner and mode)";
    case "EISDIR":
      return "it is a directory (point AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE at a file)";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** How a config-file section header names a profile. */
export interface ConfigProfileHeader {
  name: string;
  /** True for `[profile name]`, false for the bare `[name]` form upstream also accepts. */
  prefixed: boolean;
}

/** Config-file sections that hold something other than a profile (AWS CLI `sso-session` and `services` blocks). */
const NON_PROFILE_PREFIX = /^(sso-session|services)\s/;

/**
 * The profile a config-file header names, or undefined for `[sso-session …]` / `[services …]`. `[profile "x"]` is
 * read as `x`, as the SDK's parseIni does.
 */
export function configProfileHeader(header: string): ConfigProfileHeader | undefined {
  // String tests rather than regular expressions: this runs for every section on every credential_process call.
  if (header.startsWith("profile") && /\s/.test(header.charAt(7))) {
    const name = header.slice(8).trimStart();
    if (name !== "") return { name: unquote(name), prefixed: true };
  }
  if ((header.startsWith("sso-session") || header.startsWith("services")) && NON_PROFILE_PREFIX.test(header)) {
    return undefined;
  }
  return { name: header, prefixed: false };
}

function unquote(name: string): string {
  if (!name.startsWith('"') && !name.startsWith("'")) return name;
  const m = /^(["'])(.+)\1$/.exec(name);
  return m?.[2] ?? name;
}

/**
 * Every profile name the user can pass, sorted and unique: config `[profile X]`, `[X]` (not `sso-session ...` /
 * `services ...`), `[default]`; credentials `[X]`.
 */
export function profileNames(files: SharedFiles): string[] {
  const names = new Set<string>();
  for (const section of files.config.sections) {
    const profile = configProfileHeader(section.header);
    if (profile !== undefined) names.add(profile.name);
  }
  // Sections named by an IdP URL hold stored passwords (`aws-runas password`), not profiles.
  for (const section of files.credentials.sections) if (!section.header.includes("://")) names.add(section.header);
  return [...names].sort();
}
