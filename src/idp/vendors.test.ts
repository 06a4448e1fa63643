import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { isRunasError } from "../domain/errors.js";
import { detectVendor } from "./detectVendor.js";
import type { IdpDeps, IdpSettings } from "./types.js";
import { oidcClientFor, samlClientFor } from "./vendors.js";

const settings: IdpSettings = { url: "http://127.0.0.1:18080/mock/saml", mfaType: "auto" };
const deps: IdpDeps = {
  fetch: async () => {
    throw new Error("the mock provider does no I/O");
  },
  prompter: {
    text: async () => assert.fail("no prompt expected"),
    secret: async () => assert.fail("no prompt expected"),
  },
  clock: { now: () => new Date("2024-05-01T12:00:00Z") },
  logger: memoryLogger(),
  progress: () => {},
  openBrowser: async () => false,
};
const noFetch: typeof globalThis.fetch = async () => assert.fail("no probe expected");

describe("vendors", () => {
  it("a detected mock URL gets the mock SAML client", async () => {
    const vendor = await detectVendor(settings.url, { kind: "saml", fetch: noFetch, logger: memoryLogger() });
    const client = samlClientFor(vendor, settings, deps);
    assert.equal(client.vendor, "mock");
    assert.deepEqual((await client.getAssertion()).roles().map((r) => r.role), ["arn:aws:iam::123:role/role1"]);
  });

  it("a forced mock provider gets the mock OIDC client", async () => {
    const vendor = await detectVendor("https://idp.example.com/", { forced: "MOCK", kind: "web", fetch: noFetch, logger: memoryLogger() });
    const client = oidcClientFor(vendor, settings, deps);
    assert.equal(client.vendor, "mock");
    assert.equal((await client.getIdToken()).jwt, "");
  });

  const missing: [run: () => unknown, message: string][] = [
    [() => samlClientFor("oidc", settings, deps), "oidc SAML sign-in is not available in this version of aws-runas yet"],
    [() => oidcClientFor("browser", settings, deps), "browser OIDC sign-in is not available in this version of aws-runas yet"],
  ];
  for (const [run, message] of missing) {
    it(message, () => {
      assert.throws(run, (e: unknown) => {
        assert.ok(isRunasError(e));
        assert.deepEqual({ code: e.code, message: e.message, exitCode: e.exitCode }, { code: "NOT_YET_AVAILABLE", message, exitCode: 2 });
        return true;
      });
    });
  }
});
