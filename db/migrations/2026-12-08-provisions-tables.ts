import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Bad-debt provisions as data:
// - provision_rate_tables: the ladder's band limits and rates, versioned by effective date (the
//   table in force at D is the latest effective on or before D); edited by the head. Rates in parts
//   per million, limits in days, each a comma list. `version` guards concurrent edits (409).
// - provision_specific: named-customer provisions (单项计提): a percentage (ppm) or an amount
//   (minor units) with the reason and its evidence, in force from `effective_from` until
//   `ended_on` (exclusive); linked collection actions in provision_specific_actions.
// - provision_adjustments: the forward-looking adjustment of the matrix's loss rates (ppm, may be
//   negative) with its reason; it applies once a leader has approved it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("provision_rate_tables")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("effective_from", "text", (c) => c.notNull().unique())
    .addColumn("basis", "text", (c) => c.notNull().defaultTo("issue").check(sql`basis in ('issue', 'due')`))
    .addColumn("upper_days", "text", (c) => c.notNull())
    .addColumn("rates_ppm", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("provision_specific")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("effective_from", "text", (c) => c.notNull())
    .addColumn("ended_on", "text")
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('percent', 'amount')`))
    .addColumn("value", "bigint", (c) => c.notNull().check(sql`value >= 0`))
    .addColumn("reason", "text", (c) => c.notNull().check(sql`reason in ('lawyer_letter', 'litigation', 'bankruptcy', 'other')`))
    .addColumn("evidence", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("provision_specific_customer").on("provision_specific").columns(["customer_id", "effective_from"]).execute();
  await db.schema
    .createTable("provision_specific_actions")
    .addColumn("specific_id", "integer", (c) => c.notNull().references("provision_specific.id").onDelete("cascade"))
    .addColumn("action_id", "integer", (c) => c.notNull().references("collection_actions.id"))
    .addPrimaryKeyConstraint("provision_specific_actions_pk", ["specific_id", "action_id"])
    .execute();

  await db.schema
    .createTable("provision_adjustments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("effective_from", "text", (c) => c.notNull())
    .addColumn("adjustment_ppm", "integer", (c) => c.notNull().check(sql`adjustment_ppm > -1000000`))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("proposed_by", "integer", (c) => c.references("users.id"))
    .addColumn("proposed_at", "text", (c) => c.notNull())
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    .addColumn("approved_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("provision_adjustments").execute();
  await db.schema.dropTable("provision_specific_actions").execute();
  await db.schema.dropTable("provision_specific").execute();
  await db.schema.dropTable("provision_rate_tables").execute();
}
