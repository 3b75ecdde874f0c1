import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Import runs keep their row errors as data (message keys and values, rendered in the reader's
// language) in `issues`, and a preview nobody started can end as 'expired' (left for a day) or
// 'cancelled' (dropped by the user). SQLite cannot change a CHECK constraint in place: the
// table is rebuilt with its rows (nothing references import_runs).
const COLUMNS = "id, user_id, source, status, files, summary, report, started_at, finished_at";

async function rebuild(db: Kysely<any>, statuses: string[], withIssues: boolean): Promise<void> {
  await db.schema
    .createTable("import_runs_next")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in (${sql.join(statuses.map((s) => sql.lit(s)))})`))
    .addColumn("files", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("report", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .$call((table) => (withIssues ? table.addColumn("issues", "text") : table))
    .execute();
  await sql`INSERT INTO import_runs_next (${sql.raw(COLUMNS)}) SELECT ${sql.raw(COLUMNS)} FROM import_runs`.execute(db);
  await db.schema.dropTable("import_runs").execute();
  await db.schema.alterTable("import_runs_next").renameTo("import_runs").execute();
  await db.schema.createIndex("import_runs_status_started").on("import_runs").columns(["status", "started_at"]).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, ["pending", "running", "succeeded", "failed", "expired", "cancelled"], true);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`UPDATE import_runs SET status = 'failed' WHERE status IN ('expired', 'cancelled')`.execute(db);
  await db.schema.dropIndex("import_runs_status_started").execute();
  await rebuild(db, ["pending", "running", "succeeded", "failed"], false);
  // the table before had no index
  await db.schema.dropIndex("import_runs_status_started").execute();
}
