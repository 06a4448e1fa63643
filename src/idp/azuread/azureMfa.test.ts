import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../../domain/errors.js";
import { selectProof } from "./azureMfa.js";
import type { UserProof } from "./pageConfig.js";

const p = (authMethodId: string, isDefault = false): UserProof => ({ authMethodId, display: authMethodId, isDefault });
/** The fake tenant's automfa / codemfa user (idp.md §8.6). */
const OTP_DEFAULT = [p("PhoneAppNotification"), p("OneWaySMS"), p("PhoneAppOTP", true)];

describe("selectProof (idp.md §8.3, fixed per §13 item 7)", () => {
  for (const [name, proofs, type, want] of [
    ["auto: the default proof", OTP_DEFAULT, "auto", "PhoneAppOTP"],
    ["auto: a default aws-runas cannot use gives way to the first usable", [p("TwoWayVoiceMobile", true), p("OneWaySMS"), p("PhoneAppOTP")], "auto", "OneWaySMS"],
    ["auto: no default, the first usable", [p("PhoneAppOTP"), p("PhoneAppNotification")], "auto", "PhoneAppOTP"],
    ["push: the push, though the default is a code", OTP_DEFAULT, "push", "PhoneAppNotification"],
    ["PUSH: any case", OTP_DEFAULT, "PUSH", "PhoneAppNotification"],
    ["code: the default when it is a code", OTP_DEFAULT, "code", "PhoneAppOTP"],
    ["code: else the first code method", [p("PhoneAppNotification", true), p("OneWaySMS"), p("PhoneAppOTP")], "Code", "OneWaySMS"],
    ["method names in any case", [p("phoneappotp")], "code", "phoneappotp"],
  ] as const) {
    it(name, () => {
      assert.equal(selectProof(proofs, type, "user").authMethodId, want);
    });
  }

  const fails = (proofs: UserProof[], type: string): string => {
    try {
      selectProof(proofs, type, "user");
    } catch (e) {
      assert.ok(isRunasError(e) && e.code === "IDP_MFA");
      return e.message;
    }
    assert.fail("no error");
  };

  it("none: MFA refused, not carried on with an empty method", () => {
    assert.equal(fails(OTP_DEFAULT, "none"), "Azure AD requires MFA for user; set mfa_type to auto, code or push");
  });

  it("no usable method: the registered ones are listed", () => {
    assert.equal(
      fails([p("TwoWayVoiceMobile", true), p("FidoKey")], "auto"),
      "Azure AD offers user no MFA method for mfa_type auto; registered: TwoWayVoiceMobile, FidoKey; " +
        "aws-runas can use PhoneAppNotification, PhoneAppOTP, OneWaySMS: change mfa_type or register one of them",
    );
    assert.match(fails([p("PhoneAppNotification")], "code"), /no MFA method for mfa_type code \(PhoneAppOTP or OneWaySMS\); registered: PhoneAppNotification;/);
    assert.match(fails([], "push"), /registered: none;/);
  });
});
