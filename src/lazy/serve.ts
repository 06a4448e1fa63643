/**
 * `serve ec2` / `serve ecs`, bundled on their own (dist/serve.cjs): the HTTP server, the credential routes, the
 * management API and the web page never load on the cached credential path.
 */
import { userInfo } from "node:os";
import type { Env, Logger } from "../ports.js";
import type { AppDeps } from "../cli/appDeps.js";
import type { CommandLine } from "../cli/argv.js";
import { runServe as run } from "../cli/commands/serve.js";

/** Runs the server with this process's signals and exit (the only process access the command needs). */
export function runServe(cl: CommandLine, env: Env, deps: AppDeps, logger: Logger): Promise<number> {
  return run(cl, env, deps, logger, {
    events: {
      on(event, fn) {
        try {
          process.on(event, fn);
        } catch {
          // A signal this platform does not have (Windows): nothing can send it.
        }
      },
    },
    exitNow: (code) => process.exit(code),
    privileged: async () => {
      const m = await import("../lazy/imdsAddressDeps.js");
      return { addressDeps: m.imdsAddressDeps, dropDeps: m.dropPrivilegesDeps, userHome: () => userInfo().homedir };
    },
  });
}
