import assert from "node:assert/strict";
import http from "node:http";
import { Script } from "node:vm";
import { inflateSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { serveRoutes, type Harness } from "../managementApiFakes.js";
import { escapeHtml } from "./indexHtml.js";
import { createUiRoutes } from "./uiRoutes.js";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(url: string, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The CRC-32 of PNG chunks (ISO 3309), to check the icon's chunks are intact. */
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe("createUiRoutes", () => {
  const TOKEN = "Zm9vYmFy-csrf_token";
  let ecs: Harness;
  let ec2: Harness;
  before(async () => {
    ecs = await serveRoutes([createUiRoutes({ csrfToken: TOKEN, ecsPath: "/credentials" })]);
    ec2 = await serveRoutes([createUiRoutes({ csrfToken: TOKEN })]);
  });
  after(async () => {
    await ecs.close();
    await ec2.close();
  });

  it("serves each file with its content type and the browser security headers", async () => {
    const expected: [string, string][] = [
      ["/", "text/html; charset=utf-8"],
      ["/index.html", "text/html; charset=utf-8"],
      ["/index.htm", "text/html; charset=utf-8"],
      ["/site.js", "application/javascript; charset=utf-8"],
      ["/site.css", "text/css; charset=utf-8"],
      ["/favicon.ico", "image/png"],
    ];
    for (const [path, type] of expected) {
      const r = await request(`${ecs.url}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers["content-type"], type, path);
      assert.equal(Number(r.headers["content-length"]), r.body.length, path);
      assert.equal(r.headers["cache-control"], "no-store", path);
      assert.equal(r.headers["x-frame-options"], "DENY", path);
      assert.equal(r.headers["x-content-type-options"], "nosniff", path);
      assert.match(String(r.headers["content-security-policy"]), /^default-src 'self'; script-src 'self'; .*frame-ancestors 'none'/);
    }
  });

  it("puts the CSRF token in the page's csrf-token meta tag, and the ECS path when there is one", async () => {
    const page = (await request(`${ecs.url}/`)).body.toString("utf8");
    assert.ok(page.includes(`<meta name="csrf-token" content="${TOKEN}">`));
    assert.ok(page.includes(`<meta name="ecs-path" content="/credentials">`));
    const ec2Page = (await request(`${ec2.url}/`)).body.toString("utf8");
    assert.ok(ec2Page.includes(`<meta name="csrf-token" content="${TOKEN}">`));
    assert.ok(!ec2Page.includes("ecs-path"));
  });

  it("escapes what it puts into the page", async () => {
    const odd = await serveRoutes([createUiRoutes({ csrfToken: `"><script>x</script>`, ecsPath: "/a&b" })]);
    try {
      const page = (await request(`${odd.url}/`)).body.toString("utf8");
      assert.ok(page.includes(`content="&#34;&#62;&#60;script&#62;x&#60;/script&#62;"`));
      assert.ok(page.includes(`content="/a&#38;b"`));
    } finally {
      await odd.close();
    }
    assert.equal(escapeHtml(`<a href='x'>&"`), "&#60;a href=&#39;x&#39;&#62;&#38;&#34;");
  });

  it("has every element the script and the tests use, and nothing a strict CSP would block", async () => {
    const page = (await request(`${ecs.url}/`)).body.toString("utf8");
    for (const id of [
      "role", "refresh", "alert", "alert-type", "alert-text", "active-role-arn", "advanced-toggle", "advanced",
      "adv-type", "role-arn", "source-profile", "external-id", "auth-url", "adv-username", "adv-password",
      "jump-role", "client-id", "redirect-uri", "save-as", "clear", "update", "mfa-modal", "mfa-form", "mfa",
      "mfa-message", "mfa-submit", "cred-modal", "cred-form", "username", "password", "cred-message",
      "cred-submit", "save-modal", "profile-name", "save-submit",
    ]) {
      assert.equal(page.split(`id="${id}"`).length, 2, `exactly one element with id ${id}`);
    }
    assert.ok(page.includes(`<option value="">-- Select Role --</option>`));
    assert.doesNotMatch(page, /\sstyle=|\son[a-z]+=|<style|javascript:/i, "no inline style, event handler or javascript: URL");
    assert.deepEqual(page.match(/<script[^>]*>/g), [`<script src="/site.js">`]);
    assert.match(page, /<script src="\/site.js"><\/script>/, "the only script is the server's own, without inline code");
    const css = (await request(`${ecs.url}/site.css`)).body.toString("utf8");
    for (const text of [page, css]) assert.doesNotMatch(text, /https?:\/\//, "nothing is loaded from the internet");
  });

  it("serves a script that compiles and sends the token on every POST and PUT", async () => {
    const js = (await request(`${ecs.url}/site.js`)).body.toString("utf8");
    assert.doesNotThrow(() => new Script(js, { filename: "site.js" }));
    assert.match(js, /meta\("csrf-token"\)/);
    assert.match(js, /if \(method !== "GET"\) \{\s+headers\["X-CSRF-Token"\] = csrfToken;/);
    for (const path of ["/list-roles", "/list-profiles", "/profile", "/mfa", "/auth", "/refresh", "/profile/custom"]) {
      assert.ok(js.includes(`"${path}"`), path);
    }
  });

  it("serves a valid 16×16 PNG as the icon", async () => {
    const png = (await request(`${ecs.url}/favicon.ico`)).body;
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const chunks: string[] = [];
    let idat = Buffer.alloc(0);
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      const typeAndData = png.subarray(at + 4, at + 8 + length);
      assert.equal(png.readUInt32BE(at + 8 + length), crc32(typeAndData), "chunk CRC");
      const type = typeAndData.subarray(0, 4).toString("latin1");
      chunks.push(type);
      if (type === "IHDR") {
        assert.equal(typeAndData.readUInt32BE(4), 16);
        assert.equal(typeAndData.readUInt32BE(8), 16);
      }
      if (type === "IDAT") idat = Buffer.concat([idat, typeAndData.subarray(4)]);
      at += 12 + length;
    }
    assert.deepEqual(chunks, ["IHDR", "IDAT", "IEND"]);
    // 16 rows of a filter byte and 16 RGBA pixels.
    assert.equal(inflateSync(idat).length, 16 * (1 + 16 * 4));
  });

  it("answers HEAD without a body, other methods with 405, and leaves other paths alone", async () => {
    const head = await request(`${ecs.url}/`, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.ok(Number(head.headers["content-length"]) > 1000);
    const post = await request(`${ecs.url}/site.js`, "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
    for (const path of ["/index", "/site.js/", "/favicon.png", "/credentials", "/constructor", "/__proto__", "/hasOwnProperty"]) {
      assert.equal((await request(`${ecs.url}${path}`)).status, 404, path);
    }
  });
});
