import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AWS_SIGNIN_URL_PATTERNS, isAwsSignInEndpoint } from "./awsSignInEndpoints.js";

/** CDP's urlPattern wildcards: `*` any text (slashes too), `?` one character. */
function cdpMatches(pattern: string, url: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(url);
}
const paused = (url: string): boolean => AWS_SIGNIN_URL_PATTERNS.some((p) => cdpMatches(p, url));

describe("AWS sign-in endpoints (idp.md §9.1, §13 item 8)", () => {
  const endpoints = [
    "https://signin.aws.amazon.com/saml",
    "https://signin.aws.amazon.com/saml/",
    "https://us-east-1.signin.aws.amazon.com/saml",
    "https://eu-central-2.signin.aws.amazon.com/saml",
    "https://ap-southeast-5.signin.aws.amazon.com/saml",
    "https://signin.amazonaws-us-gov.com/saml",
    "https://us-gov-west-1.signin.amazonaws-us-gov.com/saml",
    "https://signin.amazonaws.cn/saml",
    "https://cn-northwest-1.signin.amazonaws.cn/saml",
    "https://signin.aws.amazon.com/saml/acs/SAMLSP4SN4LQEXAMPLE",
    "https://us-west-2.signin.aws.amazon.com/saml/acs/SAMLSP4SN4LQEXAMPLE",
    "https://signin.aws.amazon.com/saml?region=eu-west-1",
  ];
  for (const url of endpoints) {
    it(`${url} is one, and the Fetch patterns pause it`, () => {
      assert.equal(isAwsSignInEndpoint(url), true);
      assert.equal(paused(url), true);
    });
  }

  const lookAlikes = [
    "https://signin.aws.amazon.com.evil.example/saml",
    "https://evil.example/signin.aws.amazon.com/saml",
    "https://evil.example/x.signin.aws.amazon.com/saml",
    "https://evilsignin.aws.amazon.com/saml",
    "https://evil.example.signin.aws.amazon.com/saml",
    "https://a.b.signin.aws.amazon.com/saml",
    "https://us-east-1.evil.signin.aws.amazon.com/saml",
    "http://signin.aws.amazon.com/saml",
    "https://signin.aws.amazon.com:8443/saml",
    "https://user:pw@signin.aws.amazon.com/saml",
    "https://signin.aws.amazon.com/samlx",
    "https://signin.aws.amazon.com/saml/other",
    "https://signin.aws.amazon.com/",
    "https://signin.amazonaws.cn.evil.example/saml",
    "https://signin.amazonaws-us-gov.com.evil.example/saml",
    "https://console.aws.amazon.com/saml",
    "not a url",
  ];
  for (const url of lookAlikes) {
    it(`${url} is not one`, () => assert.equal(isAwsSignInEndpoint(url), false));
  }

  it("the patterns cover the three partitions, each bare and regional", () => {
    assert.deepEqual(AWS_SIGNIN_URL_PATTERNS, [
      "https://signin.aws.amazon.com/saml*",
      "https://*.signin.aws.amazon.com/saml*",
      "https://signin.amazonaws-us-gov.com/saml*",
      "https://*.signin.amazonaws-us-gov.com/saml*",
      "https://signin.amazonaws.cn/saml*",
      "https://*.signin.amazonaws.cn/saml*",
    ]);
    assert.equal(paused("https://signin.aws.amazon.com.evil.example/saml"), false, "never even paused");
  });
});
