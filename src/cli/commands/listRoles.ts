import { RunasError } from "../../domain/errors.js";
import type { Env, Logger } from "../../ports.js";
import type { AppDeps } from "../appDeps.js";
import type { CommandLine } from "../argv.js";
import { profileKind } from "../../providers/providerForProfile.js";
import { lazyIdpAccess } from "../lazyIdpAccess.js";
import { listedProfile, printIamUserRoles, type ListIamOptions } from "./listIam.js";

/**
 * `list roles [profile]` / `-l` (core.md §6.1, idp.md §10.6): for a SAML profile, the roles its assertion grants,
 * sorted, under "Available role ARNs for <user>"; for an IAM user or role profile, the roles the IAM user's policies
 * allow it to assume (listIam.ts). A web-identity token names no roles, so that is a clear error. `options` is a
 * test seam.
 */
export async function runListRoles(cl: CommandLine, env: Env, deps: AppDeps, logger: Logger, options: ListIamOptions = {}): Promise<number> {
  const { name, profile, files } = listedProfile(cl, env, deps, logger);

  const kind = profileKind(profile);
  if (kind === "web-identity") {
    throw new RunasError(
      "INVALID_CONFIG",
      "an OIDC id token does not list roles, so roles cannot be listed for this profile: " +
        "detected Web Identity profile, only IAM and SAML profiles support role enumeration",
    );
  }
  if (kind !== "saml") return printIamUserRoles({ profile, named: name !== "", files, env, deps, logger, ...options });
  const assertion = await lazyIdpAccess(profile, files, deps, logger).samlAssertion();
  const roles = [...new Set(assertion.roles().map((r) => r.role))].filter((r) => !r.includes("*")).sort();
  const who = assertion.roleSessionName() ?? profile.settings.samlUsername ?? "";
  deps.out.stdout(`Available role ARNs for ${who}\n${roles.map((r) => `  ${r}\n`).join("")}`);
  return 0;
}
