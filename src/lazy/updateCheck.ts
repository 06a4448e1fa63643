/**
 * The network and machine facts of the update check (`aws-runas update` / `-u`), bundled on their own
 * (dist/updateCheck.cjs): node:http and node:https are loaded only when someone asks for an update check.
 */
import { request as httpRequest } from "node:http";
import type { IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { dirname } from "node:path";
import type { RegistryGet, RegistryResponse } from "../update/checkForUpdate.js";

/** A package document larger than this is not what an abbreviated-metadata request returns. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * One GET with node:http(s), no redirects followed. `timeoutMs` bounds the whole exchange, not only idle time, so
 * a registry that trickles bytes still ends the check in time; the error then has code ETIMEDOUT.
 */
export const registryGet: RegistryGet = (url, o) =>
  new Promise<RegistryResponse>((resolve, reject) => {
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(url, { method: "GET", headers: { ...o.headers } }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy(new Error(`the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error(`no answer within ${o.timeoutMs} ms`), { code: "ETIMEDOUT" }));
    }, o.timeoutMs);
    function fail(e: Error): void {
      clearTimeout(timer);
      reject(e);
    }
    req.on("error", fail);
    req.end();
  });

/**
 * npm's built-in global prefix, where its global config file `etc/npmrc` lives: the directory of node.exe on
 * Windows, otherwise the parent of node's `bin` directory (as @npmcli/config computes it without PREFIX set).
 */
export function npmDefaultGlobalPrefix(): string {
  return process.platform === "win32" ? dirname(process.execPath) : dirname(dirname(process.execPath));
}
