import { RunasError } from "../domain/errors.js";
import { translateAwsError } from "../providers/awsErrors.js";

const DENIED = new Set(["AccessDenied", "AccessDeniedException"]);

/**
 * An SDK error of ECR GetAuthorizationToken as one line. A denial names the permission the profile's role lacks (the
 * STS wording about trust policies and MFA does not apply here); network, key and expiry problems read as for STS.
 */
export function translateEcrError(e: unknown, ctx: { region: string; where: string }): RunasError {
  const name = (e as { name?: unknown }).name;
  if (typeof name === "string" && DENIED.has(name)) {
    const message = (e as { message?: unknown }).message;
    return new RunasError(
      "STS_ERROR",
      `AWS denied ecr:GetAuthorizationToken in ${ctx.region}` +
        `${typeof message === "string" && message !== "" ? ` (${message})` : ""}: ` +
        "allow ecr:GetAuthorizationToken to the role or user of this profile",
      { cause: e },
    );
  }
  return translateAwsError(e, { operation: `ECR GetAuthorizationToken in ${ctx.region}`, where: ctx.where });
}
