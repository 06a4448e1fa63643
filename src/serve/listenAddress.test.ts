import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isRunasError } from "../domain/errors.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { ec2ListenPlan, ecsListenPlan } from "./listenAddress.js";

const usage = (pattern: RegExp) => (e: unknown) => isRunasError(e) && e.code === "USAGE" && pattern.test(e.message);

describe("ec2ListenPlan", () => {
  it("-p: absent is the privileged mode, 0 a free port, N port N, on 127.0.0.1", () => {
    const logger = memoryLogger();
    assert.deepEqual(ec2ListenPlan({}, undefined, logger), { kind: "privileged" });
    assert.deepEqual(ec2ListenPlan({}, "0", logger), { kind: "loopback", host: "127.0.0.1", port: 0, shownHost: "127.0.0.1" });
    assert.deepEqual(ec2ListenPlan({}, "8080", logger), { kind: "loopback", host: "127.0.0.1", port: 8080, shownHost: "127.0.0.1" });
    assert.deepEqual(logger.lines, [
      "DEBUG setting EC2 IMDS endpoint host to: 169.254.169.254:80",
      "DEBUG setting EC2 IMDS endpoint host to: 127.0.0.1:0",
      "DEBUG setting EC2 IMDS endpoint host to: 127.0.0.1:8080",
    ]);
  });

  it("AWS_EC2_METADATA_SERVICE_ENDPOINT wins over -p; loopback hosts only", () => {
    const at = (value: string) => ec2ListenPlan({ AWS_EC2_METADATA_SERVICE_ENDPOINT: value }, "0", memoryLogger());
    assert.deepEqual(at("http://127.0.0.1:9911/"), { kind: "loopback", host: "127.0.0.1", port: 9911, shownHost: "127.0.0.1" });
    assert.deepEqual(at("http://localhost:9911"), { kind: "loopback", host: "127.0.0.1", port: 9911, shownHost: "localhost" });
    assert.deepEqual(at("http://127.0.0.2:80/"), { kind: "loopback", host: "127.0.0.2", port: 80, shownHost: "127.0.0.2" });
    assert.deepEqual(at("http://[::1]:9911/"), { kind: "loopback", host: "::1", port: 9911, shownHost: "[::1]" });
    assert.deepEqual(at("http://169.254.169.254/"), { kind: "privileged" });
    assert.throws(() => at("http://192.168.1.5:9911/"), usage(/192\.168\.1\.5, which is not a loopback address/));
    assert.throws(() => at("http://0.0.0.0:9911/"), usage(/not a loopback address/));
    assert.throws(() => at("http://example.com:9911/"), usage(/not a loopback address/));
    assert.throws(() => at("http://127.0.0.1/"), usage(/has no port/));
    assert.throws(() => at("https://127.0.0.1:9911/"), usage(/must be an http:\/\/ address/));
    assert.throws(() => at("http://169.254.169.254:8080/"), usage(/port 80 only/));
  });

  it("a variable that is not a URL is ignored with a warning, as upstream falls back to -p", () => {
    const logger = memoryLogger();
    assert.deepEqual(ec2ListenPlan({ AWS_EC2_METADATA_SERVICE_ENDPOINT: "not a url" }, "0", logger).kind, "loopback");
    assert.ok(logger.lines.includes('WARN ignoring AWS_EC2_METADATA_SERVICE_ENDPOINT="not a url": it is not a URL'));
  });
});

describe("ecsListenPlan", () => {
  it("defaults to 127.0.0.1:12319/credentials; -p 0 picks a free port", () => {
    const logger = memoryLogger();
    assert.deepEqual(ecsListenPlan({}, undefined, logger), {
      plan: { kind: "loopback", host: "127.0.0.1", port: 12319, shownHost: "127.0.0.1" }, path: "/credentials",
    });
    assert.deepEqual(ecsListenPlan({}, "0", logger).plan, { kind: "loopback", host: "127.0.0.1", port: 0, shownHost: "127.0.0.1" });
    assert.equal(logger.lines[0], "DEBUG setting ECS credential endpoint HOST=127.0.0.1:12319, PATH=/credentials");
  });

  it("AWS_CONTAINER_CREDENTIALS_FULL_URI gives host and path (unless empty or /); loopback only", () => {
    const at = (value: string) => ecsListenPlan({ AWS_CONTAINER_CREDENTIALS_FULL_URI: value }, undefined, memoryLogger());
    assert.deepEqual(at("http://127.0.0.1:7000/creds"), {
      plan: { kind: "loopback", host: "127.0.0.1", port: 7000, shownHost: "127.0.0.1" }, path: "/creds",
    });
    assert.equal(at("http://localhost:7000/").path, "/credentials");
    assert.equal(at("http://localhost:7000").path, "/credentials");
    assert.equal(at("http://localhost:7000/a/b/").path, "/a/b");
    assert.throws(() => at("http://10.0.0.1:7000/creds"), usage(/not a loopback address/));
    assert.throws(() => at("http://169.254.169.254/creds"), usage(/loopback only/));
  });
});
