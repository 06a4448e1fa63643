import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mockOidcClient, mockSamlClient } from "./mockClient.js";

describe("mockSamlClient", () => {
  it("hands out upstream's canned role1 assertion (idp.md §15 case 47)", async () => {
    const client = mockSamlClient();
    assert.equal(client.vendor, "mock");
    const assertion = await client.getAssertion();
    assert.equal(
      Buffer.from(assertion.base64, "base64").toString("utf8"),
      ">arn:aws:iam::123:role/role1,arn:aws:iam::123:saml-provider/mock<",
    );
    assert.deepEqual(assertion.roles(), [
      { role: "arn:aws:iam::123:role/role1", principal: "arn:aws:iam::123:saml-provider/mock" },
    ]);
    assert.equal(assertion.roleSessionName(), undefined);
  });
});

describe("mockOidcClient", () => {
  it("hands out an empty id token", async () => {
    const client = mockOidcClient();
    assert.equal(client.vendor, "mock");
    const token = await client.getIdToken();
    assert.equal(token.jwt, "");
    assert.deepEqual(token.claims, {});
    assert.equal(token.expiresAt(), undefined);
  });
});
