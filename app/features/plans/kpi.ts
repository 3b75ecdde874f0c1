/**
 * A plan item's KPI link between the form and the engine: targets typed in the units people
 * read (yuan, percent, days) and stored in the engine's (minor units, fractions), and the date
 * the baseline is taken as of.
 */
import { addDays } from "~/kernel/dates";
import type { KpiUnit } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import { minorToMajorString } from "~/kernel/money";

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

// Spaces people type or paste inside and around figures: ASCII, no-break, ideographic.
const SPACES = /[\s\u00a0\u3000]+/g;
// A plain or thousands-grouped number with an optional fraction: 8000000, 8,000,000, 800.5, .5
const NUMBER = /^(-?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?$/;
// The multipliers of Chinese amounts, longest first so 万元 is not read as 万 + 元.
const MONEY_SUFFIXES: ReadonlyArray<[string, number]> = [
  ["亿元", 8],
  ["亿", 8],
  ["万元", 4],
  ["万", 4],
  ["元", 0],
];

function splitNumber(text: string): { negative: boolean; integer: string; fraction: string } | null {
  const match = NUMBER.exec(text);
  if (!match) return null;
  const [, sign, grouped = "", fraction = ""] = match;
  const integer = grouped.replace(/,/g, "");
  if (integer === "" && fraction === "") return null;
  return { negative: sign === "-", integer, fraction };
}

/**
 * Yuan as typed in a Chinese office to minor units, exactly (digit strings, no float maths):
 * "8000000", "8,000,000", "¥8,000,000.50", "800万", "800万元", "0.8亿", "8000000元". The amount
 * must come down to whole fen.
 */
function moneyFromInput(text: string): TargetParse {
  let rest = text.replace(/^[¥￥]/, "");
  let shift = 2;
  for (const [suffix, power] of MONEY_SUFFIXES) {
    if (rest.endsWith(suffix)) {
      rest = rest.slice(0, -suffix.length);
      shift += power;
      break;
    }
  }
  const number = splitNumber(rest);
  if (!number) return { ok: false, message: "plans.validation.money" };
  if (number.negative && /[1-9]/.test(number.integer + number.fraction)) return { ok: false, message: "plans.validation.notNegative" };
  // Moving the decimal point `shift` places right must leave no fraction of a fen.
  if (number.fraction.replace(/0+$/, "").length > shift) return { ok: false, message: "plans.validation.fen" };
  const digits = (number.integer + number.fraction.padEnd(shift, "0").slice(0, shift)).replace(/^0+/, "");
  if (digits.length > 16 || (digits.length === 16 && digits > String(Number.MAX_SAFE_INTEGER))) {
    return { ok: false, message: "plans.validation.tooLarge" };
  }
  return { ok: true, value: digits === "" ? 0 : Number(digits) };
}

/**
 * The one parser of a typed target, in the KPI's display unit, to the engine's unit: money in
 * yuan (plain, grouped, or with 万 / 亿) to minor units; a ratio in percent to a fraction; a
 * percent, days or a count as typed (a trailing % is allowed on percentages).
 */
export function targetFromInput(unit: KpiUnit, text: string): TargetParse {
  const compact = text.replace(SPACES, "");
  if (unit === "money") return moneyFromInput(compact);
  const plain = unit === "ratio" || unit === "percent" ? compact.replace(/[%％]$/, "") : compact;
  const number = splitNumber(plain);
  if (!number || number.fraction.length > 4) return { ok: false, message: "plans.validation.number" };
  const value = Number(`${number.negative ? "-" : ""}${number.integer || "0"}.${number.fraction || "0"}`);
  if (unit === "count" && !Number.isInteger(value)) return { ok: false, message: "plans.validation.wholeNumber" };
  if (value < 0) return { ok: false, message: "plans.validation.notNegative" };
  // 12.5 % -> 0.125: round the quotient to the precision typed, so 0.1 + 0.2 surprises cannot creep in.
  return { ok: true, value: unit === "ratio" ? Number((value / 100).toFixed(6)) : value + 0 };
}

/** The stored target as the form shows it again. */
export function targetToInput(unit: KpiUnit, value: number | null): string {
  if (value === null) return "";
  // Whole yuan without ".00", as people type them.
  if (unit === "money") return minorToMajorString(value).replace(/\.00$/, "");
  if (unit === "ratio") return String(Number((value * 100).toFixed(4)));
  return String(value);
}
