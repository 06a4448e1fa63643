import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../domain/errors.js";
import { accountEndpoint, ecrEndpoint } from "./ecrEndpoint.js";

/** The code and message `fn` throws. */
function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isRunasError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("did not throw");
}

describe("accountEndpoint (core.md §11 step 2)", () => {
  it("names the account's registry in the region, under .amazonaws.com.cn in the China regions", () => {
    assert.deepEqual(accountEndpoint("123456789012", "eu-west-1"), { host: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", region: "eu-west-1" });
    assert.deepEqual(accountEndpoint("123456789012", "cn-north-1"), { host: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", region: "cn-north-1" });
    assert.deepEqual(accountEndpoint("123456789012", "us-gov-west-1"), { host: "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com", region: "us-gov-west-1" });
  });
});

describe("ecrEndpoint (core.md §11 step 2, decision Q-23)", () => {
  it("expands a 12-digit account id with the profile's region", () => {
    assert.deepEqual(ecrEndpoint("210987654321", "ap-southeast-2"), { host: "210987654321.dkr.ecr.ap-southeast-2.amazonaws.com", region: "ap-southeast-2" });
    assert.deepEqual(ecrEndpoint("210987654321", "cn-northwest-1"), { host: "210987654321.dkr.ecr.cn-northwest-1.amazonaws.com.cn", region: "cn-northwest-1" });
  });

  it("uses a registry host as typed, with the region of its 4th label, China hosts too (Q-23)", () => {
    const cases: [string, string][] = [
      ["111122223333.dkr.ecr.us-west-2.amazonaws.com", "us-west-2"],
      ["111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1"],
      ["111122223333.dkr.ecr-fips.us-gov-east-1.amazonaws.com", "us-gov-east-1"],
      ["111122223333.DKR.ECR.EU-CENTRAL-1.AMAZONAWS.COM", "eu-central-1"],
    ];
    for (const [host, region] of cases) assert.deepEqual(ecrEndpoint(host, "us-east-1"), { host, region }, host);
    // The profile's region plays no part for a full host, so none is needed.
    assert.deepEqual(ecrEndpoint("111122223333.dkr.ecr.us-west-2.amazonaws.com", undefined).region, "us-west-2");
  });

  it("rejects a host without a region as its 4th label (upstream crashed on short ones)", () => {
    for (const host of ["ecr.amazonaws.com", "dkr.ecr.us-east-1.amazonaws.com", "a.b.c.amazonaws.com.cn"]) {
      const e = failure(() => ecrEndpoint(host, "us-east-1"));
      assert.equal(e.code, "INVALID_VALUE", host);
      assert.equal(
        e.message,
        `'${host}' is not an ECR registry host: it has no region as its 4th part (<account>.dkr.ecr.<region>.amazonaws.com); ` +
          "give a 12-digit account id, or a registry host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com (.amazonaws.com.cn in China)",
      );
    }
  });

  it("rejects anything else with one line saying what is accepted", () => {
    for (const arg of ["12345678901", "1234567890123", "amazonaws.com", "my-registry.example.com", "", "123456789012.dkr.ecr.us-east-1.amazonaws.com/"]) {
      assert.deepEqual(failure(() => ecrEndpoint(arg, "us-east-1")), {
        code: "INVALID_VALUE",
        message: `'${arg}' is not an ECR registry: give a 12-digit account id, or a registry host such as ` +
          "123456789012.dkr.ecr.us-east-1.amazonaws.com (.amazonaws.com.cn in China)",
      }, arg);
    }
  });

  it("needs a region to expand an account id, and says how to give one", () => {
    const e = failure(() => ecrEndpoint("123456789012", undefined));
    assert.equal(e.code, "NO_REGION");
    assert.match(e.message, /^'123456789012' is an account id, and naming its registry needs a region: set region in the profile \(or AWS_REGION\)/);
  });
});
