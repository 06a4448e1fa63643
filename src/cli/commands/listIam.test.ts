import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createFileLocker } from "../../cache/fileLocker.js";
import type { Credentials } from "../../domain/credentials.js";
import { isRunasError, RunasError } from "../../domain/errors.js";
import type { IamTarget } from "../../iam/iamApi.js";
import type { Env } from "../../ports.js";
import type { StsTarget } from "../../providers/stsApi.js";
import { assumeRolePolicy, fakeIam, type FakeIamOptions, type IamModel } from "../../../test/fakes/fakeIam.js";
import { fakeSts } from "../../../test/fakes/fakeSts.js";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import type { AppDeps } from "../appDeps.js";
import { parseCommandLine } from "../argv.js";
import { runListMfa } from "./listIam.js";
import { runListRoles } from "./listRoles.js";

const ACCOUNT = "123456789012";
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const MFA = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
const KEY = "AKIAALICEEXAMPLEKEY1";
const SECRET = "alice/secret/never/printed";

const CONFIG = `[default]
region = eu-west-1

[profile alice]
mfa_serial = ${MFA}

[profile ops]
role_arn = ${role("Ops")}
source_profile = alice
mfa_serial = ${MFA}

[profile nokeys]
role_arn = ${role("X")}

[profile saml]
saml_auth_url = https://example.okta.com/home/amazon_aws/abc/123
role_arn = ${role("Saml")}

[profile oidc]
web_identity_auth_url = https://sso.example.com/auth/realms/corp
web_identity_client_id = cid
web_identity_redirect_uri = http://localhost:1234/cb
role_arn = ${role("Web")}
`;
const CREDENTIALS = `[alice]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n`;

const MODEL: IamModel = {
  users: {
    alice: {
      inline: { roles: assumeRolePolicy(role("Zeta"), role("Alpha"), `arn:aws:iam::${ACCOUNT}:role/any-*`) },
      groups: ["devs"],
      mfa: [MFA, "GAHT12345678"],
    },
    nodevice: {},
  },
  groups: { devs: { inline: { dev: assumeRolePolicy(role("Dev")) } } },
};

/** A temp HOME, and the AppDeps of a user at a terminal that must never be prompted. */
function harness(o: { config?: string; callerArn?: string; iam?: FakeIamOptions } = {}) {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "runas-listiam-")));
  fs.mkdirSync(path.join(home, ".aws"), { mode: 0o700 });
  fs.writeFileSync(path.join(home, ".aws", "config"), o.config ?? CONFIG);
  fs.writeFileSync(path.join(home, ".aws", "credentials"), CREDENTIALS, { mode: 0o600 });
  const sts = fakeSts({ now: () => new Date("2024-05-01T12:00:00Z"), callerArn: o.callerArn ?? `arn:aws:iam::${ACCOUNT}:user/alice` });
  const iam = fakeIam(MODEL, o.iam);
  const stsTargets: StsTarget[] = [];
  const iamTargets: { target: IamTarget; signedBy: string }[] = [];
  const logger = memoryLogger();
  const stdout: string[] = [];
  const deps: AppDeps = {
    out: { stdout: (t) => stdout.push(t), stderr: (t) => stdout.push(`STDERR ${t}`) },
    clock: { now: () => new Date("2024-05-01T12:00:00Z") },
    platform: "linux",
    homeDir: home,
    version: "0.0.0-test",
    logger: () => logger,
    prompter: () => ({
      text: () => Promise.reject(new Error("listing must not prompt")),
      secret: () => Promise.reject(new Error("listing must not prompt")),
    }),
    locker: createFileLocker(),
    osUser: () => "tester",
    sts: async (target) => {
      stsTargets.push(target);
      return sts;
    },
    openBrowser: () => Promise.reject(new Error("listing must not open a browser")),
    sdkCredentials: () => Promise.reject(new Error("no SDK credentials in this test")),
  };
  const options = {
    iam: async (target: IamTarget, credentials: Credentials) => {
      iamTargets.push({ target, signedBy: credentials.accessKeyId });
      return iam;
    },
  };
  const run = (argv: string[], env: Env = {}) => {
    const cl = parseCommandLine(argv, env);
    const mfa = argv.includes("-m") || argv.includes("mfa");
    return mfa ? runListMfa(cl, env, deps, logger, options) : runListRoles(cl, env, deps, logger, options);
  };
  return { run, sts, iam, stsTargets, iamTargets, logger, stdout: () => stdout.join("") };
}

/** The RunasError a run fails with. */
async function failure(p: Promise<unknown>): Promise<RunasError> {
  try {
    await p;
  } catch (e) {
    if (isRunasError(e)) return e;
    throw e;
  }
  throw new Error("the command did not fail");
}

const ALICE_ROLES = `Available role ARNs for alice\n  ${role("Alpha")}\n  ${role("Dev")}\n  ${role("Zeta")}\n`;

describe("list roles for IAM profiles (core.md §6.1)", () => {
  it("prints the user's roles under its name, signed with its long-term keys", async () => {
    const h = harness();
    assert.equal(await h.run(["list", "roles", "alice"]), 0);
    assert.equal(h.stdout(), ALICE_ROLES);
    assert.deepEqual(h.sts.calls.map((c) => `${c.op} ${c.signedBy}`), [`GetCallerIdentity ${KEY}`]);
    assert.deepEqual(h.stsTargets, [{ region: "eu-west-1" }]);
    assert.deepEqual(h.iamTargets, [{ target: { region: "eu-west-1" }, signedBy: KEY }]);
    assert.ok(!h.logger.lines.join("\n").includes(SECRET));
  });

  it("-l on a role profile lists its source user's roles: no role assumed, no MFA prompt", async () => {
    const h = harness();
    assert.equal(await h.run(["-l", "ops"]), 0);
    assert.equal(h.stdout(), ALICE_ROLES);
    assert.deepEqual(h.sts.calls.map((c) => c.op), ["GetCallerIdentity"]);
    assert.equal(h.iamTargets[0]?.signedBy, KEY);
  });

  it("takes the profile from AWS_PROFILE, and the endpoints from AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL", async () => {
    const h = harness();
    const env = { AWS_PROFILE: "ops", AWS_ENDPOINT_URL: "http://127.0.0.1:4566", AWS_ENDPOINT_URL_IAM: "http://127.0.0.1:4567" };
    assert.equal(await h.run(["list", "roles"], env), 0);
    assert.equal(h.stdout(), ALICE_ROLES);
    assert.deepEqual(h.stsTargets, [{ region: "eu-west-1", endpoint: "http://127.0.0.1:4566" }]);
    assert.deepEqual(h.iamTargets.map((t) => t.target), [{ region: "eu-west-1", endpoint: "http://127.0.0.1:4567" }]);
  });

  it("with no profile at all, uses the environment's keys (the SDK's default order)", async () => {
    const h = harness();
    const env = { AWS_ACCESS_KEY_ID: "AKIAFROMENVIRONMENT", AWS_SECRET_ACCESS_KEY: "x" };
    assert.equal(await h.run(["list", "roles"], env), 0);
    assert.equal(h.iamTargets[0]?.signedBy, "AKIAFROMENVIRONMENT");
    assert.equal(h.stdout(), ALICE_ROLES);
  });

  it("calls STS and IAM in us-east-1 when no region is configured", async () => {
    const h = harness({ config: `[profile alice]\noutput = json\n` });
    assert.equal(await h.run(["-l", "alice"]), 0);
    assert.deepEqual(h.stsTargets, [{ region: "us-east-1" }]);
    assert.deepEqual(h.iamTargets.map((t) => t.target), [{ region: "us-east-1" }]);
  });

  it("prints just the header for a user whose policies name no role", async () => {
    const h = harness({ callerArn: `arn:aws:iam::${ACCOUNT}:user/team/nodevice` });
    assert.equal(await h.run(["-l", "alice"]), 0);
    assert.equal(h.stdout(), "Available role ARNs for nodevice\n");
  });

  it("refuses role credentials (e.g. a credential_process source): a role's own policies cannot be listed", async () => {
    const h = harness({ callerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob` });
    const e = await failure(h.run(["-l", "alice"]));
    assert.equal(e.code, "INVALID_CONFIG");
    assert.match(e.message, /^profile 'alice' gives role credentials .*use the profile that holds the IAM user's access keys$/);
    assert.deepEqual(h.iamTargets, []);
    assert.equal(h.stdout(), "");
  });

  it("fails with the missing permission instead of printing a partial list", async () => {
    const denied = new RunasError("STS_ERROR", "AWS denied iam:ListGroupsForUser on user 'alice': allow it");
    const h = harness({ iam: { fail: { ListGroupsForUser: denied } } });
    assert.equal((await failure(h.run(["-l", "alice"]))).message, denied.message);
    assert.equal(h.stdout(), "");
  });

  it("says how to add keys to a profile that has none", async () => {
    const h = harness();
    const e = await failure(h.run(["list", "roles", "nokeys"]));
    assert.equal(e.code, "NO_CREDENTIALS");
    assert.match(e.message, /^profile 'nokeys' has no credentials: /);
    assert.deepEqual(h.sts.calls, []);
  });

  it("rejects a role ARN given as the profile, before any call", async () => {
    const h = harness();
    const e = await failure(h.run(["-l", role("Ops")]));
    assert.equal(e.message, "profile looks like an ARN, check command parameters and environment variables");
    assert.deepEqual(h.sts.calls, []);
  });
});

describe("list mfa (core.md §6.2)", () => {
  it("prints each device's serial number on its own line, every page", async () => {
    const h = harness({ iam: { pageSize: 1 } });
    assert.equal(await h.run(["list", "mfa", "alice"]), 0);
    assert.equal(h.stdout(), `${MFA}\nGAHT12345678\n`);
    assert.deepEqual(h.iam.calls, ["ListMFADevices alice", "ListMFADevices alice"]);
    assert.equal(h.iamTargets[0]?.signedBy, KEY);
  });

  it("-m on a role profile, or from AWS_PROFILE, lists the source user's devices without a prompt", async () => {
    for (const [argv, env] of [[["-m", "ops"], {}], [["list", "mfa"], { AWS_PROFILE: "ops" }]] as const) {
      const h = harness();
      assert.equal(await h.run([...argv], env), 0);
      assert.equal(h.stdout(), `${MFA}\nGAHT12345678\n`);
      assert.deepEqual(h.sts.calls.map((c) => c.op), ["GetCallerIdentity"]);
    }
  });

  it("prints nothing on stdout, and says so on stderr, for a user without a device", async () => {
    const h = harness({ callerArn: `arn:aws:iam::${ACCOUNT}:user/nodevice` });
    assert.equal(await h.run(["-m", "alice"]), 0);
    assert.equal(h.stdout(), "");
    assert.ok(h.logger.lines.includes("INFO IAM user 'nodevice' has no MFA device"), h.logger.lines.join("\n"));
  });

  it("rejects SAML and web-identity profiles, and role ARNs, before any call", async () => {
    for (const p of ["saml", "oidc"]) {
      const h = harness();
      const e = await failure(h.run(["list", "mfa", p]));
      assert.equal(e.code, "INVALID_CONFIG");
      assert.match(e.message, /^detected SAML or Web Identity profile, only IAM profiles support MFA device retrieval; /);
      assert.deepEqual(h.sts.calls, []);
    }
    const h = harness();
    assert.match((await failure(h.run(["-m", role("Ops")]))).message, /^profile looks like an ARN/);
  });

  it("refuses the root user instead of printing nothing", async () => {
    const h = harness({ callerArn: `arn:aws:iam::${ACCOUNT}:root` });
    assert.match((await failure(h.run(["-m", "alice"]))).message, /^profile 'alice' uses the root user of account 123456789012/);
  });
});
