import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// Text the app wrote from its own bilingual wording (the standard plan template, the demo data):
// both wordings, kept beside the record's one stored text, so a page shows the viewer's language
// until a person changes the text (README, Decisions: "Built-in text in both languages").
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("built_in_texts")
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_id", "integer", (c) => c.notNull())
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("en", "text", (c) => c.notNull())
    .addColumn("zh", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("built_in_texts_pk", ["entity", "entity_id", "field"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("built_in_texts").execute();
}
