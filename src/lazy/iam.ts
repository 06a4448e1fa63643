/**
 * The IAM adapter over the AWS SDK v3, for `list roles` and `list mfa`. Bundled on its own (dist/iam.cjs) and loaded
 * only by those commands, so no other command pays for the IAM client.
 */
import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
  type AttachedPolicy as SdkAttachedPolicy,
} from "@aws-sdk/client-iam";
import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";
import { concurrencyLimit } from "../iam/concurrencyLimit.js";
import type { AttachedPolicy, IamApi, IamPage, IamTarget } from "../iam/iamApi.js";
import { isNoSuchEntity, translateIamError } from "../iam/iamErrors.js";
import { sdkClientConfig } from "../platform/sdkClientConfig.js";

/** IAM calls in flight at once: enough for a quick scan, few enough not to be throttled. */
const MAX_CONCURRENT_CALLS = 8;

/** An IamApi signing every call with `credentials` (an IAM user's keys). */
export function createIamApi(target: IamTarget, credentials: Credentials, logger: Logger): IamApi {
  // The SDK's standard retries absorb what throttling the concurrency limit below does not prevent.
  const client = new IAMClient(
    sdkClientConfig({ region: target.region, endpoint: target.endpoint, credentials, logger, maxAttempts: 3 }),
  );
  const where = target.endpoint ?? "the IAM endpoint";
  // IAM throttles bursts; a scan of several groups' policies would otherwise send them all at once.
  const limit = concurrencyLimit(MAX_CONCURRENT_CALLS);

  const call = <T>(operation: string, on: string, run: () => Promise<T>): Promise<T> =>
    limit(run).catch((e: unknown) => {
      throw translateIamError(e, { operation, on, where });
    });
  /** A get whose entity may have been deleted since it was listed: undefined then. */
  const getOrGone = <T>(operation: string, on: string, run: () => Promise<T>): Promise<T | undefined> =>
    limit(run).catch((e: unknown) => {
      if (isNoSuchEntity(e)) return undefined;
      throw translateIamError(e, { operation, on, where });
    });
  const page = <T>(items: T[], truncated: boolean | undefined, marker: string | undefined): IamPage<T> =>
    truncated === true && marker !== undefined && marker !== "" ? { items, marker } : { items };
  const attached = (list: SdkAttachedPolicy[] | undefined): AttachedPolicy[] =>
    (list ?? []).flatMap((p) => (p.PolicyArn === undefined ? [] : [{ arn: p.PolicyArn, name: p.PolicyName ?? p.PolicyArn }]));
  const user = (name: string) => `user '${name}'`;
  const group = (name: string) => `group '${name}'`;

  return {
    async listGroupsForUser(userName, marker) {
      const out = await call("ListGroupsForUser", user(userName), () =>
        client.send(new ListGroupsForUserCommand({ UserName: userName, ...(marker === undefined ? {} : { Marker: marker }) })));
      const names = (out.Groups ?? []).flatMap((g) => (g.GroupName === undefined ? [] : [g.GroupName]));
      return page(names, out.IsTruncated, out.Marker);
    },
    async listUserPolicies(userName, marker) {
      const out = await call("ListUserPolicies", user(userName), () =>
        client.send(new ListUserPoliciesCommand({ UserName: userName, ...(marker === undefined ? {} : { Marker: marker }) })));
      return page(out.PolicyNames ?? [], out.IsTruncated, out.Marker);
    },
    async getUserPolicy(userName, policyName) {
      const out = await getOrGone("GetUserPolicy", user(userName), () =>
        client.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName })));
      return out === undefined ? undefined : (out.PolicyDocument ?? "");
    },
    async listAttachedUserPolicies(userName, marker) {
      const out = await call("ListAttachedUserPolicies", user(userName), () =>
        client.send(new ListAttachedUserPoliciesCommand({ UserName: userName, ...(marker === undefined ? {} : { Marker: marker }) })));
      return page(attached(out.AttachedPolicies), out.IsTruncated, out.Marker);
    },
    async listGroupPolicies(groupName, marker) {
      const out = await call("ListGroupPolicies", group(groupName), () =>
        client.send(new ListGroupPoliciesCommand({ GroupName: groupName, ...(marker === undefined ? {} : { Marker: marker }) })));
      return page(out.PolicyNames ?? [], out.IsTruncated, out.Marker);
    },
    async getGroupPolicy(groupName, policyName) {
      const out = await getOrGone("GetGroupPolicy", group(groupName), () =>
        client.send(new GetGroupPolicyCommand({ GroupName: groupName, PolicyName: policyName })));
      return out === undefined ? undefined : (out.PolicyDocument ?? "");
    },
    async listAttachedGroupPolicies(groupName, marker) {
      const out = await call("ListAttachedGroupPolicies", group(groupName), () =>
        client.send(new ListAttachedGroupPoliciesCommand({ GroupName: groupName, ...(marker === undefined ? {} : { Marker: marker }) })));
      return page(attached(out.AttachedPolicies), out.IsTruncated, out.Marker);
    },
    async getPolicy(policyArn) {
      const out = await getOrGone("GetPolicy", `policy ${policyArn}`, () => client.send(new GetPolicyCommand({ PolicyArn: policyArn })));
      if (out === undefined) return undefined;
      const defaultVersionId = out.Policy?.DefaultVersionId;
      if (defaultVersionId === undefined || defaultVersionId === "") {
        throw new RunasError("STS_ERROR", `IAM GetPolicy named no default version for ${policyArn}; run the command again, and if it repeats, check AWS_ENDPOINT_URL / endpoint_url`);
      }
      return { defaultVersionId };
    },
    async getPolicyVersion(policyArn, versionId) {
      const out = await getOrGone("GetPolicyVersion", `policy ${policyArn}`, () =>
        client.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })));
      return out === undefined ? undefined : (out.PolicyVersion?.Document ?? "");
    },
    async listMfaDevices(userName, marker) {
      const out = await call("ListMFADevices", user(userName), () =>
        client.send(new ListMFADevicesCommand({ UserName: userName, ...(marker === undefined ? {} : { Marker: marker }) })));
      const serials = (out.MFADevices ?? []).flatMap((d) => (d.SerialNumber === undefined ? [] : [d.SerialNumber]));
      return page(serials, out.IsTruncated, out.Marker);
    },
  };
}
