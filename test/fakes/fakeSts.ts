import type { Credentials } from "../../src/domain/credentials.js";
import type { CallerIdentity, StsApi } from "../../src/providers/stsApi.js";

/** One call the fake saw, with the key that signed it. */
export interface FakeStsCall {
  op: "GetSessionToken" | "AssumeRole" | "GetCallerIdentity" | "AssumeRoleWithSAML" | "AssumeRoleWithWebIdentity";
  signedBy: string;
  input: Record<string, unknown>;
}

/**
 * An StsApi that issues numbered credentials and records every call, so provider tests can assert exactly which STS
 * steps ran, with which credentials and parameters. `validMfaCode` makes it reject any other code, as STS does.
 */
export function fakeSts(o: { now: () => Date; validMfaCode?: string; callerArn?: string } = { now: () => new Date() }): StsApi & { calls: FakeStsCall[] } {
  const calls: FakeStsCall[] = [];
  let n = 0;
  const issue = (prefix: string, seconds: number): Credentials => {
    n += 1;
    return {
      accessKeyId: `ASIA${prefix}${n}`,
      secretAccessKey: `secret${n}`,
      sessionToken: `token${n}`,
      expiration: new Date(o.now().getTime() + seconds * 1000),
    };
  };
  const checkMfa = (mfa?: { tokenCode: string }) => {
    if (mfa !== undefined && o.validMfaCode !== undefined && mfa.tokenCode !== o.validMfaCode) {
      throw new Error("MultiFactorAuthentication failed with invalid MFA one time pass code.");
    }
  };
  return {
    calls,
    async getSessionToken(i) {
      calls.push({ op: "GetSessionToken", signedBy: i.credentials.accessKeyId, input: { durationSeconds: i.durationSeconds, mfa: i.mfa } });
      checkMfa(i.mfa);
      return issue("SESSION", i.durationSeconds);
    },
    async assumeRole(i) {
      const { credentials, ...input } = i;
      calls.push({ op: "AssumeRole", signedBy: credentials.accessKeyId, input });
      checkMfa(i.mfa);
      return issue("ROLE", i.durationSeconds);
    },
    async assumeRoleWithSaml(i) {
      calls.push({ op: "AssumeRoleWithSAML", signedBy: "", input: { ...i } });
      return issue("SAML", i.durationSeconds);
    },
    async assumeRoleWithWebIdentity(i) {
      calls.push({ op: "AssumeRoleWithWebIdentity", signedBy: "", input: { ...i } });
      return issue("WEB", i.durationSeconds);
    },
    async getCallerIdentity(c): Promise<CallerIdentity> {
      calls.push({ op: "GetCallerIdentity", signedBy: c.accessKeyId, input: {} });
      return { account: "123456789012", arn: o.callerArn ?? "arn:aws:iam::123456789012:user/alice", userId: "AIDA" };
    },
  };
}
