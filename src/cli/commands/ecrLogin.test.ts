import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createFileLocker } from "../../cache/fileLocker.js";
import type { Credentials } from "../../domain/credentials.js";
import { isRunasError, RunasError } from "../../domain/errors.js";
import type { ProcessRunner } from "../../ecr/dockerLogin.js";
import type { EcrTarget } from "../../ecr/ecrApi.js";
import type { Env } from "../../ports.js";
import type { StsTarget } from "../../providers/stsApi.js";
import { fakeSts } from "../../../test/fakes/fakeSts.js";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import type { AppDeps } from "../appDeps.js";
import { parseCommandLine } from "../argv.js";
import { runEcrLogin, type EcrLoginOptions } from "./ecrLogin.js";

const KEY = "AKIAECRUSEREXAMPLE01";
const SECRET = "ecr/user/secret/never/printed";
const NOW = new Date("2024-05-01T12:00:00Z");

const CONFIG = `[default]
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default

[profile china]
region = cn-north-1
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default

[profile noregion]
output = json

[profile mfa]
role_arn = arn:aws:iam::123456789012:role/Ops
source_profile = default
mfa_serial = arn:aws:iam::123456789012:mfa/alice
`;
const CREDENTIALS = `[default]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n\n` +
  `[noregion]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n`;

/** The password ECR hands out in `region`. */
const passwordOf = (region: string) => `ecr-password-${region}`;

/**
 * A temp HOME, a fake STS, a fake ECR (a token per region) and a fake docker that records each run. Nobody may be
 * prompted unless `mfaCode` is given.
 */
function harness(o: { config?: string; dockerExit?: number; mfaCode?: string } = {}) {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "runas-ecr-")));
  fs.mkdirSync(path.join(home, ".aws"), { mode: 0o700 });
  fs.writeFileSync(path.join(home, ".aws", "config"), o.config ?? CONFIG);
  fs.writeFileSync(path.join(home, ".aws", "credentials"), CREDENTIALS, { mode: 0o600 });
  const sts = fakeSts({ now: () => NOW });
  const stsTargets: StsTarget[] = [];
  const ecrTargets: { target: EcrTarget; signedBy: string }[] = [];
  const tokenRegions: string[] = [];
  const docker: { file: string; args: readonly string[]; input: string; env: Env }[] = [];
  const prompts: string[] = [];
  const logger = memoryLogger();
  const out: string[] = [];
  const noPrompt = () => Promise.reject(new Error("ecr login must not prompt here"));
  const deps: AppDeps = {
    out: { stdout: (t) => out.push(`stdout ${t}`), stderr: (t) => out.push(`stderr ${t}`) },
    clock: { now: () => NOW },
    platform: "linux",
    homeDir: home,
    version: "0.0.0-test",
    logger: () => logger,
    prompter: () => ({
      text: (m) => {
        prompts.push(m);
        return o.mfaCode === undefined ? noPrompt() : Promise.resolve(o.mfaCode);
      },
      secret: noPrompt,
    }),
    locker: createFileLocker(),
    osUser: () => "tester",
    sts: async (target) => {
      stsTargets.push(target);
      return sts;
    },
    openBrowser: () => Promise.reject(new Error("ecr login must not open a browser")),
    sdkCredentials: () => Promise.reject(new Error("no SDK credentials in this test")),
  };
  const run: ProcessRunner = (file, args, opts) => {
    docker.push({ file, args, input: opts.input, env: opts.env });
    return Promise.resolve({ code: o.dockerExit ?? 0, signal: null });
  };
  const options = {
    ecr: async (target: EcrTarget, credentials: Credentials) => {
      ecrTargets.push({ target, signedBy: credentials.accessKeyId });
      return {
        authorizationToken: (region: string) => {
          tokenRegions.push(region);
          return Promise.resolve(Buffer.from(`AWS:${passwordOf(region)}`).toString("base64"));
        },
      };
    },
    run,
  };
  const cmd = (argv: string[], env: Env = {}, override: EcrLoginOptions = {}) =>
    runEcrLogin(parseCommandLine(argv, env), env, deps, logger, { ...options, ...override });
  /** Every text the user could see or a process could be handed, but docker's stdin. */
  const visible = () => [...logger.lines, ...out, ...docker.flatMap((d) => [...d.args, ...Object.values(d.env)])].join("\n");
  return { cmd, sts, stsTargets, ecrTargets, tokenRegions, docker, logger, out, prompts, visible };
}

async function failure(p: Promise<unknown>): Promise<RunasError> {
  try {
    await p;
  } catch (e) {
    if (isRunasError(e)) return e;
    throw e;
  }
  throw new Error("the command did not fail");
}

const loginArgs = (host: string) => ["login", "--username", "AWS", "--password-stdin", host];

describe("ecr login (core.md §11)", () => {
  it("no endpoint: logs in to the caller's own registry in the profile's region, with the role's credentials", async () => {
    const h = harness();
    assert.equal(await h.cmd(["ecr", "login", "admin"]), 0);
    const host = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    assert.deepEqual(h.docker.map((d) => ({ file: d.file, args: d.args, input: d.input })), [
      { file: "docker", args: loginArgs(host), input: passwordOf("us-east-1") },
    ]);
    // The role's credentials (from AssumeRole) ask STS who they are and sign the ECR call.
    // (The first GetCallerIdentity names the role session after the user, as for the default action.)
    assert.deepEqual(h.sts.calls.map((c) => c.op), ["GetSessionToken", "GetCallerIdentity", "AssumeRole", "GetCallerIdentity"]);
    const roleKey = h.sts.calls[3]?.signedBy ?? "";
    assert.match(roleKey, /^ASIAROLE/);
    assert.deepEqual(h.ecrTargets, [{ target: {}, signedBy: roleKey }]);
    assert.deepEqual(h.tokenRegions, ["us-east-1"]);
    assert.deepEqual(h.out, [], "aws-runas itself prints nothing on success");
    assert.ok(h.logger.lines.includes(`DEBUG executing 'docker login' for ECR endpoint: ${host}`), h.logger.lines.join("\n"));
    for (const secret of [passwordOf("us-east-1"), SECRET]) assert.ok(!h.visible().includes(secret), "a secret escaped");
  });

  it("an account id is expanded with the profile's region; a full host keeps its own region, China included (Q-23)", async () => {
    const h = harness();
    const hosts = ["210987654321.dkr.ecr.eu-west-1.amazonaws.com", "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn"];
    assert.equal(await h.cmd(["ecr", "login", "admin", "444455556666", ...hosts]), 0);
    assert.deepEqual(h.docker.map((d) => [d.args.at(-1), d.input]), [
      ["444455556666.dkr.ecr.us-east-1.amazonaws.com", passwordOf("us-east-1")],
      [hosts[0], passwordOf("eu-west-1")],
      [hosts[1], passwordOf("cn-north-1")],
    ]);
    assert.deepEqual(h.tokenRegions, ["us-east-1", "eu-west-1", "cn-north-1"]);
    assert.deepEqual(h.sts.calls.map((c) => c.op), ["GetSessionToken", "GetCallerIdentity", "AssumeRole"],
      "endpoints given: the role's credentials are not asked who they are");
  });

  it("in a China region, an account id and the caller's own registry are under .amazonaws.com.cn", async () => {
    const h = harness();
    assert.equal(await h.cmd(["ecr", "login", "china"]), 0);
    assert.equal(await h.cmd(["ecr", "login", "china", "444455556666"]), 0);
    assert.deepEqual(h.docker.map((d) => d.args.at(-1)), [
      "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
      "444455556666.dkr.ecr.cn-north-1.amazonaws.com.cn",
    ]);
    assert.deepEqual(h.stsTargets.map((t) => t.region), ["cn-north-1"], "the second run's credentials come from the cache");
  });

  it("the first argument is always the profile, even with AWS_PROFILE set (Q-03); none at all: AWS_PROFILE", async () => {
    const h = harness();
    const e = await failure(h.cmd(["ecr", "login", "123456789012"], { AWS_PROFILE: "admin" }));
    assert.equal(e.code, "PROFILE_NOT_FOUND");
    assert.match(e.message, /123456789012/);
    assert.equal(await h.cmd(["ecr", "login"], { AWS_PROFILE: "admin" }), 0);
    assert.deepEqual(h.docker.map((d) => d.args.at(-1)), ["123456789012.dkr.ecr.us-east-1.amazonaws.com"]);
  });

  it("a bad endpoint is one error line before any credentials are fetched (no MFA prompt)", async () => {
    const h = harness({ mfaCode: "123456" });
    const e = await failure(h.cmd(["ecr", "login", "mfa", "123456789012.dkr.ecr.us-east-1.amazonaws.com", "registry.example.com"]));
    assert.deepEqual({ code: e.code, message: e.message }, {
      code: "INVALID_VALUE",
      message: "'registry.example.com' is not an ECR registry: give a 12-digit account id, or a registry host such as " +
        "123456789012.dkr.ecr.us-east-1.amazonaws.com (.amazonaws.com.cn in China)",
    });
    assert.deepEqual(h.sts.calls, []);
    assert.deepEqual(h.prompts, []);
    assert.deepEqual(h.docker, []);
  });

  it("without a region: the own registry or an account id is an error before any call", async () => {
    const h = harness({ config: CONFIG.replace("region = us-east-1\n", "") });
    const own = await failure(h.cmd(["ecr", "login", "noregion"]));
    assert.equal(own.code, "NO_REGION");
    assert.match(own.message, /^no AWS region for profile 'noregion', so its ECR registry is unknown: add "region = us-east-1" \(or yours\) to \[profile noregion\]/);
    assert.equal((await failure(h.cmd(["ecr", "login", "noregion", "123456789012"]))).code, "NO_REGION");
    assert.deepEqual(h.sts.calls, []);
    // A full host names its own region; the profile's session token still comes from STS, which needs one.
    const e = await failure(h.cmd(["ecr", "login", "noregion", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"]));
    assert.equal(e.code, "NO_REGION");
    assert.match(e.message, /^no AWS region for profile 'noregion': add "region = us-east-1"/);
  });

  it("-e prints the expiry on stderr and -w the identity, asking STS who the caller is only once", async () => {
    const h = harness();
    assert.equal(await h.cmd(["-e", "-w", "ecr", "login", "admin"]), 0);
    assert.equal(h.out.length, 1);
    assert.match(h.out[0] ?? "", /^stderr Credentials will expire on /);
    assert.ok(h.logger.lines.includes("INFO {UserId:AIDA Arn:arn:aws:iam::123456789012:user/alice Account:123456789012}"), h.logger.lines.join("\n"));
    assert.deepEqual(h.sts.calls.map((c) => c.op), ["GetSessionToken", "GetCallerIdentity", "AssumeRole", "GetCallerIdentity"]);
  });

  it("uses the cached role credentials; -r fetches new ones", async () => {
    const h = harness();
    assert.equal(await h.cmd(["ecr", "login", "admin", "444455556666"]), 0);
    assert.equal(await h.cmd(["ecr", "login", "admin", "444455556666"]), 0);
    const ops = () => h.sts.calls.map((c) => c.op).filter((op) => op !== "GetCallerIdentity");
    assert.deepEqual(ops(), ["GetSessionToken", "AssumeRole"]);
    assert.equal(await h.cmd(["-r", "ecr", "login", "admin", "444455556666"]), 0);
    assert.deepEqual(ops(), ["GetSessionToken", "AssumeRole", "AssumeRole"]);
    assert.equal(h.docker.length, 3);
  });

  it("asks for the MFA code of an MFA profile once, as the default action does", async () => {
    const h = harness({ mfaCode: "654321" });
    assert.equal(await h.cmd(["ecr", "login", "mfa", "444455556666"]), 0);
    assert.deepEqual(h.prompts, ["MFA token code: "]);
    assert.deepEqual(h.sts.calls[0]?.input.mfa, { serialNumber: "arn:aws:iam::123456789012:mfa/alice", tokenCode: "654321" });
  });

  it("sends ECR calls to AWS_ENDPOINT_URL_ECR, else AWS_ENDPOINT_URL, else endpoint_url", async () => {
    const cases: [Env, string][] = [
      [{ AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:4001", AWS_ENDPOINT_URL: "http://127.0.0.1:4002" }, "http://127.0.0.1:4001"],
      [{ AWS_ENDPOINT_URL: "http://127.0.0.1:4002" }, "http://127.0.0.1:4002"],
      [{}, "http://127.0.0.1:4003"],
    ];
    for (const [env, endpoint] of cases) {
      const h = harness({ config: `${CONFIG}\n[profile local]\nregion = us-east-1\nsource_profile = default\nrole_arn = arn:aws:iam::123456789012:role/L\nendpoint_url = http://127.0.0.1:4003\n` });
      assert.equal(await h.cmd(["ecr", "login", "local", "444455556666"], env), 0);
      assert.deepEqual(h.ecrTargets.map((t) => t.target), [{ endpoint }], JSON.stringify(env));
    }
  });

  it("a failed docker login is exit 1 with one line naming the registry (upstream exited 0)", async () => {
    const h = harness({ dockerExit: 1 });
    const e = await failure(h.cmd(["ecr", "login", "admin", "444455556666", "777788889999"]));
    assert.deepEqual({ code: e.code, message: e.message, exit: e.exitCode }, {
      code: "CHILD_EXIT",
      message: "docker login to 444455556666.dkr.ecr.us-east-1.amazonaws.com failed with exit status 1; see docker's message above",
      exit: 1,
    });
    assert.equal(h.docker.length, 1, "the next registry is not tried");
  });

  it("passes the environment on to docker (DOCKER_CONFIG, HOME …) without adding anything", async () => {
    const h = harness();
    const env = { DOCKER_CONFIG: "/tmp/dc", PATH: "/usr/bin", AWS_PROFILE: "other" };
    assert.equal(await h.cmd(["ecr", "login", "admin", "444455556666"], env), 0);
    assert.deepEqual(h.docker[0]?.env, env);
  });

  it("a profile taken from AWS_PROFILE / AWS_DEFAULT_PROFILE is not passed on to docker (core.md §1.4)", async () => {
    const h = harness();
    const env = { PATH: "/usr/bin", AWS_PROFILE: "admin", AWS_DEFAULT_PROFILE: "admin" };
    assert.equal(await h.cmd(["ecr", "login"], env), 0);
    assert.deepEqual(h.docker[0]?.env, { PATH: "/usr/bin" });
  });

  it("an ECR error stops before docker", async () => {
    const h = harness();
    const denied = new RunasError("STS_ERROR", "AWS denied ecr:GetAuthorizationToken in us-east-1: allow it");
    const e = await failure(h.cmd(["ecr", "login", "admin", "444455556666"], {}, {
      ecr: () => Promise.resolve({ authorizationToken: () => Promise.reject(denied) }),
      run: () => Promise.reject(new Error("docker must not run")),
    }));
    assert.equal(e, denied);
  });
});
