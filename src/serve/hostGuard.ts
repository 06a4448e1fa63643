/** The address every SDK uses for the EC2 instance metadata service; the privileged mode serves on it (core.md §9.2). */
export const IMDS_HOST = "169.254.169.254";

/**
 * The Host headers a server accepts (decisions.md "Servers": a DNS-rebinding guard). A web page that rebinds its own
 * name to 127.0.0.1 still sends that name as Host, so only the names of this very address get through:
 * `127.0.0.1:<port>` and `localhost:<port>` on loopback (the literal address served, when it is another loopback
 * address such as `127.0.0.2` or `[::1]`), and `169.254.169.254` with or without `:80` in the privileged mode. A
 * client leaves out the port when it is 80, so on port 80 the bare names count too. Compared case-insensitively.
 */
export function allowedHosts(host: string, port: number): ReadonlySet<string> {
  const names = host === IMDS_HOST ? [IMDS_HOST] : ["127.0.0.1", "localhost", host.includes(":") ? `[${host}]` : host];
  const out = new Set<string>();
  for (const name of names) {
    out.add(`${name.toLowerCase()}:${port}`);
    if (port === 80) out.add(name.toLowerCase());
  }
  return out;
}

/** True when `hostHeader` names the served address (see allowedHosts). */
export function hostAllowed(allowed: ReadonlySet<string>, hostHeader: string | undefined): boolean {
  return hostHeader !== undefined && allowed.has(hostHeader.trim().toLowerCase());
}
