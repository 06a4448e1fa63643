/**
 * The browser UI's script in real Chromium, against the real management API and UI routes over fake profile
 * sessions (no AWS): every dialog and form of core.md §9.7, with the CSRF token sent by the page itself and a strict
 * CSP that must not block anything. test/e2e/serveBrowser.test.ts does the same through the built CLI and moto.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { ROOT } from "../../../test/helpers/cliRun.js";
import { memoryLogger } from "../../../test/fakes/memoryLogger.js";
import { peerSkip } from "../../../test/helpers/peers.js";
import { createManagementRoutes } from "../managementApi.js";
import { fakeSessions, serveRoutes, type FakeSessions, type Harness } from "../managementApiFakes.js";
import { createUiRoutes } from "./uiRoutes.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = peerSkip(CHROMIUM);
const OUT = path.join(ROOT, "test-output", "serve-browser");
const CSRF = "browser-test-csrf-token";
const ADMIN_ARN = "arn:aws:iam::123456789012:role/Admin";
const OPS_ARN = "arn:aws:iam::123456789012:role/Ops";
const CORP_ARN = "arn:aws:iam::123456789012:role/Corp";

function profiles() {
  return {
    admin: { summary: { role_arn: ADMIN_ARN, source_profile: "base" } },
    "mfa-admin": { summary: { role_arn: OPS_ARN, source_profile: "default" }, mfaCode: "123456" },
    corp: {
      summary: { role_arn: CORP_ARN, auth_url: "https://idp.example.com/saml", username: "erin" },
      login: { username: "erin", password: "correct horse" },
    },
  };
}

/**
 * The little of the DOM the page-side checks use (the project's type-check has no DOM library). The checks are
 * functions, not strings: a string would be eval()ed in the page, which its CSP rightly forbids.
 */
interface PageGlobals {
  document: {
    querySelector(selector: string): { textContent: string | null; value?: string } | null;
    activeElement: { id: string } | null;
  };
}

/** Waits until the element's text is `text` (the page updates after its requests complete). */
async function waitText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) => (globalThis as unknown as PageGlobals).document.querySelector(sel)?.textContent === want,
    [selector, text] as const,
  );
}

/** Waits until the select `selector` has the value `value`. */
async function waitValue(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) => (globalThis as unknown as PageGlobals).document.querySelector(sel)?.value === want,
    [selector, value] as const,
  );
}

const focused = (page: Page): Promise<string> =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id ?? "");

describe("the browser UI in Chromium (fake sessions)", { skip }, () => {
  let browser: Browser;
  let harness: Harness;
  let sessions: FakeSessions;
  let page: Page;
  /** Page errors and CSP refusals: any is a failure. */
  const problems: string[] = [];

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    sessions = fakeSessions(profiles(), ["default", "base"]);
    const logger = memoryLogger();
    harness = await serveRoutes([
      createManagementRoutes({ sessions, csrfToken: CSRF, logger }),
      createUiRoutes({ csrfToken: CSRF, ecsPath: "/credentials" }),
    ]);
    page = await browser.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
  });

  it("lists the roles, sorted, and shows how to connect", async () => {
    await page.goto(`${harness.url}/`);
    await page.locator("#role option").nth(3).waitFor({ state: "attached" });
    const options = await page.locator("#role option").allTextContents();
    assert.deepEqual(options, ["-- Select Role --", "admin", "corp", "mfa-admin"]);
    assert.equal(await page.textContent("#connect-line"), `AWS_CONTAINER_CREDENTIALS_FULL_URI=${harness.url}/credentials`);
    assert.equal(await page.isVisible("#active-none"), true);
  });

  it("the drop-down switches the profile and fills the details and the Advanced form", async () => {
    await page.selectOption("#role", "admin");
    await waitText(page, "#active-role-arn", ADMIN_ARN);
    assert.equal(await page.textContent("#active-profile"), "admin");
    assert.equal(await page.textContent("#active-type"), "IAM");
    assert.equal(await page.inputValue("#role-arn"), ADMIN_ARN);
    await waitValue(page, "#source-profile", "base");
    assert.equal(sessions.activeName(), "admin");
  });

  it("an MFA profile opens the MFA dialog; a wrong code says so, the right one shows the profile", async () => {
    await page.selectOption("#role", "mfa-admin");
    await page.locator("#mfa-modal").waitFor({ state: "visible" });
    assert.equal(await focused(page), "mfa");
    assert.equal(await page.textContent("#active-profile"), "mfa-admin");
    assert.equal(await page.textContent("#active-role-arn"), "(waiting for the sign-in)");

    await page.fill("#mfa", "000000");
    await page.click("#mfa-submit");
    await waitText(page, "#mfa-message", "Invalid MFA Code");
    assert.equal(await page.inputValue("#mfa"), "");
    assert.equal(await focused(page), "mfa");
    await page.screenshot({ path: path.join(OUT, "ui-mfa-dialog.png") });

    await page.fill("#mfa", "123456");
    await page.click("#mfa-submit");
    await page.locator("#mfa-modal").waitFor({ state: "hidden" });
    await waitText(page, "#active-role-arn", OPS_ARN);
    assert.equal(await page.textContent("#active-profile"), "mfa-admin");
  });

  it("a profile needing a password opens the credentials dialog with the username filled in", async () => {
    await page.selectOption("#role", "corp");
    await page.locator("#cred-modal").waitFor({ state: "visible" });
    assert.equal(await page.inputValue("#username"), "erin");
    assert.equal(await focused(page), "password");

    await page.fill("#password", "wrong");
    await page.click("#cred-submit");
    await waitText(page, "#cred-message", "Invalid Credentials");
    assert.equal(await page.inputValue("#password"), "", "the password is not kept in the page");

    await page.fill("#password", "correct horse");
    await page.click("#cred-submit");
    await page.locator("#cred-modal").waitFor({ state: "hidden" });
    await waitText(page, "#active-role-arn", CORP_ARN);
    assert.equal(await page.textContent("#active-type"), "SAML");
    assert.equal(await page.inputValue("#auth-url"), "https://idp.example.com/saml");
    assert.equal(await page.isVisible("#source-profile-block"), false);
  });

  it("Refresh Now drops the credentials and signs in again at once", async () => {
    const before = sessions.calls.length;
    await page.click("#refresh");
    await page.locator("#cred-modal").waitFor({ state: "visible" });
    assert.deepEqual(sessions.calls.slice(before), ["refresh", "activate corp"]);
    await page.click("#cred-close");
    await page.locator("#cred-modal").waitFor({ state: "hidden" });
  });

  it("the Advanced form shows the fields of each type and Update makes it the running configuration", async () => {
    await page.click("#advanced-toggle");
    await page.locator("#advanced").waitFor({ state: "visible" });
    await page.click("#clear");
    assert.equal(await page.inputValue("#role-arn"), "");

    await page.selectOption("#adv-type", "oidc");
    for (const id of ["auth-url", "adv-username", "adv-password", "jump-role", "client-id", "redirect-uri"]) {
      assert.equal(await page.isVisible(`#${id}-block`), true, id);
    }
    assert.equal(await page.isVisible("#external-id-block"), false);
    await page.selectOption("#adv-type", "iam");
    assert.equal(await page.isVisible("#client-id-block"), false);
    assert.equal(await page.isVisible("#source-profile-block"), true);

    await page.fill("#role-arn", ADMIN_ARN);
    await page.selectOption("#source-profile", "base");
    await page.fill("#external-id", "ext-1");
    await page.click("#update");
    await waitText(page, "#alert-text", "running configuration updated");
    assert.equal(await page.textContent("#alert-type"), "Success");
    assert.deepEqual(sessions.customForms.at(-1), { "adv-type": "iam", "role-arn": ADMIN_ARN, "source-profile": "base", "external-id": "ext-1" });
    assert.equal(sessions.activeName(), "");
    assert.equal(await page.textContent("#active-profile"), "(custom configuration)");
    assert.equal(await page.inputValue("#role"), "");
  });

  it("Update shows the server's error for a configuration it refuses", async () => {
    await page.fill("#role-arn", "not-an-arn");
    await page.click("#update");
    await waitText(page, "#alert-text", "Invalid Configuration: role_arn 'not-an-arn' is not an ARN");
    assert.equal(await page.textContent("#alert-type"), "Error");
  });

  it("Save As writes the form under a name, which then appears among the roles", async () => {
    await page.fill("#role-arn", OPS_ARN);
    await page.click("#save-as");
    await page.locator("#save-modal").waitFor({ state: "visible" });
    assert.equal(await focused(page), "profile-name");
    await page.fill("#profile-name", "saved-one");
    await page.click("#save-submit");
    await waitText(page, "#alert-text", "saved as profile saved-one");
    assert.equal(await page.isVisible("#save-modal"), false);
    assert.deepEqual(sessions.saved.get("saved-one"), { "adv-type": "iam", "role-arn": OPS_ARN, "source-profile": "base", "external-id": "ext-1" });
    await page.locator('#role option[value="saved-one"]').waitFor({ state: "attached" });
    await page.screenshot({ path: path.join(OUT, "ui-fake-sessions.png"), fullPage: true });
  });

  it("a page opened later shows the profile already active", async () => {
    await sessions.activate("admin");
    const second = await browser.newPage();
    try {
      await second.goto(`${harness.url}/`);
      await waitText(second, "#active-role-arn", ADMIN_ARN);
      assert.equal(await second.inputValue("#role"), "admin");
    } finally {
      await second.close();
    }
  });

  it("nothing was blocked by the CSP and the script never failed", () => {
    assert.deepEqual(problems, []);
  });
});
