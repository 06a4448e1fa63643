/**
 * The STS adapter over the AWS SDK v3. This module is bundled on its own (dist/sts.cjs) and loaded only when
 * credentials must really be fetched, so a cache hit never pays for the SDK (docs/architecture.md).
 */
import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials as StsCredentials,
} from "@aws-sdk/client-sts";
import type { Credentials } from "../domain/credentials.js";
import type { Logger } from "../ports.js";
import type { CallerIdentity, StsApi, StsTarget } from "../providers/stsApi.js";
import { translateAwsError } from "../providers/awsErrors.js";
import { sdkClientConfig } from "../platform/sdkClientConfig.js";

export function createStsApi(target: StsTarget, logger: Logger): StsApi {
  const clients = new Map<string, STSClient>();
  // One client per signing identity: SDK clients bind their credentials at construction.
  const client = (credentials: Credentials): STSClient => {
    const key = credentials.accessKeyId;
    let c = clients.get(key);
    if (c === undefined) {
      c = new STSClient(sdkClientConfig({ region: target.region, endpoint: target.endpoint, credentials, logger }));
      clients.set(key, c);
    }
    return c;
  };
  const where = target.endpoint ?? `the STS endpoint of ${target.region}`;
  // AssumeRoleWithSAML / WithWebIdentity use the noAuth scheme: this client is never asked for credentials.
  let unsigned: STSClient | undefined;
  const anonymous = (): STSClient =>
    (unsigned ??= new STSClient(sdkClientConfig({ region: target.region, endpoint: target.endpoint, logger })));

  return {
    async getSessionToken(i) {
      const out = await client(i.credentials)
        .send(
          new GetSessionTokenCommand({
            DurationSeconds: i.durationSeconds,
            ...(i.mfa === undefined ? {} : { SerialNumber: i.mfa.serialNumber, TokenCode: i.mfa.tokenCode }),
          }),
        )
        .catch((e: unknown) => {
          throw translateAwsError(e, { operation: "GetSessionToken", where, mfaSerial: i.mfa?.serialNumber });
        });
      return fromSts(out.Credentials, "GetSessionToken");
    },
    async assumeRole(i) {
      const out = await client(i.credentials)
        .send(
          new AssumeRoleCommand({
            RoleArn: i.roleArn,
            RoleSessionName: i.roleSessionName,
            DurationSeconds: i.durationSeconds,
            ...(i.externalId === undefined ? {} : { ExternalId: i.externalId }),
            ...(i.mfa === undefined ? {} : { SerialNumber: i.mfa.serialNumber, TokenCode: i.mfa.tokenCode }),
          }),
        )
        .catch((e: unknown) => {
          throw translateAwsError(e, { operation: "AssumeRole", where, mfaSerial: i.mfa?.serialNumber, roleArn: i.roleArn });
        });
      return fromSts(out.Credentials, "AssumeRole");
    },
    async assumeRoleWithSaml(i) {
      const out = await anonymous()
        .send(
          new AssumeRoleWithSAMLCommand({
            RoleArn: i.roleArn,
            PrincipalArn: i.principalArn,
            SAMLAssertion: i.samlAssertion,
            DurationSeconds: i.durationSeconds,
          }),
        )
        .catch((e: unknown) => {
          throw translateAwsError(e, { operation: "AssumeRoleWithSAML", where, roleArn: i.roleArn });
        });
      return fromSts(out.Credentials, "AssumeRoleWithSAML");
    },
    async assumeRoleWithWebIdentity(i) {
      const out = await anonymous()
        .send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: i.roleArn,
            RoleSessionName: i.roleSessionName,
            WebIdentityToken: i.webIdentityToken,
            DurationSeconds: i.durationSeconds,
          }),
        )
        .catch((e: unknown) => {
          throw translateAwsError(e, { operation: "AssumeRoleWithWebIdentity", where, roleArn: i.roleArn });
        });
      return fromSts(out.Credentials, "AssumeRoleWithWebIdentity");
    },
    async getCallerIdentity(credentials): Promise<CallerIdentity> {
      const out = await client(credentials)
        .send(new GetCallerIdentityCommand({}))
        .catch((e: unknown) => {
          throw translateAwsError(e, { operation: "GetCallerIdentity", where });
        });
      return { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" };
    },
  };
}

function fromSts(c: StsCredentials | undefined, operation: string): Credentials {
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
    throw translateAwsError(new Error(`${operation} returned no credentials`), { operation, where: "STS" });
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
    ...(c.Expiration === undefined ? {} : { expiration: new Date(c.Expiration) }),
  };
}
