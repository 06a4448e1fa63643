import type { Logger } from "../ports.js";

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Upstream's log prefix, Go's log.LstdFlags in local time: "2024/05/01 13:04:05". */
export function logTimestamp(d: Date): string {
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Leveled log lines on stderr as `YYYY/MM/DD HH:MM:SS LEVEL message` (core.md §1.8). INFO and above always; DEBUG
 * from one `-v`; AWS SDK tracing from `-vv`.
 */
export function createStderrLogger(verbosity: number, write: (text: string) => void): Logger {
  const line = (level: string, message: string): void => write(`${logTimestamp(new Date())} ${level} ${message}\n`);
  return {
    debugEnabled: verbosity >= 1,
    traceEnabled: verbosity >= 2,
    debug: (m) => {
      if (verbosity >= 1) line("DEBUG", m);
    },
    info: (m) => line("INFO", m),
    warn: (m) => line("WARN", m),
    error: (m) => line("ERROR", m),
  };
}
