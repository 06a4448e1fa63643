import { RunasError } from "../domain/errors.js";
import { translateAwsError } from "../providers/awsErrors.js";

/** What an IAM call was doing when it failed. */
export interface IamCallContext {
  /** The API operation, e.g. "ListUserPolicies"; the permission is `iam:<operation>`. */
  operation: string;
  /** What it was called on, e.g. "user 'alice'", "group 'devs'", "policy arn:…". */
  on: string;
  /** The endpoint, for "cannot reach" messages. */
  where: string;
}

/** True for IAM's NoSuchEntity (the SDK names it NoSuchEntityException): the entity is gone. */
export function isNoSuchEntity(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === "NoSuchEntityException" || name === "NoSuchEntity";
}

/**
 * One line for a failed IAM call. AccessDenied names the missing permission, which is what the user has to ask for;
 * everything else (bad keys, unreachable endpoint, …) reads as for STS calls (providers/awsErrors.ts).
 */
export function translateIamError(e: unknown, ctx: IamCallContext): RunasError {
  const err = e as { name?: unknown; message?: unknown } | null;
  const name = typeof err?.name === "string" ? err.name : "";
  if (name === "AccessDenied" || name === "AccessDeniedException") {
    const said = typeof err?.message === "string" && err.message !== "" ? ` (AWS said: ${err.message.replace(/\s+/g, " ")})` : "";
    return new RunasError(
      "STS_ERROR",
      `AWS denied iam:${ctx.operation} on ${ctx.on}: allow iam:${ctx.operation} for this IAM user (or ask your AWS administrator to), then run the command again${said}`,
      { cause: e },
    );
  }
  return translateAwsError(e, { operation: `IAM ${ctx.operation}`, where: ctx.where });
}
