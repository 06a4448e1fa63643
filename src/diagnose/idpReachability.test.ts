import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HeadRequest } from "./httpHead.js";
import { idpReachabilityFindings } from "./idpReachability.js";

const URL_WITH_TOKEN = "https://corp.onelogin.com/oidc/2?token=c2VjcmV0";
const answering = (status: number, statusText: string): HeadRequest => () => Promise.resolve({ status, statusText });

describe("idpReachabilityFindings (core.md §8 step 4)", () => {
  it("is fine with 200 and 405, and asks the URL as configured", async () => {
    const asked: string[] = [];
    const head: HeadRequest = (url) => {
      asked.push(url);
      return Promise.resolve({ status: 405, statusText: "Method Not Allowed" });
    };
    assert.deepEqual(await idpReachabilityFindings(URL_WITH_TOKEN, head), [
      { level: "INFO", message: "external provider endpoint https://corp.onelogin.com/oidc/2?… answered with http status 405 Method Not Allowed" },
    ]);
    assert.deepEqual(asked, [URL_WITH_TOKEN]);
    assert.equal((await idpReachabilityFindings("https://i.example.com/", answering(200, "OK")))[0]?.level, "INFO");
  });

  it("warns about any other status, in upstream's words", async () => {
    const f = await idpReachabilityFindings("https://i.example.com/x", answering(404, "Not Found"));
    assert.equal(f.length, 1);
    assert.equal(f[0]?.level, "WARN");
    assert.match(f[0]?.message ?? "", /^http status 404 Not Found when communicating with external provider endpoint https:\/\/i\.example\.com\/x; /);
  });

  it("only warns when the endpoint cannot be reached, and hides the URL's query", async () => {
    const f = await idpReachabilityFindings(URL_WITH_TOKEN, () => Promise.reject(new Error("host name not found (ENOTFOUND)")));
    assert.deepEqual(f.map((x) => x.level), ["WARN"]);
    assert.match(f[0]?.message ?? "", /^error communicating with external provider endpoint https:\/\/corp\.onelogin\.com\/oidc\/2\?…: host name not found \(ENOTFOUND\); /);
    assert.ok(!(f[0]?.message ?? "").includes("c2VjcmV0"));
  });
});
