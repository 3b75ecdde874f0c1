import { describe, expect, it } from "vitest";

import { formatAmount, minorToMajorNumber, minorToMajorString, parseAmount, sumMinor, wanUnitText } from "~/kernel/money";

describe("parseAmount", () => {
  it.each([
    ["12345.67", 1234567],
    ["12,345.67", 1234567],
    ["12345", 1234500],
    ["1,234,567.89", 123456789],
    ["0.1", 10],
    ["0.29", 29],
    [".5", 50],
    ["0", 0],
    ["0.00", 0],
    ["-0", 0],
    ["  42.10  ", 4210],
    ["\u3000100\u3000", 10000],
    ["¥12,345.67", 1234567],
    ["￥5", 500],
    ["$ 3.10", 310],
    ["-5", -500],
    ["-¥5", -500],
    ["¥-5", -500],
    ["007.5", 750],
    ["90071992547409.91", Number.MAX_SAFE_INTEGER],
  ])("%j is %d minor units", (text, minor) => {
    expect(parseAmount(text)).toEqual({ ok: true, minor });
  });

  it.each([
    ["", "is empty"],
    ["   ", "is empty"],
    ["abc", '"abc" is not a valid amount'],
    ["1,23", '"1,23" is not a valid amount (check the thousands separators)'],
    ["12,34.5", '"12,34.5" is not a valid amount (check the thousands separators)'],
    ["1234,567", '"1234,567" is not a valid amount (check the thousands separators)'],
    ["12.345", '"12.345" has more than 2 decimal places'],
    ["12.340", '"12.340" has more than 2 decimal places'],
    ["1e5", '"1e5" is not a valid amount'],
    ["5.", '"5." is not a valid amount'],
    [".", '"." is not a valid amount'],
    ["¥", '"¥" is not a valid amount'],
    ["-", '"-" is not a valid amount'],
    ["--5", '"--5" is not a valid amount'],
    ["-¥-5", '"-¥-5" is not a valid amount'],
    ["12 345", '"12 345" is not a valid amount'],
    ["(5.00)", '"(5.00)" is not a valid amount'],
    ["€5", '"€5" is not a valid amount'],
    ["90071992547409.92", '"90071992547409.92" is too large'],
    ["99999999999999999999", '"99999999999999999999" is too large'],
  ])("%j is refused: %s", (text, message) => {
    expect(parseAmount(text)).toMatchObject({ ok: false, message });
  });
});

describe("minor to major", () => {
  it.each([
    [1234567, "12345.67", 12345.67],
    [-5, "-0.05", -0.05],
    [0, "0.00", 0],
    [7, "0.07", 0.07],
    [100, "1.00", 1],
    [-123456, "-1234.56", -1234.56],
  ])("%d is %s", (minor, text, number) => {
    expect(minorToMajorString(minor)).toBe(text);
    expect(minorToMajorNumber(minor)).toBe(number);
  });

  it("refuses fractions of a minor unit", () => {
    expect(() => minorToMajorString(1.5)).toThrow(RangeError);
  });

  it("round-trips every amount through parseAmount", () => {
    for (const minor of [0, 1, 9, 10, 99, 100, 101, 123456789, 90071992547409]) {
      expect(parseAmount(minorToMajorString(minor))).toEqual({ ok: true, minor });
    }
  });
});

describe("formatAmount", () => {
  it.each([
    [1234567, "zh-CN", undefined, "¥12,345.67"],
    [1234567, "en", undefined, "CN¥12,345.67"],
    [-5, "zh-CN", "yuan", "-¥0.05"],
    [Number.MAX_SAFE_INTEGER, "zh-CN", undefined, "¥90,071,992,547,409.91"],
    [9_649_000_000, "zh-CN", "wan", "9,649.00 万元"],
    [9_649_000_000, "en", "wan", "9,649.00 万元"],
    [1_234_567_890, "zh-CN", "wan", "1,234.57 万元"],
    [1_234_564_999, "zh-CN", "wan", "1,234.56 万元"],
    [-1_234_565_000, "zh-CN", "wan", "-1,234.57 万元"],
    [0, "zh-CN", "wan", "0.00 万元"],
  ] as const)("%d in %s (%s) is %s", (minor, locale, unit, text) => {
    expect(formatAmount(minor, { locale, currency: "CNY", unit })).toBe(text);
  });

  it("leaves the 万元 unit to the table header when asked, and keeps the currency sign in yuan", () => {
    expect(formatAmount(1_234_567_890, { locale: "zh-CN", currency: "CNY", unit: "wan", unitInHeader: true })).toBe("1,234.57");
    expect(formatAmount(-5_000, { locale: "zh-CN", currency: "CNY", unit: "wan", unitInHeader: true })).toBe("-0.01");
    expect(formatAmount(310, { locale: "zh-CN", currency: "CNY", unit: "yuan", unitInHeader: true })).toBe("¥3.10");
    expect(wanUnitText("CNY")).toBe("万元");
  });

  it("gives each format its own text of the same amount, however often and in whatever order asked", () => {
    const asked = () => [
      formatAmount(0, { locale: "en", currency: "CNY" }),
      formatAmount(0, { locale: "zh-CN", currency: "CNY" }),
      formatAmount(0, { locale: "zh-CN", currency: "CNY", unit: "wan" }),
      formatAmount(0, { locale: "zh-CN", currency: "CNY", unit: "wan", unitInHeader: true }),
      formatAmount(0, { locale: "en", currency: "USD" }),
      formatAmount(-1, { locale: "en", currency: "CNY" }),
    ];
    const expected = ["CN¥0.00", "¥0.00", "0.00 万元", "0.00", "$0.00", "-CN¥0.01"];
    expect(asked()).toEqual(expected);
    expect(asked()).toEqual(expected);
    // more amounts than are kept: the texts stay right
    for (let minor = 0; minor < 12_000; minor += 1) expect(formatAmount(minor * 101, { locale: "en", currency: "CNY" })).toBe(`CN¥${(minor * 1.01).toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
    expect(asked()).toEqual(expected);
    expect(() => formatAmount(0.5, { locale: "en", currency: "CNY" })).toThrow();
  });

  it("formats other currencies", () => {
    expect(formatAmount(310, { locale: "en", currency: "USD" })).toBe("$3.10");
    expect(formatAmount(1_000_000, { locale: "en", currency: "USD", unit: "wan" })).toBe("1.00 万 USD");
  });
});

describe("sumMinor", () => {
  it("adds integers exactly", () => {
    expect(sumMinor([10, 20, -5])).toBe(25);
    expect(sumMinor([])).toBe(0);
    // 0.1 + 0.2 in minor units is exactly 30.
    expect(sumMinor([10, 20])).toBe(30);
  });

  it("refuses a total beyond the exact-integer range", () => {
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
    expect(() => sumMinor([0.5])).toThrow(RangeError);
  });
});
