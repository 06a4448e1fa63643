import { RunasError } from "../domain/errors.js";
import type { CallerIdentity } from "../providers/stsApi.js";

/**
 * The IAM user name behind a caller identity (core.md §6.1): the last `/` element of the ARN's resource, whose first
 * element is the identity type. `list roles` and `list mfa` read an IAM user's own policies and devices, so any other
 * caller is an error saying which profile to use instead: upstream printed nothing for those (§6.2), which looked
 * like success.
 */
export function iamUserName(identity: CallerIdentity, profileName: string): string {
  const resource = identity.arn.split(":").slice(5).join(":");
  const parts = resource.split("/");
  const type = parts[0] ?? "";
  const name = parts[parts.length - 1] ?? "";
  const profile = `profile '${profileName || "default"}'`;
  if (type === "user" && parts.length >= 2 && name !== "") return name;
  if (type === "assumed-role") {
    throw new RunasError(
      "INVALID_CONFIG",
      `${profile} gives role credentials (${identity.arn}), not an IAM user's: a role's own policies and MFA devices cannot be listed; use the profile that holds the IAM user's access keys`,
    );
  }
  if (type === "root") {
    throw new RunasError(
      "INVALID_CONFIG",
      `${profile} uses the root user of account ${identity.account}, which has no IAM policies or groups: use the profile of an IAM user`,
    );
  }
  throw new RunasError(
    "INVALID_CONFIG",
    `${profile} gives credentials of ${identity.arn || "an unknown identity"}, not of an IAM user: use the profile that holds the IAM user's access keys`,
  );
}
