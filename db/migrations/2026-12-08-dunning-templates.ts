import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// The dunning letters' templates as the head edits them, one per level and language. A level and
// language without a row uses the built-in wording (app/features/dunning), so a fresh
// installation prints letters before anyone has edited anything.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dunning_templates")
    .addColumn("level", "text", (c) => c.notNull().check(sql`level in ('reminder', 'demand', 'lawyer_letter')`))
    .addColumn("locale", "text", (c) => c.notNull().check(sql`locale in ('en', 'zh-CN')`))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("dunning_templates_pk", ["level", "locale"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("dunning_templates").execute();
}
