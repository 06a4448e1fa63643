import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runasFailure } from "../../test/helpers/runasFailure.js";
import { collectPages } from "./collectPages.js";
import type { IamPage } from "./iamApi.js";

describe("collectPages", () => {
  it("follows the marker to the last page, passing each marker back", async () => {
    const asked: (string | undefined)[] = [];
    const pages: Record<string, IamPage<number>> = {
      start: { items: [1, 2], marker: "a" },
      a: { items: [], marker: "b" },
      b: { items: [3] },
    };
    const all = await collectPages("ListThings", async (m) => {
      asked.push(m);
      return pages[m ?? "start"] ?? { items: [] };
    });
    assert.deepEqual(all, [1, 2, 3]);
    assert.deepEqual(asked, [undefined, "a", "b"]);
  });

  it("treats an empty marker as the last page", async () => {
    assert.deepEqual(await collectPages("ListThings", async () => ({ items: ["x"], marker: "" })), ["x"]);
  });

  it("stops with an error when a marker comes back, instead of looping forever", async () => {
    let calls = 0;
    const failure = await runasFailure(collectPages("ListUserPolicies", async () => {
      calls += 1;
      return { items: [calls], marker: "same" };
    }));
    assert.equal(calls, 2);
    assert.equal(failure.code, "STS_ERROR");
    assert.match(failure.message, /^IAM ListUserPolicies returned the same page marker twice; /);
  });

  it("stops after 1000 pages of ever-new markers", async () => {
    let calls = 0;
    const failure = await runasFailure(collectPages("ListMFADevices", async () => {
      calls += 1;
      return { items: [], marker: `m${calls}` };
    }));
    assert.equal(calls, 1000);
    assert.match(failure.message, /^IAM ListMFADevices returned more than 1000 pages; /);
  });
});
