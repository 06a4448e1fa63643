/**
 * The page's icon: a 16×16 PNG (an orange square with a white key), embedded so the server needs no file on disk.
 * Upstream serves its favicon.ico as `image/png` too (core.md §9.4).
 */
const FAVICON_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAPUlEQVR42mNgYGBg+D+T4T85mIESzXBDhqMB6IAkA3ABkg0gZCCSGhoZgMsLMDZOAwgFIlEGjMCUSGl2BgB4k8dV/Z0AqwAAAABJRU5ErkJggg==";

/** The icon's bytes. */
export function faviconPng(): Buffer {
  return Buffer.from(FAVICON_BASE64, "base64");
}
