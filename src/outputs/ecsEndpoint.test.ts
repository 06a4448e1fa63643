import { fromContainerMetadata } from "@aws-sdk/credential-providers";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import type { Credentials, CredentialProvider } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Clock, Logger } from "../ports.js";
import { startEcsEndpoint, type RunningEndpoint } from "./ecsEndpoint.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { request } from "../../test/helpers/httpRequest.js";


const fixedClock: Clock = { now: () => new Date("2024-05-01T12:00:00Z") };

const CREDS: Credentials = {
  accessKeyId: "ASIAENDPOINTTEST",
  secretAccessKey: "endpoint-secret",
  sessionToken: "endpoint-token",
  expiration: new Date(Date.now() + 3_600_000),
};

describe("startEcsEndpoint", () => {
  let endpoint: RunningEndpoint;
  let logger: Logger & { lines: string[] };
  let calls = 0;
  let next: () => Promise<Credentials> = async () => CREDS;
  const provider: CredentialProvider = async () => {
    calls++;
    return next();
  };

  before(async () => {
    logger = memoryLogger();
    endpoint = await startEcsEndpoint({ provider, logger, clock: fixedClock });
  });
  after(async () => {
    await endpoint.close();
  });

  const auth = (): Record<string, string> => ({ Authorization: endpoint.authToken });

  it("listens on loopback and logs the URL, then ready", () => {
    assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    assert.deepEqual(logger.lines, [`DEBUG ECS credential endpoint set to ${endpoint.url}`, "DEBUG ECS endpoint ready"]);
  });

  it("makes a random 32-byte base64url token", () => {
    assert.match(endpoint.authToken, /^[A-Za-z0-9_-]{43}$/);
  });

  it("answers the ECS JSON with the right token, asking the provider every time", async () => {
    const before = calls;
    for (const p of ["/credentials", "/credentials/", "/credentials?x=1"]) {
      const r = await request(endpoint.url.replace("/credentials", p), { headers: auth() });
      assert.equal(r.status, 200);
      assert.equal(r.headers["content-type"], "application/json");
      assert.equal(r.headers["cache-control"], "no-store");
      assert.equal(
        r.body,
        JSON.stringify({
          AccessKeyId: "ASIAENDPOINTTEST",
          SecretAccessKey: "endpoint-secret",
          Token: "endpoint-token",
          Expiration: (CREDS.expiration as Date).toISOString().replace(/\.\d{3}Z$/, "Z"),
        }),
      );
    }
    assert.equal(calls - before, 3);
  });

  it("answers HEAD with the headers only", async () => {
    const r = await request(endpoint.url, { method: "HEAD", headers: auth() });
    assert.equal(r.status, 200);
    assert.equal(r.body, "");
    assert.equal(r.headers["content-type"], "application/json");
  });

  const unauthorized = JSON.stringify({ code: "Unauthorized", message: "missing or wrong Authorization header" });
  const authCases: [string, Record<string, string> | (() => Record<string, string>)][] = [
    ["no Authorization header", {}],
    ["a wrong token", { Authorization: "wrong" }],
    ["the token with Bearer added", () => ({ Authorization: `Bearer ${endpoint.authToken}` })],
    ["the token with a suffix", () => ({ Authorization: `${endpoint.authToken}x` })],
    ["an empty header", { Authorization: "" }],
  ];
  for (const [name, headers] of authCases) {
    it(`401 for ${name}, without asking the provider`, async () => {
      const before = calls;
      const r = await request(endpoint.url, { headers: typeof headers === "function" ? headers() : headers });
      assert.deepEqual([r.status, r.body], [401, unauthorized]);
      assert.equal(calls, before);
    });
  }

  const hostCases = ["evil.example:80", "127.0.0.1", "127.0.0.1:1", "169.254.170.2", "localhost"];
  for (const host of hostCases) {
    it(`403 for Host ${host}`, async () => {
      const r = await request(endpoint.url, { headers: { ...auth(), Host: host } });
      assert.deepEqual(
        [r.status, r.body],
        [403, JSON.stringify({ code: "Forbidden", message: "the Host header does not name this endpoint" })],
      );
    });
  }

  it("accepts localhost:<port> and any case of it as Host", async () => {
    const port = new URL(endpoint.url).port;
    for (const host of [`localhost:${port}`, `LocalHost:${port}`]) {
      const r = await request(endpoint.url, { headers: { ...auth(), Host: host } });
      assert.equal(r.status, 200);
    }
  });

  it("404 for other paths", async () => {
    for (const p of ["/", "/credentials/dev", "/latest/meta-data/iam/security-credentials/", "/credentialsx"]) {
      const r = await request(endpoint.url.replace("/credentials", p), { headers: auth() });
      assert.deepEqual(
        [r.status, r.body],
        [404, JSON.stringify({ code: "NotFound", message: "the credentials are served at /credentials" })],
      );
    }
  });

  it("405 for other methods", async () => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      const r = await request(endpoint.url, { method, headers: auth() });
      assert.deepEqual(
        [r.status, r.headers.allow, r.body],
        [405, "GET, HEAD", JSON.stringify({ code: "MethodNotAllowed", message: "only GET and HEAD are allowed" })],
      );
    }
  });

  it("500 with the message when the provider fails, and one ERROR line", async () => {
    next = async () => {
      throw new RunasError("MFA_INVALID", "the MFA code was not accepted; run the command again");
    };
    const lines = logger.lines.length;
    try {
      const r = await request(endpoint.url, { headers: auth() });
      assert.deepEqual(
        [r.status, r.body],
        [500, JSON.stringify({ code: "CredentialsError", message: "the MFA code was not accepted; run the command again" })],
      );
      assert.deepEqual(logger.lines.slice(lines), [
        "ERROR ECS credential endpoint: the MFA code was not accepted; run the command again",
      ]);
    } finally {
      next = async () => CREDS;
    }
  });

  it("dates keys that never expire one hour from now, with an empty Token", async () => {
    next = async () => ({ accessKeyId: "AKIALONGTERM", secretAccessKey: "long-secret" });
    try {
      const r = await request(endpoint.url, { headers: auth() });
      assert.deepEqual(JSON.parse(r.body), {
        AccessKeyId: "AKIALONGTERM",
        SecretAccessKey: "long-secret",
        Token: "",
        Expiration: "2024-05-01T13:00:00Z",
      });
    } finally {
      next = async () => CREDS;
    }
  });

  it("serves the AWS SDK for JavaScript (fromContainerMetadata)", async () => {
    const saved = {
      uri: process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      token: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
    };
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = endpoint.authToken;
    try {
      const got = await fromContainerMetadata({ timeout: 5000 })();
      assert.deepEqual(
        [got.accessKeyId, got.secretAccessKey, got.sessionToken, got.expiration?.getTime()],
        [CREDS.accessKeyId, CREDS.secretAccessKey, CREDS.sessionToken, Math.floor((CREDS.expiration as Date).getTime() / 1000) * 1000],
      );
    } finally {
      for (const [name, value] of [
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI", saved.uri],
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN", saved.token],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("serves botocore (boto3 Session in an empty HOME)", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
    const script = [
      "import boto3",
      "c = boto3.Session().get_credentials()",
      "f = c.get_frozen_credentials()",
      "print(c.method, f.access_key, f.secret_key, f.token)",
    ].join("\n");
    const { stdout } = await promisify(execFile)("python3", ["-c", script], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        AWS_CONFIG_FILE: path.join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.authToken,
      },
    });
    assert.equal(stdout, "container-role ASIAENDPOINTTEST endpoint-secret endpoint-token\n");
  });

  it("close() returns although a client keeps its connection alive", async () => {
    const other = await startEcsEndpoint({
      provider: async () => CREDS,
      logger: memoryLogger(),
      clock: fixedClock,
      authToken: "Bearer given",
    });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const r = await request(other.url, { headers: { Authorization: "Bearer given" }, agent });
      assert.equal(r.status, 200);
      assert.equal(other.authToken, "Bearer given");
      await other.close();
      await assert.rejects(request(other.url, { headers: { Authorization: "Bearer given" } }), { code: "ECONNREFUSED" });
    } finally {
      agent.destroy();
    }
  });
});
