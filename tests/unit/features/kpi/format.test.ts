import { describe, expect, it } from "vitest";

import {
  compactAmount,
  formatFixed,
  formatKpiDelta,
  formatKpiNumber,
  formatSigned,
  monthLabel,
  quarterLabel,
} from "~/features/kpi/format";

const MINUS = "\u2212";

describe("formatFixed", () => {
  it.each([
    [0, 1, "0.0"],
    [66.5, 1, "66.5"],
    [1234.56, 1, "1,234.6"],
    [1234567.891, 2, "1,234,567.89"],
    [999.95, 1, "1,000.0"],
    [0.05, 1, "0.1"],
    [-0.04, 1, "0.0"],
    [-12.25, 1, `${MINUS}12.3`],
    [12, 0, "12"],
    [1_000_000, 0, "1,000,000"],
  ])("%s to %i decimals is %s", (value, digits, text) => {
    expect(formatFixed(value, digits)).toBe(text);
  });

  it("refuses what is not a number", () => {
    expect(() => formatFixed(Number.NaN)).toThrow(RangeError);
  });
});

describe("formatSigned", () => {
  it.each([
    [3.14, "+3.1"],
    [-3.14, `${MINUS}3.1`],
    [0, "0.0"],
    [-0.01, "0.0"],
  ])("%s is %s", (value, text) => {
    expect(formatSigned(value, 1)).toBe(text);
  });
});

describe("KPI numbers", () => {
  it.each([
    [0.4737, "ratio", "47.4"],
    [1.25, "ratio", "125.0"],
    [70, "percent", "70.0"],
    [66.49, "days", "66.5"],
    [1234, "count", "1,234"],
  ] as const)("%s (%s) is %s", (value, unit, text) => {
    expect(formatKpiNumber(value, unit)).toBe(text);
  });

  it.each([
    [-0.036, "ratio", `${MINUS}3.6`],
    [10.4, "percent", "+10.4"],
    [-12.8, "days", `${MINUS}12.8`],
    [3, "count", "+3"],
  ] as const)("the change %s (%s) is %s", (value, unit, text) => {
    expect(formatKpiDelta(value, unit)).toBe(text);
  });
});

describe("compactAmount", () => {
  it.each([
    [0, "en", "0"],
    [99_900, "en", "999"],
    [1_250_000, "en", "12.5K"],
    [3_084_947_548, "en", "30.8M"],
    [25_000_000_000, "en", "250M"],
    [120_000_000_000, "en", "1.2B"],
    [1_250_000, "zh-CN", "1.3万"],
    [3_084_947_548, "zh-CN", "3,085万"],
    [16_000_000_000, "zh-CN", "1.6亿"],
    [-1_250_000, "en", `${MINUS}12.5K`],
  ] as const)("%s minor units in %s is %s", (minor, locale, text) => {
    expect(compactAmount(minor, locale)).toBe(text);
  });
});

describe("period labels", () => {
  it.each([
    ["2026-11", "en", "Nov 2026"],
    ["2026-01", "zh-CN", "2026年1月"],
  ] as const)("month %s in %s", (month, locale, text) => {
    expect(monthLabel(month, locale)).toBe(text);
  });

  it.each([
    [2026, 3, "en", 1, "Q3 2026"],
    [2026, 3, "zh-CN", 1, "2026年第3季度"],
    [2027, 1, "en", 4, "FY2027 Q1"],
    [2027, 1, "zh-CN", 4, "2027财年第1季度"],
  ] as const)("quarter %i Q%i in %s (fiscal start %i)", (year, quarter, locale, start, text) => {
    expect(quarterLabel(year, quarter, locale, start)).toBe(text);
  });
});
