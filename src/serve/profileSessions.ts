import type { CredentialProvider, Credentials } from "../domain/credentials.js";
import { RunasError, isRunasError } from "../domain/errors.js";
import type { Clock, Env, Locker, Logger, Prompter } from "../ports.js";
import { setSectionValues } from "../config/iniEdit.js";
import { encodePassword } from "../config/passwordObfuscation.js";
import { resolveProfile, type ResolvedProfile } from "../config/resolveProfile.js";
import type { ProfileSettings } from "../config/settings.js";
import { configProfileHeader, type SharedFilePaths, type SharedFiles } from "../config/sharedFiles.js";
import { updateIniFile } from "../config/updateIniFile.js";
import { validateProfile } from "../config/validateProfile.js";
import type { CustomProfileForm, ProfileSessions, ProfileSummary } from "./contracts.js";
import { CUSTOM_PROFILE_KEYS, customProfile, savedProfile } from "./customProfile.js";
import { isAuthenticationRequired } from "./httpReply.js";
import { ProfileNotSet } from "./profileNotSet.js";
import { createRenewingCredentials, type RenewingCredentials, type Timers } from "./renewingCredentials.js";
import { browserPrompter, serializedPrompter } from "./sessionPrompters.js";
import type { ProviderBuilder } from "./serveProviders.js";

/** The scrypt cost of a password saved from the web page, as upstream's `password` command (core.md §7.1). */
const STORED_COST = 18;

/** The sessions of `serve`: the contract, the initial profile of the command line, and role ARNs for the ECS answer. */
export interface ServeSessions extends ProfileSessions {
  /**
   * The profile named on the command line (core.md §9.3 step 3): made active with the global flags (decisions Q-16)
   * and, until the web page takes it over, with its questions asked on the terminal.
   */
  activateInitial(name: string): Promise<void>;
  roleArn(name?: string): string | undefined;
}

export interface ProfileSessionsDeps {
  env: Env;
  /** Reads both shared files afresh, so a profile saved or edited while the server runs is seen. */
  loadFiles(): SharedFiles;
  paths: SharedFilePaths;
  buildProvider: ProviderBuilder;
  /** The server's terminal: every question with --headless, the initial profile's otherwise. */
  terminal: Prompter;
  headless: boolean;
  /** The global flags of the command line, for the initial profile only (decisions Q-16). */
  initialOverrides?: Partial<ProfileSettings>;
  clock: Clock;
  logger: Logger;
  locker: Locker;
  /** The web page's address, named when no profile is active. */
  uiUrl(): string;
  timers?: Timers;
  leadMs?: number;
  /** Test seam: scrypt cost of saved passwords. */
  passwordCost?: number;
}

/** A username and password given in the web page, kept in memory for the IdP they were given for. */
interface Login {
  username: string;
  password: string;
}

/** One profile as the server holds it. */
interface Entry {
  /** The name asked for; "" for the ad-hoc profile of the Advanced form. */
  key: string;
  /** Resolves the profile with `extra` overrides (an MFA code) on top of its own. */
  resolve(files: SharedFiles, extra: Partial<ProfileSettings>): ResolvedProfile;
  profile: ResolvedProfile;
  /** What the profile resolved to, so a later activation can tell whether the files changed it. */
  fingerprint: string;
  /** True while its questions go to the terminal (the initial profile, until the web page selects it). */
  viaTerminal: boolean;
  renewing?: RenewingCredentials;
  /** Why no provider could be built (an invalid configuration); thrown on use. */
  buildError?: unknown;
}

/**
 * The profiles of one server (contracts.ts ProfileSessions): one entry per profile name, kept for the server's
 * life, each with its own provider, single flight and background renewal (renewingCredentials.ts), so a request for
 * one profile never waits on another's sign-in. Questions of profiles chosen in the web page become
 * AuthenticationRequired (core.md §9.6); with --headless they are asked on the terminal, one at a time.
 */
export function createProfileSessions(d: ProfileSessionsDeps): ServeSessions {
  const { env, logger } = d;
  const terminal = serializedPrompter(d.terminal);
  const named = new Map<string, Entry>();
  const logins = new Map<string, Login>();
  let active: Entry | undefined;
  let initialName: string | undefined;
  let initialOverrides: Partial<ProfileSettings> = {};
  let closed = false;

  const label = (key: string): string => (key === "" ? "the custom profile" : `profile '${key}'`);

  const prompterFor = (entry: Entry): Prompter => {
    const browser = browserPrompter(() => usernameOf(entry.profile));
    const pick = (): Prompter => (d.headless || entry.viaTerminal ? terminal : browser);
    return { text: (m) => pick().text(m), secret: (m) => pick().secret(m) };
  };

  /** The overrides a login given in the web page adds to a profile that signs in at that IdP. */
  const loginOverrides = (p: ResolvedProfile): Partial<ProfileSettings> => {
    const url = idpUrl(p);
    const login = url === undefined ? undefined : logins.get(url);
    if (login === undefined) return {};
    return {
      samlUsername: login.username,
      webIdentityUsername: login.username,
      samlPassword: login.password,
      webIdentityPassword: login.password,
    };
  };

  const namedResolver = (name: string) => (files: SharedFiles, extra: Partial<ProfileSettings>): ResolvedProfile => {
    const own = name === initialName ? initialOverrides : {};
    const first = resolveProfile(name, files, env, { ...own, ...extra });
    const login = loginOverrides(first);
    return Object.keys(login).length === 0 ? first : resolveProfile(name, files, env, { ...own, ...login, ...extra });
  };

  const customResolver = (custom: ResolvedProfile) => (_files: SharedFiles, extra: Partial<ProfileSettings>): ResolvedProfile => ({
    ...custom,
    settings: { ...custom.settings, ...defined(loginOverrides(custom)), ...defined(extra) },
  });

  const newRenewing = (entry: Entry, provider: CredentialProvider): RenewingCredentials =>
    createRenewingCredentials({
      provider,
      clock: d.clock,
      logger,
      label: label(entry.key),
      keepAlive: () => active === entry,
      ...(d.timers === undefined ? {} : { timers: d.timers }),
      ...(d.leadMs === undefined ? {} : { leadMs: d.leadMs }),
    });

  /** An entry for a profile already resolved; a configuration no provider can be built from is kept as buildError. */
  const newEntry = (key: string, resolve: Entry["resolve"], profile: ResolvedProfile, files: SharedFiles,
    viaTerminal: boolean): Entry => {
    for (const w of profile.warnings) logger.warn(w);
    const entry: Entry = { key, resolve, profile, fingerprint: fingerprint(profile), viaTerminal };
    try {
      validateProfile(profile);
      entry.renewing = newRenewing(entry, d.buildProvider(profile, files, prompterFor(entry)));
      if (closed) entry.renewing.stop();
    } catch (e) {
      entry.buildError = e;
    }
    return entry;
  };

  /** A provider of the entry's profile with `extra` on top (an MFA code), for one fetch. */
  const providerWith = (entry: Entry, extra: Partial<ProfileSettings>): CredentialProvider => {
    const files = d.loadFiles();
    const profile = entry.resolve(files, extra);
    validateProfile(profile);
    return d.buildProvider(profile, files, prompterFor(entry));
  };

  /** Rebuilds the entry's own provider (a login was given or taken back). */
  const rebuild = (entry: Entry): CredentialProvider => {
    const files = d.loadFiles();
    const profile = entry.resolve(files, {});
    validateProfile(profile);
    const provider = d.buildProvider(profile, files, prompterFor(entry));
    entry.profile = profile;
    entry.fingerprint = fingerprint(profile);
    renewingOf(entry).setProvider(provider);
    return provider;
  };

  const renewingOf = (entry: Entry): RenewingCredentials => {
    if (entry.renewing === undefined) throw entry.buildError ?? new Error(`no provider for ${label(entry.key)}`);
    return entry.renewing;
  };

  const requireActive = (): Entry => {
    if (active === undefined) throw new ProfileNotSet(d.uiUrl());
    return active;
  };

  const setActive = (entry: Entry | undefined): void => {
    const previous = active;
    active = entry;
    // The ad-hoc profile is not kept once another one is chosen; named ones are (ECS /credentials/<name>).
    if (previous !== undefined && previous !== entry && previous.key === "") previous.renewing?.stop();
  };

  /** The named profile's entry: the kept one when the files still resolve it the same, else a new one. */
  const namedEntry = (name: string, viaTerminal: boolean): Entry => {
    const files = d.loadFiles();
    const resolve = namedResolver(name);
    const profile = resolve(files, {});
    const kept = named.get(name);
    if (kept !== undefined && kept.buildError === undefined && kept.fingerprint === fingerprint(profile)) return kept;
    kept?.renewing?.stop();
    const entry = newEntry(name, resolve, profile, files, viaTerminal);
    named.set(name, entry);
    return entry;
  };

  return {
    activeName: () => active?.key,

    summary: () => (active === undefined ? undefined : summaryOf(active.profile)),

    async activate(name) {
      let entry: Entry;
      try {
        entry = namedEntry(name, false);
      } catch (e) {
        // A profile that does not resolve leaves no profile active (core.md §9.5).
        setActive(undefined);
        throw e;
      }
      // Chosen in the web page: from now on its questions go there (core.md §9.3 step 4).
      entry.viaTerminal = false;
      setActive(entry);
      await renewingOf(entry).get({ strict: true });
      return summaryOf(entry.profile);
    },

    async activateInitial(name) {
      const { mfaCode, ...persistent } = d.initialOverrides ?? {};
      initialName = name;
      initialOverrides = persistent;
      const entry = namedEntry(name, !d.headless);
      setActive(entry);
      const renewing = renewingOf(entry);
      // An -o code is good for one sign-in only: later refreshes ask again rather than resend it.
      if (mfaCode !== undefined && mfaCode !== "") await renewing.fetchWith(providerWith(entry, { mfaCode }));
      else await renewing.get({ strict: true });
    },

    async credentials(name): Promise<Credentials> {
      if (name === undefined) return renewingOf(requireActive()).get();
      let entry = named.get(name);
      if (entry === undefined || entry.buildError !== undefined) {
        entry = namedEntry(name, false);
        // Not kept: the next request tries again, after the user fixed the file.
        if (entry.buildError !== undefined) named.delete(name);
      }
      return renewingOf(entry).get();
    },

    roleArn(name) {
      const entry = name === undefined ? active : named.get(name);
      return entry?.profile.settings.roleArn;
    },

    async supplyLogin(username, password) {
      const entry = requireActive();
      renewingOf(entry);
      const url = idpUrl(entry.profile);
      if (url === undefined) {
        throw new RunasError("INVALID_CONFIG",
          `${label(entry.key)} does not sign in at an identity provider: it needs no username or password`);
      }
      const previous = logins.get(url);
      const restore = (): void => {
        if (previous === undefined) logins.delete(url);
        else logins.set(url, previous);
        try {
          rebuild(entry);
        } catch {
          // The profile built before this login; it builds the same way again.
        }
      };
      // Kept in memory for later rebuilds and renewals, as upstream keeps command-line credentials.
      logins.set(url, { username, password });
      let provider: CredentialProvider;
      try {
        provider = rebuild(entry);
      } catch (e) {
        restore();
        throw e;
      }
      try {
        await renewingOf(entry).fetchWith(provider);
      } catch (e) {
        // An MFA code still to come means the password was right; anything else, and it is not kept.
        if (!(isAuthenticationRequired(e) && e.kind === "MFA")) restore();
        throw e;
      }
    },

    async supplyMfa(code) {
      const entry = requireActive();
      const renewing = renewingOf(entry);
      // The code goes into a provider built for this one fetch: a later renewal never resends it.
      await renewing.fetchWith(providerWith(entry, { mfaCode: code }));
    },

    async refresh() {
      renewingOf(requireActive()).invalidate();
    },

    listRoles: () => profileLists(d.loadFiles()).roles,
    listProfiles: () => profileLists(d.loadFiles()).profiles,

    async useCustom(form: CustomProfileForm) {
      const files = d.loadFiles();
      const custom = customProfile(form, { ...(active === undefined ? {} : { base: active.profile }), files, env });
      const resolve = customResolver(custom);
      const entry = newEntry("", resolve, resolve(files, {}), files, false);
      if (entry.buildError !== undefined) throw entry.buildError;
      setActive(entry);
    },

    async saveCustom(name, form) {
      const profileName = name.trim();
      if (profileName === "") throw new RunasError("INVALID_VALUE", "Invalid profile name: give the name to save the profile as");
      const saved = savedProfile(form);
      const section = profileName === "default" ? "default" : `profile ${profileName}`;
      await writeIni(d.paths.configPath, d.locker, (text) => setSectionValues(text, section, CUSTOM_PROFILE_KEYS, saved.values),
        `the profile '${profileName}'`);
      if (saved.password !== undefined) {
        const { url, key, password } = saved.password;
        const blob = encodePassword(password, url, d.passwordCost ?? STORED_COST);
        await writeIni(d.paths.credentialsPath, d.locker, (text) => setSectionValues(text, url, [key], { [key]: blob }),
          "the identity provider password");
      }
    },

    close() {
      closed = true;
      for (const entry of named.values()) entry.renewing?.stop();
      active?.renewing?.stop();
    },
  };
}

/** Read-modify-write of a shared file (locked, atomic, 0600, every other byte kept); failures name the file. */
async function writeIni(path: string, locker: Locker, edit: (text: string) => string, what: string): Promise<void> {
  try {
    await updateIniFile(path, locker, edit);
  } catch (e) {
    if (isRunasError(e)) throw e;
    throw new RunasError("FILE_WRITE", `cannot save ${what} in ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e });
  }
}

/** The identity provider a profile signs in at, if any. */
function idpUrl(p: ResolvedProfile): string | undefined {
  return p.settings.samlAuthUrl ?? p.settings.webIdentityAuthUrl;
}

function isOidc(p: ResolvedProfile): boolean {
  const s = p.settings;
  return s.webIdentityClientId !== undefined || (s.webIdentityAuthUrl !== undefined && s.samlAuthUrl === undefined);
}

/** The username prefilled in the page's dialog: the SAML one, or the OIDC one of an OIDC profile. */
function usernameOf(p: ResolvedProfile): string {
  return (isOidc(p) ? p.settings.webIdentityUsername : p.settings.samlUsername) ?? "";
}

/** GET /profile (core.md §9.5): the SAML URL and username, unless an OIDC client id is configured. */
function summaryOf(p: ResolvedProfile): ProfileSummary {
  const s = p.settings;
  const oidc = isOidc(p);
  return {
    auth_url: (oidc ? s.webIdentityAuthUrl : s.samlAuthUrl) ?? "",
    client_id: s.webIdentityClientId ?? "",
    external_id: s.externalId ?? "",
    jump_role: s.jumpRoleArn ?? "",
    redirect_uri: s.webIdentityRedirectUri ?? "",
    role_arn: s.roleArn ?? "",
    ...(s.sourceProfile === undefined ? {} : { source_profile: s.sourceProfile }),
    username: usernameOf(p),
  };
}

/**
 * GET /list-roles and /list-profiles (core.md §9.5): config profiles with a role_arn key (even empty) are roles;
 * every other profile (`default` always, and credentials-file profiles, which make good source profiles) is listed
 * with the profiles. Sorted.
 */
function profileLists(files: SharedFiles): { roles: string[]; profiles: string[] } {
  const roles = new Set<string>();
  const others = new Set<string>(["default"]);
  for (const section of files.config.sections) {
    const header = configProfileHeader(section.header);
    if (header === undefined) continue;
    if (section.entries.some((e) => e.key === "role_arn")) roles.add(header.name);
    else others.add(header.name);
  }
  // Sections named by an IdP URL hold stored passwords, not profiles.
  for (const section of files.credentials.sections) if (!section.header.includes("://")) others.add(section.header);
  return { roles: [...roles].sort(), profiles: [...others].filter((n) => !roles.has(n)).sort() };
}

/** What a profile resolved to, compared to tell whether a kept entry still matches the files. */
function fingerprint(p: ResolvedProfile): string {
  return JSON.stringify([p.name, p.settings, p.staticKeys ?? null, p.source === undefined ? null : fingerprint(p.source)]);
}

function defined(o: Partial<ProfileSettings>): Partial<ProfileSettings> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as Partial<ProfileSettings>;
}
