import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import { parseDuration } from "./duration.js";
import type { IniDocument, IniEntry, IniSection } from "./ini.js";
import { SETTINGS } from "./settings.js";
import type { ProfileSettings, Setting, SettingField, SettingType } from "./settings.js";
import { configProfileHeader, profileNames } from "./sharedFiles.js";
import type { SharedFiles } from "./sharedFiles.js";
import { isHttpUrl } from "./httpUrl.js";

/** Where a resolved value came from, so diagnose and error messages can point at the line or variable to change. */
export type SettingOrigin =
  | { kind: "flag" }
  | { kind: "env"; name: string }
  | { kind: "file"; path: string; section: string; key: string; line: number };

/** Long-term IAM user keys stored in a profile's section. */
export interface StaticKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A profile with every layer (files, environment, flags) merged and typed. */
export interface ResolvedProfile {
  /** The profile name the settings belong to ("" when an ARN was given instead of a profile). */
  name: string;
  /** Merged and typed; unset values are absent; mfaType defaults to "auto". */
  settings: ProfileSettings;
  /** Where each set value came from (for diagnose / messages). */
  origins: Partial<Record<SettingField, SettingOrigin>>;
  /** The resolved source_profile, recursively (any depth), without env/flag overrides. */
  source?: ResolvedProfile;
  /**
   * Long-term keys stored for THIS profile: credentials-file [name], else config [profile name]/[name]
   * (aws_access_key_id, aws_secret_access_key, aws_session_token).
   */
  staticKeys?: StaticKeys;
  /** Non-fatal problems to log as WARN, e.g. an environment variable that was ignored (decisions.md Q-08). */
  warnings: string[];
}

/** Options of the resolution that come from CLI flags. */
export interface ResolveOptions {
  /** The -s flag: resolve to the source profile's session credentials (core.md §3.4, decisions.md Q-09). */
  sessionOnly?: boolean;
}

/** A profile argument that is a role ARN (core.md §1.5): starts with "arn:" and has at least 5 ":". */
export function isArnProfile(name: string): boolean {
  return name.startsWith("arn:") && name.split(":").length > 5;
}

/**
 * Resolves a profile (core.md §2.3–§2.5): [default] < source_profile section < profile section < environment <
 * flags, every value typed through its SETTINGS row. "" means "default"; a role ARN resolves [default] with the ARN
 * as role_arn. Throws RunasError for an unknown profile, a broken source_profile chain or a bad value in the files.
 */
export function resolveProfile(
  name: string,
  files: SharedFiles,
  env: Env,
  overrides: Partial<ProfileSettings>,
  options: ResolveOptions = {},
): ResolvedProfile {
  const top = resolveTop(name, files, env, overrides);
  if (options.sessionOnly !== true || top.source === undefined) return top;

  // -s: the source profile becomes the profile, with environment and flags applied to it too; a jump role
  // becomes the role, so SAML/OIDC profiles yield the jump-role credentials (core.md §3.4).
  const session = resolveTop(top.source.name, files, env, overrides);
  const jump = top.settings.jumpRoleArn;
  const jumpOrigin = top.origins.jumpRoleArn;
  if (jump !== undefined && jumpOrigin !== undefined) {
    session.settings.roleArn = jump;
    session.origins.roleArn = jumpOrigin;
    delete session.settings.jumpRoleArn;
    delete session.origins.jumpRoleArn;
  }
  session.warnings = unique([...top.warnings, ...session.warnings]);
  return session;
}

type Value = string | number;
type Layer = Map<SettingField, { value: Value; origin: SettingOrigin }>;

/** The sections of one profile in one file, with their entries merged (a repeated key or header: the last wins). */
interface FoundSection {
  doc: IniDocument;
  header: string;
  entries: Map<string, IniEntry>;
}

/** What the files say about a profile, before the environment and flags are applied. */
interface FileResolution {
  layer: Layer;
  source?: ResolvedProfile;
  staticKeys?: StaticKeys;
  warnings: string[];
}

/**
 * Credentials-file keys read as settings. The AWS CLI reads credential_process from either file; the rest of a
 * credentials section is keys (staticKeys) or IdP passwords, which are not profile settings.
 */
const CREDENTIALS_FILE_FIELDS: ReadonlySet<SettingField> = new Set<SettingField>(["credentialProcess"]);

/**
 * Source-section keys a profile does not inherit: they say how the SOURCE gets its own credentials (and the
 * source's own source_profile is followed through `source`, not copied), so copying them would make the profile
 * look like a credential_process or SSO profile itself.
 */
const NOT_INHERITED_FROM_SOURCE: ReadonlySet<SettingField> = new Set<SettingField>([
  "sourceProfile",
  "credentialProcess",
  "ssoSession",
  "ssoStartUrl",
]);

function resolveTop(name: string, files: SharedFiles, env: Env, overrides: Partial<ProfileSettings>): ResolvedProfile {
  const arn = isArnProfile(name);
  const profileName = arn ? "" : name === "" ? "default" : name;
  if (!arn && profileName !== "default" && !profileExists(files, profileName)) throw profileNotFound(profileName, files);

  const base = resolveFiles(arn ? name : profileName, files, [], arn);
  const warnings = [...base.warnings];
  const layer = merge(base.layer, envLayer(env, warnings), overrideLayer(overrides));
  // The client factory upstream moves the ARN into role_arn last, so nothing overrides it (core.md §1.5).
  if (arn) layer.set("roleArn", { value: name, origin: { kind: "flag" } });
  return finish(profileName, layer, base, warnings);
}

/**
 * The file layers of one profile: [default] < the source_profile's own section < the profile's sections. The
 * source is resolved recursively (chains of any depth, as the AWS CLI); `visited` holds the chain so far.
 */
function resolveFiles(name: string, files: SharedFiles, visited: readonly string[], arn: boolean): FileResolution {
  const warnings: string[] = [];
  const defaults = findConfigSection(files.config, "default", warnings);
  const own = arn ? undefined : findConfigSection(files.config, name, warnings);
  const credentials = arn ? undefined : findCredentialsSection(files.credentials, name);

  const defaultLayer = fileLayer(defaults, () => true);
  const ownLayer = merge(
    fileLayer(own, () => true),
    fileLayer(credentials, (s) => CREDENTIALS_FILE_FIELDS.has(s.field)),
  );
  const staticKeys = keysOf(credentials) ?? keysOf(own);

  const sourceRef = ownLayer.get("sourceProfile") ?? defaultLayer.get("sourceProfile");
  let sourceLayer: Layer = new Map();
  let source: ResolvedProfile | undefined;
  if (sourceRef !== undefined) {
    const sourceName = String(sourceRef.value);
    const chain = [...visited, name];
    if (sourceName === name) {
      // A profile may name itself as its source when it holds keys: it assumes its role with them (botocore).
      if (staticKeys === undefined) throw cycleError([...chain, name], files);
    } else if (chain.includes(sourceName)) {
      throw cycleError([...chain, sourceName], files);
    } else if (!profileExists(files, sourceName)) {
      // Say where the name came from when the profile does not contain it itself.
      const inherited = ownLayer.has("sourceProfile") ? "" : " (inherited from [default])";
      throw new RunasError(
        "SOURCE_PROFILE_NOT_FOUND",
        `profile '${name}' has source_profile = ${sourceName}${inherited}, but there is no [profile ${sourceName}] ` +
          `in ${files.paths.configPath} and no [${sourceName}] in ${files.paths.credentialsPath}`,
      );
    } else {
      sourceLayer = fileLayer(
        findConfigSection(files.config, sourceName, []),
        (s) => !NOT_INHERITED_FROM_SOURCE.has(s.field),
      );
      const resolved = resolveFiles(sourceName, files, chain, false);
      source = finish(sourceName, resolved.layer, resolved, resolved.warnings);
      warnings.push(...source.warnings);
    }
  }

  const layer = merge(defaultLayer, sourceLayer, ownLayer);
  if (sourceRef !== undefined) layer.set("sourceProfile", sourceRef);
  const result: FileResolution = { layer, warnings: unique(warnings) };
  if (source !== undefined) result.source = source;
  if (staticKeys !== undefined) result.staticKeys = staticKeys;
  return result;
}

function finish(name: string, layer: Layer, base: FileResolution, warnings: string[]): ResolvedProfile {
  const values: Partial<Record<SettingField, Value>> = {};
  const origins: Partial<Record<SettingField, SettingOrigin>> = {};
  for (const [field, { value, origin }] of layer) {
    values[field] = value;
    origins[field] = origin;
  }
  // Every value was typed by its SETTINGS row, whose type matches the field's type in ProfileSettings.
  const settings = values as ProfileSettings;
  settings.mfaType ??= "auto";
  const resolved: ResolvedProfile = { name, settings, origins, warnings: unique(warnings) };
  if (base.source !== undefined) resolved.source = base.source;
  if (base.staticKeys !== undefined) resolved.staticKeys = base.staticKeys;
  return resolved;
}

function merge(...layers: Layer[]): Layer {
  const out: Layer = new Map();
  for (const layer of layers) for (const [field, entry] of layer) out.set(field, entry);
  return out;
}

function profileExists(files: SharedFiles, name: string): boolean {
  return (
    findConfigSection(files.config, name, []) !== undefined ||
    findCredentialsSection(files.credentials, name) !== undefined
  );
}

/** A config file's profile sections by name, split into `[profile X]` and bare `[X]` headers. */
interface ConfigIndex {
  prefixed: Map<string, IniSection[]>;
  bare: Map<string, IniSection[]>;
}

// Built once per parsed file: a resolution looks sections up several times (profile, [default], sources), and
// this runs on every credential_process call.
const configIndexes = new WeakMap<IniDocument, ConfigIndex>();
const credentialsIndexes = new WeakMap<IniDocument, Map<string, IniSection[]>>();

function push(map: Map<string, IniSection[]>, key: string, section: IniSection): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [section]);
  else list.push(section);
}

function configIndex(doc: IniDocument): ConfigIndex {
  let index = configIndexes.get(doc);
  if (index === undefined) {
    index = { prefixed: new Map(), bare: new Map() };
    for (const section of doc.sections) {
      const profile = configProfileHeader(section.header);
      if (profile !== undefined) push(profile.prefixed ? index.prefixed : index.bare, profile.name, section);
    }
    configIndexes.set(doc, index);
  }
  return index;
}

/** `[profile X]` first, then `[X]` (upstream accepts both); `[default]` is `default`. */
function findConfigSection(doc: IniDocument, name: string, warnings: string[]): FoundSection | undefined {
  const index = configIndex(doc);
  const prefixed = index.prefixed.get(name) ?? [];
  const bare = index.bare.get(name) ?? [];
  const [first] = prefixed;
  const [other] = bare;
  if (first !== undefined && other !== undefined) {
    warnings.push(`both [${first.header}] and [${other.header}] are in ${doc.path}; using [${first.header}]`);
  }
  return merged(doc, prefixed.length > 0 ? prefixed : bare);
}

function findCredentialsSection(doc: IniDocument, name: string): FoundSection | undefined {
  let index = credentialsIndexes.get(doc);
  if (index === undefined) {
    index = new Map();
    for (const section of doc.sections) push(index, section.header, section);
    credentialsIndexes.set(doc, index);
  }
  return merged(doc, index.get(name) ?? []);
}

function merged(doc: IniDocument, sections: IniSection[]): FoundSection | undefined {
  const [first] = sections;
  if (first === undefined) return undefined;
  const entries = new Map<string, IniEntry>();
  for (const section of sections) for (const entry of section.entries) entries.set(entry.key, entry);
  return { doc, header: first.header, entries };
}

function keysOf(section: FoundSection | undefined): StaticKeys | undefined {
  const accessKeyId = section?.entries.get("aws_access_key_id")?.value ?? "";
  const secretAccessKey = section?.entries.get("aws_secret_access_key")?.value ?? "";
  if (accessKeyId === "" || secretAccessKey === "") return undefined;
  const sessionToken = section?.entries.get("aws_session_token")?.value ?? "";
  return sessionToken === "" ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}

/** The settings one section holds. A value that does not parse is an error: the user wrote it and must fix it. */
function fileLayer(section: FoundSection | undefined, include: (s: Setting) => boolean): Layer {
  const layer: Layer = new Map();
  if (section === undefined) return layer;
  for (const setting of SETTINGS) {
    if (setting.fromFile === false || !include(setting)) continue;
    // Seed spellings are accepted; the canonical key (listed first) wins when both are there.
    let entry: IniEntry | undefined;
    for (const key of setting.ini) {
      const e = section.entries.get(key);
      if (e !== undefined && e.value !== "") {
        entry = e;
        break;
      }
    }
    if (entry === undefined) continue;
    const typed = typeValue(setting.type, entry.value);
    if (typed.kind === "invalid") {
      throw new RunasError(
        "INVALID_VALUE",
        `${section.doc.path}, line ${entry.line}: invalid ${entry.key} "${shown(setting.type, entry.value)}" in ` +
          `[${section.header}]: ${EXPECTED[setting.type]}`,
      );
    }
    if (typed.kind === "unset") continue;
    const origin: SettingOrigin = {
      kind: "file",
      path: section.doc.path,
      section: section.header,
      key: entry.key,
      line: entry.line,
    };
    layer.set(setting.field, { value: typed.value, origin });
  }
  return layer;
}

/** For each setting, the first of its variables set to a usable value; a bad value skips only that variable. */
function envLayer(env: Env, warnings: string[]): Layer {
  const layer: Layer = new Map();
  for (const setting of SETTINGS) {
    for (const name of setting.env) {
      const raw = env[name];
      if (raw === undefined || raw === "") continue;
      const typed = typeValue(setting.type, raw);
      if (typed.kind === "invalid") {
        warnings.push(`ignoring ${name}="${shown(setting.type, raw)}": ${ENV_PROBLEM[setting.type]}`);
        continue;
      }
      if (typed.kind === "unset") continue;
      layer.set(setting.field, { value: typed.value, origin: { kind: "env", name } });
      break;
    }
  }
  return layer;
}

/** Flag values arrive typed; empty strings and non-positive durations mean "not given", as everywhere else. */
function overrideLayer(overrides: Partial<ProfileSettings>): Layer {
  const layer: Layer = new Map();
  for (const setting of SETTINGS) {
    const value = overrides[setting.field];
    if (value === undefined || value === "" || (typeof value === "number" && !(value > 0))) continue;
    layer.set(setting.field, { value, origin: { kind: "flag" } });
  }
  return layer;
}

const UNSET = { kind: "unset" } as const;
const INVALID = { kind: "invalid" } as const;
type Typed = { kind: "set"; value: Value } | typeof UNSET | typeof INVALID;

const MFA_TYPES: ReadonlySet<string> = new Set(["auto", "none", "code", "push"]);

/** Raw text → typed value. Empty means unset; so does a duration ≤ 0, as upstream (core.md §2.3 "Overlay"). */
function typeValue(type: SettingType, raw: string): Typed {
  if (type === "string") return raw === "" ? UNSET : { kind: "set", value: raw };
  const text = raw.trim();
  if (text === "") return UNSET;
  switch (type) {
    case "duration": {
      const seconds = parseDuration(text);
      if (seconds === undefined) return INVALID;
      // Whole seconds, as STS takes them; a positive sub-second value stays positive so it is clamped to the
      // minimum at use rather than silently replaced by the default (core.md §3.11).
      return seconds > 0 ? { kind: "set", value: Math.max(1, Math.trunc(seconds)) } : UNSET;
    }
    case "seconds": {
      const n = parseInteger(text);
      if (n === undefined) return INVALID;
      return n > 0 ? { kind: "set", value: n } : UNSET;
    }
    case "mfaType": {
      const lower = text.toLowerCase();
      return MFA_TYPES.has(lower) ? { kind: "set", value: lower } : INVALID;
    }
    case "url":
      return isHttpUrl(text) ? { kind: "set", value: text } : INVALID;
  }
}

/** Decimal, `0x`, `0o` or `0b` integers, as Go's strconv.ParseInt(s, 0, 64) reads `duration_seconds`. */
function parseInteger(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|\d+)$/.exec(text);
  if (m === null) return undefined;
  // Number() reads 0x/0o/0b itself, and reads a leading-zero decimal as decimal.
  const magnitude = Number((m[2] ?? "").toLowerCase());
  if (!Number.isSafeInteger(magnitude)) return undefined;
  return m[1] === "-" ? -magnitude : magnitude;
}

/** A value fit for a message: a URL loses its user info and query, which may hold credentials (OneLogin `token`). */
function shown(type: SettingType, value: string): string {
  if (type !== "url") return value;
  return value.replace(/\/\/[^/?#]*@/, "//…@").replace(/[?#].*$/, "?…");
}

const EXPECTED: Record<SettingType, string> = {
  string: "use any text",
  duration: "use a duration like 1h30m or a number of seconds",
  seconds: "use a whole number of seconds like 3600",
  mfaType: "use auto, none, code or push",
  url: "use a URL starting with https:// or http://",
};

const ENV_PROBLEM: Record<SettingType, string> = {
  string: "not text",
  duration: "not a duration (use 1h30m or seconds)",
  seconds: "not a whole number of seconds (use 3600, for example)",
  mfaType: "not an MFA type (use auto, none, code or push)",
  url: "not an http(s) URL (use https://…)",
};

function cycleError(chain: readonly string[], files: SharedFiles): RunasError {
  return new RunasError(
    "SOURCE_PROFILE_CYCLE",
    `source_profile chain loops: ${chain.join(" -> ")}; fix source_profile in ${files.paths.configPath}`,
  );
}

/** The known profiles are listed so a typo is easy to spot (at most 20, to keep it one line). */
function profileNotFound(name: string, files: SharedFiles): RunasError {
  const { configPath, credentialsPath } = files.paths;
  const known = profileNames(files);
  const hint =
    known.length === 0
      ? `no profiles are configured: add [profile ${name}] to ${configPath}`
      : `known profiles: ${known.slice(0, 20).join(", ")}${known.length > 20 ? ", …" : ""}`;
  return new RunasError("PROFILE_NOT_FOUND", `profile '${name}' not found in ${configPath} or ${credentialsPath}; ${hint}`);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
