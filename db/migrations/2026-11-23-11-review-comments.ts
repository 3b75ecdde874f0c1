import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// Leadership's comments on a fiscal year's year-end review (PRODUCT.md flow 4), newest last.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("review_comments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("fiscal_year", "integer", (c) => c.notNull())
    .addColumn("author_id", "integer", (c) => c.references("users.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("review_comments_year").on("review_comments").columns(["fiscal_year", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("review_comments").execute();
}
