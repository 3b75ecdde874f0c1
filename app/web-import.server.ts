import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { databasePath, getDb } from "~/db.server";
import { FILE_KINDS, type FileKind, columnSpecs, matchHeader } from "~/domain/import/canonical";
import { detectLayout } from "~/domain/import/detect-layout";
import type { ColumnMapping } from "~/domain/import/mapping";
import { previewTable } from "~/domain/import/read-table";
import { sourceFromFile } from "~/domain/import/source";
import type { ImportJobFile } from "~/import-job.server";
import { importProgress, startImport } from "~/import-runner.server";
import type { FileSummary } from "~/ledger-import.server";
import { listMappings, saveMapping } from "~/models/column-mapping.server";
import { createImportRun, findImportRun } from "~/models/import-run.server";

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

export async function stageUpload(files: { name: string; path: string }[], userId: number): Promise<number> {
  const db = getDb();
  const mappings = await listMappings(db);
  const staged: StagedFile[] = [];
  for (const file of files) {
    // A workbook's sheet is the first whose header is a layout we know (else the first with data).
    const preview = await previewTable(await sourceFromFile(file.path, file.name), {
      maxRows: 1,
      recognise: (header) => detectLayout(header, mappings) !== null,
    });
    const layout = preview.ok ? detectLayout(preview.header.values, mappings) : null;
    staged.push({
      name: file.name,
      path: file.path,
      sheet: preview.ok ? preview.sheet : null,
      // an unknown layout is staged as invoices with no mapping; the preview asks the user
      kind: layout ? ("kind" in layout ? layout.kind : layout.mapping.target) : "invoices",
      mapping: layout && "mapping" in layout ? layout.mapping.name : null,
    });
  }
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
  problem: string | null;
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
  if (!fs.existsSync(file.path)) {
    return { ...base, problem: "gone", format: null, encoding: null, sheet: null, sheets: [], header: [], rows: [], truncated: false, missingColumns: [], unknownColumns: [] };
  }
  const preview = await previewTable(await sourceFromFile(file.path, file.name), { maxRows: PREVIEW_ROWS, sheet: file.sheet });
  if (!preview.ok) {
    return { ...base, problem: preview.message, format: null, encoding: null, sheet: null, sheets: [], header: [], rows: [], truncated: false, missingColumns: [], unknownColumns: [] };
  }
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

export async function loadImportRun(runId: number) {
  const db = getDb();
  const run = await findImportRun(db, runId);
  if (!run) return null;
  const files = parseFiles(run.files);
  const mappings = await listMappings(db);
  const progress = importProgress(runId);
  return {
    id: run.id,
    status: run.status,
    source: run.source,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    report: run.report,
    summary: run.summary ? (JSON.parse(run.summary) as FileSummary[]) : null,
    previews: run.status === "pending" ? await Promise.all(files.map((f, i) => previewFile(f, i, mappings))) : [],
    files: files.map((f) => ({ name: f.name, kind: f.kind, mapping: f.mapping ?? null })),
    mappings: mappings.map((m) => ({ name: m.name, target: m.target })),
    progress: progress ? { fraction: progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 0, file: progress.file } : null,
  };
}

export type StartResult = { ok: true } | { ok: false; message: string };

/** Applies the user's layout choices ("kind:invoices" or "mapping:NAME" per file) and starts. */
export async function startStagedRun(runId: number, choices: string[], userId: number): Promise<StartResult> {
  const db = getDb();
  const run = await findImportRun(db, runId);
  if (!run || run.status !== "pending") return { ok: false, message: "importing.notPending" };
  const mappings = await listMappings(db);
  const files = parseFiles(run.files);
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
    if (!fs.existsSync(files[i].path)) return { ok: false, message: "importing.fileGone" };
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

function removeUploads(files: StagedFile[]) {
  for (const folder of new Set(files.map((f) => path.dirname(f.path)))) {
    if (folder.startsWith(uploadDirectory())) fs.rmSync(folder, { recursive: true, force: true });
  }
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

  const preview = await previewTable(await sourceFromFile(file.path, file.name), { maxRows: 1, sheet: file.sheet });
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
