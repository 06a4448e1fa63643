/**
 * The configuration every AWS SDK client of aws-runas is built with: region and endpoint override, the caller's
 * credentials (none for STS's unsigned SAML / web-identity calls), two attempts and short timeouts (a
 * credential_process must not hang), and `-vv` tracing with secrets redacted.
 */
import type { Credentials } from "../domain/credentials.js";
import type { Logger } from "../ports.js";
import { sdkLogger } from "./sdkLogger.js";

export function sdkClientConfig(o: {
  region: string;
  endpoint?: string | undefined;
  credentials?: Credentials;
  logger: Logger;
  maxAttempts?: number;
}) {
  // The SDK warns about Node 20 on first use; the warning is noise on stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const c = o.credentials;
  return {
    region: o.region,
    ...(o.endpoint === undefined ? {} : { endpoint: o.endpoint }),
    ...(c === undefined
      ? {}
      : {
          credentials: {
            accessKeyId: c.accessKeyId,
            secretAccessKey: c.secretAccessKey,
            ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
          },
        }),
    maxAttempts: o.maxAttempts ?? 2,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 20000 },
    ...(o.logger.traceEnabled ? { logger: sdkLogger(o.logger) } : {}),
  };
}
