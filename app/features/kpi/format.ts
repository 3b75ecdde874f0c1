/**
 * Number text for KPI figures, built from digits rather than Intl: Node's and Chromium's ICU
 * differ in small ways (spacing, signs), which would break hydration (see utils/format.ts).
 * English and Chinese both group thousands with "," and use "." for decimals.
 */
import type { KpiUnit } from "~/features/kpi/register";

export type NumberLocale = "en" | "zh-CN";

const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MINUS = "\u2212";

function group(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `value` rounded half away from zero to `digits` decimals, grouped: 1234.56 -> "1,234.6". */
export function formatFixed(value: number, digits = 1): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  const scale = 10 ** digits;
  const scaled = Math.round(Math.abs(value) * scale);
  const negative = value < 0 && scaled !== 0;
  const text = String(scaled).padStart(digits + 1, "0");
  const integer = group(text.slice(0, text.length - digits));
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : "";
  return `${negative ? MINUS : ""}${integer}${fraction}`;
}

/** A change with its sign always shown: "+1.5", "−0.3", "0.0". */
export function formatSigned(value: number, digits = 1): string {
  const text = formatFixed(value, digits);
  return text.startsWith(MINUS) || /^[0.,]+$/.test(text) ? text : `+${text}`;
}

/** Decimals shown per unit: days, percentages and ratios to a tenth, counts whole. */
export const UNIT_DIGITS: Record<Exclude<KpiUnit, "money">, number> = { ratio: 1, percent: 1, days: 1, count: 0 };

/**
 * The number text of a non-money KPI: ratios as percentages ("47.4"), CEI as it is ("70.0"),
 * days and counts as numbers. The caller adds "%" or "days" in the viewer's language.
 */
export function formatKpiNumber(value: number, unit: Exclude<KpiUnit, "money">): string {
  return formatFixed(unit === "ratio" ? value * 100 : value, UNIT_DIGITS[unit]);
}

/** The change of a non-money KPI: percentage points for ratios and CEI, days, customers. */
export function formatKpiDelta(delta: number, unit: Exclude<KpiUnit, "money">): string {
  return formatSigned(unit === "ratio" ? delta * 100 : delta, UNIT_DIGITS[unit]);
}

/**
 * Short amounts for chart axes, from minor units: "12.3M" / "1.2B" in English, "1,234万" /
 * "1.2亿" in Chinese, where money is counted in ten thousands.
 */
export function compactAmount(minor: number, locale: NumberLocale): string {
  const major = minor / 100;
  const size = Math.abs(major);
  const steps: [number, string][] =
    locale === "zh-CN"
      ? [
          [1e8, "亿"],
          [1e4, "万"],
        ]
      : [
          [1e9, "B"],
          [1e6, "M"],
          [1e3, "K"],
        ];
  for (const [step, suffix] of steps) {
    if (size >= step) {
      const scaled = major / step;
      return `${formatFixed(scaled, Math.abs(scaled) >= 100 ? 0 : 1)}${suffix}`;
    }
  }
  return formatFixed(major, 0);
}

/** "Nov 2026" / "2026年11月" for a `YYYY-MM` month. */
export function monthLabel(month: string, locale: NumberLocale): string {
  const year = Number(month.slice(0, 4));
  const number = Number(month.slice(5, 7));
  return locale === "zh-CN" ? `${year}年${number}月` : `${MONTHS_EN[number - 1]} ${year}`;
}

/**
 * "Q3 2026" / "2026年第3季度"; with a fiscal year that does not start in January the year is
 * the fiscal year, named by the calendar year it ends in: "FY2026 Q3" / "2026财年第3季度".
 */
export function quarterLabel(fiscalYear: number, quarter: number, locale: NumberLocale, fiscalStartMonth = 1): string {
  const calendar = fiscalStartMonth === 1;
  if (locale === "zh-CN") return calendar ? `${fiscalYear}年第${quarter}季度` : `${fiscalYear}财年第${quarter}季度`;
  return calendar ? `Q${quarter} ${fiscalYear}` : `FY${fiscalYear} Q${quarter}`;
}
