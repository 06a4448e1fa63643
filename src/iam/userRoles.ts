import type { Logger } from "../ports.js";
import { collectPages } from "./collectPages.js";
import type { AttachedPolicy, IamApi } from "./iamApi.js";
import { rolesInPolicy } from "./policyRoles.js";

/** A policy document found for the user, with a label that says where it came from (for log lines). */
interface FoundPolicy {
  label: string;
  document: string;
}

/**
 * The role ARNs an IAM user may assume according to its policies (core.md §6.1), sorted and de-duplicated: the
 * user's inline and attached managed policies (default version), and those of each of its groups. Every listing is
 * paginated. A failed call ends the command with that call's error (e.g. the missing permission): a partial list
 * would look complete. A policy that disappears between the list and the get is skipped with a warning, a document
 * that cannot be read is logged at ERROR and skipped, as upstream does.
 */
export async function listUserRoles(o: { iam: IamApi; userName: string; logger: Logger }): Promise<string[]> {
  const { iam, userName, logger } = o;
  const user = `user '${userName}'`;

  // A managed policy attached to the user and to a group (or to two groups) is fetched once.
  const managed = new Map<string, Promise<FoundPolicy[]>>();
  const managedPolicy = (p: AttachedPolicy): Promise<FoundPolicy[]> => {
    let found = managed.get(p.arn);
    if (found === undefined) {
      found = (async () => {
        const label = `managed policy '${p.name}' (${p.arn})`;
        const policy = await iam.getPolicy(p.arn);
        const document = policy === undefined ? undefined : await iam.getPolicyVersion(p.arn, policy.defaultVersionId);
        if (document === undefined) return gone(label, logger);
        return [{ label: `${label}, version ${policy?.defaultVersionId ?? ""}`, document }];
      })();
      managed.set(p.arn, found);
    }
    return found;
  };

  const inlinePolicies = async (
    owner: string,
    operation: string,
    list: (marker?: string) => ReturnType<IamApi["listUserPolicies"]>,
    get: (name: string) => Promise<string | undefined>,
  ): Promise<FoundPolicy[]> => {
    const names = await collectPages(operation, list);
    const found = await inOrder(names.map(async (name) => {
      const label = `inline policy '${name}' of ${owner}`;
      const document = await get(name);
      return document === undefined ? gone(label, logger) : [{ label, document }];
    }));
    return found.flat();
  };

  const attachedPolicies = async (
    operation: string,
    list: (marker?: string) => ReturnType<IamApi["listAttachedUserPolicies"]>,
  ): Promise<FoundPolicy[]> => {
    const attached = await collectPages(operation, list);
    return (await inOrder(attached.map(managedPolicy))).flat();
  };

  const groupPolicies = async (): Promise<FoundPolicy[]> => {
    const groups = await collectPages("ListGroupsForUser", (m) => iam.listGroupsForUser(userName, m));
    logger.debug(`IAM ${user} is in ${groups.length === 0 ? "no group" : `groups ${groups.join(", ")}`}`);
    const perGroup = await inOrder(groups.map(async (g) => {
      const group = `group '${g}'`;
      const policies = await inOrder([
        inlinePolicies(group, "ListGroupPolicies", (m) => iam.listGroupPolicies(g, m), (n) => iam.getGroupPolicy(g, n)),
        attachedPolicies("ListAttachedGroupPolicies", (m) => iam.listAttachedGroupPolicies(g, m)),
      ]);
      return policies.flat();
    }));
    return perGroup.flat();
  };

  const found = (
    await inOrder([
      inlinePolicies(user, "ListUserPolicies", (m) => iam.listUserPolicies(userName, m), (n) => iam.getUserPolicy(userName, n)),
      attachedPolicies("ListAttachedUserPolicies", (m) => iam.listAttachedUserPolicies(userName, m)),
      groupPolicies(),
    ])
  ).flat();

  const roles = new Set<string>();
  const scanned = new Set<FoundPolicy>();
  for (const policy of found) {
    // The same managed policy object can be reached through several attachments; scan it once.
    if (scanned.has(policy)) continue;
    scanned.add(policy);
    const scan = rolesInPolicy(policy.document);
    for (const problem of scan.problems) logger.error(`${policy.label}: ${problem}`);
    for (const role of scan.roles) {
      logger.debug(`found role ARN ${role} in ${policy.label}`);
      roles.add(role);
    }
  }
  return [...roles].sort();
}

function gone(label: string, logger: Logger): FoundPolicy[] {
  logger.warn(`${label} no longer exists; skipped`);
  return [];
}

/**
 * Awaits every promise (so no call is left running unobserved) and then fails with the first failure in list
 * order, not in time order: with several permissions missing, the error reported does not depend on timing.
 */
async function inOrder<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
