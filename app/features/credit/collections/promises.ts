/**
 * Promises to pay and repayment-agreement instalments (还款协议), evaluated against the ledger.
 *
 * Both are "commitments": an amount due by a date, made on a date. A repayment agreement is a
 * schedule of instalments made on the agreement's date. Conventions:
 * - What counts as paying: payments and `offset` adjustments (三方抹账), exactly what KPIS.md
 *   calls Collected. Credit notes and write-offs are not the customer keeping their word.
 * - Allocation: each collection (in date order, then document order) goes to the commitments that
 *   are open at its date (made on or before it, due on or after it), the one due soonest first
 *   (then the earlier made, then the lower id); a remainder flows to the next. A collection dated
 *   before a commitment was made does not count for it: it was already in the ledger.
 * - Kept: the allocated collections reach the amount on or before the due date (the day of the
 *   keeping is `keptOn`, possibly before the due date). Broken: the due date has passed (D > due)
 *   and it was not kept. Pending: otherwise. A late payment does not un-break a promise.
 * - No grace days: the grade's grace (优惠期) softens invoice terms; a promise is the customer's
 *   own, already extended date, and breaking one has hard consequences (律师函, 停止发货), so the
 *   date is read strictly.
 *
 * promise_kept_rate over a period [S, E] = kept / (kept + broken) among commitments due in
 * [S, E], as of E (pending ones are left out); null when there are none. Counted per commitment,
 * so every instalment counts once.
 */
import type { IsoDate } from "~/kernel/ledger/types";

export type CommitmentKind = "promise" | "instalment";
export type CommitmentStatus = "pending" | "kept" | "broken";

export interface Commitment {
  id: number;
  kind: CommitmentKind;
  madeOn: IsoDate;
  dueOn: IsoDate;
  /** minor units, > 0 */
  amount: number;
}

export interface Collection {
  date: IsoDate;
  /** minor units, > 0 */
  amount: number;
}

export interface CommitmentResult {
  id: number;
  status: CommitmentStatus;
  /** collected towards it up to D (and never after its due date), minor units */
  paid: number;
  keptOn: IsoDate | null;
}

/** Evaluates one customer's commitments as of D. Order of the result = order of the input. */
export function evaluateCommitments(
  commitments: readonly Commitment[],
  collections: readonly Collection[],
  asOf: IsoDate,
): CommitmentResult[] {
  const state = new Map<number, CommitmentResult>(
    commitments.map((c) => [c.id, { id: c.id, status: "pending", paid: 0, keptOn: null }]),
  );
  const priority = [...commitments].sort(
    (a, b) => cmp(a.dueOn, b.dueOn) || cmp(a.madeOn, b.madeOn) || a.id - b.id,
  );
  const inDateOrder = collections
    .map((collection, index) => ({ collection, index }))
    .filter(({ collection }) => collection.date <= asOf)
    .sort((a, b) => cmp(a.collection.date, b.collection.date) || a.index - b.index);

  for (const { collection } of inDateOrder) {
    let left = collection.amount;
    for (const commitment of priority) {
      if (left === 0) break;
      // state has an entry for every commitment (filled from the same list above)
      const result = state.get(commitment.id)!;
      if (result.keptOn !== null) continue;
      if (commitment.madeOn > collection.date || commitment.dueOn < collection.date) continue;
      const take = Math.min(left, commitment.amount - result.paid);
      result.paid += take;
      left -= take;
      if (result.paid >= commitment.amount) result.keptOn = collection.date;
    }
  }

  return commitments.map((commitment) => {
    // state has an entry for every commitment (filled from the same list above)
    const result = state.get(commitment.id)!;
    const status: CommitmentStatus =
      result.keptOn !== null ? "kept" : asOf > commitment.dueOn ? "broken" : "pending";
    return { ...result, status };
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** kept / (kept + broken) among commitments due in [start, end], evaluated as of `end`. */
export function promiseKeptRate(
  commitments: readonly Pick<Commitment, "dueOn">[],
  results: readonly Pick<CommitmentResult, "status">[],
  start: IsoDate,
  end: IsoDate,
): { kept: number; broken: number; rate: number | null } {
  let kept = 0;
  let broken = 0;
  commitments.forEach((commitment, i) => {
    if (commitment.dueOn < start || commitment.dueOn > end) return;
    const status = results[i]?.status;
    if (status === "kept") kept += 1;
    if (status === "broken") broken += 1;
  });
  return { kept, broken, rate: kept + broken === 0 ? null : kept / (kept + broken) };
}

/** Broken commitments due in [start, end]: the `broken_promises` credit metric. */
export function brokenBetween(
  commitments: readonly Pick<Commitment, "dueOn">[],
  results: readonly Pick<CommitmentResult, "status">[],
  start: IsoDate,
  end: IsoDate,
): number {
  return commitments.filter((c, i) => c.dueOn >= start && c.dueOn <= end && results[i]?.status === "broken").length;
}

export interface InstalmentDraft {
  dueOn: IsoDate;
  amount: number;
}

export type ScheduleProblem =
  | { index: number; field: "dueOn"; message: "credit.validation.dateInPast" | "credit.validation.instalmentOrder" }
  | { index: number; field: "amount"; message: "credit.validation.amountPositive" }
  | { index: -1; field: "total"; message: "credit.validation.scheduleTotal" | "credit.validation.scheduleEmpty" };

/**
 * A new promise or schedule: dates not before `today` (a promise dated in the past is refused),
 * instalments in strictly increasing date order, positive amounts, and (when a total is given,
 * e.g. the agreement's amount) the instalments adding up to it exactly.
 */
export function scheduleProblems(
  instalments: readonly InstalmentDraft[],
  today: IsoDate,
  total?: number,
): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (instalments.length === 0) return [{ index: -1, field: "total", message: "credit.validation.scheduleEmpty" }];
  instalments.forEach((instalment, index) => {
    if (instalment.dueOn < today) problems.push({ index, field: "dueOn", message: "credit.validation.dateInPast" });
    else if (index > 0 && instalment.dueOn <= (instalments[index - 1]?.dueOn ?? "")) {
      problems.push({ index, field: "dueOn", message: "credit.validation.instalmentOrder" });
    }
    if (!Number.isInteger(instalment.amount) || instalment.amount <= 0) {
      problems.push({ index, field: "amount", message: "credit.validation.amountPositive" });
    }
  });
  if (total !== undefined && instalments.reduce((sum, i) => sum + i.amount, 0) !== total) {
    problems.push({ index: -1, field: "total", message: "credit.validation.scheduleTotal" });
  }
  return problems;
}

/** Splits `total` into `count` instalments, equal up to the last one taking the remainder cents. */
export function equalInstalments(total: number, count: number): number[] {
  if (!Number.isInteger(total) || total <= 0 || !Number.isInteger(count) || count <= 0) {
    throw new RangeError("total and count must be positive whole numbers");
  }
  const base = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? total - base * (count - 1) : base));
}
