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

/** One node of the subcommand tree: a group (with `children`) or a leaf the caller runs. */
export interface CommandNode {
  name: string;
  aliases: readonly string[];
  /** One line for command lists (core.md §1.3). */
  usage: string;
  /** Longer text for the command's own help page. */
  description?: string;
  /** What follows the flags, e.g. `[profile_name]`; absent for groups. */
  argsUsage?: string;
  flags: readonly CommandFlagDef[];
  children?: readonly CommandNode[];
  /** Left out of command lists (the `update` command, reached through `-u`). */
  hidden?: boolean;
}

/** Every command accepts it; the parser turns it into `commandHelp` rather than a command flag. */
export const HELP_FLAG: CommandFlagDef = { long: "help", short: "h", type: "bool", help: "show help" };

/** Name, aliases and usage of the `help` command, which also exists inside every group (`aws-runas ssm help`). */
export const HELP_COMMAND: CommandNode = {
  name: "help",
  aliases: ["h"],
  usage: "Shows a list of commands or help for one command",
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
 * The subcommands of core.md §1.3 with their aliases, flags and arguments, in help order. `--imdsv2-only` and
 * `--no-auth` are the server switches of decisions.md "Servers".
 */
export const COMMAND_TREE: readonly CommandNode[] = [
  {
    name: "list", aliases: ["ls"], usage: "Shows IAM roles or MFA device configuration", flags: [],
    children: [
      { name: "mfa", aliases: [], usage: "list the ARN of the MFA device associated with your IAM account",
        argsUsage: "[profile_name]", flags: [],
        description: "Shows the ARN of the MFA device of the IAM user behind the profile (or its source profile)." },
      { name: "roles", aliases: [], usage: "list role ARNs you are able to assume", argsUsage: "[profile_name]",
        flags: [],
        description: "Shows the roles the profile's identity may assume, found in its IAM policies or, for SAML\n" +
          "profiles, in the SAML assertion." },
    ],
  },
  {
    name: "serve", aliases: ["srv"], usage: "Serve credentials from a listening HTTP service", flags: [],
    children: [
      { name: "ec2", aliases: [], usage: "Run a mock EC2 metadata (IMDS) service to provide role credentials",
        argsUsage: "[profile_name]",
        flags: [
          portFlag("port on 127.0.0.1 to listen on; 0 picks a free port", "169.254.169.254:80"),
          headlessFlag,
          { long: "imdsv2-only", type: "bool", help: "refuse IMDSv1 requests that carry no session token" },
        ],
        description: "Starts a local server that answers the credential routes of the EC2 instance metadata\n" +
          "service (IMDS, v1 and v2) with the profile's role credentials, for programs that cannot be\n" +
          "wrapped, and a web page at its address to switch profiles and sign in. With --port it listens\n" +
          "on 127.0.0.1 and prints the AWS_EC2_METADATA_SERVICE_ENDPOINT setting the calling programs\n" +
          "need; without it, on 169.254.169.254:80, where every SDK looks by default (run with sudo)." },
      { name: "ecs", aliases: [], usage: "Run a mock ECS credential endpoint to provide role credentials",
        argsUsage: "[profile_name]",
        flags: [
          portFlag("port on 127.0.0.1 to listen on; 0 picks a free port", "12319"),
          headlessFlag,
          { long: "no-auth", type: "bool",
            help: "require no token (and serve the EC2 routes too): any local process can read the credentials" },
        ],
        description: "Starts a local server on 127.0.0.1 that answers like the ECS container credential endpoint\n" +
          "with the profile's role credentials (another profile's at /credentials/<profile>), and a web\n" +
          "page at its address to switch profiles and sign in. It prints the\n" +
          "AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE) settings the\n" +
          "calling programs need; requests without the token are refused, and the EC2 metadata routes,\n" +
          "which take no token, are not served unless --no-auth is given." },
    ],
  },
  {
    name: "ssm", aliases: [], usage: "Helpful shortcuts for working with SSM sessions", flags: [],
    children: [
      { name: "shell", aliases: ["sh"], usage: "Start an SSM shell session", argsUsage: "profile_name target_spec",
        flags: [pluginFlag],
        description: "Opens an interactive shell on an instance through SSM Session Manager. target_spec is an\n" +
          "instance id, a tag as key:value, an IP address or a DNS name." },
      { name: "forward", aliases: ["fwd"], usage: "Start an SSM port forwarding session",
        argsUsage: "profile_name target_spec:remote_port",
        flags: [portFlag("local port to listen on", "random port"), pluginFlag],
        description: "Forwards a local port to a port of an instance through SSM Session Manager. The text after\n" +
          "the last ':' of the target is the remote port; the target is found as for 'ssm shell'." },
      { name: "ssh", aliases: [], usage: "Start an SSH over SSM session",
        argsUsage: "profile_name [user@]target_spec[:port]",
        flags: [
          { long: "ec2ic", type: "bool", help: "send your SSH public key with EC2 Instance Connect first" },
          pluginFlag,
        ],
        description: "Carries an SSH connection through SSM Session Manager, for use as an OpenSSH ProxyCommand:\n" +
          "  ProxyCommand aws-runas ssm ssh profile_name %r@%h:%p" },
    ],
  },
  {
    name: "ecr", aliases: [], usage: "Shortcuts for working with ECR", flags: [],
    children: [
      { name: "login", aliases: [], usage: "Perform 'docker login' to an ECR endpoint",
        argsUsage: "profile_name [ECR endpoint ...]", flags: [],
        description: "Runs 'docker login' with an ECR authorization token for each endpoint given (an account id\n" +
          "or a registry host name), or for the profile's own account when none is given." },
    ],
  },
  {
    name: "password", aliases: ["passwd", "pw"],
    usage: "Set or update the stored password for an external identity provider", argsUsage: "profile_name",
    flags: [],
    description: "Asks for the SAML or OIDC password of the profile and stores it, obfuscated, in the shared\n" +
      "credentials file so later sign-ins do not prompt. Obfuscation is not encryption: keep the file private.",
  },
  {
    name: "diagnose", aliases: ["diag"], usage: "run diagnostics to gather information to aid in troubleshooting",
    argsUsage: "[profile_name]", flags: [],
    description: "Shows the resolved configuration of the profile and checks it, the credentials file and the\n" +
      "system clock for common problems.",
  },
  {
    name: "completion", aliases: [], usage: "Print the shell completion script for bash, zsh or fish",
    argsUsage: "bash|zsh|fish", flags: [],
    description: "Prints a script that completes subcommands, flags and profile names. Load it with\n" +
      "  source <(aws-runas completion bash)   (bash; zsh: completion zsh, after compinit)\n" +
      "  aws-runas completion fish | source    (fish)",
  },
  {
    name: "update", aliases: [], usage: "check for a newer version of aws-runas", flags: [], hidden: true,
    description: "Compares this version with the newest published one.",
  },
  {
    name: "__complete", aliases: [], usage: "Print the completions of a command line, for the completion scripts",
    argsUsage: "-- [word ...]", flags: [], hidden: true,
  },
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
