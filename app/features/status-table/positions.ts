/**
 * One customer's receivables position at every month end (KPIS.md section 3 at those dates), for
 * the monthly status table. The table needs every customer's balance and aging at two month ends
 * (the month's and the previous one's); settling 10k customers' documents per page view is what
 * this avoids: the positions are worked out once per changed customer and stored.
 *
 * Built on `sweepPositionHistory`: each open run of an invoice adds its open amount, at every month
 * end inside the run, to the aging bucket of its days past due at that month end.
 *
 * The same sweep also yields the open runs themselves ("invoice due on day d had x open from day a
 * to day b"): they answer the position at any single day, which the month in progress needs for
 * the few customers with documents dated after today.
 *
 * Rows run from the month end of the customer's first document to the first month end on which
 * nothing can change any more: after the last document, and after every invoice is more than 365
 * days past due (all that is open then sits in `over_365`). A later month end has the last row's
 * values, so readers take "the latest row on or before D".
 */
import { datePartsOf, daysInMonth, fromEpochDay, monthEnd, toEpochDay } from "~/kernel/dates";
import { AGING_BUCKETS, type Aging, emptyAging } from "~/features/kpi";
import {
  type HistoryInvoice,
  type HistorySettlement,
  type PositionHistorySink,
  sweepPositionHistory,
} from "~/kernel/ledger/position-history";

export interface MonthEndPosition {
  /** ISO date of the month's last day */
  monthEnd: string;
  /** gross open receivables at the end of that day, minor units */
  arTotal: number;
  aging: Aging;
  /** invoices issued in that month */
  billed: number;
  /** payments and `offset` adjustments dated in that month (KPIS.md: Collected) */
  collected: number;
}

/** A collection (payment or `offset` adjustment) by day. */
export interface HistoryCollection {
  day: number;
  amount: number;
}

/** An invoice's open amount over a run of days (`toDay` inclusive, Infinity when still open). */
export interface OpenRun {
  fromDay: number;
  toDay: number;
  dueDay: number;
  /** the invoice's issue date (the provision ages by it) */
  issueDay: number;
  openAmount: number;
}

export interface CustomerStatusHistory {
  positions: MonthEndPosition[];
  runs: OpenRun[];
}

/** The day after which an invoice's aging bucket no longer moves: over 365 days past due. */
const LAST_AGING_MOVE = 366;

/** Month-end epoch days from the month of `fromDay` through the month of `toDay`. */
export function monthEndDays(fromDay: number, toDay: number): number[] {
  const ends: number[] = [];
  let end = toEpochDay(monthEnd(fromEpochDay(fromDay)));
  const last = toEpochDay(monthEnd(fromEpochDay(toDay)));
  // Month by month without building dates: the next month end is the current one plus the
  // length of the month after it.
  let { year, month } = datePartsOf(fromEpochDay(end));
  while (end <= last) {
    ends.push(end);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
    end += daysInMonth(year, month);
  }
  return ends;
}

/** First index in the ascending `values` that is >= `day`. */
function firstAtOrAfter(values: readonly number[], day: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    // mid < high <= values.length: always an element.
    if (values[mid]! < day) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of `agingBucket(daysPastDue)` in AGING_BUCKETS, without building its name. */
function agingIndex(daysPastDue: number): number {
  if (daysPastDue <= 0) return 0;
  if (daysPastDue <= 30) return 1;
  if (daysPastDue <= 60) return 2;
  if (daysPastDue <= 90) return 3;
  if (daysPastDue <= 180) return 4;
  if (daysPastDue <= 365) return 5;
  return 6;
}

const BUCKETS = AGING_BUCKETS.length;

/**
 * Every month-end position of one customer, from its documents (any order), and its open runs.
 * Empty lists when it has no documents. (Runs on every re-settled customer of an import: the
 * month-end sums are kept in one flat array, a month end's buckets side by side.)
 */
export function customerStatusHistory(
  invoices: readonly HistoryInvoice[],
  settlements: readonly HistorySettlement[],
  collections: readonly HistoryCollection[] = [],
): CustomerStatusHistory {
  if (invoices.length === 0 && settlements.length === 0) return { positions: [], runs: [] };
  const collector = statusHistoryCollector(invoices, settlements, collections);
  sweepPositionHistory(invoices, settlements, null, collector.sink);
  return collector.history();
}

/**
 * `customerStatusHistory` for a caller that sweeps the documents once for several consumers (the
 * import's re-settlement): sweep the same `invoices` and `settlements` (any credit limit) into
 * `sink`, then read `history()`. The customer must have documents.
 */
export function statusHistoryCollector(
  invoices: readonly HistoryInvoice[],
  settlements: readonly HistorySettlement[],
  collections: readonly HistoryCollection[] = [],
): { sink: PositionHistorySink; history(): CustomerStatusHistory; arrays(): StatusHistoryArrays } {
  // RUN_VALUES numbers per run (fromDay, toDay, dueDay, issueDay, openAmount): no object per run.
  const runs: number[] = [];
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const invoice of invoices) {
    firstDay = Math.min(firstDay, invoice.issueDay);
    lastDay = Math.max(lastDay, invoice.issueDay, invoice.dueDay + LAST_AGING_MOVE);
  }
  for (const settlement of settlements) {
    firstDay = Math.min(firstDay, settlement.day);
    lastDay = Math.max(lastDay, settlement.day);
  }
  const ends = monthEndDays(firstDay, lastDay);
  const count = ends.length;
  const sums = new Float64Array(count * BUCKETS);
  // A document's month is the first month end on or after its day (the ends are consecutive).
  const billed = new Float64Array(count);
  const collected = new Float64Array(count);
  // Every document's day lies within [firstDay, lastDay], so its month end is one of `ends`.
  for (const invoice of invoices) billed[firstAtOrAfter(ends, invoice.issueDay)]! += invoice.amount;
  // indexes below are within the typed arrays sized from ends above
  for (const collection of collections) collected[firstAtOrAfter(ends, collection.day)]! += collection.amount;

  const sink: PositionHistorySink = {
    openRun(invoice, from, to, openAmount) {
      runs.push(from, to, invoice.dueDay, invoice.issueDay, openAmount);
      // i < count: ends[i] and its bucket's sum exist (sums holds count * BUCKETS).
      for (let i = firstAtOrAfter(ends, from); i < count && ends[i]! <= to; i += 1) {
        // i < ends.length and agingIndex < BUCKETS, so both indexes are in range
        sums[i * BUCKETS + agingIndex(ends[i]! - invoice.dueDay)]! += openAmount;
      }
    },
    unappliedRun() {},
    overdueRun() {},
    overLimitRun() {},
  };

  const arrays = (): StatusHistoryArrays => ({ ends, sums, billed, collected, runs });
  const history = (): CustomerStatusHistory => {
    const positions: MonthEndPosition[] = new Array(count);
    for (let i = 0; i < count; i += 1) {
      const aging = emptyAging();
      let arTotal = 0;
      // i < count and b < BUCKETS = AGING_BUCKETS.length: every index below is in range.
      for (let b = 0; b < BUCKETS; b += 1) {
        // i < ends.length and b < BUCKETS: within sums and AGING_BUCKETS
        const value = sums[i * BUCKETS + b]!;
        // b < BUCKETS, the length of AGING_BUCKETS
        aging[AGING_BUCKETS[b]!] = value;
        arTotal += value;
      }
      // i < ends.length, the length of every array here
      positions[i] = { monthEnd: fromEpochDay(ends[i]!), arTotal, aging, billed: billed[i]!, collected: collected[i]! };
    }
    const openRuns: OpenRun[] = [];
    for (let r = 0; r < runs.length; r += RUN_VALUES) {
      // r + 4 < runs.length: RUN_VALUES numbers per run
      openRuns.push({ fromDay: runs[r]!, toDay: runs[r + 1]!, dueDay: runs[r + 2]!, issueDay: runs[r + 3]!, openAmount: runs[r + 4]! });
    }
    return { positions, runs: openRuns };
  };
  return { sink, history, arrays };
}

/** Numbers per open run in StatusHistoryArrays.runs: fromDay, toDay, dueDay, issueDay, openAmount. */
export const RUN_VALUES = 5;

/**
 * A CustomerStatusHistory as the sweep leaves it, without an object per month end or run (the
 * import's writer reads hundreds of thousands of them): month end `i` (`ends[i]`, an epoch day)
 * has its aging buckets' sums at `i * AGING_BUCKETS.length + b` in `sums` (bucket
 * `AGING_BUCKETS[b]`), its billed and collected at `i`; `runs` holds RUN_VALUES numbers per open
 * run, in the order the sweep reported them.
 */
export interface StatusHistoryArrays {
  ends: readonly number[];
  sums: Float64Array;
  billed: Float64Array;
  collected: Float64Array;
  runs: readonly number[];
}

/** The month-end positions alone. */
export function monthEndPositions(
  invoices: readonly HistoryInvoice[],
  settlements: readonly HistorySettlement[],
  collections: readonly HistoryCollection[] = [],
): MonthEndPosition[] {
  return customerStatusHistory(invoices, settlements, collections).positions;
}
