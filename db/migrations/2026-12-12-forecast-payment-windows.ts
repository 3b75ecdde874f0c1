import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// The forecast's payment behaviour over the 12 full months before each month (the window a
// forecast as of any day of `as_of_month` uses): each customer's sums of `forecast_payment_months`
// over those months, kept by the forecast's background job with them, so a request reads one row
// per customer instead of summing twelve.
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const windows = db.schema
    .createTable("forecast_payment_windows")
    .addColumn("as_of_month", "text", (c) => c.notNull())
    .addColumn("customer_id", "integer", (c) => c.notNull())
    .addColumn("paid_amount", "integer", (c) => c.notNull())
    .addColumn("late_amount_days", "integer", (c) => c.notNull())
    .addColumn("pay_amount_days", "integer", (c) => c.notNull())
    .addColumn("late_amount_days_sq", "real", (c) => c.notNull())
    .addColumn("pay_amount_days_sq", "real", (c) => c.notNull())
    .addPrimaryKeyConstraint("forecast_payment_windows_pk", ["as_of_month", "customer_id"]);
  await (sqlite ? windows.modifyEnd(sql`without rowid`) : windows).execute();
  // the job builds the windows with the payment months: forget what they were built from
  await db.deleteFrom("forecast_inputs_status").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("forecast_payment_windows").execute();
}
