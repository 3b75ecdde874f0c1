import { PassThrough, type Readable } from "node:stream";

import { createReadableStreamFromReadable } from "@remix-run/node";
import ExcelJS from "exceljs";

import { AppError } from "~/kernel/app-error";
import { minorToMajorNumber, minorToMajorString } from "~/kernel/money";
import { UTF8_BOM, csvField, csvLine, csvText, neutraliseCellText } from "~/kernel/spreadsheet-safety";
import { drained } from "~/server/stream-drain.server";

/**
 * The one CSV writer and the one XLSX writer of the app, and the one way a download is answered.
 * A feature describes its table (columns, rows of cells, a file name) and never sees bytes or
 * HTTP; the route hands the result to `downloadResponse`.
 *
 * Usage (from a route):
 *   const table = await someFeatureExport(db, user, ...);           // { fileName, sheets }
 *   return downloadResponse(table.fileName, format, spreadsheetStream(format, table.sheets));
 * or, for a small workbook built in memory, `await spreadsheetBytes("xlsx", sheets)`.
 *
 * Every text cell is neutralised against formula injection (kernel/spreadsheet-safety.ts);
 * amounts and other numbers stay numbers (CSV: plain numbers; XLSX: numeric cells with a format).
 */

export type SpreadsheetFormat = "csv" | "xlsx";

export const SPREADSHEET_FORMATS: readonly SpreadsheetFormat[] = ["csv", "xlsx"];

export const CONTENT_TYPES: Record<SpreadsheetFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** `csv` or `xlsx`, or null for anything else. */
export function spreadsheetFormat(value: string | null): SpreadsheetFormat | null {
  return value === "csv" || value === "xlsx" ? value : null;
}

/**
 * An export link's `format` query parameter, the one way every export route reads it: `csv` or
 * `xlsx`, or AppError invalid at the `format` field naming the formats there are (the route's
 * `orDownloadRefusal` answers it as a 400 in words). Read before anything else, so a bad link
 * costs nothing and writes nothing.
 */
export function exportFormatParam(search: URLSearchParams): SpreadsheetFormat {
  const format = spreadsheetFormat(search.get("format"));
  if (format) return format;
  throw new AppError("invalid", "errors.exportFormat", {
    fieldErrors: { format: ["errors.exportFormat"] },
    params: { formats: SPREADSHEET_FORMATS.join(", ") },
  });
}

/** The number format of money (major units, two decimals, thousands separated). */
export const AMOUNT_FORMAT = "#,##0.00;-#,##0.00";

export type SpreadsheetCell =
  /** text, neutralised; null: an empty cell */
  | { kind: "text"; value: string | null }
  /** money in minor units: CSV writes the exact major amount, XLSX a number with AMOUNT_FORMAT */
  | { kind: "amount"; minor: number | null }
  /** any other number; `format`: its XLSX number format; `csv`: how CSV writes it (default: as is) */
  | { kind: "number"; value: number | null; format?: string; csv?: string };

export interface SpreadsheetColumn {
  header: string;
  /** XLSX column width in characters */
  width?: number;
}

export interface SpreadsheetSheet {
  /** the XLSX sheet's name (made valid for Excel here); CSV has none */
  name: string;
  columns: readonly SpreadsheetColumn[];
  /** written one at a time: a generator keeps a long table out of memory (an async one reads a database cursor) */
  rows: Iterable<readonly SpreadsheetCell[]> | AsyncIterable<readonly SpreadsheetCell[]>;
  /** rows written last in bold (totals); read after `rows` is exhausted */
  totals?: () => readonly (readonly SpreadsheetCell[])[];
  /** keep the header row in view while scrolling */
  freezeHeader?: boolean;
}

function csvCell(cell: SpreadsheetCell): string {
  switch (cell.kind) {
    case "text":
      return csvText(cell.value);
    case "amount":
      return cell.minor === null ? "" : minorToMajorString(cell.minor);
    case "number":
      return cell.value === null ? "" : csvField(cell.csv ?? String(cell.value));
  }
}

function xlsxValue(cell: SpreadsheetCell): string | number | null {
  switch (cell.kind) {
    case "text":
      return cell.value === null ? null : neutraliseCellText(cell.value);
    case "amount":
      return cell.minor === null ? null : minorToMajorNumber(cell.minor);
    case "number":
      return cell.value;
  }
}

function numberFormat(cell: SpreadsheetCell): string | undefined {
  if (cell.kind === "amount") return AMOUNT_FORMAT;
  if (cell.kind === "number") return cell.format;
  return undefined;
}

/** Excel: at most 31 characters, none of \ / ? * [ ] : */
export function sheetName(name: string): string {
  return name.replace(/[\\/?*[\]:]/g, " ").slice(0, 31);
}

/** Writes to `out` with back-pressure. */
async function write(out: PassThrough, chunk: string): Promise<void> {
  if (!out.write(chunk)) await drained(out);
}

async function writeCsv(out: PassThrough, sheet: SpreadsheetSheet): Promise<void> {
  // UTF-8 with a BOM (Excel then reads Chinese right), CRLF lines.
  await write(out, UTF8_BOM + csvLine(sheet.columns.map((column) => csvField(column.header))));
  for await (const row of sheet.rows) {
    if (out.destroyed) return;
    await write(out, csvLine(row.map(csvCell)));
  }
  for (const row of sheet.totals?.() ?? []) await write(out, csvLine(row.map(csvCell)));
}

function addXlsxRow(sheet: ExcelJS.Worksheet, cells: readonly SpreadsheetCell[], bold: boolean): ExcelJS.Row {
  const row = sheet.addRow(cells.map(xlsxValue));
  cells.forEach((cell, index) => {
    const format = numberFormat(cell);
    if (format) row.getCell(index + 1).numFmt = format;
  });
  if (bold) row.font = { bold: true };
  return row;
}

function startXlsxSheet(workbook: ExcelJS.Workbook | ExcelJS.stream.xlsx.WorkbookWriter, spec: SpreadsheetSheet): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(sheetName(spec.name), spec.freezeHeader ? { views: [{ state: "frozen", ySplit: 1 }] } : {});
  sheet.columns = spec.columns.map((column) => ({ header: neutraliseCellText(column.header), width: column.width ?? 12 }));
  sheet.getRow(1).font = { bold: true };
  return sheet;
}

/**
 * The sheets as a stream of CSV (the first sheet only: CSV has one) or XLSX bytes, written row by
 * row as they are read (exceljs' streaming writer commits each row), so memory stays flat however
 * long the table. The stream fails (is destroyed) when reading a row throws.
 */
export function spreadsheetStream(format: SpreadsheetFormat, sheets: readonly SpreadsheetSheet[], onEnd?: () => void | Promise<void>): Readable {
  const out = new PassThrough();
  const run = async () => {
    if (format === "csv") {
      const [first] = sheets;
      if (first) await writeCsv(out, first);
      out.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    for (const spec of sheets) {
      const sheet = startXlsxSheet(workbook, spec);
      sheet.getRow(1).commit();
      for await (const cells of spec.rows) {
        if (out.destroyed) return;
        addXlsxRow(sheet, cells, false).commit();
        // Let the compressor's output drain between rows so buffered output stays small.
        if (out.writableLength > out.writableHighWaterMark) await drained(out);
      }
      for (const cells of spec.totals?.() ?? []) addXlsxRow(sheet, cells, true).commit();
      sheet.commit();
    }
    await workbook.commit();
  };
  run()
    .catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))))
    .then(() => onEnd?.())
    // Ending the export's database read failed (a lost connection): the file is written or failed
    // already, the connection is dropped; said in the log rather than left an unhandled rejection.
    .catch((error: unknown) => console.error(`An export could not end its database read: ${error instanceof Error ? error.message : String(error)}`));
  return out;
}

/** The sheets as CSV or XLSX bytes in memory: for small tables and multi-sheet workbooks. */
export async function spreadsheetBytes(format: SpreadsheetFormat, sheets: readonly SpreadsheetSheet[]): Promise<Uint8Array<ArrayBuffer>> {
  if (format === "csv") {
    const chunks: Buffer[] = [];
    // the CSV stream yields Buffers
    for await (const chunk of spreadsheetStream("csv", sheets)) chunks.push(Buffer.from(chunk as Buffer));
    return new Uint8Array(Buffer.concat(chunks));
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Quarterdeck";
  for (const spec of sheets) {
    const sheet = startXlsxSheet(workbook, spec);
    for await (const cells of spec.rows) addXlsxRow(sheet, cells, false);
    for (const cells of spec.totals?.() ?? []) addXlsxRow(sheet, cells, true);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The download answer: the right content type, an attachment named `fileName`, never cached. */
export function downloadResponse(fileName: string, format: SpreadsheetFormat, body: Uint8Array<ArrayBuffer> | Readable): Response {
  const payload = body instanceof Uint8Array ? body : createReadableStreamFromReadable(body);
  return new Response(payload, {
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
