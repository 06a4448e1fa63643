import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { feedbackOf, formFields, formsOf, loginFormOf, otpFormOf, titleOf } from "./loginForm.js";

const PAGE = new URL("https://sso.example.com/auth/realms/corp/protocol/saml/clients/amazon-aws");

/** A login page made to trip a careless parser: comments, scripts, a second form, odd quoting and case. */
const CRAFTED = `<!DOCTYPE html>
<html><head><title>Sign in to corp</title>
<script>var fake = '<form action="/evil"><input type="password" name="password">';</script>
</head><body>
<!-- <form action="/commented"><input type="password" name="password"></form> -->
<input type="hidden" name="outside" value="not in a form">
<form id="kc-form-login" action="/auth/realms/corp/login-actions/authenticate?session_code=abc&amp;execution=e1&amp;tab_id=t1" method="post">
  <input id="username" name="UserName" value="prefilled" type="text"/>
  <input id="password" NAME='Password' TYPE=password>
  <input name="notype" value="skipped: no type attribute">
  <input type="hidden" id="id-hidden-input" name="credentialId"/>
  <input type="hidden" name="csrf" value="a&amp;b&#x3d;c">
  <input type="checkbox" id="rememberMe" name="rememberMe">
  <input type="checkbox" name="consent" value="yes" checked>
  <input type="radio" name="choice" value="one">
  <input type="radio" name="choice" value="two" checked>
  <input type="text" value="no name, not sent">
  <input type="SUBMIT" name="login" value="Sign In">
  <input type="reset" name="clear" value="Clear">
</form>
<form action="https://elsewhere.example.com/second"><input type="hidden" name="other" value="x"></form>
</body></html>`;

describe("Keycloak's login form (idp.md §6.3, §15 case 39)", () => {
  it("finds the first form, skips comments, scripts and inputs outside forms, resolves the action against the page", () => {
    const forms = formsOf(CRAFTED, PAGE);
    assert.equal(forms.length, 2);
    const form = loginFormOf(CRAFTED, PAGE);
    assert.ok(form !== undefined);
    assert.equal(form.action.href, "https://sso.example.com/auth/realms/corp/login-actions/authenticate?session_code=abc&execution=e1&tab_id=t1");
  });

  it("posts username and password by name (any case), hidden inputs and checkboxes with their value or \"\"; skips inputs without type, submit and reset", () => {
    const form = loginFormOf(CRAFTED, PAGE);
    assert.ok(form !== undefined);
    const fields = formFields(form, { username: "alice", password: "s3cret" });
    assert.deepEqual([...fields], [
      ["UserName", "alice"],
      ["Password", "s3cret"],
      ["credentialId", ""],
      ["csrf", "a&b=c"],
      ["rememberMe", ""],
      ["consent", "yes"],
      ["choice", "two"],
    ]);
  });

  it("an absolute action stays as written; a missing action posts back to the page", () => {
    const absolute = formsOf(`<form action="https://kc.example.com/realms/x/login-actions/authenticate?a=1"></form>`, PAGE)[0];
    assert.equal(absolute?.action.href, "https://kc.example.com/realms/x/login-actions/authenticate?a=1");
    const none = formsOf(`<form method="post"><input type="password" name="password"></form>`, PAGE)[0];
    assert.equal(none?.action.href, PAGE.href);
  });

  it("a page without a password field has no login form", () => {
    assert.equal(loginFormOf(`<html><form action="/x"><input type="text" name="username"></form></html>`, PAGE), undefined);
    assert.equal(loginFormOf("<html><body>We are sorry...</body></html>", PAGE), undefined);
  });

  it("the OTP form: the first input whose name ends with otp, posted by its name", () => {
    const page = `<form id="kc-otp-login-form" action="https://kc.example.com/realms/x/login-actions/authenticate?session_code=s2">
      <input id="otp-field" name="totp" autocomplete="off" type="text">
      <input class="btn" name="login" id="kc-login" type="submit" value="Sign In"></form>`;
    const otp = otpFormOf(page, PAGE);
    assert.ok(otp !== undefined);
    assert.equal(otp.field, "totp");
    assert.deepEqual([...formFields(otp.form, { [otp.field]: "123456" })], [["totp", "123456"]]);
  });

  it("an OTP input without a name is known by its id (upstream's field name); the name wins otherwise", () => {
    const byId = otpFormOf(`<form action="/a"><input id="kc-otp" type="text"></form>`, PAGE);
    assert.equal(byId?.field, "kc-otp");
    assert.equal(otpFormOf(`<form action="/a"><input id="otp" name="code" type="text"></form>`, PAGE), undefined);
    assert.equal(otpFormOf(`<form action="/a"><input id="field1" name="OTP" type="text"></form>`, PAGE)?.field, "OTP");
  });

  it("a login form is no OTP form", () => {
    assert.equal(otpFormOf(CRAFTED, PAGE), undefined);
  });

  it("reads Keycloak's feedback line and the page title", () => {
    const alertOnly =
      `<div class="alert-error pf-c-alert"><div class="pf-c-alert__icon"><span class="fa fa-fw"></span></div>` +
      `<span class="pf-c-alert__title">Invalid username &amp; password.</span></div>`;
    assert.equal(feedbackOf(alertOnly), "Invalid username & password.");
    assert.equal(feedbackOf(`<span id="input-error" class="x">  Invalid authenticator code. </span>`), "Invalid authenticator code.");
    assert.equal(feedbackOf(`<span class="a kc-feedback-text">Account is disabled</span>`), "Account is disabled");
    assert.equal(feedbackOf(CRAFTED), undefined);
    assert.equal(titleOf(CRAFTED), "Sign in to corp");
    assert.equal(titleOf("<html></html>"), undefined);
  });
});
