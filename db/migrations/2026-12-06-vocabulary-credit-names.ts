import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// One name per concept (README, Layout: "Names"); a table may carry a qualifier, the concept word
// is its folder's.
// - A promise to pay or an agreement instalment is a payment promise everywhere else (promises.ts,
//   the KPI promise_kept_rate, the rule metric broken_promises), so its table is payment_promises.
//   Its indexes follow the table's name; the check constraint keeps its first name (SQLite
//   cannot rename one without rebuilding the table).
// - The audit log and the built-in wordings name a record by its concept: `hold` (table
//   customer_holds) and `confirmation` (table balance_confirmations). Existing rows are renamed
//   so one entity name finds a record's whole history.
const ENTITIES: [before: string, after: string][] = [
  ["customer_hold", "hold"],
  ["balance_confirmation", "confirmation"],
];

async function renameEntities(db: Kysely<any>, pairs: [string, string][]): Promise<void> {
  for (const [from, to] of pairs) {
    await db.updateTable("audit_log").set({ entity: to }).where("entity", "=", from).execute();
    await db.updateTable("built_in_texts").set({ entity: to }).where("entity", "=", from).execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("payment_commitments").renameTo("payment_promises").execute();
  await db.schema.dropIndex("payment_commitments_customer").execute();
  await db.schema.dropIndex("payment_commitments_due").execute();
  await db.schema.createIndex("payment_promises_customer").on("payment_promises").columns(["customer_id", "due_on"]).execute();
  await db.schema.createIndex("payment_promises_due").on("payment_promises").columns(["due_on", "status"]).execute();
  await renameEntities(db, ENTITIES);
}

export async function down(db: Kysely<any>): Promise<void> {
  await renameEntities(db, ENTITIES.map(([before, after]) => [after, before]));
  await db.schema.dropIndex("payment_promises_due").execute();
  await db.schema.dropIndex("payment_promises_customer").execute();
  await db.schema.alterTable("payment_promises").renameTo("payment_commitments").execute();
  await db.schema.createIndex("payment_commitments_customer").on("payment_commitments").columns(["customer_id", "due_on"]).execute();
  await db.schema.createIndex("payment_commitments_due").on("payment_commitments").columns(["due_on", "status"]).execute();
}
