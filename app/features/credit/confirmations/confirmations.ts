/**
 * Balance confirmations (对账): a batch per period; per customer the statement is sent (post,
 * electronic or in person), comes back or not, and matches our balance or not. A mismatch is
 * followed up until resolved (seed, 沧州分行: "对余额不符…的账户，均由对账人员上门核查，直至查清"). The seed
 * ranks branches by return rate ("对各行账单收回率进行排名"); we rank owners and regions the same way.
 *
 * States of one confirmation: not sent → sent (awaiting) → matched | mismatched | not returned;
 * a mismatch is open until it has a resolved date. Rules:
 * - returned date >= sent date; a result needs a sent date; matched / mismatched need a returned
 *   date, not returned has none;
 * - mismatched needs a non-zero difference (the customer's balance minus ours, minor units) and a
 *   note; matched has difference 0;
 * - resolved date >= returned date, only for a mismatch.
 *
 * Rates over the confirmations SENT (a statement never sent is not asked for):
 * return rate = returned / sent; mismatch rate = mismatched / returned (null with nothing returned).
 */
import { parseAmount } from "~/kernel/money";
import type { IsoDate } from "~/kernel/ledger/types";

export const CONFIRMATION_CHANNELS = ["post", "electronic", "in_person"] as const;
export type ConfirmationChannel = (typeof CONFIRMATION_CHANNELS)[number];

export const CONFIRMATION_RESULTS = ["matched", "mismatched", "not_returned"] as const;
export type ConfirmationResult = (typeof CONFIRMATION_RESULTS)[number];

export type ConfirmationState = "not_sent" | "awaiting" | "matched" | "mismatch_open" | "mismatch_resolved" | "not_returned";

export interface Confirmation {
  sentOn: IsoDate | null;
  channel: ConfirmationChannel | null;
  returnedOn: IsoDate | null;
  result: ConfirmationResult | null;
  /** customer's balance minus ours, minor units; 0 unless mismatched */
  difference: number;
  note: string;
  resolvedOn: IsoDate | null;
}

export function confirmationState(c: Pick<Confirmation, "sentOn" | "result" | "resolvedOn">): ConfirmationState {
  if (c.sentOn === null) return "not_sent";
  if (c.result === null) return "awaiting";
  if (c.result === "mismatched") return c.resolvedOn ? "mismatch_resolved" : "mismatch_open";
  return c.result;
}

/** Needs follow-up: sent and not back, or back with an unresolved difference. */
export function needsFollowUp(c: Pick<Confirmation, "sentOn" | "result" | "resolvedOn">): boolean {
  const state = confirmationState(c);
  return state === "awaiting" || state === "mismatch_open" || state === "not_returned";
}

export interface ConfirmationProblem {
  field: keyof Confirmation;
  message: string;
}

export function confirmationProblems(c: Confirmation): ConfirmationProblem[] {
  const problems: ConfirmationProblem[] = [];
  if (c.sentOn !== null && c.channel === null) problems.push({ field: "channel", message: "confirmations.validation.channelRequired" });
  if (c.returnedOn !== null) {
    if (c.sentOn === null) problems.push({ field: "sentOn", message: "confirmations.validation.sentRequired" });
    else if (c.returnedOn < c.sentOn) problems.push({ field: "returnedOn", message: "confirmations.validation.returnedBeforeSent" });
  }
  if (c.result !== null && c.sentOn === null) problems.push({ field: "sentOn", message: "confirmations.validation.sentRequired" });
  if ((c.result === "matched" || c.result === "mismatched") && c.returnedOn === null) {
    problems.push({ field: "returnedOn", message: "confirmations.validation.returnedRequired" });
  }
  if (c.result === "not_returned" && c.returnedOn !== null) {
    problems.push({ field: "result", message: "confirmations.validation.returnedButNotReturned" });
  }
  if (c.result === "mismatched") {
    if (c.difference === 0) problems.push({ field: "difference", message: "confirmations.validation.differenceRequired" });
    if (c.note.trim() === "") problems.push({ field: "note", message: "confirmations.validation.noteRequired" });
  } else if (c.difference !== 0) {
    problems.push({ field: "difference", message: "confirmations.validation.differenceOnlyMismatch" });
  }
  if (c.resolvedOn !== null) {
    if (c.result !== "mismatched") problems.push({ field: "resolvedOn", message: "confirmations.validation.resolveOnlyMismatch" });
    else if (c.returnedOn !== null && c.resolvedOn < c.returnedOn) {
      problems.push({ field: "resolvedOn", message: "confirmations.validation.resolvedBeforeReturned" });
    }
  }
  return problems;
}

export interface RateRow {
  /** the owner's or region's name; null = none set */
  key: string | null;
  sent: number;
  returned: number;
  mismatched: number;
  returnRate: number | null;
  mismatchRate: number | null;
}

export interface ConfirmationForRates {
  owner: string | null;
  region: string | null;
  sentOn: IsoDate | null;
  returnedOn: IsoDate | null;
  result: ConfirmationResult | null;
}

/**
 * Return and mismatch rates grouped by owner or region, ranked best first: highest return rate,
 * then lowest mismatch rate, then most sent, then name (code-unit order, "none" last).
 */
export function confirmationRates(rows: readonly ConfirmationForRates[], by: "owner" | "region"): RateRow[] {
  const groups = new Map<string | null, RateRow>();
  for (const row of rows) {
    if (row.sentOn === null) continue;
    const key = row[by];
    let group = groups.get(key);
    if (!group) {
      group = { key, sent: 0, returned: 0, mismatched: 0, returnRate: null, mismatchRate: null };
      groups.set(key, group);
    }
    group.sent += 1;
    if (row.returnedOn !== null) group.returned += 1;
    if (row.result === "mismatched") group.mismatched += 1;
  }
  const result = [...groups.values()].map((g) => ({
    ...g,
    returnRate: g.sent === 0 ? null : g.returned / g.sent,
    mismatchRate: g.returned === 0 ? null : g.mismatched / g.returned,
  }));
  return result.sort(
    (a, b) =>
      desc(a.returnRate, b.returnRate) ||
      -desc(a.mismatchRate, b.mismatchRate) ||
      b.sent - a.sent ||
      compareNames(a.key, b.key),
  );
}

export function totalRates(rows: readonly ConfirmationForRates[]): Omit<RateRow, "key"> {
  const [all] = confirmationRates(rows.map((row) => ({ ...row, owner: "all" })), "owner");
  return all ? { sent: all.sent, returned: all.returned, mismatched: all.mismatched, returnRate: all.returnRate, mismatchRate: all.mismatchRate } : { sent: 0, returned: 0, mismatched: 0, returnRate: null, mismatchRate: null };
}

/** Higher first; null (undefined) after any number. */
function desc(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

function compareNames(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

// ---------------------------------------------------------------- recording, one step at a time

/**
 * The batch pages record a confirmation in steps, each its own small form: sent (date, channel),
 * returned (date, result, for a mismatch the customer's balance or the difference, and a note),
 * resolved (date, note). A step is merged into the row as it stands and the whole row is checked
 * again with `confirmationProblems`, so a step can never leave a row inconsistent; on top of that,
 * no date may lie after today and nothing is sent before the period it confirms has ended.
 * Messages are i18n keys (`confirmations.validation.*`).
 */
export interface SendStep {
  intent: "send";
  rowId: number;
  sentOn: IsoDate;
  channel: ConfirmationChannel;
}

export interface ReturnStep {
  intent: "return";
  rowId: number;
  returnedOn: IsoDate | null;
  result: ConfirmationResult;
  /** the balance the customer confirmed, as typed (major units) */
  confirmedBalance: string;
  /** or the difference directly: the customer's balance minus ours, as typed */
  difference: string;
  note: string;
}

export interface ResolveStep {
  intent: "resolve";
  rowId: number;
  resolvedOn: IsoDate;
  resolutionNote: string;
}

export type ConfirmationStep = SendStep | ReturnStep | ResolveStep;

export interface StoredConfirmation extends Confirmation {
  ourBalance: number;
  resolutionNote: string | null;
}

export type StepOutcome =
  | { ok: true; next: StoredConfirmation }
  | { ok: false; fieldErrors: Record<string, string[]> };

/** Which form field of a step shows a problem found on the merged row (`form` when none fits). */
const STEP_FIELDS: Record<ConfirmationStep["intent"], Partial<Record<keyof Confirmation, string>>> = {
  send: { sentOn: "sentOn", channel: "channel" },
  return: { returnedOn: "returnedOn", result: "result", difference: "difference", note: "note" },
  resolve: { resolvedOn: "resolvedOn" },
};

/**
 * Applies one recorded step to a row: the row as it would be stored, or the field errors (the
 * row unchanged). `today` bounds every date; `periodEnd` is the earliest day a statement of the
 * balance at the period end can go out.
 */
export function applyConfirmationStep(
  current: StoredConfirmation,
  step: ConfirmationStep,
  context: { today: IsoDate; periodEnd: IsoDate },
): StepOutcome {
  const fieldErrors: Record<string, string[]> = {};
  const fail = (field: string, message: string) => {
    const list = (fieldErrors[field] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  let next: StoredConfirmation;
  if (step.intent === "send") {
    if (step.sentOn > context.today) fail("sentOn", "confirmations.validation.future");
    if (step.sentOn < context.periodEnd) fail("sentOn", "confirmations.validation.sentBeforePeriodEnd");
    next = { ...current, sentOn: step.sentOn, channel: step.channel };
  } else if (step.intent === "return") {
    if (step.returnedOn !== null && step.returnedOn > context.today) fail("returnedOn", "confirmations.validation.future");
    let difference = 0;
    if (step.result === "mismatched") {
      const confirmed = step.confirmedBalance === "" ? null : parseAmount(step.confirmedBalance);
      const typed = step.difference === "" ? null : parseAmount(step.difference);
      const fromBalance = confirmed?.ok ? confirmed.minor - current.ourBalance : null;
      const fromDifference = typed?.ok ? typed.minor : null;
      if (fromBalance !== null && fromDifference !== null && fromBalance !== fromDifference) {
        fail("difference", "confirmations.validation.differenceDisagrees");
      }
      difference = fromBalance ?? fromDifference ?? 0;
      if (difference === 0) fail(fromBalance !== null ? "confirmedBalance" : "difference", "confirmations.validation.noDifference");
    }
    next = {
      ...current,
      returnedOn: step.returnedOn,
      result: step.result,
      difference,
      note: step.result === "mismatched" ? step.note : "",
      // a new result starts the follow-up again
      resolvedOn: step.result === "mismatched" && current.result === "mismatched" ? current.resolvedOn : null,
      resolutionNote: step.result === "mismatched" && current.result === "mismatched" ? current.resolutionNote : null,
    };
  } else {
    if (step.resolvedOn > context.today) fail("resolvedOn", "confirmations.validation.future");
    next = { ...current, resolvedOn: step.resolvedOn, resolutionNote: step.resolutionNote };
  }
  const fields = STEP_FIELDS[step.intent];
  const amountRefused = fieldErrors.confirmedBalance !== undefined || fieldErrors.difference !== undefined;
  for (const problem of confirmationProblems(next)) {
    if (problem.field === "difference" && amountRefused) continue;
    // An unrelated problem of the stored row would already have been refused when it was recorded.
    fail(fields[problem.field] ?? "form", problem.message);
  }
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, next };
}

/** The row filters of a batch page. */
export const CONFIRMATION_STATES = ["not_sent", "awaiting", "matched", "mismatch_open", "mismatch_resolved", "not_returned"] as const;
