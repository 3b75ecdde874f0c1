/**
 * The quarterly credit review (客户授信评审), pure: who is on the quarter's worklist, what each
 * row suggests, and what a reviewer's decision does.
 *
 * - Due by frequency: a customer never reviewed, or whose last decided review (the review's
 *   as-of date) is on or before the quarter's end minus the grade's review months. A grade
 *   reviewed every 3 months reviewed in August is due again in the quarter ending in December.
 * - Flagged: the rules suggest another grade (or cannot grade the customer), a demotion or cap
 *   rule holds even at the lowest grade, or open receivables exceed the credit limit.
 * - Suggested limit: the trailing 12 months' average monthly sales times the customer's payment
 *   terms in months plus the (suggested) grade's months of sales ("months of sales on top of the
 *   payment terms", grades/grades.ts), rounded to ¥1,000 (¥10,000 from ¥1,000,000 up): a limit
 *   is a policy figure, not an accounting one.
 * - A decision applies at once unless it raises the credit limit by more than the approval
 *   amount; then it waits for a leader, who approves (it applies) or declines (nothing changes).
 *
 * Zod messages are i18n keys (`creditReview.validation.*`).
 */

import { type CreditGrade, type CreditPolicy, gradeRank } from "~/features/credit/grades";
import {
  type CreditMetrics,
  type CreditReason,
  type CustomerDocuments,
  type GradeSuggestion,
  gradeOf,
  measureCustomer,
  metricDisplay,
  suggestGrade,
  trailingYearStart,
} from "~/features/credit/rules";
import { addMonths } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";

export type ReviewSelection = "never_reviewed" | "due" | "flagged";
export const DECISIONS = ["accept", "modify", "reject"] as const;
export type Decision = (typeof DECISIONS)[number];

/** ¥100,000.00: the default limit increase a head may grant without a leader. */
export const DEFAULT_APPROVAL_AMOUNT = 10_000_000;

/** Never reviewed, or the last review is at least the grade's review months before the quarter's end. */
export function dueByFrequency(lastReviewedOn: IsoDate | null, reviewMonths: number, quarterEnd: IsoDate): "never_reviewed" | "due" | null {
  if (lastReviewedOn === null) return "never_reviewed";
  return lastReviewedOn <= addMonths(quarterEnd, -reviewMonths) ? "due" : null;
}

/** The rules want a change, cannot grade the customer, hold against it at the lowest grade, or it is over its limit. */
export function isFlagged(suggestion: GradeSuggestion, metrics: Pick<CreditMetrics, "utilisation">): boolean {
  if (suggestion.change !== "keep") return true;
  if (suggestion.reasons.some((reason) => reason.key === "credit.reason.demote")) return true;
  const utilisation = metrics.utilisation;
  return utilisation !== null && utilisation.num > utilisation.den;
}

/** To ¥1,000 below ¥1,000,000, to ¥10,000 from there; half up. */
export function roundLimit(minor: number): number {
  const step = minor >= 100_000_000 ? 1_000_000 : 100_000;
  return Math.round(minor / step) * step;
}

/** The grade's limit guideline on the trailing 12 months' sales; null without a grade. */
export function suggestedLimit(grade: Pick<CreditGrade, "limitMonthsOfSales"> | null, trailingSales: number, paymentTermsDays: number): number | null {
  if (grade === null) return null;
  const tenths = Math.round(grade.limitMonthsOfSales * 10);
  // sales / 12 x (terms / 30 + tenths / 10) = sales x (10 x terms + 30 x tenths) / 3600, in integers until the division
  return roundLimit(Math.round((Math.max(0, trailingSales) * (10 * Math.max(0, paymentTermsDays) + 30 * tenths)) / 3600));
}

/** A figure as hundredths of its unit (percent or days), for storage; null when not measurable. */
export function hundredths(metrics: CreditMetrics, metric: "utilisation" | "avg_days_late" | "overdue_ratio"): number | null {
  const shown = metricDisplay(metrics, metric);
  return shown === null ? null : Math.round(shown * 100);
}

export interface ReviewCustomer {
  customerId: number;
  creditGrade: string | null;
  creditLimit: number | null;
  paymentTermsDays: number;
  /** the as-of date of the customer's last decided review */
  lastReviewedOn: IsoDate | null;
}

export interface WorklistRow {
  customerId: number;
  selection: ReviewSelection;
  lastReviewedOn: IsoDate | null;
  currentGrade: string | null;
  suggestedGrade: string | null;
  currentLimit: number | null;
  suggestedLimit: number | null;
  reasons: CreditReason[];
  arTotal: number;
  trailingSales: number;
  utilisationHundredths: number | null;
  avgDaysLateHundredths: number | null;
  overdueRatioHundredths: number | null;
  brokenPromises: number;
}

export interface ReviewMeasure {
  metrics: CreditMetrics;
  suggestion: GradeSuggestion;
  /** open receivables at D, minor units */
  arTotal: number;
  /** invoiced in the trailing 12 months (D - 12 months, D], minor units */
  trailingSales: number;
}

/** A customer's figures and suggested grade as of D (rules.ts does the measuring). */
export function measureForReview(
  policy: CreditPolicy,
  customer: Pick<ReviewCustomer, "creditGrade" | "creditLimit">,
  documents: CustomerDocuments,
  brokenPromises: number,
  asOf: IsoDate,
): ReviewMeasure {
  const metrics = measureCustomer({ documents, asOf, creditLimit: customer.creditLimit, brokenPromises });
  const suggestion = suggestGrade(policy, customer.creditGrade, metrics);
  // The overdue ratio's denominator is the open total whenever anything is open (else it is 0).
  const arTotal = metrics.overdueRatio ? Number(metrics.overdueRatio.den) : 0;
  const start = trailingYearStart(asOf);
  let trailingSales = 0;
  for (const invoice of documents.invoices) if (invoice.issueDate >= start && invoice.issueDate <= asOf) trailingSales += invoice.amount;
  return { metrics, suggestion, arTotal, trailingSales };
}

/** What the import keeps settled for a customer as of D (queries: `storedReviewTotals`). */
export interface ReviewTotals {
  arTotal: number;
  overdueTotal: number;
  trailingSales: number;
  /** over the invoices due in the trailing 12 months: sum of amount x days late, and of amount */
  lateWeighted: bigint;
  lateWeight: bigint;
  writeOffs: number;
}

/**
 * The same figures as `measureForReview`, from totals the import keeps instead of the customer's
 * documents (rules.ts `measureCustomer` states each formula; a test compares the two on a ledger).
 */
export function measureFromTotals(
  policy: CreditPolicy,
  customer: Pick<ReviewCustomer, "creditGrade" | "creditLimit">,
  totals: ReviewTotals,
  brokenPromises: number,
): ReviewMeasure {
  const { arTotal, overdueTotal } = totals;
  const metrics: CreditMetrics = {
    avgDaysLate: totals.lateWeight > 0n ? { num: totals.lateWeighted, den: totals.lateWeight } : null,
    overdueRatio: arTotal > 0 ? { num: BigInt(overdueTotal), den: BigInt(arTotal) } : null,
    brokenPromises,
    writeOffs: totals.writeOffs,
    utilisation: customer.creditLimit !== null && customer.creditLimit > 0 ? { num: BigInt(arTotal), den: BigInt(customer.creditLimit) } : null,
  };
  return { metrics, suggestion: suggestGrade(policy, customer.creditGrade, metrics), arTotal: arTotal > 0 ? arTotal : 0, trailingSales: totals.trailingSales };
}

/** A customer with no documents: nothing open, nothing sold, nothing due. */
export const NO_TOTALS: ReviewTotals = { arTotal: 0, overdueTotal: 0, trailingSales: 0, lateWeighted: 0n, lateWeight: 0n, writeOffs: 0 };

/**
 * One customer's worklist row, or null when it is neither due nor flagged. An ungraded customer
 * (or one whose grade the policy does not know) is reviewed every quarter until graded.
 */
export function worklistRow(
  policy: CreditPolicy,
  customer: ReviewCustomer,
  measured: ReviewMeasure,
  quarterEnd: IsoDate,
): WorklistRow | null {
  const grade = gradeOf(policy, customer.creditGrade);
  const reviewMonths = grade?.reviewMonths ?? 3;
  const selection = dueByFrequency(customer.lastReviewedOn, reviewMonths, quarterEnd) ?? (isFlagged(measured.suggestion, measured.metrics) ? "flagged" : null);
  if (selection === null) return null;
  const { metrics, suggestion } = measured;
  return {
    customerId: customer.customerId,
    selection,
    lastReviewedOn: customer.lastReviewedOn,
    currentGrade: customer.creditGrade,
    suggestedGrade: suggestion.suggestedGrade,
    currentLimit: customer.creditLimit,
    suggestedLimit: suggestedLimit(gradeOf(policy, suggestion.suggestedGrade), measured.trailingSales, customer.paymentTermsDays),
    reasons: suggestion.reasons,
    arTotal: measured.arTotal,
    trailingSales: measured.trailingSales,
    utilisationHundredths: hundredths(metrics, "utilisation"),
    avgDaysLateHundredths: hundredths(metrics, "avg_days_late"),
    overdueRatioHundredths: hundredths(metrics, "overdue_ratio"),
    brokenPromises: metrics.brokenPromises,
  };
}

// ---------------------------------------------------------------------------------------------
// Decisions.

export interface DecisionInput {
  decision: Decision;
  /** modify: the reviewer's grade, or null to keep the customer's */
  grade: string | null;
  /** modify: the reviewer's limit in minor units, or null to keep the customer's */
  limit: number | null;
  comment: string;
}

export interface DecisionOutcome {
  decidedGrade: string | null;
  decidedLimit: number | null;
  needsApproval: boolean;
}

export type DecisionProblem = { field: "grade" | "decision"; message: string };

/**
 * What a decision sets, judged against the customer as it is now (`current`): accept takes the
 * row's suggestions (a missing suggestion keeps the current value), modify the reviewer's values,
 * reject keeps both. Needs approval when the limit rises by more than `approvalAmount`.
 */
export function decisionOutcome(
  policy: CreditPolicy,
  row: { suggestedGrade: string | null; suggestedLimit: number | null },
  current: { grade: string | null; limit: number | null },
  input: DecisionInput,
  approvalAmount: number,
): { ok: true; outcome: DecisionOutcome } | { ok: false; problem: DecisionProblem } {
  let grade = current.grade;
  let limit = current.limit;
  if (input.decision === "accept") {
    if (row.suggestedGrade === null && row.suggestedLimit === null) {
      return { ok: false, problem: { field: "decision", message: "creditReview.validation.nothingToAccept" } };
    }
    grade = row.suggestedGrade ?? current.grade;
    limit = row.suggestedLimit ?? current.limit;
  } else if (input.decision === "modify") {
    if (input.grade !== null && gradeRank(policy.grades, input.grade) < 0) {
      return { ok: false, problem: { field: "grade", message: "creditReview.validation.unknownGrade" } };
    }
    grade = input.grade ?? current.grade;
    limit = input.limit ?? current.limit;
  }
  return { ok: true, outcome: { decidedGrade: grade, decidedLimit: limit, needsApproval: needsApproval(current.limit, limit, approvalAmount) } };
}

/** A limit raised by more than the approval amount (no limit counts as zero). */
export function needsApproval(currentLimit: number | null, decidedLimit: number | null, approvalAmount: number): boolean {
  return (decidedLimit ?? 0) - (currentLimit ?? 0) > approvalAmount;
}

export type RowState = "pending" | "awaiting" | "approved" | "declined" | "decided";

export function rowState(row: { decision: Decision | null; needsApproval: boolean; approvalDecision: "approved" | "declined" | null }): RowState {
  if (row.decision === null) return "pending";
  if (!row.needsApproval) return "decided";
  return row.approvalDecision ?? "awaiting";
}

// ---------------------------------------------------------------------------------------------
// The worklist's filters (the URL holds them).

export const ROW_FILTERS = ["all", "pending", "decided", "awaiting"] as const;
export type RowFilter = (typeof ROW_FILTERS)[number];

export interface WorklistQuery {
  show: RowFilter;
  /** a user id, "none" (no owner) or undefined (anyone) */
  owner: number | "none" | undefined;
  region: string | undefined;
  page: number;
}

export function readWorklistQuery(params: URLSearchParams): WorklistQuery {
  const show = params.get("show");
  const owner = params.get("owner");
  const region = params.get("region")?.trim();
  const page = Number(params.get("page"));
  return {
    // show is one of the filters (checked here)
    show: (ROW_FILTERS as readonly string[]).includes(show ?? "") ? (show as RowFilter) : "all",
    owner: owner === "none" ? "none" : owner && /^\d{1,9}$/.test(owner) ? Number(owner) : undefined,
    region: region ? region.slice(0, 100) : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

// ---------------------------------------------------------------------------------------------
// What the screens show (the model reads these shapes; loaders pass them through as JSON).

/** A worklist row as stored, with its customer and its decision. */
export interface WorklistItemView extends WorklistRow {
  id: number;
  reviewId: number;
  customerCode: string;
  customerName: string;
  region: string | null;
  ownerId: number | null;
  ownerName: string | null;
  decision: Decision | null;
  decidedGrade: string | null;
  decidedLimit: number | null;
  comment: string;
  decidedByName: string | null;
  decidedAt: string | null;
  needsApproval: boolean;
  approvalDecision: "approved" | "declined" | null;
  approvalComment: string;
  approvedByName: string | null;
  approvedAt: string | null;
  appliedAt: string | null;
}

export interface CustomerReviewDecision {
  itemId: number;
  reviewId: number;
  fiscalYear: number;
  quarter: number;
  decision: Decision;
  gradeBefore: string | null;
  gradeAfter: string | null;
  limitBefore: number | null;
  limitAfter: number | null;
  comment: string;
  decidedByName: string | null;
  decidedAt: string | null;
  needsApproval: boolean;
  approvalDecision: "approved" | "declined" | null;
  approvedByName: string | null;
  approvalComment: string;
}

/** A row's decision as stored now: what a refused (409) post carries as `current`. */
export type CurrentDecision = Pick<
  WorklistItemView,
  | "decision"
  | "decidedGrade"
  | "decidedLimit"
  | "comment"
  | "decidedByName"
  | "decidedAt"
  | "needsApproval"
  | "approvalDecision"
  | "approvedByName"
  | "approvedAt"
>;
