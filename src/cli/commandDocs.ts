import { HELP_COMMAND } from "./commandTree.js";

/**
 * The human texts of one command. They live apart from the command tree because the parser, which every
 * `credential_process` call loads, needs only the tree; these are read by the help pages and the completion scripts,
 * each in its own lazy bundle.
 */
export interface CommandDoc {
  /** One line for command lists (core.md §1.3). */
  usage: string;
  /** Longer text for the command's own help page. */
  description?: string;
}

/**
 * The texts of every command of `COMMAND_TREE` and of `help`, keyed by the command's path of canonical names
 * (`"list roles"`), in help order.
 */
export const COMMAND_DOCS: Readonly<Record<string, CommandDoc>> = {
  "list": { usage: "Shows IAM roles or MFA device configuration" },
  "list mfa": {
    usage: "list the ARN of the MFA device associated with your IAM account",
    description: "Shows the ARN of the MFA device of the IAM user behind the profile (or its source profile).",
  },
  "list roles": {
    usage: "list role ARNs you are able to assume",
    description: "Shows the roles the profile's identity may assume, found in its IAM policies or, for SAML\n" +
      "profiles, in the SAML assertion.",
  },
  "serve": { usage: "Serve credentials from a listening HTTP service" },
  "serve ec2": {
    usage: "Run a mock EC2 metadata (IMDS) service to provide role credentials",
    description: "Starts a local server that answers the credential routes of the EC2 instance metadata\n" +
      "service (IMDS, v1 and v2) with the profile's role credentials, for programs that cannot be\n" +
      "wrapped, and a web page at its address to switch profiles and sign in. With --port it listens\n" +
      "on 127.0.0.1 and prints the AWS_EC2_METADATA_SERVICE_ENDPOINT setting the calling programs\n" +
      "need; without it, on 169.254.169.254:80, where every SDK looks by default (run with sudo).",
  },
  "serve ecs": {
    usage: "Run a mock ECS credential endpoint to provide role credentials",
    description: "Starts a local server on 127.0.0.1 that answers like the ECS container credential endpoint\n" +
      "with the profile's role credentials (another profile's at /credentials/<profile>), and a web\n" +
      "page at its address to switch profiles and sign in. It prints the\n" +
      "AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE) settings the\n" +
      "calling programs need; requests without the token are refused, and the EC2 metadata routes,\n" +
      "which take no token, are not served unless --no-auth is given.",
  },
  "ssm": { usage: "Helpful shortcuts for working with SSM sessions" },
  "ssm shell": {
    usage: "Start an SSM shell session",
    description: "Opens an interactive shell on an instance through SSM Session Manager. target_spec is an\n" +
      "instance id, a tag as key:value, an IP address or a DNS name.",
  },
  "ssm forward": {
    usage: "Start an SSM port forwarding session",
    description: "Forwards a local port to a port of an instance through SSM Session Manager. The text after\n" +
      "the last ':' of the target is the remote port; the target is found as for 'ssm shell'.",
  },
  "ssm ssh": {
    usage: "Start an SSH over SSM session",
    description: "Carries an SSH connection through SSM Session Manager, for use as an OpenSSH ProxyCommand:\n" +
      "  ProxyCommand aws-runas ssm ssh profile_name %r@%h:%p",
  },
  "ecr": { usage: "Shortcuts for working with ECR" },
  "ecr login": {
    usage: "Perform 'docker login' to an ECR endpoint",
    description: "Runs 'docker login' with an ECR authorization token for each endpoint given (an account id\n" +
      "or a registry host name), or for the profile's own account when none is given.",
  },
  "password": {
    usage: "Set or update the stored password for an external identity provider",
    description: "Asks for the SAML or OIDC password of the profile and stores it, obfuscated, in the shared\n" +
      "credentials file so later sign-ins do not prompt. Obfuscation is not encryption: keep the file private.",
  },
  "diagnose": {
    usage: "run diagnostics to gather information to aid in troubleshooting",
    description: "Shows the resolved configuration of the profile and checks it, the credentials file and the\n" +
      "system clock for common problems.",
  },
  "completion": {
    usage: "Print the shell completion script for bash, zsh or fish",
    description: "Prints a script that completes subcommands, flags and profile names. Load it with\n" +
      "  source <(aws-runas completion bash)   (bash; zsh: completion zsh, after compinit)\n" +
      "  aws-runas completion fish | source    (fish)",
  },
  "update": {
    usage: "check for a newer version of aws-runas",
    description: "Compares this version with the newest published one.",
  },
  "__complete": { usage: "Print the completions of a command line, for the completion scripts" },
  "help": { usage: "Shows a list of commands or help for one command" },
};

/**
 * The texts of the command at a path of canonical names (`["ssm", "forward"]`), undefined for a path that has none.
 * The `help` inside a group (`["ssm", "help"]`) is the one help command, so it shares the `"help"` entry.
 */
export function commandDoc(path: readonly string[]): CommandDoc | undefined {
  const key = path[path.length - 1] === HELP_COMMAND.name ? HELP_COMMAND.name : path.join(" ");
  return Object.hasOwn(COMMAND_DOCS, key) ? COMMAND_DOCS[key] : undefined;
}
