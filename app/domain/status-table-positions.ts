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
import { fromEpochDay, monthEnd, toEpochDay } from "~/domain/dates";
import { AGING_BUCKETS, type Aging, agingBucket, emptyAging } from "~/domain/kpis";
import {
  type HistoryInvoice,
  type HistorySettlement,
  sweepPositionHistory,
} from "~/domain/position-history";

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
  while (end <= last) {
    ends.push(end);
    end = toEpochDay(monthEnd(fromEpochDay(end + 1)));
  }
  return ends;
}

/** First index in the ascending `values` that is >= `day`. */
function firstAtOrAfter(values: readonly number[], day: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] < day) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Every month-end position of one customer, from its documents (any order), and its open runs.
 * Empty lists when it has no documents.
 */
export function customerStatusHistory(
  invoices: readonly HistoryInvoice[],
  settlements: readonly HistorySettlement[],
  collections: readonly HistoryCollection[] = [],
): CustomerStatusHistory {
  const runs: OpenRun[] = [];
  if (invoices.length === 0 && settlements.length === 0) return { positions: [], runs };
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
  const agings = ends.map(() => emptyAging());
  // A document's month is the first month end on or after its day (the ends are consecutive).
  const billed = ends.map(() => 0);
  const collected = ends.map(() => 0);
  for (const invoice of invoices) billed[firstAtOrAfter(ends, invoice.issueDay)] += invoice.amount;
  for (const collection of collections) collected[firstAtOrAfter(ends, collection.day)] += collection.amount;

  sweepPositionHistory(invoices, settlements, null, {
    openRun(invoice, from, to, openAmount) {
      runs.push({ fromDay: from, toDay: to, dueDay: invoice.dueDay, openAmount });
      for (let i = firstAtOrAfter(ends, from); i < ends.length && ends[i] <= to; i += 1) {
        agings[i][agingBucket(ends[i] - invoice.dueDay)] += openAmount;
      }
    },
    unappliedRun() {},
    overdueRun() {},
    overLimitRun() {},
  });

  const positions = ends.map((end, i) => {
    const aging = agings[i];
    let arTotal = 0;
    for (const bucket of AGING_BUCKETS) arTotal += aging[bucket];
    return { monthEnd: fromEpochDay(end), arTotal, aging, billed: billed[i], collected: collected[i] };
  });
  return { positions, runs };
}

/** The month-end positions alone. */
export function monthEndPositions(
  invoices: readonly HistoryInvoice[],
  settlements: readonly HistorySettlement[],
  collections: readonly HistoryCollection[] = [],
): MonthEndPosition[] {
  return customerStatusHistory(invoices, settlements, collections).positions;
}
