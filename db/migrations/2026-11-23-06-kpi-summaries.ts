import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// KPI summaries: per scope, the KPI inputs as a step function of the date, kept by the
// import, so a KPI request reads a few dozen rows instead of the ledger.
const METRICS = [
  "unapplied_credit",
  "aging_current",
  "aging_1_30",
  "aging_31_60",
  "aging_61_90",
  "aging_91_180",
  "aging_181_365",
  "aging_over_365",
  "issue_0_365",
  "issue_366_730",
  "issue_731_1095",
  "issue_over_1095",
  "customers_overdue",
  "customers_over_limit",
  "sales_to_date",
  "collected_to_date",
  "written_off_to_date",
];

export async function up(db: Kysely<any>): Promise<void> {
  // The company (key ''), an owner (key: the user id), a region or a credit grade.
  await db.schema
    .createTable("kpi_scopes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('company', 'owner', 'region', 'grade')`))
    .addColumn("key", "text", (c) => c.notNull())
    .addUniqueConstraint("kpi_scopes_kind_key", ["kind", "key"])
    .execute();

  // A row only on the days where a value changes; a day without one has the latest row's values.
  let summaries = db.schema
    .createTable("kpi_daily_summaries")
    .addColumn("scope_id", "integer", (c) => c.notNull().references("kpi_scopes.id"))
    .addColumn("day", "text", (c) => c.notNull());
  for (const metric of METRICS) summaries = summaries.addColumn(metric, "integer", (c) => c.notNull());
  await summaries.addPrimaryKeyConstraint("kpi_daily_summaries_pk", ["scope_id", "day"]).execute();

  // One row. rebuild_needed = 1: the summaries do not match the ledger (a database imported
  // before this migration, or customers edited outside the import); KPI requests then settle the
  // ledger itself, and the next import rebuilds the summaries.
  await db.schema
    .createTable("kpi_summary_status")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("rebuild_needed", "integer", (c) => c.notNull().check(sql`rebuild_needed in (0, 1)`))
    .execute();
  await sql`INSERT INTO kpi_summary_status (id, rebuild_needed)
    SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM invoices) OR EXISTS (SELECT 1 FROM payments)
      OR EXISTS (SELECT 1 FROM adjustments) THEN 1 ELSE 0 END`.execute(db);

  // Owners, regions, grades and limits change the summaries; the import keeps them current, and
  // any other writer (a future customer screen, a manual fix) marks them stale instead of wrong.
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`CREATE TRIGGER customers_kpi_summaries_stale
      AFTER UPDATE OF owner_id, region, credit_grade, credit_limit ON customers
      WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.region IS NOT NEW.region
        OR OLD.credit_grade IS NOT NEW.credit_grade OR OLD.credit_limit IS NOT NEW.credit_limit
      BEGIN UPDATE kpi_summary_status SET rebuild_needed = 1 WHERE rebuild_needed = 0; END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`DROP TRIGGER IF EXISTS customers_kpi_summaries_stale`.execute(db);
  }
  for (const table of ["kpi_summary_status", "kpi_daily_summaries", "kpi_scopes"]) {
    await db.schema.dropTable(table).execute();
  }
}
