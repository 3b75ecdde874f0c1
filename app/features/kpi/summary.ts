/**
 * KPI summaries: everything `computeKpis` needs, kept per scope as a step function of the date,
 * so a KPI request reads a few dozen rows instead of the ledger.
 *
 * For one scope (the company, an owner, a region or a grade) and one day D, a summary row holds
 * the balances at the end of D (unapplied credit, open amounts by days past due and by days since
 * issue, customers overdue, customers over their limit) and running totals through D (sales,
 * collections, write-offs). A row is stored only on the days where some value changes; any other
 * day has the values of the latest row before it, and a day before the first row has zeros.
 * Every value changes on finitely many days (the last aging move is 1,096 days after an issue
 * date), so the last row also answers every later date: days passing without imports are
 * already in the rows.
 *
 * Every value is a sum over customers, so the rows are maintained by linearity: an import adds
 * the touched customers' new contributions and subtracts their old ones (`DayDiff`), then merges
 * that difference into the stored rows (`mergeSummaryRows`). Each customer's contribution comes
 * from `sweepPositionHistory`; each open run of an invoice adds its amount to one aging band at
 * a time, moving to the next band on the day the invoice's age crosses a band edge.
 */
import { addDays, monthSpansBack, toEpochDay } from "~/kernel/dates";
import type { AdjustmentType, IsoDate } from "~/kernel/ledger/types";
import {
  AGING_BUCKETS,
  type Aging,
  type AgingByIssue,
  DSO_WINDOW_DAYS,
  COUNTBACK_MAX_MONTHS,
  ISSUE_AGE_BUCKETS,
  type KpiInputs,
  type KpiPeriod,
  type ReceivablesPosition,
} from "~/features/kpi/kpis";
import {
  type HistoryInvoice,
  type HistorySettlement,
  type PositionHistorySink,
  sweepPositionHistory,
} from "~/kernel/ledger/position-history";

/** The values of a summary row, in storage order (the model's column names). */
export const SUMMARY_METRICS = [
  "unapplied_credit",
  "aging_current",
  "aging_1_30",
  "aging_31_60",
  "aging_61_90",
  "aging_91_180",
  "aging_181_365",
  "aging_over_365",
  "issue_0_365",
  "issue_366_730",
  "issue_731_1095",
  "issue_over_1095",
  "customers_overdue",
  "customers_over_limit",
  "sales_to_date",
  "collected_to_date",
  "written_off_to_date",
] as const;
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];
const METRIC_COUNT = SUMMARY_METRICS.length;
const UNAPPLIED = 0;
const AGING_FIRST = 1;
const ISSUE_FIRST = 8;
const CUSTOMERS_OVERDUE = 12;
const CUSTOMERS_OVER_LIMIT = 13;
const SALES = 14;
const COLLECTED = 15;
const WRITTEN_OFF = 16;

/** Days past due at which an open amount enters aging bands 1_30 .. over_365 (see `agingBucket`). */
const AGING_EDGES = [1, 31, 61, 91, 181, 366];
/** Days since issue at which it enters 366_730 .. over_1095 (see `issueAgeBucket`). */
const ISSUE_EDGES = [366, 731, 1096];

/** 9999-12-31: no later day can be asked, so no later change is kept. */
const LAST_EPOCH_DAY = toEpochDay("9999-12-31");
/** Days kept in one dense array per scope; anything farther out goes to a sparse map. */
const MAX_DENSE_DAYS = 20_000;
const SLACK_DAYS = 366;

/** One summary row: a day (epoch day) and `SUMMARY_METRICS.length` integers. */
export interface SummaryRow {
  day: number;
  values: number[];
}

/** A metric of a row (every row has all METRIC_COUNT of them; a missing one counts as 0). */
function valueAt(values: ArrayLike<number>, metric: number): number {
  return values[metric] ?? 0;
}

export function zeroValues(): number[] {
  return new Array<number>(METRIC_COUNT).fill(0);
}

// ---------------------------------------------------------------- scopes

export type SummaryScopeKind = "company" | "owner" | "region" | "grade";

export interface SummaryScope {
  kind: SummaryScopeKind;
  /** "" for the company, the owner's user id, the region or the grade as stored */
  key: string;
}

export interface CustomerScopeFacts {
  ownerId: number | null;
  region: string | null;
  creditGrade: string | null;
}

/** The summary scopes a customer counts in: always the company, and its owner, region, grade. */
export function summaryScopesOf(customer: CustomerScopeFacts): SummaryScope[] {
  const scopes: SummaryScope[] = [{ kind: "company", key: "" }];
  if (customer.ownerId !== null) scopes.push({ kind: "owner", key: String(customer.ownerId) });
  if (customer.region !== null) scopes.push({ kind: "region", key: customer.region });
  if (customer.creditGrade !== null) scopes.push({ kind: "grade", key: customer.creditGrade });
  return scopes;
}

export function scopeId({ kind, key }: SummaryScope): string {
  return `${kind}:${key}`;
}

// ---------------------------------------------------------------- differences by day

/**
 * A difference array over days: `add(day, metric, delta)` means "from this day on, the value
 * changes by delta". Dense over the busy span of days, sparse beyond it.
 */
export class DayDiff {
  private origin = 0;
  private days = 0;
  private data = new Float64Array(0);
  private readonly sparse = new Map<number, Float64Array>();

  add(day: number, metric: number, delta: number): void {
    let offset = day - this.origin;
    if (offset < 0 || offset >= this.days) {
      if (day > LAST_EPOCH_DAY) return;
      if (!this.cover(day)) {
        let values = this.sparse.get(day);
        if (!values) this.sparse.set(day, (values = new Float64Array(METRIC_COUNT)));
        values[metric] = (values[metric] ?? 0) + delta;
        return;
      }
      offset = day - this.origin;
    }
    const index = offset * METRIC_COUNT + metric;
    this.data[index] = (this.data[index] ?? 0) + delta;
  }

  /** Grows the dense span to take `day`, unless that would make it too wide. */
  private cover(day: number): boolean {
    let low: number;
    let high: number;
    // A year of slack on the side that grows: a few reallocations per scope, little unused space.
    if (this.days === 0) {
      low = day - SLACK_DAYS;
      high = day + SLACK_DAYS;
    } else {
      low = day < this.origin ? day - SLACK_DAYS : this.origin;
      high = day >= this.origin + this.days ? day + SLACK_DAYS : this.origin + this.days;
      if (high - low > MAX_DENSE_DAYS) {
        low = Math.min(day, this.origin);
        high = Math.max(day + 1, this.origin + this.days);
      }
    }
    if (high - low > MAX_DENSE_DAYS) return false;
    const data = new Float64Array((high - low) * METRIC_COUNT);
    if (this.days > 0) data.set(this.data, (this.origin - low) * METRIC_COUNT);
    this.data = data;
    this.origin = low;
    this.days = high - low;
    return true;
  }

  /** The days with a non-zero change, in order, with their changes. */
  changes(): { day: number; delta: Float64Array }[] {
    const result: { day: number; delta: Float64Array }[] = [];
    for (let offset = 0; offset < this.days; offset += 1) {
      const start = offset * METRIC_COUNT;
      let nonZero = false;
      for (let m = 0; m < METRIC_COUNT; m += 1) {
        if (this.data[start + m] !== 0) {
          nonZero = true;
          break;
        }
      }
      if (nonZero) result.push({ day: this.origin + offset, delta: this.data.subarray(start, start + METRIC_COUNT) });
    }
    for (const [day, delta] of this.sparse) {
      if (delta.some((v) => v !== 0)) result.push({ day, delta });
    }
    return result.sort((a, b) => a.day - b.day);
  }
}

/** The open amount of a run moves through bands as the run's days pass the band edges. */
function addBandRun(
  targets: readonly DayDiff[],
  firstMetric: number,
  edges: readonly number[],
  anchorDay: number,
  from: number,
  to: number,
  amount: number,
): void {
  let band = 0;
  while (band < edges.length && from - anchorDay >= valueAt(edges, band)) band += 1;
  for (const target of targets) target.add(from, firstMetric + band, amount);
  for (; band < edges.length; band += 1) {
    const day = anchorDay + valueAt(edges, band);
    if (day > to) break;
    for (const target of targets) {
      target.add(day, firstMetric + band, -amount);
      target.add(day, firstMetric + band + 1, amount);
    }
  }
  if (to !== Infinity) for (const target of targets) target.add(to + 1, firstMetric + band, -amount);
}

function addRun(targets: readonly DayDiff[], metric: number, from: number, to: number, amount: number): void {
  for (const target of targets) {
    target.add(from, metric, amount);
    if (to !== Infinity) target.add(to + 1, metric, -amount);
  }
}

/** One customer's documents as the summaries need them (epoch days). */
export interface CustomerHistory {
  invoices: HistoryInvoice[];
  settlements: (HistorySettlement & { kind: "payment" | AdjustmentType })[];
  creditLimit: number | null;
}

/** Adds `sign` (+1 or -1) times the customer's contribution to every target. */
export function addCustomerHistory(targets: readonly DayDiff[], history: CustomerHistory, sign: 1 | -1): void {
  if (targets.length === 0) return;
  sweepPositionHistory(history.invoices, history.settlements, history.creditLimit, customerHistorySink(targets, sign));
  addCustomerFlows(targets, history, sign);
}

/**
 * The balances part of `addCustomerHistory`: the sink a sweep of the customer's documents (with
 * its credit limit) reports to. For a caller that sweeps once for several consumers (the
 * import's re-settlement); it then adds the flows (`addCustomerFlows`) after the sweep.
 */
export function customerHistorySink(targets: readonly DayDiff[], sign: 1 | -1): PositionHistorySink {
  return {
    openRun(invoice, from, to, openAmount) {
      addBandRun(targets, AGING_FIRST, AGING_EDGES, invoice.dueDay, from, to, sign * openAmount);
      addBandRun(targets, ISSUE_FIRST, ISSUE_EDGES, invoice.issueDay, from, to, sign * openAmount);
    },
    unappliedRun(from, to, amount) {
      addRun(targets, UNAPPLIED, from, to, sign * amount);
    },
    overdueRun(from, to) {
      addRun(targets, CUSTOMERS_OVERDUE, from, to, sign);
    },
    overLimitRun(from, to) {
      addRun(targets, CUSTOMERS_OVER_LIMIT, from, to, sign);
    },
  };
}

/** The running totals part of `addCustomerHistory`: sales, collections and write-offs from their days on. */
export function addCustomerFlows(targets: readonly DayDiff[], history: CustomerHistory, sign: 1 | -1): void {
  for (const invoice of history.invoices) addRun(targets, SALES, invoice.issueDay, Infinity, sign * invoice.amount);
  for (const settlement of history.settlements) {
    // Collected: payments and offsets (KPIS.md section 4); credit notes reduce AR but collect nothing.
    const metric =
      settlement.kind === "payment" || settlement.kind === "offset"
        ? COLLECTED
        : settlement.kind === "write_off"
          ? WRITTEN_OFF
          : -1;
    if (metric >= 0) addRun(targets, metric, settlement.day, Infinity, sign * settlement.amount);
  }
}

/**
 * The stored rows from the first changed day on, rewritten with `changes` added.
 * `base`: the values in force the day before the first change; `stored`: the stored rows on or
 * after that day, by day. Returns the rows that replace `stored` (a row only where values change).
 */
export function mergeSummaryRows(
  base: readonly number[],
  stored: readonly SummaryRow[],
  changes: readonly { day: number; delta: ArrayLike<number> }[],
): SummaryRow[] {
  const merged: SummaryRow[] = [];
  let storedValues = base;
  const running = zeroValues();
  let last = base;
  let s = 0;
  let c = 0;
  while (s < stored.length || c < changes.length) {
    const row = stored[s];
    const change = changes[c];
    const day = Math.min(row?.day ?? Infinity, change?.day ?? Infinity);
    if (row && row.day === day) {
      storedValues = row.values;
      s += 1;
    }
    if (change && change.day === day) {
      c += 1;
      for (let m = 0; m < METRIC_COUNT; m += 1) running[m] = valueAt(running, m) + valueAt(change.delta, m);
    }
    const values = storedValues.map((value, m) => value + valueAt(running, m));
    if (values.some((value, m) => value !== last[m])) {
      merged.push({ day, values });
      last = values;
    }
  }
  return merged;
}

// ---------------------------------------------------------------- reading: KPI inputs from rows

/** The days whose rows a KPI computation needs (as of D, the opening day, the baseline, the sales windows). */
export function summaryDaysFor(period: KpiPeriod): IsoDate[] {
  const days = new Set<IsoDate>([
    period.asOf,
    period.openingDate,
    period.baselineDate,
    addDays(period.asOf, -DSO_WINDOW_DAYS),
  ]);
  for (const span of monthSpansBack(period.asOf, COUNTBACK_MAX_MONTHS)) days.add(addDays(span.start, -1));
  return [...days];
}

function sum(values: readonly number[], first: number, count: number): number {
  let total = 0;
  for (let m = first; m < first + count; m += 1) total += valueAt(values, m);
  return total;
}

/** Balances at D from the summary row in force at D. */
export function positionFromSummary(asOf: IsoDate, values: readonly number[]): ReceivablesPosition {
  // Object.fromEntries over every bucket gives each bucket a value
  const aging = Object.fromEntries(AGING_BUCKETS.map((bucket, i) => [bucket, valueAt(values, AGING_FIRST + i)])) as unknown as Aging;
  // Object.fromEntries over every bucket gives each bucket a value
  const agingByIssue = Object.fromEntries(
    ISSUE_AGE_BUCKETS.map((bucket, i) => [bucket, valueAt(values, ISSUE_FIRST + i)]),
  ) as unknown as AgingByIssue;
  const arTotal = sum(values, AGING_FIRST, AGING_BUCKETS.length);
  return {
    asOf,
    arTotal,
    unappliedCredit: valueAt(values, UNAPPLIED),
    current: aging.current,
    overdueTotal: arTotal - aging.current,
    aging,
    agingByIssue,
    customersOverdue: valueAt(values, CUSTOMERS_OVERDUE),
    customersOverLimit: valueAt(values, CUSTOMERS_OVER_LIMIT),
  };
}

/**
 * KPI inputs from the summary rows: `valuesAt(day)` gives the values in force at the end of a
 * day `summaryDaysFor` named. Sums over [S, E] are running totals at E minus those at S - 1.
 */
export function kpiInputsFromSummaries(period: KpiPeriod, valuesAt: (day: IsoDate) => readonly number[]): KpiInputs {
  const { asOf, openingDate, baselineDate } = period;
  const atAsOf = valuesAt(asOf);
  const opening = valuesAt(openingDate);
  const between = (metric: number, dayBeforeStart: IsoDate) => valueAt(atAsOf, metric) - valueAt(valuesAt(dayBeforeStart), metric);
  return {
    position: positionFromSummary(asOf, atAsOf),
    openingArTotal: positionFromSummary(openingDate, opening).arTotal,
    overdueAtBaseline: positionFromSummary(baselineDate, valuesAt(baselineDate)).overdueTotal,
    creditSales90d: between(SALES, addDays(asOf, -DSO_WINDOW_DAYS)),
    countbackMonths: monthSpansBack(asOf, COUNTBACK_MAX_MONTHS).map((span) => ({
      days: span.days,
      sales: valueAt(valuesAt(span.end), SALES) - valueAt(valuesAt(addDays(span.start, -1)), SALES),
    })),
    billed: valueAt(atAsOf, SALES) - valueAt(opening, SALES),
    collected: valueAt(atAsOf, COLLECTED) - valueAt(opening, COLLECTED),
    writtenOff: valueAt(atAsOf, WRITTEN_OFF) - valueAt(opening, WRITTEN_OFF),
  };
}
