import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { translateEcrError } from "./ecrErrors.js";

/** An error shaped as the SDK's ServiceException. */
function sdkError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

const ctx = { region: "eu-west-1", where: "the ECR endpoint of eu-west-1" };

describe("translateEcrError", () => {
  it("names the missing permission when ECR denies the token", () => {
    const cause = sdkError("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/Dev/alice is not authorized to perform: ecr:GetAuthorizationToken");
    const e = translateEcrError(cause, ctx);
    assert.deepEqual({ code: e.code, message: e.message, cause: e.cause }, {
      code: "STS_ERROR",
      message: "AWS denied ecr:GetAuthorizationToken in eu-west-1 (User: arn:aws:sts::123456789012:assumed-role/Dev/alice is not " +
        "authorized to perform: ecr:GetAuthorizationToken): allow ecr:GetAuthorizationToken to the role or user of this profile",
      cause,
    });
  });

  it("says where ECR could not be reached, and which operation, as for STS", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const e = translateEcrError(cause, { region: "us-east-1", where: "http://127.0.0.1:9" });
    assert.equal(e.code, "STS_UNREACHABLE");
    assert.equal(e.message, "cannot reach http://127.0.0.1:9 for ECR GetAuthorizationToken in us-east-1 (ECONNREFUSED): " +
      "check your network, proxy, or AWS_ENDPOINT_URL / endpoint_url settings");
  });

  it("keeps the service's error name and message otherwise", () => {
    const e = translateEcrError(sdkError("ServerException", "internal failure"), ctx);
    assert.equal(e.message, "ECR GetAuthorizationToken in eu-west-1 failed: ServerException: internal failure");
  });
});
