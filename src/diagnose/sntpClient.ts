import dgram from "node:dgram";
import { lookup } from "node:dns/promises";
import type { Clock } from "../ports.js";
import { clockOffsetMs, ntpRequest, parseNtpReply, replyKey, requestKey, showNtpServer } from "./sntpPacket.js";
import type { NtpServer } from "./sntpPacket.js";

/** One measurement: how far the local clock is from the server's. */
export interface SntpSample {
  /** Server time minus local time, in milliseconds: positive when the local clock is behind. */
  offsetMs: number;
  /** The server's transmit time and the local time the reply arrived. */
  serverTime: Date;
  localTime: Date;
}

/** Asks one server for the time; rejects with a one-line reason (no answer, refused, unknown host). */
export type SntpQuery = (server: NtpServer) => Promise<SntpSample>;

/**
 * An SNTP client (RFC 4330) on node:dgram. Like upstream it resends while it waits, each wait 1.5 times the last
 * (from `firstWaitMs`), since a UDP datagram may simply be lost; unlike upstream the whole exchange is bounded by
 * `timeoutMs` (2 s by default) instead of about 10 s, so an offline machine is told quickly. Replies that do not
 * answer one of our requests are ignored; a refusal or an unsynchronized server ends the query with its reason.
 */
export function createSntpQuery(o: { clock: Clock; timeoutMs?: number; firstWaitMs?: number }): SntpQuery {
  const timeoutMs = o.timeoutMs ?? 2000;
  const firstWaitMs = o.firstWaitMs ?? 200;
  return async (server) => {
    const started = o.clock.now().getTime();
    const { address, family } = await resolveWithin(server.host, timeoutMs);
    // The name lookup counts against the same budget (a dead DNS server must not add its own long timeout), but the
    // server always gets at least one request and its first wait.
    const budget = Math.max(firstWaitMs, timeoutMs - (o.clock.now().getTime() - started));
    const socket = dgram.createSocket(family === 6 ? "udp6" : "udp4");
    return await new Promise<SntpSample>((resolve, reject) => {
      const sent = new Map<string, Date>();
      let timer: NodeJS.Timeout | undefined;
      let spent = 0;
      let wait = firstWaitMs;
      let done = false;
      const finish = (f: () => void): void => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        socket.close();
        f();
      };

      const ask = (): void => {
        const remaining = budget - spent;
        if (remaining <= 0) {
          finish(() => reject(new Error(`no answer from ${showNtpServer(server)} within ${timeoutMs / 1000}s`)));
          return;
        }
        const at = o.clock.now();
        const request = ntpRequest(at);
        sent.set(requestKey(request), at);
        socket.send(request, (e) => {
          if (e !== null && e !== undefined) finish(() => reject(new Error(`cannot send to ${showNtpServer(server)} (${errorCode(e)})`)));
        });
        const step = Math.min(wait, remaining);
        spent += step;
        wait *= 1.5;
        timer = setTimeout(ask, step);
      };

      socket.on("message", (msg) => {
        const receivedAt = o.clock.now();
        const key = replyKey(msg);
        const at = key === undefined ? undefined : sent.get(key);
        if (at === undefined) return; // not an answer to one of our requests (stray or forged): keep waiting
        const reply = parseNtpReply(msg);
        if (typeof reply === "string") {
          finish(() => reject(new Error(`${showNtpServer(server)}: ${reply}`)));
          return;
        }
        finish(() =>
          resolve({ offsetMs: clockOffsetMs(at, reply, receivedAt), serverTime: reply.transmitted, localTime: receivedAt }),
        );
      });
      // A connected socket learns of an ICMP "port unreachable" as ECONNREFUSED: nobody serves NTP there.
      socket.on("error", (e) => finish(() => reject(new Error(`${showNtpServer(server)}: ${errorReason(e)}`))));
      socket.connect(server.port, address, ask);
    });
  };
}

/** The address of `host`, or a one-line reason: not found, or no answer from the resolver within `timeoutMs`. */
async function resolveWithin(host: string, timeoutMs: number): Promise<{ address: string; family: number }> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`cannot resolve ${host} within ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    return await Promise.race([
      lookup(host).catch((e: unknown) => {
        throw new Error(`cannot resolve ${host} (${errorCode(e)})`, { cause: e });
      }),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  return e instanceof Error ? e.message : String(e);
}

function errorReason(e: Error): string {
  return errorCode(e) === "ECONNREFUSED" ? "nothing answers on that port (ECONNREFUSED)" : errorCode(e);
}
