import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { checkForUpdate } from "./checkForUpdate.js";
import type { RegistryGet, RegistryResponse, UpdateCheckInput } from "./checkForUpdate.js";
import { PACKAGE_NAME } from "./packageName.js";
import { updateNotice } from "./updateNotice.js";

/** A RegistryGet that records its calls and answers `answer` (or throws it). */
interface Call {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

function fakeGet(answer: RegistryResponse | Error): RegistryGet & { calls: Call[] } {
  const calls: Call[] = [];
  const get = (url: URL, o: { headers: Readonly<Record<string, string>>; timeoutMs: number }) => {
    calls.push({ url: url.href, headers: { ...o.headers }, timeoutMs: o.timeoutMs });
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return Object.assign(get, { calls });
}

function input(get: RegistryGet, version = "1.2.0", registry = "https://registry.example/npm"): UpdateCheckInput {
  return { name: "aws-runas", version, registry, registrySource: "npm_config_registry", get, timeoutMs: 5000 };
}

const doc = (latest: string): RegistryResponse => ({ status: 200, body: JSON.stringify({ "dist-tags": { latest } }) });

function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("checkForUpdate", () => {
  it("asks for the abbreviated document of the package on the configured registry", async () => {
    const get = fakeGet(doc("1.2.0"));
    await checkForUpdate(input(get));
    assert.equal(get.calls.length, 1);
    assert.equal(get.calls[0]?.url, "https://registry.example/npm/aws-runas");
    assert.match(get.calls[0]?.headers["accept"] ?? "", /^application\/vnd\.npm\.install-v1\+json/);
    assert.equal(get.calls[0]?.headers["user-agent"], "aws-runas/1.2.0");
    assert.equal(get.calls[0]?.timeoutMs, 5000);
  });

  it("reports a newer latest, and an equal or older one as current", async () => {
    assert.deepEqual(await checkForUpdate(input(fakeGet(doc("1.10.0")))), { kind: "newer", latest: "1.10.0" });
    assert.deepEqual(await checkForUpdate(input(fakeGet(doc("1.2.0")))), { kind: "current", latest: "1.2.0" });
    assert.deepEqual(await checkForUpdate(input(fakeGet(doc("1.1.9")))), { kind: "current", latest: "1.1.9" });
    // A pre-release build is older than its release; a dev build older than any release.
    assert.deepEqual(await checkForUpdate(input(fakeGet(doc("1.2.0")), "1.2.0-rc.2")), { kind: "newer", latest: "1.2.0" });
    assert.deepEqual(await checkForUpdate(input(fakeGet(doc("0.1.0")), "0.0.0-dev")), { kind: "newer", latest: "0.1.0" });
  });

  it("turns every failure into one 'unavailable' reason naming the registry, never its credentials", async () => {
    const cases: [RegistryResponse | Error, RegExp][] = [
      [coded("ECONNREFUSED", "connect ECONNREFUSED"),
        /^cannot reach https:\/\/r\.example\/aws-runas: connection refused; check the network and npm's registry setting/],
      [coded("ENOTFOUND", "getaddrinfo ENOTFOUND"),
        /^cannot reach https:\/\/r\.example\/aws-runas: host r\.example not found \(offline\?\)/],
      [coded("ETIMEDOUT", "no answer"), /^https:\/\/r\.example\/aws-runas did not answer within 5 seconds;/],
      [new Error("socket hang up"), /^cannot reach https:\/\/r\.example\/aws-runas: socket hang up;/],
      [{ status: 404, body: "{}" }, /^https:\/\/r\.example\/aws-runas answered 404: aws-runas is not published there;/],
      [{ status: 503, body: "" }, /^https:\/\/r\.example\/aws-runas answered HTTP 503; try again later/],
      [{ status: 200, body: "<html>proxy login</html>" },
        /^the answer of https:\/\/r\.example\/aws-runas is not npm package metadata/],
      [{ status: 200, body: '{"name":"aws-runas"}' }, /is not npm package metadata with a latest version/],
      [doc("stable"), /^the registry's latest version "stable" is not a version number$/],
    ];
    for (const [answer, reason] of cases) {
      const check = await checkForUpdate(input(fakeGet(answer), "1.2.0", "https://user:s3cret@r.example/"));
      assert.equal(check.kind, "unavailable");
      assert.match(check.kind === "unavailable" ? check.reason : "", reason);
      assert.doesNotMatch(JSON.stringify(check), /s3cret/);
    }
  });

  it("says so when the registry setting is not a URL, naming where it came from but not its value", async () => {
    const get = fakeGet(doc("9.9.9"));
    const check = await checkForUpdate({ ...input(get, "1.2.0", "user:s3cret@registry"), registrySource: "/home/u/.npmrc" });
    assert.deepEqual(check, {
      kind: "unavailable",
      reason: "npm's registry setting (from /home/u/.npmrc) is not an http:// or https:// URL",
    });
    assert.equal(get.calls.length, 0);
  });

  it("cannot compare a build whose version is not semver", async () => {
    assert.deepEqual(await checkForUpdate(input(fakeGet(doc("1.2.0")), "unknown")),
      { kind: "unavailable", reason: `this build's version "unknown" is not a version number` });
  });
});

describe("updateNotice", () => {
  it("prints one line for each outcome", () => {
    assert.deepEqual(updateNotice("aws-runas", "1.0.0", { kind: "newer", latest: "1.1.0" }), {
      stream: "stdout",
      text: "New version of aws-runas available: 1.1.0 (this is 1.0.0); install it with: npm install -g aws-runas@latest",
    });
    assert.deepEqual(updateNotice("aws-runas", "1.1.0", { kind: "current", latest: "1.1.0" }),
      { stream: "stdout", text: "aws-runas 1.1.0 is up to date" });
    assert.deepEqual(updateNotice("aws-runas", "1.1.0", { kind: "unavailable", reason: "why" }),
      { stream: "warn", text: "cannot check for a newer version of aws-runas: why" });
  });
});

describe("PACKAGE_NAME", () => {
  it("is the name in package.json, so the install hint names the published package", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string };
    assert.equal(PACKAGE_NAME, pkg.name);
  });
});
