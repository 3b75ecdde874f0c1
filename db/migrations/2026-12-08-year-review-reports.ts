import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// The head's written report on a period (a fiscal year for now: `period` 'year'), one row per
// period with the text of its four sections, its state (draft, submitted, returned, accepted) and
// a version every save raises (a stale save is refused). Every submitted text and the accepted
// one are kept in `review_report_versions`; leadership's comments name the section and the version they
// were written on. A row exists only once the head saved: until then the page shows a draft
// generated from the figures.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("review_reports")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("fiscal_year", "integer", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull().defaultTo("year"))
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('draft', 'submitted', 'returned', 'accepted')`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("overdue_text", "text", (c) => c.notNull())
    .addColumn("work_text", "text", (c) => c.notNull())
    .addColumn("problems_text", "text", (c) => c.notNull())
    .addColumn("measures_text", "text", (c) => c.notNull())
    .addColumn("accepted_version", "integer")
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("review_reports_period").on("review_reports").columns(["fiscal_year", "period"]).unique().execute();

  await db.schema
    .createTable("review_report_versions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("report_id", "integer", (c) => c.notNull().references("review_reports.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('submitted', 'accepted')`))
    .addColumn("overdue_text", "text", (c) => c.notNull())
    .addColumn("work_text", "text", (c) => c.notNull())
    .addColumn("problems_text", "text", (c) => c.notNull())
    .addColumn("measures_text", "text", (c) => c.notNull())
    .addColumn("by_user", "integer", (c) => c.references("users.id"))
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("review_report_versions_report").on("review_report_versions").columns(["report_id", "version", "state"]).unique().execute();

  await db.schema
    .createTable("review_report_comments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("report_id", "integer", (c) => c.notNull().references("review_reports.id"))
    .addColumn("report_version", "integer", (c) => c.notNull())
    .addColumn("section", "text", (c) => c.notNull().check(sql`section in ('overdue', 'work', 'problems', 'measures')`))
    .addColumn("decision", "text", (c) => c.notNull().check(sql`decision in ('returned', 'accepted')`))
    .addColumn("author_id", "integer", (c) => c.references("users.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("review_report_comments_report").on("review_report_comments").columns(["report_id", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("review_report_comments").execute();
  await db.schema.dropTable("review_report_versions").execute();
  await db.schema.dropTable("review_reports").execute();
}
