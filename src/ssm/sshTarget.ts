/** Where `ssm ssh` connects: the OS user for EC2 Instance Connect, the target to resolve, the remote port. */
export interface SshTarget {
  user: string;
  /** The target as typed (instance id, tag key:value, address, DNS name); also what ~/.ssh/config Host lines match. */
  host: string;
  port: number;
}

const DEFAULT_USER = "ec2-user";
const DEFAULT_PORT = 22;

/**
 * `[user@]host[:port]`, as OpenSSH passes `%r@%h:%p` to a ProxyCommand (core.md §10.5). The user is the text before
 * the first `@` (ec2-user when there is none); the host part ends at a second `@`. The port is the last `:` element
 * only when it is a number up to 65535, so a tag `key:value` without a port keeps its colon:
 * `user@my_key:value` → (user, my_key:value, 22), `my_key:value:2222` → (ec2-user, my_key:value, 2222).
 */
export function parseSshTarget(spec: string): SshTarget {
  const at = spec.split("@");
  const user = at.length > 1 && at[0] !== "" ? (at[0] ?? DEFAULT_USER) : DEFAULT_USER;
  const hostPart = (at.length > 1 ? at[1] : at[0]) ?? "";
  const parts = hostPart.split(":");
  const last = parts[parts.length - 1] ?? "";
  if (parts.length > 1 && /^\d+$/.test(last) && Number(last) <= 65535) {
    return { user, host: parts.slice(0, -1).join(":"), port: Number(last) };
  }
  return { user, host: hostPart, port: DEFAULT_PORT };
}
