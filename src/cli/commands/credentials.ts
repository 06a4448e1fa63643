import type { Credentials } from "../../domain/credentials.js";
import { RunasError } from "../../domain/errors.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { looksLikeArn, selectDefaultProfile } from "../profileArg.js";
import { loadSharedFiles, sharedFilePaths, type SharedFilePaths } from "../../config/sharedFiles.js";
import { resolveProfile, type ResolvedProfile } from "../../config/resolveProfile.js";
import { validateProfile } from "../../config/validateProfile.js";
import { createCredentialCache } from "../../cache/credentialCache.js";
import { mfaCodeSource } from "../../providers/mfaCode.js";
import { providerForProfile } from "../../providers/providerForProfile.js";
import { lazyIdpAccess } from "../lazyIdpAccess.js";
import type { StsApi } from "../../providers/stsApi.js";
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
  // A role ARN given instead of a profile stands on the environment's keys, then [default]'s (core.md §1.5).
  const defaultProfile = profile.name === "" ? resolveProfile("default", files, {}, {}) : undefined;
  const provider = providerForProfile(profile, {
    sts,
    sdkCredentials: (name) => () =>
      deps.sdkCredentials({
        profile: name,
        configPath: paths.configPath,
        credentialsPath: paths.credentialsPath,
        ...(profile.settings.region === undefined ? {} : { region: profile.settings.region }),
      }),
    cache: createCredentialCache({ dir: paths.cacheDir, logger }),
    cacheDir: paths.cacheDir,
    credentialsPath: paths.credentialsPath,
    locker: deps.locker,
    clock: deps.clock,
    logger,
    mfaCode: mfaCodeSource(profile.settings.mfaCode, deps.prompter()),
    env,
    osUser: deps.osUser,
    ...(defaultProfile === undefined ? {} : { defaultProfile }),
    // Only SAML and web-identity flows use it, and it loads nothing until they do.
    idp: lazyIdpAccess(profile, files, deps, logger),
  });

  const creds = await provider({ forceRefresh: o.refresh });

  if (o.writeCredentials) await writeCredentials(selection.profile, creds, paths, deps, logger);
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

/** The STS adapter for this profile's region and endpoint, loaded once and only when an AWS call is made. */
function stsLoader(profile: ResolvedProfile, env: Env, deps: AppDeps, logger: Logger): () => Promise<StsApi> {
  let api: Promise<StsApi> | undefined;
  return () => {
    api ??= (async () => {
      const region = profile.settings.region;
      if (region === undefined) {
        const where = profile.name === "" || profile.name === "default" ? "[default]" : `[profile ${profile.name}]`;
        throw new RunasError(
          "NO_REGION",
          `no AWS region for profile '${profile.name || "default"}': add "region = us-east-1" (or yours) to ${where} in your config file, or set AWS_REGION`,
        );
      }
      const endpoint = stsEndpoint(env, profile.settings.endpointUrl);
      return deps.sts({ region, ...(endpoint === undefined ? {} : { endpoint }) }, logger);
    })();
    return api;
  };
}

/** Service endpoint overrides as the AWS SDKs define them: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then endpoint_url. */
export function stsEndpoint(env: Env, profileEndpoint: string | undefined): string | undefined {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true") return undefined;
  const pick = [env.AWS_ENDPOINT_URL_STS, env.AWS_ENDPOINT_URL, profileEndpoint].find((v) => v !== undefined && v !== "");
  return pick;
}

/** -c: a failure is a warning and the command carries on, as upstream (core.md §5.6). */
async function writeCredentials(profile: string, creds: Credentials, paths: SharedFilePaths, deps: AppDeps, logger: Logger): Promise<void> {
  const { writeCredentialsProfile } = await import("../../lazy/write.js");
  try {
    const section = await writeCredentialsProfile({ credentialsPath: paths.credentialsPath, profile, creds, locker: deps.locker });
    logger.info(`Credentials written to AWS credentials file under profile: ${section}`);
  } catch (e) {
    logger.warn(`error writing credentials to file: ${e instanceof Error ? e.message : String(e)}`);
  }
}
