import type { Credentials } from "../domain/credentials.js";
import type { Logger } from "../ports.js";

/**
 * The one ECR operation `ecr login` needs. The real adapter (src/lazy/ecr.ts) wraps the AWS SDK and is loaded only by
 * this command; tests use a fake.
 */
export interface EcrApi {
  /** GetAuthorizationToken in `region`: the base64 `user:password` token of the first authorization data. */
  authorizationToken(region: string): Promise<string>;
}

/** Where an EcrApi sends its requests: an explicit endpoint (AWS_ENDPOINT_URL_ECR …), else each region's own. */
export interface EcrTarget {
  endpoint?: string;
}

/** Builds an EcrApi signing with `credentials`; asynchronous because the SDK is loaded on first use. */
export type EcrFactory = (target: EcrTarget, credentials: Credentials, logger: Logger) => Promise<EcrApi>;
