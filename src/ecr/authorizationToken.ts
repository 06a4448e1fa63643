import { RunasError } from "../domain/errors.js";

/** The docker credentials an ECR authorization token stands for. */
export interface RegistryLogin {
  username: string;
  password: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * An ECR authorization token is base64 of `<user>:<password>` (the user is `AWS`); core.md §11 step 3. Split at the
 * first ':' so a password holding one stays whole. The token and the password are never put in a message.
 */
export function decodeAuthorizationToken(token: string, region: string): RegistryLogin {
  const text = BASE64.test(token) && token.length % 4 === 0 ? Buffer.from(token, "base64").toString("utf8") : "";
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) {
    throw new RunasError(
      "STS_ERROR",
      `the ECR authorization token from ${region} is not base64 of "user:password"; run the command again, and if it ` +
        "repeats, check AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL / endpoint_url",
    );
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
