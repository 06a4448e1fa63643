import type { Credentials, CredentialProvider } from "../domain/credentials.js";

/** Who a set of credentials belongs to (STS GetCallerIdentity). */
export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** The MFA parameters of an STS call. */
export interface MfaParams {
  serialNumber: string;
  tokenCode: string;
}

/**
 * The STS operations the credential flows need, each taking the credentials that sign the call. The real adapter
 * (src/lazy/sts.ts) wraps the AWS SDK and is loaded only on a cache miss; tests use a fake.
 */
export interface StsApi {
  getSessionToken(i: { credentials: Credentials; durationSeconds: number; mfa?: MfaParams }): Promise<Credentials>;
  assumeRole(i: {
    credentials: Credentials;
    roleArn: string;
    roleSessionName: string;
    durationSeconds: number;
    externalId?: string;
    mfa?: MfaParams;
  }): Promise<Credentials>;
  getCallerIdentity(credentials: Credentials): Promise<CallerIdentity>;
  /** Unsigned: the SAML assertion is the proof (core.md §3.5). */
  assumeRoleWithSaml(i: { roleArn: string; principalArn: string; samlAssertion: string; durationSeconds: number }): Promise<Credentials>;
  /** Unsigned: the id token is the proof (core.md §3.6). */
  assumeRoleWithWebIdentity(i: {
    roleArn: string;
    roleSessionName: string;
    webIdentityToken: string;
    durationSeconds: number;
  }): Promise<Credentials>;
}

/** Where an StsApi sends its requests. */
export interface StsTarget {
  region: string;
  /** An explicit endpoint (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or the profile's endpoint_url), else the SDK's default. */
  endpoint?: string;
}

/** Builds an StsApi; asynchronous because the SDK is loaded on first use. */
export type StsFactory = (target: StsTarget) => Promise<StsApi>;

/**
 * Base credentials the AWS SDK resolves itself, for sources aws-runas does not handle directly: a profile with
 * credential_process or IAM Identity Center settings, or (with no profile) the SDK's default chain.
 */
export type SdkCredentialsFactory = (profile: string | undefined) => CredentialProvider;
