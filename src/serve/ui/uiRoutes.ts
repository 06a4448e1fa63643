/**
 * The browser UI's files as a route group (core.md §9.4): the page at `/`, `/index.html` and `/index.htm`, its
 * script, style and icon. Everything is built once per server (the page carries that server's CSRF token) and
 * served from memory with the browser headers of browserHeaders.ts.
 */
import type { ServerResponse } from "node:http";
import type { RouteGroup } from "../contracts.js";
import { browserHeaders, UI_CSP } from "./browserHeaders.js";
import { faviconPng } from "./favicon.js";
import { renderIndexHtml } from "./indexHtml.js";
import { SITE_CSS } from "./siteCss.js";
import { SITE_JS } from "./siteJs.js";

interface Asset {
  contentType: string;
  body: Buffer;
}

/**
 * The UI routes of one server. `csrfToken` goes into the page for its script to send back; `ecsPath` (for
 * `serve ecs`) lets the page show the credentials URL programs should use.
 */
export function createUiRoutes(o: { csrfToken: string; ecsPath?: string }): RouteGroup {
  const page: Asset = { contentType: "text/html; charset=utf-8", body: Buffer.from(renderIndexHtml(o), "utf8") };
  // A Map, not an object literal: a path such as /constructor must not find Object.prototype's members.
  const assets = new Map<string, Asset>([
    ["/", page],
    ["/index.html", page],
    ["/index.htm", page],
    ["/site.js", { contentType: "application/javascript; charset=utf-8", body: Buffer.from(SITE_JS, "utf8") }],
    ["/site.css", { contentType: "text/css; charset=utf-8", body: Buffer.from(SITE_CSS, "utf8") }],
    ["/favicon.ico", { contentType: "image/png", body: faviconPng() }],
  ]);

  return {
    handle({ path, method, res }) {
      const asset = assets.get(path);
      if (asset === undefined) return Promise.resolve(false);
      if (method !== "GET" && method !== "HEAD") {
        methodNotAllowed(res, path);
        return Promise.resolve(true);
      }
      res.writeHead(200, {
        ...browserHeaders(UI_CSP),
        "Content-Type": asset.contentType,
        "Content-Length": asset.body.length,
      });
      // Node sends no body for HEAD whatever is written; end() alone keeps that explicit.
      if (method === "HEAD") res.end();
      else res.end(asset.body);
      return Promise.resolve(true);
    },
  };
}

function methodNotAllowed(res: ServerResponse, path: string): void {
  const body = JSON.stringify({ code: "MethodNotAllowed", message: `${path} answers GET and HEAD only` });
  res.writeHead(405, {
    ...browserHeaders(UI_CSP),
    Allow: "GET, HEAD",
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}
