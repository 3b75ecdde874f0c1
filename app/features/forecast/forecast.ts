/**
 * The collections forecast: how much of a scope's receivables comes in, week by week and month by
 * month, after an as-of date. Pure: the reads (open items, payment behaviour, promises, holds,
 * month-end positions, sales) happen in queries.server.ts; this only works the figures out.
 *
 * - Open invoices: each is expected on its due date plus its customer's amount-weighted average
 *   days late over the invoices paid in the trailing 12 months, a young ledger's run-in left out
 *   (behaviourMonths; or the grade's, or the company's,
 *   when the customer paid nothing in that time; `lateness` says which). An invoice already past
 *   that date is spread over the coming months at its aging band's monthly rate of payment.
 *   Open promises to pay and instalments take the place of that date for the amounts they cover
 *   (oldest invoices first). Each amount carries a probability: the share of its aging band
 *   eventually paid (roll rates), halved for customers on stop shipment or with a lawyer's letter,
 *   which are also listed apart.
 * - The portfolio check: roll rates measured on the month-end positions (roll-rates.ts) give the
 *   expected write-off, and the month-to-month spread of the collection rate the low/high range.
 * - Invoices not issued yet: the last three months' sales, shaped by last year's seasonality,
 *   issued evenly over each day and paid over the following days as the collection curve says
 *   (without one, a log-normal with the scope's average and spread of days from issue to payment).
 * - A second reading of what is already invoiced: the same curve on each past day's sales, held to
 *   the last 13 weeks' collections; it takes the place of the open invoices' reading over the next
 *   13 weeks (fading over the 13 after) for the customers not shown apart and the amounts not
 *   promised, and holds the new sales' curve by the same hold, up to all that is billed (pace.ts).
 *
 * Amounts are minor units, fractional inside; figures are rounded once, per period.
 */
import { addDays, addMonths, datePartsOf, daysInMonth, toEpochDay, fromEpochDay } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { type BandRates, absorption } from "./roll-rates";
import { type PaceReading, weighInCurve } from "./pace";

/** Aging bands of the portfolio check: current, 1–30, 31–60, 61–90 and over 90 days past due. */
export const FORECAST_BANDS = ["current", "1_30", "31_60", "61_90", "over_90"] as const;
export type ForecastBand = (typeof FORECAST_BANDS)[number];

/** Sums over a customer's (or grade's, or company's) invoices paid in a window, minor units × days. */
export interface PaymentBehaviour {
  paidAmount: number;
  /** Σ amount × days from due date to payment (negative when early) */
  lateAmountDays: number;
  /** Σ amount × days from issue date to payment */
  payAmountDays: number;
  /** the same with the days squared: their spread around the average */
  lateAmountDaysSq: number;
  payAmountDaysSq: number;
}

export interface ForecastCustomer {
  id: number;
  code: string;
  name: string;
  grade: string | null;
  /** why the customer is shown apart, or null */
  apart: "stop_shipment" | "lawyer_letter" | null;
}

export interface OpenInvoice {
  customerId: number;
  dueDate: IsoDate;
  /** open amount at the as-of date, minor units > 0 */
  open: number;
}

/**
 * Open invoices as columns, one entry per invoice at the same index: a company has some 100k of
 * them, and a read that makes no object per invoice is what keeps its forecast fast.
 */
export interface OpenInvoiceColumns {
  readonly length: number;
  readonly customerId: Int32Array;
  /** the due date as an epoch day (kernel/dates toEpochDay) */
  readonly dueDay: Int32Array;
  /** open amount at the as-of date, minor units > 0 */
  readonly open: Float64Array;
}

export function openInvoiceColumns(invoices: readonly OpenInvoice[] | OpenInvoiceColumns): OpenInvoiceColumns {
  if ("dueDay" in invoices) return invoices;
  const list = invoices;
  const columns = { length: list.length, customerId: new Int32Array(list.length), dueDay: new Int32Array(list.length), open: new Float64Array(list.length) };
  list.forEach((invoice, i) => {
    columns.customerId[i] = invoice.customerId;
    columns.dueDay[i] = toEpochDay(invoice.dueDate);
    columns.open[i] = invoice.open;
  });
  return columns;
}

/** The columns as one object per invoice, in their order (for the few readers that want them so). */
export function openInvoiceList(invoices: readonly OpenInvoice[] | OpenInvoiceColumns): OpenInvoice[] {
  if (!("dueDay" in invoices)) return [...invoices];
  const columns = invoices;
  const dates = new Map<number, IsoDate>();
  return Array.from({ length: columns.length }, (_, i) => {
    const day = columns.dueDay[i] ?? 0;
    let dueDate = dates.get(day);
    if (dueDate === undefined) dates.set(day, (dueDate = fromEpochDay(day)));
    return { customerId: columns.customerId[i] ?? 0, dueDate, open: columns.open[i] ?? 0 };
  });
}

/** An open promise to pay or instalment: what is still to come (amount − paid). */
export interface OpenPromise {
  customerId: number;
  dueOn: IsoDate;
  amount: number;
}

/** A scope's position at one month end: the five bands' balances and the month's write-offs and collections. */
export interface MonthPosition {
  monthEnd: IsoDate;
  bands: readonly number[];
  /** written off in the month ending on monthEnd */
  writtenOff: number;
  /** collected in the month ending on monthEnd */
  collected: number;
}

export interface ForecastInputs {
  asOf: IsoDate;
  weeks: number;
  customers: readonly ForecastCustomer[];
  /** as the reads give them (columns), or one object each */
  invoices: readonly OpenInvoice[] | OpenInvoiceColumns;
  promises: readonly OpenPromise[];
  /** by customer id; customers without paid invoices in the window are absent */
  behaviour: ReadonlyMap<number, PaymentBehaviour>;
  /** the whole company's customers by grade, and the company's: the fallbacks */
  gradeBehaviour: ReadonlyMap<string, PaymentBehaviour>;
  companyBehaviour: PaymentBehaviour;
  /** the scope's month ends, oldest first, up to 13 before asOf */
  positions: readonly MonthPosition[];
  /** the positions at the WRITE_OFF_MONTHS + 1 month ends before asOf, for the write-off rate (default: positions) */
  writeOffPositions?: readonly MonthPosition[];
  /** the scope's sales by month "YYYY-MM" for the 24 months before asOf's month and that month through asOf */
  sales: ReadonlyMap<string, number>;
  /**
   * The collection curve's cohorts (the scope's grade's, or the company's): by month of issue, the
   * amount issued (days −1) and settled by whole days from issue to payment. Without them new sales
   * are paid over a log-normal with the scope's average and spread of days to pay.
   */
  lagCohorts?: readonly LagCohortRow[];
  /** the credit grade whose cohorts these are, null for the company's */
  lagGrade?: string | null;
  /**
   * Collected (payments and offsets) in the TRAILING_DAYS days through asOf: what holds the
   * collection curve to the money that really came in. Without it the forecast is the open
   * invoices' alone.
   */
  trailingCollected?: number;
  /** the months of payments the days late were measured on (behaviourMonths); default the 12 full months before asOf's */
  behaviourWindow?: BehaviourWindow;
}

/** The months of payments the days late are measured on, and the ledger's first month with sales that may have shortened them. */
export interface BehaviourWindow {
  fromMonth: string;
  toMonth: string;
  firstSalesMonth: string | null;
}

export { TRAILING_DAYS } from "./pace";

/** One month of issue's amount issued (days −1) or settled so many days after issue. */
export interface LagCohortRow {
  month: string;
  days: number;
  amount: number;
}

/** Months of issue a collection curve's day is measured on: the latest this many that have all reached it. */
export const CURVE_COHORTS = 12;
/** Days after issue the curve is read to for sales already invoiced (the job keeps LAG_DAYS = 400, later ones on the last). */
export const CURVE_READ_DAYS = 401;

/**
 * The collection curve at asOf: for each day d after issue, the share of sales settled on it,
 * measured on the latest CURVE_COHORTS months of issue whose every invoice was d days old by asOf
 * (settled on d ÷ issued, summed over those months). Measured by cohort, a young ledger's curve is
 * not cut short: a month's slow payers count only once all its invoices could have paid. Days no
 * month has reached yet stay 0; null without any such month.
 */
export function cohortCurve(rows: readonly LagCohortRow[], asOf: IsoDate, maxDays: number): number[] | null {
  const issued = new Map<string, number>();
  const paid = new Map<string, number[]>();
  for (const row of rows) {
    if (row.days < 0) issued.set(row.month, (issued.get(row.month) ?? 0) + row.amount);
    else if (row.days < maxDays) {
      const list = paid.get(row.month) ?? new Array<number>(maxDays).fill(0);
      list[row.days] = (list[row.days] ?? 0) + row.amount;
      paid.set(row.month, list);
    }
  }
  const months = [...issued.keys()].filter((m) => (issued.get(m) ?? 0) > 0).sort();
  if (months.length === 0) return null;
  const asOfDay = toEpochDay(asOf);
  const ends = months.map((m) => toEpochDay(monthEndOf(m)));
  const curve = new Array<number>(maxDays).fill(0);
  let any = false;
  for (let d = 0; d < maxDays; d++) {
    let settled = 0;
    let base = 0;
    let taken = 0;
    for (let i = months.length - 1; i >= 0 && taken < CURVE_COHORTS; i--) {
      if ((ends[i] ?? Infinity) + d > asOfDay) continue;
      const month = months[i] ?? "";
      settled += paid.get(month)?.[d] ?? 0;
      base += issued.get(month) ?? 0;
      taken += 1;
    }
    if (base > 0) {
      curve[d] = settled / base;
      any = true;
    }
  }
  return any ? curve : null;
}

/** Share of the curve's total by whose day a ledger counts as run in: its slowest tenth of sales may still be unpaid. */
export const RAMP_SHARE = 0.9;
/** Fewest months of payments the behaviour is measured on, however young the ledger. */
export const BEHAVIOUR_MIN_MONTHS = 3;

/**
 * The months of payments the customers' days late are measured on: the 12 full months before
 * asOf's month, but none paid while the ledger was still running in. In a ledger's first months
 * only the invoices paid fast can have been paid at all (the slow ones are not due yet), so their
 * payments make every customer look faster than it is, and the open invoices are expected too
 * soon. The run-in lasts from the ledger's first month with sales (`firstSalesMonth`, the whole
 * ledger's whatever the scope) for as many months as the collection curve takes to reach
 * RAMP_SHARE of its total, rounded up to whole months. A young ledger's curve is measured only as
 * far as its oldest months of issue reach: a curve still rising on its last measured day says
 * the run-in lasts at least that long. The window keeps at least BEHAVIOUR_MIN_MONTHS months.
 * Without a curve or a first month, or on a ledger older than the window plus the run-in, the 12
 * months as they are.
 */
export function behaviourMonths(asOf: IsoDate, firstSalesMonth: string | null, curve: readonly number[] | null): { fromMonth: string; toMonth: string } {
  const asOfMonth = monthKey(asOf);
  const toMonth = monthKeyAdd(asOfMonth, -1);
  const window = { fromMonth: monthKeyAdd(asOfMonth, -12), toMonth };
  if (!curve || firstSalesMonth === null) return window;
  const total = curve.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return window;
  // the last day any month of issue has reached (days beyond it are 0 for want of data)
  let measured = 0;
  for (let d = 0; d < curve.length; d++) if ((curve[d] ?? 0) > 0) measured = d;
  let reached = 0;
  let day = 0;
  for (; day < curve.length; day++) {
    reached += curve[day] ?? 0;
    if (reached >= RAMP_SHARE * total) break;
  }
  // a young ledger: what is measured is the curve's start, its 90 % no sooner than its last measured day
  const ledgerDays = toEpochDay(asOf) - toEpochDay(`${firstSalesMonth}-01`);
  if (measured >= ledgerDays - 45) day = Math.max(day, measured);
  const runIn = Math.ceil((day + 1) / 30);
  const latestStart = monthKeyAdd(toMonth, -(BEHAVIOUR_MIN_MONTHS - 1));
  const afterRunIn = monthKeyAdd(firstSalesMonth, runIn);
  const fromMonth = afterRunIn > window.fromMonth ? afterRunIn : window.fromMonth;
  return { fromMonth: fromMonth > latestStart ? latestStart : fromMonth, toMonth };
}

/** The months from `fromMonth` through `toMonth`, both counted. */
export function monthsIn(window: { fromMonth: string; toMonth: string }): number {
  const index = (key: string) => Number(key.slice(0, 4)) * 12 + Number(key.slice(5, 7));
  return index(window.toMonth) - index(window.fromMonth) + 1;
}

/** Whether a young ledger's run-in made the window shorter than the usual 12 months. */
export function windowShortened(window: { fromMonth: string; toMonth: string }): boolean {
  return monthsIn(window) < 12;
}

/** The first month with sales in a monthly sales map, or null. */
export function firstMonthWithSales(sales: ReadonlyMap<string, number>): string | null {
  let first: string | null = null;
  for (const [key, amount] of sales) if (amount > 0 && (first === null || key < first)) first = key;
  return first;
}

function monthEndOf(month: string): IsoDate {
  const { year, month: m } = datePartsOf(`${month}-01`);
  return `${month}-${String(daysInMonth(year, m)).padStart(2, "0")}`;
}

export type LatenessSource = "customer" | "grade" | "company" | "none";

export interface ForecastPeriod {
  start: IsoDate;
  end: IsoDate;
  open: number;
  newSales: number;
  expected: number;
  low: number;
  high: number;
}

export interface ForecastMonth {
  month: string;
  open: number;
  newSales: number;
  expected: number;
  low: number;
  high: number;
}

/** A customer's expected collections of what is open, within the 12 months (what the push planner ranks). */
export interface CustomerOutlook {
  customerId: number;
  open: number;
  expected: number;
  /** expected ÷ open, 0 when nothing is open */
  probability: number;
  /** the first day on which money is expected, null when none is */
  firstExpected: IsoDate | null;
  lateness: LatenessSource;
  averageDaysLate: number;
  apart: ForecastCustomer["apart"];
}

export interface Forecast {
  asOf: IsoDate;
  weeks: ForecastPeriod[];
  months: ForecastMonth[];
  expectedWriteOff: number;
  /** open invoices (by amount) whose days late came from each source */
  lateness: Record<LatenessSource, number>;
  rollRates: BandRates[] | null;
  /** relative half-width of the low/high range */
  spread: number;
  customers: CustomerOutlook[];
  /** the daily sales rate behind new_sales, by forecast month */
  newSalesBilled: { month: string; billed: number }[];
  averageDaysToPay: number;
  /** how the curve's reading of the invoiced sales weighs in (pace.ts); null when it could not be read */
  pace: PaceReading | null;
  /** the months of payments the days late were measured on */
  behaviourWindow: BehaviourWindow;
}

/** Probability factor of customers on stop shipment or with a lawyer's letter. */
export const APART_FACTOR = 0.5;
/** Months the forecast runs: the monthly view's length and the horizon of spread payments. */
export const FORECAST_MONTHS = 12;
/** An ~80 % range: 1.28 standard deviations of the monthly collection rate. */
const RANGE_Z = 1.28;
const DEFAULT_SPREAD = 0.2;
/** Monthly payment rate of overdue amounts when no roll rates could be measured. */
const DEFAULT_MONTHLY_PAID = 0.35;

export function bandOf(daysPastDue: number): number {
  if (daysPastDue <= 0) return 0;
  if (daysPastDue <= 30) return 1;
  if (daysPastDue <= 60) return 2;
  if (daysPastDue <= 90) return 3;
  return 4;
}

export function averageDaysLate(behaviour: PaymentBehaviour | undefined): number | null {
  return behaviour && behaviour.paidAmount > 0 ? behaviour.lateAmountDays / behaviour.paidAmount : null;
}

/**
 * Half the width, in whole days, of the even spread with the same average and standard deviation
 * as the amount-weighted days (√3 × σ): payments are expected across it, not on one day.
 */
export function halfWidth(sum: number, sumSquares: number, amount: number): number {
  if (amount <= 0) return 0;
  const mean = sum / amount;
  return Math.round(Math.sqrt(3 * Math.max(0, sumSquares / amount - mean * mean)));
}

/** Φ, the standard normal distribution function (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Shares of an invoice paid on each day after its issue (index = days), for days to pay with this
 * average and spread: a log-normal, skewed as payment delays are (most near the terms, a long tail
 * of late payers), with that mean and standard deviation; cut at `days`.
 */
export function daysToPayShares(mean: number, sd: number, days: number): Float64Array {
  const shares = new Float64Array(days);
  if (mean <= 0) {
    if (days > 0) shares[0] = 1;
    return shares;
  }
  if (sd <= 0) {
    const day = Math.round(mean);
    if (day < days) shares[day] = 1;
    return shares;
  }
  const s2 = Math.log(1 + (sd * sd) / (mean * mean));
  const s = Math.sqrt(s2);
  const m = Math.log(mean) - s2 / 2;
  // day d takes the days to pay in (d − ½, d + ½]
  const cdf = (x: number) => (x <= 0 ? 0 : normalCdf((Math.log(x) - m) / s));
  for (let d = 0; d < days; d++) shares[d] = cdf(d + 0.5) - cdf(d - 0.5);
  return shares;
}

const latenessFrom = (behaviour: PaymentBehaviour, source: LatenessSource) => ({
  days: behaviour.lateAmountDays / behaviour.paidAmount,
  halfWidth: halfWidth(behaviour.lateAmountDays, behaviour.lateAmountDaysSq, behaviour.paidAmount),
  source,
});

/** Which average days late (and spread) an invoice of this customer uses, and where it came from. */
export function latenessOf(
  customer: ForecastCustomer | undefined,
  inputs: Pick<ForecastInputs, "behaviour" | "gradeBehaviour" | "companyBehaviour">,
): { days: number; halfWidth: number; source: LatenessSource } {
  const own = customer ? inputs.behaviour.get(customer.id) : undefined;
  if (own && own.paidAmount > 0) return latenessFrom(own, "customer");
  const grade = customer?.grade ? inputs.gradeBehaviour.get(customer.grade) : undefined;
  if (grade && grade.paidAmount > 0) return latenessFrom(grade, "grade");
  if (inputs.companyBehaviour.paidAmount > 0) return latenessFrom(inputs.companyBehaviour, "company");
  return { days: 0, halfWidth: 0, source: "none" };
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

/**
 * Monthly roll rates from consecutive month ends (pooled: Σ numerator ÷ Σ denominator). The
 * 30-day bands move whole into the next band or are paid; over 90 stays, is written off (the
 * month's write-offs) or is paid. Its inflow from 61–90 is taken at the 31–60 band's roll rate,
 * the month ends keeping balances, not movements. Null when no month has a balance.
 */
/**
 * Months over which the share of the oldest band written off is measured. Write-offs are rare
 * and come in batches (once a year, once the write-off is approved): the 12 months the other
 * rates are measured over can miss the year's batch altogether and say nothing is ever lost.
 */
export const WRITE_OFF_MONTHS = 24;

export function measureRollRates(positions: readonly MonthPosition[], writeOffPositions: readonly MonthPosition[] = positions): BandRates[] | null {
  const sums = { roll: [0, 0, 0, 0], base: [0, 0, 0, 0], stay: 0, bad: 0, overBase: 0 };
  const band = (p: MonthPosition, i: number) => p.bands[i] ?? 0;
  for (let m = 0; m + 1 < positions.length; m++) {
    const now = positions[m];
    const next = positions[m + 1];
    if (!now || !next) continue;
    for (let i = 0; i < 3; i++) {
      sums.roll[i] = (sums.roll[i] ?? 0) + Math.min(band(next, i + 1), band(now, i));
      sums.base[i] = (sums.base[i] ?? 0) + band(now, i);
    }
    const roll2 = ratio(band(next, 3), band(now, 2)) ?? 0.5;
    const inflow = Math.min(band(now, 3), band(now, 3) * clamp01(roll2));
    sums.roll[3] = (sums.roll[3] ?? 0) + inflow;
    sums.base[3] = (sums.base[3] ?? 0) + band(now, 3);
    sums.stay += Math.max(0, Math.min(band(now, 4), band(next, 4) - inflow));
    sums.overBase += band(now, 4);
  }
  // the write-offs over the longer history (the positions themselves when none is given)
  let badBase = 0;
  for (let m = 0; m + 1 < writeOffPositions.length; m++) {
    const now = writeOffPositions[m];
    const next = writeOffPositions[m + 1];
    if (!now || !next) continue;
    sums.bad += Math.min(band(now, 4), next.writtenOff);
    badBase += band(now, 4);
  }
  if (sums.base.every((b) => b === 0) && sums.overBase === 0) return null;
  const rows: BandRates[] = [];
  for (let i = 0; i < 4; i++) {
    const roll = clamp01(ratio(sums.roll[i] ?? 0, sums.base[i] ?? 0) ?? 0.5);
    const next = [0, 0, 0, 0, 0];
    next[i + 1] = roll;
    rows.push({ paid: 1 - roll, bad: 0, next });
  }
  const bad = clamp01(ratio(sums.bad, badBase) ?? 0.05);
  // At least some of the oldest band is settled each month, or the chain never absorbs it.
  const stay = Math.min(clamp01(ratio(sums.stay, sums.overBase) ?? 0.8), 0.98 - bad);
  rows.push({ paid: Math.max(0, 1 - stay - bad), bad, next: [0, 0, 0, 0, Math.max(0, stay)] });
  return rows.map((row) => normalised(row));
}

function normalised(row: BandRates): BandRates {
  const total = row.paid + row.bad + row.next.reduce((a, b) => a + b, 0);
  return { paid: row.paid / total, bad: row.bad / total, next: row.next.map((n) => n / total) };
}

/**
 * Relative half-width of the range: 1.28 × the coefficient of variation of the monthly collection
 * rate (collected in a month ÷ receivables at the month end before), bounded to 5–90 %.
 */
export function collectionSpread(positions: readonly MonthPosition[]): number {
  const rates: number[] = [];
  for (let m = 0; m + 1 < positions.length; m++) {
    const now = positions[m];
    const next = positions[m + 1];
    const total = now ? now.bands.reduce((a, b) => a + b, 0) : 0;
    if (now && next && total > 0) rates.push(next.collected / total);
  }
  if (rates.length < 3) return DEFAULT_SPREAD;
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  if (mean <= 0) return DEFAULT_SPREAD;
  const variance = rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1);
  return Math.min(0.9, Math.max(0.05, (RANGE_Z * Math.sqrt(variance)) / mean));
}

/** Month key "YYYY-MM" of a date. */
export function monthKey(date: IsoDate): string {
  return date.slice(0, 7);
}

function monthKeyAdd(key: string, count: number): string {
  return monthKey(addMonths(`${key}-01`, count));
}

/**
 * Sales expected in a future month: the average of the last three full months through asOf
 * (the run-rate) × last year's same month ÷ last year's average of those three months (the
 * seasonality, bounded to ¼–4×; 1 without last year's sales). Last year counts only when the
 * ledger's first month with sales is the month before those three or earlier: a ledger's first
 * month is usually only part of one, and taken whole it would make every later month look like a
 * peak. A month without sales after that is a real month (a sparse scope, a dead season).
 */
export function expectedSales(sales: ReadonlyMap<string, number>, asOf: IsoDate, month: string): number {
  // asOf on its month's last day makes that month the latest full one
  const next = monthKey(addDays(asOf, 1));
  const recent = [1, 2, 3].map((k) => sales.get(monthKeyAdd(next, -k)) ?? 0);
  const runRate = recent.reduce((a, b) => a + b, 0) / 3;
  const lastYear = [13, 14, 15].map((k) => sales.get(monthKeyAdd(next, -k)) ?? 0);
  const lastYearBase = lastYear.reduce((a, b) => a + b, 0) / 3;
  const lastYearMonth = sales.get(monthKeyAdd(month, -12));
  // the ledger's first month with sales, wherever it is; a month without sales later on is data
  const firstMonth = firstMonthWithSales(sales);
  const running = firstMonth !== null && firstMonth <= monthKeyAdd(next, -16) && lastYearBase > 0;
  const season = running && lastYearMonth !== undefined ? Math.min(4, Math.max(0.25, lastYearMonth / lastYearBase)) : 1;
  return runRate * season;
}

/**
 * Shares of an invoice paid on each day after its issue (index = days) from a collection curve
 * (shares of sales settled by days to pay), stretched by `stretch`: the curve's shape (how
 * payments bunch at the terms, how long the tail is) at a scope's own pace. A curve's day d moves
 * to d × stretch, split between the two whole days around it. The shares keep the curve's total
 * (what is never paid stays unpaid). Null when the curve is empty.
 */
export function curveShares(lags: readonly number[], stretch: number, days: number): Float64Array | null {
  if (!lags.some((amount) => amount > 0)) return null;
  const shares = new Float64Array(days);
  lags.forEach((amount, day) => {
    if (amount <= 0) return;
    const at = day * stretch;
    const low = Math.floor(at);
    const part = at - low;
    if (low < days) shares[low] = (shares[low] ?? 0) + (1 - part) * amount;
    if (part > 0 && low + 1 < days) shares[low + 1] = (shares[low + 1] ?? 0) + part * amount;
  });
  return shares;
}

/**
 * The share of an amount spread from asOf at a monthly payment rate `rate` that falls on each day:
 * month k (30 days) gets rate × (1 − rate)^(k−1), evenly over its days, for `days` days.
 */
export function spreadShares(rate: number, days: number): Float64Array {
  const shares = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    const k = Math.floor(d / 30);
    shares[d] = (rate * (1 - rate) ** k) / 30;
  }
  return shares;
}

/** The forecast's weekly and monthly periods for an as-of date. */
export function forecastPeriods(asOf: IsoDate, weeks: number): { weeks: { start: IsoDate; end: IsoDate }[]; months: string[] } {
  return {
    weeks: Array.from({ length: weeks }, (_, k) => ({ start: addDays(asOf, 7 * k + 1), end: addDays(asOf, 7 * (k + 1)) })),
    months: Array.from({ length: FORECAST_MONTHS }, (_, k) => monthKeyAdd(monthKey(addDays(asOf, 1)), k)),
  };
}

export function computeForecast(inputs: ForecastInputs): Forecast {
  const asOfDay = toEpochDay(inputs.asOf);
  const periods = forecastPeriods(inputs.asOf, inputs.weeks);
  const lastMonth = periods.months[periods.months.length - 1] ?? monthKey(inputs.asOf);
  const horizonEnd = toEpochDay(`${lastMonth}-${String(daysInMonth(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)))).padStart(2, "0")}`);
  const lastDay = Math.max(horizonEnd, asOfDay + 7 * inputs.weeks);

  const rates = measureRollRates(inputs.positions, inputs.writeOffPositions);
  const outcome = rates ? absorption(rates) : null;
  const eventualPaid = (band: number) => outcome?.paid[band] ?? 1;
  const eventualBad = (band: number) => outcome?.bad[band] ?? 0;
  // An amount past its expected day settles at a monthly rate of 1 ÷ the expected months its band
  // stays unsettled (the fundamental matrix's row sum): a geometric spread with the chain's mean.
  const monthlyPaid = (band: number) => {
    const months = outcome?.months[band]?.reduce((a, b) => a + b, 0);
    return months && months >= 1 ? 1 / months : DEFAULT_MONTHLY_PAID;
  };
  const spread = collectionSpread(inputs.positions);

  const customers = new Map(inputs.customers.map((c) => [c.id, c]));
  const horizon = lastDay - asOfDay;
  // Expected collections by day after asOf (index 0 = asOf + 1): open (safe, apart) and new sales.
  const openSafe = new Float64Array(horizon);
  const openApart = new Float64Array(horizon);
  const newSales = new Float64Array(horizon);
  // Even spreads over runs of days are added as differences and summed once (a run costs 2 writes).
  const safeSteps = new Float64Array(horizon + 1);
  const apartSteps = new Float64Array(horizon + 1);
  // Promised amounts (promises to pay, instalments) on their own: the curve's reading does not
  // replace what a customer said it will pay on a day.
  const promisedSafeSteps = new Float64Array(horizon + 1);
  const promisedApartSteps = new Float64Array(horizon + 1);
  const paidFromNewSales = new Float64Array(horizon + 1);
  /** `perDay` on each day from `from` to `to` (epoch days, inclusive), clipped to the horizon. */
  const addRun = (steps: Float64Array, from: number, to: number, perDay: number) => {
    const first = Math.max(0, from - asOfDay - 1);
    const last = Math.min(horizon - 1, to - asOfDay - 1);
    if (last < first) return;
    steps[first] = (steps[first] ?? 0) + perDay;
    steps[last + 1] = (steps[last + 1] ?? 0) - perDay;
  };
  // Amounts past their expected day, by band and apart, spread once at the end.
  const toSpreadSafe = new Float64Array(FORECAST_BANDS.length);
  const toSpreadApart = new Float64Array(FORECAST_BANDS.length);
  const shares = FORECAST_BANDS.map((_, band) => spreadShares(monthlyPaid(band), horizon));
  const sharesWithin = shares.map((s) => s.reduce((a, b) => a + b, 0));
  const outlook = new Map<number, CustomerOutlook>();
  /** each customer's expected from its promises, which the curve's reading leaves as they are */
  const promisedBy = new Map<number, number>();
  const lateness: Record<LatenessSource, number> = { customer: 0, grade: 0, company: 0, none: 0 };
  let expectedWriteOff = 0;
  // the customers not shown apart's open invoices not wholly promised, and their amount not promised:
  // what the curve's reading stands for (pace.ts)
  let curveInvoices = 0;
  let curveOpen = 0;

  // Promises cover a customer's invoices oldest first: their remaining amounts by customer.
  const promisesBy = new Map<number, OpenPromise[]>();
  for (const promise of inputs.promises) {
    if (promise.amount <= 0) continue;
    const list = promisesBy.get(promise.customerId) ?? [];
    list.push(promise);
    promisesBy.set(promise.customerId, list);
  }
  for (const list of promisesBy.values()) list.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0));

  // The invoices grouped by customer without an object per invoice (a counting sort): customers in
  // the order the reads hand them over, each one's invoices in that order too, so that every sum
  // below adds the same amounts in the same order whatever the shape of the read. Only a customer
  // with promises needs its invoices oldest first (the promises cover them in that order).
  const invoices = openInvoiceColumns(inputs.invoices);
  const count = invoices.length;
  const customerOf = invoices.customerId;
  const dueOf = invoices.dueDay;
  const openOf = invoices.open;
  let maxId = 0;
  for (let i = 0; i < count; i++) maxId = Math.max(maxId, customerOf[i] ?? 0);
  // customer id → 1 + its group (0: not seen yet); ids are the customers table's, so dense
  const groupSlot = new Int32Array(maxId + 1);
  const groupCustomer: number[] = [];
  const groupSize: number[] = [];
  const invoiceGroup = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const id = customerOf[i] ?? 0;
    let group = (groupSlot[id] ?? 0) - 1;
    if (group < 0) {
      group = groupCustomer.length;
      groupSlot[id] = group + 1;
      groupCustomer.push(id);
      groupSize.push(0);
    }
    invoiceGroup[i] = group;
    groupSize[group] = (groupSize[group] ?? 0) + 1;
  }
  const groupStart = new Int32Array(groupCustomer.length + 1);
  for (let g = 0; g < groupCustomer.length; g++) groupStart[g + 1] = (groupStart[g] ?? 0) + (groupSize[g] ?? 0);
  const filled = groupStart.slice(0, groupCustomer.length);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const group = invoiceGroup[i] ?? 0;
    order[filled[group] ?? 0] = i;
    filled[group] = (filled[group] ?? 0) + 1;
  }

  const paidByBand = FORECAST_BANDS.map((_, band) => eventualPaid(band));
  const badByBand = FORECAST_BANDS.map((_, band) => eventualBad(band));
  // Per-invoice work is kept to arithmetic on numbers: each customer's lateness is looked up once,
  // its expected amount and first expected day are kept in locals until its last invoice.
  for (let group = 0; group < groupCustomer.length; group++) {
    const customerId = groupCustomer[group] ?? 0;
    const customer = customers.get(customerId);
    const apart = customer?.apart ?? null;
    const late = latenessOf(customer, inputs);
    const view: CustomerOutlook = { customerId, open: 0, expected: 0, probability: 0, firstExpected: null, lateness: late.source, averageDaysLate: late.days, apart };
    outlook.set(customerId, view);
    const shift = Math.round(late.days);
    const halfWidth = late.halfWidth;
    const steps = apart ? apartSteps : safeSteps;
    const promisedSteps = apart ? promisedApartSteps : promisedSafeSteps;
    const toSpreadBy = apart ? toSpreadApart : toSpreadSafe;
    let expected = 0;
    let promisedExpected = 0;
    let first = Infinity;
    /** `amount` evenly over the days from..to (epoch days); what falls in the horizon counts. */
    const expectOver = (from: number, to: number, amount: number, into = steps) => {
      const perDay = amount / (to - from + 1);
      addRun(into, from, to, perDay);
      const inside = Math.min(to, lastDay) - Math.max(from, asOfDay + 1) + 1;
      if (inside <= 0) return;
      expected += perDay * inside;
      if (into !== steps) promisedExpected += perDay * inside;
      const day = Math.max(from, asOfDay + 1);
      if (day < first) first = day;
    };
    const promises = promisesBy.get(customerId) ?? [];
    let members: ArrayLike<number> = order.subarray(groupStart[group] ?? 0, groupStart[group + 1] ?? 0);
    // oldest first, ties in the read's order (the indices grow with it)
    if (promises.length > 0) members = Array.from(members).sort((a, b) => (dueOf[a] ?? 0) - (dueOf[b] ?? 0) || a - b);
    let promiseIndex = 0;
    let promiseLeft = promises[0]?.amount ?? 0;
    for (let m = 0; m < members.length; m++) {
      const i = members[m] ?? 0;
      const open = openOf[i] ?? 0;
      lateness[late.source] += open;
      const dueDay = dueOf[i] ?? 0;
      const band = bandOf(asOfDay - dueDay);
      const probability = (paidByBand[band] ?? 1) * (apart ? APART_FACTOR : 1);
      expectedWriteOff += open * (badByBand[band] ?? 0);
      view.open += open;

      // The promised part first.
      let unpromised = open;
      while (unpromised > 0 && promiseIndex < promises.length) {
        const promise = promises[promiseIndex];
        if (!promise) break;
        const covered = Math.min(unpromised, promiseLeft);
        const promisedDay = Math.max(asOfDay + 1, toEpochDay(promise.dueOn));
        if (covered > 0) expectOver(promisedDay, promisedDay, covered * probability, promisedSteps);
        unpromised -= covered;
        promiseLeft -= covered;
        if (promiseLeft <= 0) {
          promiseIndex += 1;
          promiseLeft = promises[promiseIndex]?.amount ?? 0;
        }
      }
      if (unpromised <= 0) continue;
      if (!apart) {
        curveInvoices += 1;
        curveOpen += unpromised;
      }
      // Expected evenly over the customer's spread of days late around the average; the part of it
      // already past (not paid then) moves onto the days left of it.
      const expectedDay = dueDay + shift;
      const latest = expectedDay + halfWidth;
      if (latest > asOfDay) expectOver(Math.max(asOfDay + 1, expectedDay - halfWidth), latest, unpromised * probability);
      else {
        toSpreadBy[band] = (toSpreadBy[band] ?? 0) + unpromised * probability;
        expected += unpromised * probability * (sharesWithin[band] ?? 0);
        if (asOfDay + 1 < first) first = asOfDay + 1;
      }
    }
    view.expected = expected;
    if (promisedExpected > 0) promisedBy.set(customerId, promisedExpected);
    if (first !== Infinity) view.firstExpected = fromEpochDay(first);
  }
  let safeRun = 0;
  let apartRun = 0;
  let promisedSafeRun = 0;
  let promisedApartRun = 0;
  const promisedSafe = new Float64Array(horizon);
  const promisedApart = new Float64Array(horizon);
  for (let d = 0; d < horizon; d++) {
    safeRun += safeSteps[d] ?? 0;
    apartRun += apartSteps[d] ?? 0;
    promisedSafeRun += promisedSafeSteps[d] ?? 0;
    promisedApartRun += promisedApartSteps[d] ?? 0;
    openSafe[d] = safeRun;
    openApart[d] = apartRun;
    promisedSafe[d] = promisedSafeRun;
    promisedApart[d] = promisedApartRun;
  }
  shares.forEach((share, band) => {
    const safe = toSpreadSafe[band] ?? 0;
    const apart = toSpreadApart[band] ?? 0;
    for (let d = 0; d < horizon; d++) {
      openSafe[d] = (openSafe[d] ?? 0) + safe * (share[d] ?? 0);
      openApart[d] = (openApart[d] ?? 0) + apart * (share[d] ?? 0);
    }
  });

  // Invoices not issued yet.
  const scopePay = { paid: 0, days: 0, squares: 0 };
  for (const behaviour of inputs.behaviour.values()) {
    scopePay.paid += behaviour.paidAmount;
    scopePay.days += behaviour.payAmountDays;
    scopePay.squares += behaviour.payAmountDaysSq;
  }
  const company = inputs.companyBehaviour;
  const pay = scopePay.paid > 0 ? scopePay : { paid: company.paidAmount, days: company.payAmountDays, squares: company.payAmountDaysSq };
  const meanDaysToPay = ratio(pay.days, pay.paid) ?? 30;
  const averageDaysToPay = Math.max(0, Math.round(meanDaysToPay));
  const sdDaysToPay = pay.paid > 0 ? Math.sqrt(Math.max(0, pay.squares / pay.paid - meanDaysToPay ** 2)) : 0;
  // the measured curve already leaves out what is never paid; the log-normal takes the roll rates' share
  // long enough for the invoiced sales' reading too: what is settled LAG_DAYS or more after issue sits on that day
  const curveDays = Math.max(horizon, CURVE_READ_DAYS);
  const curve = inputs.lagCohorts ? cohortCurve(inputs.lagCohorts, inputs.asOf, curveDays) : null;
  // a scope narrower than the curve's group pays at its own pace: the curve stretched by the
  // scope's average days to pay ÷ the group's (both over the same 12 months of payments)
  const group = inputs.lagGrade ? inputs.gradeBehaviour.get(inputs.lagGrade) : company;
  const groupMean = group ? ratio(group.payAmountDays, group.paidAmount) : null;
  const stretch = groupMean && groupMean > 0 && scopePay.paid > 0 ? meanDaysToPay / groupMean : 1;
  // the new sales' curve ends at the horizon, as measured
  const curveLags = curve ? curveShares(curve.slice(0, horizon), stretch, horizon) : null;
  const payShares = curveLags ?? daysToPayShares(meanDaysToPay, sdDaysToPay, horizon);
  const newSalesBilled: { month: string; billed: number }[] = [];
  const newSalesProbability = curveLags ? 1 : eventualPaid(0);
  const issued = new Float64Array(horizon);
  for (let k = 0; k < FORECAST_MONTHS; k++) {
    const month = monthKeyAdd(monthKey(addDays(inputs.asOf, 1)), k);
    const { year, month: m } = datePartsOf(`${month}-01`);
    const length = daysInMonth(year, m);
    const billed = expectedSales(inputs.sales, inputs.asOf, month);
    newSalesBilled.push({ month, billed });
    const first = toEpochDay(`${month}-01`);
    for (let d = 0; d < length; d++) {
      const index = first + d - asOfDay - 1;
      if (index >= 0 && index < horizon) issued[index] = (billed / length) * newSalesProbability;
    }
  }
  // each day's issue paid over the following days by the days-to-pay shares
  for (let i = 0; i < horizon; i++) {
    const amount = issued[i] ?? 0;
    if (amount === 0) continue;
    for (let lag = 0; i + lag < horizon; lag++) {
      const share = payShares[lag] ?? 0;
      if (share > 0) paidFromNewSales[i + lag] = (paidFromNewSales[i + lag] ?? 0) + amount * share;
    }
  }
  newSales.set(paidFromNewSales.subarray(0, horizon));

  // The invoiced sales read by the curve, held to what came in, in the open invoices' place over
  // the first 13 weeks (pace.ts).
  const readLags = curve ? curveShares(curve, stretch, curveDays) : null;
  const { pace, factor, apartFactor, apartAsInvoiced } = weighInCurve(
    { safe: openSafe, apart: openApart, promisedSafe, promisedApart, newSales },
    {
      sales: inputs.sales,
      asOf: inputs.asOf,
      lags: readLags,
      curveDays,
      trailingCollected: inputs.trailingCollected,
      invoices: curveInvoices,
      open: curveOpen,
    },
  );

  type Sums = { open: number; newSales: number; safe: number; risky: number; riskyAsInvoiced: number };
  const sumDays = (from: number, to: number): Sums => {
    const sums = { open: 0, newSales: 0, safe: 0, risky: 0, riskyAsInvoiced: 0 };
    for (let day = Math.max(from, asOfDay + 1); day <= Math.min(to, lastDay); day++) {
      const i = day - asOfDay - 1;
      const safe = openSafe[i] ?? 0;
      const risky = openApart[i] ?? 0;
      const fresh = newSales[i] ?? 0;
      sums.open += safe + risky;
      sums.newSales += fresh;
      sums.safe += safe + fresh;
      sums.risky += risky;
      sums.riskyAsInvoiced += apartAsInvoiced[i] ?? 0;
    }
    return sums;
  };
  const range = (bucket: Sums) => ({
    low: Math.round(bucket.safe * (1 - spread)),
    // the customers shown apart may still pay in full: the high end undoes their lower probability,
    // on what their invoices say, not scaled by the curve's reading
    high: Math.round(bucket.safe * (1 + spread) + bucket.riskyAsInvoiced / APART_FACTOR),
  });
  const finish = (bucket: Sums) => {
    const open = Math.round(bucket.open);
    const fresh = Math.round(bucket.newSales);
    return { open, newSales: fresh, expected: open + fresh, ...range(bucket) };
  };
  const weekly = periods.weeks.map((week) => ({ ...week, ...finish(sumDays(toEpochDay(week.start), toEpochDay(week.end))) }));
  const monthly = periods.months.map((month) => {
    const first = toEpochDay(`${month}-01`);
    const { year, month: m } = datePartsOf(`${month}-01`);
    return { month, ...finish(sumDays(first, first + daysInMonth(year, m) - 1)) };
  });

  for (const view of outlook.values()) {
    // each customer's share of the open book's figures as the weeks count them: the unpromised part
    // scaled as the curve's reading scaled its kind's expected (never above what it has open)
    const promised = promisedBy.get(view.customerId) ?? 0;
    const scale = view.apart ? apartFactor : factor;
    if (scale !== 1) view.expected = Math.min(view.open, promised + scale * (view.expected - promised));
    view.probability = view.open > 0 ? view.expected / view.open : 0;
    view.expected = Math.round(view.expected);
  }
  return {
    asOf: inputs.asOf,
    weeks: weekly,
    months: monthly,
    expectedWriteOff: Math.round(expectedWriteOff),
    lateness,
    rollRates: rates,
    spread,
    customers: [...outlook.values()].sort((a, b) => b.expected - a.expected || a.customerId - b.customerId),
    newSalesBilled,
    averageDaysToPay,
    pace,
    behaviourWindow: inputs.behaviourWindow ?? { ...behaviourMonths(inputs.asOf, null, null), firstSalesMonth: null },
  };
}
