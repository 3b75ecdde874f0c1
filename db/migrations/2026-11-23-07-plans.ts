import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Quarterly plans (PRODUCT.md flows 1-3). A plan and each of its items carry a version that every
// save must name (optimistic locking: a stale save is refused, never silently lost). The history
// of plans and items is the audit log; approved versions are kept whole in plan_snapshots so the
// approved plan stays viewable beside the current one after changes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("plans")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("fiscal_year", "integer", (c) => c.notNull())
    .addColumn("quarter", "integer", (c) => c.notNull().check(sql`quarter between 1 and 4`))
    .addColumn("state", "text", (c) =>
      c.notNull().check(sql`state in ('draft', 'submitted', 'returned', 'approved', 'closed')`)
    )
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("approved_version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("return_comment", "text")
    .addColumn("review_note", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("plans_quarter_key", ["fiscal_year", "quarter"])
    .execute();

  await db.schema
    .createTable("plan_items")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("owner_id", "integer", (c) => c.references("users.id"))
    .addColumn("due_date", "text")
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('todo', 'in_progress', 'done', 'blocked', 'cancelled')`)
    )
    .addColumn("blocked_reason", "text")
    .addColumn("outcome", "text", (c) => c.check(sql`outcome in ('done', 'missed', 'carried_over')`))
    .addColumn("done_on", "text")
    // KPI link: engine units (money in minor units, ratios as fractions, days, percent, counts).
    .addColumn("kpi_key", "text")
    .addColumn("kpi_scope", "text")
    .addColumn("kpi_better", "text", (c) => c.check(sql`kpi_better in ('up', 'down')`))
    .addColumn("kpi_baseline", "real")
    .addColumn("kpi_baseline_date", "text")
    .addColumn("kpi_target", "real")
    .addColumn("carried_over_from", "integer", (c) => c.references("plan_items.id").onDelete("set null"))
    .addColumn("template_key", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_items_plan").on("plan_items").columns(["plan_id", "position"]).execute();
  await db.schema.createIndex("plan_items_owner_due").on("plan_items").columns(["owner_id", "due_date"]).execute();

  await db.schema
    .createTable("plan_item_customers")
    .addColumn("item_id", "integer", (c) => c.notNull().references("plan_items.id").onDelete("cascade"))
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("plan_item_customers_pk", ["item_id", "customer_id"])
    .execute();

  // Comments (anyone who may comment) and notes / evidence (whoever works on the item).
  await db.schema
    .createTable("plan_comments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("item_id", "integer", (c) => c.references("plan_items.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('comment', 'note')`))
    .addColumn("author_id", "integer", (c) => c.references("users.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_comments_item").on("plan_comments").columns(["item_id", "id"]).execute();
  await db.schema.createIndex("plan_comments_plan").on("plan_comments").columns(["plan_id", "id"]).execute();

  await db.schema
    .createTable("plan_snapshots")
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("approved_version", "integer", (c) => c.notNull())
    .addColumn("approved_at", "text", (c) => c.notNull())
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    .addColumn("snapshot", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("plan_snapshots_pk", ["plan_id", "approved_version"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("plan_snapshots").execute();
  await db.schema.dropTable("plan_comments").execute();
  await db.schema.dropTable("plan_item_customers").execute();
  await db.schema.dropTable("plan_items").execute();
  await db.schema.dropTable("plans").execute();
}
