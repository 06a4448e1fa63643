import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Credentials } from "../domain/credentials.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { bearerTokenCheck } from "./bearerToken.js";
import { AuthenticationRequired } from "./contracts.js";
import { createCredentialRoutes, type CredentialSessions } from "./credentialRoutes.js";
import { createImdsTokens } from "./imdsTokens.js";
import { startServeServer } from "./serveServer.js";
import { request } from "../../test/helpers/httpRequest.js";

const NOW = new Date("2026-01-01T12:00:00.123Z");
const TOKEN = "the-ecs-token";

function creds(name: string): Credentials {
  return {
    accessKeyId: `ASIA${name.toUpperCase()}`,
    secretAccessKey: `secret-${name}`,
    sessionToken: `token-${name}`,
    expiration: new Date("2026-01-01T13:00:00.999Z"),
  };
}

/** Sessions serving fixed credentials per profile; `fail` makes the next credential fetch throw. */
function fakeSessions() {
  const asked: (string | undefined)[] = [];
  const state = { active: undefined as string | undefined, fail: undefined as Error | undefined };
  const notHere = (): never => {
    throw new Error("not used by the credential routes");
  };
  const sessions: CredentialSessions = {
    activeName: () => state.active,
    credentials: async (name) => {
      asked.push(name);
      if (state.fail !== undefined) throw state.fail;
      return creds(name ?? state.active ?? "none");
    },
    roleArn: (name) => {
      const n = name ?? state.active;
      return n === "keys" ? undefined : `arn:aws:iam::123456789012:role/${n}`;
    },
    summary: notHere, activate: notHere, supplyLogin: notHere, supplyMfa: notHere, refresh: notHere,
    listRoles: notHere, listProfiles: notHere, useCustom: notHere, saveCustom: notHere, close: () => undefined,
  };
  return { sessions, asked, state };
}

async function serve(o: { imds?: boolean; v2Only?: boolean; ecs?: "token" | "open" }) {
  let now = NOW.getTime();
  const clock = { now: () => new Date(now) };
  const logger = memoryLogger();
  const fake = fakeSessions();
  const server = await startServeServer({ host: "127.0.0.1", port: 0, logger });
  server.use([
    createCredentialRoutes({
      sessions: fake.sessions,
      clock,
      logger,
      uiUrl: `${server.origin}/`,
      ...(o.imds === true ? { imds: { tokens: createImdsTokens({ clock }), v2Only: o.v2Only === true } } : {}),
      ...(o.ecs === undefined
        ? {}
        : { ecs: { path: "/credentials", ...(o.ecs === "token" ? { authorized: bearerTokenCheck(TOKEN) } : {}) } }),
    }),
  ]);
  return { server, fake, logger, advance: (ms: number) => (now += ms), url: (p: string) => `http://127.0.0.1:${server.port}${p}` };
}

const CREDS_PATH = "/latest/meta-data/iam/security-credentials/";

describe("credential routes: EC2 instance metadata", () => {
  let t: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    t = await serve({ imds: true });
  });
  after(() => t.server.close());

  const putToken = (ttl: string | undefined, headers: Record<string, string> = {}) =>
    request(t.url("/latest/api/token"), {
      method: "PUT",
      headers: { ...(ttl === undefined ? {} : { "X-Aws-Ec2-Metadata-Token-Ttl-Seconds": ttl }), ...headers },
    });

  it("answers no profile with a JSON 500 naming the page", async () => {
    t.fake.state.active = undefined;
    const r = await request(t.url(CREDS_PATH));
    assert.equal(r.status, 500);
    assert.deepEqual(JSON.parse(r.body), {
      code: "ProfileNotSet",
      message: `no profile is active: choose one at ${t.server.origin}/ or POST /profile`,
    });
  });

  it("PUT /latest/api/token: a random token, the TTL echoed", async () => {
    const a = await putToken("21600");
    const b = await putToken("1");
    assert.equal(a.status, 200);
    assert.match(a.body, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.body, b.body);
    assert.equal(a.headers["x-aws-ec2-metadata-token-ttl-seconds"], "21600");
  });

  it("refuses TTLs outside 1–21600 with 400, a proxied PUT with 403 and other methods with 405", async () => {
    for (const ttl of [undefined, "", "0", "21601", "abc", "-5", "1.5"]) {
      assert.equal((await putToken(ttl)).status, 400, `ttl ${String(ttl)}`);
    }
    assert.equal((await putToken("60", { "X-Forwarded-For": "203.0.113.9" })).status, 403);
    assert.equal((await request(t.url("/latest/api/token"))).status, 405);
  });

  it("serves the role name and the IMDS JSON, v1 and v2", async () => {
    t.fake.state.active = "admin";
    const name = await request(t.url(CREDS_PATH));
    assert.deepEqual([name.status, name.body], [200, "admin"]);
    const token = (await putToken("60")).body;
    const r = await request(t.url(`${CREDS_PATH}admin`), { headers: { "X-Aws-Ec2-Metadata-Token": token } });
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-type"], "application/json");
    assert.equal(r.body, JSON.stringify({
      Code: "Success",
      LastUpdated: "2026-01-01T12:00:00Z",
      Type: "AWS-HMAC",
      AccessKeyId: "ASIAADMIN",
      SecretAccessKey: "secret-admin",
      Token: "token-admin",
      Expiration: "2026-01-01T13:00:00Z",
    }));
    // Any name below gets the active profile's credentials, as upstream.
    const v1 = await request(t.url(`${CREDS_PATH}whatever`));
    assert.equal(JSON.parse(v1.body).AccessKeyId, "ASIAADMIN");
  });

  it("redirects the subtree root without its slash", async () => {
    const r = await request(t.url("/latest/meta-data/iam/security-credentials"));
    assert.deepEqual([r.status, r.headers.location], [301, CREDS_PATH]);
  });

  it("refuses a forged or expired IMDSv2 token with 401", async () => {
    t.fake.state.active = "admin";
    const forged = await request(t.url(`${CREDS_PATH}admin`), { headers: { "X-Aws-Ec2-Metadata-Token": "A".repeat(43) } });
    assert.equal(forged.status, 401);
    const token = (await putToken("5")).body;
    assert.equal((await request(t.url(CREDS_PATH), { headers: { "X-Aws-Ec2-Metadata-Token": token } })).status, 200);
    t.advance(5000);
    assert.equal((await request(t.url(CREDS_PATH), { headers: { "X-Aws-Ec2-Metadata-Token": token } })).status, 401);
  });

  it("answers a sign-in the page must complete with 401 and X-AwsRunas-Authentication-Type", async () => {
    t.fake.state.active = "ops";
    t.fake.state.fail = new AuthenticationRequired("MFA");
    const r = await request(t.url(`${CREDS_PATH}ops`));
    t.fake.state.fail = undefined;
    assert.deepEqual([r.status, r.headers["x-awsrunas-authentication-type"], r.body], [401, "MFA", "{}"]);
  });

  it("calls an ad-hoc profile `custom` in the role listing, so SDKs can ask for it", async () => {
    t.fake.state.active = "";
    assert.equal((await request(t.url(CREDS_PATH))).body, "custom");
  });

  it("does not serve the ECS routes", async () => {
    assert.equal((await request(t.url("/credentials"))).status, 404);
  });
});

describe("credential routes: --imdsv2-only", () => {
  it("refuses requests without a token, serves those with one", async () => {
    const t = await serve({ imds: true, v2Only: true });
    try {
      t.fake.state.active = "admin";
      const v1 = await request(t.url(CREDS_PATH));
      assert.equal(v1.status, 401);
      const token = (await request(t.url("/latest/api/token"), { method: "PUT", headers: { "X-Aws-Ec2-Metadata-Token-Ttl-Seconds": "60" } })).body;
      assert.equal((await request(t.url(CREDS_PATH), { headers: { "X-Aws-Ec2-Metadata-Token": token } })).status, 200);
    } finally {
      await t.server.close();
    }
  });
});

describe("credential routes: ECS", () => {
  let t: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    t = await serve({ ecs: "token" });
    t.fake.state.active = "admin";
  });
  after(() => t.server.close());

  it("requires the token: as sent by the SDKs (verbatim) or as `Bearer <token>`", async () => {
    for (const auth of [undefined, "", "wrong", `${TOKEN}x`, `Basic ${TOKEN}`]) {
      const r = await request(t.url("/credentials"), { headers: auth === undefined ? {} : { Authorization: auth } });
      assert.equal(r.status, 401, String(auth));
      assert.equal(JSON.parse(r.body).code, "Unauthorized");
    }
    for (const auth of [TOKEN, `Bearer ${TOKEN}`, `bearer  ${TOKEN}`]) {
      assert.equal((await request(t.url("/credentials"), { headers: { Authorization: auth } })).status, 200, auth);
    }
  });

  it("serves the active profile at /credentials, with RoleArn", async () => {
    const r = await request(t.url("/credentials"), { headers: { Authorization: TOKEN } });
    assert.equal(r.body, JSON.stringify({
      AccessKeyId: "ASIAADMIN", SecretAccessKey: "secret-admin", Token: "token-admin", Expiration: "2026-01-01T13:00:00Z",
      RoleArn: "arn:aws:iam::123456789012:role/admin",
    }));
  });

  it("serves another profile at /credentials/<profile>, the active one unchanged; /credentials/ is default", async () => {
    t.fake.asked.length = 0;
    const other = await request(t.url("/credentials/ops"), { headers: { Authorization: TOKEN } });
    assert.equal(JSON.parse(other.body).AccessKeyId, "ASIAOPS");
    const keys = await request(t.url("/credentials/keys"), { headers: { Authorization: TOKEN } });
    assert.equal(JSON.parse(keys.body).RoleArn, undefined);
    await request(t.url("/credentials/"), { headers: { Authorization: TOKEN } });
    await request(t.url("/credentials/a%20b"), { headers: { Authorization: TOKEN } });
    assert.deepEqual(t.fake.asked, ["ops", "keys", "default", "a b"]);
    assert.equal(t.fake.state.active, "admin");
  });

  it("does not serve the IMDS routes, which would bypass the token", async () => {
    assert.equal((await request(t.url(CREDS_PATH))).status, 404);
    assert.equal((await request(t.url("/latest/api/token"), { method: "PUT" })).status, 404);
  });

  it("with --no-auth serves without a token, and the IMDS routes too", async () => {
    const open = await serve({ ecs: "open", imds: true });
    try {
      open.fake.state.active = "admin";
      assert.equal((await request(open.url("/credentials"))).status, 200);
      assert.equal((await request(open.url(CREDS_PATH))).status, 200);
    } finally {
      await open.server.close();
    }
  });
});
