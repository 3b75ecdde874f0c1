import { describe, expect, it } from "vitest";
import {
  dateInWords,
  dayInWords,
  addDays,
  addMonths,
  days,
  daysInMonth,
  fiscalQuarter,
  fiscalYearEnd,
  fiscalYearOf,
  fiscalYearStart,
  fromEpochDay,
  isLeapYear,
  isoDate,
  isValidIsoDate,
  lastDayOfPreviousFiscalYear,
  monthEnd,
  monthEndsBefore,
  monthSpansBack,
  monthStart,
  monthStartsBetween,
  previousQuarterEnd,
  quarterEnd,
  quarterOf,
  quarterStart,
  toEpochDay,
} from "~/kernel/dates";

describe("isValidIsoDate", () => {
  it.each([
    ["2024-02-29", true],
    ["2023-02-29", false],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2024-04-30", true],
    ["2024-04-31", false],
    ["2024-12-31", true],
    ["2024-13-01", false],
    ["2024-00-10", false],
    ["2024-01-00", false],
    ["0001-01-01", true],
    ["0000-01-01", false],
    ["9999-12-31", true],
    ["2024-1-05", false],
    ["2024/01/05", false],
    [" 2024-01-05", false],
    ["2024-01-05T00:00:00Z", false],
    ["", false],
  ])("%j -> %s", (value, valid) => {
    expect(isValidIsoDate(value)).toBe(valid);
  });

  it("rejects non-strings", () => {
    expect(isValidIsoDate(20240105)).toBe(false);
    expect(isValidIsoDate(null)).toBe(false);
    expect(isValidIsoDate(undefined)).toBe(false);
  });
});

describe("leap years and month lengths", () => {
  it.each([
    [2023, false],
    [2024, true],
    [1900, false],
    [2000, true],
    [2100, false],
  ])("isLeapYear(%i) = %s", (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });

  it.each([
    [2024, 1, 31],
    [2024, 2, 29],
    [2023, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2024, 4, 30],
    [2024, 6, 30],
    [2024, 7, 31],
    [2024, 9, 30],
    [2024, 11, 30],
    [2024, 12, 31],
  ])("daysInMonth(%i, %i) = %i", (year, month, count) => {
    expect(daysInMonth(year, month)).toBe(count);
  });

  it("rejects impossible months", () => {
    expect(() => daysInMonth(2024, 13)).toThrow(RangeError);
    expect(() => daysInMonth(2024, 0)).toThrow(RangeError);
  });
});

describe("epoch days", () => {
  it.each([
    ["1970-01-01", 0],
    ["1970-01-02", 1],
    ["1969-12-31", -1],
    ["2000-03-01", 11017],
    ["2024-02-29", 19782],
    ["0001-01-01", -719162],
    ["9999-12-31", 2932896],
  ])("%s is epoch day %i", (date, epochDay) => {
    expect(toEpochDay(date)).toBe(epochDay);
    expect(fromEpochDay(epochDay)).toBe(date);
  });

  it("agrees with UTC Date arithmetic for every day of 1899-2101", () => {
    // An independent oracle: Date.UTC in milliseconds, used only in this test.
    const first = Date.UTC(1899, 0, 1) / 86_400_000;
    const last = Date.UTC(2101, 11, 31) / 86_400_000;
    for (let day = first; day <= last; day += 1) {
      const expected = new Date(day * 86_400_000).toISOString().slice(0, 10);
      const actual = fromEpochDay(day);
      if (actual !== expected || toEpochDay(expected) !== day) {
        expect({ day, actual, back: toEpochDay(expected) }).toEqual({
          day,
          actual: expected,
          back: day,
        });
      }
    }
  });

  it("throws on invalid input instead of guessing", () => {
    expect(() => toEpochDay("2023-02-29")).toThrow(RangeError);
    expect(() => toEpochDay("2023/02/01")).toThrow(RangeError);
    expect(() => fromEpochDay(1.5)).toThrow(RangeError);
    expect(() => fromEpochDay(2932897)).toThrow(RangeError);
    expect(() => isoDate(2023, 2, 29)).toThrow(RangeError);
    expect(isoDate(2024, 2, 29)).toBe("2024-02-29");
  });
});

describe("addDays and days", () => {
  it.each([
    ["2024-02-28", 1, "2024-02-29"],
    ["2024-02-29", 1, "2024-03-01"],
    ["2023-02-28", 1, "2023-03-01"],
    ["2024-12-31", 1, "2025-01-01"],
    ["2025-01-01", -1, "2024-12-31"],
    ["2024-03-01", -1, "2024-02-29"],
    ["2024-01-01", 366, "2025-01-01"],
    ["2023-01-01", 365, "2024-01-01"],
    ["2024-06-30", -89, "2024-04-02"],
    ["2024-06-30", 0, "2024-06-30"],
  ])("addDays(%s, %i) = %s", (date, count, expected) => {
    expect(addDays(date, count)).toBe(expected);
    expect(days(date, expected)).toBe(count);
  });

  it.each([
    ["2024-01-31", "2024-01-31", 0],
    ["2024-01-31", "2024-02-01", 1],
    ["2024-02-01", "2024-01-31", -1],
    ["2024-01-01", "2024-12-31", 365],
    ["2023-01-01", "2023-12-31", 364],
    ["2020-01-01", "2024-01-01", 1461],
  ])("days(%s, %s) = %i (B - A)", (a, b, expected) => {
    expect(days(a, b)).toBe(expected);
  });

  it("refuses fractional days", () => {
    expect(() => addDays("2024-01-01", 0.5)).toThrow(RangeError);
  });
});

describe("addMonths", () => {
  it.each([
    ["2024-01-15", 1, "2024-02-15"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2023-01-31", 1, "2023-02-28"],
    ["2024-03-31", -1, "2024-02-29"],
    ["2024-05-31", 1, "2024-06-30"],
    ["2024-11-30", 2, "2025-01-30"],
    ["2024-01-10", -1, "2023-12-10"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2024-02-29", 48, "2028-02-29"],
    ["2024-08-31", -36, "2021-08-31"],
    ["2024-06-15", 0, "2024-06-15"],
  ])("addMonths(%s, %i) = %s", (date, count, expected) => {
    expect(addMonths(date, count)).toBe(expected);
  });
});

describe("month boundaries", () => {
  it.each([
    ["2024-02-10", "2024-02-01", "2024-02-29"],
    ["2023-02-28", "2023-02-01", "2023-02-28"],
    ["2024-12-31", "2024-12-01", "2024-12-31"],
    ["2024-04-01", "2024-04-01", "2024-04-30"],
    ["2000-02-15", "2000-02-01", "2000-02-29"],
    ["1900-02-15", "1900-02-01", "1900-02-28"],
  ])("%s: month %s..%s", (date, start, end) => {
    expect(monthStart(date)).toBe(start);
    expect(monthEnd(date)).toBe(end);
  });

  it("lists the month-ends strictly before a date, oldest first", () => {
    expect(monthEndsBefore("2024-03-15", 3)).toEqual(["2023-12-31", "2024-01-31", "2024-02-29"]);
    // A month-end itself is not "before" itself.
    expect(monthEndsBefore("2024-03-31", 2)).toEqual(["2024-01-31", "2024-02-29"]);
    expect(monthEndsBefore("2024-03-01", 1)).toEqual(["2024-02-29"]);
    expect(monthEndsBefore("2024-03-01", 0)).toEqual([]);
  });

  it("walks back month spans from a date, its own month partial", () => {
    expect(monthSpansBack("2024-03-10", 3)).toEqual([
      { start: "2024-03-01", end: "2024-03-10", days: 10 },
      { start: "2024-02-01", end: "2024-02-29", days: 29 },
      { start: "2024-01-01", end: "2024-01-31", days: 31 },
    ]);
    expect(monthSpansBack("2023-03-31", 2)).toEqual([
      { start: "2023-03-01", end: "2023-03-31", days: 31 },
      { start: "2023-02-01", end: "2023-02-28", days: 28 },
    ]);
    expect(monthSpansBack("2024-01-01", 2)).toEqual([
      { start: "2024-01-01", end: "2024-01-01", days: 1 },
      { start: "2023-12-01", end: "2023-12-31", days: 31 },
    ]);
  });

  it("lists month starts between two dates inclusive", () => {
    expect(monthStartsBetween("2023-11-20", "2024-02-01")).toEqual([
      "2023-11-01",
      "2023-12-01",
      "2024-01-01",
      "2024-02-01",
    ]);
    expect(monthStartsBetween("2024-02-29", "2024-02-01")).toEqual(["2024-02-01"]);
    expect(monthStartsBetween("2024-03-01", "2024-02-01")).toEqual([]);
  });
});

describe("fiscal quarters", () => {
  // [date, fiscal start month, fiscal year, quarter, quarter start, quarter end]
  it.each([
    ["2024-01-01", 1, 2024, 1, "2024-01-01", "2024-03-31"],
    ["2024-03-31", 1, 2024, 1, "2024-01-01", "2024-03-31"],
    ["2024-04-01", 1, 2024, 2, "2024-04-01", "2024-06-30"],
    ["2024-08-15", 1, 2024, 3, "2024-07-01", "2024-09-30"],
    ["2024-12-31", 1, 2024, 4, "2024-10-01", "2024-12-31"],
    ["2024-02-29", 1, 2024, 1, "2024-01-01", "2024-03-31"],
    ["2024-03-31", 4, 2024, 4, "2024-01-01", "2024-03-31"],
    ["2024-04-01", 4, 2025, 1, "2024-04-01", "2024-06-30"],
    ["2024-12-31", 4, 2025, 3, "2024-10-01", "2024-12-31"],
    ["2025-02-15", 4, 2025, 4, "2025-01-01", "2025-03-31"],
    ["2024-01-15", 7, 2024, 3, "2024-01-01", "2024-03-31"],
    ["2024-06-30", 7, 2024, 4, "2024-04-01", "2024-06-30"],
    ["2024-07-01", 7, 2025, 1, "2024-07-01", "2024-09-30"],
    ["2024-11-30", 7, 2025, 2, "2024-10-01", "2024-12-31"],
    ["2024-02-29", 10, 2024, 2, "2024-01-01", "2024-03-31"],
    ["2024-09-30", 10, 2024, 4, "2024-07-01", "2024-09-30"],
    ["2024-10-01", 10, 2025, 1, "2024-10-01", "2024-12-31"],
    ["2025-01-01", 10, 2025, 2, "2025-01-01", "2025-03-31"],
    // A start month off the calendar quarters: quarters straddle calendar quarters and February ends.
    ["2024-02-29", 2, 2025, 1, "2024-02-01", "2024-04-30"],
    ["2024-01-31", 2, 2024, 4, "2023-11-01", "2024-01-31"],
    ["2024-12-31", 12, 2025, 1, "2024-12-01", "2025-02-28"],
    ["2024-02-29", 12, 2024, 1, "2023-12-01", "2024-02-29"],
  ] as const)(
    "%s with FY start month %i: FY%i Q%i %s..%s",
    (date, startMonth, fiscalYear, quarter, start, end) => {
      expect(quarterOf(date, startMonth)).toEqual({ fiscalYear, quarter, start, end });
      expect(quarterStart(date, startMonth)).toBe(start);
      expect(quarterEnd(date, startMonth)).toBe(end);
      expect(previousQuarterEnd(date, startMonth)).toBe(addDays(start, -1));
      // Naming a quarter gives back the same range.
      expect(fiscalQuarter(fiscalYear, quarter, startMonth)).toEqual({
        fiscalYear,
        quarter,
        start,
        end,
      });
    }
  );

  it("defaults to calendar quarters", () => {
    expect(quarterOf("2024-05-05")).toEqual({
      fiscalYear: 2024,
      quarter: 2,
      start: "2024-04-01",
      end: "2024-06-30",
    });
    expect(previousQuarterEnd("2024-01-01")).toBe("2023-12-31");
  });

  it("rejects a start month outside 1-12", () => {
    expect(() => quarterOf("2024-05-05", 0)).toThrow(RangeError);
    expect(() => quarterOf("2024-05-05", 13)).toThrow(RangeError);
    expect(() => fiscalQuarter(2024, 5 as 1, 1)).toThrow(RangeError);
  });
});

describe("fiscal years", () => {
  // [date, fiscal start month, fiscal year, start, end, last day of previous fiscal year]
  it.each([
    ["2024-06-30", 1, 2024, "2024-01-01", "2024-12-31", "2023-12-31"],
    ["2024-01-01", 1, 2024, "2024-01-01", "2024-12-31", "2023-12-31"],
    ["2024-12-31", 1, 2024, "2024-01-01", "2024-12-31", "2023-12-31"],
    ["2024-02-29", 4, 2024, "2023-04-01", "2024-03-31", "2023-03-31"],
    ["2024-04-01", 4, 2025, "2024-04-01", "2025-03-31", "2024-03-31"],
    ["2024-07-01", 7, 2025, "2024-07-01", "2025-06-30", "2024-06-30"],
    ["2024-06-30", 7, 2024, "2023-07-01", "2024-06-30", "2023-06-30"],
    ["2024-09-30", 10, 2024, "2023-10-01", "2024-09-30", "2023-09-30"],
    ["2024-10-01", 10, 2025, "2024-10-01", "2025-09-30", "2024-09-30"],
    ["2024-03-01", 3, 2025, "2024-03-01", "2025-02-28", "2024-02-29"],
  ] as const)(
    "%s with FY start month %i: FY%i %s..%s",
    (date, startMonth, fiscalYear, start, end, previousEnd) => {
      expect(fiscalYearOf(date, startMonth)).toEqual({ fiscalYear, start, end });
      expect(fiscalYearStart(date, startMonth)).toBe(start);
      expect(fiscalYearEnd(date, startMonth)).toBe(end);
      expect(lastDayOfPreviousFiscalYear(date, startMonth)).toBe(previousEnd);
    }
  );
});

describe("a day in words", () => {
  it("as letters, statements and reports write it, and as pages do", () => {
    expect(dateInWords("2026-12-08", "en")).toBe("8 December 2026");
    expect(dateInWords("2026-12-08", "en", "short")).toBe("8 Dec 2026");
    expect(dateInWords("2026-01-01", "zh-CN")).toBe("2026年1月1日");
    expect(dateInWords("2026-01-01", "zh", "short")).toBe("2026年1月1日");
    expect(dateInWords("2026-09-30T23:59:00Z", "en")).toBe("30 September 2026");
    expect(dayInWords(2025, 2, 28, "en", "short")).toBe("28 Feb 2025");
  });

  it("gives back what is not a date", () => {
    for (const text of ["", "soon", "2026-13-01", "26-1-1"]) expect(dateInWords(text, "en")).toBe(text);
  });
});
