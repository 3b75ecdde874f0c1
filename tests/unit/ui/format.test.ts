import { describe, expect, it } from "vitest";

import { formatDate, formatDateTime } from "~/ui/format";

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
  });
});
