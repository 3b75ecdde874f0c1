import { type Kysely, PostgresAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// The triggers SQLite got in earlier migrations, in PostgreSQL's words, as they stand now: a
// customer whose owner, region, grade or limit changes outside the app's writers is noted for the
// KPI summaries' catch-up (the first note kept), and every document written marks its customer's
// status positions stale. On SQLite this migration does nothing.

const LEDGER_TABLES = ["invoices", "payments", "adjustments"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;

  await sql`CREATE FUNCTION customers_kpi_summaries_pending() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO kpi_summary_pending_customers (customer_id, owner_id, region, credit_grade, credit_limit)
      VALUES (OLD.id, OLD.owner_id, OLD.region, OLD.credit_grade, OLD.credit_limit)
      ON CONFLICT (customer_id) DO NOTHING;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER customers_kpi_summaries_pending
    AFTER UPDATE OF owner_id, region, credit_grade, credit_limit ON customers
    FOR EACH ROW
    WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.region IS DISTINCT FROM NEW.region
      OR OLD.credit_grade IS DISTINCT FROM NEW.credit_grade OR OLD.credit_limit IS DISTINCT FROM NEW.credit_limit)
    EXECUTE FUNCTION customers_kpi_summaries_pending()`.execute(db);

  await sql`CREATE FUNCTION status_stale_mark() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO status_stale_customers (customer_id) VALUES (OLD.customer_id) ON CONFLICT DO NOTHING;
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO status_stale_customers (customer_id) VALUES (NEW.customer_id) ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  for (const table of LEDGER_TABLES) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_status_stale`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.raw(table)}
      FOR EACH ROW EXECUTE FUNCTION status_stale_mark()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of LEDGER_TABLES) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_status_stale`)} ON ${sql.raw(table)}`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS status_stale_mark()`.execute(db);
  await sql`DROP TRIGGER IF EXISTS customers_kpi_summaries_pending ON customers`.execute(db);
  await sql`DROP FUNCTION IF EXISTS customers_kpi_summaries_pending()`.execute(db);
}
