/**
 * The credit review pages' reads and commands, from plain values: the list of reviews, one
 * review's worklist, and every post on a review page by `intent`.
 */
import type { CurrentUser } from "~/server/auth.server";
import { planItemsIn, reviewCommentsIn } from "~/features/settings/index.server";
import type { Db } from "~/server/db.server";
import { getSettings } from "~/features/settings/index.server";
import { answerApproval, closeCreditReview, decideReviewItem } from "~/features/credit/review/review.server";
import { failStaleOpening, queueReviewOpening } from "~/features/credit/review/opening.server";
import type { WorklistQuery } from "~/features/credit/review/review";
import type { Done } from "~/server/responses.server";
import { approvalAmountSchema, approvalSchema, decisionSchema, openReviewSchema } from "~/features/credit/review/schema";
import { getCreditPolicy } from "~/features/credit/grades/index.server";
import {
  countAwaitingApproval,
  activeOpening,
  countWorklist,
  getApprovalAmount,
  getOpening,
  latestOpeningOf,
  getReview,
  listAwaitingApproval,
  listReviews,
  listWorklist,
  setApprovalAmount,
} from "~/features/credit/review/queries.server";
import { customerFilterOptions } from "~/features/ledger/index.server";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { quarterOf } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { pageInfo } from "~/kernel/paging";
import { can } from "~/kernel/permissions";

const PAGE_SIZE = 50;

type Values = Record<string, string | undefined>;

function fieldErrorsOf(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) (fieldErrors[issue.path.length ? String(issue.path[0]) : "form"] ??= []).push(issue.message);
  return fieldErrors;
}

/** The reviews so far and this quarter's, with what waits for the viewer. */
export async function reviewsOverview(db: Db, user: CurrentUser, today: IsoDate) {
  const { fiscalStartMonth } = await getSettings(db);
  const quarter = quarterOf(today, fiscalStartMonth);
  const [listed, awaiting] = await Promise.all([listReviews(db), can(user, "credit:approve") ? countAwaitingApproval(db) : Promise.resolve(0)]);
  // The linked plan item's title in the viewer's language (the template's wording until edited).
  const titles = await planItemsIn(db, listed.flatMap((review) => (review.planItem ? [review.planItem] : [])), user.locale);
  const reviews = listed.map((review) => ({ ...review, planItem: titles.find((item) => item.id === review.planItem?.id) ?? review.planItem }));
  const current = reviews.find((review) => review.fiscalYear === quarter.fiscalYear && review.quarter === quarter.quarter) ?? null;
  // While this quarter has no review: the opening under way (any quarter's: one runs at a time)
  // or this quarter's last one, when it failed.
  const mayOpen = can(user, "credit:review");
  if (mayOpen && current === null) await failStaleOpening(db);
  const active = mayOpen && current === null ? await activeOpening(db) : null;
  const latest = mayOpen && current === null && !active ? await latestOpeningOf(db, quarter.fiscalYear, quarter.quarter) : null;
  const opening = active ?? (latest?.status === "failed" ? latest : null);
  return {
    opening,
    quarter: { fiscalYear: quarter.fiscalYear, quarter: quarter.quarter },
    fiscalStartMonth,
    current,
    reviews,
    awaitingYou: awaiting,
    canOpen: mayOpen && current === null && active === null,
  };
}

/**
 * The head opens this quarter's review: the opening is queued and runs in the background (see
 * opening.server.ts); the answer names the opening whose progress page to show.
 */
export async function openThisQuarterReview(db: Db, user: CurrentUser, values: Values, today: IsoDate): Promise<{ openingId: number }> {
  if (!can(user, "credit:review")) throw AppError.forbidden();
  const parsed = openReviewSchema.safeParse(values);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  const { fiscalStartMonth } = await getSettings(db);
  const quarter = quarterOf(today, fiscalStartMonth);
  return queueReviewOpening(db, user, { fiscalYear: quarter.fiscalYear, quarter: quarter.quarter, fiscalStartMonth }, today);
}

/** An opening's progress page: queued, running (measured / all customers), done (its review) or failed (why). */
export async function reviewOpeningPage(db: Db, user: CurrentUser, openingId: number) {
  if (!can(user, "credit:review")) throw AppError.forbidden();
  await failStaleOpening(db);
  const opening = await getOpening(db, openingId);
  if (!opening) throw AppError.notFound();
  const { fiscalStartMonth } = await getSettings(db);
  const percent = opening.progressTotal > 0 ? Math.floor((opening.progressDone / opening.progressTotal) * 100) : 0;
  return { opening: { ...opening, percent }, fiscalStartMonth };
}

/** One review's worklist page (the viewer's customers), its approvals and filters. */
export async function reviewWorklistPage(db: Db, user: CurrentUser, reviewId: number, query: WorklistQuery) {
  const found = await getReview(db, reviewId);
  if (!found) throw AppError.notFound();
  const [planItem] = found.planItem ? await planItemsIn(db, [found.planItem], user.locale) : [];
  const review = { ...found, planItem: planItem ?? found.planItem };
  const scope = ledgerScopeOf(user);
  const total = await countWorklist(db, reviewId, query, scope);
  const page = pageInfo(query.page, total, PAGE_SIZE);
  const mayApprove = can(user, "credit:approve");
  const [items, options, policy, approvalAmount, awaiting, settings] = await Promise.all([
    listWorklist(db, reviewId, query, scope, { offset: page.offset, limit: page.pageSize }),
    customerFilterOptions(db, scope),
    getCreditPolicy(db),
    getApprovalAmount(db),
    mayApprove ? listAwaitingApproval(db, reviewId) : Promise.resolve([]),
    getSettings(db),
  ]);
  return {
    review,
    fiscalStartMonth: settings.fiscalStartMonth,
    items: await reviewCommentsIn(db, items, (item) => item.id, user.locale),
    page,
    query: { show: query.show, owner: query.owner === undefined ? "" : String(query.owner), region: query.region ?? "" },
    options: { owners: options.owners, unassigned: options.unassigned, regions: options.regions, ownerFilter: scope.kind === "all" },
    grades: policy.grades.map((grade) => grade.code),
    approvalAmount,
    awaiting: await reviewCommentsIn(db, awaiting, (item) => item.id, user.locale),
    may: {
      decide: can(user, "credit:review") && review.status === "open",
      approve: mayApprove,
      manage: can(user, "credit:review"),
    },
  };
}

/**
 * Every post on a review page, by `intent`: decide (head), approve / decline (leader),
 * set-approval-amount and close (head). A role that may not gets forbidden; every other refusal
 * is an AppError about the row posted (`subjectId`), answered in the one Refusal shape.
 */
export async function reviewCommand(db: Db, user: CurrentUser, reviewId: number, values: Values): Promise<Done> {
  const intent = values.intent ?? "";
  const posted = /^\d{1,12}$/.test(values.itemId ?? "") ? Number(values.itemId) : null;
  const invalid = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
    new AppError("invalid", "errors.checkFields", { fieldErrors: fieldErrorsOf(issues), subjectId: posted });
  const done = (message: string, subjectId: number | null): Done => ({ ok: true, intent, message, subjectId });
  const require = (permission: "credit:review" | "credit:approve") => {
    if (!can(user, permission)) throw AppError.forbidden();
  };

  switch (intent) {
    case "decide": {
      require("credit:review");
      const parsed = decisionSchema.safeParse(values);
      if (!parsed.success) throw invalid(parsed.error.issues);
      const { itemId, ...input } = parsed.data;
      const result = await decideReviewItem(db, user, reviewId, itemId, input);
      return done(result.state === "applied" ? "creditReview.done.applied" : "creditReview.done.awaiting", itemId);
    }
    case "approve":
    case "decline": {
      require("credit:approve");
      const parsed = approvalSchema.safeParse(values);
      if (!parsed.success) throw invalid(parsed.error.issues);
      const { itemId, ...rest } = parsed.data;
      const result = await answerApproval(db, user, reviewId, itemId, rest);
      return done(result.state === "approved" ? "creditReview.done.approved" : "creditReview.done.declined", itemId);
    }
    case "set-approval-amount": {
      require("credit:review");
      if (!(await getReview(db, reviewId))) throw AppError.notFound();
      const parsed = approvalAmountSchema.safeParse(values);
      if (!parsed.success) throw invalid(parsed.error.issues);
      const changed = await setApprovalAmount(db, parsed.data.amount, user.id);
      return done(changed ? "creditReview.done.amount" : "creditReview.done.amountUnchanged", null);
    }
    case "close": {
      require("credit:review");
      await closeCreditReview(db, user, reviewId);
      return done("creditReview.done.closed", null);
    }
    default:
      throw new AppError("invalid", "creditReview.validation.invalid", { fieldErrors: { form: ["creditReview.validation.invalid"] } });
  }
}
