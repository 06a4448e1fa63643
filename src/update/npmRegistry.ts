import { isAbsolute, join as joinPath } from "node:path";
import type { Env } from "../ports.js";

/** Where npm installs from when nothing else is configured. */
export const DEFAULT_REGISTRY = "https://registry.npmjs.org/";

/** What the registry lookup reads: npm's own settings, so the check asks the registry `npm install -g` would use. */
export interface NpmSettingsSources {
  env: Env;
  homeDir: string;
  /** npm's built-in global prefix (the node installation), whose `etc/npmrc` is the global config file. */
  defaultGlobalPrefix: string | undefined;
  /** A file's text, or undefined when it is missing or unreadable (npm skips those too). */
  readFile(path: string): string | undefined;
}

/** The registry URL and where it came from, for the DEBUG log and messages. */
export interface RegistryChoice {
  url: string;
  source: string;
}

/**
 * The registry npm itself is configured with, by npm's precedence (cli > env > project > user > global > default),
 * leaving out the command line and the project `.npmrc`, which belong to npm's own invocations: `npm_config_registry`
 * (any case, as npm reads it), else `registry=` in the user file (`NPM_CONFIG_USERCONFIG` or `~/.npmrc`), else in
 * the global file (`NPM_CONFIG_GLOBALCONFIG` or `<prefix>/etc/npmrc`), else registry.npmjs.org.
 */
export function npmRegistry(sources: NpmSettingsSources): RegistryChoice {
  const { env } = sources;
  const fromEnv = npmEnvSetting(env, "registry");
  if (fromEnv !== undefined) return { url: fromEnv.value, source: fromEnv.name };

  const userFile = expandHome(npmEnvSetting(env, "userconfig")?.value ?? joinPath(sources.homeDir, ".npmrc"),
    sources.homeDir);
  const fromUser = registryIn(userFile, sources);
  if (fromUser !== undefined) return { url: fromUser, source: userFile };

  const prefix = npmEnvSetting(env, "prefix")?.value ?? nonEmpty(env["PREFIX"]) ?? sources.defaultGlobalPrefix;
  const globalSetting = npmEnvSetting(env, "globalconfig")?.value;
  const globalFile = globalSetting !== undefined
    ? expandHome(globalSetting, sources.homeDir)
    : prefix === undefined ? undefined : joinPath(prefix, "etc", "npmrc");
  const fromGlobal = globalFile === undefined ? undefined : registryIn(globalFile, sources);
  if (fromGlobal !== undefined && globalFile !== undefined) return { url: fromGlobal, source: globalFile };

  return { url: DEFAULT_REGISTRY, source: "npm's default" };
}

/**
 * `npm_config_<key>` from the environment. npm lower-cases the names it reads, so `NPM_CONFIG_REGISTRY` counts too;
 * the exact lower-case name wins. An empty value is no setting.
 */
function npmEnvSetting(env: Env, key: string): { name: string; value: string } | undefined {
  const wanted = `npm_config_${key}`;
  const exact = nonEmpty(env[wanted]);
  if (exact !== undefined) return { name: wanted, value: exact };
  for (const [name, value] of Object.entries(env)) {
    if (name.toLowerCase() === wanted && nonEmpty(value) !== undefined) return { name, value: value ?? "" };
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function expandHome(path: string, homeDir: string): string {
  if (path === "~") return homeDir;
  if (path.startsWith("~/") || path.startsWith("~\\")) return joinPath(homeDir, path.slice(2));
  return path;
}

function registryIn(file: string, sources: NpmSettingsSources): string | undefined {
  // npm resolves a relative config path against its working directory; aws-runas has no reason to guess one.
  if (!isAbsolute(file)) return undefined;
  const text = sources.readFile(file);
  return text === undefined ? undefined : npmrcValue(text, "registry", sources.env);
}

/**
 * The top-level value of `key` in an `.npmrc` text, read as npm's `ini` parser does: `;` and `#` start comments
 * (also after an unquoted value), quotes are removed, `[section]` blocks are not top level, the last occurrence wins,
 * and `${VAR}` (or `${VAR?}`, empty when unset) is replaced from the environment as npm does.
 */
export function npmrcValue(text: string, key: string, env: Env): string | undefined {
  let found: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    if (line.startsWith("[")) break;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    if (substituteEnv(line.slice(0, eq).trim(), env) !== key) continue;
    const value = substituteEnv(unquote(line.slice(eq + 1).trim()), env);
    found = value === "" ? undefined : value;
  }
  return found;
}

function unquote(value: string): string {
  const q = value.charAt(0);
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) return value.slice(1, -1);
  // An unquoted value ends at the first unescaped comment character.
  const m = /(^|[^\\])[;#]/.exec(value);
  const cut = m === null ? value : value.slice(0, m.index + (m[1] ?? "").length);
  return cut.trim().replace(/\\([;#])/g, "$1");
}

function substituteEnv(text: string, env: Env): string {
  return text.replace(/(?<!\\)\$\{([^${}?]+)(\?)?\}/g, (whole, name: string, optional: string | undefined) => {
    const value = env[name];
    if (value !== undefined) return value;
    return optional === undefined ? whole : "";
  });
}
