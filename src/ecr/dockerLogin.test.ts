import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError, type RunasError } from "../domain/errors.js";
import { dockerLogin, type ProcessResult, type ProcessRunner } from "./dockerLogin.js";

const LOGIN = { endpoint: "123456789012.dkr.ecr.us-east-1.amazonaws.com", username: "AWS", password: "s3cr3t-password" };

/** A runner that records its calls and answers `result` (or rejects with `startError`). */
function fakeRunner(o: { result?: ProcessResult; startError?: Error }) {
  const calls: { file: string; args: readonly string[]; input: string; env: unknown }[] = [];
  const run: ProcessRunner = (file, args, opts) => {
    calls.push({ file, args, input: opts.input, env: opts.env });
    return o.startError !== undefined ? Promise.reject(o.startError) : Promise.resolve(o.result ?? { code: 0, signal: null });
  };
  return { run, calls };
}

async function failure(p: Promise<unknown>): Promise<RunasError> {
  try {
    await p;
  } catch (e) {
    if (isRunasError(e)) return e;
    throw e;
  }
  throw new Error("did not fail");
}

describe("dockerLogin (core.md §11 step 3)", () => {
  it("runs docker login with the password on stdin only", async () => {
    const f = fakeRunner({});
    const env = { PATH: "/usr/bin", HOME: "/home/u" };
    await dockerLogin(f.run, env)(LOGIN);
    assert.deepEqual(f.calls, [{
      file: "docker",
      args: ["login", "--username", "AWS", "--password-stdin", LOGIN.endpoint],
      input: "s3cr3t-password",
      env,
    }]);
    assert.ok(!f.calls[0]?.args.join(" ").includes(LOGIN.password));
  });

  it("a failed docker login is an error naming the registry (upstream ignored it)", async () => {
    const e = await failure(dockerLogin(fakeRunner({ result: { code: 1, signal: null } }).run, {})(LOGIN));
    assert.deepEqual({ code: e.code, message: e.message, exit: e.exitCode }, {
      code: "CHILD_EXIT",
      message: `docker login to ${LOGIN.endpoint} failed with exit status 1; see docker's message above`,
      exit: 1,
    });
    const killed = await failure(dockerLogin(fakeRunner({ result: { code: null, signal: "SIGKILL" } }).run, {})(LOGIN));
    assert.equal(killed.message, `docker login to ${LOGIN.endpoint} was killed by SIGKILL; see docker's message above`);
  });

  it("docker missing from PATH: one line saying so", async () => {
    const enoent = Object.assign(new Error("spawn docker ENOENT"), { code: "ENOENT" });
    const e = await failure(dockerLogin(fakeRunner({ startError: enoent }).run, {})(LOGIN));
    assert.deepEqual({ code: e.code, message: e.message }, {
      code: "COMMAND_NOT_FOUND",
      message: "docker is not installed or not on PATH: install Docker, or add its directory to PATH",
    });
    const eacces = Object.assign(new Error("spawn docker EACCES"), { code: "EACCES" });
    const denied = await failure(dockerLogin(fakeRunner({ startError: eacces }).run, {})(LOGIN));
    assert.equal(denied.message, "cannot run docker (EACCES): check that the docker on PATH is an executable file");
  });
});
