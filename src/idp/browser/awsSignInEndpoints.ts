/**
 * The AWS sign-in endpoints an IdP posts the SAMLResponse to (idp.md §9.1, §13 item 8): the global one, the regional
 * ones, GovCloud and China, each also with the per-provider `/saml/acs/<id>` path IAM hands out for SAML providers
 * with encrypted assertions. Upstream watched only `https://signin.aws.amazon.com/saml`.
 */

/** The sign-in hosts of each partition; each also has regional forms `<region>.<host>`. */
const SIGNIN_HOSTS = ["signin.aws.amazon.com", "signin.amazonaws-us-gov.com", "signin.amazonaws.cn"] as const;

/** An AWS region name: us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5 … */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** `/saml` (with or without a trailing slash) or `/saml/acs/<provider id>`. */
const SIGNIN_PATH = /^\/saml(?:\/|\/acs\/[A-Za-z0-9_-]+\/?)?$/;

/**
 * Fetch.enable request patterns that pause every request to those endpoints. CDP's `*` matches any text, slashes
 * included, so a paused request is checked again with `isAwsSignInEndpoint` before it counts.
 */
export const AWS_SIGNIN_URL_PATTERNS: readonly string[] = SIGNIN_HOSTS.flatMap((host) => [
  `https://${host}/saml*`,
  `https://*.${host}/saml*`,
]);

/**
 * True when `url` is an AWS sign-in endpoint: https on the default port, one of the partitions' sign-in hosts or a
 * regional form of it, and a SAML path. Look-alikes (`signin.aws.amazon.com.evil.example`, another port, plain http,
 * `/saml` hidden in another host's path) are not.
 */
export function isAwsSignInEndpoint(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== "https:" || u.port !== "" || u.username !== "" || u.password !== "") return false;
  if (!SIGNIN_PATH.test(u.pathname)) return false;
  const host = u.hostname;
  return SIGNIN_HOSTS.some((base) => {
    if (host === base) return true;
    if (!host.endsWith(`.${base}`)) return false;
    return REGION.test(host.slice(0, -(base.length + 1)));
  });
}
