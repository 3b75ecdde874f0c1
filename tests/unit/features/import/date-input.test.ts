import { describe, expect, it } from "vitest";

import { parseDateInput, type DateFormat } from "~/features/import/date-input";

import { english } from "../../../fixtures/import/helpers";

const iso = { format: "YYYY-MM-DD", allowExcelSerial: false } as const;

describe("parseDateInput", () => {
  it.each([
    ["2025-02-28", "2025-02-28"],
    ["2025/02/28", "2025-02-28"],
    ["2025/2/3", "2025-02-03"],
    [" 2024-02-29 ", "2024-02-29"],
    ["2025-01-31 00:00:00", "2025-01-31"],
    ["2025-01-31T00:00", "2025-01-31"],
  ])("%j is %s", (text, date) => {
    expect(parseDateInput(text, iso)).toEqual({ ok: true, date });
  });

  it.each([
    ["", "is empty"],
    ["2025-02-30", '"2025-02-30" is not a real date'],
    ["2023-02-29", '"2023-02-29" is not a real date'],
    ["2025-13-01", '"2025-13-01" is not a real date'],
    ["2025-00-10", '"2025-00-10" is not a real date'],
    ["0205-01-01", '"0205-01-01" is outside the years 1900-2199'],
    ["2025-01-31 13:45", '"2025-01-31 13:45" is not a date in the format YYYY-MM-DD or YYYY/MM/DD'],
    ["1/2/2013", '"1/2/2013" is not a date in the format YYYY-MM-DD or YYYY/MM/DD'],
    ["45000", '"45000" is not a date in the format YYYY-MM-DD or YYYY/MM/DD'],
    ["tomorrow", '"tomorrow" is not a date in the format YYYY-MM-DD or YYYY/MM/DD'],
  ])("%j is refused: %s", (text, message) => {
    expect(english(parseDateInput(text, iso))).toEqual({ ok: false, message });
  });

  it.each([
    ["M/D/YYYY", "1/2/2013", "2013-01-02"],
    ["M/D/YYYY", "12/31/2013", "2013-12-31"],
    ["D/M/YYYY", "1/2/2013", "2013-02-01"],
    ["D/M/YYYY", "31.12.2013", "2013-12-31"],
    ["M/D/YYYY", "2013-05-06", "2013-05-06"],
  ] as const)("%s reads %j as %s", (format: DateFormat, text, date) => {
    expect(parseDateInput(text, { format, allowExcelSerial: false })).toEqual({ ok: true, date });
  });

  it("refuses a day-first date that is not real", () => {
    expect(english(parseDateInput("2/30/2013", { format: "M/D/YYYY", allowExcelSerial: false }))).toEqual({
      ok: false,
      message: '"2/30/2013" is not a real date',
    });
    expect(english(parseDateInput("13/31/2013", { format: "M/D/YYYY", allowExcelSerial: false }))).toEqual({
      ok: false,
      message: '"13/31/2013" is not a real date',
    });
  });

  it.each([
    ["45000", "2023-03-15"],
    ["45000.75", "2023-03-15"],
    ["61", "1900-03-01"],
    ["25569", "1970-01-01"],
    ["45658", "2025-01-01"],
  ])("reads the Excel serial %s as %s when the source is XLSX", (text, date) => {
    expect(parseDateInput(text, { format: "YYYY-MM-DD", allowExcelSerial: true })).toEqual({ ok: true, date });
  });

  it.each([
    ["60", '"60" is not a date (as an Excel date number it is out of range)'],
    ["0", '"0" is not a date (as an Excel date number it is out of range)'],
    ["3000000", '"3000000" is not a date (as an Excel date number it is out of range)'],
    ["150000", '"150000" is outside the years 1900-2199'],
  ])("refuses the Excel serial %s", (text, message) => {
    expect(english(parseDateInput(text, { format: "YYYY-MM-DD", allowExcelSerial: true }))).toEqual({ ok: false, message });
  });
});
