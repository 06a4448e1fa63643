/** Nanoseconds per unit of Go's time.ParseDuration (core.md Appendix A); `µs` is U+00B5, `μs` U+03BC. */
const UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ["ns", 1n],
  ["us", 1_000n],
  ["\u00b5s", 1_000n],
  ["\u03bcs", 1_000n],
  ["ms", 1_000_000n],
  ["s", 1_000_000_000n],
  ["m", 60_000_000_000n],
  ["h", 3_600_000_000_000n],
]);

const NS_PER_SECOND = 1_000_000_000n;
/** Go durations are int64 nanoseconds (about 292 years); longer texts are rejected as Go rejects them. */
const MAX_NS = 9_223_372_036_854_775_807n;

/** One `<number>[.<fraction>]<unit>` group; units are tried longest first so `ms` is not read as `m`. */
const GROUP = /^(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;

/**
 * Seconds (may be fractional), or undefined when the text is not a duration. Go syntax (`1h30m`, `1.5h`, `90s`) as
 * upstream, plus a bare integer meaning seconds, as AWS's own `duration_seconds` (decisions.md Q-06: `3600` = 1 h).
 */
export function parseDuration(text: string): number | undefined {
  const ns = parseNanoseconds(text.trim());
  return ns === undefined ? undefined : Number(ns) / 1e9;
}

function parseNanoseconds(text: string): bigint | undefined {
  let rest = text;
  let sign = 1n;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1n : 1n;
    rest = rest.slice(1);
  }
  if (rest === "") return undefined;

  let total: bigint;
  if (/^\d+$/.test(rest)) {
    total = BigInt(rest) * NS_PER_SECOND;
  } else {
    total = 0n;
    while (rest !== "") {
      const m = GROUP.exec(rest);
      if (m === null) return undefined;
      const whole = m[1] ?? "";
      const fraction = m[2] ?? "";
      const unit = UNIT_NS.get(m[3] ?? "");
      if ((whole === "" && fraction === "") || unit === undefined) return undefined;
      total += BigInt(whole === "" ? "0" : whole) * unit;
      if (fraction !== "") total += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
      if (total > MAX_NS) return undefined;
      rest = rest.slice(m[0].length);
    }
  }
  return total > MAX_NS ? undefined : sign * total;
}

/**
 * Go's time.Duration.String() of a number of seconds, as upstream's diagnose prints durations: `0s`, `1.5s`,
 * `15m0s`, `1h0m0s`, `36h0m0s`, `1h0m0.5s`, `500ms`, `1.5µs`.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`not a finite number of seconds: ${seconds}`);
  const ns = BigInt(Math.round(seconds * 1e9));
  if (ns === 0n) return "0s";
  const sign = ns < 0n ? "-" : "";
  const u = ns < 0n ? -ns : ns;

  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${withFraction(u, 3)}\u00b5s`;
  if (u < NS_PER_SECOND) return `${sign}${withFraction(u, 6)}ms`;

  const fraction = fractionDigits(u % NS_PER_SECOND, 9);
  let rest = u / NS_PER_SECOND;
  let text = `${rest % 60n}${fraction}s`;
  rest /= 60n;
  if (rest > 0n) {
    text = `${rest % 60n}m${text}`;
    rest /= 60n;
    if (rest > 0n) text = `${rest}h${text}`;
  }
  return sign + text;
}

/** `value / 10^precision` printed with its fraction, trailing zeros dropped (Go's fmtFrac + fmtInt). */
function withFraction(value: bigint, precision: number): string {
  const scale = 10n ** BigInt(precision);
  return `${value / scale}${fractionDigits(value % scale, precision)}`;
}

/** `.5` for 500000000 at precision 9; empty when the fraction is zero. */
function fractionDigits(remainder: bigint, precision: number): string {
  if (remainder === 0n) return "";
  return `.${remainder.toString().padStart(precision, "0").replace(/0+$/, "")}`;
}
