import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// A customer whose owner, region, grade or limit changed without the KPI summaries following
// (an SQL edit outside the app) no longer marks all summaries stale, which sent every KPI request
// to the whole ledger: the trigger notes that one customer with the values the summaries still
// count it under, requests keep reading the summaries, and a background job moves the customer
// (subtract as noted, add as now). The app's own writers move the customer themselves, in the
// same transaction, and remove the note their update made.
const CHANGED = sql`OLD.owner_id IS NOT NEW.owner_id OR OLD.region IS NOT NEW.region
  OR OLD.credit_grade IS NOT NEW.credit_grade OR OLD.credit_limit IS NOT NEW.credit_limit`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("kpi_summary_pending_customers")
    .addColumn("customer_id", "integer", (c) => c.primaryKey().references("customers.id"))
    .addColumn("owner_id", "integer")
    .addColumn("region", "text")
    .addColumn("credit_grade", "text")
    .addColumn("credit_limit", "integer")
    .execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`DROP TRIGGER IF EXISTS customers_kpi_summaries_stale`.execute(db);
    // OR IGNORE: a second change before the catch-up keeps the first note (what the summaries count).
    await sql`CREATE TRIGGER customers_kpi_summaries_pending
      AFTER UPDATE OF owner_id, region, credit_grade, credit_limit ON customers
      WHEN ${CHANGED}
      BEGIN
        INSERT OR IGNORE INTO kpi_summary_pending_customers (customer_id, owner_id, region, credit_grade, credit_limit)
        VALUES (OLD.id, OLD.owner_id, OLD.region, OLD.credit_grade, OLD.credit_limit);
      END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`DROP TRIGGER IF EXISTS customers_kpi_summaries_pending`.execute(db);
    await sql`CREATE TRIGGER customers_kpi_summaries_stale
      AFTER UPDATE OF owner_id, region, credit_grade, credit_limit ON customers
      WHEN ${CHANGED}
      BEGIN UPDATE kpi_summary_status SET rebuild_needed = 1 WHERE rebuild_needed = 0; END`.execute(db);
    // Customers noted and not yet moved: the summaries no longer match them.
    await sql`UPDATE kpi_summary_status SET rebuild_needed = 1 WHERE EXISTS (SELECT 1 FROM kpi_summary_pending_customers)`.execute(db);
  }
  await db.schema.dropTable("kpi_summary_pending_customers").execute();
}
