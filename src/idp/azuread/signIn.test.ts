import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../../domain/errors.js";
import { parsePageConfig } from "./pageConfig.js";
import { failOn } from "./signIn.js";

const config = (fields: Record<string, unknown>) => {
  const c = parsePageConfig(`<script>$Config=${JSON.stringify(fields)};</script>`);
  assert.ok(c !== undefined);
  return c;
};

describe("failOn: the error an Azure AD page reports, as one line", () => {
  it("a page without an error passes", () => {
    failOn(config({ sErrorCode: "0", sCtx: "c" }), "u");
  });

  for (const [code, kind, pattern] of [
    ["50126", "IDP_AUTH", /^authentication failed: Azure AD rejected the username or password of u \(error 50126\)/],
    ["50034", "IDP_AUTH", /^Azure AD does not know the account u \(error 50034\)/],
    ["50053", "IDP_AUTH", /^the account u is locked \(error 50053/],
    ["50057", "IDP_AUTH", /^the account u is disabled in Azure AD \(error 50057\)/],
    ["50055", "IDP_AUTH", /^the password of u has expired \(error 50055\)/],
    ["700016", "IDP_ERROR", /^Azure AD stopped the sign-in of u with error 700016: Application not\s+found; sign in at Azure AD/],
  ] as const) {
    it(`${code} → ${kind}`, () => {
      assert.throws(
        () => failOn(config({ sErrorCode: code, sErrTxt: "Application not\nfound" }), "u"),
        (e: unknown) => isRunasError(e) && e.code === kind && pattern.test(e.message) && !e.message.includes("\n"),
      );
    });
  }

  it("an error text without a code still stops the sign-in", () => {
    assert.throws(
      () => failOn(config({ sErrTxt: "Something went wrong" }), "u"),
      (e: unknown) => isRunasError(e) && e.message.startsWith("Azure AD stopped the sign-in of u with error (no code): Something went wrong"),
    );
  });
});
