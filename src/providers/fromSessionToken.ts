import type { CredentialProvider } from "../domain/credentials.js";
import type { Logger } from "../ports.js";
import { mfaParams, type MfaCodeSource } from "./mfaCode.js";
import type { StsApi } from "./stsApi.js";

/** Session-token credentials (STS GetSessionToken) made from long-term keys, with MFA when a serial is set (core.md §3.2). */
export function fromSessionToken(init: {
  sts: () => Promise<StsApi>;
  source: CredentialProvider;
  durationSeconds: number;
  mfaSerial?: string;
  mfaCode: MfaCodeSource;
  logger: Logger;
}): CredentialProvider {
  return async () => {
    const credentials = await init.source();
    const mfa = await mfaParams(init.mfaSerial, init.mfaCode);
    init.logger.debug("Detected expired or unset session token credentials, refreshing");
    const sts = await init.sts();
    return sts.getSessionToken({ credentials, durationSeconds: init.durationSeconds, ...(mfa === undefined ? {} : { mfa }) });
  };
}
