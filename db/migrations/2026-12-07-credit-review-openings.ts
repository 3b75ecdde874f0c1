import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// Opening a quarter's credit review runs as a background job, like an import: one row per opening
// (queued, running, done or failed) with its progress, the review it made and, on failure, why.
// `active` is 1 while an opening is queued or running and null after: its unique index lets one
// opening run at a time, whichever process or request asks.
//
// `invoice_paid_dates` is kept by the import's sweep beside `open_items`: every invoice of a swept
// customer with its dates, amount and the day it was last settled once every document is
// counted (null while anything is open). The review's worklist reads its days late from here
// instead of settling the ledger again. A customer with invoices but no rows (swept before this
// table existed) is measured from its documents until an import sweeps it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("credit_review_openings")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("fiscal_year", "integer", (c) => c.notNull())
    .addColumn("quarter", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("queued").check(sql`status in ('queued', 'running', 'done', 'failed')`))
    .addColumn("active", "integer", (c) => c.check(sql`active is null or active = 1`))
    .addColumn("requested_by", "integer", (c) => c.references("users.id"))
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    // customers measured so far and in all; updated_at tells a live job from one whose process died
    .addColumn("progress_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("progress_total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("review_id", "integer", (c) => c.references("credit_reviews.id"))
    // an i18n key saying why it failed, and the detail for the log
    .addColumn("error", "text")
    .addColumn("error_detail", "text")
    .execute();
  await db.schema.createIndex("credit_review_openings_active").on("credit_review_openings").column("active").unique().execute();

  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const paid = db.schema
    .createTable("invoice_paid_dates")
    .addColumn("customer_id", "integer", (c) => c.notNull())
    .addColumn("invoice_id", "integer", (c) => c.notNull())
    .addColumn("issue_date", "text", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    .addColumn("paid_on", "text")
    .addPrimaryKeyConstraint("invoice_paid_dates_pk", ["customer_id", "invoice_id"]);
  // Clustered by customer: the import rewrites one customer's rows at a time.
  await (sqlite ? paid.modifyEnd(sql`without rowid`) : paid).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("invoice_paid_dates").execute();
  await db.schema.dropTable("credit_review_openings").execute();
}
