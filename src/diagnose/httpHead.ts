import http from "node:http";
import https from "node:https";

/** The final answer to a HEAD request, after redirects: `404` and `Not Found`. */
export interface HeadResponse {
  status: number;
  statusText: string;
}

/** Sends HEAD to a URL and resolves with the final status; rejects with a one-line reason when there is no answer. */
export type HeadRequest = (url: string) => Promise<HeadResponse>;

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * A HEAD request over node:http(s) that follows redirects as upstream's default Go client does (core.md §8 step 4),
 * bounded: at most `maxRedirects` hops and `timeoutMs` for the whole exchange, so an unreachable IdP costs seconds,
 * not the minutes of a TCP timeout. No connection pooling, so nothing keeps the process alive afterwards.
 */
export function createHttpHead(o: { timeoutMs: number; maxRedirects?: number }): HeadRequest {
  const maxRedirects = o.maxRedirects ?? 10;
  return (url) =>
    new Promise<HeadResponse>((resolve, reject) => {
      let current: http.ClientRequest | undefined;
      let done = false;
      const finish = (f: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        f();
      };
      const timer = setTimeout(() => {
        finish(() => reject(new Error(`no answer within ${o.timeoutMs / 1000}s`)));
        current?.destroy();
      }, o.timeoutMs);

      const send = (target: URL, hops: number): void => {
        const client = target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined;
        if (client === undefined) {
          finish(() => reject(new Error(`${target.protocol} is not an http(s) URL`)));
          return;
        }
        const req = client.request(target, { method: "HEAD", agent: false }, (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if (REDIRECTS.has(status) && location !== undefined) {
            if (hops >= maxRedirects) {
              finish(() => reject(new Error(`stopped after ${maxRedirects} redirects`)));
              return;
            }
            let next: URL;
            try {
              next = new URL(location, target);
            } catch {
              finish(() => reject(new Error(`redirected to an invalid URL (HTTP ${status})`)));
              return;
            }
            send(next, hops + 1);
            return;
          }
          const statusText = res.statusMessage !== undefined && res.statusMessage !== ""
            ? res.statusMessage
            : (http.STATUS_CODES[status] ?? "");
          finish(() => resolve({ status, statusText }));
        });
        current = req;
        req.on("error", (e) => finish(() => reject(new Error(networkReason(e)))));
        req.end();
      };

      let first: URL;
      try {
        first = new URL(url);
      } catch {
        finish(() => reject(new Error("not a valid URL")));
        return;
      }
      send(first, 0);
    });
}

/** A transport error as one readable phrase; the code is kept so it can be searched for. */
function networkReason(e: Error): string {
  const code = (e as { code?: unknown }).code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (ECONNREFUSED)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `host name not found (${code})`;
    case "ECONNRESET":
      return "connection reset (ECONNRESET)";
    default:
      return e.message;
  }
}
