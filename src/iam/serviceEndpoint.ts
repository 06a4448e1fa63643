import type { Env } from "../ports.js";

/**
 * The endpoint override for an AWS service as the AWS SDKs define it: AWS_ENDPOINT_URL_<SERVICE>, then
 * AWS_ENDPOINT_URL, then the profile's endpoint_url; none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true. Undefined
 * means the SDK's own endpoint for the region (the global IAM endpoint, the regional STS one).
 */
export function serviceEndpoint(env: Env, service: "IAM" | "STS" | "ECR" | "EC2" | "SSM" | "EC2_INSTANCE_CONNECT", profileEndpoint: string | undefined): string | undefined {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true") return undefined;
  return [env[`AWS_ENDPOINT_URL_${service}`], env.AWS_ENDPOINT_URL, profileEndpoint].find((v) => v !== undefined && v !== "");
}
