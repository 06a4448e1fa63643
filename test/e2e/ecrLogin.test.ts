/**
 * End to end for `ecr login` (core.md §11) against moto_server (a real STS and ECR GetAuthorizationToken) behind the
 * recording proxy, with a fake `docker` first on PATH that records its argv, stdin and environment. The first suite
 * runs the command in-process with the real SDK adapters and the real process runner; the second runs the built CLI
 * (dist/aws-runas.cjs) exactly as a user does.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFileLocker } from "../../src/cache/fileLocker.js";
import type { AppDeps } from "../../src/cli/appDeps.js";
import { parseCommandLine } from "../../src/cli/argv.js";
import { runEcrLogin } from "../../src/cli/commands/ecrLogin.js";
import { isRunasError } from "../../src/domain/errors.js";
import { createStsApi } from "../../src/lazy/sts.js";
import { cleanEnv, runCli, tempHome, type RunResult } from "../helpers/cliRun.js";
import { useMotoBehindProxy } from "../helpers/motoSuite.js";
import type { RecordingProxy } from "../helpers/recordingProxy.js";
import { peerSkip } from "../helpers/peers.js";
import { memoryLogger } from "../fakes/memoryLogger.js";

const skip = peerSkip("moto_server", ["--help"]) || (process.platform === "win32" ? "the fake docker is a POSIX script" : false);

const ACCOUNT = "123456789012";
const KEY = "AKIAIOSFODNN7ECRUSER1";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYECRSECRET";
/** moto's ECR token is base64("AWS:<registry id>-auth-token"): this is the password docker must get on stdin only. */
const PASSWORD = `${ACCOUNT}-auth-token`;
const OWN_REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;

const CONFIG = `[default]
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::${ACCOUNT}:role/Admin
source_profile = default
`;
const CREDENTIALS = `[default]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n`;

/** One run of the fake docker. */
interface DockerRun {
  argv: string[];
  stdin: string;
  env: Record<string, string>;
}

/**
 * A directory with a fake `docker` (a Node script) that appends {argv, stdin, env} as a JSON line to $FAKE_DOCKER_LOG,
 * then prints "Login Succeeded" (unless FAKE_DOCKER_QUIET=1), or, with FAKE_DOCKER_EXIT set, docker's error on stderr and exits with that status.
 */
function fakeDocker(): { dir: string; log: string; runs(): DockerRun[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runas-docker-"));
  const log = path.join(dir, "docker.log");
  const script = path.join(dir, "docker");
  writeFileSync(script, `#!${process.execPath}
const fs = require("node:fs");
const stdin = fs.readFileSync(0, "utf8");
fs.appendFileSync(process.env.FAKE_DOCKER_LOG, JSON.stringify({ argv: process.argv.slice(2), stdin, env: process.env }) + "\\n");
const exit = Number(process.env.FAKE_DOCKER_EXIT ?? "0");
if (exit === 0) {
  if (process.env.FAKE_DOCKER_QUIET !== "1") process.stdout.write("Login Succeeded\\n");
} else process.stderr.write("Error response from daemon: login attempt to https://" + process.argv.at(-1) + "/v2/ failed with status: 400 Bad Request\\n");
process.exit(exit);
`);
  chmodSync(script, 0o755);
  const runs = () =>
    existsSync(log) ? readFileSync(log, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as DockerRun) : [];
  return { dir, log, runs };
}

/** The password appears nowhere but on docker's stdin: not in its argv or environment, nor in our output. */
function passwordOnlyOnStdin(runs: DockerRun[], ...outputs: string[]): void {
  for (const r of runs) {
    assert.equal(r.stdin, PASSWORD, "docker reads the password on stdin");
    assert.ok(!r.argv.join(" ").includes(PASSWORD), "the password is in docker's argv");
    assert.ok(!Object.values(r.env).some((v) => v.includes(PASSWORD)), "the password is in docker's environment");
  }
  for (const o of outputs) {
    assert.ok(!o.includes(PASSWORD), "the password reached our output");
    assert.ok(!o.includes(SECRET), "the secret access key reached our output");
  }
}

const loginArgv = (host: string) => ["login", "--username", "AWS", "--password-stdin", host];

/** The JSON-protocol error body ECR returns. */
const ecrError = (type: string, message: string) => JSON.stringify({ __type: type, message });

describe("ecr login in-process with the SDK adapters and a real child process, against moto", { skip }, () => {
  let proxy: RecordingProxy;
  useMotoBehindProxy((p) => (proxy = p));

  const run = async (argv: string[], extraEnv: Record<string, string> = {}) => {
    const docker = fakeDocker();
    const { home } = tempHome(CONFIG, CREDENTIALS);
    const env: Record<string, string> = {
      HOME: home,
      PATH: `${docker.dir}:${process.env.PATH ?? ""}`,
      FAKE_DOCKER_LOG: docker.log,
      // In-process, docker's stdout would be the test runner's.
      FAKE_DOCKER_QUIET: "1",
      AWS_ENDPOINT_URL: proxy.url,
      ...extraEnv,
    };
    const logger = memoryLogger();
    let out = "";
    const deps: AppDeps = {
      out: { stdout: (t) => (out += t), stderr: (t) => (out += t) },
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
    const code = await runEcrLogin(parseCommandLine(argv, env), env, deps, logger);
    return { code, out, log: logger.lines, docker: docker.runs() };
  };

  it("logs docker in to the caller's own registry with the token moto issues to the role", async () => {
    const r = await run(["ecr", "login", "admin"]);
    assert.equal(r.code, 0);
    assert.deepEqual(r.docker.map((d) => d.argv), [loginArgv(OWN_REGISTRY)]);
    passwordOnlyOnStdin(r.docker, r.out, r.log.join("\n"));
    assert.deepEqual(proxy.actions(), ["GetSessionToken", "GetCallerIdentity", "AssumeRole", "GetCallerIdentity", "GetAuthorizationToken"]);
    const sessionKey = proxy.calls[2]?.accessKeyId;
    assert.match(proxy.calls[4]?.accessKeyId ?? "", /^ASIA/, "GetAuthorizationToken is signed by the role");
    assert.notEqual(proxy.calls[4]?.accessKeyId, sessionKey, "…not by the session token that assumed it");
    assert.ok(r.log.includes("DEBUG getting an ECR authorization token in us-east-1"), r.log.join("\n"));
    assert.ok(r.log.includes(`DEBUG executing 'docker login' for ECR endpoint: ${OWN_REGISTRY}`));
  });

  it("an ECR denial is one line naming the permission, and docker is not run", async () => {
    proxy.stubs.push((c) => (c.action === "GetAuthorizationToken"
      ? { status: 400, body: ecrError("AccessDeniedException", "not authorized to perform: ecr:GetAuthorizationToken") }
      : undefined));
    await assert.rejects(run(["ecr", "login", "admin", "210987654321"]), (e) => {
      assert.ok(isRunasError(e));
      assert.equal(e.message, "AWS denied ecr:GetAuthorizationToken in us-east-1 (not authorized to perform: " +
        "ecr:GetAuthorizationToken): allow ecr:GetAuthorizationToken to the role or user of this profile");
      return true;
    });
  });

  it("AWS_ENDPOINT_URL_ECR sends the ECR call elsewhere than STS", async () => {
    await assert.rejects(run(["ecr", "login", "admin", "210987654321"], { AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:9" }), (e) => {
      assert.ok(isRunasError(e));
      assert.match(e.message, /^cannot reach http:\/\/127\.0\.0\.1:9 for ECR GetAuthorizationToken in us-east-1 \(ECONNREFUSED\)/);
      return true;
    });
    assert.ok(!proxy.actions().includes("GetAuthorizationToken"));
  });
});

describe("aws-runas ecr login (built CLI) against moto, with a fake docker", { skip }, () => {
  let proxy: RecordingProxy;
  useMotoBehindProxy((p) => (proxy = p));

  const setup = (extra: Record<string, string> = {}) => {
    const docker = fakeDocker();
    const { home } = tempHome(CONFIG, CREDENTIALS);
    const env = cleanEnv(home, {
      AWS_ENDPOINT_URL: proxy.url,
      PATH: `${docker.dir}:${process.env.PATH ?? ""}`,
      FAKE_DOCKER_LOG: docker.log,
      ...extra,
    });
    return { env, docker };
  };

  /** A failed run: exit 1, nothing of ours on stdout, `before` lines of docker's, then our one ERROR line. */
  const oneLineFailure = (r: RunResult, pattern: RegExp, before = 0) => {
    assert.equal(r.code, 1, `exit status; stderr: ${r.stderr}`);
    assert.equal(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, before + 1, r.stderr);
    assert.match(lines[before] ?? "", / ERROR /);
    assert.match(lines[before] ?? "", pattern);
    passwordOnlyOnStdin([], r.stderr);
  };

  it("no endpoint: docker logs in to the caller's own registry; aws-runas itself prints nothing", async () => {
    const { env, docker } = setup();
    const r = await runCli(["ecr", "login", "admin"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "Login Succeeded\n", "docker's own stdout, inherited");
    assert.equal(r.stderr, "");
    assert.deepEqual(docker.runs().map((d) => d.argv), [loginArgv(OWN_REGISTRY)]);
    passwordOnlyOnStdin(docker.runs(), r.stdout, r.stderr);
    assert.deepEqual(proxy.actions(), ["GetSessionToken", "GetCallerIdentity", "AssumeRole", "GetCallerIdentity", "GetAuthorizationToken"]);
  });

  it("an account id and a full host, each with its region's token; -vv shows the steps and no secret", async () => {
    const { env, docker } = setup();
    const host = "210987654321.dkr.ecr.eu-west-1.amazonaws.com";
    const r = await runCli(["-vv", "ecr", "login", "admin", "444455556666", host], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "Login Succeeded\nLogin Succeeded\n");
    assert.deepEqual(docker.runs().map((d) => d.argv), [loginArgv("444455556666.dkr.ecr.us-east-1.amazonaws.com"), loginArgv(host)]);
    passwordOnlyOnStdin(docker.runs(), r.stdout, r.stderr);
    assert.deepEqual(proxy.actions().filter((a) => a === "GetAuthorizationToken"), ["GetAuthorizationToken", "GetAuthorizationToken"]);
    assert.ok(!proxy.actions().slice(3).includes("GetCallerIdentity"), "endpoints given: the role is not asked who it is");
    for (const line of [
      "DEBUG getting an ECR authorization token in us-east-1",
      "DEBUG executing 'docker login' for ECR endpoint: 444455556666.dkr.ecr.us-east-1.amazonaws.com",
      "DEBUG getting an ECR authorization token in eu-west-1",
      `DEBUG executing 'docker login' for ECR endpoint: ${host}`,
    ]) assert.ok(r.stderr.includes(line), `${line}\n${r.stderr}`);
    assert.match(r.stderr, /AWS SDK .*GetAuthorizationToken/, "-vv traces the ECR request");
  });

  it("a China registry host is used as typed and gets a cn-north-1 token (Q-23)", async () => {
    const { env, docker } = setup();
    const host = "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn";
    const r = await runCli(["ecr", "login", "admin", host], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(docker.runs().map((d) => d.argv), [loginArgv(host)]);
  });

  it("docker failing: its own message, then one line naming the registry, exit 1", async () => {
    const { env, docker } = setup({ FAKE_DOCKER_EXIT: "1" });
    const r = await runCli(["ecr", "login", "admin", "444455556666", "555566667777"], env);
    oneLineFailure(r, /ERROR docker login to 444455556666\.dkr\.ecr\.us-east-1\.amazonaws\.com failed with exit status 1; see docker's message above$/, 1);
    assert.match(r.stderr, /^Error response from daemon: /);
    assert.equal(docker.runs().length, 1, "the next registry is not tried");
  });

  it("no docker on PATH: one line, exit 1", async () => {
    const { env } = setup();
    const r = await runCli(["ecr", "login", "admin", "444455556666"], { ...env, PATH: mkdtempSync(path.join(os.tmpdir(), "runas-nopath-")) });
    oneLineFailure(r, /ERROR docker is not installed or not on PATH: install Docker, or add its directory to PATH$/);
  });

  it("a bad endpoint: one line before any AWS call, exit 1", async () => {
    const { env, docker } = setup();
    const r = await runCli(["ecr", "login", "admin", "registry.example.com"], env);
    oneLineFailure(r, /ERROR 'registry\.example\.com' is not an ECR registry: give a 12-digit account id, or a registry host/);
    const short = await runCli(["ecr", "login", "admin", "ecr.us-east-1.amazonaws.com"], env);
    oneLineFailure(short, /ERROR 'ecr\.us-east-1\.amazonaws\.com' is not an ECR registry host: it has no region as its 4th part/);
    assert.deepEqual(proxy.actions(), []);
    assert.deepEqual(docker.runs(), []);
  });
});
