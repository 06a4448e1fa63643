/**
 * Commands that are not on the credential_process path, bundled on their own (dist/commands.cjs) so the entry
 * bundle V8 loads on every call stays small.
 */
export { runListMfa } from "../cli/commands/listIam.js";
export { runListRoles } from "../cli/commands/listRoles.js";
export { runPassword } from "../cli/commands/password.js";
export { runDiagnose } from "../cli/commands/diagnose.js";
export { runUpdate } from "../cli/commands/update.js";
export { runEcrLogin } from "../cli/commands/ecrLogin.js";
export { runSsm } from "../cli/commands/ssm.js";
