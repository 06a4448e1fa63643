import type { AttachedPolicy, IamApi, IamPage } from "../../src/iam/iamApi.js";

/** The IAM operations of IamApi, named as in the AWS API (and the `iam:` permission). */
export type IamOp =
  | "ListGroupsForUser" | "ListUserPolicies" | "GetUserPolicy" | "ListAttachedUserPolicies" | "ListGroupPolicies"
  | "GetGroupPolicy" | "ListAttachedGroupPolicies" | "GetPolicy" | "GetPolicyVersion" | "ListMFADevices";

/** The IAM data the fake serves. Documents are stored as IAM returns them (URL-encoded JSON, or raw). */
export interface IamModel {
  users: Record<string, { inline?: Record<string, string>; attached?: string[]; groups?: string[]; mfa?: string[] }>;
  groups?: Record<string, { inline?: Record<string, string>; attached?: string[] }>;
  /** Managed policies by ARN: the default version id and every version's document. */
  policies?: Record<string, { defaultVersion: string; versions: Record<string, string> }>;
}

export interface FakeIamOptions {
  /** Items per page, so every listing is paginated (default 1). */
  pageSize?: number;
  /** Errors thrown by an operation, as the real adapter throws its RunasErrors. */
  fail?: Partial<Record<IamOp, Error>>;
  /** Operations answered only after other pending work has run, to reorder completions. */
  slow?: IamOp[];
  /** Names listed by ListUserPolicies whose GetUserPolicy then finds nothing (deleted in between). */
  vanished?: string[];
}

/**
 * An IamApi over an in-memory model that paginates everything and records each call as "<Op> <argument>", so tests
 * can assert which calls ran (and that a managed policy is fetched once).
 */
export function fakeIam(model: IamModel, o: FakeIamOptions = {}): IamApi & { calls: string[] } {
  const calls: string[] = [];
  const size = o.pageSize ?? 1;
  const step = async (op: IamOp, arg: string): Promise<void> => {
    calls.push(`${op} ${arg}`);
    if (o.slow?.includes(op)) for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const failure = o.fail?.[op];
    if (failure !== undefined) throw failure;
  };
  const page = <T>(all: T[], marker: string | undefined): IamPage<T> => {
    const start = marker === undefined ? 0 : Number(marker.replace("m", ""));
    const items = all.slice(start, start + size);
    return start + size < all.length ? { items, marker: `m${start + size}` } : { items };
  };
  const user = (name: string) => {
    const u = model.users[name];
    if (u === undefined) throw new Error(`fake IAM: no user ${name}`);
    return u;
  };
  const group = (name: string) => {
    const g = model.groups?.[name];
    if (g === undefined) throw new Error(`fake IAM: no group ${name}`);
    return g;
  };
  const attached = (arns: string[] = []): AttachedPolicy[] => arns.map((arn) => ({ arn, name: arn.split("/").pop() ?? arn }));

  return {
    calls,
    async listGroupsForUser(u, m) {
      await step("ListGroupsForUser", u);
      return page(user(u).groups ?? [], m);
    },
    async listUserPolicies(u, m) {
      await step("ListUserPolicies", u);
      return page([...Object.keys(user(u).inline ?? {}), ...(o.vanished ?? [])], m);
    },
    async getUserPolicy(u, name) {
      await step("GetUserPolicy", `${u}/${name}`);
      return user(u).inline?.[name];
    },
    async listAttachedUserPolicies(u, m) {
      await step("ListAttachedUserPolicies", u);
      return page(attached(user(u).attached), m);
    },
    async listGroupPolicies(g, m) {
      await step("ListGroupPolicies", g);
      return page(Object.keys(group(g).inline ?? {}), m);
    },
    async getGroupPolicy(g, name) {
      await step("GetGroupPolicy", `${g}/${name}`);
      return group(g).inline?.[name];
    },
    async listAttachedGroupPolicies(g, m) {
      await step("ListAttachedGroupPolicies", g);
      return page(attached(group(g).attached), m);
    },
    async getPolicy(arn) {
      await step("GetPolicy", arn);
      const p = model.policies?.[arn];
      return p === undefined ? undefined : { defaultVersionId: p.defaultVersion };
    },
    async getPolicyVersion(arn, version) {
      await step("GetPolicyVersion", `${arn} ${version}`);
      return model.policies?.[arn]?.versions[version];
    },
    async listMfaDevices(u, m) {
      await step("ListMFADevices", u);
      return page(user(u).mfa ?? [], m);
    },
  };
}

/** A policy document allowing sts:AssumeRole on `roles`, URL-encoded as IAM returns it. */
export function assumeRolePolicy(...roles: string[]): string {
  return encodeURIComponent(JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roles.length === 1 ? roles[0] : roles }],
  }));
}
