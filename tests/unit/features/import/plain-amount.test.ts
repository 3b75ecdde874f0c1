import { describe, expect, it } from "vitest";

import { parseDateInput } from "~/features/import/date-input";
import { plainMinorUnits } from "~/features/import/validate";
import { parseAmount } from "~/kernel/money";

import { english } from "../../../fixtures/import/helpers";

describe("plainMinorUnits: parseAmount's answer for plain digits, null for the rest", () => {
  it.each([
    ["12345.67", 1234567],
    ["200", 20000],
    ["0.5", 50],
    ["0012.50", 1250],
    ["0", 0],
    ["0.00", 0],
    ["9999999999999.99", 999999999999999],
  ])("%s -> %i", (text, minor) => {
    expect(plainMinorUnits(text)).toBe(minor);
    expect(parseAmount(text)).toEqual({ ok: true, minor });
  });

  it.each(["", ".5", "5.", "1.234", "1,234.50", "-5", "¥5", "$5", " 5", "5 ", "1e5", "12345678901234", "1.2.3", "5.x"])(
    "%j is left to parseAmount",
    (text) => {
      expect(plainMinorUnits(text)).toBeNull();
    },
  );

  it("agrees with parseAmount on every digit string it takes", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let n = 0; n < 20000; n += 1) {
      const chars = "0123456789.";
      let text = "";
      const length = 1 + Math.floor(random() * 17);
      for (let i = 0; i < length; i += 1) text += chars[Math.floor(random() * (random() < 0.85 ? 10 : 11))];
      const plain = plainMinorUnits(text);
      if (plain === null) continue;
      expect(parseAmount(text)).toEqual({ ok: true, minor: plain });
    }
  });
});

describe("canonical dates take the fast path with the same answers", () => {
  it.each([
    ["2026-01-05", { ok: true, date: "2026-01-05" }],
    ["2024-02-29", { ok: true, date: "2024-02-29" }],
    ["1900-01-01", { ok: true, date: "1900-01-01" }],
    ["2199-12-31", { ok: true, date: "2199-12-31" }],
    ["2025-02-29", { ok: false, message: '"2025-02-29" is not a real date' }],
    ["2026-13-01", { ok: false, message: '"2026-13-01" is not a real date' }],
    ["2026-00-10", { ok: false, message: '"2026-00-10" is not a real date' }],
    ["1899-12-31", { ok: false, message: '"1899-12-31" is outside the years 1900-2199' }],
    ["2026-1-05", { ok: true, date: "2026-01-05" }],
  ])("%s", (text, expected) => {
    expect(english(parseDateInput(text, { format: "YYYY-MM-DD", allowExcelSerial: false }))).toEqual(expected);
  });
});
