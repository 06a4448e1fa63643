/** `Accept` value for npm's abbreviated package document: only dist-tags and versions, a fraction of the full one. */
export const ABBREVIATED_METADATA = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8";

/**
 * The URL of a package's document on a registry, built as npm does (npm-registry-fetch): the registry with one
 * trailing slash, then the name with a scope's `/` escaped (`@scope%2fname`). Undefined when the registry setting is
 * not an http(s) URL.
 */
export function packageDocumentUrl(registry: string, name: string): URL | undefined {
  let base: URL;
  try {
    base = new URL(registry.endsWith("/") ? registry : `${registry}/`);
  } catch {
    return undefined;
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") return undefined;
  const escaped = name.startsWith("@") ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
  return new URL(escaped, base);
}

/** `dist-tags.latest` of a package document (parsed JSON), or undefined when the document has none. */
export function latestDistTag(document: unknown): string | undefined {
  if (typeof document !== "object" || document === null || !("dist-tags" in document)) return undefined;
  const tags = document["dist-tags"];
  if (typeof tags !== "object" || tags === null || !("latest" in tags)) return undefined;
  return typeof tags.latest === "string" && tags.latest !== "" ? tags.latest : undefined;
}

/** A registry URL as it may be shown: without the user name and password some registry URLs carry. */
export function displayUrl(url: URL | string): string {
  try {
    const u = typeof url === "string" ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(not a URL)";
  }
}
