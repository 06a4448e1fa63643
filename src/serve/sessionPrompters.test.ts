import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isRunasError } from "../domain/errors.js";
import type { Prompter } from "../ports.js";
import { AuthenticationRequired } from "./contracts.js";
import { browserPrompter, serializedPrompter, serveMfaCode } from "./sessionPrompters.js";

describe("browserPrompter", () => {
  const p = browserPrompter(() => "alice");
  it("turns the sign-in questions into the page's dialogs", async () => {
    await assert.rejects(p.text("MFA token code: "), (e) => e instanceof AuthenticationRequired && e.kind === "MFA");
    await assert.rejects(p.text("Okta Verify MFA token code: "), (e) => e instanceof AuthenticationRequired && e.kind === "MFA");
    await assert.rejects(p.text("Username: "), (e) => e instanceof AuthenticationRequired && e.kind === "AUTH" && e.username === "alice");
    await assert.rejects(p.secret("Password: "), (e) => e instanceof AuthenticationRequired && e.kind === "AUTH" && e.username === "alice");
  });
  it("refuses a question the page has no dialog for, pointing at --headless", async () => {
    await assert.rejects(p.text("after signing in, paste the address the browser was sent to: "),
      (e) => isRunasError(e) && /--headless/.test(e.message));
  });
});

describe("serializedPrompter", () => {
  it("asks one question at a time", async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const terminal: Prompter = {
      text: async (m) => {
        log.push(`ask ${m}`);
        if (m === "first") await gate;
        log.push(`answer ${m}`);
        return m;
      },
      secret: async (m) => m,
    };
    const p = serializedPrompter(terminal);
    const a = p.text("first");
    const b = p.text("second");
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ["ask first"]);
    release();
    assert.deepEqual(await Promise.all([a, b]), ["first", "second"]);
    assert.deepEqual(log, ["ask first", "answer first", "ask second", "answer second"]);
  });
});

describe("serveMfaCode", () => {
  it("uses the given code, else asks every time (a code is never reused)", async () => {
    const asked: string[] = [];
    const answers = ["111111 ", "222222"];
    const prompter: Prompter = { text: async (m) => (asked.push(m), answers.shift() ?? ""), secret: async () => "" };
    assert.equal(await serveMfaCode("999999", prompter)("mfa-1"), "999999");
    const ask = serveMfaCode(undefined, prompter);
    assert.deepEqual([await ask("mfa-1"), await ask("mfa-1")], ["111111", "222222"]);
    assert.equal(asked.length, 2);
    await assert.rejects(ask("mfa-1"), (e) => isRunasError(e) && e.code === "MFA_REQUIRED");
  });
});
