import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// One name per concept (README, Layout: "Names"). A promise to pay or an agreement instalment is
// a payment promise everywhere else (the file promises.ts, the KPI promise_kept_rate, the rule
// metric broken_promises), so its table is payment_promises, not payment_commitments. Its
// indexes follow the table's name; the check constraint keeps its first name (SQLite cannot
// rename one without rebuilding the table).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("payment_commitments").renameTo("payment_promises").execute();
  await db.schema.dropIndex("payment_commitments_customer").execute();
  await db.schema.dropIndex("payment_commitments_due").execute();
  await db.schema.createIndex("payment_promises_customer").on("payment_promises").columns(["customer_id", "due_on"]).execute();
  await db.schema.createIndex("payment_promises_due").on("payment_promises").columns(["due_on", "status"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("payment_promises_due").execute();
  await db.schema.dropIndex("payment_promises_customer").execute();
  await db.schema.alterTable("payment_promises").renameTo("payment_commitments").execute();
  await db.schema.createIndex("payment_commitments_customer").on("payment_commitments").columns(["customer_id", "due_on"]).execute();
  await db.schema.createIndex("payment_commitments_due").on("payment_commitments").columns(["due_on", "status"]).execute();
}
