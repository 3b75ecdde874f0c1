import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Staff scoring (考核): the department's one set of scoring rules, edited by the head. Four weights
// (whole numbers summing to 100) for the collection rate, the overdue reduction on the owner's
// customers, promises kept and plan items done on time, and the points below which an owner is
// flagged. One row (id 1); `version` counts saves, so a save based on an older version is refused.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("scoring_rules")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("weight_collection_rate", "integer", (c) => c.notNull().check(sql`weight_collection_rate between 0 and 100`))
    .addColumn("weight_overdue_reduction", "integer", (c) => c.notNull().check(sql`weight_overdue_reduction between 0 and 100`))
    .addColumn("weight_promises_kept", "integer", (c) => c.notNull().check(sql`weight_promises_kept between 0 and 100`))
    .addColumn("weight_items_on_time", "integer", (c) => c.notNull().check(sql`weight_items_on_time between 0 and 100`))
    .addColumn("warn_below", "integer", (c) => c.notNull().check(sql`warn_below between 0 and 100`))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint(
      "scoring_rules_weights_sum",
      sql`weight_collection_rate + weight_overdue_reduction + weight_promises_kept + weight_items_on_time = 100`,
    )
    .execute();

  // The defaults: collection and the overdue trend weigh most, as in the department's own scoring.
  await db
    .insertInto("scoring_rules")
    .values({
      id: 1,
      weight_collection_rate: 30,
      weight_overdue_reduction: 30,
      weight_promises_kept: 20,
      weight_items_on_time: 20,
      warn_below: 60,
      version: 1,
      updated_by: null,
      updated_at: new Date().toISOString(),
    })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("scoring_rules").execute();
}
