import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// The collections forecast reads each customer's payment behaviour: per customer and month of
// payment, the amount of its invoices settled that month and the sums amount × days late (from the
// due date) and amount × days to pay (from the issue date), and the same with days squared (their spread). Derived from `invoice_paid_dates` by the
// forecast's background job after each import; `forecast_inputs_status` keeps what it was built
// from, so a request reads the rows (or, before the first build, the paid dates themselves) and
// never writes.
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const months = db.schema
    .createTable("forecast_payment_months")
    .addColumn("customer_id", "integer", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("paid_amount", "integer", (c) => c.notNull())
    .addColumn("late_amount_days", "integer", (c) => c.notNull())
    .addColumn("pay_amount_days", "integer", (c) => c.notNull())
    // Σ amount × days², for the spread of days late and days to pay around their averages
    .addColumn("late_amount_days_sq", "real", (c) => c.notNull())
    .addColumn("pay_amount_days_sq", "real", (c) => c.notNull())
    .addPrimaryKeyConstraint("forecast_payment_months_pk", ["customer_id", "month"]);
  await (sqlite ? months.modifyEnd(sql`without rowid`) : months).execute();
  await db.schema.createIndex("forecast_payment_months_month").on("forecast_payment_months").columns(["month", "customer_id"]).execute();

  // The same sums by credit grade ('grade:G') and for the whole company (''): the fallbacks,
  // read without adding up every customer's months on each request.
  const groups = db.schema
    .createTable("forecast_payment_groups")
    .addColumn("group_key", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("paid_amount", "integer", (c) => c.notNull())
    .addColumn("late_amount_days", "integer", (c) => c.notNull())
    .addColumn("pay_amount_days", "integer", (c) => c.notNull())
    .addColumn("late_amount_days_sq", "real", (c) => c.notNull())
    .addColumn("pay_amount_days_sq", "real", (c) => c.notNull())
    .addPrimaryKeyConstraint("forecast_payment_groups_pk", ["group_key", "month"]);
  await (sqlite ? groups.modifyEnd(sql`without rowid`) : groups).execute();

  // What is open at a past date comes from the status sweep's open runs: `to_day >= D` reaches the
  // runs still open at D (and later) without reading the ledger's older runs; covering, so the
  // rows are read from the index alone.
  await db.schema
    .createIndex("status_open_runs_to_day")
    .on("status_open_runs")
    .columns(["to_day", "from_day", "customer_id", "due_date", "open_amount"])
    .execute();

  await db.schema
    .createTable("forecast_inputs_status")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("built_from", "text", (c) => c.notNull())
    .addColumn("built_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("status_open_runs_to_day").execute();
  await db.schema.dropTable("forecast_inputs_status").execute();
  await db.schema.dropTable("forecast_payment_groups").execute();
  await db.schema.dropTable("forecast_payment_months").execute();
}
