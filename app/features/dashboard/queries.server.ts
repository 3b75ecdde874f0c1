import { CompiledQuery } from "kysely";

import { type Db, isPostgres } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";

export interface OverdueCustomerRow {
  code: string;
  name: string;
  arTotal: number;
  overdue: number;
  /** due date of the customer's oldest overdue open invoice */
  oldestDue: IsoDate;
}

export interface TopOverdueQuery {
  /** the scope's customers (null: every customer) */
  customerIds: readonly number[] | null;
  /** narrows to one owner's customers on top of the scope (staff see only their own) */
  ownerId?: number;
  asOf: IsoDate;
  limit: number;
  /**
   * true (the default): customers with documents dated after `asOf` read their open runs covering
   * `asOf` (`status_open_runs`, which must be up to date: `openRunsCurrent`). false: every
   * customer reads `open_items`, which is exact only when no document is dated after `asOf`.
   */
  useOpenRuns?: boolean;
}

/**
 * The customers owing the most past due at the end of `asOf` (KPIS.md sections 3-4), largest
 * first, ties by code; customers with nothing overdue are left out. The same answer as
 * `topOverdueCustomers(openItemsAsOf(snapshot, asOf), ...)`, in one grouped statement:
 *
 * - a customer whose documents are all dated <= `asOf` (no `status_customer_dates` row later than
 *   it) has, at `asOf`, exactly the open invoices `open_items` holds (every document counted);
 * - a customer with later documents has the open runs covering `asOf`: a run is an invoice's open
 *   amount from `from_day` through `to_day`, both inclusive (domain/position-history.ts; a run
 *   still open ends on 9999-12-31), so `from_day <= asOf <= to_day`. One range seek per customer
 *   on `status_open_runs_customer (customer_id, to_day, from_day, due_date, open_amount)`.
 *
 * Past due is `due_date < asOf` (due on the as-of day is not overdue). ISO dates compare as text.
 */
export async function topOverdueAsOf(db: Db, query: TopOverdueQuery): Promise<OverdueCustomerRow[]> {
  const { customerIds, ownerId, asOf, limit, useOpenRuns = true } = query;
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return "?";
  };
  if (customerIds !== null && customerIds.length === 0) return [];
  // The scope's ids go as one JSON array parameter (no cap on their count); SQLite reads it with
  // json_each(), PostgreSQL with json_array_elements_text(): the dialects differ here.
  const idsIn = (json: string) =>
    isPostgres(db) ? `SELECT value::bigint FROM json_array_elements_text(${p(json)}::json) AS ids (value)` : `SELECT value FROM json_each(${p(json)})`;
  // Parameters are pushed in the order their `?` appear in the text.
  const inScope = (column: string) => {
    const where: string[] = [];
    if (customerIds !== null) where.push(`c.id IN (${idsIn(JSON.stringify(customerIds))})`);
    if (ownerId !== undefined) where.push(`c.owner_id = ${p(ownerId)}`);
    return where.length === 0 ? "" : ` AND ${column} IN (SELECT c.id FROM customers c WHERE ${where.join(" AND ")})`;
  };
  // Each branch sums one customer's lines as it seeks them (customer order: no sort for the
  // grouping); every customer is in exactly one branch.
  const sums = () => `x.customer_id, sum(x.open_amount) AS ar_total,
      sum(CASE WHEN x.due_date < ${p(asOf)} THEN x.open_amount ELSE 0 END) AS overdue,
      min(CASE WHEN x.due_date < ${p(asOf)} THEN x.due_date END) AS oldest_due`;
  const later = () => `SELECT customer_id FROM status_customer_dates WHERE last_document_date > ${p(asOf)}`;
  let totals = `SELECT ${sums()} FROM open_items x WHERE 1 = 1${inScope("x.customer_id")}`;
  if (useOpenRuns) {
    totals += ` AND x.customer_id NOT IN (${later()}) GROUP BY x.customer_id
      UNION ALL
      SELECT ${sums()} FROM status_open_runs x
      WHERE x.customer_id IN (${later()}${inScope("customer_id")})
        AND x.to_day >= ${p(asOf)} AND x.from_day <= ${p(asOf)} AND x.open_amount > 0
      GROUP BY x.customer_id`;
  } else {
    totals += " GROUP BY x.customer_id";
  }
  const text = `WITH totals AS (${totals})
    SELECT c.code, c.name, t.ar_total, t.overdue, t.oldest_due FROM totals t JOIN customers c ON c.id = t.customer_id
    WHERE t.overdue > 0
    ORDER BY t.overdue DESC, c.code ASC
    LIMIT ${p(limit)}`;
  // Built with SQLite's `?` parameters (none inside a quoted literal); PostgreSQL numbers them.
  let n = 0;
  const result = await db.executeQuery(CompiledQuery.raw(isPostgres(db) ? text.replace(/\?/g, () => `$${++n}`) : text, params));
  // a raw query's rows; its SELECT names exactly these columns
  return (result.rows as { code: string; name: string; ar_total: number; overdue: number; oldest_due: string | null }[]).map((row) => ({
    code: row.code,
    name: row.name,
    arTotal: Number(row.ar_total),
    overdue: Number(row.overdue),
    oldestDue: row.oldest_due ?? asOf,
  }));
}

/**
 * Whether every customer's open runs (`status_open_runs`) are current: no customer is marked by
 * the triggers as changed since. A read: bringing them up to date is the status table's writer's
 * work, never a page view's.
 */
export async function openRunsCurrent(db: Db): Promise<boolean> {
  // The trigger-kept table has no Kysely type (db/schema.ts leaves the status table's tables out).
  const stale = await db.executeQuery(CompiledQuery.raw("SELECT 1 AS stale FROM status_stale_customers LIMIT 1", []));
  return stale.rows.length === 0;
}
