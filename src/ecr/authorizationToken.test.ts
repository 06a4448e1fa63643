import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../domain/errors.js";
import { decodeAuthorizationToken } from "./authorizationToken.js";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("decodeAuthorizationToken (core.md §11 step 3)", () => {
  it("splits base64 'user:password' at the first colon", () => {
    assert.deepEqual(decodeAuthorizationToken(b64("AWS:eyJwYXlsb2FkIjoi"), "us-east-1"), { username: "AWS", password: "eyJwYXlsb2FkIjoi" });
    assert.deepEqual(decodeAuthorizationToken(b64("AWS:pass:with:colons"), "us-east-1"), { username: "AWS", password: "pass:with:colons" });
  });

  it("rejects what is not base64 of user:password, without repeating the token", () => {
    for (const token of ["not base64!", b64("no-colon-here"), b64(":nouser"), b64("AWS:"), "QVdTOnB", ""]) {
      assert.throws(() => decodeAuthorizationToken(token, "eu-west-1"), (e) => {
        assert.ok(isRunasError(e));
        assert.equal(e.code, "STS_ERROR");
        assert.match(e.message, /^the ECR authorization token from eu-west-1 is not base64 of "user:password"; run the command again/);
        if (token !== "") assert.ok(!e.message.includes(token));
        return true;
      }, token);
    }
  });
});
