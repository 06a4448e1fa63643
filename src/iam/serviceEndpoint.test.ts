import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { serviceEndpoint } from "./serviceEndpoint.js";

describe("serviceEndpoint", () => {
  const all = { AWS_ENDPOINT_URL_IAM: "http://iam", AWS_ENDPOINT_URL_STS: "http://sts", AWS_ENDPOINT_URL: "http://any" };
  it("prefers the service's own variable, then AWS_ENDPOINT_URL, then the profile's endpoint_url", () => {
    assert.equal(serviceEndpoint(all, "IAM", "http://profile"), "http://iam");
    assert.equal(serviceEndpoint(all, "STS", "http://profile"), "http://sts");
    assert.equal(serviceEndpoint({ AWS_ENDPOINT_URL: "http://any", AWS_ENDPOINT_URL_STS: "http://sts" }, "IAM", "http://profile"), "http://any");
    assert.equal(serviceEndpoint({ AWS_ENDPOINT_URL_IAM: "" }, "IAM", "http://profile"), "http://profile");
    assert.equal(serviceEndpoint({}, "IAM", undefined), undefined);
  });

  it("ignores every override with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true", () => {
    assert.equal(serviceEndpoint({ ...all, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "TRUE" }, "IAM", "http://profile"), undefined);
  });
});
