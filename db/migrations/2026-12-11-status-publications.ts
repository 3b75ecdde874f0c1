import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// The monthly receivables status table as published to leadership: one publication per month,
// each publishing (the first and every correction) a version with the head's note and the table's
// rows copied as they stood then (money in minor units), so later imports do not change what
// leadership read; leadership's comments name the version they were written on.
const AMOUNTS = [
  "opening",
  "billed",
  "collected",
  "closing",
  "overdue",
  "aging_current",
  "aging_1_30",
  "aging_31_60",
  "aging_61_90",
  "aging_91_180",
  "aging_181_365",
  "aging_over_365",
  "overdue_change",
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("status_publications")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("month", "text", (c) => c.notNull().unique())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("status_publication_versions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("publication_id", "integer", (c) => c.notNull().references("status_publications.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("closing_date", "text", (c) => c.notNull())
    .addColumn("customers", "integer", (c) => c.notNull())
    .addColumn("published_by", "integer", (c) => c.references("users.id"))
    .addColumn("published_at", "text", (c) => c.notNull())
    .addUniqueConstraint("status_publication_versions_version", ["publication_id", "version"])
    .execute();

  let rows = db.schema
    .createTable("status_publication_rows")
    .addColumn("version_id", "integer", (c) => c.notNull().references("status_publication_versions.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("owner_name", "text")
    .addColumn("region", "text")
    .addColumn("credit_grade", "text")
    .addColumn("credit_limit", "integer");
  for (const column of AMOUNTS) rows = rows.addColumn(column, "integer", (c) => c.notNull());
  await rows.addPrimaryKeyConstraint("status_publication_rows_pk", ["version_id", "position"]).execute();

  await db.schema
    .createTable("status_publication_comments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("publication_id", "integer", (c) => c.notNull().references("status_publications.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("author_id", "integer", (c) => c.references("users.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("status_publication_comments_publication").on("status_publication_comments").columns(["publication_id", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("status_publication_comments").execute();
  await db.schema.dropTable("status_publication_rows").execute();
  await db.schema.dropTable("status_publication_versions").execute();
  await db.schema.dropTable("status_publications").execute();
}
