import { RunasError } from "../../domain/errors.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { looksLikeArn, selectDefaultProfile } from "../profileArg.js";
import { loadSharedFiles, sharedFilePaths } from "../../config/sharedFiles.js";
import { resolveProfile } from "../../config/resolveProfile.js";
import { validateProfile } from "../../config/validateProfile.js";
import { profileProvider } from "../profileProvider.js";
import { stsLoader } from "../stsLoader.js";
import { writeCredentialsFile } from "../writeCredentialsFile.js";
import { toCredentialProcessJson } from "../../outputs/credentialProcess.js";
import { toEnvVars } from "../../outputs/envVars.js";
import { detectShell, renderEnvStatements } from "../../outputs/shellSyntax.js";
import { expirationLine } from "../../outputs/expiration.js";

/**
 * The default action (core.md §5.1): resolve the profile, get credentials (from the cache when fresh), then write
 * them to the credentials file (-c), print them (env statements or credential_process JSON), show expiry (-e) and
 * identity (-w), or run a command with them.
 */
export async function runCredentials(cl: CommandLine, env: Env, deps: AppDeps, logger: Logger): Promise<number> {
  const o = cl.options;
  const selection = selectDefaultProfile(cl.positionals, env);
  if (selection.profile === "") {
    throw new RunasError(
      "NOTHING_TO_DO",
      "nothing to do! give a profile name (aws-runas <profile> [command]) or set AWS_PROFILE; see aws-runas --help",
    );
  }
  const paths = sharedFilePaths(env, deps.homeDir);
  const files = loadSharedFiles(paths);
  const profile = resolveProfile(selection.profile, files, env, o.overrides, { sessionOnly: o.sessionOnly });
  for (const w of profile.warnings) logger.warn(w);
  validateProfile(profile);

  const sts = stsLoader(profile, env, deps, logger);
  const provider = profileProvider({ profile, files, paths, env, deps, logger, sts });

  const creds = await provider({ forceRefresh: o.refresh });

  if (o.writeCredentials) await writeCredentialsFile(selection.profile, creds, paths, deps, logger);
  if (o.output === "json") {
    deps.out.stdout(toCredentialProcessJson(creds));
    return 0;
  }
  if (o.expiration) deps.out.stderr(expirationLine(creds.expiration, deps.clock.now()));
  if (o.whoami) {
    const id = await (await sts()).getCallerIdentity(creds);
    logger.info(`{UserId:${id.userId} Arn:${id.arn} Account:${id.account}}`);
  }

  // AWSRUNAS_PROFILE names the profile for the shell / child; never an ARN (core.md §1.4).
  const runasProfile = looksLikeArn(selection.profile) ? env.AWSRUNAS_PROFILE : selection.profile;
  const region = profile.settings.region;
  const ctx = { ...(region === undefined ? {} : { region }), ...(runasProfile === undefined ? {} : { profile: runasProfile }) };

  if (selection.command.length === 0) {
    deps.out.stdout(renderEnvStatements(toEnvVars(creds, ctx), detectShell(env, deps.platform, o.shell)));
    return 0;
  }
  const { runCommand } = await import("../../lazy/run.js");
  return runCommand(selection.command, {
    env,
    creds,
    provider: () => provider(),
    envMode: o.envCredentials,
    ctx,
    deps,
    logger,
  });
}

