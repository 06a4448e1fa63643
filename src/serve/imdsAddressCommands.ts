/**
 * The operating-system side of the privileged EC2 mode (core.md §9.2): which interface carries 169.254.169.254, the
 * command that adds or removes the address on each platform, and what those commands' failure texts mean. Pure
 * functions; imdsAddress.ts runs the commands.
 */
import type { NetworkInterfaceInfo } from "node:os";

/** The address every SDK's instance-metadata client calls when nothing overrides it. */
export const IMDS_IP = "169.254.169.254";

/** A command line: the program and its arguments (never a shell string). */
export interface CommandLine {
  cmd: string;
  args: string[];
}

/** The platform families whose tools differ: iproute2, BSD ifconfig (macOS too), Windows netsh. */
export type AddressTool = "ip" | "ifconfig" | "netsh";

export function addressTool(platform: NodeJS.Platform): AddressTool | undefined {
  switch (platform) {
    case "linux":
    case "android":
      return "ip";
    case "darwin":
    case "freebsd":
    case "openbsd":
    case "netbsd":
      return "ifconfig";
    case "win32":
      return "netsh";
    default:
      return undefined;
  }
}

/** Adds 169.254.169.254/22 to `iface` (core.md §9.2 step 3; /22 as the real metadata network). */
export function addCommand(tool: AddressTool, iface: string): CommandLine {
  switch (tool) {
    case "ip":
      return { cmd: "ip", args: ["address", "add", `${IMDS_IP}/22`, "dev", iface] };
    case "ifconfig":
      return { cmd: "ifconfig", args: [iface, "alias", `${IMDS_IP}/22`] };
    case "netsh":
      return { cmd: "netsh", args: ["interface", "ipv4", "add", "address", iface, IMDS_IP, "255.255.252.0"] };
  }
}

/** Removes the address again (core.md §9.2 step 6). */
export function removeCommand(tool: AddressTool, iface: string): CommandLine {
  switch (tool) {
    case "ip":
      return { cmd: "ip", args: ["address", "del", `${IMDS_IP}/22`, "dev", iface] };
    case "ifconfig":
      return { cmd: "ifconfig", args: [iface, "-alias", IMDS_IP] };
    case "netsh":
      return { cmd: "netsh", args: ["interface", "ipv4", "delete", "address", iface, IMDS_IP] };
  }
}

/** The command line as the user would type it, for logs and for the "remove it yourself" hint. */
export function shown(c: CommandLine): string {
  return [c.cmd, ...c.args.map((a) => (/\s/.test(a) ? `"${a}"` : a))].join(" ");
}

const isIpv4 = (i: NetworkInterfaceInfo): boolean => i.family === "IPv4" || (i.family as unknown) === 4;

/**
 * The first loopback interface that is up (core.md §9.2 step 2). Node lists only interfaces that are up and have an
 * address, and marks loopback ones `internal`; an IPv4 loopback address is required because the new address is IPv4.
 */
export function findLoopback(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  for (const [name, infos] of Object.entries(interfaces)) {
    if (infos?.some((i) => i.internal && isIpv4(i))) return name;
  }
  return undefined;
}

/** The interface that already holds 169.254.169.254, if one does (then it is someone else's, not ours to remove). */
export function holderOfImdsIp(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  for (const [name, infos] of Object.entries(interfaces)) {
    if (infos?.some((i) => isIpv4(i) && i.address === IMDS_IP)) return name;
  }
  return undefined;
}

// Failure texts of the tools, across versions: iproute2 ("RTNETLINK answers: …" before 5.x extended acks, "Error:
// ipv4: …" after), BSD ifconfig (errno strings), netsh (English messages on stdout).

/** The address is already there: adding it again fails, but serving works. */
export function saysAlreadyPresent(text: string): boolean {
  return /file exists|already assigned|already exists/i.test(text);
}

/** The address is not there: removing it failed because it is already gone. */
export function saysNotPresent(text: string): boolean {
  // Not a bare "not found": `sh: exec: ip: not found` means the tool is missing and the address still there.
  return /address not found|cannot assign requested address|can't assign requested address|element not found/i.test(text);
}

/** The tool ran but was not allowed to change the interface. */
export function saysNotPermitted(text: string): boolean {
  return /operation not permitted|permission denied|requires elevation|access is denied|EPERM|EACCES/i.test(text);
}
