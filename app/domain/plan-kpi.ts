/**
 * A plan item's KPI link between the form and the engine: targets typed in the units people
 * read (yuan, percent, days) and stored in the engine's (minor units, fractions), and the date
 * the baseline is taken as of.
 */
import { addDays } from "~/domain/dates";
import type { KpiUnit } from "~/domain/kpi-register";
import type { IsoDate } from "~/domain/ledger-types";
import { minorToMajorString, parseAmount } from "~/domain/money";

/**
 * The baseline is the KPI at the quarter's start, i.e. as of the end of the day before it. Until
 * that day is over (a plan drafted ahead), the baseline is provisional: as of `today`, replaced
 * by the real one once the quarter has begun (`needsFinalBaseline`).
 */
export function baselineDateFor(quarterStart: IsoDate, today: IsoDate): IsoDate {
  const eve = addDays(quarterStart, -1);
  return today > eve ? eve : today;
}

/** True when the stored baseline was provisional and the quarter's own baseline can now be taken. */
export function needsFinalBaseline(
  baselineDate: IsoDate | null,
  quarterStart: IsoDate,
  today: IsoDate
): boolean {
  const eve = addDays(quarterStart, -1);
  return today > eve && baselineDate !== eve;
}

/**
 * The baseline progress is measured from on `today`. Once the quarter has begun it is the eve's
 * value (`stored` says whether the item already holds it, else it is read, never written, until
 * the baseline job stores it); before that the provisional one the item holds, as of the day its
 * link was made.
 */
export function baselineInForce(
  link: { baselineDate: IsoDate | null },
  quarterStart: IsoDate,
  today: IsoDate
): { date: IsoDate | null; stored: boolean } {
  const eve = addDays(quarterStart, -1);
  if (today > eve) return { date: eve, stored: link.baselineDate === eve };
  return { date: link.baselineDate, stored: true };
}

export type TargetParse = { ok: true; value: number } | { ok: false; message: string };

/**
 * A typed target in the KPI's display unit to the engine's unit: money in yuan to minor units
 * (exactly, no float maths), a ratio in percent to a fraction, days / index / counts as typed.
 */
export function targetFromInput(unit: KpiUnit, text: string): TargetParse {
  const trimmed = text.trim().replace(/,/g, "");
  if (unit === "money") {
    const parsed = parseAmount(trimmed);
    if (!parsed.ok) return { ok: false, message: "plans.validation.number" };
    if (parsed.minor < 0) return { ok: false, message: "plans.validation.notNegative" };
    return { ok: true, value: parsed.minor };
  }
  if (!/^-?\d+(\.\d{1,4})?$/.test(trimmed)) return { ok: false, message: "plans.validation.number" };
  const value = Number(trimmed);
  if (unit === "count" && !Number.isInteger(value)) return { ok: false, message: "plans.validation.wholeNumber" };
  if (value < 0) return { ok: false, message: "plans.validation.notNegative" };
  // 12.5 % -> 0.125: divide the decimal text, not a float product, so 0.1 + 0.2 surprises cannot creep in.
  return { ok: true, value: unit === "ratio" ? Number((value / 100).toFixed(6)) : value };
}

/** The stored target as the form shows it again. */
export function targetToInput(unit: KpiUnit, value: number | null): string {
  if (value === null) return "";
  if (unit === "money") return minorToMajorString(value);
  if (unit === "ratio") return String(Number((value * 100).toFixed(4)));
  return String(value);
}
