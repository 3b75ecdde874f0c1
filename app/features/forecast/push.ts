import { days } from "~/kernel/dates";

type IsoDate = string;

/**
 * The year-end push in numbers: how much must still come in for a KPI-linked plan item to reach
 * its target, which customers and invoices close that gap first, and where the KPI should stand
 * on any day of the quarter if it is to get there (the planned path, against which "at risk" is
 * judged). Amounts are integer minor units; the forecast gives the projected values.
 */

/** Half away from zero, as the ledger's amounts are rounded everywhere else. */
function roundHalfAway(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/**
 * What must be collected by the item's due date so that the overdue balance reaches its target:
 * whatever the forecast leaves above the target (nothing when it already gets there).
 */
export function overdueToClear(projectedOverdue: number, targetOverdue: number): number {
  return Math.max(0, projectedOverdue - targetOverdue);
}

/**
 * The receivables a DSO target allows: DSO = receivables ÷ credit sales of the last 90 days × 90,
 * so at the target the receivables are target × sales ÷ 90 (to the minor unit).
 */
export function receivablesAtDso(targetDays: number, creditSales90d: number): number {
  return roundHalfAway((targetDays * creditSales90d) / 90);
}

/**
 * The reduction of receivables a DSO target needs by the due date: the projected receivables less
 * what the target allows with the sales of the 90 days before that date; none when the target is
 * already met. Null without sales (DSO is undefined then, as in the KPI register).
 */
export function dsoReductionNeeded(projectedReceivables: number, targetDays: number, creditSales90d: number): number | null {
  if (creditSales90d <= 0) return null;
  return Math.max(0, projectedReceivables - receivablesAtDso(targetDays, creditSales90d));
}

/** A customer or an invoice that could be chased, with the chance the forecast gives it. */
export interface ChaseCandidate {
  /** a stable key: the invoice number, or the customer code for a customer's whole balance */
  key: string;
  /** the open amount that chasing could bring in */
  amount: number;
  /** the probability (0 to 1) that it comes in by the date when chased */
  probability: number;
}

export interface ChaseRow<C extends ChaseCandidate> {
  candidate: C;
  /** amount × probability, to the minor unit */
  expected: number;
  /** the expected amounts of this row and every row above it */
  cumulative: number;
  /** within the shortest list from the top that is expected to close the gap */
  closesGap: boolean;
}

function expectedOf(candidate: ChaseCandidate): number {
  return roundHalfAway(candidate.amount * Math.min(1, Math.max(0, candidate.probability)));
}

/**
 * The chase list: candidates ranked by expected amount (amount × probability), larger first, ties
 * by the larger amount then the key, so the order never depends on the input's. The rows from the
 * top until their expected amounts reach the gap are marked: chasing those first closes the gap
 * with the fewest calls. With no gap nothing is marked; when everything together falls short,
 * everything is.
 */
export function chaseList<C extends ChaseCandidate>(candidates: readonly C[], gap: number): ChaseRow<C>[] {
  const ranked = candidates
    .map((candidate) => ({ candidate, expected: expectedOf(candidate) }))
    .sort(
      (a, b) =>
        b.expected - a.expected ||
        b.candidate.amount - a.candidate.amount ||
        (a.candidate.key < b.candidate.key ? -1 : a.candidate.key > b.candidate.key ? 1 : 0),
    );
  let cumulative = 0;
  return ranked.map((row) => {
    const before = cumulative;
    cumulative += row.expected;
    return { ...row, cumulative, closesGap: gap > 0 && before < gap && row.expected > 0 };
  });
}

/** Where a KPI starts and where its plan item wants it. */
export interface PathEnds {
  start: { date: IsoDate; value: number };
  end: { date: IsoDate; value: number };
}

/**
 * How far along the way a KPI is expected to be on each day: a fraction from 0 (start) to 1 (end).
 * `straight` moves evenly; a shape taken from last year's same quarter moves as that quarter did:
 * `shape[i]` is the share of last year's change done after day i of the quarter (its last value 1).
 */
export type PathShape = { kind: "straight" } | { kind: "last-year"; shape: readonly number[] };

/** The planned value of the KPI on `date` (the start's before the start, the target after the end). */
export function plannedValue(ends: PathEnds, date: IsoDate, shape: PathShape = { kind: "straight" }): number {
  const total = days(ends.start.date, ends.end.date);
  const elapsed = Math.min(Math.max(days(ends.start.date, date), 0), Math.max(total, 0));
  let fraction: number;
  if (total <= 0) fraction = 1;
  else if (shape.kind === "straight" || shape.shape.length === 0) fraction = elapsed / total;
  else {
    // Last year's quarter may have had another length: read its shape at the same share of time.
    const position = (elapsed / total) * (shape.shape.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, shape.shape.length - 1);
    const low = shape.shape[below] ?? 0;
    const high = shape.shape[above] ?? low;
    fraction = low + (high - low) * (position - below);
  }
  return ends.start.value + (ends.end.value - ends.start.value) * fraction;
}

/**
 * Last year's shape from its daily values over the same quarter: the share of the quarter's change
 * done by each day. A quarter with no change (or no values) gives no shape, and the path is straight.
 */
export function shapeFromLastYear(values: readonly number[]): PathShape {
  const first = values[0];
  const last = values[values.length - 1];
  if (first === undefined || last === undefined || last === first) return { kind: "straight" };
  // `+ 0` turns the -0 of a falling quarter's unmoved days into 0.
  return { kind: "last-year", shape: values.map((value) => (value - first) / (last - first) + 0) };
}

/**
 * At risk: the KPI is on the wrong side of where its path says it should be today, by more than
 * the tolerance (in the KPI's own unit). `better` is the register's: "down" for overdue and DSO.
 */
export function offPath(current: number, planned: number, better: "up" | "down", tolerance = 0): boolean {
  return better === "down" ? current > planned + tolerance : current < planned - tolerance;
}
