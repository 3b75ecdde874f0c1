import type SQLite from "better-sqlite3";

import { AppError } from "~/kernel/app-error";
import { createDb, holdImportLock, isSyncPostgres, openLedgerConnection, sqliteConnectionOf } from "~/server/db.server";
import type { FileKind } from "~/features/import/canonical";
import type { FileLayout } from "~/features/import/import-file";
import { englishMessage, message, type ImportMessage } from "~/features/import/issue-text";
import { sourceFromFile } from "~/features/import/source-file.server";
import { type ImportOutcome, type ImportProgress, importLedger } from "~/features/import/import-ledger.server";
import { findMapping } from "~/features/import/queries/mappings.server";
import { importEnded } from "~/features/notifications/index.server";
import { claimImportRun, failImportRun, finishImportRun, recordImportSucceeded } from "~/features/import/queries/runs.server";
import { getSettings } from "~/features/settings/stored/index.server";
import { sweepWarnings } from "~/features/warnings/index.server";
import { keepPromiseStatuses } from "~/features/credit/collection-actions/index.server";
import { today } from "~/server/clock.server";

/**
 * One import as a job: the CLI runs it in its own process, the web app in a child process.
 * It opens its own connection (the bulk path must not share the server's), records the run,
 * imports all files in one transaction and records the outcome.
 */
export interface ImportJobFile {
  path: string;
  /** shown in reports; defaults to the file name */
  name?: string;
  kind: FileKind;
  /** read through this saved or built-in column mapping instead of the canonical layout */
  mapping?: string | null;
  /** XLSX: the sheet to read (chosen on the web preview) */
  sheet?: string | null;
}

export interface ImportJob {
  /** the SQLite file, or the PostgreSQL URL */
  databaseFile: string;
  files: ImportJobFile[];
  userId: number | null;
  source: "web" | "cli";
  /** an import_runs row created by the caller (web); the CLI lets the job create one */
  runId?: number;
}

export type ImportJobResult = ImportOutcome & { runId: number };

/**
 * The job cannot start (a mapping is missing or reads another kind); nothing was imported. Its
 * message is the English text: the job's callers are the command line and the worker's report.
 */
function cannotStart(problem: ImportMessage): AppError {
  return new AppError("invalid", englishMessage(problem), { params: { problem: problem.key } });
}

/**
 * After a large commit the write-ahead log holds the whole import; the commit's own checkpoint
 * copies only the pages no reader still needed. The rest is copied here, in the import's process,
 * once those readers have moved on: otherwise the web app's next small commit (a session touch)
 * would copy hundreds of megabytes on a request thread. PASSIVE never blocks readers or writers.
 */
async function checkpointAfterImport(sqlite: SQLite.Database): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    // wal_checkpoint answers one row with these columns
    const [state] = sqlite.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
    if (!state || state.log <= 0 || state.checkpointed >= state.log || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The early warnings follow the ledger the import just committed. The import has succeeded
 * whatever happens here: a failed sweep is said in a phase and left to the background job.
 */
async function sweepWarningsAfterImport(db: Parameters<typeof sweepWarnings>[0], onPhase?: (phase: string) => void): Promise<void> {
  try {
    const { raised, closed } = await sweepWarnings(db, today());
    onPhase?.(`warnings swept: ${raised} raised, ${closed} closed`);
  } catch (error) {
    onPhase?.(`warnings not swept (the background job will): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The payment promises judged again against the imported collections (else the background job does it). */
async function keepPromisesAfterImport(db: Parameters<typeof keepPromiseStatuses>[0], onPhase?: (phase: string) => void): Promise<void> {
  try {
    const changed = await keepPromiseStatuses(db, today());
    onPhase?.(`promises evaluated: ${changed} changed`);
  } catch (error) {
    onPhase?.(`promises not evaluated (the background job will): ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function runImportJob(
  job: ImportJob,
  onProgress?: (progress: ImportProgress) => void,
  onPhase?: (phase: string) => void,
): Promise<ImportJobResult> {
  const db = createDb(job.databaseFile);
  // On SQLite createDb registers the connection it opened and the bulk writer works on it
  // directly; on PostgreSQL the writer gets a synchronous connection of its own.
  const sqlite = sqliteConnectionOf(db) ?? openLedgerConnection(job.databaseFile);
  try {
    const settings = await getSettings(db);
    const specs = [];
    for (const file of job.files) {
      let layout: FileLayout = { kind: file.kind };
      if (file.mapping) {
        const mapping = await findMapping(db, file.mapping);
        if (!mapping) throw cannotStart(message("noMapping", { mapping: file.mapping }));
        if (mapping.target !== file.kind) {
          throw cannotStart(
            message("mappingWrongKind", {
              mapping: mapping.name,
              target: message(`kind.${mapping.target}`),
              kind: message(`kind.${file.kind}`),
            }),
          );
        }
        layout = { mapping };
      }
      specs.push({ source: await sourceFromFile(file.path, file.name), layout, sheet: file.sheet ?? null });
    }
    // The claim fails runs left "running" by a killed import; the import's transaction begins
    // synchronously right after it (importLedger does not await before BEGIN IMMEDIATE). On
    // PostgreSQL both happen under the import lock, let go when the job ends.
    const releaseImportLock = holdImportLock(sqlite);
    try {
      const runId = claimImportRun(sqlite, {
        runId: job.runId,
        userId: job.userId,
        source: job.source,
        files: job.files.map((f) => ({ name: f.name ?? f.path, kind: f.kind, mapping: f.mapping ?? null })),
      });
      try {
        const outcome = await importLedger(sqlite, specs, {
          baseCurrency: settings.baseCurrency,
          userId: job.userId,
          onProgress,
          onPhase,
          beforeCommit: (files) => recordImportSucceeded(sqlite, runId, files),
        });
        if (!outcome.ok) await finishImportRun(db, runId, outcome);
        else {
          await checkpointAfterImport(sqlite);
          onPhase?.("checkpointed");
          await keepPromisesAfterImport(db, onPhase);
          await sweepWarningsAfterImport(db, onPhase);
        }
        // After the import's own transaction (written through the driver); the run's id keeps it to one event.
        await importEnded(db, { runId, userId: job.userId, ok: outcome.ok, files: specs.length });
        return { ...outcome, runId };
      } catch (error) {
        await failImportRun(db, runId, message("importFailed", { detail: error instanceof Error ? error.message : String(error) }));
        await importEnded(db, { runId, userId: job.userId, ok: false, files: specs.length });
        throw error;
      }
    } finally {
      releaseImportLock();
    }
  } finally {
    if (isSyncPostgres(sqlite)) sqlite.close();
    await db.destroy();
  }
}
