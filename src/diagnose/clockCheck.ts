import { formatDuration } from "../config/duration.js";
import type { Env } from "../ports.js";
import { debug, error, info, warn } from "./finding.js";
import type { Finding } from "./finding.js";
import type { SntpQuery, SntpSample } from "./sntpClient.js";
import { DEFAULT_NTP_SERVER, parseNtpServer, showNtpServer } from "./sntpPacket.js";
import type { NtpServer } from "./sntpPacket.js";

/** The variable naming the time server (`host` or `host:port`), for networks that block pool.ntp.org. */
export const NTP_SERVER_VARIABLE = "AWS_RUNAS_NTP_SERVER";

/** AWS rejects signed requests whose time is more than 5 minutes off (core.md §8 step 5). */
const REJECTED_MS = 5 * 60_000;
/** Upstream warns from 3 minutes on, while there is still time to fix the clock. */
const WARNING_MS = 3 * 60_000;

/** The server to ask: AWS_RUNAS_NTP_SERVER, else pool.ntp.org:123; a bad value is ignored with a warning. */
export function ntpServerFrom(env: Env): { server: NtpServer; findings: Finding[] } {
  const raw = env[NTP_SERVER_VARIABLE] ?? "";
  if (raw === "") return { server: DEFAULT_NTP_SERVER, findings: [] };
  const server = parseNtpServer(raw);
  if (server !== undefined) return { server, findings: [] };
  return {
    server: DEFAULT_NTP_SERVER,
    findings: [
      warn(
        `ignoring ${NTP_SERVER_VARIABLE}="${raw}": use host or host:port (e.g. time.example.com:123); asking ` +
          `${showNtpServer(DEFAULT_NTP_SERVER)} instead`,
      ),
    ],
  };
}

/** A drift as Go prints durations, whole seconds once it is a second or more: `10m0s`, `3.2s` → `3s`, `12ms`. */
function showDrift(ms: number): string {
  const abs = Math.abs(ms);
  return formatDuration(abs >= 1000 ? Math.round(abs / 1000) : Math.round(abs) / 1000);
}

/**
 * The verdict on one measurement (core.md §8 step 5): ERROR from 5 minutes of drift, WARN above 3 minutes, INFO
 * otherwise; the DEBUG line of upstream carries the raw numbers. No answer is a WARN, not a failure: being offline
 * says nothing about the configuration, and the credentials flows do not need NTP.
 */
export function clockFindings(result: SntpSample | Error, server: NtpServer): Finding[] {
  const where = showNtpServer(server);
  if (result instanceof Error) {
    return [
      warn(
        `cannot check the system time: ${result.message}; skipping the clock check (offline, or UDP port 123 blocked? ` +
          `set ${NTP_SERVER_VARIABLE} to a reachable time server)`,
      ),
    ];
  }
  const drift = result.offsetMs;
  const found: Finding[] = [
    debug(
      `ntp: ${Math.floor(result.serverTime.getTime() / 1000)}, local: ${Math.floor(result.localTime.getTime() / 1000)}, ` +
        `drift: ${formatDuration(Math.round(drift) / 1000)}`,
    ),
  ];
  const side = drift > 0 ? "behind" : "ahead of";
  const measured = `the system clock is ${showDrift(drift)} ${side} ${where}`;
  if (Math.abs(drift) >= REJECTED_MS) {
    found.push(
      error(
        `Local time drift is more than 5m0s, AWS API requests will be rejected: ${measured}; correct the system time ` +
          "(turn on automatic time synchronization)",
      ),
    );
  } else if (Math.abs(drift) > WARNING_MS) {
    found.push(warn(`Local time drift is more than 3m0s, check system time: ${measured}`));
  } else {
    found.push(info(`system time is within spec (${measured})`));
  }
  return found;
}

/** The whole clock check: pick the server, ask it, judge the answer. */
export async function clockCheck(env: Env, sntp: SntpQuery): Promise<Finding[]> {
  const { server, findings } = ntpServerFrom(env);
  let result: SntpSample | Error;
  try {
    result = await sntp(server);
  } catch (e) {
    result = e instanceof Error ? e : new Error(String(e));
  }
  return [...findings, ...clockFindings(result, server)];
}
