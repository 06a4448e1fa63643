function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `date` as ISO-8601 UTC to the second, `2024-05-01T13:04:05Z`, with milliseconds cut (never rounded up, so a printed
 * expiry is never later than the real one). Formatted by hand: Date#toISOString costs a few hundred microseconds on
 * its first call in a process, a noticeable share of a credential_process cache hit.
 */
export function isoUtcSeconds(date: Date): string {
  const y = date.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) return date.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `${String(y).padStart(4, "0")}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}T${pad2(date.getUTCHours())}:${pad2(
    date.getUTCMinutes(),
  )}:${pad2(date.getUTCSeconds())}Z`;
}
