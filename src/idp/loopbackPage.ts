import type { ServerResponse } from "node:http";

/**
 * Answers the browser that reached one of our loopback listeners (OIDC redirect, SAML ACS) with a one-line page that
 * loads nothing (the CSP says so too), and lets the connection go so the listener can close at once.
 */
export function answerLoopbackPage(res: ServerResponse, status: number, text: string): void {
  const html =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>aws-runas</title></head>' +
    `<body><p>${escapeHtml(text)}</p></body></html>`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": "default-src 'none'",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    connection: "close",
  });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
