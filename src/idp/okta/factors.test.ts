import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../../domain/errors.js";
import type { MfaType } from "../types.js";
import type { OktaFactor } from "./authn.js";
import { selectFactor } from "./factors.js";

const factor = (factorType: string, provider = "OKTA"): OktaFactor => ({
  id: `${factorType}-${provider}`,
  factorType,
  provider,
  verifyHref: "https://org.okta.com/api/v1/authn/factors/x/verify",
});

describe("selectFactor (idp.md §4.2)", () => {
  const TOTP = factor("token:software:totp", "GOOGLE");
  const HOTP = factor("token:hotp");
  const PUSH = factor("push");
  const HARDWARE = factor("token:hardware", "YUBICO");
  const SMS = factor("sms");
  const DUO = factor("web", "duo");

  for (const [name, factors, mfaType, want] of [
    ["Duo wins over everything, whatever mfa_type", [TOTP, PUSH, DUO], "code", DUO],
    ["a lone supported factor is used whatever mfa_type", [SMS, TOTP], "push", TOTP],
    ["a lone token:hardware is chosen (and later refused)", [HARDWARE], "auto", HARDWARE],
    ["auto prefers push", [TOTP, PUSH], "auto", PUSH],
    ["push picks push", [HOTP, PUSH], "push", PUSH],
    ["code prefers TOTP over HOTP", [HOTP, PUSH, TOTP], "code", TOTP],
    ["code takes HOTP when there is no TOTP", [HOTP, PUSH], "code", HOTP],
    ["auto without push takes TOTP", [HARDWARE, TOTP], "auto", TOTP],
  ] as const) {
    it(name, () => {
      assert.deepEqual(selectFactor(factors, mfaType as MfaType, "ann"), want);
    });
  }

  for (const [name, factors, mfaType, message] of [
    [
      "nothing supported",
      [SMS, factor("webauthn")],
      "auto",
      "Okta asks ann for MFA, but none of the enrolled factors (sms, webauthn) can be used by aws-runas; enroll Okta Verify (push) or an authenticator app (TOTP)",
    ],
    [
      "push asked, none enrolled among several",
      [TOTP, HOTP],
      "push",
      "mfa_type is push, but ann has no such factor enrolled at Okta (enrolled: token:software:totp, token:hotp); change mfa_type or enroll one",
    ],
    [
      "code asked, only push and hardware",
      [PUSH, HARDWARE],
      "code",
      "mfa_type is code, but ann has no such factor enrolled at Okta (enrolled: push, token:hardware); change mfa_type or enroll one",
    ],
  ] as const) {
    it(`${name}: IDP_MFA`, () => {
      assert.throws(
        () => selectFactor(factors, mfaType, "ann"),
        (e: unknown) => isRunasError(e) && e.code === "IDP_MFA" && e.message === message,
      );
    });
  }
});
