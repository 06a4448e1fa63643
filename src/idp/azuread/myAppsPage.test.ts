import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { samlRequestUrl } from "./myAppsPage.js";

describe("samlRequestUrl (idp.md §8.4, §15 case 44)", () => {
  for (const [name, html, want] of [
    [
      "upstream's form: https in single quotes",
      `<script>window.location = 'https://login.microsoftonline.com/t/saml2?SAMLRequest=abc%2B';</script>`,
      "https://login.microsoftonline.com/t/saml2?SAMLRequest=abc%2B",
    ],
    [
      "JavaScript escapes resolved",
      `<script>window.location='https:\\/\\/login.microsoftonline.com\\/t\\/saml2?SAMLRequest=abc\\u0026sso_reload=true';</script>`,
      "https://login.microsoftonline.com/t/saml2?SAMLRequest=abc&sso_reload=true",
    ],
    [
      "http, double quotes, window.location.href",
      `<script>window.location.href = "http://127.0.0.1:8080/t/saml2?SAMLRequest=x\\x26y=1";</script>`,
      "http://127.0.0.1:8080/t/saml2?SAMLRequest=x&y=1",
    ],
    [
      "the assignment that carries SAMLRequest, not an earlier one",
      `<script>if (a) window.location = '/other'; window.location = 'https://l.example/saml2?SAMLRequest=z';</script>`,
      "https://l.example/saml2?SAMLRequest=z",
    ],
  ] as const) {
    it(name, () => {
      assert.equal(samlRequestUrl(html)?.href, want);
    });
  }

  it("none when the page sends nowhere with a SAMLRequest", () => {
    assert.equal(samlRequestUrl(`<script>window.location = 'https://myapps.microsoft.com/';</script>`), undefined);
    assert.equal(samlRequestUrl(`<html>SAMLRequest=abc</html>`), undefined);
    assert.equal(samlRequestUrl(`<script>window.location = 'javascript:SAMLRequest=1';</script>`), undefined);
  });
});
