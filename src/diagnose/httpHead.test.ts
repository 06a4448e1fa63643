import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createHttpHead } from "./httpHead.js";

describe("createHttpHead", () => {
  const seen: string[] = [];
  let server: http.Server;
  let base = "";
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method ?? ""} ${req.url ?? ""}`);
      if (req.url === "/ok") res.writeHead(200).end();
      else if (req.url === "/moved") res.writeHead(302, { Location: "/ok" }).end();
      else if (req.url === "/loop") res.writeHead(301, { Location: "/loop" }).end();
      else if (req.url === "/no-head") res.writeHead(405, "Method Not Allowed").end();
      else if (req.url === "/slow") return; // never answers; closed in after()
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const head = createHttpHead({ timeoutMs: 500, maxRedirects: 3 });

  it("sends HEAD and returns the status with its text", async () => {
    seen.length = 0;
    assert.deepEqual(await head(`${base}/ok`), { status: 200, statusText: "OK" });
    assert.deepEqual(await head(`${base}/missing`), { status: 404, statusText: "Not Found" });
    assert.deepEqual(await head(`${base}/no-head`), { status: 405, statusText: "Method Not Allowed" });
    assert.deepEqual(seen, ["HEAD /ok", "HEAD /missing", "HEAD /no-head"]);
  });

  it("follows redirects, with HEAD", async () => {
    seen.length = 0;
    assert.deepEqual(await head(`${base}/moved`), { status: 200, statusText: "OK" });
    assert.deepEqual(seen, ["HEAD /moved", "HEAD /ok"]);
  });

  it("stops a redirect loop", async () => {
    await assert.rejects(head(`${base}/loop`), /stopped after 3 redirects/);
  });

  it("gives up after its timeout", async () => {
    await assert.rejects(head(`${base}/slow`), /no answer within 0\.5s/);
  });

  it("reports a refused connection", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(head(`http://127.0.0.1:${port}/`), /connection refused \(ECONNREFUSED\)/);
  });
});
