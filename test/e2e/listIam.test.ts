/**
 * End to end for `list roles` and `list mfa` of IAM profiles (core.md §6.1, §6.2), against moto_server (a real IAM
 * and STS) behind the recording proxy. The IAM data is created through the AWS SDK for JavaScript: a user with keys,
 * inline, managed (with a second, default version) and group policies, and an enabled virtual MFA device.
 *
 * The first suite runs the commands in-process with the real SDK adapters; the second runs the built CLI
 * (dist/aws-runas.cjs) exactly as a user does.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { createFileLocker } from "../../src/cache/fileLocker.js";
import type { AppDeps } from "../../src/cli/appDeps.js";
import { parseCommandLine } from "../../src/cli/argv.js";
import { runListMfa } from "../../src/cli/commands/listIam.js";
import { runListRoles } from "../../src/cli/commands/listRoles.js";
import { isRunasError } from "../../src/domain/errors.js";
import { createStsApi } from "../../src/lazy/sts.js";
import { cleanEnv, runCli, tempHome } from "../helpers/cliRun.js";
import type { RunResult } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import { stsErrorXml, type RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";
import { memoryLogger } from "../fakes/memoryLogger.js";

const skip = peerSkip("moto_server", ["--help"]);

/** moto's account. */
const ACCOUNT = "123456789012";
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const MFA_SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`;

/** What `list roles` must print for alice: her inline, managed (default version) and group policies' roles. */
const ALICE_ROLES =
  "Available role ARNs for alice\n" +
  ["Alpha", "Beta", "GroupInline", "GroupManaged", "Managed"].map((r) => `  ${role(r)}\n`).join("");

/** The IAM calls of one `list roles` for alice, sorted (they run concurrently). */
const ALICE_IAM_CALLS = [
  "GetGroupPolicy", "GetPolicy", "GetPolicy", "GetPolicyVersion", "GetPolicyVersion", "GetUserPolicy",
  "ListAttachedGroupPolicies", "ListAttachedUserPolicies", "ListGroupPolicies", "ListGroupsForUser", "ListUserPolicies",
];

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function policy(statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
const allowAssume = (...roles: string[]) => ({ Effect: "Allow", Action: "sts:AssumeRole", Resource: roles.length === 1 ? roles[0] : roles });

/** Creates alice (policies, group, MFA device), bob (nothing), and role credentials; answers their keys. */
async function createIamData(endpoint: string): Promise<{ alice: Keys; bob: Keys; roleSession: Keys }> {
  const admin = { region: "us-east-1", endpoint, credentials: { accessKeyId: "AKIAADMINEXAMPLE0001", secretAccessKey: "admin" } };
  const iam = new IAMClient(admin);
  await iam.send(new CreateUserCommand({ UserName: "alice", Path: "/engineering/" }));
  await iam.send(new CreateUserCommand({ UserName: "bob" }));
  await iam.send(new PutUserPolicyCommand({
    UserName: "alice",
    PolicyName: "assume-two",
    PolicyDocument: policy([
      allowAssume(role("Alpha"), role("Beta"), role("wild-*")),
      { Effect: "Deny", Action: "sts:AssumeRole", Resource: role("Denied") },
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" },
    ]),
  }));
  const managed = await iam.send(new CreatePolicyCommand({ PolicyName: "managed", PolicyDocument: policy([allowAssume(role("OldVersion"))]) }));
  const managedArn = managed.Policy?.Arn ?? "";
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: managedArn, PolicyDocument: policy([allowAssume(role("Managed"))]), SetAsDefault: true }));
  await iam.send(new AttachUserPolicyCommand({ UserName: "alice", PolicyArn: managedArn }));

  await iam.send(new CreateGroupCommand({ GroupName: "devs" }));
  await iam.send(new AddUserToGroupCommand({ GroupName: "devs", UserName: "alice" }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: "devs", PolicyName: "group-inline", PolicyDocument: policy([allowAssume(role("GroupInline"))]) }));
  const groupManaged = await iam.send(new CreatePolicyCommand({ PolicyName: "group-managed", PolicyDocument: policy([allowAssume(role("GroupManaged"))]) }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: "devs", PolicyArn: groupManaged.Policy?.Arn ?? "" }));

  const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "alice-phone" }));
  await iam.send(new EnableMFADeviceCommand({
    UserName: "alice",
    SerialNumber: device.VirtualMFADevice?.SerialNumber ?? "",
    AuthenticationCode1: "123456",
    AuthenticationCode2: "654321",
  }));

  const keysOf = async (user: string): Promise<Keys> => {
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey;
    return { accessKeyId: k?.AccessKeyId ?? "", secretAccessKey: k?.SecretAccessKey ?? "" };
  };
  const alice = await keysOf("alice");
  const bob = await keysOf("bob");

  await iam.send(new CreateRoleCommand({
    RoleName: "Admin",
    AssumeRolePolicyDocument: policy([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }]),
  }));
  const sts = new STSClient({ ...admin, credentials: alice });
  const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: role("Admin"), RoleSessionName: "alice" }))).Credentials;
  const roleSession = {
    accessKeyId: assumed?.AccessKeyId ?? "",
    secretAccessKey: assumed?.SecretAccessKey ?? "",
    sessionToken: assumed?.SessionToken ?? "",
  };
  return { alice, bob, roleSession };
}

function config(): string {
  return `[default]
region = us-east-1

[profile alice]

[profile bob]

[profile ops]
role_arn = ${role("Ops")}
source_profile = alice
mfa_serial = ${MFA_SERIAL}

[profile role-session]

[profile nokeys]
role_arn = ${role("Ops")}

[profile saml]
saml_auth_url = http://127.0.0.1:9/mock/saml
role_arn = ${role("Saml")}
`;
}

function credentials(k: { alice: Keys; bob: Keys; roleSession: Keys }): string {
  const section = (name: string, keys: Keys) =>
    `[${name}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n` +
    (keys.sessionToken === undefined ? "" : `aws_session_token = ${keys.sessionToken}\n`);
  return [section("alice", k.alice), section("bob", k.bob), section("role-session", k.roleSession)].join("\n");
}

/** The query-protocol error body IAM returns. */
function iamErrorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${message}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`;
}

/** A failed run: exit 1, nothing on stdout, one stderr line matching `pattern` and no secret. */
function oneLineFailure(r: RunResult, pattern: RegExp, secrets: string[]): void {
  assert.equal(r.code, 1, `exit status; stderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? "", pattern);
  for (const s of secrets) assert.ok(!r.stderr.includes(s), "a secret reached stderr");
}

describe("list roles / list mfa of IAM users, in-process with the SDK adapters, against moto", { skip }, () => {
  let proxy: RecordingProxy;
  let keys: { alice: Keys; bob: Keys; roleSession: Keys };
  useMotoBehindProxy((p) => (proxy = p));
  before(async () => {
    keys = await createIamData(proxy.url);
    proxy.clear();
  });

  /** runListRoles / runListMfa with real STS (lazy/sts.ts) and IAM (lazy/iam.ts) adapters, in a temp HOME. */
  const run = async (argv: string[]) => {
    const { home } = tempHome(config(), credentials(keys));
    const env = { HOME: home, AWS_ENDPOINT_URL: proxy.url };
    const logger = memoryLogger(false);
    let stdout = "";
    const deps: AppDeps = {
      out: { stdout: (t) => (stdout += t), stderr: () => undefined },
      clock: { now: () => new Date() },
      platform: process.platform,
      homeDir: home,
      version: "0.0.0-test",
      logger: () => logger,
      prompter: () => ({ text: () => Promise.reject(new Error("no prompt")), secret: () => Promise.reject(new Error("no prompt")) }),
      locker: createFileLocker(),
      osUser: () => "tester",
      sts: async (target, l) => createStsApi(target, l),
      openBrowser: () => Promise.reject(new Error("no browser")),
      sdkCredentials: () => Promise.reject(new Error("no SDK credentials")),
    };
    const cl = parseCommandLine(argv, env);
    const command = argv.includes("-m") || argv.includes("mfa") ? runListMfa : runListRoles;
    const code = await command(cl, env, deps, logger);
    return { code, stdout, log: logger.lines };
  };

  it("lists alice's roles from her inline, managed (default version) and group policies", async () => {
    const r = await run(["list", "roles", "alice"]);
    assert.deepEqual(r, { code: 0, stdout: ALICE_ROLES, log: [] });
    assert.deepEqual(proxy.actions().filter((a) => a !== "GetCallerIdentity").sort(), ALICE_IAM_CALLS);
    assert.ok(proxy.calls.every((c) => c.accessKeyId === keys.alice.accessKeyId), "every call is signed by alice's key");
  });

  it("lists alice's MFA device", async () => {
    const r = await run(["-m", "ops"]);
    assert.deepEqual(r, { code: 0, stdout: `${MFA_SERIAL}\n`, log: [] });
    assert.deepEqual(proxy.actions(), ["GetCallerIdentity", "ListMFADevices"]);
  });

  it("names the permission an AccessDenied is about", async () => {
    proxy.stubs.push((c) => (c.action === "ListMFADevices"
      ? { status: 403, body: iamErrorXml("AccessDenied", "User: arn:aws:iam::123456789012:user/engineering/alice is not authorized to perform: iam:ListMFADevices") }
      : undefined));
    await assert.rejects(run(["-m", "alice"]), (e) => {
      assert.ok(isRunasError(e));
      assert.match(e.message, /^AWS denied iam:ListMFADevices on user 'alice': allow iam:ListMFADevices for this IAM user/);
      return true;
    });
  });
});

describe("aws-runas list roles / list mfa (built CLI) against moto", { skip }, () => {
  let proxy: RecordingProxy;
  let keys: { alice: Keys; bob: Keys; roleSession: Keys };
  useMotoBehindProxy((p) => (proxy = p));
  before(async () => {
    keys = await createIamData(proxy.url);
    proxy.clear();
  });
  const setup = () => {
    const { home } = tempHome(config(), credentials(keys));
    return cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url });
  };
  const secrets = () => [keys.alice.secretAccessKey, keys.bob.secretAccessKey, keys.roleSession.secretAccessKey];

  it("aws-runas -l alice prints the roles her policies allow, signed with her keys only", async () => {
    const r = await runCli(["-l", "alice"], setup());
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, ALICE_ROLES);
    assert.equal(r.stderr, "");
    assert.deepEqual(proxy.actions().filter((a) => a !== "GetCallerIdentity").sort(), ALICE_IAM_CALLS);
    assert.ok(proxy.calls.every((c) => c.accessKeyId === keys.alice.accessKeyId));
  });

  it("aws-runas list roles <role profile> lists the source user's roles: no role assumed, no MFA prompt", async () => {
    const r = await runCli(["list", "roles", "ops"], setup(), "");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, ALICE_ROLES);
    assert.ok(!r.stderr.includes("MFA token code"), r.stderr);
    assert.ok(!proxy.actions().some((a) => a === "GetSessionToken" || a === "AssumeRole"), proxy.actions().join());
  });

  it("AWS_PROFILE selects the profile of aws-runas list roles", async () => {
    const r = await runCli(["list", "roles"], { ...setup(), AWS_PROFILE: "alice" });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, ALICE_ROLES);
  });

  it("a user whose policies name no role gets just the header", async () => {
    const r = await runCli(["-l", "bob"], setup());
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "Available role ARNs for bob\n");
  });

  it("aws-runas -m prints the MFA device's serial in the form mfa_serial takes", async () => {
    for (const argv of [["-m", "alice"], ["list", "mfa", "ops"]]) {
      proxy.clear();
      const r = await runCli(argv, setup());
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${MFA_SERIAL}\n`);
      assert.deepEqual(proxy.actions(), ["GetCallerIdentity", "ListMFADevices"]);
      assert.equal(proxy.calls[1]?.params.get("UserName"), "alice");
    }
  });

  it("aws-runas -m for a user without a device prints nothing and exits 0", async () => {
    const r = await runCli(["-m", "bob"], setup());
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /INFO IAM user 'bob' has no MFA device\n$/);
  });

  it("AccessDenied: one line naming the missing permission, exit 1", async () => {
    proxy.stubs.push((c) => (c.action === "ListAttachedGroupPolicies"
      ? { status: 403, body: iamErrorXml("AccessDenied", "User: arn:aws:iam::123456789012:user/engineering/alice is not authorized to perform: iam:ListAttachedGroupPolicies on resource: group devs") }
      : undefined));
    const r = await runCli(["-l", "alice"], setup());
    oneLineFailure(r, /AWS denied iam:ListAttachedGroupPolicies on group 'devs': allow iam:ListAttachedGroupPolicies for this IAM user/, secrets());
  });

  it("role credentials (not an IAM user): one line saying to use the user's profile, exit 1", async () => {
    for (const argv of [["-l", "role-session"], ["-m", "role-session"]]) {
      const r = await runCli(argv, setup());
      oneLineFailure(r, /profile 'role-session' gives role credentials \(arn:aws:sts::123456789012:assumed-role\/Admin\/alice\), not an IAM user's: .*use the profile that holds the IAM user's access keys$/, secrets());
    }
  });

  it("keys AWS rejects: one line, exit 1", async () => {
    proxy.stubs.push((c) => (c.action === "GetCallerIdentity"
      ? { status: 403, body: stsErrorXml("InvalidClientTokenId", "The security token included in the request is invalid.") }
      : undefined));
    const r = await runCli(["-l", "alice"], setup());
    oneLineFailure(r, /AWS rejected the access key used for GetCallerIdentity \(InvalidClientTokenId\)/, secrets());
    assert.deepEqual(proxy.actions(), ["GetCallerIdentity"]);
  });

  it("no credentials, an ARN, or a SAML profile for list mfa: one line each, exit 1, no AWS call", async () => {
    const env = setup();
    oneLineFailure(await runCli(["-l", "nokeys"], env), /profile 'nokeys' has no credentials: add aws_access_key_id/, secrets());
    oneLineFailure(await runCli(["-m", "nokeys"], env), /profile 'nokeys' has no credentials: /, secrets());
    oneLineFailure(await runCli(["list", "roles", role("Ops")], env), /profile looks like an ARN, check command parameters and environment variables$/, []);
    oneLineFailure(await runCli(["-m", role("Ops")], env), /profile looks like an ARN/, []);
    oneLineFailure(await runCli(["list", "mfa", "saml"], env), /detected SAML or Web Identity profile, only IAM profiles support MFA device retrieval/, []);
    assert.deepEqual(proxy.actions(), []);
  });

  it("with nothing configured at all: the SDK's default chain finds no keys, one line, exit 1", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "runas-empty-"));
    const r = await runCli(["-l"], cleanEnv(home, { AWS_ENDPOINT_URL: proxy.url, AWS_EC2_METADATA_DISABLED: "true" }));
    oneLineFailure(r, /could not load base credentials from the environment or the \[default\] profile: /, []);
  });
});
