import { type RawBuilder, sql } from "kysely";

import { type Db, isPostgres, sqliteConnectionOf } from "~/server/db.server";
import type { CustomerDocuments } from "~/features/credit/rules";
import {
  type CustomerReviewDecision,
  DEFAULT_APPROVAL_AMOUNT,
  type Decision,
  type WorklistItemView,
  NO_TOTALS,
  type ReviewCustomer,
  type ReviewTotals,
  type WorklistQuery,
  type WorklistRow,
} from "~/features/credit/review/review";
import type { LedgerScope } from "~/kernel/ledger/scope";
import type { AdjustmentType, IsoDate } from "~/kernel/ledger/types";
import { recordAudit } from "~/features/audit/index.server";
import { changeCustomerKeepingSummaries, summaryMovePutOff } from "~/features/kpi/index.server";

/**
 * The quarterly credit review's storage: reviews, their worklist rows, the approval amount, and
 * the bulk reads that measure every customer in slices (never one query per customer).
 */

const APPROVAL_KEY = "credit_review_approval_amount";
/** Customers per slice when reading documents: bounded memory and bound parameters. */
export const CUSTOMER_SLICE = 500;

export async function getApprovalAmount(db: Db): Promise<number> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", APPROVAL_KEY).executeTakeFirst();
  const value = Number(row?.value);
  return Number.isSafeInteger(value) && value >= 0 ? value : DEFAULT_APPROVAL_AMOUNT;
}

/** Audited; an unchanged amount writes nothing. */
export async function setApprovalAmount(db: Db, amount: number, userId: number, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await getApprovalAmount(trx);
    if (before === amount) return false;
    await trx
      .insertInto("settings")
      .values({ key: APPROVAL_KEY, value: String(amount) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: String(amount) }))
      .execute();
    await recordAudit(trx, { userId, entity: "credit_review_settings", entityId: "approval_amount", action: "update", before: { amount: before }, after: { amount } }, now);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Reviews.

export interface ReviewSummary {
  id: number;
  fiscalYear: number;
  quarter: number;
  asOf: IsoDate;
  status: "open" | "closed";
  createdAt: string;
  createdByName: string | null;
  closedAt: string | null;
  planItem: { id: number; planId: number; title: string } | null;
  total: number;
  decided: number;
  awaiting: number;
}

function reviewQuery(db: Db) {
  return db
    .selectFrom("credit_reviews as r")
    .leftJoin("users as u", "u.id", "r.created_by")
    .leftJoin("plan_items as pi", "pi.id", "r.plan_item_id")
    .select((eb) => [
      "r.id",
      "r.fiscal_year as fiscalYear",
      "r.quarter",
      "r.as_of as asOf",
      "r.status",
      "r.created_at as createdAt",
      "u.name as createdByName",
      "r.closed_at as closedAt",
      "pi.id as planItemId",
      "pi.plan_id as planId",
      "pi.title as planItemTitle",
      eb.selectFrom("credit_review_items as i").select(eb.fn.countAll().as("n")).whereRef("i.review_id", "=", "r.id").as("total"),
      eb
        .selectFrom("credit_review_items as i")
        .select(eb.fn.countAll().as("n"))
        .whereRef("i.review_id", "=", "r.id")
        .where("i.decision", "is not", null)
        .as("decided"),
      eb
        .selectFrom("credit_review_items as i")
        .select(eb.fn.countAll().as("n"))
        .whereRef("i.review_id", "=", "r.id")
        .where("i.decision", "is not", null)
        .where("i.needs_approval", "=", 1)
        .where("i.approval_decision", "is", null)
        .as("awaiting"),
    ]);
}

type ReviewRow = Awaited<ReturnType<ReturnType<typeof reviewQuery>["execute"]>>[number];

function summaryOf(row: ReviewRow): ReviewSummary {
  return {
    id: row.id,
    fiscalYear: row.fiscalYear,
    quarter: row.quarter,
    asOf: row.asOf,
    status: row.status,
    createdAt: row.createdAt,
    createdByName: row.createdByName,
    closedAt: row.closedAt,
    planItem: row.planItemId !== null && row.planId !== null ? { id: row.planItemId, planId: row.planId, title: row.planItemTitle ?? "" } : null,
    total: Number(row.total ?? 0),
    decided: Number(row.decided ?? 0),
    awaiting: Number(row.awaiting ?? 0),
  };
}

/** Every review, newest quarter first. */
export async function listReviews(db: Db): Promise<ReviewSummary[]> {
  const rows = await reviewQuery(db).orderBy("r.fiscal_year", "desc").orderBy("r.quarter", "desc").execute();
  return rows.map(summaryOf);
}

export async function getReview(db: Db, reviewId: number): Promise<ReviewSummary | null> {
  const row = await reviewQuery(db).where("r.id", "=", reviewId).executeTakeFirst();
  return row ? summaryOf(row) : null;
}

export async function findReviewId(db: Db, fiscalYear: number, quarter: number): Promise<number | null> {
  const row = await db.selectFrom("credit_reviews").select("id").where("fiscal_year", "=", fiscalYear).where("quarter", "=", quarter).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The first plan item of category credit_review in the plan in force on `asOf` (the review's
 * date), found by the plan's own dates: a plan keeps them when the fiscal start month changes,
 * so its name need not match the review's quarter.
 */
export async function creditReviewPlanItemId(db: Db, asOf: IsoDate): Promise<number | null> {
  const row = await db
    .selectFrom("plan_items as pi")
    .innerJoin("plans as p", "p.id", "pi.plan_id")
    .select("pi.id")
    .where("p.start_date", "<=", asOf)
    .where("p.end_date", ">=", asOf)
    .where("pi.category", "=", "credit_review")
    .orderBy("pi.position")
    .orderBy("pi.id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The review linked to a plan item, with its progress; null when none is. */
export async function reviewForPlanItem(db: Db, planItemId: number): Promise<ReviewSummary | null> {
  const row = await reviewQuery(db).where("r.plan_item_id", "=", planItemId).executeTakeFirst();
  return row ? summaryOf(row) : null;
}

// ---------------------------------------------------------------------------------------------
// Reading the ledger for a review, in slices.

/** Active customers with their grade, limit and the as-of date of their last decided review. */
export async function reviewCustomers(db: Db): Promise<(ReviewCustomer & { code: string })[]> {
  const [customers, reviewed] = await Promise.all([
    db
      .selectFrom("customers")
      .select(["id", "code", "credit_grade", "credit_limit", "payment_terms_days"])
      .where("status", "=", "active")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("credit_review_items as i")
      .innerJoin("credit_reviews as r", "r.id", "i.review_id")
      .select((eb) => ["i.customer_id", eb.fn.max("r.as_of").as("lastReviewedOn")])
      .where("i.decision", "is not", null)
      .groupBy("i.customer_id")
      .execute(),
  ]);
  // max() over a NOT NULL column of the grouped rows is never null
  const last = new Map(reviewed.map((row) => [row.customer_id, row.lastReviewedOn as string]));
  return customers.map((c) => ({
    customerId: c.id,
    code: c.code,
    creditGrade: c.credit_grade,
    creditLimit: c.credit_limit,
    paymentTermsDays: c.payment_terms_days,
    lastReviewedOn: last.get(c.id) ?? null,
  }));
}

/** The documents dated on or before `asOf` of a slice of customers, by customer id. */
export async function documentsOf(db: Db, customers: readonly { customerId: number; code: string }[], asOf: IsoDate): Promise<Map<number, CustomerDocuments>> {
  const ids = customers.map((c) => c.customerId);
  const code = new Map(customers.map((c) => [c.customerId, c.code]));
  const byCustomer = new Map<number, { invoices: CustomerDocuments["invoices"][number][]; payments: CustomerDocuments["payments"][number][]; adjustments: CustomerDocuments["adjustments"][number][] }>(
    ids.map((id) => [id, { invoices: [], payments: [], adjustments: [] }]),
  );
  if (ids.length === 0) return byCustomer;
  const [invoices, payments, adjustments] = await Promise.all([
    db
      .selectFrom("invoices")
      .select(["customer_id", "invoice_no", "issue_date", "due_date", "amount"])
      .where("customer_id", "in", ids)
      .where("issue_date", "<=", asOf)
      .execute(),
    db
      .selectFrom("payments as p")
      .leftJoin("invoices as i", "i.id", "p.invoice_id")
      .select(["p.customer_id", "p.payment_no", "p.date", "p.amount", "i.invoice_no"])
      .where("p.customer_id", "in", ids)
      .where("p.date", "<=", asOf)
      .execute(),
    db
      .selectFrom("adjustments as a")
      .leftJoin("invoices as i", "i.id", "a.invoice_id")
      .select(["a.customer_id", "a.adjustment_no", "a.date", "a.amount", "a.type", "i.invoice_no"])
      .where("a.customer_id", "in", ids)
      .where("a.date", "<=", asOf)
      .execute(),
  ]);
  for (const i of invoices) {
    // byCustomer and code have every customer the documents are selected for
    byCustomer.get(i.customer_id)!.invoices.push({ invoiceNo: i.invoice_no, customerCode: code.get(i.customer_id)!, issueDate: i.issue_date, dueDate: i.due_date, amount: Number(i.amount) });
  }
  for (const p of payments) {
    // byCustomer and code have every customer the documents are selected for
    byCustomer.get(p.customer_id)!.payments.push({ paymentNo: p.payment_no, customerCode: code.get(p.customer_id)!, date: p.date, amount: Number(p.amount), invoiceNo: p.invoice_no ?? null });
  }
  for (const a of adjustments) {
    // byCustomer and code have every customer the documents are selected for; a CHECK constraint admits only these values (type)
    byCustomer.get(a.customer_id)!.adjustments.push({
      adjustmentNo: a.adjustment_no,
      customerCode: code.get(a.customer_id)!,
      date: a.date,
      amount: Number(a.amount),
      type: a.type as AdjustmentType,
      invoiceNo: a.invoice_no ?? null,
    });
  }
  return byCustomer;
}

/**
 * Where each customer's figures as of `asOf` come from. By default, what the import keeps settled
 * (`open_items`, `invoice_paid_dates`). A customer with payments or adjustments dated after
 * `asOf` (and no later invoice) reads its open amounts at `asOf` from its open runs
 * (`status_open_runs`, as the holds list does): later settlements only lower open amounts, so an
 * invoice settled by `asOf` keeps its paid date and one settled after was open at `asOf`. Measured
 * from its documents: a customer with an invoice dated after `asOf` (it can re-open older ones),
 * one whose invoices the import has not swept since the paid dates were kept, and one with later
 * settlements whose open runs wait for the status keeper.
 */
export interface ReviewSources {
  fromDocuments: Set<number>;
  fromRuns: Set<number>;
}

/** The status table's raw tables (not in the typed schema). */
type StatusTables = {
  status_customer_dates: { customer_id: number; last_document_date: string };
  status_open_runs: { customer_id: number; to_day: string; from_day: string; due_date: string; open_amount: number };
  status_stale_customers: { customer_id: number };
};

/** Customers with a document dated after `asOf`, by the latest document dates the import keeps (`status_customer_dates`). */
function customersWithLaterDocuments(db: Db, asOf: IsoDate) {
  return db.withTables<StatusTables>().selectFrom("status_customer_dates").select("customer_id").where("last_document_date", ">", asOf);
}

export async function reviewSources(db: Db, asOf: IsoDate): Promise<ReviewSources> {
  const sdb = db.withTables<StatusTables>();
  const [laterInvoices, later, stale, unswept] = await Promise.all([
    db.selectFrom("invoices").select("customer_id").distinct().where("issue_date", ">", asOf).execute(),
    customersWithLaterDocuments(db, asOf).execute(),
    sdb.selectFrom("status_stale_customers").select("customer_id").execute(),
    db
      .selectFrom("customers as c")
      .select("c.id as customer_id")
      .where((eb) => eb.exists(eb.selectFrom("invoices as i").select("i.id").whereRef("i.customer_id", "=", "c.id")))
      .where((eb) => eb.not(eb.exists(eb.selectFrom("invoice_paid_dates as p").select("p.invoice_id").whereRef("p.customer_id", "=", "c.id"))))
      .execute(),
  ]);
  // A stale customer's latest document date and open runs wait for the status keeper.
  const staleIds = new Set(stale.map((row) => row.customer_id));
  const fromDocuments = new Set([...laterInvoices, ...unswept].map((row) => row.customer_id));
  const fromRuns = new Set<number>();
  for (const { customer_id: id } of [...later, ...stale]) {
    if (fromDocuments.has(id)) continue;
    if (staleIds.has(id)) fromDocuments.add(id);
    else fromRuns.add(id);
  }
  return { fromDocuments, fromRuns };
}

/**
 * Whole days from one ISO date text to another, later ones positive. The two dialects differ here:
 * SQLite has no date type (julianday() counts days), PostgreSQL has no julianday() (a date minus a
 * date is a count of days).
 */
function daysFromTo(db: Db, from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<number> {
  return isPostgres(db)
    ? sql<number>`(cast(${to} as date) - cast(${from} as date))`
    : sql<number>`cast(julianday(${to}) - julianday(${from}) as integer)`;
}

/**
 * Each customer's figures as of `asOf` from what the import keeps settled (see ReviewSources; the
 * customers measured from documents are left out by the caller): open and overdue totals,
 * invoiced in the trailing window [windowStart, asOf], the write-offs in it, and the amount-weighted
 * days late of the invoices due in it (an invoice open at `asOf` counts the days to `asOf`).
 * Sums of products come back as text, read as bigint: exact past 2^53.
 */
export async function storedReviewTotals(
  db: Db,
  asOf: IsoDate,
  windowStart: IsoDate,
  fromRuns: ReadonlySet<number>,
  /** a slice of customers by id (every table here leads with the customer): short reads, so requests get through between them */
  ids: { first: number; last: number },
): Promise<Map<number, ReviewTotals>> {
  const sdb = db.withTables<StatusTables>();
  const daysLate = daysFromTo(db, sql.ref("due_date"), sql`case when paid_on is null or paid_on > ${asOf} then ${asOf} else paid_on end`);
  const [open, runs, invoices, writeOffs] = await Promise.all([
    db
      .selectFrom("open_items")
      .select((eb) => [
        "customer_id",
        eb.fn.sum<number>("open_amount").as("ar"),
        eb.fn.sum<number>(eb.case().when("due_date", "<", asOf).then(eb.ref("open_amount")).else(0).end()).as("overdue"),
      ])
      .groupBy("customer_id")
      .execute(),
    fromRuns.size === 0
      ? Promise.resolve([])
      : sdb
          .selectFrom("status_open_runs")
          .select((eb) => [
            "customer_id",
            eb.fn.sum<number>("open_amount").as("ar"),
            eb.fn.sum<number>(eb.case().when("due_date", "<", asOf).then(eb.ref("open_amount")).else(0).end()).as("overdue"),
          ])
          .where("customer_id", ">=", ids.first)
          .where("customer_id", "<=", ids.last)
          .where("customer_id", "in", customersWithLaterDocuments(db, asOf))
          .where("to_day", ">=", asOf)
          .where("from_day", "<=", asOf)
          .where("open_amount", ">", 0)
          .groupBy("customer_id")
          .execute(),
    db
      .selectFrom("invoice_paid_dates")
      .select((eb) => [
        "customer_id",
        eb.fn.sum<number>(eb.case().when(eb.between("issue_date", windowStart, asOf)).then(eb.ref("amount")).else(0).end()).as("sales"),
        sql<string>`cast(sum(case when due_date between ${windowStart} and ${asOf} then amount else 0 end) as text)`.as("weight"),
        // settled after asOf (or not at all): open at asOf, late until asOf
        sql<string>`cast(sum(case when due_date between ${windowStart} and ${asOf} and ${daysLate} > 0
          then amount * ${daysLate}
          else 0 end) as text)`.as("weighted"),
      ])
      .where("customer_id", ">=", ids.first)
      .where("customer_id", "<=", ids.last)
      .where((eb) => eb.or([eb.between("issue_date", windowStart, asOf), eb.between("due_date", windowStart, asOf)]))
      .groupBy("customer_id")
      .execute(),
    db
      .selectFrom("adjustments")
      .select((eb) => ["customer_id", eb.fn.countAll<number>().as("n")])
      .where("customer_id", ">=", ids.first)
      .where("customer_id", "<=", ids.last)
      .where("type", "=", "write_off")
      .where("date", ">=", windowStart)
      .where("date", "<=", asOf)
      .groupBy("customer_id")
      .execute(),
  ]);
  const totals = new Map<number, ReviewTotals>();
  const of = (customerId: number) => {
    let entry = totals.get(customerId);
    if (!entry) totals.set(customerId, (entry = { ...NO_TOTALS }));
    return entry;
  };
  for (const row of open) {
    if (!fromRuns.has(row.customer_id)) Object.assign(of(row.customer_id), { arTotal: Number(row.ar ?? 0), overdueTotal: Number(row.overdue ?? 0) });
  }
  for (const row of runs) {
    if (fromRuns.has(row.customer_id)) Object.assign(of(row.customer_id), { arTotal: Number(row.ar ?? 0), overdueTotal: Number(row.overdue ?? 0) });
  }
  for (const row of invoices) {
    Object.assign(of(row.customer_id), { trailingSales: Number(row.sales ?? 0), lateWeight: BigInt(row.weight ?? "0"), lateWeighted: BigInt(row.weighted ?? "0") });
  }
  for (const row of writeOffs) of(row.customer_id).writeOffs = Number(row.n);
  return totals;
}

// ---------------------------------------------------------------------------------------------
// Writing a review.

export async function insertReview(
  db: Db,
  review: { fiscalYear: number; quarter: number; asOf: IsoDate; planItemId: number | null },
  rows: readonly WorklistRow[],
  userId: number,
  now: Date,
): Promise<number> {
  const created = await db
    .insertInto("credit_reviews")
    .values({
      fiscal_year: review.fiscalYear,
      quarter: review.quarter,
      as_of: review.asOf,
      created_by: userId,
      created_at: now.toISOString(),
      plan_item_id: review.planItemId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // ~16 values a row: 400 rows stay well under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 400) {
    await db
      .insertInto("credit_review_items")
      .values(
        rows.slice(i, i + 400).map((row) => ({
          review_id: created.id,
          customer_id: row.customerId,
          selection: row.selection,
          last_reviewed_on: row.lastReviewedOn,
          current_grade: row.currentGrade,
          suggested_grade: row.suggestedGrade,
          current_limit: row.currentLimit,
          suggested_limit: row.suggestedLimit,
          reasons: JSON.stringify(row.reasons),
          ar_total: row.arTotal,
          trailing_sales: row.trailingSales,
          utilisation_hundredths: row.utilisationHundredths,
          avg_days_late_hundredths: row.avgDaysLateHundredths,
          overdue_ratio_hundredths: row.overdueRatioHundredths,
          broken_promises: row.brokenPromises,
        })),
      )
      .execute();
  }
  return created.id;
}

export async function closeReviewRow(db: Db, reviewId: number, now: Date): Promise<void> {
  await db.updateTable("credit_reviews").set({ status: "closed", closed_at: now.toISOString() }).where("id", "=", reviewId).execute();
}

// ---------------------------------------------------------------------------------------------
// Worklist rows.

function itemQuery(db: Db) {
  return db
    .selectFrom("credit_review_items as i")
    .innerJoin("customers as c", "c.id", "i.customer_id")
    .leftJoin("users as owner", "owner.id", "c.owner_id")
    .leftJoin("users as decider", "decider.id", "i.decided_by")
    .leftJoin("users as approver", "approver.id", "i.approved_by")
    .select([
      "i.id",
      "i.review_id as reviewId",
      "i.customer_id as customerId",
      "c.code as customerCode",
      "c.name as customerName",
      "c.region",
      "c.owner_id as ownerId",
      "owner.name as ownerName",
      "i.selection",
      "i.last_reviewed_on as lastReviewedOn",
      "i.current_grade as currentGrade",
      "i.suggested_grade as suggestedGrade",
      "i.current_limit as currentLimit",
      "i.suggested_limit as suggestedLimit",
      "i.reasons",
      "i.ar_total as arTotal",
      "i.trailing_sales as trailingSales",
      "i.utilisation_hundredths as utilisationHundredths",
      "i.avg_days_late_hundredths as avgDaysLateHundredths",
      "i.overdue_ratio_hundredths as overdueRatioHundredths",
      "i.broken_promises as brokenPromises",
      "i.decision",
      "i.decided_grade as decidedGrade",
      "i.decided_limit as decidedLimit",
      "i.comment",
      "decider.name as decidedByName",
      "i.decided_at as decidedAt",
      "i.needs_approval as needsApproval",
      "i.approval_decision as approvalDecision",
      "i.approval_comment as approvalComment",
      "approver.name as approvedByName",
      "i.approved_at as approvedAt",
      "i.applied_at as appliedAt",
    ]);
}

type RawItem = Awaited<ReturnType<ReturnType<typeof itemQuery>["execute"]>>[number];

export type WorklistItem = WorklistItemView;

function itemOf(row: RawItem): WorklistItem {
  let reasons: WorklistItem["reasons"] = [];
  try {
    const parsed: unknown = JSON.parse(row.reasons);
    // the reasons are written only by the worklist snapshot, from this type
    if (Array.isArray(parsed)) reasons = parsed as WorklistItem["reasons"];
  } catch {
    reasons = [];
  }
  return { ...row, reasons, needsApproval: row.needsApproval === 1 };
}

function filtered(db: Db, reviewId: number, query: Omit<WorklistQuery, "page">, scope: LedgerScope) {
  let q = itemQuery(db).where("i.review_id", "=", reviewId);
  if (scope.kind === "owner") q = q.where("c.owner_id", "=", scope.ownerId);
  if (query.owner === "none") q = q.where("c.owner_id", "is", null);
  else if (query.owner !== undefined) q = q.where("c.owner_id", "=", query.owner);
  if (query.region) q = q.where("c.region", "=", query.region);
  if (query.show === "pending") q = q.where("i.decision", "is", null);
  if (query.show === "decided") q = q.where("i.decision", "is not", null);
  if (query.show === "awaiting") q = q.where("i.decision", "is not", null).where("i.needs_approval", "=", 1).where("i.approval_decision", "is", null);
  return q;
}

/** One page of a review's rows in the viewer's scope: flagged first, then by customer code. */
export async function listWorklist(
  db: Db,
  reviewId: number,
  query: Omit<WorklistQuery, "page">,
  scope: LedgerScope,
  page: { offset: number; limit: number },
): Promise<WorklistItem[]> {
  const rows = await filtered(db, reviewId, query, scope)
    .orderBy((eb) => eb.case().when("i.suggested_grade", "is", null).then(1).when("i.suggested_grade", "=", eb.ref("i.current_grade")).then(2).else(0).end())
    .orderBy("c.code")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows.map(itemOf);
}

export async function countWorklist(db: Db, reviewId: number, query: Omit<WorklistQuery, "page">, scope: LedgerScope): Promise<number> {
  const row = await filtered(db, reviewId, query, scope)
    .clearSelect()
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getItem(db: Db, reviewId: number, itemId: number): Promise<WorklistItem | null> {
  const row = await itemQuery(db).where("i.review_id", "=", reviewId).where("i.id", "=", itemId).executeTakeFirst();
  return row ? itemOf(row) : null;
}

/** Decisions waiting for a leader, in one review or all, oldest decision first. */
export async function listAwaitingApproval(db: Db, reviewId: number | null): Promise<WorklistItem[]> {
  const rows = await itemQuery(db)
    .where("i.decision", "is not", null)
    .where("i.needs_approval", "=", 1)
    .where("i.approval_decision", "is", null)
    // $if runs the callback only when reviewId is not null
    .$if(reviewId !== null, (q) => q.where("i.review_id", "=", reviewId!))
    .orderBy("i.decided_at")
    .orderBy("i.id")
    .limit(200)
    .execute();
  return rows.map(itemOf);
}

export async function countAwaitingApproval(db: Db): Promise<number> {
  const row = await db
    .selectFrom("credit_review_items")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("decision", "is not", null)
    .where("needs_approval", "=", 1)
    .where("approval_decision", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordDecision(
  db: Db,
  itemId: number,
  values: { decision: Decision; decidedGrade: string | null; decidedLimit: number | null; comment: string; needsApproval: boolean; userId: number; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable("credit_review_items")
    .set({
      decision: values.decision,
      decided_grade: values.decidedGrade,
      decided_limit: values.decidedLimit,
      comment: values.comment,
      decided_by: values.userId,
      decided_at: values.at,
      needs_approval: values.needsApproval ? 1 : 0,
      applied_at: values.needsApproval ? null : values.at,
    })
    .where("id", "=", itemId)
    // a second reviewer racing the first changes nothing
    .where("decision", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function recordApproval(db: Db, itemId: number, values: { approve: boolean; comment: string; userId: number; at: string }): Promise<boolean> {
  const result = await db
    .updateTable("credit_review_items")
    .set({
      approval_decision: values.approve ? "approved" : "declined",
      approval_comment: values.comment,
      approved_by: values.userId,
      approved_at: values.at,
      applied_at: values.approve ? values.at : null,
    })
    .where("id", "=", itemId)
    .where("needs_approval", "=", 1)
    .where("decision", "is not", null)
    .where("approval_decision", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function customerCredit(db: Db, customerId: number): Promise<{ grade: string | null; limit: number | null } | null> {
  const row = await db.selectFrom("customers").select(["credit_grade", "credit_limit"]).where("id", "=", customerId).executeTakeFirst();
  return row ? { grade: row.credit_grade, limit: row.credit_limit } : null;
}

/**
 * Writes a decided grade and limit to the customer, audited with before and after. `db` is the
 * open transaction, `root` the database it runs on (its connection keeps the KPI summaries).
 */
export async function applyToCustomer(
  db: Db,
  root: Db,
  customerId: number,
  after: { grade: string | null; limit: number | null },
  audit: { userId: number; reviewId: number; itemId: number },
  now: Date,
): Promise<void> {
  const before = await customerCredit(db, customerId);
  if (!before || (before.grade === after.grade && before.limit === after.limit)) return;
  const write = async () => {
    await db
      .updateTable("customers")
      .set({ credit_grade: after.grade, credit_limit: after.limit, updated_at: now.toISOString() })
      .where("id", "=", customerId)
      .execute();
  };
  // Grade and limit count in the KPI summaries (grade scopes, customers over limit): keep them current.
  const sqlite = sqliteConnectionOf(root);
  // PostgreSQL: the trigger notes the customer; the caller moves it once committed (moveNotedCustomers).
  // Within movingNotedCustomersOnce the trigger's note is all, on both: the move comes at its end.
  if (sqlite && !summaryMovePutOff()) await changeCustomerKeepingSummaries(sqlite, customerId, write);
  else if (sqlite || isPostgres(root)) await write();
  else throw new Error("applyToCustomer needs the database made by createDb (its connection keeps the KPI summaries)");
  await recordAudit(
    db,
    { userId: audit.userId, entity: "customer", entityId: customerId, action: "credit_review", before: { ...before, reviewId: audit.reviewId, itemId: audit.itemId }, after },
    now,
  );
}

// ---------------------------------------------------------------------------------------------
// The customer page.

/** A customer's decided review rows, newest quarter first. */
export async function customerReviewDecisions(db: Db, customerId: number): Promise<CustomerReviewDecision[]> {
  const rows = await db
    .selectFrom("credit_review_items as i")
    .innerJoin("credit_reviews as r", "r.id", "i.review_id")
    .leftJoin("users as decider", "decider.id", "i.decided_by")
    .leftJoin("users as approver", "approver.id", "i.approved_by")
    .select([
      "i.id as itemId",
      "r.id as reviewId",
      "r.fiscal_year as fiscalYear",
      "r.quarter",
      "i.decision",
      "i.current_grade as gradeBefore",
      "i.decided_grade as gradeAfter",
      "i.current_limit as limitBefore",
      "i.decided_limit as limitAfter",
      "i.comment",
      "decider.name as decidedByName",
      "i.decided_at as decidedAt",
      "i.needs_approval as needsApproval",
      "i.approval_decision as approvalDecision",
      "approver.name as approvedByName",
      "i.approval_comment as approvalComment",
    ])
    .where("i.customer_id", "=", customerId)
    .where("i.decision", "is not", null)
    .orderBy("r.fiscal_year", "desc")
    .orderBy("r.quarter", "desc")
    .limit(40)
    .execute();
  // the query keeps only decided items
  return rows.map((row) => ({ ...row, decision: row.decision!, needsApproval: row.needsApproval === 1 }));
}

// ---------------------------------------------------------------------------------------------
// Openings: a review being opened in the background (one at a time).

export interface ReviewOpening {
  id: number;
  fiscalYear: number;
  quarter: number;
  status: "queued" | "running" | "done" | "failed";
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progressDone: number;
  progressTotal: number;
  updatedAt: string;
  reviewId: number | null;
  error: string | null;
}

function openingQuery(db: Db) {
  return db
    .selectFrom("credit_review_openings")
    .select([
      "id",
      "fiscal_year as fiscalYear",
      "quarter",
      "status",
      "requested_at as requestedAt",
      "started_at as startedAt",
      "finished_at as finishedAt",
      "progress_done as progressDone",
      "progress_total as progressTotal",
      "updated_at as updatedAt",
      "review_id as reviewId",
      "error",
    ]);
}

export async function getOpening(db: Db, openingId: number): Promise<ReviewOpening | null> {
  return (await openingQuery(db).where("id", "=", openingId).executeTakeFirst()) ?? null;
}

/** The opening queued or running, if any. */
export async function activeOpening(db: Db): Promise<ReviewOpening | null> {
  return (await openingQuery(db).where("active", "=", 1).executeTakeFirst()) ?? null;
}

/** The latest opening of a quarter (its outcome is shown until the review exists). */
export async function latestOpeningOf(db: Db, fiscalYear: number, quarter: number): Promise<ReviewOpening | null> {
  return (await openingQuery(db).where("fiscal_year", "=", fiscalYear).where("quarter", "=", quarter).orderBy("id", "desc").executeTakeFirst()) ?? null;
}

/** Queues an opening; null when another one is queued or running (the unique `active` index says so). */
export async function insertOpening(db: Db, opening: { fiscalYear: number; quarter: number; userId: number }, now: Date): Promise<number | null> {
  const at = now.toISOString();
  const row = await db
    .insertInto("credit_review_openings")
    .values({ fiscal_year: opening.fiscalYear, quarter: opening.quarter, status: "queued", active: 1, requested_by: opening.userId, requested_at: at, updated_at: at })
    .onConflict((oc) => oc.column("active").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function markOpeningRunning(db: Db, openingId: number, total: number, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable("credit_review_openings")
    .set({ status: "running", started_at: at, updated_at: at, progress_total: total })
    .where("id", "=", openingId)
    .execute();
}

export async function recordOpeningProgress(db: Db, openingId: number, done: number, now: Date): Promise<void> {
  await db.updateTable("credit_review_openings").set({ progress_done: done, updated_at: now.toISOString() }).where("id", "=", openingId).execute();
}

export async function markOpeningDone(db: Db, openingId: number, reviewId: number, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable("credit_review_openings")
    .set((eb) => ({ status: "done", active: null, review_id: reviewId, finished_at: at, updated_at: at, progress_done: eb.ref("progress_total") }))
    .where("id", "=", openingId)
    .execute();
}

/** Fails an opening still queued or running; false when it had already ended. */
export async function markOpeningFailed(db: Db, openingId: number, error: { key: string; detail: string | null }, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable("credit_review_openings")
    .set({ status: "failed", active: null, error: error.key, error_detail: error.detail, finished_at: at, updated_at: at })
    .where("id", "=", openingId)
    .where("active", "=", 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
