/**
 * The quarterly credit review's use cases: open a quarter's review (snapshot the worklist),
 * decide a row, approve or decline a waiting decision, close the review. Callers have already
 * checked the role (requirePermission); these check everything about the data and write each
 * change in one transaction with its audit entries.
 */
import { type Db, isDatabaseBusy } from "~/server/db.server";
import { type DecisionInput, type WorklistRow, decisionOutcome, measureForReview, worklistRow } from "~/features/credit/review/review";
import { trailingYearStart } from "~/features/credit/rules";
import { type QuarterNumber, fiscalQuarter } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { recordAudit } from "~/features/audit/index.server";
import { loadCommitmentStatuses } from "~/features/credit/collections/index.server";
import { getCreditPolicy } from "~/features/credit/grades/index.server";
import {
  CUSTOMER_SLICE,
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
} from "~/features/credit/review/queries.server";

export type FieldErrors = Record<string, string[]>;
export type ReviewResult<T = object> = ({ ok: true } & T) | { ok: false; status: 400 | 404; fieldErrors: FieldErrors };

const refuse = (field: string, message: string, status: 400 | 404 = 400) => ({ ok: false as const, status, fieldErrors: { [field]: [message] } });

/** Broken promises and instalments due in the trailing 12 months, per customer (collections/promises.ts). */
async function brokenPromiseCounts(db: Db, customerIds: number[], asOf: IsoDate): Promise<Map<number, number>> {
  const start = trailingYearStart(asOf);
  const counts = new Map<number, number>();
  for (const row of await loadCommitmentStatuses(db, customerIds, asOf)) {
    if (row.status === "broken" && row.dueOn >= start && row.dueOn <= asOf) counts.set(row.customerId, (counts.get(row.customerId) ?? 0) + 1);
  }
  return counts;
}

/**
 * The worklist as of D for a quarter ending on `quarterEnd`: every active customer measured, in
 * slices of CUSTOMER_SLICE (three document queries and one commitment read per slice).
 */
export async function buildWorklist(db: Db, asOf: IsoDate, quarterEnd: IsoDate): Promise<WorklistRow[]> {
  const policy = await getCreditPolicy(db);
  const customers = await reviewCustomers(db);
  const rows: WorklistRow[] = [];
  for (let i = 0; i < customers.length; i += CUSTOMER_SLICE) {
    const slice = customers.slice(i, i + CUSTOMER_SLICE);
    const ids = slice.map((c) => c.customerId);
    const [documents, broken] = await Promise.all([documentsOf(db, slice, asOf), brokenPromiseCounts(db, ids, asOf)]);
    for (const customer of slice) {
      // documents are loaded for every customer of the worklist
      const measured = measureForReview(policy, customer, documents.get(customer.customerId)!, broken.get(customer.customerId) ?? 0, asOf);
      const row = worklistRow(policy, customer, measured, quarterEnd);
      if (row) rows.push(row);
    }
  }
  return rows;
}

/**
 * Opens the quarter's review as of `today` (or the quarter's end, for a past quarter), linked to
 * the quarter's credit_review plan item when there is one. A quarter has at most one review.
 */
export async function openCreditReview(
  db: Db,
  actor: { id: number },
  quarter: { fiscalYear: number; quarter: QuarterNumber; fiscalStartMonth: number },
  today: IsoDate,
  now = new Date(),
): Promise<ReviewResult<{ reviewId: number; items: number }>> {
  const range = fiscalQuarter(quarter.fiscalYear, quarter.quarter, quarter.fiscalStartMonth);
  if (range.start > today) return refuse("form", "creditReview.validation.futureQuarter");
  if ((await findReviewId(db, quarter.fiscalYear, quarter.quarter)) !== null) return refuse("form", "creditReview.validation.alreadyOpen");
  const asOf = range.end < today ? range.end : today;
  const rows = await buildWorklist(db, asOf, range.end);
  const planItemId = await creditReviewPlanItemId(db, asOf);
  try {
    const reviewId = await db.transaction().execute(async (trx) => {
      const id = await insertReview(trx, { fiscalYear: quarter.fiscalYear, quarter: quarter.quarter, asOf, planItemId }, rows, actor.id, now);
      await recordAudit(
        trx,
        { userId: actor.id, entity: "credit_review", entityId: id, action: "open", after: { fiscalYear: quarter.fiscalYear, quarter: quarter.quarter, asOf, planItemId, items: rows.length } },
        now,
      );
      return id;
    });
    return { ok: true, reviewId, items: rows.length };
  } catch (error) {
    // Two heads opening at once: the unique (fiscal_year, quarter) lets one through.
    if (!isDatabaseBusy(error) && /UNIQUE/i.test(String(error))) return refuse("form", "creditReview.validation.alreadyOpen");
    throw error;
  }
}

/** A reviewer's decision on one row. Applies at once unless it raises the limit past the approval amount. */
export async function decideReviewItem(
  db: Db,
  actor: { id: number },
  reviewId: number,
  itemId: number,
  input: DecisionInput,
  now = new Date(),
): Promise<ReviewResult<{ state: "applied" | "awaiting" }>> {
  const [review, item] = await Promise.all([getReview(db, reviewId), getItem(db, reviewId, itemId)]);
  if (!review || !item) return refuse("form", "creditReview.validation.notFound", 404);
  if (review.status !== "open") return refuse("form", "creditReview.validation.reviewClosed");
  if (item.decision !== null) return refuse("decision", "creditReview.validation.alreadyDecided");
  const [policy, approvalAmount] = await Promise.all([getCreditPolicy(db), getApprovalAmount(db)]);
  return db.transaction().execute(async (trx) => {
    const current = await customerCredit(trx, item.customerId);
    if (!current) return refuse("form", "creditReview.validation.notFound", 404);
    const judged = decisionOutcome(policy, item, current, input, approvalAmount);
    if (!judged.ok) return refuse(judged.problem.field, judged.problem.message);
    const { outcome } = judged;
    const at = now.toISOString();
    const saved = await recordDecision(trx, itemId, { decision: input.decision, ...outcome, comment: input.comment, userId: actor.id, at });
    if (!saved) return refuse("decision", "creditReview.validation.alreadyDecided");
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
    if (outcome.needsApproval) return { ok: true as const, state: "awaiting" as const };
    await applyToCustomer(trx, db, item.customerId, { grade: outcome.decidedGrade, limit: outcome.decidedLimit }, { userId: actor.id, reviewId, itemId }, now);
    return { ok: true as const, state: "applied" as const };
  });
}

/** A leader's answer to a waiting decision: approve applies it, decline leaves the customer as is. */
export async function answerApproval(
  db: Db,
  actor: { id: number },
  reviewId: number,
  itemId: number,
  answer: { approve: boolean; comment: string },
  now = new Date(),
): Promise<ReviewResult<{ state: "approved" | "declined" }>> {
  const item = await getItem(db, reviewId, itemId);
  if (!item) return refuse("form", "creditReview.validation.notFound", 404);
  if (!(item.decision !== null && item.needsApproval && item.approvalDecision === null)) return refuse("form", "creditReview.validation.notAwaiting");
  return db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const saved = await recordApproval(trx, itemId, { ...answer, userId: actor.id, at });
    if (!saved) return refuse("form", "creditReview.validation.notAwaiting");
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
    return { ok: true as const, state: answer.approve ? ("approved" as const) : ("declined" as const) };
  });
}

/** Closes a review once no decision waits for a leader; rows left undecided stay undecided (not reviewed). */
export async function closeCreditReview(db: Db, actor: { id: number }, reviewId: number, now = new Date()): Promise<ReviewResult> {
  const review = await getReview(db, reviewId);
  if (!review) return refuse("form", "creditReview.validation.notFound", 404);
  if (review.status !== "open") return refuse("form", "creditReview.validation.reviewClosed");
  if (review.awaiting > 0) return refuse("form", "creditReview.validation.awaitingOnClose");
  await db.transaction().execute(async (trx) => {
    await closeReviewRow(trx, reviewId, now);
    await recordAudit(trx, { userId: actor.id, entity: "credit_review", entityId: reviewId, action: "close", after: { decided: review.decided, total: review.total } }, now);
  });
  return { ok: true };
}
