import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import type { Env } from "../ports.js";
import { keyFindings, maskKeyId } from "./accessKeys.js";
import { error, info, isFailure } from "./finding.js";
import type { Finding } from "./finding.js";
import { sectionOf } from "./idpCheck.js";

/**
 * The IAM part of the profile check (core.md §8 step 4) for profiles without an IdP URL: which profile's credentials
 * the flow stands on (the end of the source_profile chain, as providers/providerForProfile.ts builds it), whether they
 * are there and well-formed, and whether AWS key variables in the environment compete with them. Upstream only
 * looked in the credentials file; keys in the config file and credential_process / IAM Identity Center settings are
 * used by this aws-runas, so they count as credentials here too.
 */
export function iamFindings(
  profile: ResolvedProfile,
  ctx: { env: Env; files: SharedFiles; defaultProfile?: ResolvedProfile },
): Finding[] {
  if (profile.name === "") return arnFindings(profile, ctx);

  const chain: ResolvedProfile[] = [profile];
  let base = profile;
  while (base.source !== undefined) {
    base = base.source;
    chain.push(base);
  }
  const found: Finding[] = [];
  if (chain.length > 1) {
    found.push(
      info(
        `profile '${profile.name}' stands on the credentials of profile '${base.name}' ` +
          `(source_profile chain ${chain.map((p) => p.name).join(" -> ")})`,
      ),
    );
  }

  if (base.staticKeys === undefined && !usesSdkCredentials(base)) {
    if (base === profile && profile.settings.roleArn !== undefined) {
      found.push(
        error(
          `missing source_profile configuration for profile '${profile.name}': add source_profile = <a profile with ` +
            `keys> to ${sectionOf(profile)}, or give the profile its own aws_access_key_id and aws_secret_access_key`,
        ),
      );
      return found;
    }
    found.push(missingKeys(base, ctx.files));
    return found;
  }

  if (base.staticKeys !== undefined) {
    const where = keysLocation(base, ctx.files);
    const problems = keyFindings(base.staticKeys, {
      accessKeyId: "aws_access_key_id",
      secretAccessKey: "aws_secret_access_key",
      sessionToken: "aws_session_token",
      where: ` in ${where}`,
    });
    found.push(...problems);
    if (problems.some(isFailure)) return found;
    if (problems.length === 0) found.push(info(`profile credentials appear sane (aws_access_key_id ${maskKeyId(base.staticKeys.accessKeyId)} in ${where})`));
    const envKey = ctx.env["AWS_ACCESS_KEY_ID"] ?? "";
    if (envKey !== "") {
      found.push(
        error(
          "detected AWS credential environment variables and profile credentials, this may confuse aws-runas: " +
            `AWS_ACCESS_KEY_ID (${maskKeyId(envKey)}) is set, while profile '${base.name}' has keys of its own, which ` +
            "aws-runas uses; other AWS tools prefer the variables, so unset AWS_ACCESS_KEY_ID, " +
            "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN",
        ),
      );
      return found;
    }
  } else {
    found.push(info(`profile '${base.name}' gets its credentials from ${sdkSource(base)} through the AWS SDK`));
  }
  found.push(info("credentials appear sane"));
  return found;
}

/** credential_process and IAM Identity Center settings: the AWS SDK resolves these (providers/baseCredentials.ts). */
function usesSdkCredentials(p: ResolvedProfile): boolean {
  const s = p.settings;
  return s.credentialProcess !== undefined || s.ssoSession !== undefined || s.ssoStartUrl !== undefined;
}

function sdkSource(p: ResolvedProfile): string {
  return p.settings.credentialProcess !== undefined ? "credential_process" : "IAM Identity Center (sso_session / sso_start_url)";
}

/** `[name] of <credentials file>` when the keys are there, else the profile's section of the config file. */
function keysLocation(p: ResolvedProfile, files: SharedFiles): string {
  const inCredentials = files.credentials.sections.some(
    (s) => s.header === p.name && s.entries.some((e) => e.key === "aws_access_key_id" && e.value !== ""),
  );
  return inCredentials ? `[${p.name}] of ${files.paths.credentialsPath}` : `${sectionOf(p)} of ${files.paths.configPath}`;
}

/** Upstream's "incomplete or missing credentials", saying which of the section and the two keys is missing. */
function missingKeys(p: ResolvedProfile, files: SharedFiles): Finding {
  const path = files.paths.credentialsPath;
  const entries = files.credentials.sections.filter((s) => s.header === p.name).flatMap((s) => s.entries);
  const prefix = `incomplete or missing credentials for profile '${p.name}'`;
  if (entries.length === 0) {
    return error(
      `${prefix}: there is no [${p.name}] section in ${path}; add one with aws_access_key_id and ` +
        "aws_secret_access_key, or give the profile a source_profile that has them",
    );
  }
  const absent = ["aws_access_key_id", "aws_secret_access_key"].filter(
    (k) => !entries.some((e) => e.key === k && e.value !== ""),
  );
  return error(`${prefix}: [${p.name}] in ${path} has no ${absent.join(" and ")}; add ${absent.length > 1 ? "them" : "it"}`);
}

/**
 * A role ARN given instead of a profile (core.md §1.5) stands on the environment's keys, then [default]'s, then the
 * AWS SDK's default chain (providers/baseCredentials.ts); the environment check has already looked at the variables.
 */
function arnFindings(profile: ResolvedProfile, ctx: { env: Env; files: SharedFiles; defaultProfile?: ResolvedProfile }): Finding[] {
  const env = ctx.env;
  if ((env["AWS_ACCESS_KEY_ID"] ?? "") !== "" && (env["AWS_SECRET_ACCESS_KEY"] ?? "") !== "") {
    return [info(`role ${profile.settings.roleArn ?? ""} is assumed with the keys of the AWS_ACCESS_KEY_ID variables`)];
  }
  const keys = ctx.defaultProfile?.staticKeys;
  if (keys === undefined) {
    return [info(`role ${profile.settings.roleArn ?? ""} is assumed with the credentials the AWS SDK default chain finds`)];
  }
  const where = keysLocation(ctx.defaultProfile ?? profile, ctx.files);
  const problems = keyFindings(keys, {
    accessKeyId: "aws_access_key_id",
    secretAccessKey: "aws_secret_access_key",
    sessionToken: "aws_session_token",
    where: ` in ${where}`,
  });
  if (problems.length > 0) return problems;
  return [info(`profile credentials appear sane (aws_access_key_id ${maskKeyId(keys.accessKeyId)} in ${where})`)];
}
