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

  await db.schema
    .createTable("forecast_inputs_status")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("built_from", "text", (c) => c.notNull())
    .addColumn("built_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("forecast_inputs_status").execute();
  await db.schema.dropTable("forecast_payment_months").execute();
}
