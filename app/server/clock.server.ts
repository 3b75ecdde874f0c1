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
