import type { Credentials } from "../domain/credentials.js";
import type { Clock, Logger } from "../ports.js";
import type { StsApi } from "./stsApi.js";

/** Characters STS accepts in a RoleSessionName; anything else becomes "-". */
const INVALID = /[^\w+=,.@-]/g;

function sanitize(name: string): string {
  return name.replace(INVALID, "-").slice(0, 64);
}

/**
 * The RoleSessionName for AssumeRole (core.md §3.7): role_session_name when it has at least 2 characters; else the
 * caller's name from GetCallerIdentity made with the credentials that will assume the role (the IAM user name, or
 * the session name of a chained role); else the OS login name; else the current time in nanoseconds.
 */
export function roleSessionNameResolver(init: {
  configured?: string;
  sts: () => Promise<StsApi>;
  osUser: () => string | undefined;
  clock: Clock;
  logger: Logger;
}): (source: Credentials) => Promise<string> {
  return async (source) => {
    if (init.configured !== undefined && init.configured.length >= 2) return sanitize(init.configured);
    try {
      const identity = await (await init.sts()).getCallerIdentity(source);
      const last = identity.arn.split("/").pop() ?? "";
      if (last.length >= 2) return sanitize(last);
    } catch (e) {
      init.logger.error(`error calling GetCallerIdentity: ${e instanceof Error ? e.message : String(e)}`);
    }
    const user = init.osUser();
    if (user !== undefined && user.length >= 2) return sanitize(user);
    return `${BigInt(init.clock.now().getTime()) * 1_000_000n}`;
  };
}
