import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// The monthly status table needs every customer's balance and aging at two month ends.
// `status_positions` keeps them per customer and month end, `status_open_runs` the open runs they
// come from (app/features/status-table/positions.ts),
// worked out again only for the customers whose documents changed: triggers on the documents list
// those customers in `status_stale_customers`, and the next status request re-settles them.
const AGING = ["current", "1_30", "31_60", "61_90", "91_180", "181_365", "over_365"];

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  let positions = db.schema
    .createTable("status_positions")
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("month_end", "text", (c) => c.notNull())
    .addColumn("ar_total", "integer", (c) => c.notNull());
  for (const bucket of AGING) positions = positions.addColumn(`aging_${bucket}`, "integer", (c) => c.notNull());
  // Sales and collections (KPIS.md section 4) in the month ending on month_end.
  positions = positions
    .addColumn("billed", "integer", (c) => c.notNull())
    .addColumn("collected", "integer", (c) => c.notNull());
  positions = positions.addPrimaryKeyConstraint("status_positions_pk", ["customer_id", "month_end"]);
  // Clustered on (customer, month end): "the latest row on or before D" is one seek per customer.
  await (sqlite ? positions.modifyEnd(sql`without rowid`) : positions).execute();

  // The same sweep's open runs: an invoice (by its due date) with an amount open from one day to
  // another ('9999-12-31': still open). The month in progress reads them for the customers with
  // documents dated after today, whose `open_items` already count those documents.
  await db.schema
    .createTable("status_open_runs")
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("to_day", "text", (c) => c.notNull())
    .addColumn("from_day", "text", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("open_amount", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("status_open_runs_customer")
    .on("status_open_runs")
    .columns(["customer_id", "to_day", "from_day", "due_date", "open_amount"])
    .execute();

  // Each customer's latest document date: the month in progress asks which customers have
  // documents dated after today without reading the ledger's date indexes.
  await db.schema
    .createTable("status_customer_dates")
    .addColumn("customer_id", "integer", (c) => c.primaryKey().references("customers.id"))
    .addColumn("last_document_date", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("status_stale_customers")
    .addColumn("customer_id", "integer", (c) => c.primaryKey())
    .execute();
  // Every customer counts as stale at first: the positions are built on the first request.
  await sql`INSERT INTO status_stale_customers (customer_id) SELECT id FROM customers`.execute(db);

  if (sqlite) {
    for (const table of ["invoices", "payments", "adjustments"]) {
      const mark = (row: "NEW" | "OLD") =>
        sql.raw(`INSERT OR IGNORE INTO status_stale_customers (customer_id) VALUES (${row}.customer_id);`);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_status_stale_insert`)} AFTER INSERT ON ${sql.raw(table)}
        BEGIN ${mark("NEW")} END`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_status_stale_delete`)} AFTER DELETE ON ${sql.raw(table)}
        BEGIN ${mark("OLD")} END`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_status_stale_update`)} AFTER UPDATE ON ${sql.raw(table)}
        BEGIN ${mark("OLD")} ${mark("NEW")} END`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const table of ["invoices", "payments", "adjustments"]) {
      for (const event of ["insert", "delete", "update"]) {
        await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_status_stale_${event}`)}`.execute(db);
      }
    }
  }
  await db.schema.dropTable("status_stale_customers").execute();
  await db.schema.dropTable("status_open_runs").execute();
  await db.schema.dropTable("status_customer_dates").execute();
  await db.schema.dropTable("status_positions").execute();
}
