/**
 * The quarterly credit review's use cases: open a quarter's review (snapshot the worklist),
 * decide a row, approve or decline a waiting decision, close the review. Callers have already
 * checked the role (requirePermission); these check everything about the data, throw AppError
 * when they will not, and write each change in one transaction with its audit entries.
 */
import { limitAwaitingApproval } from "~/features/notifications/index.server";
import { type Db, isDatabaseBusy } from "~/server/db.server";
import {
  type CurrentDecision,
  type DecisionInput,
  NO_TOTALS,
  type ReviewTotals,
  type WorklistRow,
  decisionOutcome,
  measureForReview,
  measureFromTotals,
  worklistRow,
} from "~/features/credit/review/review";
import { type CustomerDocuments, trailingYearStart } from "~/features/credit/rules";
import { AppError } from "~/kernel/app-error";
import { type QuarterNumber, fiscalQuarter } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { recordAudit } from "~/features/audit/index.server";
import { moveNotedCustomers } from "~/features/kpi/index.server";
import { loadPromiseStatuses } from "~/features/credit/collection-actions/index.server";
import { getCreditPolicy } from "~/features/credit/grades/index.server";
import {
  CUSTOMER_SLICE,
  type ReviewSummary,
  type WorklistItem,
  applyToCustomer,
  closeReviewRow,
  creditReviewPlanItemId,
  customerCredit,
  documentsOf,
  findReviewId,
  getApprovalAmount,
  getItem,
  getReview,
  insertReview,
  recordApproval,
  recordDecision,
  reviewCustomers,
  reviewSources,
  storedReviewTotals,
} from "~/features/credit/review/queries.server";

/** Broken promises and instalments due in the trailing 12 months, per customer (collection-actions/promises.ts). */
async function brokenPromiseCounts(db: Db, customerIds: number[] | null, asOf: IsoDate): Promise<Map<number, number>> {
  const start = trailingYearStart(asOf);
  const counts = new Map<number, number>();
  for (const row of await loadPromiseStatuses(db, customerIds, asOf)) {
    if (row.status === "broken" && row.dueOn >= start && row.dueOn <= asOf) counts.set(row.customerId, (counts.get(row.customerId) ?? 0) + 1);
  }
  return counts;
}

export interface BuildOptions {
  /** customers measured so far and in all, after each slice */
  onProgress?: (done: number, total: number) => Promise<void> | void;
  /** Measure every customer from its documents (how openings worked before the import kept paid dates): for comparison. */
  fromDocumentsOnly?: boolean;
}

/** Lets the server answer other requests between slices of a long job. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The worklist as of D for a quarter ending on `quarterEnd`: every active customer measured. The
 * figures come from what the import keeps settled (`open_items`, `invoice_paid_dates`, open runs);
 * only the customers those cannot answer for (queries: ReviewSources) are measured from their
 * documents, in slices of CUSTOMER_SLICE.
 */
export async function buildWorklist(db: Db, asOf: IsoDate, quarterEnd: IsoDate, options: BuildOptions = {}): Promise<WorklistRow[]> {
  const [policy, customers] = await Promise.all([getCreditPolicy(db), reviewCustomers(db)]);
  const broken = await brokenPromiseCounts(db, null, asOf);
  const sources = options.fromDocumentsOnly ? null : await reviewSources(db, asOf);
  const fromDocuments = sources?.fromDocuments ?? null;
  const rows: WorklistRow[] = [];
  // customers come in id order, so a slice is an id range
  for (let i = 0; i < customers.length; i += CUSTOMER_SLICE) {
    const slice = customers.slice(i, i + CUSTOMER_SLICE);
    const measuring = fromDocuments === null ? slice : slice.filter((customer) => fromDocuments.has(customer.customerId));
    // The loop only runs while customers are left, so a slice is never empty.
    const ids = { first: slice[0]!.customerId, last: slice[slice.length - 1]!.customerId };
    const [documents, stored] = await Promise.all([
      measuring.length > 0 ? documentsOf(db, measuring, asOf) : new Map<number, CustomerDocuments>(),
      sources ? storedReviewTotals(db, asOf, trailingYearStart(asOf), sources.fromRuns, ids) : new Map<number, ReviewTotals>(),
    ]);
    for (const customer of slice) {
      const own = documents.get(customer.customerId);
      const brokenPromises = broken.get(customer.customerId) ?? 0;
      const measured = own
        ? measureForReview(policy, customer, own, brokenPromises, asOf)
        : measureFromTotals(policy, customer, stored.get(customer.customerId) ?? NO_TOTALS, brokenPromises);
      const row = worklistRow(policy, customer, measured, quarterEnd);
      if (row) rows.push(row);
    }
    await options.onProgress?.(Math.min(i + CUSTOMER_SLICE, customers.length), customers.length);
    await breathe();
  }
  return rows;
}

/** How many customers an opening measures (its progress bar's whole). */
export async function customersToReview(db: Db): Promise<number> {
  return (await reviewCustomers(db)).length;
}

/**
 * Opens the quarter's review as of `today` (or the quarter's end, for a past quarter), linked to
 * the quarter's credit_review plan item when there is one. A quarter has at most one review.
 * `inTransaction` runs last in the review's transaction (an opening job marks itself done there).
 */
export async function openCreditReview(
  db: Db,
  actor: { id: number },
  quarter: { fiscalYear: number; quarter: QuarterNumber; fiscalStartMonth: number },
  today: IsoDate,
  now = new Date(),
  options: BuildOptions & { inTransaction?: (trx: Db, reviewId: number) => Promise<void> } = {},
): Promise<{ reviewId: number; items: number }> {
  const range = fiscalQuarter(quarter.fiscalYear, quarter.quarter, quarter.fiscalStartMonth);
  if (range.start > today) throw new AppError("invalid", "creditReview.validation.futureQuarter");
  const existing = await findReviewId(db, quarter.fiscalYear, quarter.quarter);
  if (existing !== null) throw AppError.conflict("creditReview.validation.alreadyOpen", { reviewId: existing });
  const asOf = range.end < today ? range.end : today;
  const rows = await buildWorklist(db, asOf, range.end, options);
  const planItemId = await creditReviewPlanItemId(db, asOf);
  try {
    const reviewId = await db.transaction().execute(async (trx) => {
      const id = await insertReview(trx, { fiscalYear: quarter.fiscalYear, quarter: quarter.quarter, asOf, planItemId }, rows, actor.id, now);
      await recordAudit(
        trx,
        { userId: actor.id, entity: "credit_review", entityId: id, action: "open", after: { fiscalYear: quarter.fiscalYear, quarter: quarter.quarter, asOf, planItemId, items: rows.length } },
        now,
      );
      await options.inTransaction?.(trx, id);
      return id;
    });
    return { reviewId, items: rows.length };
  } catch (error) {
    // Two heads opening at once: the unique (fiscal_year, quarter) lets one through.
    if (!isDatabaseBusy(error) && /UNIQUE/i.test(String(error))) {
      throw AppError.conflict("creditReview.validation.alreadyOpen", { reviewId: await findReviewId(db, quarter.fiscalYear, quarter.quarter) });
    }
    throw error;
  }
}

/** A row's decision as stored now: what a refused (409) post shows beside the person's own. */
function decisionNow(item: WorklistItem): CurrentDecision {
  return {
    decision: item.decision,
    decidedGrade: item.decidedGrade,
    decidedLimit: item.decidedLimit,
    comment: item.comment,
    decidedByName: item.decidedByName,
    decidedAt: item.decidedAt,
    needsApproval: item.needsApproval,
    approvalDecision: item.approvalDecision,
    approvedByName: item.approvedByName,
    approvedAt: item.approvedAt,
  };
}

/** The row as stored now, after a write that found it changed. */
async function conflictOn(db: Db, reviewId: number, itemId: number, messageKey: string): Promise<AppError> {
  const item = await getItem(db, reviewId, itemId);
  if (!item) return AppError.notFound();
  return AppError.conflict(messageKey, decisionNow(item), itemId);
}

function closedReview(review: ReviewSummary, subjectId: number | null): AppError {
  return AppError.conflict("creditReview.validation.reviewClosed", { status: review.status, closedAt: review.closedAt }, subjectId);
}

/**
 * A reviewer's decision on one row. Applies at once unless it raises the limit past the approval
 * amount. Refuses (AppError, about the row): a row or review that does not exist (404), a closed
 * review or a row decided meanwhile (409, with what is stored now), a decision the row cannot take (400).
 */
export async function decideReviewItem(
  db: Db,
  actor: { id: number },
  reviewId: number,
  itemId: number,
  input: DecisionInput,
  now = new Date(),
): Promise<{ state: "applied" | "awaiting" }> {
  const [review, item] = await Promise.all([getReview(db, reviewId), getItem(db, reviewId, itemId)]);
  if (!review || !item) throw AppError.notFound();
  if (review.status !== "open") throw closedReview(review, itemId);
  if (item.decision !== null) throw AppError.conflict("creditReview.validation.alreadyDecided", decisionNow(item), itemId);
  const [policy, approvalAmount] = await Promise.all([getCreditPolicy(db), getApprovalAmount(db)]);
  const result = await db.transaction().execute(async (trx) => {
    const current = await customerCredit(trx, item.customerId);
    if (!current) throw AppError.notFound();
    const judged = decisionOutcome(policy, item, current, input, approvalAmount);
    if (!judged.ok) throw new AppError("invalid", judged.problem.message, { fieldErrors: { [judged.problem.field]: [judged.problem.message] }, subjectId: itemId });
    const { outcome } = judged;
    const at = now.toISOString();
    const saved = await recordDecision(trx, itemId, { decision: input.decision, ...outcome, comment: input.comment, userId: actor.id, at });
    // another reviewer's decision landed between the read and this write
    if (!saved) return null;
    await recordAudit(
      trx,
      {
        userId: actor.id,
        entity: "credit_review_item",
        entityId: itemId,
        action: "decide",
        before: { customerId: item.customerId, grade: current.grade, limit: current.limit },
        after: { decision: input.decision, grade: outcome.decidedGrade, limit: outcome.decidedLimit, comment: input.comment, needsApproval: outcome.needsApproval },
      },
      now,
    );
    if (outcome.needsApproval) {
      await limitAwaitingApproval(trx, { reviewId, customerId: item.customerId, limit: outcome.decidedLimit, actorId: actor.id }, now);
      return { state: "awaiting" as const };
    }
    await applyToCustomer(trx, db, item.customerId, { grade: outcome.decidedGrade, limit: outcome.decidedLimit }, { userId: actor.id, reviewId, itemId }, now);
    return { state: "applied" as const };
  });
  if (!result) throw await conflictOn(db, reviewId, itemId, "creditReview.validation.alreadyDecided");
  if (result.state === "applied") moveNotedCustomers(db);
  return result;
}

/**
 * A leader's answer to a waiting decision: approve applies it, decline leaves the customer as is.
 * A decision no longer waiting (answered meanwhile) is refused with 409 and its state now.
 */
export async function answerApproval(
  db: Db,
  actor: { id: number },
  reviewId: number,
  itemId: number,
  answer: { approve: boolean; comment: string },
  now = new Date(),
): Promise<{ state: "approved" | "declined" }> {
  const item = await getItem(db, reviewId, itemId);
  if (!item) throw AppError.notFound();
  if (!(item.decision !== null && item.needsApproval && item.approvalDecision === null)) {
    throw AppError.conflict("creditReview.validation.notAwaiting", decisionNow(item), itemId);
  }
  const result = await db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const saved = await recordApproval(trx, itemId, { ...answer, userId: actor.id, at });
    if (!saved) return null;
    await recordAudit(
      trx,
      {
        userId: actor.id,
        entity: "credit_review_item",
        entityId: itemId,
        action: answer.approve ? "approve" : "decline",
        after: { grade: item.decidedGrade, limit: item.decidedLimit, comment: answer.comment },
      },
      now,
    );
    if (answer.approve) {
      await applyToCustomer(trx, db, item.customerId, { grade: item.decidedGrade, limit: item.decidedLimit }, { userId: actor.id, reviewId, itemId }, now);
    }
    return { state: answer.approve ? ("approved" as const) : ("declined" as const) };
  });
  if (!result) throw await conflictOn(db, reviewId, itemId, "creditReview.validation.notAwaiting");
  if (result.state === "approved") moveNotedCustomers(db);
  return result;
}

/** Closes a review once no decision waits for a leader; rows left undecided stay undecided (not reviewed). */
export async function closeCreditReview(db: Db, actor: { id: number }, reviewId: number, now = new Date()): Promise<void> {
  const review = await getReview(db, reviewId);
  if (!review) throw AppError.notFound();
  if (review.status !== "open") throw closedReview(review, null);
  if (review.awaiting > 0) throw AppError.conflict("creditReview.validation.awaitingOnClose", { awaiting: review.awaiting, decided: review.decided, total: review.total });
  await db.transaction().execute(async (trx) => {
    await closeReviewRow(trx, reviewId, now);
    await recordAudit(trx, { userId: actor.id, entity: "credit_review", entityId: reviewId, action: "close", after: { decided: review.decided, total: review.total } }, now);
  });
}
