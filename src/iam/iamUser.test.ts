import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isRunasError } from "../domain/errors.js";
import { iamUserName } from "./iamUser.js";

const id = (arn: string) => ({ account: "123456789012", arn, userId: "AIDAEXAMPLE" });

describe("iamUserName (core.md §6.1, §6.2)", () => {
  it("is the last element of a user ARN's resource, path or not", () => {
    assert.equal(iamUserName(id("arn:aws:iam::123456789012:user/alice"), "p"), "alice");
    assert.equal(iamUserName(id("arn:aws:iam::123456789012:user/division/team/bob"), "p"), "bob");
    assert.equal(iamUserName(id("arn:aws-cn:iam::123456789012:user/carol"), "p"), "carol");
  });

  const refused: [string, string, RegExp][] = [
    ["an assumed role", "arn:aws:sts::123456789012:assumed-role/Admin/session",
      /^profile 'ops' gives role credentials \(arn:aws:sts::123456789012:assumed-role\/Admin\/session\), not an IAM user's: .*use the profile that holds the IAM user's access keys$/],
    ["the root user", "arn:aws:iam::123456789012:root",
      /^profile 'ops' uses the root user of account 123456789012, which has no IAM policies or groups: use the profile of an IAM user$/],
    ["a federated user", "arn:aws:sts::123456789012:federated-user/dave",
      /^profile 'ops' gives credentials of arn:aws:sts::123456789012:federated-user\/dave, not of an IAM user: /],
    ["a malformed ARN", "arn:aws:iam::123456789012:user/", /not of an IAM user/],
  ];
  for (const [what, arn, message] of refused) {
    it(`refuses ${what} with one line saying which profile to use`, () => {
      assert.throws(() => iamUserName(id(arn), "ops"), (e) => {
        assert.ok(isRunasError(e));
        assert.equal(e.code, "INVALID_CONFIG");
        assert.match(e.message, message);
        assert.ok(!e.message.includes("\n"));
        return true;
      });
    });
  }

  it("says 'default' for the profile chosen by default", () => {
    assert.throws(() => iamUserName(id("arn:aws:iam::123456789012:root"), ""), /^RunasError: profile 'default' uses the root user/);
  });
});
