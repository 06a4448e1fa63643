/**
 * `serve ec2` and `serve ecs` for real: the built CLI serves a role profile (static source keys, moto behind the
 * recording proxy as STS), and awscli v1, boto3 and the AWS SDK for JavaScript — configured with nothing but the env
 * lines the server prints — get credentials from it and call GetCallerIdentity on moto as the served role.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cleanEnv, tempHome } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import { peerSkip } from "../helpers/peers.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { runIn, startServe, type ServeProcess } from "./serveProcess.js";

const skip = peerSkip("moto_server", ["--help"]) || peerSkip("aws") || peerSkip("python3", ["-c", "import boto3"]);

const ADMIN = "arn:aws:iam::123456789012:role/Admin";
const OTHER = "arn:aws:iam::123456789012:role/Other";
const CONFIG = `[default]
region = us-east-1

[profile admin]
role_arn = ${ADMIN}
source_profile = default

[profile other]
role_arn = ${OTHER}
source_profile = default
`;
const CREDENTIALS = `[default]
aws_access_key_id = AKIAIOSFODNN7USERKEY
aws_secret_access_key = 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
`;

/** A client's environment: no AWS files (an empty HOME), no AWS variables, only the `vars` the server printed. */
function clientEnv(vars: Record<string, string>): Record<string, string> {
  const home = mkdtempSync(path.join(os.tmpdir(), "runas-client-"));
  return { ...cleanEnv(home), AWS_CONFIG_FILE: path.join(home, "none"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, "none"), ...vars };
}

/** The ARN moto says the client's credentials belong to, per client. */
async function awscli(env: Record<string, string>, sts: string): Promise<string> {
  const r = await runIn("aws", ["sts", "get-caller-identity", "--endpoint-url", sts, "--region", "us-east-1", "--output", "json"], env);
  assert.equal(r.code, 0, `awscli: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { Arn: string }).Arn;
}

async function boto3(env: Record<string, string>, sts: string): Promise<string> {
  const r = await runIn("python3", ["-c", [
    "import boto3, sys",
    "s = boto3.Session(region_name='us-east-1')",
    "print(s.get_credentials().method, file=sys.stderr)",
    `print(s.client('sts', endpoint_url='${sts}').get_caller_identity()['Arn'])`,
  ].join("\n")], env);
  assert.equal(r.code, 0, `boto3: ${r.stderr}`);
  return r.stdout.trim();
}

const JS_CLIENT = `
import { fromContainerMetadata, fromInstanceMetadata, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
const providers = {
  imds: () => fromInstanceMetadata({ timeout: 5000, maxRetries: 0 }),
  ecs: () => fromContainerMetadata({ timeout: 5000, maxRetries: 0 }),
  chain: () => fromNodeProviderChain(),
};
const credentials = providers[process.env.PROVIDER]();
const sts = new STSClient({ region: "us-east-1", endpoint: process.env.STS_URL, credentials });
const id = await sts.send(new GetCallerIdentityCommand({}));
const c = await credentials();
if (!(c.expiration instanceof Date) || !c.sessionToken) throw new Error("expiration or session token missing");
console.log(id.Arn);
`;

async function jsSdk(provider: "imds" | "ecs" | "chain", env: Record<string, string>, sts: string): Promise<string> {
  const r = await runIn(process.execPath, ["--input-type=module", "-e", JS_CLIENT],
    { ...env, PROVIDER: provider, STS_URL: sts, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  assert.equal(r.code, 0, `JS SDK ${provider}: ${r.stderr}`);
  return r.stdout.trim();
}

const assumed = (role: string) => new RegExp(`^arn:aws:sts::123456789012:assumed-role/${role}/`);

describe("serve ec2 / serve ecs with real SDK clients", { skip }, () => {
  let proxy: RecordingProxy;
  useMotoBehindProxy((p) => (proxy = p));
  const servers: ServeProcess[] = [];
  after(() => {
    for (const s of servers) s.kill();
  });

  const serve = async (args: string[]): Promise<ServeProcess> => {
    const { home } = tempHome(CONFIG, CREDENTIALS);
    const s = startServe(args, cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url }));
    servers.push(s);
    await s.waitFor((_out, err) => err.includes("Using initial profile 'admin'"), "the initial profile");
    return s;
  };
  const assumeRoles = (role: string) =>
    proxy.calls.filter((c) => c.action === "AssumeRole" && c.params.get("RoleArn") === role).length;

  it("serve ec2 -p 0 admin: awscli, boto3 and the JS SDK (fromInstanceMetadata, default chain) act as the role", async () => {
    const s = await serve(["serve", "ec2", "-p", "0", "admin"]);
    const vars = s.vars();
    assert.deepEqual(Object.keys(vars), ["AWS_EC2_METADATA_SERVICE_ENDPOINT"]);
    assert.match(vars.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? "", /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const env = clientEnv(vars);

    const arns = await Promise.all([
      awscli(env, proxy.url),
      boto3(env, proxy.url),
      jsSdk("imds", env, proxy.url),
      jsSdk("chain", env, proxy.url),
    ]);
    for (const arn of arns) assert.match(arn, assumed("Admin"));
    assert.equal(assumeRoles(ADMIN), 1, "one AssumeRole however many clients");
    // Every client fetched an IMDSv2 token first, then the role name and the credentials.
    assert.match(s.stderr(), /INFO PUT \/latest\/api\/token HTTP\/1\.1 200 43/);
    assert.match(s.stderr(), /INFO GET \/latest\/meta-data\/iam\/security-credentials\/admin HTTP\/1\.1 200 \d+/);
    assert.deepEqual(await s.stop("SIGINT"), { code: 0, signal: null });
  });

  it("serve ecs -p 0 admin: the clients with _TOKEN and with _TOKEN_FILE; /credentials/other serves another profile", async () => {
    const s = await serve(["serve", "ecs", "-p", "0", "admin"]);
    const vars = s.vars();
    assert.deepEqual(Object.keys(vars), [
      "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    ]);
    const uri = vars.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? "";
    assert.match(uri, /^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    const { AWS_CONTAINER_AUTHORIZATION_TOKEN: token = "", AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file = "" } = vars;
    const withToken = clientEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: uri, AWS_CONTAINER_AUTHORIZATION_TOKEN: token });
    const withFile = clientEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: uri, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file });

    const arns = await Promise.all([
      awscli(withToken, proxy.url),
      awscli(withFile, proxy.url),
      boto3(withToken, proxy.url),
      boto3(withFile, proxy.url),
      jsSdk("ecs", withToken, proxy.url),
      jsSdk("chain", withFile, proxy.url),
    ]);
    for (const arn of arns) assert.match(arn, assumed("Admin"));
    assert.equal(assumeRoles(ADMIN), 1, "one AssumeRole however many clients");

    // Another profile by path, asked by several clients at once: one AssumeRole for it, the active one unchanged.
    const other = clientEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${uri}/other`, AWS_CONTAINER_AUTHORIZATION_TOKEN: token });
    const others = await Promise.all([awscli(other, proxy.url), boto3(other, proxy.url), jsSdk("ecs", other, proxy.url)]);
    for (const arn of others) assert.match(arn, assumed("Other"));
    assert.equal(assumeRoles(OTHER), 1);
    assert.match(await awscli(withToken, proxy.url), assumed("Admin"));
    assert.equal(assumeRoles(ADMIN), 1);

    assert.deepEqual(await s.stop("SIGTERM"), { code: 0, signal: null });
  });
});
