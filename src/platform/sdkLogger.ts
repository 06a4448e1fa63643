import type { Logger } from "../ports.js";

/** Keys whose values are secrets in SDK request/response logs, whatever the SDK's own filtering does. */
const SECRET_NAMES = "SecretAccessKey|SessionToken|TokenCode|WebIdentityToken|SAMLAssertion|authorizationToken|password|TokenValue|SSHPublicKey";
const SECRET_KEYS = new RegExp(`^(${SECRET_NAMES})$`, "i");
/** The same keys inside JSON text the SDK logs as a string (a raw request or response body). */
const SECRET_IN_JSON = new RegExp(`("(?:${SECRET_NAMES})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi");

/** Renders one SDK log record as a DEBUG line with every secret value replaced by "***" (the `-vv` tracing, Q-02). */
function render(args: unknown[]): string {
  return args
    .map((a) =>
      typeof a === "string"
        ? a.replace(SECRET_IN_JSON, '$1"***"')
        : JSON.stringify(a, (key, value: unknown) => (SECRET_KEYS.test(key) && value !== undefined ? "***" : value)),
    )
    .join(" ");
}

/** An SDK-compatible logger that writes request/response traces at DEBUG, secrets redacted. */
export function sdkLogger(logger: Logger): {
  trace: (...a: unknown[]) => void;
  debug: (...a: unknown[]) => void;
  info: (...a: unknown[]) => void;
  warn: (...a: unknown[]) => void;
  error: (...a: unknown[]) => void;
} {
  const line = (...a: unknown[]): void => {
    const text = render(a);
    // The SDK's config lookups ("Not found in ENV") say nothing about the requests being traced.
    if (!text.startsWith("@smithy/property-provider")) logger.debug(`AWS SDK ${text}`);
  };
  return { trace: line, debug: line, info: line, warn: line, error: line };
}
