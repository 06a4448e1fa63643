import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import type { DockerLogin } from "./dockerLogin.js";
import { loginToRegistries } from "./loginToRegistries.js";

const token = (password: string) => Buffer.from(`AWS:${password}`).toString("base64");

/** Fakes for ECR (a password per region) and docker (records each login, or fails for `failFor`). */
function harness(o: { failFor?: string } = {}) {
  const asked: string[] = [];
  const logins: string[] = [];
  const docker: DockerLogin = (l) => {
    logins.push(`${l.username}@${l.endpoint} ${l.password}`);
    return l.endpoint === o.failFor ? Promise.reject(new RunasError("CHILD_EXIT", `docker login to ${l.endpoint} failed`)) : Promise.resolve();
  };
  const logger = memoryLogger();
  const deps = {
    authorizationToken: (region: string) => {
      asked.push(region);
      return Promise.resolve(token(`pw-${region}`));
    },
    docker,
    logger,
  };
  return { deps, asked, logins, logger };
}

const A = { host: "111111111111.dkr.ecr.us-east-1.amazonaws.com", region: "us-east-1" };
const B = { host: "222222222222.dkr.ecr.eu-west-1.amazonaws.com", region: "eu-west-1" };
const C = { host: "333333333333.dkr.ecr.us-east-1.amazonaws.com", region: "us-east-1" };

describe("loginToRegistries (core.md §11 step 3)", () => {
  it("logs in to each registry in order with a token of its own region, each region asked once", async () => {
    const h = harness();
    await loginToRegistries([A, B, C], h.deps);
    assert.deepEqual(h.asked, ["us-east-1", "eu-west-1"]);
    assert.deepEqual(h.logins, [`AWS@${A.host} pw-us-east-1`, `AWS@${B.host} pw-eu-west-1`, `AWS@${C.host} pw-us-east-1`]);
    assert.deepEqual(h.logger.lines, [
      "DEBUG getting an ECR authorization token in us-east-1",
      `DEBUG executing 'docker login' for ECR endpoint: ${A.host}`,
      "DEBUG getting an ECR authorization token in eu-west-1",
      `DEBUG executing 'docker login' for ECR endpoint: ${B.host}`,
      `DEBUG executing 'docker login' for ECR endpoint: ${C.host}`,
    ]);
    assert.ok(!h.logger.lines.join("\n").includes("pw-"), "no password in the log");
  });

  it("stops at the first failure: later registries are not tried", async () => {
    const h = harness({ failFor: B.host });
    await assert.rejects(loginToRegistries([A, B, C], h.deps), { message: `docker login to ${B.host} failed` });
    assert.equal(h.logins.length, 2);
  });

  it("an ECR error stops the run before docker is started", async () => {
    const h = harness();
    const denied = new RunasError("STS_ERROR", "AWS denied ecr:GetAuthorizationToken in us-east-1");
    await assert.rejects(loginToRegistries([A], { ...h.deps, authorizationToken: () => Promise.reject(denied) }), denied);
    assert.deepEqual(h.logins, []);
  });
});
