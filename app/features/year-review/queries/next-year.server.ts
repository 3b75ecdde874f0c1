import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";

/**
 * The next-year projection's reads, all of kept figures: the company's running credit sales at
 * month ends (the KPI summaries the import and the summary job keep) and each customer's sales in
 * a span of month ends (the status table's positions). No read scans the documents.
 */

/**
 * The company's running total of credit sales at the end of each day asked (the summary in force
 * on that day; 0 before the first). Portable SQL: a VALUES list joined to the latest summary row.
 */
export async function companySalesToDate(db: Db, daysAsked: readonly IsoDate[]): Promise<Map<IsoDate, number>> {
  const result = new Map<IsoDate, number>();
  for (const day of daysAsked) result.set(day, 0);
  const scope = await db.selectFrom("kpi_scopes").select("id").where("kind", "=", "company").where("key", "=", "").executeTakeFirst();
  if (!scope || daysAsked.length === 0) return result;
  const list = sql.join(daysAsked.map((day) => sql`(${day})`));
  const rows = await sql<{ asked_day: string; sales: number | string }>`
    WITH asked (day) AS (VALUES ${list})
    SELECT asked.day AS asked_day, s.sales_to_date AS sales
    FROM asked
    JOIN kpi_daily_summaries s ON s.scope_id = ${scope.id} AND s.day = (
      SELECT max(m.day) FROM kpi_daily_summaries m WHERE m.scope_id = ${scope.id} AND m.day <= asked.day)`.execute(db);
  for (const row of rows.rows) result.set(String(row.asked_day), Number(row.sales));
  return result;
}

/** Each customer's credit sales (billed) over the month ends [from, to], with its grade; customers without sales left out. */
export async function customerSalesBetween(db: Db, from: IsoDate, to: IsoDate): Promise<{ id: number; grade: string | null; sales: number }[]> {
  // status_positions is kept by the status sweep outside the typed schema: plain SQL, portable
  const rows = await sql<{ id: number; grade: string | null; sales: number | string | null }>`
    SELECT c.id AS id, c.credit_grade AS grade, SUM(p.billed) AS sales
    FROM status_positions p JOIN customers c ON c.id = p.customer_id
    WHERE p.month_end >= ${from} AND p.month_end <= ${to}
    GROUP BY c.id, c.credit_grade`.execute(db);
  return rows.rows.map((row) => ({ id: Number(row.id), grade: row.grade, sales: Number(row.sales ?? 0) })).filter((row) => row.sales > 0);
}
