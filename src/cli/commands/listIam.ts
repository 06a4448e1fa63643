import type { Credentials } from "../../domain/credentials.js";
import { RunasError } from "../../domain/errors.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { looksLikeArn, selectSubcommandProfile } from "../profileArg.js";
import { loadSharedFiles, sharedFilePaths, type SharedFiles } from "../../config/sharedFiles.js";
import { resolveProfile, type ResolvedProfile } from "../../config/resolveProfile.js";
import { validateProfile } from "../../config/validateProfile.js";
import { profileKind } from "../../providers/providerForProfile.js";
import type { IamApi, IamTarget } from "../../iam/iamApi.js";
import { iamUserName } from "../../iam/iamUser.js";
import { mfaDeviceSerials } from "../../iam/mfaDevices.js";
import { serviceEndpoint } from "../../iam/serviceEndpoint.js";
import { iamUserCredentials } from "../../iam/userCredentials.js";
import { listUserRoles } from "../../iam/userRoles.js";

/** Builds the IAM adapter for one user's credentials. */
export type IamFactory = (target: IamTarget, credentials: Credentials, logger: Logger) => Promise<IamApi>;

/** Options of the IAM list commands that exist for tests only. */
export interface ListIamOptions {
  /** Test seam: the IAM adapter; by default the SDK one, loaded from dist/iam.cjs on first use. */
  iam?: IamFactory;
}

/**
 * IAM is global and GetCallerIdentity answers in every region, so a profile without a region can still be listed;
 * us-east-1 is where the AWS CLI signs IAM calls of the aws partition.
 */
const FALLBACK_REGION = "us-east-1";

const loadIam: IamFactory = async (target, credentials, logger) =>
  (await import("../../lazy/iam.js")).createIamApi(target, credentials, logger);

/**
 * The profile `list roles` / `list mfa` (and their shortcuts `-l` / `-m`) work on: the top-level positionals are read
 * exactly as the subcommand's own (core.md §1.4 B); an ARN cannot name an IAM user's profile.
 */
export function listedProfile(
  cl: CommandLine,
  env: Env,
  deps: AppDeps,
  logger: Logger,
): { name: string; profile: ResolvedProfile; files: SharedFiles } {
  const { profile: name } = selectSubcommandProfile(cl.positionals, env, 1);
  if (looksLikeArn(name)) {
    throw new RunasError("INVALID_VALUE", "profile looks like an ARN, check command parameters and environment variables");
  }
  const files = loadSharedFiles(sharedFilePaths(env, deps.homeDir));
  const profile = resolveProfile(name, files, env, cl.options.overrides);
  for (const w of profile.warnings) logger.warn(w);
  validateProfile(profile);
  return { name, profile, files };
}

/**
 * `list mfa [profile]` / `-m` (core.md §6.2): the serial numbers of the IAM user's MFA devices, one per line on
 * stdout, each in the form `mfa_serial` takes. Only IAM profiles have IAM MFA devices.
 */
export async function runListMfa(cl: CommandLine, env: Env, deps: AppDeps, logger: Logger, options: ListIamOptions = {}): Promise<number> {
  const { name, profile, files } = listedProfile(cl, env, deps, logger);
  const kind = profileKind(profile);
  if (kind === "saml" || kind === "web-identity") {
    throw new RunasError(
      "INVALID_CONFIG",
      "detected SAML or Web Identity profile, only IAM profiles support MFA device retrieval; " +
        "MFA for this profile is set up at its identity provider",
    );
  }

  const { userName, iam } = await iamUserSession({ profile, named: name !== "", files, env, deps, logger, ...options });
  const serials = await mfaDeviceSerials(iam, userName);
  if (serials.length === 0) logger.info(`IAM user '${userName}' has no MFA device`);
  else deps.out.stdout(serials.map((s) => `${s}\n`).join(""));
  return 0;
}

/**
 * The IAM half of `list roles` (core.md §6.1), called by runListRoles for session and role profiles: the roles the
 * IAM user's policies allow it to assume, under "Available role ARNs for <user>", two spaces before each ARN.
 */
export async function printIamUserRoles(o: {
  profile: ResolvedProfile;
  /** False when no profile was given at all (no argument, no AWS_PROFILE): the SDK's default chain then applies. */
  named: boolean;
  files: SharedFiles;
  env: Env;
  deps: AppDeps;
  logger: Logger;
  iam?: IamFactory;
}): Promise<number> {
  const { userName, iam } = await iamUserSession(o);
  const roles = await listUserRoles({ iam, userName, logger: o.logger });
  o.deps.out.stdout(`Available role ARNs for ${userName}\n${roles.map((r) => `  ${r}\n`).join("")}`);
  return 0;
}

/**
 * Who the profile's IAM user is, and an IamApi signed as that user. The long-term keys are used directly (never an
 * assumed role, no MFA prompt); GetCallerIdentity names the user and rejects credentials that are not a user's.
 */
async function iamUserSession(o: {
  profile: ResolvedProfile;
  named: boolean;
  files: SharedFiles;
  env: Env;
  deps: AppDeps;
  logger: Logger;
  iam?: IamFactory;
}): Promise<{ userName: string; iam: IamApi }> {
  const { profile, files, env, deps, logger } = o;
  const { configPath, credentialsPath } = files.paths;
  const configuredRegion = profile.settings.region;
  const base = iamUserCredentials(profile, {
    named: o.named,
    env,
    credentialsPath,
    sdk: (name) => () =>
      deps.sdkCredentials({
        profile: name,
        configPath,
        credentialsPath,
        ...(configuredRegion === undefined ? {} : { region: configuredRegion }),
      }),
  });
  logger.debug(`listing with the long-term credentials of ${base.describe}`);
  const credentials = await base.provider();

  const region = configuredRegion ?? FALLBACK_REGION;
  if (configuredRegion === undefined) logger.debug(`no region configured; calling STS and IAM in ${FALLBACK_REGION}`);
  const stsEndpoint = serviceEndpoint(env, "STS", profile.settings.endpointUrl);
  const sts = await deps.sts({ region, ...(stsEndpoint === undefined ? {} : { endpoint: stsEndpoint }) }, logger);
  const identity = await sts.getCallerIdentity(credentials);
  const userName = iamUserName(identity, profile.name);
  logger.debug(`IAM user '${userName}' (${identity.arn})`);

  const iamEndpoint = serviceEndpoint(env, "IAM", profile.settings.endpointUrl);
  const iam = await (o.iam ?? loadIam)({ region, ...(iamEndpoint === undefined ? {} : { endpoint: iamEndpoint }) }, credentials, logger);
  return { userName, iam };
}
