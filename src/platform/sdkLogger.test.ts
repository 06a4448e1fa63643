import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { sdkLogger } from "./sdkLogger.js";

describe("sdkLogger (-vv tracing)", () => {
  it("redacts secret keys in logged objects, nested ones included", () => {
    const logger = memoryLogger();
    sdkLogger(logger).debug({ input: { TokenCode: "123456", RoleArn: "arn:r" }, output: { Credentials: { SecretAccessKey: "s3cr3t", SessionToken: "tok" } } });
    const line = logger.lines.join("\n");
    assert.ok(!/123456|s3cr3t|tok"/.test(line), line);
    assert.match(line, /"RoleArn":"arn:r"/);
  });

  it("redacts the same keys inside JSON text logged as a string (raw bodies), escaped quotes and any case", () => {
    const logger = memoryLogger();
    sdkLogger(logger).debug('body: {"SessionId":"s-1","TokenValue": "abc\\"def","authorizationtoken":"QVdTOnBhc3M="}');
    const line = logger.lines.join("\n");
    assert.ok(!/abc|def|QVdTOnBhc3M=/.test(line), line);
    assert.match(line, /"SessionId":"s-1"/);
    assert.match(line, /"TokenValue": "\*\*\*"/);
  });

  it("leaves the SDK's configuration lookups out", () => {
    const logger = memoryLogger();
    sdkLogger(logger).debug("@smithy/property-provider -> Not found in ENV");
    assert.deepEqual(logger.lines, []);
  });
});
