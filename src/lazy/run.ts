/** Running a command with the credentials (endpoint, child process), bundled on its own: not on the cached path. */
export { runCommand } from "../cli/commands/runCommand.js";
