import { RunasError, isRunasError } from "../../domain/errors.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { selectSubcommandProfile } from "../profileArg.js";
import { setSectionValues } from "../../config/iniEdit.js";
import { encodePassword } from "../../config/passwordObfuscation.js";
import { resolveProfile } from "../../config/resolveProfile.js";
import { loadSharedFiles, sharedFilePaths } from "../../config/sharedFiles.js";
import { displayIdpUrl, PASSWORD_KEY } from "../../config/storedPassword.js";
import type { IdpKind } from "../../config/storedPassword.js";
import { updateIniFile } from "../../config/updateIniFile.js";

/** The scrypt cost upstream's `password` command writes (core.md §7.1 step 3). */
const STORED_COST = 18;

/** Options of runPassword that exist for tests only. */
export interface PasswordOptions {
  /** Test seam: the scrypt cost, so tests run at cost 10 instead of the ~1 s of the real cost 18. */
  cost?: number;
}

/**
 * `aws-runas password [profile]` (core.md §7.1): asks for the profile's IdP password (or takes -P / the password
 * variables) and stores it obfuscated, keyed by the IdP URL, in the shared credentials file. `options` is a test seam.
 */
export async function runPassword(
  cl: CommandLine,
  env: Env,
  deps: AppDeps,
  logger: Logger,
  options: PasswordOptions = {},
): Promise<number> {
  const selection = selectSubcommandProfile(cl.positionals, env, 1);
  const paths = sharedFilePaths(env, deps.homeDir);
  const profile = resolveProfile(selection.profile, loadSharedFiles(paths), env, cl.options.overrides);
  for (const w of profile.warnings) logger.warn(w);

  const name = profile.name === "" ? "default" : profile.name;
  const where = name === "default" ? "[default]" : `[profile ${name}]`;
  const { samlAuthUrl, webIdentityAuthUrl } = profile.settings;
  if (samlAuthUrl !== undefined && webIdentityAuthUrl !== undefined) {
    throw new RunasError(
      "INVALID_CONFIG",
      `profile '${name}' sets both saml_auth_url and web_identity_auth_url; keep one`,
    );
  }
  const idp: { url: string; kind: IdpKind } | undefined =
    samlAuthUrl !== undefined
      ? { url: samlAuthUrl, kind: "saml" }
      : webIdentityAuthUrl !== undefined
        ? { url: webIdentityAuthUrl, kind: "web" }
        : undefined;
  if (idp === undefined) {
    throw new RunasError(
      "INVALID_CONFIG",
      `profile '${name}' has no identity provider: set saml_auth_url or web_identity_auth_url in ${where}`,
    );
  }

  const given = idp.kind === "saml" ? profile.settings.samlPassword : profile.settings.webIdentityPassword;
  // A terminal reads without echo; a pipe gives one line (decision Q-15), where upstream stored an empty password.
  const password = given !== undefined && given !== "" ? given : await deps.prompter().secret("Password: ");
  if (password === "") {
    throw new RunasError("INVALID_VALUE", "no password given: type it at the prompt or pass it with -P; nothing was stored");
  }

  const key = PASSWORD_KEY[idp.kind];
  const blob = encodePassword(password, idp.url, options.cost ?? STORED_COST);
  try {
    await updateIniFile(paths.credentialsPath, deps.locker, (text) =>
      setSectionValues(text, idp.url, [key], { [key]: blob }),
    );
  } catch (e) {
    if (isRunasError(e)) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new RunasError("FILE_WRITE", `cannot store the password in ${paths.credentialsPath}: ${reason}`, { cause: e });
  }
  logger.info(`password for ${displayIdpUrl(idp.url)} stored in ${paths.credentialsPath}`);
  return 0;
}
