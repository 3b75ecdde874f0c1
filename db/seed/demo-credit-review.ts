import { answerApproval, closeCreditReview, decideReviewItem, openCreditReview } from "../../app/features/credit/review/review.server";
import type { Db } from "../../app/server/db.server";
import { addDays, quarterOf } from "../../app/kernel/dates";
import type { IsoDate } from "../../app/kernel/ledger/types";
import { getApprovalAmount, listWorklist } from "../../app/features/credit/review/queries.server";
import { getSettings } from "../../app/features/settings/index.server";
import type { Wordings } from "../../app/kernel/built-in-text";
import { both, keepBoth } from "./built-in-text";
import { AppError } from "../../app/kernel/app-error";
import { movingNotedCustomersOnce } from "../../app/features/kpi/index.server";

/** A use case's answer, or null when it refused (the demo skips what the review would not do). */
async function unlessRefused<T>(run: Promise<T>): Promise<T | null> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/**
 * The demo's quarterly credit reviews. Last quarter's review was worked through and closed: the
 * rules' downgrades accepted, limits moved to the grades' policy where that needed no approval
 * (kept where it would have), one customer's limit raised past the approval amount and approved
 * by leadership, one suggestion rejected. This quarter's review is open and part done: the
 * unchanged grades are ticked off, the suggested downgrades still wait for the head (the
 * "accept a suggested downgrade" flow). Deterministic: decisions go by customer code.
 */

interface Actor {
  id: number;
  role: string;
}

export interface DemoReviewPeople {
  head: Actor;
  leader: Actor;
  owners: Actor[];
}

const at = (day: IsoDate, minute: number) => new Date(Date.parse(`${day}T09:00:00.000Z`) + minute * 60_000);

async function allRows(db: Db, reviewId: number) {
  return listWorklist(db, reviewId, { show: "all", owner: undefined, region: undefined }, { kind: "all" }, { offset: 0, limit: 100_000 });
}

const COMMENTS = {
  raise: both("Sales up a third on last year and paid on time: raise the limit for the new season's orders.", "销售额较上年增长三分之一且按时付款：为新一季订单提高信用额度。"),
  approved: both("Approved: keep the guarantee on file.", "同意：担保文件留档备查。"),
  keepGrade: both("Late only on one disputed invoice, now settled after reconciliation: keep the grade.", "仅一张有争议的发票逾期，对账后已结清：维持原等级。"),
  prepays: both("Prepays (cash before delivery): no credit asked for.", "款到发货客户：未申请授信。"),
  gradeOnly: both("Grade as suggested; limit unchanged until next quarter.", "按建议调整等级；额度下季度再定。"),
};

export async function seedDemoCreditReview(db: Db, today: IsoDate, people: DemoReviewPeople): Promise<void> {
  // Hundreds of decisions: their customers' KPI summaries are moved once at the end, not one by one.
  await movingNotedCustomersOnce(db, () => seedReviews(db, today, people));
}

async function seedReviews(db: Db, today: IsoDate, people: DemoReviewPeople): Promise<void> {
  const { fiscalStartMonth } = await getSettings(db);
  const current = quarterOf(today, fiscalStartMonth);
  const previous = quarterOf(addDays(current.start, -1), fiscalStartMonth);
  const approvalAmount = await getApprovalAmount(db);

  // Both wordings of each comment are kept on the review row (./built-in-text.ts).
  const commented = async (rowId: number, field: "comment" | "approval_comment", wordings: Wordings) => keepBoth(db, "credit_review_item", rowId, field, wordings);
  // Last quarter, opened on its last day (figures as of then) and worked through.
  const opened = await unlessRefused(openCreditReview(db, people.head, { ...previous, fiscalStartMonth }, previous.end, at(previous.end, 0)));
  if (!opened) return;
  const lastRows = await allRows(db, opened.reviewId);
  let minute = 1;
  let raised = false;
  let rejected = false;
  for (const row of [...lastRows].sort((a, b) => (a.customerCode < b.customerCode ? -1 : 1))) {
    minute += 1;
    const when = at(previous.end, minute);
    const increase = (row.suggestedLimit ?? 0) - (row.currentLimit ?? 0);
    if (!raised && row.currentGrade === "A" && row.suggestedGrade === "A" && row.currentLimit !== null) {
      // A key account's sales grew: the head raises the limit, leadership approves.
      const decided = await unlessRefused(decideReviewItem(
        db,
        people.head,
        opened.reviewId,
        row.id,
        { decision: "modify", grade: null, limit: row.currentLimit + approvalAmount + 5_000_000, comment: COMMENTS.raise.en },
        when,
      ));
      if (decided) {
        await commented(row.id, "comment", COMMENTS.raise);
        await unlessRefused(answerApproval(db, people.leader, opened.reviewId, row.id, { approve: true, comment: COMMENTS.approved.en }, at(previous.end, minute + 30)));
        await commented(row.id, "approval_comment", COMMENTS.approved);
        raised = true;
        continue;
      }
    }
    if (!rejected && row.suggestedGrade !== null && row.suggestedGrade > (row.currentGrade ?? "") && row.currentGrade !== null) {
      await unlessRefused(decideReviewItem(
        db,
        people.head,
        opened.reviewId,
        row.id,
        { decision: "reject", grade: null, limit: null, comment: COMMENTS.keepGrade.en },
        when,
      ));
      await commented(row.id, "comment", COMMENTS.keepGrade);
      rejected = true;
      continue;
    }
    if (row.suggestedGrade === null) {
      // Ungraded (prepaying) customers stay on cash before delivery until they ask for credit.
      await unlessRefused(decideReviewItem(db, people.head, opened.reviewId, row.id, { decision: "reject", grade: null, limit: null, comment: COMMENTS.prepays.en }, when));
      await commented(row.id, "comment", COMMENTS.prepays);
      continue;
    }
    if (increase > approvalAmount) {
      // The grade as suggested; the limit stays until the sales hold up for another quarter.
      await unlessRefused(decideReviewItem(
        db,
        people.head,
        opened.reviewId,
        row.id,
        { decision: "modify", grade: row.suggestedGrade, limit: row.currentLimit ?? 0, comment: COMMENTS.gradeOnly.en },
        when,
      ));
      await commented(row.id, "comment", COMMENTS.gradeOnly);
      continue;
    }
    await unlessRefused(decideReviewItem(db, people.head, opened.reviewId, row.id, { decision: "accept", grade: null, limit: null, comment: "" }, when));
  }
  await unlessRefused(closeCreditReview(db, people.head, opened.reviewId, at(previous.end, minute + 60)));

  // This quarter, opened a few days ago: the unchanged grades ticked off, the changes pending.
  const openedOn = current.start < addDays(today, -3) ? addDays(today, -3) : current.start;
  const now = await unlessRefused(openCreditReview(db, people.head, { ...current, fiscalStartMonth }, openedOn, at(openedOn, 0)));
  if (!now) return;
  const rows = await allRows(db, now.reviewId);
  let count = 0;
  for (const row of [...rows].sort((a, b) => (a.customerCode < b.customerCode ? -1 : 1))) {
    const unchanged = row.suggestedGrade !== null && row.suggestedGrade === row.currentGrade;
    const increase = (row.suggestedLimit ?? 0) - (row.currentLimit ?? 0);
    if (!unchanged || increase > approvalAmount || count % 2 === 1) {
      count += unchanged ? 1 : 0;
      continue;
    }
    count += 1;
    await unlessRefused(decideReviewItem(db, people.head, now.reviewId, row.id, { decision: "accept", grade: null, limit: null, comment: "" }, at(openedOn, count)));
  }
}
