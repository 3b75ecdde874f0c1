import { useRouteLoaderData } from "@remix-run/react";

import type { Locale } from "~/i18n";
import { dayInWords } from "~/kernel/dates";

/*
 * Dates and times are assembled from numbers rather than Intl's date strings: Node's and the
 * browser's ICU differ in spacing and punctuation, which breaks hydration.
 */
function dateText(year: number, month: number, day: number, locale: Locale): string {
  return dayInWords(year, month, day, locale, "short");
}

/** An ISO `YYYY-MM-DD` date for display (dates have no time zone). */
export function formatDate(iso: string, locale: Locale): string {
  const [y = NaN, m = NaN, d = NaN] = iso.slice(0, 10).split("-").map(Number);
  return dateText(y, m, d, locale);
}

/**
 * Making an Intl formatter costs far more than formatting with one, and a page formats hundreds of
 * numbers (page links, KPI values, counts): each is made once per set of options and kept. Few
 * locales, digit counts and time zones exist, so the map stays small.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let format = formatters.get(key);
  if (!(format instanceof Intl.NumberFormat)) formatters.set(key, (format = make()));
  return format;
}

function dateTimeFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = formatters.get(key);
  if (!(format instanceof Intl.DateTimeFormat)) formatters.set(key, (format = make()));
  return format;
}

/** An ISO timestamp to the minute, in the installation's time zone. */
export function formatDateTime(iso: string, locale: Locale, timeZone: string): string {
  const parts = dateTimeFormat(
    `time|${timeZone}`,
    () =>
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        hourCycle: "h23",
      }),
  ).formatToParts(new Date(iso));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const time = `${String(part("hour") % 24).padStart(2, "0")}:${String(part("minute")).padStart(2, "0")}`;
  return `${dateText(part("year"), part("month"), part("day"), locale)} ${time}`;
}

/** The installation's time zone, from the root loader. */
export function useTimeZone(): string {
  const root = useRouteLoaderData<{ timeZone?: string }>("root");
  return root?.timeZone ?? "UTC";
}

export function formatNumber(value: number, locale: Locale, fractionDigits = 0): string {
  return numberFormat(
    `number|${locale}|${fractionDigits}`,
    () => new Intl.NumberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }),
  ).format(value);
}

export function formatPercent(fraction: number, locale: Locale, fractionDigits = 1): string {
  return numberFormat(
    `percent|${locale}|${fractionDigits}`,
    () => new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }),
  ).format(fraction);
}
