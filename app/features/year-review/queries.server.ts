import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import { monthEnd } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Locale } from "~/i18n";
import { planCommentsIn } from "~/features/settings/index.server";
import { statusPositionsBehind } from "~/features/status-table/index.server";
import { firstDocumentDate } from "~/features/ledger/index.server";

/**
 * The year-end review's SQL: every customer's overdue balance at a few dates, the year's item
 * notes, the years there is something to review, and leadership's comments.
 */

export interface CustomerRow {
  id: number;
  code: string;
  name: string;
  ownerId: number | null;
  ownerName: string | null;
}

export async function customerRows(db: Db): Promise<CustomerRow[]> {
  const rows = await db
    .selectFrom("customers")
    .leftJoin("users", "users.id", "customers.owner_id")
    .select(["customers.id", "customers.code", "customers.name", "customers.owner_id", "users.name as owner_name"])
    .execute();
  return rows.map((row) => ({ id: row.id, code: row.code, name: row.name, ownerId: row.owner_id, ownerName: row.owner_name }));
}

/**
 * Each customer's overdue balance (minor units) at the end of a month-end day, from the month-end
 * positions the status table keeps (`status_positions`: balance and aging per customer and month
 * end, re-settled only for customers whose documents changed): the latest row on or before the
 * date, one index seek per customer. Overdue = balance - not yet due.
 */
async function overdueAtMonthEnd(db: Db, date: IsoDate): Promise<Map<number, number>> {
  const rows = await sql<{ id: number; overdue: number | null }>`
    SELECT c.id AS id,
      (SELECT p.ar_total - p.aging_current FROM status_positions p
        WHERE p.customer_id = c.id AND p.month_end <= ${date}
        ORDER BY p.month_end DESC LIMIT 1) AS overdue
    FROM customers c`.execute(db);
  const result = new Map<number, number>();
  for (const row of rows.rows) if (row.overdue !== null && Number(row.overdue) !== 0) result.set(row.id, Number(row.overdue));
  return result;
}

/**
 * Each customer's overdue balance at the end of any day D (a running year's "today"), without
 * settling the ledger. Open items are applied oldest due date first, so what is past due at D is
 * max(0, Y) with
 *   Y = balance(D) - not-yet-due(D) + named-on-not-yet-due(D)
 * where balance(D) = invoices issued <= D minus payments and adjustments dated <= D, not-yet-due(D)
 * = the amounts of invoices issued <= D and due >= D, and named-on-not-yet-due(D) = for each of
 * those invoices, what documents dated <= D that name it paid of it (at most its amount): that
 * money is not in the pool that pays the overdue ones. balance(D) comes from today's balance
 * (`open_items` minus `unapplied_credits`, which count every document) less what is dated after D,
 * so the work is the documents after D and the invoices not yet due at D: a few weeks of the
 * ledger for today. The integration test holds it to the KPI engine.
 */
async function overdueAtDay(db: Db, date: IsoDate): Promise<Map<number, number>> {
  const [open, credit, laterSales, laterSettled, notYetDue] = await Promise.all([
    sql<{ id: number; total: number }>`SELECT customer_id AS id, SUM(open_amount) AS total FROM open_items GROUP BY customer_id`.execute(db),
    sql<{ id: number; total: number }>`SELECT customer_id AS id, SUM(amount) AS total FROM unapplied_credits GROUP BY customer_id`.execute(db),
    sql<{ id: number; total: number }>`SELECT customer_id AS id, SUM(amount) AS total FROM invoices WHERE issue_date > ${date} GROUP BY customer_id`.execute(db),
    sql<{ id: number; total: number }>`
      SELECT customer_id AS id, SUM(amount) AS total FROM (
        SELECT customer_id, amount FROM payments WHERE date > ${date}
        UNION ALL SELECT customer_id, amount FROM adjustments WHERE date > ${date}) AS later_documents
      GROUP BY customer_id`.execute(db),
    // What is left of each invoice not yet due at D (never below nothing), in SQL both dialects
    // read: SQLite's two-argument MIN() is LEAST() on PostgreSQL.
    sql<{ id: number; total: number }>`
      SELECT customer_id AS id, SUM(CASE WHEN settled < amount THEN amount - settled ELSE 0 END) AS total FROM (
        SELECT i.customer_id, i.amount,
            COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id AND p.date <= ${date}), 0)
          + COALESCE((SELECT SUM(a.amount) FROM adjustments a WHERE a.invoice_id = i.id AND a.date <= ${date}), 0) AS settled
        FROM invoices i WHERE i.due_date >= ${date} AND i.issue_date <= ${date}) AS not_yet_due
      GROUP BY customer_id`.execute(db),
  ]);
  const y = new Map<number, number>();
  const add = (rows: { id: number; total: number }[], sign: 1 | -1) => {
    for (const row of rows) y.set(row.id, (y.get(row.id) ?? 0) + sign * Number(row.total));
  };
  add(open.rows, 1);
  add(credit.rows, -1);
  add(laterSales.rows, -1);
  add(laterSettled.rows, 1);
  add(notYetDue.rows, -1);
  const result = new Map<number, number>();
  for (const [id, value] of y) if (value > 0) result.set(id, value);
  return result;
}

/**
 * Every customer's overdue balance at each date, customers with nothing overdue left out. Month
 * ends read the status table's positions when they are current; other days (and month ends while
 * some customer's positions wait for the background job) as above. A read: it writes nothing.
 */
export async function customerOverdueAt(db: Db, dates: readonly IsoDate[]): Promise<Map<IsoDate, Map<number, number>>> {
  const positions = dates.some((date) => date === monthEnd(date)) && !(await statusPositionsBehind(db));
  const result = new Map<IsoDate, Map<number, number>>();
  for (const date of new Set(dates)) {
    result.set(date, positions && date === monthEnd(date) ? await overdueAtMonthEnd(db, date) : await overdueAtDay(db, date));
  }
  return result;
}

/** The plans of one fiscal year, by quarter. */
/** The notes (evidence) written on items, oldest first; in `locale` where they are built-in text. */
export async function itemNotes(db: Db, itemIds: number[], locale?: Locale): Promise<Map<number, string[]>> {
  const notes = new Map<number, string[]>();
  if (itemIds.length === 0) return notes;
  const stored = await db
    .selectFrom("plan_comments")
    .select(["id", "item_id", "body"])
    .where("kind", "=", "note")
    .where("item_id", "in", itemIds)
    .orderBy("id")
    .execute();
  const rows = locale ? await planCommentsIn(db, stored, locale) : stored;
  for (const row of rows) {
    if (row.item_id === null) continue;
    const list = notes.get(row.item_id) ?? [];
    list.push(row.body);
    notes.set(row.item_id, list);
  }
  return notes;
}

/** The earliest invoice, payment or adjustment date, and the first fiscal year with a plan. */
export async function reviewBounds(db: Db): Promise<{ firstDocumentDate: IsoDate | null; firstPlanStart: IsoDate | null }> {
  const [first, plan] = await Promise.all([
    firstDocumentDate(db),
    db.selectFrom("plans").select((eb) => eb.fn.min("start_date").as("first")).executeTakeFirst(),
  ]);
  return { firstDocumentDate: first, firstPlanStart: typeof plan?.first === "string" ? plan.first : null };
}

/** Users who may own plan items now (active head and staff). */
export async function activeOwnerIds(db: Db): Promise<Set<number>> {
  const rows = await db.selectFrom("users").select("id").where("active", "=", 1).where("role", "in", ["head", "staff"]).execute();
  return new Set(rows.map((row) => row.id));
}

export interface ReviewCommentRow {
  id: number;
  body: string;
  authorName: string | null;
  createdAt: string;
}

export async function listReviewComments(db: Db, fiscalYear: number): Promise<ReviewCommentRow[]> {
  const rows = await db
    .selectFrom("review_comments")
    .leftJoin("users", "users.id", "review_comments.author_id")
    .select(["review_comments.id", "review_comments.body", "review_comments.created_at", "users.name"])
    .where("review_comments.fiscal_year", "=", fiscalYear)
    .orderBy("review_comments.id")
    .execute();
  return rows.map((row) => ({ id: row.id, body: row.body, authorName: row.name, createdAt: row.created_at }));
}

export async function insertReviewComment(db: Db, comment: { fiscalYear: number; authorId: number; body: string; createdAt: string }): Promise<number> {
  const row = await db
    .insertInto("review_comments")
    .values({ fiscal_year: comment.fiscalYear, author_id: comment.authorId, body: comment.body, created_at: comment.createdAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
