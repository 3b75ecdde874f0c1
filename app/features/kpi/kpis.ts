/**
 * The KPIs of KPIS.md section 4 for one slice of the ledger (already filtered to a scope),
 * as of the end of day D.
 *
 * Built in three layers so a database-backed path can replace the sums with SQL and keep
 * the rules:
 *   1. `openItemsAsOf` (open-items.ts) -> `receivablesPosition`: balances and aging at a date;
 *   2. period sums: `salesBetween`, `collectedBetween`, `writtenOffBetween`, `countbackSales`;
 *   3. `kpisFromInputs`: the ratios, from the integers of 1 and 2 only.
 *
 * Money is integer minor units throughout; only ratios and days are floating point, each
 * computed once from integer sums in the contract's own order of operations
 * (`ar_total / credit_sales_90d * 90`), so a spreadsheet doing the same gets the same digits.
 *
 * The `KpiValues` keys are the contract's KPI keys (snake_case) on purpose: plan items, the
 * register and the JSON interface all name KPIs by these keys.
 */
import type {
  AdjustmentRecord,
  CustomerRecord,
  InvoiceRecord,
  IsoDate,
  LedgerSnapshot,
  PaymentRecord,
} from "~/kernel/ledger/types";
import {
  addDays,
  days,
  isValidIsoDate,
  lastDayOfPreviousFiscalYear,
  monthSpansBack,
  quarterStart,
  type MonthSpan,
} from "~/kernel/dates";
import { type Aging, agingBucket, emptyAging } from "~/kernel/ledger/aging";
import { openItemsAsOf, type OpenItems } from "~/kernel/ledger/open-items";

// The buckets live in the kernel: the customer page ages one customer's invoices the same way.
export { AGING_BUCKETS, agingBucket, emptyAging } from "~/kernel/ledger/aging";
export type { Aging, AgingBucket } from "~/kernel/ledger/aging";

export const ISSUE_AGE_BUCKETS = ["0_365", "366_730", "731_1095", "over_1095"] as const;
export type IssueAgeBucket = (typeof ISSUE_AGE_BUCKETS)[number];
export type AgingByIssue = Record<IssueAgeBucket, number>;

/** Days of sales behind `dso`, `bpdso` and `credit_sales_90d`. */
export const DSO_WINDOW_DAYS = 90;
/** The countback walks back at most this many months, D's own month included. */
export const COUNTBACK_MAX_MONTHS = 36;

/** Every key of KPIS.md section 4, in the contract's order. */
export const KPI_KEYS = [
  "ar_total",
  "unapplied_credit",
  "current",
  "overdue_total",
  "overdue_ratio",
  "aging",
  "aging_by_issue",
  "credit_sales_90d",
  "dso",
  "dso_countback",
  "bpdso",
  "add",
  "billed",
  "collected",
  "collection_rate",
  "cei",
  "written_off",
  "bad_debt_ratio",
  "overdue_at_baseline",
  "overdue_reduction",
  "customers_overdue",
  "customers_over_limit",
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/** Money in integer minor units; ratios as fractions; `cei` in percent; days unrounded. */
export interface KpiValues {
  ar_total: number;
  unapplied_credit: number;
  current: number;
  overdue_total: number;
  overdue_ratio: number | null;
  aging: Aging;
  aging_by_issue: AgingByIssue;
  credit_sales_90d: number;
  dso: number | null;
  dso_countback: number;
  bpdso: number | null;
  add: number | null;
  billed: number;
  collected: number;
  collection_rate: number | null;
  cei: number | null;
  written_off: number;
  bad_debt_ratio: number | null;
  overdue_at_baseline: number;
  overdue_reduction: number | null;
  customers_overdue: number;
  customers_over_limit: number;
}

// Compile-time check that KPI_KEYS and KpiValues name the same keys.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const keysMatch: Same<KpiKey, keyof KpiValues> = true;
void keysMatch;

// ---------------------------------------------------------------- buckets

/** The provisioning band of an invoice issued `daysSinceIssue` days before D. */
export function issueAgeBucket(daysSinceIssue: number): IssueAgeBucket {
  if (daysSinceIssue <= 365) return "0_365";
  if (daysSinceIssue <= 730) return "366_730";
  if (daysSinceIssue <= 1095) return "731_1095";
  return "over_1095";
}

export function emptyAgingByIssue(): AgingByIssue {
  return { "0_365": 0, "366_730": 0, "731_1095": 0, over_1095: 0 };
}

// ---------------------------------------------------------------- layer 1: balances at a date

/** Balances at the end of one date, all integer minor units or counts. */
export interface ReceivablesPosition {
  asOf: IsoDate;
  arTotal: number;
  unappliedCredit: number;
  current: number;
  overdueTotal: number;
  aging: Aging;
  agingByIssue: AgingByIssue;
  customersOverdue: number;
  customersOverLimit: number;
}

/**
 * Sums open items into balances and aging. `customers` supplies credit limits; a limit of
 * null or 0 means "no limit" and never counts as exceeded.
 */
export function receivablesPosition(
  openItems: OpenItems,
  customers: readonly CustomerRecord[]
): ReceivablesPosition {
  const { asOf } = openItems;
  const aging = emptyAging();
  const agingByIssue = emptyAgingByIssue();
  const creditLimits = new Map(customers.map((customer) => [customer.code, customer.creditLimit]));
  let arTotal = 0;
  let unappliedCredit = 0;
  let customersOverdue = 0;
  let customersOverLimit = 0;

  for (const customer of openItems.customers) {
    let customerOverdue = 0;
    for (const invoice of customer.invoices) {
      if (invoice.openAmount === 0) continue;
      const bucket = agingBucket(days(invoice.dueDate, asOf));
      aging[bucket] += invoice.openAmount;
      agingByIssue[issueAgeBucket(days(invoice.issueDate, asOf))] += invoice.openAmount;
      if (bucket !== "current") customerOverdue += invoice.openAmount;
    }
    arTotal += customer.arTotal;
    unappliedCredit += customer.unappliedCredit;
    if (customerOverdue > 0) customersOverdue += 1;
    const limit = creditLimits.get(customer.customerCode) ?? null;
    if (limit !== null && limit > 0 && customer.arTotal > limit) customersOverLimit += 1;
  }

  return {
    asOf,
    arTotal,
    unappliedCredit,
    current: aging.current,
    overdueTotal: arTotal - aging.current,
    aging,
    agingByIssue,
    customersOverdue,
    customersOverLimit,
  };
}

// ---------------------------------------------------------------- layer 2: period sums

/** Sales(S, E): invoice amounts with issue date in [start, end]. */
export function salesBetween(
  invoices: readonly InvoiceRecord[],
  start: IsoDate,
  end: IsoDate
): number {
  let total = 0;
  for (const invoice of invoices) {
    if (invoice.issueDate >= start && invoice.issueDate <= end) total += invoice.amount;
  }
  return total;
}

/** Collected(S, E): payments plus `offset` adjustments dated in [start, end]. */
export function collectedBetween(
  payments: readonly PaymentRecord[],
  adjustments: readonly AdjustmentRecord[],
  start: IsoDate,
  end: IsoDate
): number {
  let total = 0;
  for (const payment of payments) {
    if (payment.date >= start && payment.date <= end) total += payment.amount;
  }
  // Offsets settle the debt with value received; credit notes and write-offs do not.
  return total + adjustmentsBetween(adjustments, "offset", start, end);
}

/** Write-off adjustments dated in [start, end]. */
export function writtenOffBetween(
  adjustments: readonly AdjustmentRecord[],
  start: IsoDate,
  end: IsoDate
): number {
  return adjustmentsBetween(adjustments, "write_off", start, end);
}

function adjustmentsBetween(
  adjustments: readonly AdjustmentRecord[],
  type: AdjustmentRecord["type"],
  start: IsoDate,
  end: IsoDate
): number {
  let total = 0;
  for (const adjustment of adjustments) {
    if (adjustment.type === type && adjustment.date >= start && adjustment.date <= end)
      total += adjustment.amount;
  }
  return total;
}

/** One month of the countback walk: its days and its sales (minor units). */
export interface MonthlySales extends MonthSpan {
  sales: number;
}

/**
 * The countback months, newest first: D's month from its 1st to D, then whole earlier months,
 * `months` in all.
 */
export function countbackSales(
  invoices: readonly InvoiceRecord[],
  asOf: IsoDate,
  months = COUNTBACK_MAX_MONTHS
): MonthlySales[] {
  const spans = monthSpansBack(asOf, months);
  const salesByMonth = new Map<string, number>();
  const earliest = spans[spans.length - 1]?.start ?? asOf;
  for (const invoice of invoices) {
    if (invoice.issueDate < earliest || invoice.issueDate > asOf) continue;
    const month = invoice.issueDate.slice(0, 7);
    salesByMonth.set(month, (salesByMonth.get(month) ?? 0) + invoice.amount);
  }
  return spans.map((span) => ({ ...span, sales: salesByMonth.get(span.start.slice(0, 7)) ?? 0 }));
}

// ---------------------------------------------------------------- layer 3: the formulas

function ratioOrNull(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** `ar_total / credit_sales_90d * 90`; null without sales in the window. */
export function dsoOf(arTotal: number, creditSales90d: number): number | null {
  return creditSales90d === 0 ? null : (arTotal / creditSales90d) * DSO_WINDOW_DAYS;
}

/** Best possible DSO: the same with only current (not overdue) receivables. */
export function bpdsoOf(current: number, creditSales90d: number): number | null {
  return dsoOf(current, creditSales90d);
}

/** Average days delinquent: `dso - bpdso`. */
export function addOf(dso: number | null, bpdso: number | null): number | null {
  return dso === null || bpdso === null ? null : dso - bpdso;
}

/**
 * Countback DSO over `months` (newest first, as `countbackSales` returns them): peel each
 * month's sales off the receivables until they are used up; the month that more than covers
 * the rest counts pro rata. Walks at most 36 months.
 *
 * Once the receivables are used up exactly, the walk stops: further months (even ones with no
 * sales) explain nothing, which is the contract's own reason for "ar_total = 0 gives 0".
 */
export function countbackDso(
  arTotal: number,
  months: readonly Pick<MonthlySales, "days" | "sales">[]
): number {
  let remaining = arTotal;
  let dayCount = 0;
  for (const { days: monthDays, sales } of months.slice(0, COUNTBACK_MAX_MONTHS)) {
    if (remaining <= 0) break;
    if (remaining >= sales) {
      remaining -= sales;
      dayCount += monthDays;
    } else {
      dayCount += (monthDays * remaining) / sales;
      break;
    }
  }
  return dayCount;
}

export interface CollectionInputs {
  /** ar_total at the end of the day before the period started. */
  openingArTotal: number;
  billed: number;
  collected: number;
}

/** `collected / (opening ar_total + billed)`; null when there was nothing to collect. */
export function collectionRateOf({
  openingArTotal,
  billed,
  collected,
}: CollectionInputs): number | null {
  return ratioOrNull(collected, openingArTotal + billed);
}

export interface CeiInputs {
  openingArTotal: number;
  billed: number;
  /** ar_total at D */
  arTotal: number;
  /** current (not overdue) receivables at D */
  current: number;
}

/** Collection effectiveness index in percent; null when the denominator is 0. */
export function ceiOf({ openingArTotal, billed, arTotal, current }: CeiInputs): number | null {
  const collectible = openingArTotal + billed - current;
  if (collectible === 0) return null;
  return ((openingArTotal + billed - arTotal) / collectible) * 100;
}

/** Share of the baseline's overdue amount that is gone by D; null without baseline overdue. */
export function overdueReductionOf(overdueAtBaseline: number, overdueTotal: number): number | null {
  return ratioOrNull(overdueAtBaseline - overdueTotal, overdueAtBaseline);
}

/** Everything the formulas need, as integers: what a database fast path has to supply. */
export interface KpiInputs {
  /** Balances at D. */
  position: ReceivablesPosition;
  /** ar_total at P0 - 1. */
  openingArTotal: number;
  /** overdue_total at the baseline date. */
  overdueAtBaseline: number;
  /** Sales(D - 89, D). */
  creditSales90d: number;
  /** Countback months, newest first. */
  countbackMonths: readonly Pick<MonthlySales, "days" | "sales">[];
  /** Sales(P0, D). */
  billed: number;
  /** Collected(P0, D). */
  collected: number;
  /** Write-offs dated in [P0, D]. */
  writtenOff: number;
}

export function kpisFromInputs(inputs: KpiInputs): KpiValues {
  const {
    position,
    openingArTotal,
    overdueAtBaseline,
    creditSales90d,
    billed,
    collected,
    writtenOff,
  } = inputs;
  const dso = dsoOf(position.arTotal, creditSales90d);
  const bpdso = bpdsoOf(position.current, creditSales90d);
  return {
    ar_total: position.arTotal,
    unapplied_credit: position.unappliedCredit,
    current: position.current,
    overdue_total: position.overdueTotal,
    overdue_ratio: ratioOrNull(position.overdueTotal, position.arTotal),
    aging: { ...position.aging },
    aging_by_issue: { ...position.agingByIssue },
    credit_sales_90d: creditSales90d,
    dso,
    dso_countback: countbackDso(position.arTotal, inputs.countbackMonths),
    bpdso,
    add: addOf(dso, bpdso),
    billed,
    collected,
    collection_rate: collectionRateOf({ openingArTotal, billed, collected }),
    cei: ceiOf({ openingArTotal, billed, arTotal: position.arTotal, current: position.current }),
    written_off: writtenOff,
    bad_debt_ratio: ratioOrNull(writtenOff, billed),
    overdue_at_baseline: overdueAtBaseline,
    overdue_reduction: overdueReductionOf(overdueAtBaseline, position.overdueTotal),
    customers_overdue: position.customersOverdue,
    customers_over_limit: position.customersOverLimit,
  };
}

// ---------------------------------------------------------------- dates and the whole computation

export interface KpiOptions {
  asOf: IsoDate;
  /** P0; default the first day of D's fiscal quarter. Must be <= asOf. */
  periodStart?: IsoDate;
  /** B; default the last day of the previous fiscal year. May be any date. */
  baseline?: IsoDate;
  /** 1-12, the installation's fiscal-year start month (1 = calendar quarters). */
  fiscalStartMonth: number;
}

/** The dates a KPI computation uses, defaults resolved. */
export interface KpiPeriod {
  asOf: IsoDate;
  periodStart: IsoDate;
  /** The end of the period is always D. */
  periodEnd: IsoDate;
  /** P0 - 1: where the opening receivables of CEI and the collection rate are taken. */
  openingDate: IsoDate;
  baselineDate: IsoDate;
  /** D - 89: first day of the 90-day sales window. */
  salesWindowStart: IsoDate;
}

export function resolveKpiPeriod({
  asOf,
  periodStart,
  baseline,
  fiscalStartMonth,
}: KpiOptions): KpiPeriod {
  for (const [name, value] of [
    ["asOf", asOf],
    ["periodStart", periodStart],
    ["baseline", baseline],
  ] as const) {
    if (value !== undefined && !isValidIsoDate(value)) {
      throw new RangeError(`${name} must be a real date YYYY-MM-DD, got ${JSON.stringify(value)}`);
    }
  }
  const start = periodStart ?? quarterStart(asOf, fiscalStartMonth);
  if (start > asOf) throw new RangeError(`Period start ${start} is after the as-of date ${asOf}`);
  return {
    asOf,
    periodStart: start,
    periodEnd: asOf,
    openingDate: addDays(start, -1),
    baselineDate: baseline ?? lastDayOfPreviousFiscalYear(asOf, fiscalStartMonth),
    salesWindowStart: addDays(asOf, -(DSO_WINDOW_DAYS - 1)),
  };
}

/** Gathers the integer inputs from an in-memory snapshot. */
export function kpiInputsFromSnapshot(snapshot: LedgerSnapshot, period: KpiPeriod): KpiInputs {
  const { asOf, periodStart, openingDate, baselineDate, salesWindowStart } = period;
  const positionAt = (date: IsoDate) =>
    receivablesPosition(openItemsAsOf(snapshot, date), snapshot.customers);
  return {
    position: positionAt(asOf),
    openingArTotal: positionAt(openingDate).arTotal,
    overdueAtBaseline: positionAt(baselineDate).overdueTotal,
    creditSales90d: salesBetween(snapshot.invoices, salesWindowStart, asOf),
    countbackMonths: countbackSales(snapshot.invoices, asOf),
    billed: salesBetween(snapshot.invoices, periodStart, asOf),
    collected: collectedBetween(snapshot.payments, snapshot.adjustments, periodStart, asOf),
    writtenOff: writtenOffBetween(snapshot.adjustments, periodStart, asOf),
  };
}

/** Every section-4 KPI for the snapshot (already filtered to the scope) at the end of D. */
export function computeKpis(snapshot: LedgerSnapshot, options: KpiOptions): KpiValues {
  return kpisFromInputs(kpiInputsFromSnapshot(snapshot, resolveKpiPeriod(options)));
}

// ---------------------------------------------------------------- the JSON interface (section 5)

type MajorUnits<T> = { [K in keyof T]: number };

export interface KpiJson extends Omit<KpiValues, "aging" | "aging_by_issue"> {
  as_of: IsoDate;
  scope: string;
  currency: string;
  period: { start: IsoDate; end: IsoDate };
  baseline_date: IsoDate;
  aging: MajorUnits<Aging>;
  aging_by_issue: MajorUnits<AgingByIssue>;
}

export interface KpiJsonMeta {
  asOf: IsoDate;
  periodStart: IsoDate;
  baselineDate: IsoDate;
  /** e.g. "company", "customer:C001", "owner:a@b.cn", "region:East", "grade:A" */
  scope: string;
  currency: string;
}

/** Money fields of `KpiValues` (minor units) that the JSON gives in major units. */
const MONEY_KEYS = [
  "ar_total",
  "unapplied_credit",
  "current",
  "overdue_total",
  "credit_sales_90d",
  "billed",
  "collected",
  "written_off",
  "overdue_at_baseline",
] as const satisfies readonly KpiKey[];

// Minor units are whole numbers, so one division gives the nearest double: 1234567 -> 12345.67.
const toMajor = (minor: number): number => minor / 100;

function recordToMajor<T extends Record<string, number>>(record: T): MajorUnits<T> {
  // Object.fromEntries over every key gives each key a value
  return Object.fromEntries(
    Object.entries(record).map(([key, minor]) => [key, toMajor(minor)])
  ) as MajorUnits<T>;
}

/** The object `npm run kpi -- --json` prints and `/api/kpis` serves. */
export function kpiJson(values: KpiValues, meta: KpiJsonMeta): KpiJson {
  const json: KpiJson = {
    as_of: meta.asOf,
    scope: meta.scope,
    currency: meta.currency,
    period: { start: meta.periodStart, end: meta.asOf },
    baseline_date: meta.baselineDate,
    ...values,
    aging: recordToMajor(values.aging),
    aging_by_issue: recordToMajor(values.aging_by_issue),
  };
  for (const key of MONEY_KEYS) json[key] = toMajor(values[key]);
  return json;
}
