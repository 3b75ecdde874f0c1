import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// The forecast's collection curve for invoices not yet issued: per group ('' the company,
// 'grade:G' a credit grade), month of payment and whole days from issue to payment, the amount of
// invoices settled. Built with `forecast_payment_months` by the forecast's background job from
// `invoice_paid_dates`; days from 400 on are kept in the row for 400 (beyond the forecast's year).
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const lags = db.schema
    .createTable("forecast_payment_lags")
    .addColumn("group_key", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("days", "integer", (c) => c.notNull())
    .addColumn("paid_amount", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("forecast_payment_lags_pk", ["group_key", "month", "days"]);
  await (sqlite ? lags.modifyEnd(sql`without rowid`) : lags).execute();
  // the job builds the curve with the payment months: forget what they were built from
  await db.deleteFrom("forecast_inputs_status").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("forecast_payment_lags").execute();
}
