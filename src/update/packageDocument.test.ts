import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { displayUrl, latestDistTag, packageDocumentUrl } from "./packageDocument.js";

describe("packageDocumentUrl", () => {
  it("appends the name to the registry as npm does, with or without a trailing slash and under a path", () => {
    assert.equal(packageDocumentUrl("https://registry.npmjs.org/", "aws-runas")?.href,
      "https://registry.npmjs.org/aws-runas");
    assert.equal(packageDocumentUrl("https://r.example/api/npm/npm-remote", "aws-runas")?.href,
      "https://r.example/api/npm/npm-remote/aws-runas");
    assert.equal(packageDocumentUrl("http://127.0.0.1:4873", "@corp/tool")?.href, "http://127.0.0.1:4873/@corp%2Ftool");
  });

  it("refuses a registry that is not an http(s) URL", () => {
    assert.equal(packageDocumentUrl("registry.npmjs.org", "aws-runas"), undefined);
    assert.equal(packageDocumentUrl("file:///srv/npm/", "aws-runas"), undefined);
  });
});

describe("latestDistTag", () => {
  it("reads dist-tags.latest and nothing else", () => {
    assert.equal(latestDistTag({ "dist-tags": { latest: "1.2.3", next: "2.0.0-rc.1" } }), "1.2.3");
    for (const doc of [null, "1.2.3", [], {}, { "dist-tags": null }, { "dist-tags": { next: "2.0.0" } },
      { "dist-tags": { latest: 1 } }, { "dist-tags": { latest: "" } }]) {
      assert.equal(latestDistTag(doc), undefined, JSON.stringify(doc));
    }
  });
});

describe("displayUrl", () => {
  it("never shows credentials a registry URL carries", () => {
    assert.equal(displayUrl("https://user:s3cret@r.example/npm/?token=x"), "https://r.example/npm/");
    assert.equal(displayUrl("not a url"), "(not a URL)");
  });
});
