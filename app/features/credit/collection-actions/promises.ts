/**
 * Payment promises, evaluated against the ledger: a promise to pay (kind `promise`) or one
 * instalment of a repayment agreement (还款协议, kind `instalment`).
 *
 * Both are a promise: an amount due by a date, made on a date. A repayment agreement is a
 * schedule of instalments made on the agreement's date. Conventions:
 * - What counts as paying: payments and `offset` adjustments (三方抹账), exactly what KPIS.md
 *   calls Collected. Credit notes and write-offs are not the customer keeping their word.
 * - Allocation: each collection (in date order, then document order) goes to the promises that
 *   are open at its date (made on or before it, due on or after it), the one due soonest first
 *   (then the earlier made, then the lower id); a remainder flows to the next. A collection dated
 *   before a promise was made does not count for it: it was already in the ledger.
 * - Kept: the allocated collections reach the amount on or before the due date (the day of the
 *   keeping is `keptOn`, possibly before the due date). Broken: the due date has passed (D > due)
 *   and it was not kept. Pending: otherwise. A late payment does not un-break a promise.
 * - No grace days: the grade's grace (优惠期) softens invoice terms; a promise is the customer's
 *   own, already extended date, and breaking one has hard consequences (律师函, 停止发货), so the
 *   date is read strictly.
 *
 * promise_kept_rate over a period [S, E] = kept / (kept + broken) among promises due in
 * [S, E], as of E (pending ones are left out); null when there are none. Counted per promise,
 * so every instalment counts once.
 */
import type { IsoDate } from "~/kernel/ledger/types";

export type PromiseKind = "promise" | "instalment";
export type PromiseStatus = "pending" | "kept" | "broken";

export interface PaymentPromise {
  id: number;
  kind: PromiseKind;
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

export interface PromiseResult {
  id: number;
  status: PromiseStatus;
  /** collected towards it up to D (and never after its due date), minor units */
  paid: number;
  keptOn: IsoDate | null;
}

/** Evaluates one customer's promises as of D. Order of the result = order of the input. */
export function evaluatePromises(
  promises: readonly PaymentPromise[],
  collections: readonly Collection[],
  asOf: IsoDate,
): PromiseResult[] {
  const state = new Map<number, PromiseResult>(
    promises.map((c) => [c.id, { id: c.id, status: "pending", paid: 0, keptOn: null }]),
  );
  const priority = [...promises].sort(
    (a, b) => cmp(a.dueOn, b.dueOn) || cmp(a.madeOn, b.madeOn) || a.id - b.id,
  );
  const inDateOrder = collections
    .map((collection, index) => ({ collection, index }))
    .filter(({ collection }) => collection.date <= asOf)
    .sort((a, b) => cmp(a.collection.date, b.collection.date) || a.index - b.index);

  for (const { collection } of inDateOrder) {
    let left = collection.amount;
    for (const promise of priority) {
      if (left === 0) break;
      // `state` holds an entry for every promise of this list (made above).
      const result = state.get(promise.id)!;
      if (result.keptOn !== null) continue;
      if (promise.madeOn > collection.date || promise.dueOn < collection.date) continue;
      const take = Math.min(left, promise.amount - result.paid);
      result.paid += take;
      left -= take;
      if (result.paid >= promise.amount) result.keptOn = collection.date;
    }
  }

  return promises.map((promise) => {
    // `state` holds an entry for every promise of this list (made above).
    const result = state.get(promise.id)!;
    const status: PromiseStatus =
      result.keptOn !== null ? "kept" : asOf > promise.dueOn ? "broken" : "pending";
    return { ...result, status };
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** kept / (kept + broken) among promises due in [start, end], evaluated as of `end`. */
export function promiseKeptRate(
  promises: readonly Pick<PaymentPromise, "dueOn">[],
  results: readonly Pick<PromiseResult, "status">[],
  start: IsoDate,
  end: IsoDate,
): { kept: number; broken: number; rate: number | null } {
  let kept = 0;
  let broken = 0;
  promises.forEach((promise, i) => {
    if (promise.dueOn < start || promise.dueOn > end) return;
    const status = results[i]?.status;
    if (status === "kept") kept += 1;
    if (status === "broken") broken += 1;
  });
  return { kept, broken, rate: kept + broken === 0 ? null : kept / (kept + broken) };
}

/** Broken promises due in [start, end]: the `broken_promises` credit metric. */
export function brokenBetween(
  promises: readonly Pick<PaymentPromise, "dueOn">[],
  results: readonly Pick<PromiseResult, "status">[],
  start: IsoDate,
  end: IsoDate,
): number {
  return promises.filter((c, i) => c.dueOn >= start && c.dueOn <= end && results[i]?.status === "broken").length;
}

export interface InstalmentDraft {
  dueOn: IsoDate;
  amount: number;
}

export type ScheduleProblem =
  | { index: number; field: "dueOn"; message: "collectionActions.validation.dateInPast" | "collectionActions.validation.instalmentOrder" }
  | { index: number; field: "amount"; message: "collectionActions.validation.amountPositive" }
  | { index: -1; field: "total"; message: "collectionActions.validation.scheduleTotal" | "collectionActions.validation.scheduleEmpty" };

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
  if (instalments.length === 0) return [{ index: -1, field: "total", message: "collectionActions.validation.scheduleEmpty" }];
  instalments.forEach((instalment, index) => {
    if (instalment.dueOn < today) problems.push({ index, field: "dueOn", message: "collectionActions.validation.dateInPast" });
    else if (index > 0 && instalment.dueOn <= (instalments[index - 1]?.dueOn ?? "")) {
      problems.push({ index, field: "dueOn", message: "collectionActions.validation.instalmentOrder" });
    }
    if (!Number.isInteger(instalment.amount) || instalment.amount <= 0) {
      problems.push({ index, field: "amount", message: "collectionActions.validation.amountPositive" });
    }
  });
  if (total !== undefined && instalments.reduce((sum, i) => sum + i.amount, 0) !== total) {
    problems.push({ index: -1, field: "total", message: "collectionActions.validation.scheduleTotal" });
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

/** A promise as stored once the keeper (promise-keeper.server.ts) evaluated it. */
export interface StoredPromiseStatus {
  dueOn: IsoDate;
  status: PromiseStatus;
  keptOn: IsoDate | null;
}

/**
 * The status as of `asOf` of a promise whose stored status was worked out on or after `asOf` (or
 * after its due date) from every collection then in the ledger. Collections after the due date
 * never count, so kept-ness is settled by the due date: kept when kept on or before `asOf`, broken
 * when `asOf` is past the due date and the stored evaluation found it broken, pending otherwise
 * (also while the stored status is still pending: not yet judged, counted in neither).
 */
export function storedStatusAsOf(promise: StoredPromiseStatus, asOf: IsoDate): PromiseStatus {
  if (promise.status === "kept") return promise.keptOn !== null && promise.keptOn <= asOf ? "kept" : "pending";
  if (promise.status === "broken") return asOf > promise.dueOn ? "broken" : "pending";
  return "pending";
}

/** Which stored columns the keeper rewrites: those that differ from the evaluation, or never evaluated. */
export function promiseNeedsWrite(
  stored: { status: PromiseStatus; paid: number; keptOn: IsoDate | null; evaluatedOn: IsoDate | null },
  evaluated: Pick<PromiseResult, "status" | "paid" | "keptOn">,
): boolean {
  return stored.evaluatedOn === null || stored.status !== evaluated.status || stored.paid !== evaluated.paid || stored.keptOn !== evaluated.keptOn;
}
