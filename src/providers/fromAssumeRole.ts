import type { Credentials, CredentialProvider } from "../domain/credentials.js";
import type { Logger } from "../ports.js";
import { mfaParams, type MfaCodeSource } from "./mfaCode.js";
import type { StsApi } from "./stsApi.js";

/** Role credentials (STS AssumeRole) signed by the source's credentials (core.md §3.3, §3.8). */
export function fromAssumeRole(init: {
  sts: () => Promise<StsApi>;
  source: CredentialProvider;
  roleArn: string;
  durationSeconds: number;
  /** Resolved lazily: the default name needs a GetCallerIdentity with the source's credentials (core.md §3.7). */
  roleSessionName: (source: Credentials) => Promise<string>;
  externalId?: string;
  /** Set only when this call carries the MFA (roles over one hour; otherwise the session token did). */
  mfaSerial?: string;
  mfaCode: MfaCodeSource;
  logger: Logger;
}): CredentialProvider {
  return async () => {
    const credentials = await init.source();
    const roleSessionName = await init.roleSessionName(credentials);
    const mfa = await mfaParams(init.mfaSerial, init.mfaCode);
    init.logger.debug("Detected expired or unset assume role credentials, refreshing");
    const sts = await init.sts();
    return sts.assumeRole({
      credentials,
      roleArn: init.roleArn,
      roleSessionName,
      durationSeconds: init.durationSeconds,
      ...(init.externalId === undefined ? {} : { externalId: init.externalId }),
      ...(mfa === undefined ? {} : { mfa }),
    });
  };
}
