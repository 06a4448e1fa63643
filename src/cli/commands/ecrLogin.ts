import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { selectSubcommandProfile } from "../profileArg.js";
import { profileProvider } from "../profileProvider.js";
import { requireRegion } from "../profileRegion.js";
import { stsLoader } from "../stsLoader.js";
import { loadSharedFiles, sharedFilePaths } from "../../config/sharedFiles.js";
import { resolveProfile } from "../../config/resolveProfile.js";
import { validateProfile } from "../../config/validateProfile.js";
import { dockerLogin, type ProcessRunner } from "../../ecr/dockerLogin.js";
import type { EcrFactory } from "../../ecr/ecrApi.js";
import { accountEndpoint, ecrEndpoint } from "../../ecr/ecrEndpoint.js";
import { loginToRegistries } from "../../ecr/loginToRegistries.js";
import { runWithInput } from "../../ecr/runWithInput.js";
import { serviceEndpoint } from "../../iam/serviceEndpoint.js";
import { expirationLine } from "../../outputs/expiration.js";

/** Options of runEcrLogin that exist for tests only. */
export interface EcrLoginOptions {
  /** Test seam: the ECR adapter; by default the SDK one, loaded from dist/ecr.cjs on first use. */
  ecr?: EcrFactory;
  /** Test seam: how docker is started; by default a real child process. */
  run?: ProcessRunner;
}

const loadEcr: EcrFactory = async (target, credentials, logger) =>
  (await import("../../lazy/ecr.js")).createEcrApi(target, credentials, logger);

/**
 * `ecr login profile [endpoint ...]` (core.md §11): the profile's credentials exactly as the default action gets them
 * (cache, MFA, -r, -s), -e and -w as there, then `docker login` to each registry (an account id or a registry host),
 * or to the caller's own account in the profile's region when none is given. aws-runas prints nothing itself on
 * success; docker prints "Login Succeeded".
 */
export async function runEcrLogin(cl: CommandLine, env: Env, deps: AppDeps, logger: Logger, options: EcrLoginOptions = {}): Promise<number> {
  const o = cl.options;
  // With any positional the first is the profile, even with AWS_PROFILE set; the rest are registries.
  const { profile: name, rest: args, fromEnv } = selectSubcommandProfile(cl.positionals, env, 1);
  const paths = sharedFilePaths(env, deps.homeDir);
  const files = loadSharedFiles(paths);
  const profile = resolveProfile(name, files, env, o.overrides, { sessionOnly: o.sessionOnly });
  for (const w of profile.warnings) logger.warn(w);
  validateProfile(profile);

  // The arguments are checked before any credentials are fetched: a typo must not cost an MFA prompt.
  const region = profile.settings.region;
  const given = args.map((arg) => ecrEndpoint(arg, region));
  const ownRegion = given.length === 0 ? requireRegion(profile, { because: "so its ECR registry is unknown", orElse: "give the registry host as an argument" }) : undefined;

  const sts = stsLoader(profile, env, deps, logger);
  const creds = await profileProvider({ profile, files, paths, env, deps, logger, sts })({ forceRefresh: o.refresh });
  if (o.expiration) deps.out.stderr(expirationLine(creds.expiration, deps.clock.now()));
  let account: string | undefined;
  if (o.whoami) {
    const id = await (await sts()).getCallerIdentity(creds);
    logger.info(`{UserId:${id.userId} Arn:${id.arn} Account:${id.account}}`);
    account = id.account;
  }
  // No registry given: the caller's own account (GetCallerIdentity with these credentials; -w already asked).
  const endpoints = ownRegion === undefined
    ? given
    : [accountEndpoint(account ?? (await (await sts()).getCallerIdentity(creds)).account, ownRegion)];

  const ecrEndpointUrl = serviceEndpoint(env, "ECR", profile.settings.endpointUrl);
  const ecr = await (options.ecr ?? loadEcr)(ecrEndpointUrl === undefined ? {} : { endpoint: ecrEndpointUrl }, creds, logger);
  await loginToRegistries(endpoints, {
    authorizationToken: (r) => ecr.authorizationToken(r),
    docker: dockerLogin(options.run ?? runWithInput, fromEnv ? withoutProfileVars(env) : env),
    logger,
  });
  return 0;
}

/**
 * A profile taken from AWS_PROFILE / AWS_DEFAULT_PROFILE is removed from what children see (core.md §1.4): a docker
 * credential helper must not pick up a profile other than the one logged in with.
 */
function withoutProfileVars(env: Env): Env {
  const { AWS_PROFILE: _p, AWS_DEFAULT_PROFILE: _d, ...rest } = env;
  return rest;
}
