/**
 * One customer's receivables position through time (KPIS.md section 3 at every date at once).
 *
 * `openItemsAsOf` answers "what is open at the end of D" for one D. The KPI summaries need the
 * answer for every D, so this sweeps the customer's documents in date order and reports each
 * invoice's open amount as runs of days ("invoice X had 1,200.00 open from day a to day b"),
 * plus the runs of unapplied credit, of being overdue and of being over the credit limit.
 * Days are integer epoch days (`toEpochDay`); an open-ended run ends at `Infinity`.
 *
 * The rules are section 3's, restated so they can be updated one document at a time:
 * - an invoice's `named` is the sum of the customer's documents naming it (dated <= D); once
 *   issued, `applied = min(amount, named)` of that reduces it and `remaining = amount - applied`;
 * - the pool is everything settled <= D minus what the issued invoices applied (unnamed
 *   documents, excesses, and documents naming an invoice not issued yet);
 * - the pool covers the remaining amounts oldest first. With `S(i)` the running total of
 *   `remaining` in that order, `open(i) = min(remaining(i), max(0, S(i) - pool))`: the invoices
 *   before the "boundary" (the first position whose running total exceeds the pool) are
 *   covered, the boundary invoice partly, the rest not at all.
 * Running totals and the boundary come from Fenwick trees, so a day costs O(log n) plus the
 * invoices whose open amount actually changes: a big customer paying lump sums stays linear.
 */
import { compareCodeUnits } from "~/kernel/ledger/open-items";

export interface HistoryInvoice {
  invoiceNo: string;
  issueDay: number;
  dueDay: number;
  /** minor units, > 0 */
  amount: number;
}

export interface HistorySettlement {
  day: number;
  /** minor units, > 0 */
  amount: number;
  /** null, or an invoice number (one that is not this customer's joins the pool) */
  invoiceNo: string | null;
}

/** Receives the runs; `to` is the last day of a run, inclusive, or Infinity. */
export interface PositionHistorySink {
  openRun(invoice: HistoryInvoice, from: number, to: number, openAmount: number): void;
  unappliedRun(from: number, to: number, amount: number): void;
  overdueRun(from: number, to: number): void;
  overLimitRun(from: number, to: number): void;
}

/** Prefix sums over positions 0..n-1, with the first position whose prefix exceeds a value. */
class Fenwick {
  private readonly tree: Float64Array;
  private readonly topStep: number;

  constructor(private readonly size: number) {
    this.tree = new Float64Array(size + 1);
    let step = 1;
    while (step * 2 <= size) step *= 2;
    this.topStep = size === 0 ? 0 : step;
  }

  add(position: number, delta: number): void {
    for (let i = position + 1; i <= this.size; i += i & -i) this.tree[i] = at(this.tree, i) + delta;
  }

  /** Sum of positions 0..count-1. */
  sumBefore(count: number): number {
    let total = 0;
    for (let i = count; i > 0; i -= i & -i) total += at(this.tree, i);
    return total;
  }

  /** The number of leading positions whose running total stays <= value (values are >= 0). */
  countAtMost(value: number): number {
    let index = 0;
    let left = value;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = index + step;
      if (next <= this.size && at(this.tree, next) <= left) {
        index = next;
        left -= at(this.tree, next);
      }
    }
    return index;
  }
}

/** A slot of a typed array; the sweep's indexes are in range by construction (0 otherwise). */
function at(values: ArrayLike<number>, index: number): number {
  return values[index] ?? 0;
}

/**
 * Indexes 0..count-1 in the order of their days: (day, index) packed into one double and sorted
 * natively: much cheaper than a comparator over objects when a ledger has millions of documents.
 */
function orderByDay(count: number, dayOf: (index: number) => number): Int32Array {
  let width = 1;
  while (width < count) width *= 2;
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i += 1) keys[i] = dayOf(i) * width + i;
  keys.sort();
  const order = new Int32Array(count);
  for (let i = 0; i < count; i += 1) order[i] = at(keys, i) - Math.floor(at(keys, i) / width) * width;
  return order;
}

/**
 * Sweeps one customer's documents (any order, any dates) and reports the runs to `sink`.
 * `creditLimit` null or 0 means no limit (never exceeded).
 */
export function sweepPositionHistory(
  invoices: readonly HistoryInvoice[],
  settlements: readonly HistorySettlement[],
  creditLimit: number | null,
  sink: PositionHistorySink,
): void {
  const sorted = [...invoices].sort(
    (a, b) => a.dueDay - b.dueDay || a.issueDay - b.issueDay || compareCodeUnits(a.invoiceNo, b.invoiceNo),
  );
  const n = sorted.length;
  // Positions (0..n-1) and settlement indexes (0..m-1) come from the sweep's own orders and trees.
  const invoiceAt = (position: number) => sorted[position] as HistoryInvoice;
  const positionOf = new Map<string, number>();
  sorted.forEach((invoice, position) => positionOf.set(invoice.invoiceNo, position));

  // Two date-ordered streams, walked together: issue dates, and settlements with the position they name.
  const issueOrder = orderByDay(n, (position) => invoiceAt(position).issueDay);
  const m = settlements.length;
  // called with indexes 0..m-1 only (see above)
  const settlementAt = (i: number) => settlements[i] as HistorySettlement;
  const settlementOrder = orderByDay(m, (i) => settlementAt(i).day);
  const byDate = Array.from(settlementOrder, settlementAt);
  const namedPosition = new Int32Array(m);
  byDate.forEach((settlement, i) => {
    namedPosition[i] = settlement.invoiceNo === null ? -1 : (positionOf.get(settlement.invoiceNo) ?? -1);
  });

  const remainingTree = new Fenwick(n);
  const liveTree = new Fenwick(n); // 1 where remaining > 0: to step over settled invoices
  const issued = new Uint8Array(n);
  const named = new Float64Array(n);
  const applied = new Float64Array(n);
  const remaining = new Float64Array(n);
  const open = new Float64Array(n);
  const openSince = new Float64Array(n);
  const seenOn = new Float64Array(n).fill(-Infinity);
  const limited = creditLimit !== null && creditLimit > 0;

  let pool = 0;
  let boundary = n;
  let unapplied = 0;
  let unappliedSince = 0;
  // the runs of being overdue / over the limit, extended while they stay contiguous
  let overdueFrom = Infinity;
  let overdueTo = -Infinity;
  let overLimitFrom = Infinity;
  let overLimitTo = -Infinity;
  // the state after the previous document day holds from that day to the day before the next
  let stateDay = -Infinity;
  let stateMinDue = Infinity;
  let stateOverLimit = false;

  const setRemaining = (position: number, value: number) => {
    const before = at(remaining, position);
    if (before === value) return;
    remainingTree.add(position, value - before);
    if (before > 0 && value === 0) liveTree.add(position, -1);
    if (before === 0 && value > 0) liveTree.add(position, 1);
    remaining[position] = value;
  };

  const closeState = (nextDay: number) => {
    if (stateDay === -Infinity) return;
    const lastDay = nextDay - 1;
    // Overdue once D > the earliest due date still open (due today is not overdue).
    const from = Math.max(stateDay, stateMinDue + 1);
    if (from <= lastDay) {
      if (from === overdueTo + 1) overdueTo = lastDay;
      else {
        if (overdueTo >= overdueFrom) sink.overdueRun(overdueFrom, overdueTo);
        overdueFrom = from;
        overdueTo = lastDay;
      }
    }
    if (stateOverLimit) {
      if (stateDay === overLimitTo + 1) overLimitTo = lastDay;
      else {
        if (overLimitTo >= overLimitFrom) sink.overLimitRun(overLimitFrom, overLimitTo);
        overLimitFrom = stateDay;
        overLimitTo = lastDay;
      }
    }
  };

  // The open amount of one invoice after today's documents; reports the run that ends.
  let today = 0;
  let newBoundary = n;
  let covered = 0;
  const update = (position: number) => {
    if (seenOn[position] === today) return;
    seenOn[position] = today;
    const value = position < newBoundary ? 0 : position === newBoundary ? covered : at(remaining, position);
    const was = at(open, position);
    if (value === was) return;
    if (was > 0) sink.openRun(invoiceAt(position), at(openSince, position), today - 1, was);
    open[position] = value;
    openSince[position] = today;
  };

  const touched: number[] = [];
  let nextIssue = 0;
  let nextSettlement = 0;
  while (nextIssue < n || nextSettlement < m) {
    const day = Math.min(
      nextIssue < n ? invoiceAt(at(issueOrder, nextIssue)).issueDay : Infinity,
      nextSettlement < m ? settlementAt(at(settlementOrder, nextSettlement)).day : Infinity,
    );
    closeState(day);
    touched.length = 0;
    for (; nextIssue < n && invoiceAt(at(issueOrder, nextIssue)).issueDay === day; nextIssue += 1) {
      const position = at(issueOrder, nextIssue);
      const invoice = invoiceAt(position);
      issued[position] = 1;
      // Documents that named it before it was issued stop being pool money today.
      const fromNamed = Math.min(invoice.amount, at(named, position));
      applied[position] = fromNamed;
      pool -= fromNamed;
      setRemaining(position, invoice.amount - fromNamed);
      touched.push(position);
    }
    for (; nextSettlement < m && settlementAt(at(settlementOrder, nextSettlement)).day === day; nextSettlement += 1) {
      const { amount } = settlementAt(at(settlementOrder, nextSettlement));
      const position = at(namedPosition, nextSettlement);
      if (position >= 0) {
        named[position] = at(named, position) + amount;
        if (issued[position]) {
          const invoiceAmount = invoiceAt(position).amount;
          const now = Math.min(invoiceAmount, at(named, position));
          pool += amount - (now - at(applied, position));
          applied[position] = now;
          setRemaining(position, invoiceAmount - now);
          touched.push(position);
          continue;
        }
      }
      pool += amount;
    }

    newBoundary = remainingTree.countAtMost(pool);
    covered = newBoundary < n ? remainingTree.sumBefore(newBoundary + 1) - pool : 0;
    today = day;
    for (const position of touched) update(position);
    // Between the old and the new boundary, coverage changed for every invoice still owing.
    const low = Math.min(boundary, newBoundary);
    const high = Math.min(Math.max(boundary, newBoundary), n - 1);
    if (low <= high) {
      let rank = liveTree.sumBefore(low);
      for (;;) {
        const position = liveTree.countAtMost(rank); // the (rank+1)-th live position
        if (position > high) break;
        update(position);
        rank += 1;
      }
    }
    boundary = newBoundary;

    const total = remainingTree.sumBefore(n);
    const arTotal = Math.max(0, total - pool);
    const left = Math.max(0, pool - total);
    if (left !== unapplied) {
      if (unapplied > 0) sink.unappliedRun(unappliedSince, day - 1, unapplied);
      unapplied = left;
      unappliedSince = day;
    }
    stateDay = day;
    stateMinDue = boundary < n ? invoiceAt(boundary).dueDay : Infinity;
    stateOverLimit = limited && arTotal > (creditLimit ?? 0);
  }

  closeState(Infinity);
  if (overdueTo >= overdueFrom) sink.overdueRun(overdueFrom, overdueTo);
  if (overLimitTo >= overLimitFrom) sink.overLimitRun(overLimitFrom, overLimitTo);
  for (let position = 0; position < n; position += 1) {
    const amount = at(open, position);
    if (amount > 0) sink.openRun(invoiceAt(position), at(openSince, position), Infinity, amount);
  }
  if (unapplied > 0) sink.unappliedRun(unappliedSince, Infinity, unapplied);
}
