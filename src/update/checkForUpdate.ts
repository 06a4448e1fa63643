import { displayUrl, latestDistTag, packageDocumentUrl, ABBREVIATED_METADATA } from "./packageDocument.js";
import { compareSemver, parseSemver } from "./semver.js";

/** What a registry answered: the status and the body text. */
export interface RegistryResponse {
  status: number;
  body: string;
}

/**
 * One HTTP GET. Rejects on transport failures with the Node error (its `code`: ECONNREFUSED, ENOTFOUND …), and with
 * code ETIMEDOUT when no complete answer arrived within `timeoutMs`.
 */
export type RegistryGet = (
  url: URL,
  o: { headers: Readonly<Record<string, string>>; timeoutMs: number },
) => Promise<RegistryResponse>;

/** The outcome of the check; `unavailable` carries one line saying why and what to do. */
export type UpdateCheck =
  | { kind: "newer"; latest: string }
  | { kind: "current"; latest: string }
  | { kind: "unavailable"; reason: string };

export interface UpdateCheckInput {
  name: string;
  /** The running version. */
  version: string;
  registry: string;
  /** Where the registry setting came from, named when it is not usable. */
  registrySource: string;
  get: RegistryGet;
  timeoutMs: number;
}

const SETTING_HINT = "check the network and npm's registry setting (npm config get registry)";

/**
 * Compares the running version with `dist-tags.latest` of the package on the registry (decisions.md Q-05). Every
 * failure (unreachable, slow, not found, not package metadata) becomes `unavailable`: the check is advice, never an
 * error.
 */
export async function checkForUpdate(input: UpdateCheckInput): Promise<UpdateCheck> {
  const url = packageDocumentUrl(input.registry, input.name);
  if (url === undefined) {
    return unavailable(`npm's registry setting (from ${input.registrySource}) is not an http:// or https:// URL`);
  }
  let response: RegistryResponse;
  try {
    response = await input.get(url, {
      headers: { accept: ABBREVIATED_METADATA, "user-agent": `${input.name}/${input.version}` },
      timeoutMs: input.timeoutMs,
    });
  } catch (e) {
    return unavailable(`${transportFailure(e, url, input.timeoutMs)}; ${SETTING_HINT}`);
  }
  if (response.status === 404) {
    return unavailable(`${displayUrl(url)} answered 404: ${input.name} is not published there; ${SETTING_HINT}`);
  }
  if (response.status !== 200) {
    return unavailable(`${displayUrl(url)} answered HTTP ${response.status}; try again later or ${SETTING_HINT}`);
  }
  let latest: string | undefined;
  try {
    latest = latestDistTag(JSON.parse(response.body));
  } catch {
    latest = undefined;
  }
  if (latest === undefined) {
    return unavailable(
      `the answer of ${displayUrl(url)} is not npm package metadata with a latest version; ${SETTING_HINT}`);
  }
  const newest = parseSemver(latest);
  if (newest === undefined) return unavailable(`the registry's latest version "${latest}" is not a version number`);
  const running = parseSemver(input.version);
  if (running === undefined) return unavailable(`this build's version "${input.version}" is not a version number`);
  return compareSemver(newest, running) > 0 ? { kind: "newer", latest } : { kind: "current", latest };
}

function unavailable(reason: string): UpdateCheck {
  return { kind: "unavailable", reason };
}

function transportFailure(e: unknown, url: URL, timeoutMs: number): string {
  const code = typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined;
  const where = displayUrl(url);
  switch (code) {
    case "ETIMEDOUT":
      return `${where} did not answer within ${formatSeconds(timeoutMs)}`;
    case "ECONNREFUSED":
      return `cannot reach ${where}: connection refused`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot reach ${where}: host ${url.hostname} not found (offline?)`;
    default:
      return `cannot reach ${where}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} seconds` : `${ms} ms`;
}
