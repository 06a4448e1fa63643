/** How a subcommand flag's argument is read: `bool` takes none (but accepts `=true|false`), `port` takes 0–65535. */
export type CommandFlagType = "bool" | "port";

/** A flag of one subcommand; global flags are not accepted after the subcommand name (core.md §1.1 rule 6). */
export interface CommandFlagDef {
  long: string;
  short?: string;
  type: CommandFlagType;
  help: string;
  defaultText?: string;
}

/**
 * One node of the subcommand tree: a group (with `children`) or a leaf the caller runs. It holds what the parser
 * needs; the one-line usage and the description, which only `help` and completion show, are in commandDocs.ts so
 * that the entry bundle every `credential_process` call loads does not carry them.
 */
export interface CommandNode {
  name: string;
  aliases: readonly string[];
  /** What follows the flags, e.g. `[profile_name]`; absent for groups. */
  argsUsage?: string;
  flags: readonly CommandFlagDef[];
  children?: readonly CommandNode[];
  /** Left out of command lists (the `update` command, reached through `-u`). */
  hidden?: boolean;
}

/** Every command accepts it; the parser turns it into `commandHelp` rather than a command flag. */
export const HELP_FLAG: CommandFlagDef = { long: "help", short: "h", type: "bool", help: "show help" };

/** Name, aliases and arguments of the `help` command, which also exists inside every group (`aws-runas ssm help`). */
export const HELP_COMMAND: CommandNode = {
  name: "help",
  aliases: ["h"],
  argsUsage: "[command]",
  flags: [],
};

const portFlag = (help: string, defaultText: string): CommandFlagDef =>
  ({ long: "port", short: "p", type: "port", help, defaultText });
const headlessFlag: CommandFlagDef = { long: "headless", short: "H", type: "bool",
  help: "ask for MFA codes and passwords on this terminal instead of in the web page" };
const pluginFlag: CommandFlagDef = { long: "plugin", short: "P", type: "bool",
  help: "use AWS's session-manager-plugin instead of the built-in session client" };

/**
 * The subcommands of core.md §1.3 with their aliases, flags and arguments, in help order; their texts are in
 * commandDocs.ts. `--imdsv2-only` and `--no-auth` are the server switches of decisions.md "Servers".
 */
export const COMMAND_TREE: readonly CommandNode[] = [
  {
    name: "list", aliases: ["ls"], flags: [],
    children: [
      { name: "mfa", aliases: [], argsUsage: "[profile_name]", flags: [] },
      { name: "roles", aliases: [], argsUsage: "[profile_name]", flags: [] },
    ],
  },
  {
    name: "serve", aliases: ["srv"], flags: [],
    children: [
      { name: "ec2", aliases: [], argsUsage: "[profile_name]",
        flags: [
          portFlag("port on 127.0.0.1 to listen on; 0 picks a free port", "169.254.169.254:80"),
          headlessFlag,
          { long: "imdsv2-only", type: "bool", help: "refuse IMDSv1 requests that carry no session token" },
        ] },
      { name: "ecs", aliases: [], argsUsage: "[profile_name]",
        flags: [
          portFlag("port on 127.0.0.1 to listen on; 0 picks a free port", "12319"),
          headlessFlag,
          { long: "no-auth", type: "bool",
            help: "require no token (and serve the EC2 routes too): any local process can read the credentials" },
        ] },
    ],
  },
  {
    name: "ssm", aliases: [], flags: [],
    children: [
      { name: "shell", aliases: ["sh"], argsUsage: "profile_name target_spec", flags: [pluginFlag] },
      { name: "forward", aliases: ["fwd"], argsUsage: "profile_name target_spec:remote_port",
        flags: [portFlag("local port to listen on", "random port"), pluginFlag] },
      { name: "ssh", aliases: [], argsUsage: "profile_name [user@]target_spec[:port]",
        flags: [
          { long: "ec2ic", type: "bool", help: "send your SSH public key with EC2 Instance Connect first" },
          pluginFlag,
        ] },
    ],
  },
  {
    name: "ecr", aliases: [], flags: [],
    children: [
      { name: "login", aliases: [], argsUsage: "profile_name [ECR endpoint ...]", flags: [] },
    ],
  },
  { name: "password", aliases: ["passwd", "pw"], argsUsage: "profile_name", flags: [] },
  { name: "diagnose", aliases: ["diag"], argsUsage: "[profile_name]", flags: [] },
  { name: "completion", aliases: [], argsUsage: "bash|zsh|fish", flags: [] },
  { name: "update", aliases: [], flags: [], hidden: true },
  { name: "__complete", aliases: [], argsUsage: "-- [word ...]", flags: [], hidden: true },
];

/** The node named `word` (by name or alias) among `nodes`, if any. */
export function findCommand(nodes: readonly CommandNode[], word: string): CommandNode | undefined {
  return nodes.find((n) => n.name === word || n.aliases.includes(word));
}

/** The commands reachable below `group` (the top level when undefined), `help` included as in every group. */
export function childCommands(group?: CommandNode): readonly CommandNode[] {
  if (group === undefined) return [...COMMAND_TREE, HELP_COMMAND];
  return group.children === undefined ? [] : [...group.children, HELP_COMMAND];
}

/** The node at a path of names or aliases from the top (`["ls", "roles"]`), or undefined when there is none. */
export function commandAt(path: readonly string[]): CommandNode | undefined {
  let node: CommandNode | undefined;
  for (const word of path) {
    node = findCommand(childCommands(node), word);
    if (node === undefined) return undefined;
  }
  return node;
}
