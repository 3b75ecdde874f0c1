import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// The head's own copy of the standard annual plan template. Empty means "the built-in
// standard": the first edit copies the standard in, so an untouched installation follows the
// code's template as it improves. due_day 0 means the month's last day.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("plan_template_items")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("quarter", "integer", (c) => c.notNull().check(sql`quarter between 1 and 4`))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("title_en", "text", (c) => c.notNull())
    .addColumn("title_zh", "text", (c) => c.notNull())
    .addColumn("description_en", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("description_zh", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("due_month", "integer", (c) => c.notNull().check(sql`due_month between 1 and 3`))
    .addColumn("due_day", "integer", (c) => c.notNull().check(sql`due_day between 0 and 28`))
    .addColumn("kpi_key", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();
  await db.schema
    .createIndex("plan_template_items_quarter")
    .on("plan_template_items")
    .columns(["quarter", "position"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("plan_template_items").execute();
}
