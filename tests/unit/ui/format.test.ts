import { describe, expect, it } from "vitest";

import { formatDate, formatDateTime, formatNumber, formatPercent } from "~/ui/format";

describe("date display", () => {
  it.each([
    ["2026-01-05", "en", "5 Jan 2026"],
    ["2026-12-31", "zh-CN", "2026年12月31日"],
  ] as const)("%s in %s is %s", (iso, locale, text) => {
    expect(formatDate(iso, locale)).toBe(text);
  });

  it("shows timestamps in the installation's time zone, 24-hour", () => {
    expect(formatDateTime("2026-11-23T16:05:00.000Z", "en", "Asia/Shanghai")).toBe("24 Nov 2026 00:05");
    expect(formatDateTime("2026-11-23T16:05:00.000Z", "zh-CN", "UTC")).toBe("2026年11月23日 16:05");
    // the formatter kept for one time zone is not used for another
    expect(formatDateTime("2026-11-23T16:05:00.000Z", "en", "UTC")).toBe("23 Nov 2026 16:05");
    expect(formatDateTime("2026-11-23T16:05:00.000Z", "en", "Asia/Shanghai")).toBe("24 Nov 2026 00:05");
  });
});

describe("number display", () => {
  it("keeps each locale's and digit count's own format, asked for in any order", () => {
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
    expect(formatNumber(1234.567, "en", 2)).toBe("1,234.57");
    expect(formatNumber(1234.5, "zh-CN", 1)).toBe("1,234.5");
    expect(formatNumber(1234.567, "en")).toBe("1,235");
    expect(formatPercent(0.1234, "en")).toBe("12.3%");
    expect(formatPercent(0.1234, "en", 0)).toBe("12%");
    expect(formatPercent(0.1234, "zh-CN", 2)).toBe("12.34%");
    expect(formatNumber(0.5, "en", 1)).toBe("0.5");
  });
});
