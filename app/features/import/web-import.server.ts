import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createFileUploadHandler as createFileUploadHandler,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";

import { databasePath, getDb } from "~/server/db.server";
import { FILE_KINDS, type FileKind, columnSpecs, matchHeader } from "~/features/import/canonical";
import { detectLayout } from "~/features/import/detect-layout";
import type { ColumnMapping } from "~/features/import/mapping";
import { message, type ImportMessage } from "~/features/import/issue-text";
import type { ImportIssue } from "~/features/import/report";
import { previewTable } from "~/features/import/read-table";
import { sourceFromFile } from "~/features/import/source-file.server";
import type { ImportJobFile } from "~/features/import/job.server";
import { importProgress, startImport } from "~/features/import/runner.server";
import type { FileSummary } from "~/features/import/import-ledger.server";
import { listMappings, saveMapping } from "~/features/import/queries/mappings.server";
import { createImportRun, findImportRun, storedIssuesOf } from "~/features/import/queries/runs.server";
import { MAX_UPLOAD_BYTES } from "~/features/import/schema";

/** The web import as use cases: stage uploaded files, preview them, start the import. */

const PREVIEW_ROWS = 10;

export function uploadDirectory(): string {
  return path.join(path.dirname(databasePath()), "uploads");
}

/** A fresh folder for one upload; the file names inside are ours, never the client's. */
export function newUploadFolder(): string {
  const folder = path.join(uploadDirectory(), crypto.randomBytes(12).toString("hex"));
  fs.mkdirSync(folder, { recursive: true });
  return folder;
}

export type ReceivedUpload =
  | { ok: true; formData: FormData; files: { name: string; path: string }[] }
  | { ok: false; error: "importing.tooLarge" | "importing.noFiles" };

/**
 * Saves the files of a multipart post in a fresh upload folder under names of our own (the
 * client's file name is kept for reports, never used as a path) and returns the other fields.
 */
export async function receiveUploads(request: Request): Promise<ReceivedUpload> {
  const folder = newUploadFolder();
  const originalNames = new Map<string, string>();
  const handler = createFileUploadHandler({
    directory: folder,
    maxPartSize: MAX_UPLOAD_BYTES,
    avoidFileConflicts: false,
    file: ({ filename }) => {
      const stored = `upload-${originalNames.size}`;
      originalNames.set(stored, path.basename(filename.replace(/\\/g, "/")) || stored);
      return stored;
    },
  });
  let formData: FormData;
  try {
    // files to disk, the form's few small fields (intent, index) in memory
    formData = await parseMultipartFormData(request, composeUploadHandlers(handler, createMemoryUploadHandler({ maxPartSize: 10_000 })));
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: "importing.tooLarge" };
    throw error;
  }
  const files = formData
    .getAll("files")
    .filter((value): value is File & { getFilePath(): string } => typeof value === "object" && "getFilePath" in value)
    .filter((file) => file.size > 0 || file.name !== "")
    .map((file) => ({ name: originalNames.get(path.basename(file.getFilePath())) ?? file.name, path: file.getFilePath() }));
  if (files.length === 0) {
    fs.rmSync(folder, { recursive: true, force: true });
    return { ok: false, error: "importing.noFiles" };
  }
  return { ok: true, formData, files };
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
  return JSON.parse(json) as StagedFile[];
}

/** Reads a staged file's header (and chosen sheet) and recognises its layout. */
async function stageFile(file: { name: string; path: string }, mappings: ColumnMapping[]): Promise<StagedFile> {
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

export async function stageUpload(files: { name: string; path: string }[], userId: number): Promise<number> {
  const db = getDb();
  const mappings = await listMappings(db);
  const staged: StagedFile[] = [];
  for (const file of files) staged.push(await stageFile(file, mappings));
  return createImportRun(db, {
    userId,
    source: "web",
    status: "pending",
    files: staged.map((f) => ({ ...f, mapping: f.mapping ?? null })),
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
  if (!fs.existsSync(file.path)) return { ...base, problem: "gone", ...unreadable };
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
  return (JSON.parse(json) as FileSummary[]).map((file) => ({
    ...file,
    warnings: (file.warnings as (ImportIssue | string)[]).map((warning) =>
      typeof warning === "string"
        ? { file: file.file, line: null, column: null, message: message("untranslated", { text: warning }) }
        : warning,
    ),
  }));
}

export async function loadImportRun(runId: number) {
  const db = getDb();
  const run = await findImportRun(db, runId);
  if (!run) return null;
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

export type StartResult = { ok: true } | { ok: false; message: string };

/** The staged files of a run still waiting to start, or why it cannot be changed. */
async function pendingFiles(runId: number): Promise<{ ok: true; files: StagedFile[] } | { ok: false; message: string }> {
  const run = await findImportRun(getDb(), runId);
  if (!run || run.status !== "pending") return { ok: false, message: "importing.notPending" };
  return { ok: true, files: parseFiles(run.files) };
}

/** Writes the staged files back, only while the run is still pending (a concurrent start wins). */
async function savePendingFiles(runId: number, files: StagedFile[]): Promise<boolean> {
  const updated = await getDb()
    .updateTable("import_runs")
    .set({ files: JSON.stringify(files) })
    .where("id", "=", runId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Applies the user's layout choices ("kind:invoices" or "mapping:NAME" per file) and starts. */
export async function startStagedRun(runId: number, choices: string[], userId: number): Promise<StartResult> {
  const db = getDb();
  const pending = await pendingFiles(runId);
  if (!pending.ok) return pending;
  const files = pending.files;
  const mappings = await listMappings(db);
  // A file that cannot be read must be replaced or removed first: the import would only fail.
  for (const file of files) {
    if (!fs.existsSync(file.path)) return { ok: false, message: "importing.fileGone" };
    const readable = await previewTable(await sourceFromFile(file.path, file.name), { maxRows: 0, sheet: file.sheet });
    if (!readable.ok) return { ok: false, message: "importing.unreadableFiles" };
  }
  if (choices.length !== files.length) return { ok: false, message: "importing.badChoice" };
  for (const [i, choice] of choices.entries()) {
    const [type, ...rest] = choice.split(":");
    const value = rest.join(":");
    if (type === "kind" && (FILE_KINDS as readonly string[]).includes(value)) {
      files[i] = { ...files[i], kind: value as FileKind, mapping: null };
    } else if (type === "mapping" && mappings.some((m) => m.name === value)) {
      const mapping = mappings.find((m) => m.name === value) as ColumnMapping;
      files[i] = { ...files[i], kind: mapping.target, mapping: mapping.name };
    } else {
      return { ok: false, message: "importing.badChoice" };
    }
  }
  // Claim the run atomically: a double click starts one import, not two.
  const claimed = await db
    .updateTable("import_runs")
    .set({ status: "running", files: JSON.stringify(files) })
    .where("id", "=", runId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return { ok: false, message: "importing.notPending" };
  startImport(runId, files, userId, () => removeUploads(files));
  return { ok: true };
}

export type ChangeResult = { ok: true; cancelled?: boolean } | { ok: false; message: string };

/** Puts a new upload in the place of staged file `index` (e.g. the unreadable one). */
export async function replaceStagedFile(runId: number, index: number, upload: { name: string; path: string }): Promise<ChangeResult> {
  const pending = await pendingFiles(runId);
  const old = pending.ok ? pending.files[index] : undefined;
  if (!pending.ok || !old) {
    removeUploads([upload]);
    return pending.ok ? { ok: false, message: "importing.badFile" } : pending;
  }
  const files = [...pending.files];
  files[index] = await stageFile(upload, await listMappings(getDb()));
  if (!(await savePendingFiles(runId, files))) {
    removeUploads([upload]);
    return { ok: false, message: "importing.notPending" };
  }
  removeUploads([old]);
  return { ok: true };
}

/** Takes staged file `index` out of the import; the last one taken out cancels the import. */
export async function dropStagedFile(runId: number, index: number): Promise<ChangeResult> {
  const pending = await pendingFiles(runId);
  if (!pending.ok) return pending;
  const dropped = pending.files[index];
  if (!dropped) return { ok: false, message: "importing.badFile" };
  const files = pending.files.filter((_, i) => i !== index);
  if (files.length === 0) return cancelStagedRun(runId);
  if (!(await savePendingFiles(runId, files))) return { ok: false, message: "importing.notPending" };
  removeUploads([dropped]);
  return { ok: true };
}

/** Cancels an import that has not started and deletes its staged files. */
export async function cancelStagedRun(runId: number): Promise<ChangeResult> {
  const pending = await pendingFiles(runId);
  if (!pending.ok) return pending;
  const cancelled = await getDb()
    .updateTable("import_runs")
    .set({ status: "cancelled", finished_at: new Date().toISOString() })
    .where("id", "=", runId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (Number(cancelled.numUpdatedRows) !== 1) return { ok: false, message: "importing.notPending" };
  removeUploads(pending.files);
  return { ok: true, cancelled: true };
}

/** Reads another sheet of a staged workbook (and recognises its layout again). */
export async function chooseStagedSheet(runId: number, index: number, sheet: string): Promise<ChangeResult> {
  const pending = await pendingFiles(runId);
  if (!pending.ok) return pending;
  const file = pending.files[index];
  if (!file || !fs.existsSync(file.path)) return { ok: false, message: "importing.badFile" };
  const preview = await previewTable(await sourceFromFile(file.path, file.name), { maxRows: 0, sheet });
  if (!preview.ok || preview.sheets.find((s) => s.name === sheet)?.hidden !== false) {
    return { ok: false, message: "importing.badSheet" };
  }
  const layout = detectLayout(preview.header.values, await listMappings(getDb()));
  const files = [...pending.files];
  files[index] = {
    ...file,
    sheet,
    ...(layout
      ? { kind: "kind" in layout ? layout.kind : layout.mapping.target, mapping: "mapping" in layout ? layout.mapping.name : null }
      : {}),
  };
  if (!(await savePendingFiles(runId, files))) return { ok: false, message: "importing.notPending" };
  return { ok: true };
}

/** Deletes staged uploads (the files, and their folder once empty); only ever inside the upload folder. */
export function removeUploads(files: { path: string }[]) {
  const root = uploadDirectory() + path.sep;
  for (const file of files) {
    const resolved = path.resolve(file.path);
    if (!resolved.startsWith(root)) continue;
    fs.rmSync(resolved, { force: true });
    const folder = path.dirname(resolved);
    if (folder.startsWith(root) && fs.existsSync(folder) && fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
  }
}

/** Previews left unstarted this long are expired and their staged files deleted. */
export const STAGED_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Expires the previews nobody started within a day (the list shows them as expired) and deletes
 * their staged files, and any upload folder a day old that no waiting or running import uses (an
 * upload cut off before it was staged). Run by `npm run import:expire` and hourly by the server,
 * never by a page view.
 */
export async function expireStagedImports(now: Date): Promise<{ expired: number; foldersRemoved: number }> {
  const db = getDb();
  const cutoff = new Date(now.getTime() - STAGED_LIFETIME_MS).toISOString();
  const stale = await db
    .selectFrom("import_runs")
    .select(["id", "files"])
    .where("status", "=", "pending")
    .where("started_at", "<", cutoff)
    .execute();
  let expired = 0;
  for (const run of stale) {
    const updated = await db
      .updateTable("import_runs")
      .set({ status: "expired", finished_at: now.toISOString() })
      .where("id", "=", run.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) continue;
    expired += 1;
    removeUploads(parseFiles(run.files));
  }

  let foldersRemoved = 0;
  const root = uploadDirectory();
  if (fs.existsSync(root)) {
    const live = await db.selectFrom("import_runs").select("files").where("status", "in", ["pending", "running"]).execute();
    const used = new Set(live.flatMap((run) => parseFiles(run.files).map((file) => path.dirname(path.resolve(file.path)))));
    for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
      const folder = path.resolve(root, entry.name);
      if (!entry.isDirectory() || used.has(folder)) continue;
      if (fs.statSync(folder).mtimeMs > now.getTime() - STAGED_LIFETIME_MS) continue;
      fs.rmSync(folder, { recursive: true, force: true });
      foldersRemoved += 1;
    }
  }
  return { expired, foldersRemoved };
}

export interface MappingForm {
  index: number;
  name: string;
  target: FileKind;
  dateFormat: ColumnMapping["dateFormat"];
  paidDateColumn?: string;
  paidAmountColumn?: string;
  customerCodeColumn?: string;
  customerNameColumn?: string;
  customerRegionColumn?: string;
  /** canonical field → source column, from the form's `col_<field>` entries */
  columns: Record<string, string>;
}

export type SaveMappingResult = { ok: true } | { ok: false; fieldErrors: Record<string, string[]> };

/** Saves a column mapping built in the editor and chooses it for the staged file. */
export async function saveStagedMapping(runId: number, form: MappingForm, userId: number): Promise<SaveMappingResult> {
  const db = getDb();
  const run = await findImportRun(db, runId);
  if (!run || run.status !== "pending") return { ok: false, fieldErrors: { form: ["importing.notPending"] } };
  const files = parseFiles(run.files);
  const file = files[form.index];
  if (!file) return { ok: false, fieldErrors: { form: ["importing.badChoice"] } };

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
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const mapping: ColumnMapping = {
    name: form.name,
    target: form.target,
    dateFormat: form.dateFormat,
    columns,
    ...(form.target === "invoices" && known(form.paidDateColumn)
      ? {
          settlement: {
            paidDateColumn: known(form.paidDateColumn) as string,
            ...(known(form.paidAmountColumn) ? { paidAmountColumn: known(form.paidAmountColumn) } : {}),
          },
        }
      : {}),
    ...(form.target !== "customers" && known(form.customerCodeColumn)
      ? {
          customers: {
            codeColumn: known(form.customerCodeColumn) as string,
            ...(known(form.customerNameColumn) ? { nameColumn: known(form.customerNameColumn) } : {}),
            ...(known(form.customerRegionColumn) ? { regionColumn: known(form.customerRegionColumn) } : {}),
          },
        }
      : {}),
  } as ColumnMapping;
  await saveMapping(db, mapping, userId);
  files[form.index] = { ...file, kind: form.target, mapping: mapping.name };
  await db.updateTable("import_runs").set({ files: JSON.stringify(files) }).where("id", "=", runId).execute();
  return { ok: true };
}
