import { join as joinPath } from "node:path";
import { cacheFileName, cacheNameForArn } from "../cache/credentialCache.js";
import type { CredentialCache } from "../cache/credentialCache.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import { formatDuration } from "../config/duration.js";
import type { Clock } from "../ports.js";
import { isRoleProfile } from "../providers/baseCredentials.js";
import { maskKeyId } from "./accessKeys.js";
import { info, warn } from "./finding.js";
import type { Finding } from "./finding.js";

/**
 * The STS cache files a profile's credential flow reads and writes, named as providers/providerForProfile.ts names
 * them (core.md §4.2): the federated or role file of the profile itself, the jump-role file, the files of a
 * source_profile role chain and the session-token file of the profile the chain stands on. A file that only some
 * durations use is listed too: diagnose reports the ones that exist.
 */
export function cacheFilesFor(profile: ResolvedProfile): string[] {
  const files: string[] = [];
  const s = profile.settings;
  const federated = s.samlAuthUrl !== undefined ? "saml_role" : s.webIdentityAuthUrl !== undefined ? "web_role" : undefined;
  if (federated !== undefined) {
    if (s.roleArn === undefined) return [];
    const arnName = arnCacheName(s.jumpRoleArn ?? s.roleArn);
    const name = s.jumpRoleArn !== undefined || profile.name === "" ? arnName : profile.name;
    if (name !== undefined) files.push(cacheFileName(federated, name));
    if (s.jumpRoleArn !== undefined) {
      const jumped = profile.name === "" ? arnCacheName(s.roleArn) : profile.name;
      if (jumped !== undefined) files.push(cacheFileName("assume_role", jumped));
    }
    return files;
  }
  if (s.roleArn !== undefined) {
    roleFiles(profile, files);
  } else {
    const source = profile.source ?? profile;
    if (source !== profile && isRoleProfile(source)) roleFiles(source, files);
    else files.push(cacheFileName("session_token", sessionCacheName(profile)));
  }
  return [...new Set(files)];
}

function roleFiles(p: ResolvedProfile, files: string[]): void {
  const name = p.name === "" ? arnCacheName(p.settings.roleArn ?? "") : p.name;
  if (name !== undefined) files.push(cacheFileName("assume_role", name));
  if (p.source !== undefined && isRoleProfile(p.source)) roleFiles(p.source, files);
  else files.push(cacheFileName("session_token", sessionCacheName(p)));
}

/** The session-token cache is keyed by the source profile's name, else the profile's own (core.md §4.2). */
function sessionCacheName(p: ResolvedProfile): string {
  return p.source?.name ?? p.settings.sourceProfile ?? p.name;
}

function arnCacheName(arn: string): string | undefined {
  try {
    return cacheNameForArn(arn);
  } catch {
    return undefined;
  }
}

/** RFC 3339 UTC without milliseconds, as the cache files themselves write it. */
function utc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The cache state of the profile: each of its cache files that exists, with the masked key id and expiry of the
 * credentials in it, or that none exists. Expired files are normal (the next run replaces them); a file that cannot
 * be used is a warning, with the reason at DEBUG (`-v`) from the cache reader.
 */
export function cacheFindings(
  profile: ResolvedProfile,
  o: { cache: CredentialCache; cacheDir: string; clock: Clock; exists: (path: string) => boolean },
): Finding[] {
  const found: Finding[] = [];
  const now = o.clock.now();
  for (const file of cacheFilesFor(profile)) {
    const path = joinPath(o.cacheDir, file);
    if (!o.exists(path)) continue;
    const creds = o.cache.read(path);
    if (creds === undefined) {
      found.push(warn(`cached credentials in ${path} cannot be used (run with -v for the reason); the next run replaces them`));
      continue;
    }
    const expiration = creds.expiration;
    const key = maskKeyId(creds.accessKeyId);
    if (expiration !== undefined && expiration.getTime() > now.getTime()) {
      const left = formatDuration(Math.round((expiration.getTime() - now.getTime()) / 1000));
      found.push(info(`cached credentials in ${path} (${key}) are valid until ${utc(expiration)} (${left} left)`));
    } else {
      const when = expiration === undefined || Number.isNaN(expiration.getTime()) ? "" : ` at ${utc(expiration)}`;
      found.push(info(`cached credentials in ${path} (${key}) expired${when}; the next run gets new ones`));
    }
  }
  if (found.length === 0) {
    const name = profile.name === "" ? `role ${profile.settings.roleArn ?? ""}` : `profile '${profile.name}'`;
    found.push(info(`no cached credentials for ${name} in ${o.cacheDir}`));
  }
  return found;
}
