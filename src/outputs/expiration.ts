import { RunasError } from "../domain/errors.js";

/**
 * "Credentials will expire on 2024-05-01 15:04:05 +02:00 (in 59 minutes)\n", "Credentials expired on … (3 minutes
 * ago)\n", or "credentials will not expire\n". Local time of `timeZone` behaviour: use the Date's local time and its
 * UTC offset. Scripts match the "Credentials will expire on" / "Credentials expired on" prefixes (core.md §5.4), and
 * decision Q-12 adds the zone offset and the "in X" / "X ago" wording.
 */
export function expirationLine(expiration: Date | undefined, now: Date): string {
  if (expiration === undefined) return "credentials will not expire\n";
  if (Number.isNaN(expiration.getTime())) {
    throw new RunasError(
      "INVALID_VALUE",
      "the credentials carry an invalid expiration time; run again with -r to fetch new ones",
    );
  }
  const verb = expiration.getTime() > now.getTime() ? "will expire on" : "expired on";
  return `Credentials ${verb} ${localTimestamp(expiration)} (${relativeTime(expiration, now)})\n`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 12 * MONTH;

/**
 * go-humanize's magnitudes (core.md §5.4): below `below`, print `text`, with %d replaced by floor(d / unit).
 * Its month is 30 days and its year 360 days, kept so durations read the same as upstream's.
 */
const MAGNITUDES: readonly { below: number; text: string; unit: number }[] = [
  { below: 2 * SECOND, text: "1 second", unit: 1 },
  { below: MINUTE, text: "%d seconds", unit: SECOND },
  { below: 2 * MINUTE, text: "1 minute", unit: 1 },
  { below: HOUR, text: "%d minutes", unit: MINUTE },
  { below: 2 * HOUR, text: "1 hour", unit: 1 },
  { below: DAY, text: "%d hours", unit: HOUR },
  { below: 2 * DAY, text: "1 day", unit: 1 },
  { below: WEEK, text: "%d days", unit: DAY },
  { below: 2 * WEEK, text: "1 week", unit: 1 },
  { below: MONTH, text: "%d weeks", unit: WEEK },
  { below: 2 * MONTH, text: "1 month", unit: 1 },
  { below: YEAR, text: "%d months", unit: MONTH },
  { below: 18 * MONTH, text: "1 year", unit: 1 },
  { below: 2 * YEAR, text: "2 years", unit: 1 },
  { below: 37 * YEAR, text: "%d years", unit: YEAR },
];

/**
 * "now", "in 1 second", "in 52 minutes", "in 2 hours", "3 days ago" … with the thresholds of core.md §5.4
 * (go-humanize) but the wording "in X" / "X ago".
 */
export function relativeTime(target: Date, now: Date): string {
  const diff = target.getTime() - now.getTime();
  const d = Math.abs(diff);
  if (d < SECOND) return "now";
  const magnitude = MAGNITUDES.find((m) => d < m.below);
  const amount = magnitude ? magnitude.text.replace("%d", String(Math.floor(d / magnitude.unit))) : "a long while";
  return diff > 0 ? `in ${amount}` : `${amount} ago`;
}

/** "YYYY-MM-DD HH:MM:SS ±HH:MM" in the process's local time zone, with the offset that applied at that instant. */
function localTimestamp(date: Date): string {
  const year = date.getFullYear();
  const yyyy = (year < 0 ? "-" : "") + pad(Math.abs(year), 4);
  const offset = -date.getTimezoneOffset();
  const zone = `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
  return (
    `${yyyy}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)} ` +
    `${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)} ${zone}`
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
