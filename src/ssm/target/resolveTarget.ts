import { isIP } from "node:net";
import { RunasError } from "../../domain/errors.js";
import type { Logger } from "../../ports.js";
import { isPrivateIpv4, toIpv4 } from "./ipv4.js";
import { pickInstance } from "./pickInstance.js";

/** One EC2 DescribeInstances filter, as the API takes it. */
export interface Ec2Filter {
  Name: string;
  Values: string[];
}

/** What target resolution asks of the outside world; the real ones are the EC2 adapter and node:dns. */
export interface TargetLookups {
  /** EC2 DescribeInstances with these filters: the instance ids of each reservation, in the order EC2 returns them. */
  describeInstances(filters: Ec2Filter[]): Promise<string[][]>;
  /** The addresses a name resolves to (A and AAAA, through the system resolver as ssh would); rejects when none. */
  lookupAddresses(host: string): Promise<string[]>;
  /** The TXT records of a name, each record's strings joined; rejects when none. */
  lookupTxt(host: string): Promise<string[]>;
  logger: Logger;
}

const INSTANCE_ID = /^m?i-[0-9a-fA-F]{8,}$/;
const TXT_INSTANCE_ID = /^i-[0-9a-fA-F]{8,}$/;
const RUNNING: Ec2Filter = { Name: "instance-state-name", Values: ["running"] };

/**
 * The instance id a target stands for (core.md §10.2), trying in order: an instance id as it is (`i-…`, or `mi-…`
 * for a managed instance), a `tagKey:tagValue` of a running instance, an IP address or a DNS name of one, and a DNS
 * TXT record holding an instance id. A rule that fails (bad shape, nothing found, an API or DNS error) passes to the
 * next, as upstream's resolver chain does; only when all fail is it an error.
 */
export async function resolveTarget(target: string, deps: TargetLookups): Promise<string> {
  const text = target.trim();
  if (INSTANCE_ID.test(text)) return text;
  // An EC2 failure would otherwise read as "not found": the final message names it, so a denied call is not a mystery.
  let ec2Failure: string | undefined;
  const describe = async (filter: Ec2Filter): Promise<string | undefined> => {
    try {
      return pickInstance(await deps.describeInstances([filter, RUNNING]), deps.logger);
    } catch (e) {
      ec2Failure = e instanceof Error ? e.message : String(e);
      throw e;
    }
  };
  const rules: [name: string, rule: () => Promise<string | undefined>][] = [
    ["tag", () => byTag(text, describe)],
    ["IP address", () => byAddress(text, deps, describe)],
    ["DNS TXT", () => byTxt(text, deps)],
  ];
  // Nothing to look up (`ssm forward` without a colon): DNS would only be asked about an empty name.
  for (const [name, rule] of text === "" ? [] : rules) {
    try {
      const id = await rule();
      if (id !== undefined) {
        deps.logger.debug(`target "${text}" resolved by ${name} to ${id}`);
        return id;
      }
    } catch (e) {
      deps.logger.debug(`target "${text}" not resolved by ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new RunasError(
    "INVALID_VALUE",
    `no instances returned from lookup for target "${text}"` +
      (ec2Failure === undefined ? "" : ` (EC2 DescribeInstances failed: ${ec2Failure})`) +
      ": give an instance id (i-…), a tag key:value, an IP address or DNS name of a running instance, " +
      "or a DNS name whose TXT record is the instance id",
  );
}

/** `key:value`, split on the FIRST colon, so a value may hold colons. */
function byTag(text: string, describe: (f: Ec2Filter) => Promise<string | undefined>): Promise<string | undefined> {
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) return Promise.resolve(undefined);
  return describe({ Name: `tag:${text.slice(0, colon)}`, Values: [text.slice(colon + 1)] });
}

/**
 * An IP literal, else the name's A/AAAA addresses. Public addresses win when there are any: private ranges may
 * overlap between VPCs of one account, so a private address can match an instance in another VPC.
 */
async function byAddress(
  text: string,
  deps: TargetLookups,
  describe: (f: Ec2Filter) => Promise<string | undefined>,
): Promise<string | undefined> {
  const addresses = isIP(text) !== 0 ? [text] : await deps.lookupAddresses(text);
  const ipv4 = addresses.map(toIpv4).filter((a): a is string => a !== undefined);
  if (ipv4.length === 0) return undefined;
  const publicIps = ipv4.filter((a) => !isPrivateIpv4(a));
  return publicIps.length > 0
    ? describe({ Name: "ip-address", Values: publicIps })
    : describe({ Name: "private-ip-address", Values: ipv4 });
}

/** The first TXT record that is exactly an EC2 instance id. */
async function byTxt(text: string, deps: TargetLookups): Promise<string | undefined> {
  return (await deps.lookupTxt(text)).find((record) => TXT_INSTANCE_ID.test(record));
}
