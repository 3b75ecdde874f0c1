/**
 * Money is integer minor units (fen, cents) end to end (KPIS.md section 1). This module is the
 * one place amounts are parsed from text and formatted for people. Parsing works on the digit
 * strings, never through floats, so "0.29" is 29 and not 28.999999.
 */

/** Why text is not an amount, for callers that word the message themselves (the import). */
export type AmountProblem = "empty" | "invalid" | "grouping" | "decimals" | "tooLarge";

export type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string; problem: AmountProblem; text: string };

export type AmountUnit = "yuan" | "wan";

export interface FormatAmountOptions {
  locale: "en" | "zh-CN";
  /** ISO 4217 code, e.g. "CNY" */
  currency: string;
  /** 'wan' shows ten-thousands of the major unit with 2 decimals: "9,649.00 万元" */
  unit?: AmountUnit;
  /** 'wan' only: the number alone ("9,649.00"), for a table whose header states the unit once */
  unitInHeader?: boolean;
}

/** The words a table header gives its amounts in 'wan' (the cells then show numbers only). */
export function wanUnitText(currency: string): string {
  return currency === "CNY" ? "万元" : `万 ${currency}`;
}

// Sign, then an optional currency symbol (either order: "-¥5" and "¥-5"), then the number.
const AMOUNT = /^(-?)\s*([¥￥$]?)\s*(-?)\s*(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;
// Spaces people paste around numbers: ASCII, no-break, ideographic.
const OUTER_SPACE = /^[\s\u00a0\u3000]+|[\s\u00a0\u3000]+$/g;

/**
 * Parses `12345.67`, `12,345.67`, `12345`, `.5`, `¥1,000`, `$ 3.10`, `￥5`, `-5` into minor
 * units. A leading minus gives a negative value: the caller decides whether that is allowed.
 */
export function parseAmount(text: string): ParsedAmount {
  const trimmed = text.replace(OUTER_SPACE, "");
  const fail = (problem: AmountProblem, message: string): ParsedAmount => ({ ok: false, message, problem, text: trimmed });
  if (trimmed === "") return fail("empty", "is empty");
  const match = AMOUNT.exec(trimmed);
  if (!match) {
    return groupingHint(trimmed)
      ? fail("grouping", `"${trimmed}" is not a valid amount (check the thousands separators)`)
      : fail("invalid", `"${trimmed}" is not a valid amount`);
  }
  const [, signBefore, , signAfter, integerText, fractionText] = match;
  if (signBefore && signAfter) return fail("invalid", `"${trimmed}" is not a valid amount`);
  // The integer group always takes part in a match (it may be empty, never absent).
  const integerDigits = (integerText ?? "").replace(/,/g, "");
  // "." alone or "5." are typos, not amounts; ".5" is what Excel and some ERPs write.
  if (fractionText === "" || (integerDigits === "" && fractionText === undefined)) {
    return fail("invalid", `"${trimmed}" is not a valid amount`);
  }
  const fraction = fractionText ?? "";
  // Even "12.340" is refused: in many European exports it means twelve thousand three hundred forty.
  if (fraction.length > 2) {
    return fail("decimals", `"${trimmed}" has more than 2 decimal places`);
  }
  const digits = (integerDigits.replace(/^0+/, "") + fraction.padEnd(2, "0")).replace(/^0+/, "");
  // 16+ digits can exceed 2^53 minor units, where integers stop being exact.
  if (digits.length > 16 || (digits.length === 16 && digits > String(Number.MAX_SAFE_INTEGER))) {
    return fail("tooLarge", `"${trimmed}" is too large`);
  }
  const magnitude = digits === "" ? 0 : Number(digits);
  const negative = (signBefore || signAfter) === "-" && magnitude !== 0;
  return { ok: true, minor: negative ? -magnitude : magnitude };
}

function groupingHint(text: string): boolean {
  return /^[-¥￥$\s]*[\d,]+(\.\d*)?$/.test(text);
}

/** "12345.67", "-0.05", "0.00": the exact decimal text of a minor-unit amount. */
export function minorToMajorString(minor: number): string {
  assertMinor(minor);
  const digits = String(Math.abs(minor)).padStart(3, "0");
  const sign = minor < 0 ? "-" : "";
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** For JSON output (KPIS.md section 5: amounts are numbers in major units, e.g. 12345.67). */
export function minorToMajorNumber(minor: number): number {
  return Number(minorToMajorString(minor));
}

/** Locale-aware display, e.g. "¥12,345.67" (zh-CN), "CN¥12,345.67" (en), "9,649.00 万元". */
export function formatAmount(minor: number, options: FormatAmountOptions): string {
  assertMinor(minor);
  // A page shows the same amounts many times (a status table's zero buckets): each text is made once.
  const key = `${options.locale}|${options.currency}|${options.unit ?? ""}|${options.unitInHeader === true ? 1 : 0}`;
  let texts = amountTexts.get(key);
  if (!texts) amountTexts.set(key, (texts = new Map()));
  let text = texts.get(minor);
  if (text === undefined) {
    text = amountText(minor, options);
    // Bounded: a full map starts again rather than growing with every amount ever shown.
    if (texts.size >= MAX_AMOUNT_TEXTS) texts.clear();
    texts.set(minor, text);
  }
  return text;
}

/** Texts of amounts already formatted, by format (locale, currency, unit) and amount. */
const amountTexts = new Map<string, Map<number, string>>();
const MAX_AMOUNT_TEXTS = 10_000;

function amountText(minor: number, options: FormatAmountOptions): string {
  if (options.unit === "wan") {
    // 1 万 = 10,000 major units = 1,000,000 minor units; keep hundredths of a 万, half away from zero.
    const hundredths = Math.sign(minor) * Math.floor((Math.abs(minor) + 5_000) / 10_000);
    const number = numberFormat(options.locale, null).format(decimalText(minorToMajorString(hundredths)));
    return options.unitInHeader ? number : `${number} ${wanUnitText(options.currency)}`;
  }
  return numberFormat(options.locale, options.currency).format(decimalText(minorToMajorString(minor)));
}

/**
 * Making an Intl.NumberFormat costs far more than formatting with one (a dashboard formats
 * hundreds of amounts): one per locale and currency, made on first use. Few locales and
 * currencies exist, so the map stays small.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: FormatAmountOptions["locale"], currency: string | null): Intl.NumberFormat {
  const key = `${locale}|${currency ?? ""}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      ...(currency === null ? {} : { style: "currency" as const, currency }),
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    numberFormats.set(key, format);
  }
  return format;
}

/** Sum of minor-unit amounts; throws when the total leaves the exact-integer range. */
export function sumMinor(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) {
    assertMinor(value);
    total += value;
  }
  assertMinor(total);
  return total;
}

function assertMinor(minor: number): void {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`Amounts must be whole minor units within ±2^53, got ${minor}`);
  }
}

// Intl formats a decimal string exactly (no float rounding near 2^53); the ES2022 lib typing
// only knows number | bigint, hence the cast.
function decimalText(text: string): number {
  // see above: Intl takes the decimal string, the typing does not say so
  return text as unknown as number;
}
