import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../../domain/errors.js";
import { parsePageConfig } from "./pageConfig.js";

/** A sign-in page as Azure AD writes it, with `config` as its $Config and more script after it. */
function page(config: string): string {
  return (
    `<html><head><script type="text/javascript">//<![CDATA[\n$Config=${config};\n//]]></script>` +
    `<script>var other = {a: 1};</script></head><body></body></html>`
  );
}

describe("parsePageConfig (idp.md §8, §13 item 7)", () => {
  it("reads the fields aws-runas uses", () => {
    const config = parsePageConfig(
      page(
        JSON.stringify({
          sCtx: "ctx1",
          sFT: "ft1",
          sFTName: "flowToken",
          urlPost: "/t/login",
          urlBeginAuth: "https://login.example/common/SAS/BeginAuth",
          urlEndAuth: "https://login.example/common/SAS/EndAuth",
          urlSkipMfaRegistration: "",
          arrUserProofs: [
            { authMethodId: "PhoneAppNotification", data: "PhoneAppNotification", display: "+X 12", isDefault: false },
            { authMethodId: "PhoneAppOTP", isDefault: true },
          ],
          oGetCredTypeResult: { Credentials: { HasPassword: true, FederationRedirectUrl: "https://idp.example/sso" } },
          oPerAuthPollingInterval: { PhoneAppNotification: 1, OneWaySMS: "2.5", Bad: "x" },
        }),
      ),
    );
    assert.deepEqual(config, {
      sCtx: "ctx1",
      sFT: "ft1",
      sFTName: "flowToken",
      urlPost: "/t/login",
      urlBeginAuth: "https://login.example/common/SAS/BeginAuth",
      urlEndAuth: "https://login.example/common/SAS/EndAuth",
      urlSkipMfaRegistration: "",
      sErrorCode: "",
      sErrTxt: "",
      arrUserProofs: [
        { authMethodId: "PhoneAppNotification", display: "+X 12", isDefault: false },
        { authMethodId: "PhoneAppOTP", display: "", isDefault: true },
      ],
      federationRedirectUrl: "https://idp.example/sso",
      pollingIntervals: { PhoneAppNotification: 1, OneWaySMS: 2.5 },
    });
  });

  it("does not stop at a `};` inside a string (upstream's regex did)", () => {
    const config = parsePageConfig(page(`{"sText":"};","sBraces":"{\\"a\\":\\"};\\"}","sQuote":"\\"};","sFT":"after","urlPost":"/kmsi"}`));
    assert.equal(config?.sFT, "after");
    assert.equal(config?.urlPost, "/kmsi");
  });

  it("reads nested objects and arrays holding braces", () => {
    const config = parsePageConfig(page(`{"a":{"b":[{"c":"}"}],"d":"]"},"sCtx":"x"}`));
    assert.equal(config?.sCtx, "x");
  });

  it("matches keys in any case, as Go's decoder did, and numbers as text", () => {
    const config = parsePageConfig(page(`{"SCTX":"c","sft":"f","SErrorCode":50126,"ArrUserProofs":[{"AuthMethodID":"OneWaySMS","IsDefault":true}]}`));
    assert.equal(config?.sCtx, "c");
    assert.equal(config?.sFT, "f");
    assert.equal(config?.sErrorCode, "50126");
    assert.deepEqual(config?.arrUserProofs, [{ authMethodId: "OneWaySMS", display: "", isDefault: true }]);
  });

  it('"0" and 0 are no error', () => {
    assert.equal(parsePageConfig(page(`{"sErrorCode":"0"}`))?.sErrorCode, "");
    assert.equal(parsePageConfig(page(`{"sErrorCode":0}`))?.sErrorCode, "");
  });

  it("allows spaces around the =", () => {
    assert.equal(parsePageConfig(`<script>$Config = {"sCtx":"s"};</script>`)?.sCtx, "s");
  });

  it("a page without $Config has none", () => {
    assert.equal(parsePageConfig(`<html><form action="/x"><input name="a" value="b"></form></html>`), undefined);
    assert.equal(parsePageConfig(`<script>$Config.foo = 1;</script>`), undefined);
  });

  for (const [name, html] of [
    ["an unterminated object", `<script>$Config={"sCtx":"x","a":{"b":1};</script>`],
    ["an object that is not JSON", `<script>$Config={sCtx:'x'};</script>`],
  ] as const) {
    it(`${name} is one IDP_ERROR line`, () => {
      assert.throws(
        () => parsePageConfig(html),
        (e: unknown) => isRunasError(e) && e.code === "IDP_ERROR" && /page data \(\$Config\) that is not readable JSON/.test(e.message),
      );
    });
  }
});
