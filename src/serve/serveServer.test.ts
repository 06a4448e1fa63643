import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { RunasError } from "../domain/errors.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { AuthenticationRequired, type RouteGroup } from "./contracts.js";
import { ProfileNotSet } from "./profileNotSet.js";
import { BODY_LIMIT, startServeServer, type ServeServer } from "./serveServer.js";
import { request } from "../../test/helpers/httpRequest.js";

describe("startServeServer", () => {
  let server: ServeServer;
  const logger = memoryLogger();
  const seen: { path: string; method: string; body: string }[] = [];
  const echo: RouteGroup = {
    async handle(r) {
      seen.push({ path: r.path, method: r.method, body: r.body });
      if (r.path === "/echo") {
        r.res.writeHead(200, { "Content-Type": "text/plain" });
        r.res.write("hello ");
        r.res.end(r.body);
        return true;
      }
      if (r.path === "/mfa-needed") throw new AuthenticationRequired("MFA");
      if (r.path === "/auth-needed") throw new AuthenticationRequired("AUTH", "alice");
      if (r.path === "/no-profile") throw new ProfileNotSet("http://127.0.0.1:1/");
      if (r.path === "/runas-error") throw new RunasError("STS_ERROR", "STS said no: check the role's trust policy");
      if (r.path === "/bug") throw new TypeError("x is undefined");
      return false;
    },
  };
  const never: RouteGroup = { handle: async () => false };

  before(async () => {
    server = await startServeServer({ host: "127.0.0.1", port: 0, logger });
  });
  after(() => server.close());

  const url = (p: string): string => `http://127.0.0.1:${server.port}${p}`;

  it("answers 503 until its route groups are set", async () => {
    const r = await request(url("/echo"));
    assert.equal(r.status, 503);
    server.use([never, echo]);
  });

  it("asks the groups in order with the path (no query), method and body", async () => {
    seen.length = 0;
    const r = await request(url("/echo?secret=1"), { method: "POST", body: "body text" });
    assert.equal(r.status, 200);
    assert.equal(r.body, "hello body text");
    assert.deepEqual(seen, [{ path: "/echo", method: "POST", body: "body text" }]);
  });

  it("logs one INFO line per request: method, path without query, protocol, status, body length", async () => {
    logger.lines.length = 0;
    await request(url("/echo?token=s3cret"), { method: "POST", body: "abc" });
    await request(url("/nothing-here"));
    assert.deepEqual(logger.lines, ["INFO POST /echo HTTP/1.1 200 9", "INFO GET /nothing-here HTTP/1.1 404 19"]);
  });

  it("answers 404 `404 page not found` when no group matches", async () => {
    const r = await request(url("/nothing-here"));
    assert.deepEqual([r.status, r.body, r.headers["content-type"]], [404, "404 page not found\n", "text/plain; charset=utf-8"]);
  });

  it("refuses a Host that does not name the server (DNS rebinding), and accepts localhost", async () => {
    for (const host of ["evil.example.com", `evil.example.com:${server.port}`, "127.0.0.1", `127.0.0.1:${server.port + 1}`]) {
      const r = await request(url("/echo"), { headers: { Host: host } });
      assert.equal(r.status, 403, host);
      assert.deepEqual(JSON.parse(r.body), { code: "Forbidden", message: "the Host header does not name this server" });
    }
    assert.equal((await request(url("/echo"), { headers: { Host: `LOCALHOST:${server.port}` } })).status, 200);
    // HTTP/1.0 may leave the Host out: refused too.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, "127.0.0.1", () => socket.end("GET /echo HTTP/1.0\r\n\r\n"));
      let text = "";
      socket.on("data", (d: Buffer) => (text += d.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    assert.match(raw, /^HTTP\/1\.1 403 /);
  });

  it("refuses bodies over 64 KiB with 413, declared or chunked", async () => {
    const big = Buffer.alloc(BODY_LIMIT + 1, "a");
    const declared = await request(url("/echo"), { method: "POST", body: big });
    assert.equal(declared.status, 413);
    const chunked = await request(url("/echo"), { method: "POST", body: big, headers: { "Transfer-Encoding": "chunked" } });
    assert.equal(chunked.status, 413);
    const fits = await request(url("/echo"), { method: "POST", body: Buffer.alloc(BODY_LIMIT, "a") });
    assert.equal(fits.status, 200);
  });

  it("answers AuthenticationRequired with 401 and X-AwsRunas-Authentication-Type (core.md §9.6)", async () => {
    const mfa = await request(url("/mfa-needed"));
    assert.deepEqual([mfa.status, mfa.headers["x-awsrunas-authentication-type"], mfa.body], [401, "MFA", "{}"]);
    const auth = await request(url("/auth-needed"));
    assert.deepEqual([auth.status, auth.headers["x-awsrunas-authentication-type"], auth.body], [401, "AUTH", '{"username":"alice"}']);
  });

  it("answers every other error with a JSON 500 and keeps the connection", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const none = await request(url("/no-profile"), { agent });
    assert.equal(none.status, 500);
    assert.deepEqual(JSON.parse(none.body), {
      code: "ProfileNotSet", message: "no profile is active: choose one at http://127.0.0.1:1/ or POST /profile",
    });
    const runas = await request(url("/runas-error"), { agent });
    assert.deepEqual(JSON.parse(runas.body), { code: "STS_ERROR", message: "STS said no: check the role's trust policy" });
    const bug = await request(url("/bug"), { agent });
    assert.deepEqual([bug.status, JSON.parse(bug.body)], [500, { code: "InternalError", message: "unexpected error: x is undefined" }]);
    const after = await request(url("/echo"), { agent });
    assert.equal(after.status, 200, "the same connection still serves");
    agent.destroy();
    assert.ok(logger.lines.some((l) => l === "ERROR GET /bug: unexpected error: x is undefined"));
  });

  it("listens on the loopback address only", () => {
    assert.equal(server.host, "127.0.0.1");
    assert.equal(server.origin, `http://127.0.0.1:${server.port}`);
  });
});
