/**
 * The SNTP wire format (RFC 4330): a 48-byte UDP datagram. Only the fields a client needs are read; the rest of the
 * request is zero, as upstream's (core.md §8 step 5).
 */

/** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
const NTP_UNIX_OFFSET = 2_208_988_800;
const TWO_32 = 2 ** 32;
export const NTP_PACKET_SIZE = 48;
const TRANSMIT_AT = 40;
const RECEIVE_AT = 32;
const ORIGINATE_AT = 24;

/** Where the time is asked: `pool.ntp.org:123` unless AWS_RUNAS_NTP_SERVER says otherwise. */
export interface NtpServer {
  host: string;
  port: number;
}

export const DEFAULT_NTP_SERVER: NtpServer = { host: "pool.ntp.org", port: 123 };

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address; undefined when it is none of these. */
export function parseNtpServer(text: string): NtpServer | undefined {
  const t = text.trim();
  let host: string;
  let port = "123";
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(t);
  if (bracketed !== null) {
    host = bracketed[1] ?? "";
    port = bracketed[2] ?? port;
  } else if ((t.match(/:/g) ?? []).length > 1) {
    host = t; // a bare IPv6 address: its colons are not a port separator
  } else {
    const [h = "", p] = t.split(":");
    host = h;
    if (p !== undefined) port = p;
  }
  if (host === "" || /\s|\/|@/.test(host) || !/^\d{1,5}$/.test(port)) return undefined;
  const n = Number(port);
  if (n < 1 || n > 65535) return undefined;
  return { host, port: n };
}

/** The server as `host:port` for messages (IPv6 in brackets). */
export function showNtpServer(s: NtpServer): string {
  return `${s.host.includes(":") ? `[${s.host}]` : s.host}:${s.port}`;
}

/** Writes `d` as a 64-bit NTP timestamp; after 2036 the seconds wrap into era 1, as RFC 4330 §3 prescribes. */
function writeTimestamp(buf: Buffer, at: number, d: Date): void {
  const ms = d.getTime();
  const seconds = Math.floor(ms / 1000) + NTP_UNIX_OFFSET;
  const fraction = Math.floor(((ms - Math.floor(ms / 1000) * 1000) / 1000) * TWO_32);
  buf.writeUInt32BE(seconds % TWO_32, at);
  buf.writeUInt32BE(fraction, at + 4);
}

/** Reads a 64-bit NTP timestamp; a clear top bit means era 1 (2036–2104), as RFC 4330 §3 prescribes. */
function readTimestamp(buf: Buffer, at: number): Date {
  let seconds = buf.readUInt32BE(at);
  const fraction = buf.readUInt32BE(at + 4);
  if ((seconds & 0x80000000) === 0) seconds += TWO_32;
  return new Date((seconds - NTP_UNIX_OFFSET) * 1000 + Math.round((fraction / TWO_32) * 1000));
}

/**
 * A client request: first byte 0x1B (leap indicator 0, version 3, mode 3 = client), and our send time as transmit
 * timestamp, which the server copies back as "originate" so the reply can be matched to the request.
 */
export function ntpRequest(sentAt: Date): Buffer {
  const buf = Buffer.alloc(NTP_PACKET_SIZE);
  buf[0] = 0x1b;
  writeTimestamp(buf, TRANSMIT_AT, sentAt);
  return buf;
}

/** The key a reply is matched by: the request's transmit timestamp, which the reply carries as its originate one. */
export function requestKey(request: Buffer): string {
  return request.subarray(TRANSMIT_AT, TRANSMIT_AT + 8).toString("hex");
}

/** The request a reply answers (its originate timestamp, compared with requestKey()); undefined when too short. */
export function replyKey(reply: Buffer): string | undefined {
  return reply.length < NTP_PACKET_SIZE ? undefined : reply.subarray(ORIGINATE_AT, ORIGINATE_AT + 8).toString("hex");
}

/** What a valid server reply says. */
export interface NtpReply {
  /** When the server received the request (T2) and sent the reply (T3). */
  received: Date;
  transmitted: Date;
  stratum: number;
}

/**
 * A server reply, or why it cannot be used (RFC 4330 §5): not a server-mode packet, a server whose own clock is
 * unsynchronized (leap indicator 3, stratum above 15), a "kiss-o'-death" refusal (stratum 0, code in the reference
 * id, e.g. RATE), or no transmit time.
 */
export function parseNtpReply(buf: Buffer): NtpReply | string {
  if (buf.length < NTP_PACKET_SIZE) return `reply of ${buf.length} bytes, expected ${NTP_PACKET_SIZE}`;
  const first = buf[0] ?? 0;
  const leap = first >> 6;
  const version = (first >> 3) & 7;
  const mode = first & 7;
  const stratum = buf[1] ?? 0;
  if (mode !== 4 || version < 1 || version > 4) return `not an NTP server reply (version ${version}, mode ${mode})`;
  if (stratum === 0) {
    const code = buf.subarray(12, 16).toString("latin1").replace(/[^\x20-\x7e]/g, "");
    return `the server refused to answer (kiss code ${code === "" ? "unknown" : code})`;
  }
  if (leap === 3 || stratum > 15) return "the server's own clock is not synchronized";
  if (buf.readUInt32BE(TRANSMIT_AT) === 0 && buf.readUInt32BE(TRANSMIT_AT + 4) === 0) return "the reply has no transmit time";
  return {
    received: readTimestamp(buf, RECEIVE_AT),
    transmitted: readTimestamp(buf, TRANSMIT_AT),
    stratum,
  };
}

/**
 * The local clock's offset from the server in milliseconds, positive when the local clock is behind (RFC 4330 §5:
 * ((T2 − T1) + (T3 − T4)) / 2), which cancels the network delay where upstream compared T3 with T4 alone.
 */
export function clockOffsetMs(sent: Date, reply: NtpReply, receivedAt: Date): number {
  return (
    (reply.received.getTime() - sent.getTime() + (reply.transmitted.getTime() - receivedAt.getTime())) / 2
  );
}
