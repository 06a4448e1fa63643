import { isRunasError, RunasError } from "../domain/errors.js";
import type { Env, Logger } from "../ports.js";
import type { AppDeps } from "./appDeps.js";
import { parseCommandLine } from "./argv.js";
import { runCredentials } from "./commands/credentials.js";

const PROGRAM = "aws-runas";
const GROUPS = new Set(["list", "serve", "ssm", "ecr"]);

/**
 * The whole program: argv and env in, exit status out. The one place that turns errors into a stderr line and an
 * exit code (design/style-anchors.md rule 8); a stack trace only with -v.
 */
export async function runCli(argv: readonly string[], env: Env, deps: AppDeps): Promise<number> {
  let logger: Logger = deps.logger(0);
  try {
    // Upstream's completion scripts end argv with this flag, which the parser does not know (core.md §1.10).
    if (argv[argv.length - 1] === "--generate-bash-completion") {
      return await (await import("../lazy/completion.js")).runGenerateBashCompletion(argv, env, deps, logger);
    }
    const cl = parseCommandLine(argv, env);
    logger = deps.logger(cl.options.verbose);
    for (const w of cl.warnings) logger.warn(w);
    const o = cl.options;
    // Help texts are loaded only when asked for: the credential_process path should not pay for them.
    const help = () => import("../lazy/help.js");
    if (o.version) {
      deps.out.stdout((await help()).versionText(PROGRAM, deps.version));
      return 0;
    }
    const [first] = cl.command;
    if (first === "help") {
      const { appHelp, commandHelp } = await help();
      deps.out.stdout(cl.command.length > 1 ? commandHelp(cl.command.slice(1), PROGRAM) : appHelp(PROGRAM, deps.version));
      return 0;
    }
    if (o.help && first === undefined) {
      deps.out.stdout((await help()).appHelp(PROGRAM, deps.version));
      return 0;
    }
    if (first !== undefined) {
      if (cl.commandHelp || (cl.command.length === 1 && GROUPS.has(first))) {
        deps.out.stdout((await help()).commandHelp(cl.command, PROGRAM));
        return 0;
      }
      const path = cl.command.join(" ");
      if (path === "list roles") return await (await import("../lazy/commands.js")).runListRoles(cl, env, deps, logger);
      if (path === "list mfa") return await (await import("../lazy/commands.js")).runListMfa(cl, env, deps, logger);
      if (path === "password") return await (await import("../lazy/commands.js")).runPassword(cl, env, deps, logger);
      if (path === "diagnose") return await (await import("../lazy/commands.js")).runDiagnose(cl, env, deps, logger);
      if (path === "update") return await (await import("../lazy/commands.js")).runUpdate(cl, env, deps, logger);
      if (path === "ecr login") return await (await import("../lazy/commands.js")).runEcrLogin(cl, env, deps, logger);
      if (path === "ssm shell" || path === "ssm forward" || path === "ssm ssh") {
        return await (await import("../lazy/commands.js")).runSsm(cl, env, deps, logger);
      }
      if (path === "completion") return await (await import("../lazy/completion.js")).runCompletion(cl, env, deps, logger);
      if (path === "__complete") return await (await import("../lazy/completion.js")).runComplete(cl, env, deps, logger);
      if (path === "serve ec2" || path === "serve ecs") return await (await import("../lazy/serve.js")).runServe(cl, env, deps, logger);
      throw notYet(`'${PROGRAM} ${path}'`);
    }
    // Shortcut flags, first match wins (core.md §1.6).
    if (o.listMfa) return await (await import("../lazy/commands.js")).runListMfa(cl, env, deps, logger);
    if (o.listRoles) return await (await import("../lazy/commands.js")).runListRoles(cl, env, deps, logger);
    if (o.update) return await (await import("../lazy/commands.js")).runUpdate(cl, env, deps, logger);
    if (o.diagnose) return await (await import("../lazy/commands.js")).runDiagnose(cl, env, deps, logger);
    return await runCredentials(cl, env, deps, logger);
  } catch (e) {
    return reportError(e, logger);
  }
}

function notYet(what: string): RunasError {
  return new RunasError("NOT_YET_AVAILABLE", `${what} is not available in this version of aws-runas yet`);
}

function reportError(e: unknown, logger: Logger): number {
  const known = isRunasError(e);
  logger.error(known ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}; run again with -v for details`);
  const trace = known ? e.cause : e;
  if (logger.debugEnabled && trace instanceof Error && trace.stack !== undefined) logger.debug(trace.stack);
  return known ? e.exitCode : 1;
}
