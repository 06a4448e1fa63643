import { isIPv4, isIPv6 } from "node:net";

/**
 * The IPv4 form of an address, as Go's net.IP.To4 gives it (core.md §10.2): a dotted quad as it is, an IPv4-mapped
 * IPv6 address (`::ffff:10.0.0.1`, `::ffff:a00:1`) as its dotted quad, anything else (other IPv6, not an address)
 * undefined. Target resolution keeps only these, as EC2's address filters are IPv4.
 */
export function toIpv4(address: string): string | undefined {
  if (isIPv4(address)) return address.split(".").map((o) => String(Number(o))).join(".");
  if (!isIPv6(address)) return undefined;
  const bytes = ipv6Bytes(address);
  if (bytes === undefined) return undefined;
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12).join(".") : undefined;
}

/** RFC 1918 and RFC 6598 (carrier-grade NAT) blocks: the addresses EC2 knows as private-ip-address. */
const PRIVATE_BLOCKS: readonly (readonly [base: number, prefix: number])[] = [
  [toNumber("10.0.0.0"), 8],
  [toNumber("172.16.0.0"), 12],
  [toNumber("192.168.0.0"), 16],
  [toNumber("100.64.0.0"), 10],
];

/** True when a dotted-quad IPv4 address is in 10/8, 172.16/12, 192.168/16 or 100.64/10. */
export function isPrivateIpv4(ip: string): boolean {
  const n = toNumber(ip);
  return PRIVATE_BLOCKS.some(([base, prefix]) => (n >>> (32 - prefix)) === (base >>> (32 - prefix)));
}

function toNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => ((n << 8) | Number(octet)) >>> 0, 0);
}

/** The 16 bytes of a valid IPv6 text (checked by isIPv6 first), including a trailing embedded dotted quad. */
function ipv6Bytes(text: string): number[] | undefined {
  let address = text.split("%")[0] ?? "";
  const tail: number[] = [];
  const lastColon = address.lastIndexOf(":");
  const last = address.slice(lastColon + 1);
  if (isIPv4(last)) {
    tail.push(...last.split(".").map(Number));
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const [head = "", rest] = address.split("::");
  const groups = (s: string | undefined) => (s === undefined || s === "" ? [] : s.split(":"));
  const left = groups(head);
  const right = groups(rest);
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(fill).fill("0"), ...right];
  if (all.length !== 8) return undefined;
  const bytes = all.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}
