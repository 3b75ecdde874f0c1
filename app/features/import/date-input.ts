/**
 * Dates as they arrive in import files, turned into ISO `YYYY-MM-DD` (KPIS.md section 1):
 * `YYYY-MM-DD` and `YYYY/MM/DD` always (year first is unambiguous), day-first or month-first
 * forms only when a column mapping says which, and Excel serial numbers only from XLSX.
 */
import { daysInMonth, fromEpochDay } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";

import { message, type ImportMessage } from "./issue-text";

export type DateFormat = "YYYY-MM-DD" | "YYYY/MM/DD" | "M/D/YYYY" | "D/M/YYYY";
export const DATE_FORMATS: readonly DateFormat[] = ["YYYY-MM-DD", "YYYY/MM/DD", "M/D/YYYY", "D/M/YYYY"];

export interface DateInputOptions {
  format: DateFormat;
  /** XLSX cells may hold serial numbers (days since 1899-12-30) when not formatted as dates. */
  allowExcelSerial: boolean;
}

export type ParsedDate = { ok: true; date: IsoDate } | { ok: false; message: ImportMessage };

// A midnight time is tolerated: many ERPs export "2025-01-31 00:00:00" for a plain date.
const MIDNIGHT = "(?:[ T]0?0:00(?::00(?:\\.0+)?)?)?";
const YEAR_FIRST = new RegExp(`^(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})${MIDNIGHT}$`);
const YEAR_LAST = new RegExp(`^(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4})${MIDNIGHT}$`);
const SERIAL = /^\d+(?:\.\d+)?$/;

// Excel's day 1 is 1900-01-01, but it counts the non-existent 1900-02-29 (serial 60), so from
// serial 61 (1900-03-01) on, the date is epoch day serial - 25569.
const EXCEL_EPOCH_OFFSET = 25569;
const FIRST_RELIABLE_SERIAL = 61;
const LAST_SERIAL = 2958465; // 9999-12-31, the last date Excel knows

export function parseDateInput(text: string, options: DateInputOptions): ParsedDate {
  const value = text.trim();
  if (value === "") return { ok: false, message: message("empty") };
  if (isCanonicalDate(value)) return { ok: true, date: value };
  const yearFirst = YEAR_FIRST.exec(value);
  if (yearFirst) return fromParts(value, Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
  const yearLast = YEAR_LAST.exec(value);
  if (yearLast && (options.format === "M/D/YYYY" || options.format === "D/M/YYYY")) {
    const [first, second] = [Number(yearLast[1]), Number(yearLast[2])];
    const [month, day] = options.format === "M/D/YYYY" ? [first, second] : [second, first];
    return fromParts(value, Number(yearLast[3]), month, day);
  }
  if (options.allowExcelSerial && SERIAL.test(value)) {
    const serial = Math.floor(Number(value));
    if (serial >= FIRST_RELIABLE_SERIAL && serial <= LAST_SERIAL) {
      const date = fromEpochDay(serial - EXCEL_EPOCH_OFFSET);
      return fromParts(value, Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
    }
    return { ok: false, message: message("dateSerialOutOfRange", { value }) };
  }
  const format = options.format;
  return {
    ok: false,
    message:
      format === "YYYY-MM-DD" || format === "YYYY/MM/DD"
        ? message("dateFormatIso", { value })
        : message("dateFormatOr", { value, format }),
  };
}

// A ledger date outside these years is a typo (0205 for 2025), not history or a plan.
const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;

/**
 * A real `YYYY-MM-DD` date within the accepted years: nearly every date of a large export,
 * checked without a regular expression (2M rows: ~1 s less). Anything else takes the general
 * path, which accepts the same dates and words the errors.
 */
function isCanonicalDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < 10; i += 1) {
    if (i === 4 || i === 7) continue;
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (i < 4) year = year * 10 + digit;
    else if (i < 7) month = month * 10 + digit;
    else day = day * 10 + digit;
  }
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && year >= FIRST_YEAR && year <= LAST_YEAR
  );
}

function fromParts(value: string, year: number, month: number, day: number): ParsedDate {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, message: message("notRealDate", { value }) };
  }
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    return { ok: false, message: message("dateOutOfYears", { value, first: FIRST_YEAR, last: LAST_YEAR }) };
  }
  const iso = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return { ok: true, date: iso };
}
