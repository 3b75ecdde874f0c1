import { isValidIsoDate } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { displayTimeZone } from "~/server/env.server";

/** One formatter per time zone: making one costs more than the request's other date work. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `now` in `timeZone`, as `YYYY-MM-DD`. */
export function dateInTimeZone(now: Date, timeZone: string): IsoDate {
  // en-CA writes dates as YYYY-MM-DD; formatToParts keeps us independent of that detail.
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** One wall-clock formatter per time zone (dayStartsAt). */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at `instant` (ms), read as if it were UTC (ms). */
function wallClockAsUtc(instant: number, timeZone: string): number {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" });
    wallClocks.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(part("year"), part("month") - 1, part("day"), part("hour") % 24, part("minute"), part("second"));
}

/**
 * The instant (ISO 8601, UTC, as timestamps are stored) at which the calendar day `date` begins in
 * `timeZone`: "what happened by the end of a business day" is what happened before the next day's
 * start. The zone's offset is read at the guess and again at the answer, for a day a clock change
 * moves.
 */
export function dayStartsAt(date: IsoDate, timeZone: string): string {
  const midnight = Date.parse(`${date}T00:00:00.000Z`);
  const first = midnight - (wallClockAsUtc(midnight, timeZone) - midnight);
  const start = midnight - (wallClockAsUtc(first, timeZone) - first);
  return new Date(start).toISOString();
}

/**
 * The business date: today's date in the installation's time zone (QUARTERDECK_TIME_ZONE, the
 * zone timestamps are shown in, so a call logged at 07:30 Beijing time is dated that day), or
 * QUARTERDECK_TODAY (`YYYY-MM-DD`) when set, so demos and tests show the same figures whatever
 * day they run. Read on every call, never cached.
 */
export function today(now: Date = new Date()): IsoDate {
  const override = process.env.QUARTERDECK_TODAY?.trim();
  if (override) {
    if (!isValidIsoDate(override)) throw new Error(`QUARTERDECK_TODAY must be a date written YYYY-MM-DD, got "${override}"`);
    return override;
  }
  return dateInTimeZone(now, displayTimeZone());
}
