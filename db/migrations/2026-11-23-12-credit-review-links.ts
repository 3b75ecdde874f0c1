import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// The quarterly credit review, what migration 08 left out: the plan item a review is
// linked to; per worklist row why it is on the list and the figures it was judged by (snapshot
// at opening, so the row reads the same after later imports); the leader's answer to a decision
// that waits for approval. The limit-increase approval amount is an installation setting.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("credit_reviews")
    .addColumn("plan_item_id", "integer", (c) => c.references("plan_items.id").onDelete("set null"))
    .execute();

  const itemColumns: [string, "text" | "integer", (c: any) => any][] = [
    // why the customer is on the worklist: never reviewed, due by the grade's frequency, or flagged by the rules
    ["selection", "text", (c) => c.notNull().defaultTo("due").check(sql`selection in ('never_reviewed', 'due', 'flagged')`)],
    ["last_reviewed_on", "text", (c) => c],
    // minor units at the review's as_of: open receivables and the trailing 12 months' invoiced sales
    ["ar_total", "integer", (c) => c.notNull().defaultTo(0)],
    ["trailing_sales", "integer", (c) => c.notNull().defaultTo(0)],
    // figures x 100 (percent or days with two decimals); null when not measurable
    ["utilisation_hundredths", "integer", (c) => c],
    ["avg_days_late_hundredths", "integer", (c) => c],
    ["overdue_ratio_hundredths", "integer", (c) => c],
    ["broken_promises", "integer", (c) => c.notNull().defaultTo(0)],
    // the leader's answer to a decision that needed approval (approved_by / approved_at say who and when)
    ["approval_decision", "text", (c) => c.check(sql`approval_decision in ('approved', 'declined')`)],
    ["approval_comment", "text", (c) => c.notNull().defaultTo("")],
    // when the decision was written to the customer (null: waiting, declined or rejected-as-is)
    ["applied_at", "text", (c) => c],
  ];
  for (const [name, type, build] of itemColumns) {
    await db.schema.alterTable("credit_review_items").addColumn(name, type, build).execute();
  }
  await db.schema.createIndex("credit_review_items_review_decision").on("credit_review_items").columns(["review_id", "decision"]).execute();

  // Limit increases above this (minor units) wait for a leader: ¥100,000.00 unless the head changes it.
  await db
    .insertInto("settings")
    .values({ key: "credit_review_approval_amount", value: "10000000" })
    .onConflict((oc: any) => oc.column("key").doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("settings").where("key", "=", "credit_review_approval_amount").execute();
  await db.schema.dropIndex("credit_review_items_review_decision").execute();
  for (const name of [
    "applied_at",
    "approval_comment",
    "approval_decision",
    "broken_promises",
    "overdue_ratio_hundredths",
    "avg_days_late_hundredths",
    "utilisation_hundredths",
    "trailing_sales",
    "ar_total",
    "last_reviewed_on",
    "selection",
  ]) {
    await db.schema.alterTable("credit_review_items").dropColumn(name).execute();
  }
  await db.schema.alterTable("credit_reviews").dropColumn("plan_item_id").execute();
}
