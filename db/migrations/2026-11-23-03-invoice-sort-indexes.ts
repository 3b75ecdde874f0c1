import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// The invoice list sorts by due date or by amount, ties by invoice number; without these a page of
// a large ledger sorts every invoice (~130 ms at 300k invoices) instead of reading 50 index entries.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("invoices_due_date").on("invoices").columns(["due_date", "invoice_no"]).execute();
  await db.schema.createIndex("invoices_amount").on("invoices").columns(["amount", "invoice_no"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("invoices_amount").execute();
  await db.schema.dropIndex("invoices_due_date").execute();
}
