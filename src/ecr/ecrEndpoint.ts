import { RunasError } from "../domain/errors.js";

/** An ECR registry to log in to: the host given to `docker login`, and the region whose ECR issues its token. */
export interface EcrEndpoint {
  host: string;
  region: string;
}

const ACCOUNT_ID = /^\d{12}$/;
/** AWS region names: us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1 … */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const SUFFIXES = [".amazonaws.com", ".amazonaws.com.cn"];

const EXPECTED =
  "give a 12-digit account id, or a registry host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com " +
  "(.amazonaws.com.cn in China)";

/**
 * The registry of an account in a region (core.md §11 step 2): `<account>.dkr.ecr.<region>.amazonaws.com`, with the
 * `.amazonaws.com.cn` suffix in the China regions, where ECR lives under that domain.
 */
export function accountEndpoint(account: string, region: string): EcrEndpoint {
  const suffix = region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return { host: `${account}.dkr.ecr.${region}${suffix}`, region };
}

/**
 * One `ecr login` argument (core.md §11 step 2, decision Q-23): a host ending in `.amazonaws.com` or
 * `.amazonaws.com.cn` is used as typed, its region read from its 4th label (`<account>.dkr.ecr.<region>…`); a
 * 12-digit account id becomes that account's registry in `region`, the profile's. Anything else is an error here,
 * before any credentials are fetched: upstream sent it to docker as an account id, or crashed on a short host.
 */
export function ecrEndpoint(arg: string, region: string | undefined): EcrEndpoint {
  if (ACCOUNT_ID.test(arg)) {
    if (region === undefined) {
      throw new RunasError(
        "NO_REGION",
        `'${arg}' is an account id, and naming its registry needs a region: set region in the profile (or AWS_REGION), ` +
          `or give the registry host, e.g. ${arg}.dkr.ecr.us-east-1.amazonaws.com`,
      );
    }
    return accountEndpoint(arg, region);
  }
  const lower = arg.toLowerCase();
  if (SUFFIXES.some((s) => lower.endsWith(s))) {
    // The 4th label is the region in every ECR host form (dkr.ecr, dkr.ecr-fips); a shorter host has none.
    const label = lower.split(".")[3];
    if (label !== undefined && REGION.test(label)) return { host: arg, region: label };
    throw new RunasError(
      "INVALID_VALUE",
      `'${arg}' is not an ECR registry host: it has no region as its 4th part (<account>.dkr.ecr.<region>.amazonaws.com); ${EXPECTED}`,
    );
  }
  throw new RunasError("INVALID_VALUE", `'${arg}' is not an ECR registry: ${EXPECTED}`);
}
