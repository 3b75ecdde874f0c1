import type SQLite from "better-sqlite3";

import type { Db } from "~/server/db.server";
import { englishMessage, message, type ImportMessage } from "~/features/import/issue-text";
import type { ImportIssue } from "~/features/import/report";
import type { FileSummary } from "~/features/import/import-ledger.server";

/** A run's report as data (the `issues` column): rendered in the reader's language. */
export interface StoredIssues {
  /** every error found; `errors` holds the first ones */
  errorCount: number;
  errors: ImportIssue[];
  /** the run failed as a whole (its process stopped, a mapping was missing) */
  failure?: ImportMessage;
}

export interface ImportRunFile {
  name: string;
  kind: string;
  mapping: string | null;
  /** web uploads: where the staged file lies until the import has run */
  path?: string;
  /** XLSX: the sheet to read */
  sheet?: string | null;
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

/** The report of a run whose process stopped before recording an outcome. */
const STOPPED_RUN: StoredIssues = { errorCount: 0, errors: [], failure: message("processLost") };
export const STOPPED_RUN_REPORT = englishMessage(message("processLost"));

/**
 * Marks the import about to start as running, on the import's own better-sqlite3 connection,
 * and fails every other run still marked running: a live import holds the database's write lock
 * from right after this (the caller begins its transaction in the same tick) until its outcome is
 * committed with its rows, so a run still "running" while this takes the lock has lost its
 * process (killed, crashed, machine restarted). Returns the run's id.
 */
export function claimImportRun(
  sqlite: SQLite.Database,
  input: { runId?: number; userId: number | null; source: "web" | "cli"; files: ImportRunFile[] },
): number {
  return sqlite.transaction(() => {
    const now = new Date().toISOString();
    sqlite
      .prepare(
        // Row ids start at 1: 0 stands for "no run of its own yet" (portable, unlike SQLite's IS NOT).
        "UPDATE import_runs SET status = 'failed', report = ?, issues = ?, finished_at = ? WHERE status = 'running' AND id <> ?",
      )
      .run(STOPPED_RUN_REPORT, JSON.stringify(STOPPED_RUN), now, input.runId ?? 0);
    if (input.runId !== undefined) {
      sqlite.prepare("UPDATE import_runs SET status = 'running' WHERE id = ?").run(input.runId);
      return input.runId;
    }
    const inserted = sqlite
      .prepare("INSERT INTO import_runs (user_id, source, status, files, started_at) VALUES (?, ?, 'running', ?, ?)")
      .run(input.userId, input.source, JSON.stringify(input.files), now);
    return Number(inserted.lastInsertRowid);
  }).immediate();
}

/** Records a successful run inside the import's own transaction, so rows and outcome commit together. */
export function recordImportSucceeded(sqlite: SQLite.Database, id: number, files: FileSummary[]): void {
  sqlite
    .prepare("UPDATE import_runs SET status = 'succeeded', summary = ?, report = NULL, finished_at = ? WHERE id = ?")
    .run(JSON.stringify(files), new Date().toISOString(), id);
}

export function storedIssuesOf(run: { issues: string | null }): StoredIssues | null {
  // issues are written only by the import run, from StoredIssues
  return run.issues ? (JSON.parse(run.issues) as StoredIssues) : null;
}

export async function finishImportRun(
  db: Db,
  id: number,
  result:
    | { ok: true; files: FileSummary[] }
    | { ok: false; files: FileSummary[]; report: string; errors: ImportIssue[]; errorCount: number },
): Promise<void> {
  const issues: StoredIssues | null = result.ok ? null : { errorCount: result.errorCount, errors: result.errors };
  await db
    .updateTable("import_runs")
    .set({
      status: result.ok ? "succeeded" : "failed",
      summary: JSON.stringify(result.files),
      report: result.ok ? null : result.report,
      issues: issues ? JSON.stringify(issues) : null,
      finished_at: new Date().toISOString(),
    })
    .where("id", "=", id)
    .execute();
}

/** The run failed as a whole; `detail` (e.g. the process's last output) goes to the English report only. */
export async function failImportRun(db: Db, id: number, failure: ImportMessage, detail?: string): Promise<void> {
  const issues: StoredIssues = { errorCount: 0, errors: [], failure };
  const report = englishMessage(failure) + (detail ? `\n${detail}` : "");
  await db
    .updateTable("import_runs")
    .set({ status: "failed", report, issues: JSON.stringify(issues), finished_at: new Date().toISOString() })
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

/** Writes a waiting run's staged files back, only while it still waits (a concurrent start wins). */
export async function savePendingFiles(db: Db, runId: number, files: ImportRunFile[]): Promise<boolean> {
  const updated = await db
    .updateTable("import_runs")
    .set({ files: JSON.stringify(files) })
    .where("id", "=", runId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Claims a waiting run for its import, atomically: a double click starts one import, not two. */
export async function claimPendingRun(db: Db, runId: number, files: ImportRunFile[]): Promise<boolean> {
  const claimed = await db
    .updateTable("import_runs")
    .set({ status: "running", files: JSON.stringify(files) })
    .where("id", "=", runId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** Ends a waiting run without importing it (cancelled by its user, or expired). */
export async function endPendingRun(db: Db, runId: number, status: "cancelled" | "expired", at: Date): Promise<boolean> {
  const ended = await db
    .updateTable("import_runs")
    .set({ status, finished_at: at.toISOString() })
    .where("id", "=", runId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(ended.numUpdatedRows) === 1;
}

/** The waiting runs staged before `cutoff` (an ISO timestamp). */
export function pendingRunsStagedBefore(db: Db, cutoff: string) {
  return db.selectFrom("import_runs").select(["id", "files"]).where("status", "=", "pending").where("started_at", "<", cutoff).execute();
}

/** The staged files of every run waiting or running. */
export function liveRunFiles(db: Db) {
  return db.selectFrom("import_runs").select("files").where("status", "in", ["pending", "running"]).execute();
}
