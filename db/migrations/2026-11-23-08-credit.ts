import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Credit management: grade definitions and their promotion / demotion rules, shipment
// holds with their history, collection actions with promises and instalments, balance
// confirmation batches, and the quarterly credit review with its decisions. Money is integer
// minor units, dates `YYYY-MM-DD` text, timestamps ISO text.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("credit_grades")
    .addColumn("code", "text", (c) => c.primaryKey())
    // 0 = best; the order customers are promoted and demoted along
    .addColumn("rank", "integer", (c) => c.notNull().unique().check(sql`rank >= 0`))
    .addColumn("payment_terms_days", "integer", (c) => c.notNull().check(sql`payment_terms_days >= 0`))
    .addColumn("grace_days", "integer", (c) => c.notNull().check(sql`grace_days >= 0`))
    .addColumn("stop_shipment_days", "integer", (c) => c.notNull())
    .addColumn("review_months", "integer", (c) => c.notNull().check(sql`review_months between 1 and 12`))
    .addColumn("limit_policy", "text", (c) =>
      c.notNull().check(sql`limit_policy in ('standard', 'secured', 'cash_before_delivery')`),
    )
    // months of sales as tenths (1.5 months = 15): no floats in storage
    .addColumn("limit_months_tenths", "integer", (c) => c.notNull().check(sql`limit_months_tenths >= 0`))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("credit_grades_stop_after_grace", sql`stop_shipment_days > grace_days`)
    .execute();

  await db.schema
    .createTable("credit_rules")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("metric", "text", (c) =>
      c.notNull().check(sql`metric in ('avg_days_late', 'overdue_ratio', 'broken_promises', 'write_offs', 'utilisation')`),
    )
    .addColumn("comparator", "text", (c) => c.notNull().check(sql`comparator in ('lt', 'lte', 'gt', 'gte')`))
    // in the metric's unit (days, percent, count) times 100: 12.5% = 1250
    .addColumn("threshold_hundredths", "integer", (c) => c.notNull().check(sql`threshold_hundredths >= 0`))
    .addColumn("action", "text", (c) => c.notNull().check(sql`action in ('promote', 'demote', 'to-grade')`))
    .addColumn("to_grade", "text")
    .addCheckConstraint("credit_rules_to_grade", sql`(action = 'to-grade') = (to_grade is not null)`)
    .execute();

  const now = new Date().toISOString();
  await db
    .insertInto("credit_grades")
    .values(
      [
        ["A", 90, 15, 90, 12, "standard", 15],
        ["B", 60, 10, 60, 6, "standard", 12],
        ["C", 30, 5, 45, 3, "secured", 10],
        ["D", 30, 0, 30, 3, "cash_before_delivery", 5],
      ].map(([code, terms, grace, stop, review, policy, tenths], rank) => ({
        code,
        rank,
        payment_terms_days: terms,
        grace_days: grace,
        stop_shipment_days: stop,
        review_months: review,
        limit_policy: policy,
        limit_months_tenths: tenths,
        updated_by: null,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto("credit_rules")
    .values(
      [
        ["avg_days_late", "lte", 500, "promote", null],
        ["overdue_ratio", "lte", 1000, "promote", null],
        ["broken_promises", "lte", 0, "promote", null],
        ["avg_days_late", "gt", 3000, "demote", null],
        ["overdue_ratio", "gt", 4000, "demote", null],
        ["broken_promises", "gte", 200, "demote", null],
        ["utilisation", "gt", 12000, "demote", null],
        ["write_offs", "gte", 100, "to-grade", "D"],
      ].map(([metric, comparator, threshold, action, toGrade], position) => ({
        position,
        metric,
        comparator,
        threshold_hundredths: threshold,
        action,
        to_grade: toGrade,
      })),
    )
    .execute();

  // A hold is a row from set to release; the current hold is the one not released (at most one).
  await db.schema
    .createTable("customer_holds")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('cash_before_delivery', 'stop_shipment')`))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("set_by", "integer", (c) => c.references("users.id"))
    .addColumn("set_at", "text", (c) => c.notNull())
    .addColumn("released_by", "integer", (c) => c.references("users.id"))
    .addColumn("released_at", "text")
    .addColumn("release_reason", "text")
    .addCheckConstraint("customer_holds_release", sql`(released_at is null) = (release_reason is null)`)
    .execute();
  await db.schema.createIndex("customer_holds_customer").on("customer_holds").columns(["customer_id", "set_at"]).execute();
  await db.schema
    .createIndex("customer_holds_current")
    .on("customer_holds")
    .column("customer_id")
    .unique()
    .where(sql.ref("released_at"), "is", null)
    .execute();

  await db.schema
    .createTable("collection_actions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('call', 'visit', 'email', 'lawyer_letter', 'repayment_agreement', 'promise_to_pay')`),
    )
    .addColumn("action_date", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    // an agreement's or a promise's total, minor units
    .addColumn("amount", "integer", (c) => c.check(sql`amount > 0`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("collection_actions_customer").on("collection_actions").columns(["customer_id", "action_date"]).execute();

  // Promises to pay (one row) and agreement instalments (one row each); status is re-derived
  // from the ledger (app/features/credit/collections/promises.ts) and cached here with the date it was derived.
  await db.schema
    .createTable("payment_commitments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("action_id", "integer", (c) => c.notNull().references("collection_actions.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('promise', 'instalment')`))
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("made_on", "text", (c) => c.notNull())
    .addColumn("due_on", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull().check(sql`amount > 0`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status in ('pending', 'kept', 'broken')`))
    .addColumn("paid", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("kept_on", "text")
    .addColumn("evaluated_on", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("payment_commitments_dates", sql`due_on >= made_on`)
    .execute();
  await db.schema.createIndex("payment_commitments_customer").on("payment_commitments").columns(["customer_id", "due_on"]).execute();
  await db.schema.createIndex("payment_commitments_due").on("payment_commitments").columns(["due_on", "status"]).execute();

  await db.schema
    .createTable("confirmation_batches")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "text", (c) => c.notNull())
    // the balances confirmed are as of this date
    .addColumn("period_end", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .execute();
  await db.schema
    .createTable("balance_confirmations")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("batch_id", "integer", (c) => c.notNull().references("confirmation_batches.id").onDelete("cascade"))
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    // owner and region as at the batch, so later reassignments do not rewrite past rates
    .addColumn("owner_id", "integer", (c) => c.references("users.id"))
    .addColumn("region", "text")
    .addColumn("our_balance", "integer", (c) => c.notNull())
    .addColumn("sent_on", "text")
    .addColumn("channel", "text", (c) => c.check(sql`channel in ('post', 'electronic', 'in_person')`))
    .addColumn("returned_on", "text")
    .addColumn("result", "text", (c) => c.check(sql`result in ('matched', 'mismatched', 'not_returned')`))
    // the customer's balance minus ours
    .addColumn("difference", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("resolved_on", "text")
    .addColumn("resolution_note", "text")
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("balance_confirmations_batch_customer", ["batch_id", "customer_id"])
    .addCheckConstraint(
      "balance_confirmations_returned_after_sent",
      sql`returned_on is null or (sent_on is not null and returned_on >= sent_on)`,
    )
    .addCheckConstraint(
      "balance_confirmations_resolved_after_returned",
      sql`resolved_on is null or (returned_on is not null and resolved_on >= returned_on)`,
    )
    .execute();
  await db.schema.createIndex("balance_confirmations_customer").on("balance_confirmations").column("customer_id").execute();

  await db.schema
    .createTable("credit_reviews")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("fiscal_year", "integer", (c) => c.notNull())
    .addColumn("quarter", "integer", (c) => c.notNull().check(sql`quarter between 1 and 4`))
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open").check(sql`status in ('open', 'closed')`))
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addUniqueConstraint("credit_reviews_quarter", ["fiscal_year", "quarter"])
    .execute();
  await db.schema
    .createTable("credit_review_items")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("review_id", "integer", (c) => c.notNull().references("credit_reviews.id").onDelete("cascade"))
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("current_grade", "text")
    .addColumn("suggested_grade", "text")
    .addColumn("current_limit", "integer", (c) => c.check(sql`current_limit >= 0`))
    .addColumn("suggested_limit", "integer", (c) => c.check(sql`suggested_limit >= 0`))
    // JSON: [{ key, params }] (i18n keys, rendered in the reader's language)
    .addColumn("reasons", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("decision", "text", (c) => c.check(sql`decision in ('accept', 'modify', 'reject')`))
    .addColumn("decided_grade", "text")
    .addColumn("decided_limit", "integer", (c) => c.check(sql`decided_limit >= 0`))
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("decided_by", "integer", (c) => c.references("users.id"))
    .addColumn("decided_at", "text")
    // a limit increase (or a promotion) waits for leadership
    .addColumn("needs_approval", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    .addColumn("approved_at", "text")
    .addUniqueConstraint("credit_review_items_review_customer", ["review_id", "customer_id"])
    .execute();
  await db.schema.createIndex("credit_review_items_customer").on("credit_review_items").column("customer_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "credit_review_items",
    "credit_reviews",
    "balance_confirmations",
    "confirmation_batches",
    "payment_commitments",
    "collection_actions",
    "customer_holds",
    "credit_rules",
    "credit_grades",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
