import { describe, expect, it } from "vitest";

import { dateInTimeZone, dayStartsAt } from "~/server/clock.server";

describe("the instant a calendar day begins in a time zone", () => {
  it("Shanghai (UTC+8, no clock changes): the day before, at 16:00 UTC", () => {
    expect(dayStartsAt("2026-12-08", "Asia/Shanghai")).toBe("2026-12-07T16:00:00.000Z");
    expect(dayStartsAt("2027-01-01", "Asia/Shanghai")).toBe("2026-12-31T16:00:00.000Z");
  });

  it("UTC itself, and a zone west of it", () => {
    expect(dayStartsAt("2026-02-28", "UTC")).toBe("2026-02-28T00:00:00.000Z");
    expect(dayStartsAt("2026-01-15", "America/New_York")).toBe("2026-01-15T05:00:00.000Z");
  });

  it("a day a clock change moves: New York springs forward at 02:00 on 8 March 2026 and falls back on 1 November", () => {
    expect(dayStartsAt("2026-03-08", "America/New_York")).toBe("2026-03-08T05:00:00.000Z");
    expect(dayStartsAt("2026-03-09", "America/New_York")).toBe("2026-03-09T04:00:00.000Z");
    expect(dayStartsAt("2026-11-01", "America/New_York")).toBe("2026-11-01T04:00:00.000Z");
    expect(dayStartsAt("2026-11-02", "America/New_York")).toBe("2026-11-02T05:00:00.000Z");
  });

  it("is the first instant whose date in the zone is that day", () => {
    for (const zone of ["Asia/Shanghai", "Europe/London", "America/Los_Angeles", "Australia/Adelaide"]) {
      for (const day of ["2026-01-01", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-12-31"]) {
        const start = Date.parse(dayStartsAt(day, zone));
        expect(dateInTimeZone(new Date(start), zone), `${zone} ${day}`).toBe(day);
        expect(dateInTimeZone(new Date(start - 1), zone), `${zone} ${day} − 1 ms`).not.toBe(day);
      }
    }
  });
});
