import path from "node:path";

import type { CurrentUser } from "~/server/auth.server";
import type { Db } from "~/server/db.server";
import type { Job } from "~/server/jobs.server";
import { AppError } from "~/kernel/app-error";
import { FILE_KINDS, type FileKind, columnSpecs, matchHeader } from "~/features/import/canonical";
import { detectLayout } from "~/features/import/detect-layout";
import type { ColumnMapping } from "~/features/import/mapping";
import type { MappingForm } from "~/features/import/mapping-form";
import { message, type ImportMessage } from "~/features/import/issue-text";
import type { ImportIssue } from "~/features/import/report";
import { previewTable } from "~/features/import/read-table";
import { sourceFromFile } from "~/features/import/source-file.server";
import type { ImportJobFile } from "~/features/import/job.server";
import { importProgress, startImport } from "~/features/import/runner.server";
import type { FileSummary } from "~/features/import/import-ledger.server";
import { listMappings, saveMapping } from "~/features/import/queries/mappings.server";
import {
  claimPendingRun,
  createImportRun,
  endPendingRun,
  findImportRun,
  listImportRuns,
  liveRunFiles,
  pendingRunsStagedBefore,
  savePendingFiles,
  storedIssuesOf,
} from "~/features/import/queries/runs.server";
import {
  type StoredUpload,
  type UploadedFile,
  removeStrayUploadFolders,
  removeUploads,
  uploadExists,
} from "~/features/import/uploads.server";

/**
 * The web import as use cases: stage uploaded files, preview them, start the import. The route
 * reads the request (files streamed to the upload folder, as names and paths); these refuse with AppError: 400 with the reason
 * (an i18n key) as the message, `subjectId` naming the staged file it is about.
 */

type Uploader = Pick<CurrentUser, "id">;

const PREVIEW_ROWS = 10;

/** A refusal about the run or one of its staged files (`index`), shown above the preview. */
function refused(messageKey: string, index: number | null = null): AppError {
  return new AppError("invalid", messageKey, { subjectId: index });
}

/** The uploads a post carried: none is a refusal at the files field. */
function requireFiles(files: UploadedFile[]): UploadedFile[] {
  if (files.length === 0) throw AppError.field("files", "importing.noFiles");
  return files;
}

/** Runs `use` with the uploads; if it refuses or fails, the uploads are deleted (nothing keeps them). */
async function keepingUploadsOnlyOnSuccess<T>(uploads: UploadedFile[], use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (error) {
    removeUploads(uploads);
    throw error;
  }
}

/** The recent imports, newest first, for the import page's list. */
export async function listRecentImports(db: Db) {
  const runs = await listImportRuns(db);
  return runs.map((run) => ({
    id: run.id,
    source: run.source,
    status: run.status,
    startedAt: run.started_at,
    userName: run.userName,
    // a run's files are written only by the upload, each with a name
    files: (JSON.parse(run.files) as { name: string }[]).map((f) => path.basename(f.name)),
  }));
}

interface StagedFile extends ImportJobFile {
  /** as uploaded, for the report */
  name: string;
  /** where the upload was saved (never shown to the client) */
  path: string;
  /** XLSX: the sheet to read, chosen when the file was staged */
  sheet?: string | null;
}

function parseFiles(json: string): StagedFile[] {
  // written only by the upload, from StagedFile[]
  return JSON.parse(json) as StagedFile[];
}

/** Reads a staged file's header (and chosen sheet) and recognises its layout. */
async function stageFile(file: StoredUpload, mappings: ColumnMapping[]): Promise<StagedFile> {
  // A workbook's sheet is the first whose header is a layout we know (else the first with data).
  const preview = await previewTable(await sourceFromFile(file.path, file.name), {
    maxRows: 0,
    recognise: (header) => detectLayout(header, mappings) !== null,
  });
  const layout = preview.ok ? detectLayout(preview.header.values, mappings) : null;
  return {
    name: file.name,
    path: file.path,
    sheet: preview.ok ? preview.sheet : null,
    // an unknown layout is staged as invoices with no mapping; the preview asks the user
    kind: layout ? ("kind" in layout ? layout.kind : layout.mapping.target) : "invoices",
    mapping: layout && "mapping" in layout ? layout.mapping.name : null,
  };
}

/** Saves the uploaded files, recognises their layouts and records the import waiting for its start. */
export async function stageUpload(db: Db, user: Uploader, uploads: UploadedFile[]): Promise<number> {
  return keepingUploadsOnlyOnSuccess(uploads, async () => {
    const files = requireFiles(uploads);
    const mappings = await listMappings(db);
    const staged: StagedFile[] = [];
    for (const file of files) staged.push(await stageFile(file, mappings));
    return createImportRun(db, {
      userId: user.id,
      source: "web",
      status: "pending",
      files: staged.map((f) => ({ ...f, mapping: f.mapping ?? null })),
    });
  });
}

export interface FilePreview {
  index: number;
  name: string;
  kind: FileKind;
  mapping: string | null;
  /** why the file cannot be read: "gone" (its staged copy was deleted) or the reader's message */
  problem: "gone" | ImportMessage | null;
  format: string | null;
  encoding: string | null;
  /** XLSX: the sheet shown and imported, and the workbook's visible sheets */
  sheet: string | null;
  sheets: string[];
  header: string[];
  rows: { line: number; values: string[] }[];
  truncated: boolean;
  /** canonical columns missing for the chosen kind (none when read through a mapping) */
  missingColumns: string[];
  unknownColumns: string[];
}

async function previewFile(file: StagedFile, index: number, mappings: ColumnMapping[]): Promise<FilePreview> {
  const base = { index, name: file.name, kind: file.kind, mapping: file.mapping ?? null };
  const unreadable = { format: null, encoding: null, sheet: null, sheets: [], header: [], rows: [], truncated: false, missingColumns: [], unknownColumns: [] };
  if (!uploadExists(file)) return { ...base, problem: "gone", ...unreadable };
  const preview = await previewTable(await sourceFromFile(file.path, file.name), { maxRows: PREVIEW_ROWS, sheet: file.sheet });
  if (!preview.ok) return { ...base, problem: preview.message, ...unreadable };
  const header = preview.header.values;
  const match = matchHeader(file.kind, header);
  const mapping = file.mapping ? mappings.find((m) => m.name === file.mapping) : undefined;
  return {
    ...base,
    problem: null,
    format: preview.format,
    encoding: preview.encoding,
    sheet: preview.sheet,
    sheets: preview.sheets.filter((sheet) => !sheet.hidden).map((sheet) => sheet.name),
    header,
    rows: preview.rows.map((row) => ({ line: row.line, values: row.values })),
    truncated: preview.truncated,
    missingColumns: mapping ? [] : columnSpecs(file.kind).filter((c) => c.required && !(c.field in match.indexOf)).map((c) => c.field),
    unknownColumns: mapping ? [] : match.unknown,
  };
}

/** Warnings stored before they were data are plain English: shown as they are. */
function summariesOf(json: string | null): FileSummary[] | null {
  if (!json) return null;
  // written only by the import run, from FileSummary[]; warnings are messages or, from older runs, text
  return (JSON.parse(json) as FileSummary[]).map((file) => ({
    ...file,
    warnings: (file.warnings as (ImportIssue | string)[]).map((warning) =>
      typeof warning === "string"
        ? { file: file.file, line: null, column: null, message: message("untranslated", { text: warning }) }
        : warning,
    ),
  }));
}

/** A run as its page shows it: the preview while it waits, the progress, the outcome. */
export async function loadImportRun(db: Db, runId: number) {
  const run = await findImportRun(db, runId);
  if (!run) throw AppError.notFound();
  const files = parseFiles(run.files);
  const mappings = await listMappings(db);
  const progress = importProgress(runId);
  const previews = run.status === "pending" ? await Promise.all(files.map((f, i) => previewFile(f, i, mappings))) : [];
  return {
    id: run.id,
    status: run.status,
    source: run.source,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    /** the English report of a run recorded before reports were data */
    report: run.report,
    issues: storedIssuesOf(run),
    summary: summariesOf(run.summary),
    previews,
    /** every file can be read: the import may start */
    canStart: previews.length > 0 && previews.every((preview) => preview.problem === null),
    files: files.map((f) => ({ name: f.name, kind: f.kind, mapping: f.mapping ?? null })),
    mappings: mappings.map((m) => ({ name: m.name, target: m.target })),
    progress: progress ? { fraction: progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 0, file: progress.file } : null,
  };
}

/** The staged files of a run still waiting to start, or the refusal. */
async function pendingFiles(db: Db, runId: number): Promise<StagedFile[]> {
  const run = await findImportRun(db, runId);
  if (!run || run.status !== "pending") throw refused("importing.notPending");
  return parseFiles(run.files);
}

async function savePending(db: Db, runId: number, files: StagedFile[]): Promise<void> {
  const stored = files.map((file) => ({ ...file, mapping: file.mapping ?? null }));
  if (!(await savePendingFiles(db, runId, stored))) throw refused("importing.notPending");
}

/** Applies the user's layout choices ("kind:invoices" or "mapping:NAME" per file) and starts. */
export async function startStagedRun(db: Db, user: Uploader, runId: number, choices: string[]): Promise<void> {
  const files = await pendingFiles(db, runId);
  const mappings = await listMappings(db);
  // A file that cannot be read must be replaced or removed first: the import would only fail.
  for (const file of files) {
    if (!uploadExists(file)) throw refused("importing.fileGone");
    const readable = await previewTable(await sourceFromFile(file.path, file.name), { maxRows: 0, sheet: file.sheet });
    if (!readable.ok) throw refused("importing.unreadableFiles");
  }
  if (choices.length !== files.length) throw refused("importing.badChoice");
  const chosen = files.map((file, i) => {
    const [type, ...rest] = (choices[i] ?? "").split(":");
    const value = rest.join(":");
    // value is a file kind (checked here)
    if (type === "kind" && (FILE_KINDS as readonly string[]).includes(value)) return { ...file, kind: value as FileKind, mapping: null };
    const mapping = type === "mapping" ? mappings.find((m) => m.name === value) : undefined;
    if (mapping) return { ...file, kind: mapping.target, mapping: mapping.name };
    throw refused("importing.badChoice");
  });
  // Claim the run atomically: a double click starts one import, not two.
  if (!(await claimPendingRun(db, runId, chosen.map((file) => ({ ...file, mapping: file.mapping ?? null }))))) throw refused("importing.notPending");
  startImport(runId, chosen, user.id, () => removeUploads(chosen));
}

/** What a change to the staged files left: the preview, or nothing (the import was cancelled). */
export type ChangeResult = { cancelled: boolean };

/** Puts a new upload in the place of staged file `index` (e.g. the unreadable one). */
export async function replaceStagedFile(db: Db, runId: number, index: number, uploads: UploadedFile[]): Promise<ChangeResult> {
  const old = await keepingUploadsOnlyOnSuccess(uploads, async () => {
    const given = requireFiles(uploads);
    const files = await pendingFiles(db, runId);
    const old = files[index];
    const replacement: StoredUpload | undefined = given[0];
    if (!old || !replacement || given.length !== 1) throw refused("importing.badFile", index);
    const changed = [...files];
    changed[index] = await stageFile(replacement, await listMappings(db));
    await savePending(db, runId, changed);
    return old;
  });
  removeUploads([old]);
  return { cancelled: false };
}

/** Takes staged file `index` out of the import; the last one taken out cancels the import. */
export async function dropStagedFile(db: Db, runId: number, index: number): Promise<ChangeResult> {
  const files = await pendingFiles(db, runId);
  const dropped = files[index];
  if (!dropped) throw refused("importing.badFile", index);
  const left = files.filter((_, i) => i !== index);
  if (left.length === 0) return cancelStagedRun(db, runId);
  await savePending(db, runId, left);
  removeUploads([dropped]);
  return { cancelled: false };
}

/** Cancels an import that has not started and deletes its staged files. */
export async function cancelStagedRun(db: Db, runId: number, now = new Date()): Promise<ChangeResult> {
  const files = await pendingFiles(db, runId);
  if (!(await endPendingRun(db, runId, "cancelled", now))) throw refused("importing.notPending");
  removeUploads(files);
  return { cancelled: true };
}

/** Reads another sheet of a staged workbook (and recognises its layout again). */
export async function chooseStagedSheet(db: Db, runId: number, index: number, sheet: string): Promise<ChangeResult> {
  const files = await pendingFiles(db, runId);
  const file = files[index];
  if (!file || !uploadExists(file)) throw refused("importing.badFile", index);
  const preview = await previewTable(await sourceFromFile(file.path, file.name), { maxRows: 0, sheet });
  if (!preview.ok || preview.sheets.find((s) => s.name === sheet)?.hidden !== false) throw refused("importing.badSheet", index);
  const layout = detectLayout(preview.header.values, await listMappings(db));
  const changed = [...files];
  changed[index] = {
    ...file,
    sheet,
    ...(layout
      ? { kind: "kind" in layout ? layout.kind : layout.mapping.target, mapping: "mapping" in layout ? layout.mapping.name : null }
      : {}),
  };
  await savePending(db, runId, changed);
  return { cancelled: false };
}

/** Previews left unstarted this long are expired and their staged files deleted. */
export const STAGED_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Expires the previews nobody started within a day (the list shows them as expired) and deletes
 * their staged files, and any upload folder a day old that no waiting or running import uses (an
 * upload cut off before it was staged). Run by `npm run import:expire` and hourly by the server,
 * never by a page view.
 */
export async function expireStagedImports(db: Db, now: Date): Promise<{ expired: number; foldersRemoved: number }> {
  const cutoff = new Date(now.getTime() - STAGED_LIFETIME_MS).toISOString();
  let expired = 0;
  for (const run of await pendingRunsStagedBefore(db, cutoff)) {
    if (!(await endPendingRun(db, run.id, "expired", now))) continue;
    expired += 1;
    removeUploads(parseFiles(run.files));
  }
  const live = await liveRunFiles(db);
  const used = new Set(live.flatMap((run) => parseFiles(run.files).map((file) => path.dirname(path.resolve(file.path)))));
  const foldersRemoved = removeStrayUploadFolders(used, now.getTime() - STAGED_LIFETIME_MS);
  return { expired, foldersRemoved };
}

/** Saves a column mapping built in the editor and chooses it for the staged file. */
export async function saveStagedMapping(db: Db, user: Uploader, runId: number, form: MappingForm): Promise<void> {
  const files = await pendingFiles(db, runId);
  const file = files[form.index];
  if (!file) throw refused("importing.badChoice", form.index);

  const preview = await previewTable(await sourceFromFile(file.path, file.name), { maxRows: 0, sheet: file.sheet });
  const header = preview.ok ? preview.header.values : [];
  const fieldErrors: Record<string, string[]> = {};
  const columns: Record<string, string> = {};
  for (const spec of columnSpecs(form.target)) {
    const column = form.columns[spec.field];
    if (column && header.includes(column)) columns[spec.field] = column;
    else if (spec.required) fieldErrors[`col_${spec.field}`] = ["importing.requiredField"];
  }
  const known = (column: string | undefined) => (column && header.includes(column) ? column : undefined);
  if (Object.keys(fieldErrors).length > 0) throw new AppError("invalid", "errors.checkFields", { fieldErrors, subjectId: form.index });

  const mapping: ColumnMapping = {
    name: form.name,
    target: form.target,
    dateFormat: form.dateFormat,
    columns,
    ...(form.target === "invoices" && known(form.paidDateColumn)
      ? {
          settlement: {
            // required by the form's schema for this layout, so known
            paidDateColumn: known(form.paidDateColumn) as string,
            ...(known(form.paidAmountColumn) ? { paidAmountColumn: known(form.paidAmountColumn) } : {}),
          },
        }
      : {}),
    ...(form.target !== "customers" && known(form.customerCodeColumn)
      ? {
          customers: {
            // required by the form's schema for this layout, so known
            codeColumn: known(form.customerCodeColumn) as string,
            ...(known(form.customerNameColumn) ? { nameColumn: known(form.customerNameColumn) } : {}),
            ...(known(form.customerRegionColumn) ? { regionColumn: known(form.customerRegionColumn) } : {}),
          },
        }
      : {}),
  } as ColumnMapping;
  await saveMapping(db, mapping, user.id);
  const changed = [...files];
  changed[form.index] = { ...file, kind: form.target, mapping: mapping.name };
  await savePending(db, runId, changed);
}

/** The job (server/jobs.server.ts, hourly and at start): previews nobody started expire after a day. */
export function importExpiryJob(db: Db, now: () => Date = () => new Date()): Job {
  return {
    name: "import-expiry",
    everyMs: 60 * 60 * 1000,
    atStart: true,
    async run() {
      const { expired, foldersRemoved } = await expireStagedImports(db, now());
      return expired + foldersRemoved > 0 ? `Expired ${expired} import preview(s); removed ${foldersRemoved} stray upload folder(s).` : null;
    },
  };
}
