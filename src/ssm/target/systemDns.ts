import { lookup, resolveTxt } from "node:dns/promises";
import type { TargetLookups } from "./resolveTarget.js";

/**
 * The DNS lookups of target resolution through this machine's resolver: getaddrinfo for addresses (so /etc/hosts
 * counts, as for ssh), DNS proper for TXT records, whose split strings are joined back into one record.
 */
export const systemDns: Pick<TargetLookups, "lookupAddresses" | "lookupTxt"> = {
  lookupAddresses: async (host) => (await lookup(host, { all: true })).map((a) => a.address),
  lookupTxt: async (host) => (await resolveTxt(host)).map((chunks) => chunks.join("")),
};
