import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isRunasError } from "../../domain/errors.js";
import { parseOneLoginUrl } from "./apiToken.js";
import type { OneLoginUrl } from "./apiToken.js";

// base64("ci:se>cr?t~") = "Y2k6c2U+Y3I/dH4=": a token holding both "+" and "/", and padding.
const PLUS_SLASH = "Y2k6c2U+Y3I/dH4=";
const PLUS_SLASH_CREDS = { clientId: "ci", clientSecret: "se>cr?t~" };
const base64 = (text: string): string => Buffer.from(text).toString("base64");

describe("parseOneLoginUrl", () => {
  const cases: [string, string, OneLoginUrl][] = [
    [
      "the seed's example, on a custom domain",
      "https://my-onelogin-hostname.com/oidc/2?token=Y2xpZW50X2lkOmNsaWVudF9zZWNyZXQ=",
      {
        baseUrl: "https://my-onelogin-hostname.com/oidc/2",
        clientId: "client_id",
        clientSecret: "client_secret",
        subdomain: "my-onelogin-hostname.com",
      },
    ],
    [
      "an OIDC URL on onelogin.com (idp.md §15 case 7)",
      `https://mycorp.onelogin.com/oidc/2?token=${base64("mockClientId:mockClientSecret")}`,
      { baseUrl: "https://mycorp.onelogin.com/oidc/2", clientId: "mockClientId", clientSecret: "mockClientSecret", subdomain: "mycorp" },
    ],
    [
      "a SAML URL keeps app_id and region, in their order and spelling",
      `https://MyCorp.OneLogin.com/trust/saml2/launch/12345?app_id=678&token=${base64("id:secret")}&region=eu&x=a%20b+c`,
      {
        baseUrl: "https://mycorp.onelogin.com/trust/saml2/launch/12345?app_id=678&region=eu&x=a%20b+c",
        clientId: "id",
        clientSecret: "secret",
        subdomain: "mycorp",
      },
    ],
    [
      "a fake server on a loopback port",
      `http://127.0.0.1:43127/oidc/2?token=${base64("mockClientId:mockClientSecret")}`,
      { baseUrl: "http://127.0.0.1:43127/oidc/2", clientId: "mockClientId", clientSecret: "mockClientSecret", subdomain: "127.0.0.1" },
    ],
    [
      "a secret containing ':' is kept whole (idp.md §13.4)",
      `https://mycorp.onelogin.com/oidc/2?token=${base64("id:se:cr:et")}`,
      { baseUrl: "https://mycorp.onelogin.com/oidc/2", clientId: "id", clientSecret: "se:cr:et", subdomain: "mycorp" },
    ],
    [
      "the newline of `echo` without -n is dropped",
      `https://mycorp.onelogin.com/oidc/2?token=${base64("id:secret\n")}`,
      { baseUrl: "https://mycorp.onelogin.com/oidc/2", clientId: "id", clientSecret: "secret", subdomain: "mycorp" },
    ],
    [
      "a regional subdomain keeps only the first label",
      `https://mycorp.eu.onelogin.com/oidc/2?token=${base64("id:secret")}#frag`,
      { baseUrl: "https://mycorp.eu.onelogin.com/oidc/2#frag", clientId: "id", clientSecret: "secret", subdomain: "mycorp" },
    ],
  ];
  for (const [name, url, expected] of cases) {
    it(name, () => {
      assert.deepEqual(parseOneLoginUrl(url), expected);
    });
  }

  describe("accepts every spelling of the same token (decisions.md \"Seed\")", () => {
    const spellings: [string, string][] = [
      ["standard base64 with a raw +", PLUS_SLASH],
      ["the + escaped as %2B and / as %2F", "Y2k6c2U%2BY3I%2FdH4%3D"],
      ["the + turned into a space", "Y2k6c2U%20Y3I/dH4="],
      ["URL-safe base64", "Y2k6c2U-Y3I_dH4="],
      ["URL-safe base64 without padding", "Y2k6c2U-Y3I_dH4"],
      ["standard base64 without padding", "Y2k6c2U+Y3I/dH4"],
    ];
    for (const [name, token] of spellings) {
      it(name, () => {
        assert.deepEqual(parseOneLoginUrl(`https://mycorp.onelogin.com/oidc/2?token=${token}`), {
          baseUrl: "https://mycorp.onelogin.com/oidc/2",
          ...PLUS_SLASH_CREDS,
          subdomain: "mycorp",
        });
      });
    }
  });

  describe("errors", () => {
    const HOW = "set it to the output of: echo -n 'client_id:client_secret' | base64 (add -w0 on Linux to avoid line breaks)";
    const MISSING =
      "missing token query parameter in the OneLogin URL for mycorp.onelogin.com: add the query parameter " +
      `token=<base64 of client_id:client_secret>; ${HOW}`;
    const invalid = (why: string): string => `invalid token parameter format in the OneLogin URL for mycorp.onelogin.com: ${why}; ${HOW}`;
    const cases: [string, string, string][] = [
      ["no query (idp.md §15 case 7)", "https://mycorp.onelogin.com/oidc/2", MISSING],
      ["other parameters only", "https://mycorp.onelogin.com/trust/saml2/launch/1?app_id=678", MISSING],
      ["an empty token", "https://mycorp.onelogin.com/oidc/2?token=", MISSING],
      ["a token without a value", "https://mycorp.onelogin.com/oidc/2?token", MISSING],
      ["a token that is not base64", "https://mycorp.onelogin.com/oidc/2?token=not*base64!", invalid("the token is not base64")],
      ["a token of impossible length", "https://mycorp.onelogin.com/oidc/2?token=Y2xpZ", invalid("the token is not base64")],
      ["padding in the middle", "https://mycorp.onelogin.com/oidc/2?token=Y2k=6c2U", invalid("the token is not base64")],
      ["a malformed escape", "https://mycorp.onelogin.com/oidc/2?token=Y2k%zz", invalid("it holds a malformed %-escape")],
      ["bytes that are not text", `https://mycorp.onelogin.com/oidc/2?token=${Buffer.from([0xff, 0xfe, 0x3a, 0x41]).toString("base64")}`,
        invalid("the decoded token is not text")],
      ["no ':' in the decoded token", `https://mycorp.onelogin.com/oidc/2?token=${base64("just-a-secret")}`,
        invalid('the decoded token has no ":" between the client id and the client secret')],
      ["an empty client id", `https://mycorp.onelogin.com/oidc/2?token=${base64(":secret")}`, invalid("the client id in the token is empty")],
      ["an empty client secret", `https://mycorp.onelogin.com/oidc/2?token=${base64("id:")}`, invalid("the client secret in the token is empty")],
      ["not a URL", "mycorp.onelogin.com/oidc/2", "the OneLogin URL is not a valid URL; write it as https://<host>/oidc/2?token=<token>"],
      ["not http(s)", "ftp://mycorp.onelogin.com/oidc/2?token=abcd", "the OneLogin URL for mycorp.onelogin.com must be an https:// URL"],
    ];
    for (const [name, url, message] of cases) {
      it(name, () => {
        assert.throws(
          () => parseOneLoginUrl(url),
          (e: unknown) => {
            assert.ok(isRunasError(e));
            assert.deepEqual({ code: e.code, message: e.message }, { code: "INVALID_CONFIG", message });
            return true;
          },
        );
      });
    }

    it("never puts the token or the secret in a message", () => {
      const secret = "Very$ecretValue";
      const token = base64(`${secret}-without-colon`);
      assert.throws(
        () => parseOneLoginUrl(`https://mycorp.onelogin.com/oidc/2?token=${token}`),
        (e: unknown) => e instanceof Error && !e.message.includes(token) && !e.message.includes(secret),
      );
    });
  });
});
