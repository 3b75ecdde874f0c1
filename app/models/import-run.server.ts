import type { Db } from "~/db.server";
import type { FileSummary } from "~/ledger-import.server";

export interface ImportRunFile {
  name: string;
  kind: string;
  mapping: string | null;
  /** web uploads: where the staged file lies until the import has run */
  path?: string;
}

export async function createImportRun(
  db: Db,
  input: { userId: number | null; source: "web" | "cli"; files: ImportRunFile[]; status: "pending" | "running" },
): Promise<number> {
  const row = await db
    .insertInto("import_runs")
    .values({
      user_id: input.userId,
      source: input.source,
      status: input.status,
      files: JSON.stringify(input.files),
      started_at: new Date().toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishImportRun(
  db: Db,
  id: number,
  result: { ok: true; files: FileSummary[] } | { ok: false; files: FileSummary[]; report: string },
): Promise<void> {
  await db
    .updateTable("import_runs")
    .set({
      status: result.ok ? "succeeded" : "failed",
      summary: JSON.stringify(result.files),
      report: result.ok ? null : result.report,
      finished_at: new Date().toISOString(),
    })
    .where("id", "=", id)
    .execute();
}

export async function failImportRun(db: Db, id: number, message: string): Promise<void> {
  await db
    .updateTable("import_runs")
    .set({ status: "failed", report: message, finished_at: new Date().toISOString() })
    .where("id", "=", id)
    .execute();
}

export function findImportRun(db: Db, id: number) {
  return db.selectFrom("import_runs").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listImportRuns(db: Db, limit = 20) {
  return db
    .selectFrom("import_runs")
    .leftJoin("users", "users.id", "import_runs.user_id")
    .select([
      "import_runs.id",
      "import_runs.source",
      "import_runs.status",
      "import_runs.files",
      "import_runs.started_at",
      "import_runs.finished_at",
      "users.name as userName",
    ])
    .orderBy("import_runs.id", "desc")
    .limit(limit)
    .execute();
}
