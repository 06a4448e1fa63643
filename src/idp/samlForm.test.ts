import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSamlIdp, type SamlIdp } from "../../test/fakes/samlIdp.js";
import { parseSamlAssertion } from "./samlAssertion.js";
import { samlResponseFromHtml } from "./samlForm.js";

const ROLE = "arn:aws:iam::123456789012:role/Admin";
const PROVIDER = "arn:aws:iam::123456789012:saml-provider/Corp";

describe("samlResponseFromHtml (idp.md §3.6 step 3, §15 case 15)", () => {
  const cases: Array<[string, string, string | undefined]> = [
    ["the usual hidden input", `<form><input type="hidden" name="SAMLResponse" value="PHNhbWw+"></form>`, "PHNhbWw+"],
    ["value before name", `<input value="QUJD" type="hidden" name="SAMLResponse"/>`, "QUJD"],
    ["single quotes", `<input type='hidden' name='SAMLResponse' value='QUJD'>`, "QUJD"],
    ["unquoted values", `<input type=hidden name=SAMLResponse value=QUJD+/=>`, "QUJD+/="],
    ["upper-case tag and attribute names", `<INPUT TYPE="HIDDEN" NAME="SAMLResponse" VALUE="QUJD">`, "QUJD"],
    ["spaces around =, newlines between attributes", `<input\n  name = "SAMLResponse"\n\tvalue =\n'QUJD' >`, "QUJD"],
    ["entities in the value", `<input name="SAMLResponse" value="QU&#x2b;J&#43;D&#X2F;&#x3d;&#61;&amp;&quot;&equals;">`, `QU+J+D/==&"=`],
    ["an unknown entity is kept", `<input name="SAMLResponse" value="a&bogus;b&#0;c">`, "a&bogus;b&#0;c"],
    ["the name must match exactly", `<input name="samlresponse" value="x"><input name="SAMLResponse2" value="y">`, undefined],
    ["the last of several wins", `<input name="SAMLResponse" value="first"><p><input name="SAMLResponse" value="second">`, "second"],
    ["the first of two same-named attributes counts", `<input name="SAMLResponse" value="one" value="two">`, "one"],
    ["an input without a value gives the empty string", `<input type="hidden" name="SAMLResponse">`, ""],
    ["other inputs and tags are ignored", `<inputs name="SAMLResponse" value="no"><input name="RelayState" value="r">`, undefined],
    ["a commented-out input is not read", `<!-- <input name="SAMLResponse" value="old"> --><input name="SAMLResponse" value="new">`, "new"],
    ["a page without the form", "<html><body>Invalid credentials</body></html>", undefined],
    ["an empty page", "", undefined],
    ["a tag cut off at the end of the page", `<input name="SAMLResponse" value="QUJD`, "QUJD"],
    ["boolean attributes before the name", `<input hidden disabled name="SAMLResponse" value="QUJD">`, "QUJD"],
  ];
  for (const [what, html, expected] of cases) {
    it(what, () => {
      assert.equal(samlResponseFromHtml(html), expected);
    });
  }
});

describe("samlResponseFromHtml on a real samlp page", () => {
  let idp: SamlIdp;
  before(async () => {
    idp = await startSamlIdp({ roles: [`${ROLE},${PROVIDER}`], sessionName: "carol@example.com" });
  });
  after(() => idp.close());

  it("reads the SAMLResponse of the auto-POST form the IdP sends after sign-in", async () => {
    const login = await fetch(idp.loginUrl, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ username: "carol", password: "secret", next: "/saml/aws" }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const page = await fetch(idp.url, { headers: { cookie }, redirect: "manual" });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /name="SAMLResponse"\s+value=/, "samlp's template puts name and value on separate lines");

    const value = samlResponseFromHtml(html);
    assert.ok(value !== undefined);
    const assertion = parseSamlAssertion(value);
    assert.deepEqual(assertion.roles(), [{ role: ROLE, principal: PROVIDER }]);
    assert.equal(assertion.roleSessionName(), "carol@example.com");
  });
});
