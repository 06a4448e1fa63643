import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import { expirationLine, relativeTime } from "./expiration.js";

// Node re-reads TZ when it is assigned, so each case can pin the local zone it renders in.
function inZone<T>(tz: string, fn: () => T): T {
  const before = process.env["TZ"];
  process.env["TZ"] = tz;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env["TZ"];
    else process.env["TZ"] = before;
  }
}

const now = new Date("2024-05-01T12:00:00Z");
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("relativeTime", () => {
  // Each go-humanize threshold (core.md §5.4) from both sides, in the future and in the past.
  const cases: [number, string][] = [
    [0, "now"],
    [999, "now"],
    [SECOND, "1 second"],
    [2 * SECOND - 1, "1 second"],
    [2 * SECOND, "2 seconds"],
    [59 * SECOND + 999, "59 seconds"],
    [MINUTE, "1 minute"],
    [2 * MINUTE - 1, "1 minute"],
    [2 * MINUTE, "2 minutes"],
    [52 * MINUTE + 30 * SECOND, "52 minutes"],
    [HOUR - 1, "59 minutes"],
    [HOUR, "1 hour"],
    [2 * HOUR, "2 hours"],
    [DAY - 1, "23 hours"],
    [DAY, "1 day"],
    [2 * DAY, "2 days"],
    [7 * DAY - 1, "6 days"],
    [7 * DAY, "1 week"],
    [14 * DAY, "2 weeks"],
    [30 * DAY - 1, "4 weeks"],
    [30 * DAY, "1 month"],
    [60 * DAY, "2 months"],
    [360 * DAY - 1, "11 months"],
    [360 * DAY, "1 year"],
    [540 * DAY - 1, "1 year"],
    [540 * DAY, "2 years"],
    [720 * DAY, "2 years"],
    [3 * 360 * DAY, "3 years"],
    [37 * 360 * DAY - 1, "36 years"],
    [37 * 360 * DAY, "a long while"],
  ];
  for (const [d, amount] of cases) {
    const future = amount === "now" ? "now" : `in ${amount}`;
    const past = amount === "now" ? "now" : `${amount} ago`;
    it(`+${d} ms → ${future}`, () => assert.equal(relativeTime(new Date(now.getTime() + d), now), future));
    it(`-${d} ms → ${past}`, () => assert.equal(relativeTime(new Date(now.getTime() - d), now), past));
  }
});

describe("expirationLine", () => {
  const cases: { name: string; tz: string; expiration: Date | undefined; want: string }[] = [
    { name: "no expiration", tz: "UTC", expiration: undefined, want: "credentials will not expire\n" },
    {
      name: "future, summer time east of UTC",
      tz: "Europe/Berlin",
      expiration: new Date("2024-05-01T12:59:30Z"),
      want: "Credentials will expire on 2024-05-01 14:59:30 +02:00 (in 59 minutes)\n",
    },
    {
      name: "future, winter time east of UTC (offset of the expiry instant, not of now)",
      tz: "Europe/Berlin",
      expiration: new Date("2024-12-24T18:00:00Z"),
      want: "Credentials will expire on 2024-12-24 19:00:00 +01:00 (in 7 months)\n",
    },
    {
      name: "past, half-hour offset west of UTC",
      tz: "America/St_Johns",
      expiration: new Date("2024-05-01T11:57:00Z"),
      want: "Credentials expired on 2024-05-01 09:27:00 -02:30 (3 minutes ago)\n",
    },
    {
      name: "UTC",
      tz: "UTC",
      expiration: new Date("2024-05-01T13:04:05.900Z"),
      want: "Credentials will expire on 2024-05-01 13:04:05 +00:00 (in 1 hour)\n",
    },
    {
      name: "exactly now counts as expired",
      tz: "UTC",
      expiration: now,
      want: "Credentials expired on 2024-05-01 12:00:00 +00:00 (now)\n",
    },
    {
      name: "half a second ahead is still in the future",
      tz: "UTC",
      expiration: new Date(now.getTime() + 500),
      want: "Credentials will expire on 2024-05-01 12:00:00 +00:00 (now)\n",
    },
    {
      name: "the zero time (T-CLI-08)",
      tz: "UTC",
      expiration: new Date(0),
      want: "Credentials expired on 1970-01-01 00:00:00 +00:00 (a long while ago)\n",
    },
    {
      name: "far future (T-CLI-08)",
      tz: "UTC",
      expiration: new Date("9999-12-31T23:59:59Z"),
      want: "Credentials will expire on 9999-12-31 23:59:59 +00:00 (in a long while)\n",
    },
    {
      name: "the latest date JavaScript has",
      tz: "UTC",
      expiration: new Date(8.64e15),
      want: "Credentials will expire on 275760-09-13 00:00:00 +00:00 (in a long while)\n",
    },
    {
      name: "a year before 1000 is padded",
      tz: "UTC",
      expiration: new Date("0001-01-01T00:00:00Z"),
      want: "Credentials expired on 0001-01-01 00:00:00 +00:00 (a long while ago)\n",
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(inZone(c.tz, () => expirationLine(c.expiration, now)), c.want));
  }

  it("starts with the prefixes scripts match in any zone", () => {
    const ahead = expirationLine(new Date(now.getTime() + HOUR), now);
    const behind = expirationLine(new Date(now.getTime() - HOUR), now);
    assert.match(ahead, /^Credentials will expire on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d \(in 1 hour\)\n$/);
    assert.match(behind, /^Credentials expired on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d \(1 hour ago\)\n$/);
  });

  it("rejects an invalid date with a RunasError", () => {
    assert.throws(
      () => expirationLine(new Date(Number.NaN), now),
      (e: unknown) => e instanceof RunasError && e.code === "INVALID_VALUE",
    );
  });
});
