import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readAutoSubmitForm } from "./autoSubmitForm.js";

const PAGE = new URL("https://login.example.com/tenant/login?x=1");

describe("readAutoSubmitForm", () => {
  it("a WS-Federation answer: action resolved, method, named inputs with entities decoded", () => {
    const form = readAutoSubmitForm(
      `<html><body onload="document.forms[0].submit()"><form method="post" name="hiddenform" action="/login.srf">` +
        `<input type="hidden" name="wa" value="wsignin1.0"/>` +
        `<input type="hidden" name="wresult" value="&lt;saml:NameIdentifier&gt;guest&lt;/saml:NameIdentifier&gt;"/>` +
        `<input type='hidden' name='wctx' value='a&amp;b&#x3d;c'>` +
        `<input type="hidden" name="empty">` +
        `<noscript><input type="submit" value="Submit"/><input type="submit" name="go" value="Go"/></noscript></form></body></html>`,
      PAGE,
    );
    assert.deepEqual(form, {
      action: new URL("https://login.example.com/login.srf"),
      method: "POST",
      fields: [
        ["wa", "wsignin1.0"],
        ["wresult", "<saml:NameIdentifier>guest</saml:NameIdentifier>"],
        ["wctx", "a&b=c"],
        ["empty", ""],
      ],
    });
  });

  it("takes the first form only, and only its inputs", () => {
    const form = readAutoSubmitForm(
      `<input name="before" value="1"><FORM ACTION="https://apps.example/done" METHOD="POST"><INPUT NAME="a" VALUE="1"></FORM>` +
        `<form action="/second"><input name="b" value="2"></form>`,
      PAGE,
    );
    assert.equal(form?.action.href, "https://apps.example/done");
    assert.deepEqual(form?.fields, [["a", "1"]]);
  });

  it("a form without a method is a GET; unchecked boxes are left out", () => {
    const form = readAutoSubmitForm(
      `<form action="next"><input type="checkbox" name="no" value="1"><input type="checkbox" name="yes" value="1" checked></form>`,
      PAGE,
    );
    assert.equal(form?.method, "GET");
    assert.equal(form?.action.href, "https://login.example.com/tenant/next");
    assert.deepEqual(form?.fields, [["yes", "1"]]);
  });

  it("ignores forms inside comments", () => {
    const form = readAutoSubmitForm(`<!-- <form action="/old"></form> --><form action="/new" method="post"></form>`, PAGE);
    assert.equal(form?.action.pathname, "/new");
  });

  it("no form, or a form without an action, is no hand-off", () => {
    assert.equal(readAutoSubmitForm(`<html><body>Signed in</body></html>`, PAGE), undefined);
    assert.equal(readAutoSubmitForm(`<form method="post"><input name="a" value="1"></form>`, PAGE), undefined);
    assert.equal(readAutoSubmitForm(`<formula action="/x">`, PAGE), undefined);
  });
});
