/**
 * Calendar-date helpers on ISO `YYYY-MM-DD` strings (KPIS.md section 1).
 *
 * Every computation goes through an integer "epoch day" (days since 1970-01-01), so there is
 * no time of day, no time zone and no daylight-saving hour to get wrong. `Date` is never used.
 *
 * Fiscal years: Q1 starts on the 1st of `fiscalStartMonth` (1-12, default 1 = calendar year).
 * A fiscal year is named by the calendar year in which it ENDS: with April as the start month,
 * 2024-04-01..2025-03-31 is FY2025 (the US federal / UK company convention). With January
 * this is simply the calendar year, so the default needs no explanation to anyone.
 */
import type { IsoDate } from "~/kernel/ledger/types";

export interface DateRange {
  start: IsoDate;
  end: IsoDate;
}

export interface FiscalYear extends DateRange {
  fiscalYear: number;
}

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface FiscalQuarter extends DateRange {
  fiscalYear: number;
  quarter: QuarterNumber;
}

/** A run of days inside one calendar month; `days` counts start..end inclusive. */
export interface MonthSpan extends DateRange {
  days: number;
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

// 0001-01-01 and 9999-12-31: the range a four-digit ISO year can spell.
const MIN_EPOCH_DAY = -719162;
const MAX_EPOCH_DAY = 2932896;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`Month must be 1-12, got ${month}`);
  }
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The number written by the ASCII digits value[from..to), or -1 when any is not a digit. */
function digitsAt(value: string, from: number, to: number): number {
  let number = 0;
  for (let i = from; i < to; i += 1) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * The parts of `YYYY-MM-DD` (ASCII digits) when it is a real date, read by character codes rather
 * than a regular expression: the import and the ledger sweeps call this millions of times.
 */
function matchParts(value: string): DateParts | null {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return null;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 7);
  const day = digitsAt(value, 8, 10);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  return { year, month, day };
}

/** True for a real calendar date written exactly `YYYY-MM-DD` (years 0001-9999). */
export function isValidIsoDate(value: unknown): value is IsoDate {
  return typeof value === "string" && matchParts(value) !== null;
}

export function datePartsOf(date: IsoDate): DateParts {
  const parts = matchParts(date);
  if (!parts) throw new RangeError(`Not a valid ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return parts;
}

/** Builds `YYYY-MM-DD` from parts, rejecting impossible dates such as 2023-02-29. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  const text = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(
    day
  ).padStart(2, "0")}`;
  if (
    !Number.isInteger(year) ||
    !Number.isInteger(month) ||
    !Number.isInteger(day) ||
    !isValidIsoDate(text)
  ) {
    throw new RangeError(`Not a real calendar date: ${year}-${month}-${day}`);
  }
  return text;
}

// Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, exact integers.
function epochDayOfParts({ year, month, day }: DateParts): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function toEpochDay(date: IsoDate): number {
  return epochDayOfParts(datePartsOf(date));
}

export function fromEpochDay(epochDay: number): IsoDate {
  if (!Number.isInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
    throw new RangeError(`Epoch day out of the 0001-9999 range: ${epochDay}`);
  }
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // A real date by construction (years 0001-9999 by the range check): written without isoDate's check.
  return `${year < 1000 ? String(year).padStart(4, "0") : year}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

export function addDays(date: IsoDate, count: number): IsoDate {
  if (!Number.isInteger(count)) throw new RangeError(`Whole days only, got ${count}`);
  return fromEpochDay(toEpochDay(date) + count);
}

/** `days(A, B)` of KPIS.md: whole days from A to B, i.e. B - A (negative when B is earlier). */
export function days(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/**
 * Moves by whole calendar months, keeping the day of the month where it exists and otherwise
 * clamping to the month's last day (2024-01-31 + 1 month = 2024-02-29).
 */
export function addMonths(date: IsoDate, count: number): IsoDate {
  if (!Number.isInteger(count)) throw new RangeError(`Whole months only, got ${count}`);
  const { year, month, day } = datePartsOf(date);
  const monthIndex = year * 12 + (month - 1) + count;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = monthIndex - newYear * 12 + 1;
  return isoDate(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

export function monthStart(date: IsoDate): IsoDate {
  const { year, month } = datePartsOf(date);
  return isoDate(year, month, 1);
}

export function monthEnd(date: IsoDate): IsoDate {
  const { year, month } = datePartsOf(date);
  return isoDate(year, month, daysInMonth(year, month));
}

function checkFiscalStartMonth(fiscalStartMonth: number): void {
  if (!Number.isInteger(fiscalStartMonth) || fiscalStartMonth < 1 || fiscalStartMonth > 12) {
    throw new RangeError(`Fiscal-year start month must be 1-12, got ${fiscalStartMonth}`);
  }
}

/** Named by the calendar year in which it ends (see the module comment). */
export function fiscalYearOf(date: IsoDate, fiscalStartMonth = 1): FiscalYear {
  checkFiscalStartMonth(fiscalStartMonth);
  const { year, month } = datePartsOf(date);
  const startYear = month >= fiscalStartMonth ? year : year - 1;
  const start = isoDate(startYear, fiscalStartMonth, 1);
  const end = addDays(addMonths(start, 12), -1);
  return { fiscalYear: datePartsOf(end).year, start, end };
}

export function fiscalYearStart(date: IsoDate, fiscalStartMonth = 1): IsoDate {
  return fiscalYearOf(date, fiscalStartMonth).start;
}

export function fiscalYearEnd(date: IsoDate, fiscalStartMonth = 1): IsoDate {
  return fiscalYearOf(date, fiscalStartMonth).end;
}

/** The default KPI baseline: the day before the fiscal year of `date` began. */
export function lastDayOfPreviousFiscalYear(date: IsoDate, fiscalStartMonth = 1): IsoDate {
  return addDays(fiscalYearStart(date, fiscalStartMonth), -1);
}

/** The fiscal year and quarter that contain `date`, with the quarter's first and last day. */
export function quarterOf(date: IsoDate, fiscalStartMonth = 1): FiscalQuarter {
  const year = fiscalYearOf(date, fiscalStartMonth);
  const { month } = datePartsOf(date);
  const monthsIntoYear = (month - fiscalStartMonth + 12) % 12;
  // monthsIntoYear is 0..11, so this is 1..4
  const quarter = (Math.floor(monthsIntoYear / 3) + 1) as QuarterNumber;
  return { fiscalYear: year.fiscalYear, quarter, ...quarterRange(year.start, quarter) };
}

function quarterRange(fiscalYearFirstDay: IsoDate, quarter: QuarterNumber): DateRange {
  const start = addMonths(fiscalYearFirstDay, 3 * (quarter - 1));
  return { start, end: addDays(addMonths(start, 3), -1) };
}

/** A named quarter, e.g. FY2025 Q1 with April start = 2024-04-01..2024-06-30. */
export function fiscalQuarter(
  fiscalYear: number,
  quarter: QuarterNumber,
  fiscalStartMonth = 1
): FiscalQuarter {
  checkFiscalStartMonth(fiscalStartMonth);
  if (![1, 2, 3, 4].includes(quarter)) throw new RangeError(`Quarter must be 1-4, got ${quarter}`);
  // The year is named by its end, so a non-January year started in the previous calendar year.
  const startYear = fiscalStartMonth === 1 ? fiscalYear : fiscalYear - 1;
  return { fiscalYear, quarter, ...quarterRange(isoDate(startYear, fiscalStartMonth, 1), quarter) };
}

export function quarterStart(date: IsoDate, fiscalStartMonth = 1): IsoDate {
  return quarterOf(date, fiscalStartMonth).start;
}

export function quarterEnd(date: IsoDate, fiscalStartMonth = 1): IsoDate {
  return quarterOf(date, fiscalStartMonth).end;
}

export function previousQuarterEnd(date: IsoDate, fiscalStartMonth = 1): IsoDate {
  return addDays(quarterStart(date, fiscalStartMonth), -1);
}

/** The `count` month-ends strictly before `date`, oldest first (e.g. for trend charts). */
export function monthEndsBefore(date: IsoDate, count: number): IsoDate[] {
  const ends: IsoDate[] = [];
  // Even when `date` is itself a month-end, the latest one strictly before it is last month's.
  let end = addDays(monthStart(date), -1);
  for (let i = 0; i < count; i += 1) {
    ends.unshift(end);
    end = addDays(monthStart(end), -1);
  }
  return ends;
}

/**
 * Month spans walking back from `date`, newest first: first `date`'s own month from its 1st to
 * `date`, then whole earlier months. This is the walk of the countback DSO.
 */
export function monthSpansBack(date: IsoDate, count: number): MonthSpan[] {
  const spans: MonthSpan[] = [];
  let end = date;
  for (let i = 0; i < count; i += 1) {
    const start = monthStart(end);
    spans.push({ start, end, days: days(start, end) + 1 });
    end = addDays(start, -1);
  }
  return spans;
}

/** The 1st of every month from `start`'s month to `end`'s month inclusive, oldest first. */
export function monthStartsBetween(start: IsoDate, end: IsoDate): IsoDate[] {
  const starts: IsoDate[] = [];
  const last = monthStart(end);
  for (let month = monthStart(start); month <= last; month = addMonths(month, 1)) {
    starts.push(month);
  }
  return starts;
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * A day in words, in Chinese for a `zh…` language (`2026年12月8日`), else in English: "8 December
 * 2026" (letters, statements, reports) or "8 Dec 2026" (`short`: pages, notifications). Built from
 * numbers, not Intl: Node's and the browser's ICU differ in spacing and punctuation. Anything that
 * is not `YYYY-MM-DD…` comes back as it is.
 */
export function dateInWords(date: string, language: string, style: "long" | "short" = "long"): string {
  const parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  const month = Number(parts?.[2]);
  if (!parts || month < 1 || month > 12) return date;
  return dayInWords(Number(parts[1]), month, Number(parts[3]), language, style);
}

/** `dateInWords` from the numbers (month 1–12). */
export function dayInWords(year: number, month: number, day: number, language: string, style: "long" | "short" = "long"): string {
  if (language.startsWith("zh")) return `${year}年${month}月${day}日`;
  const name = MONTH_NAMES[month - 1] ?? "";
  return `${day} ${style === "short" ? name.slice(0, 3) : name} ${year}`;
}
