/**
 * The IAM read calls `list roles` and `list mfa` make (core.md §6), each bound to the credentials of one IAM user.
 * The real adapter (src/lazy/iam.ts) wraps the AWS SDK and is loaded only by those commands; tests use a fake.
 */

/** One page of a paginated IAM list call; `marker` is absent on the last page. */
export interface IamPage<T> {
  items: T[];
  marker?: string;
}

/** A managed policy attached to a user or a group. */
export interface AttachedPolicy {
  arn: string;
  name: string;
}

/**
 * Every method fails with a RunasError saying what to do (e.g. which permission is missing). The `get` calls answer
 * `undefined` when the entity no longer exists (deleted between the list and the get), which the scan skips.
 * Policy documents are returned as IAM sends them: URL-encoded JSON.
 */
export interface IamApi {
  listGroupsForUser(userName: string, marker?: string): Promise<IamPage<string>>;
  listUserPolicies(userName: string, marker?: string): Promise<IamPage<string>>;
  getUserPolicy(userName: string, policyName: string): Promise<string | undefined>;
  listAttachedUserPolicies(userName: string, marker?: string): Promise<IamPage<AttachedPolicy>>;
  listGroupPolicies(groupName: string, marker?: string): Promise<IamPage<string>>;
  getGroupPolicy(groupName: string, policyName: string): Promise<string | undefined>;
  listAttachedGroupPolicies(groupName: string, marker?: string): Promise<IamPage<AttachedPolicy>>;
  /** The default version id of a managed policy. */
  getPolicy(policyArn: string): Promise<{ defaultVersionId: string } | undefined>;
  getPolicyVersion(policyArn: string, versionId: string): Promise<string | undefined>;
  /** The serial numbers (virtual device ARNs or hardware serials) of the user's MFA devices. */
  listMfaDevices(userName: string, marker?: string): Promise<IamPage<string>>;
}

/** Where an IamApi sends its requests. */
export interface IamTarget {
  /** IAM is global; the region picks the partition (aws, aws-cn, aws-us-gov) and so the endpoint. */
  region: string;
  /** An explicit endpoint (AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL or the profile's endpoint_url), else the SDK's. */
  endpoint?: string;
}
