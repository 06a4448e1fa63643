import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isNoSuchEntity, translateIamError } from "./iamErrors.js";

/** An error shaped as the AWS SDK throws them. */
function sdkError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
}

const ctx = { operation: "ListAttachedGroupPolicies", on: "group 'devs'", where: "http://127.0.0.1:1" };

describe("translateIamError", () => {
  it("names the permission that AccessDenied says is missing, on one line", () => {
    const aws = "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAttachedGroupPolicies\n on resource: group devs";
    const e = translateIamError(sdkError("AccessDenied", aws), ctx);
    assert.equal(e.code, "STS_ERROR");
    assert.equal(
      e.message,
      "AWS denied iam:ListAttachedGroupPolicies on group 'devs': allow iam:ListAttachedGroupPolicies for this IAM user " +
        "(or ask your AWS administrator to), then run the command again (AWS said: User: arn:aws:iam::123456789012:user/alice " +
        "is not authorized to perform: iam:ListAttachedGroupPolicies on resource: group devs)",
    );
    assert.equal(e.exitCode, 1);
  });

  it("reads other failures as the STS ones: rejected keys, unreachable endpoint", () => {
    assert.equal(translateIamError(sdkError("InvalidClientTokenId", "bad"), ctx).code, "CREDENTIALS_INVALID");
    const down = translateIamError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), ctx);
    assert.equal(down.code, "STS_UNREACHABLE");
    assert.match(down.message, /^cannot reach http:\/\/127\.0\.0\.1:1 for IAM ListAttachedGroupPolicies/);
    assert.match(translateIamError(sdkError("ServiceFailure", "boom"), ctx).message, /^IAM ListAttachedGroupPolicies failed: ServiceFailure: boom$/);
  });
});

describe("isNoSuchEntity", () => {
  it("recognises the SDK's NoSuchEntityException and the wire code NoSuchEntity only", () => {
    assert.equal(isNoSuchEntity(sdkError("NoSuchEntityException", "gone")), true);
    assert.equal(isNoSuchEntity(sdkError("NoSuchEntity", "gone")), true);
    assert.equal(isNoSuchEntity(sdkError("AccessDenied", "no")), false);
    assert.equal(isNoSuchEntity(null), false);
  });
});
