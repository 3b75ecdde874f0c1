/**
 * Reads an import file as a header row followed by data rows, one at a time, so a 1M-row
 * file streams with constant memory. Values are strings exactly as the user typed them (not
 * trimmed); XLSX cells are converted to text here so validation sees one kind of input.
 */
import { StringDecoder } from "node:string_decoder";

import { parse as parseCsv, type Options as CsvOptions } from "csv-parse";
import type ExcelJS from "exceljs";

import { decodeHead, detectEncoding, textStream, type TextEncodingName } from "./decode";
import { DEFAULT_SNIFF_LIMITS, sniffFile, type SniffLimits, type TableFormat } from "./sniff";
import type { ImportSource } from "./source";

export interface TableRow {
  /** 1-based physical line (CSV, where the record starts) or sheet row number (XLSX). */
  line: number;
  values: string[];
}

export interface Table {
  format: TableFormat;
  /** null for XLSX */
  encoding: TextEncodingName | null;
  /** The first non-blank row; null when the file has no rows at all. */
  header: TableRow | null;
  /** The data rows after the header, blank rows skipped. Single use. */
  rows: AsyncIterable<TableRow>;
  /** Releases the file when `rows` is not read to the end. */
  close(): Promise<void>;
}

/** A file that cannot be read as a table at all (unclosed quote, damaged XLSX). */
export class TableReadError extends Error {
  constructor(message: string, readonly line: number | null) {
    super(message);
    this.name = "TableReadError";
  }
}

export async function openTable(source: ImportSource, format: TableFormat): Promise<Table> {
  let encoding: TextEncodingName | null = null;
  let rows: AsyncGenerator<TableRow>;
  if (format === "csv") {
    encoding = await detectEncoding(source);
    const head = decodeHead(await source.readRange(0, 64 * 1024), encoding);
    const delimiter = detectDelimiter(head);
    rows = (await isPlainCsv(source)) ? plainCsvRows(source, encoding, delimiter) : csvRows(source, encoding, delimiter);
  } else {
    rows = xlsxRows(source);
  }
  const first = await rows.next();
  return {
    format,
    encoding,
    header: first.done ? null : first.value,
    rows: { [Symbol.asyncIterator]: () => rows },
    close: async () => {
      await rows.return(undefined);
    },
  };
}

/** Comma, unless the header line clearly uses semicolons (European Excel) or tabs. */
export function detectDelimiter(head: string): "," | ";" | "\t" {
  const firstLine = head.split(/\r\n|\r|\n/, 1)[0] ?? "";
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "," || char === ";" || char === "\t")) counts[char] += 1;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

function isBlank(values: string[]): boolean {
  return values.every((value) => value.trim() === "");
}

// csv-parse's own line counter counts a CRLF inside a quoted value twice, so lines are counted
// here: each record spans 1 + the line breaks inside its values. Blank lines are kept as
// records by csv-parse (no skip_empty_lines) precisely so that they are counted too.
function lineBreaks(values: string[]): number {
  let breaks = 0;
  for (const value of values) {
    if (value.includes("\n") || value.includes("\r")) breaks += value.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return breaks;
}

async function* csvRows(source: ImportSource, encoding: TextEncodingName, delimiter: string): AsyncGenerator<TableRow> {
  let nextLine = 1;
  const options: CsvOptions<TableRow, string[]> = {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    // Runs as each record is parsed (not when it is consumed), so when the parser fails,
    // `nextLine` is where the broken record starts.
    on_record: (values: string[]): TableRow | null => {
      const line = nextLine;
      nextLine += 1 + lineBreaks(values);
      return isBlank(values) ? null : { line, values };
    },
  };
  // The typings tie on_record's result to the default record type; the parser passes it through.
  const parser = parseCsv(options as unknown as CsvOptions);
  const input = textStream(source, encoding);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    yield* parser as AsyncIterable<TableRow>;
  } catch (error) {
    throw new TableReadError(describeCsvError(error), nextLine);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/**
 * True when the file has no quote character and one kind of line break throughout (LF, or CRLF):
 * then every line is one record and splitting at the delimiter is exactly what csv-parse would
 * do, several times faster (most of a million-row import's reading time). A quote or a mixture
 * of line breaks goes to csv-parse. In UTF-8 and GB18030 these bytes only ever stand for
 * themselves (never inside a multi-byte character), so the raw bytes can be checked.
 */
async function isPlainCsv(source: ImportSource): Promise<boolean> {
  let cr = 0;
  let lf = 0;
  let crlf = 0;
  let previous = 0;
  for await (const chunk of source.stream() as AsyncIterable<Buffer>) {
    if (chunk.includes(0x22)) return false;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) {
      lf += 1;
      if ((at > 0 ? chunk[at - 1] : previous) === 0x0d) crlf += 1;
    }
    for (let at = chunk.indexOf(0x0d); at !== -1; at = chunk.indexOf(0x0d, at + 1)) cr += 1;
    if (chunk.length > 0) previous = chunk[chunk.length - 1];
  }
  return cr === 0 || (cr === crlf && lf === crlf);
}

/** Rows of a file isPlainCsv accepted: one record per line, split at the delimiter. */
async function* plainCsvRows(source: ImportSource, encoding: TextEncodingName, delimiter: string): AsyncGenerator<TableRow> {
  const input = textStream(source, encoding);
  const utf8 = new StringDecoder("utf8");
  let line = 0;
  let rest = "";
  let first = true;
  const record = (text: string): TableRow | null => {
    line += 1;
    const values = (text.endsWith("\r") ? text.slice(0, -1) : text).split(delimiter);
    return isBlank(values) ? null : { line, values };
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      let text = rest + (typeof chunk === "string" ? chunk : utf8.write(chunk));
      // csv-parse drops a leading BOM (bom: true)
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        const row = record(text.slice(start, end));
        start = end + 1;
        if (row) yield row;
      }
      rest = text.slice(start);
    }
    rest += utf8.end();
    if (rest !== "") {
      const row = record(rest);
      if (row) yield row;
    }
  } finally {
    input.destroy();
  }
}

function describeCsvError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "CSV_QUOTE_NOT_CLOSED") {
    return 'a quoted value is never closed: a " is missing, so the rest of the file would be one value';
  }
  if (code === "CSV_INVALID_CLOSING_QUOTE") return 'a quoted value is followed by text: check the " characters';
  return `the CSV file cannot be read: ${error instanceof Error ? error.message : String(error)}`;
}

interface WorkbookModel {
  sheets?: { name: string }[];
}

async function* xlsxRows(source: ImportSource): AsyncGenerator<TableRow> {
  // Loaded on first use: exceljs adds ~20 MB to every import process, most of which read CSV.
  const { default: excel } = await import("exceljs");
  const input = source.stream();
  const reader = new excel.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Styles tell date cells from plain numbers; hyperlinks are not needed.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  try {
    for await (const worksheet of reader) {
      // Worksheets arrive in zip order; the first sheet is the first tab of the workbook.
      const firstSheet = (reader as unknown as { model?: WorkbookModel }).model?.sheets?.[0]?.name;
      const name = (worksheet as unknown as { name?: string }).name;
      if (firstSheet !== undefined && name !== undefined && name !== firstSheet) continue;
      for await (const row of worksheet) {
        const values = rowValues(row.values);
        if (!isBlank(values)) yield { line: row.number, values };
      }
      return;
    }
  } catch (error) {
    if (error instanceof TableReadError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new TableReadError(`the XLSX file cannot be read (${detail}): open it in Excel and save it again`, null);
  } finally {
    input.destroy();
  }
}

function rowValues(cells: ExcelJS.Row["values"]): string[] {
  if (!Array.isArray(cells)) return [];
  const values: string[] = [];
  // exceljs row values are 1-based and sparse.
  for (let column = 1; column < cells.length; column += 1) values.push(cellText(cells[column]));
  return values;
}

/** The text of one XLSX cell as a CSV export would show it; dates as `YYYY-MM-DD`. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  // exceljs turns date-formatted cells into Dates at UTC midnight (plus any time of day).
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const cell = value as Record<string, unknown>;
    if (Array.isArray(cell.richText)) return cell.richText.map((run: { text?: string }) => run.text ?? "").join("");
    if ("result" in cell) return cellText(cell.result);
    if ("formula" in cell || "sharedFormula" in cell) return "";
    if (typeof cell.error === "string") return cell.error;
    if ("text" in cell) return cellText(cell.text);
  }
  return String(value);
}

/**
 * The decimal text of a number cell without binary-float noise: Excel keeps 15 significant
 * digits, so 0.1+0.2 stored as 0.30000000000000004 reads "0.3" and 12345.670000000002 reads
 * "12345.67". Whole numbers are written out in full.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  const precise = value.toPrecision(15);
  if (precise.includes("e")) return String(value);
  return precise.replace(/0+$/, "").replace(/\.$/, "");
}

export type TablePreview =
  | {
      ok: true;
      format: TableFormat;
      encoding: TextEncodingName | null;
      header: TableRow;
      rows: TableRow[];
      /** More rows follow the ones returned. */
      truncated: boolean;
    }
  | { ok: false; message: string; line: number | null };

/** The header and the first `maxRows` rows, e.g. to show a user what a mapping will see. */
export async function previewTable(
  source: ImportSource,
  { maxRows = 20, limits = DEFAULT_SNIFF_LIMITS }: { maxRows?: number; limits?: SniffLimits } = {},
): Promise<TablePreview> {
  const sniffed = await sniffFile(source, limits);
  if (!sniffed.ok) return { ok: false, message: sniffed.message, line: null };
  let table: Table | undefined;
  try {
    table = await openTable(source, sniffed.format);
    if (!table.header) return { ok: false, message: "The file is empty", line: null };
    const rows: TableRow[] = [];
    let truncated = false;
    for await (const row of table.rows) {
      if (rows.length === maxRows) {
        truncated = true;
        break;
      }
      rows.push(row);
    }
    return { ok: true, format: table.format, encoding: table.encoding, header: table.header, rows, truncated };
  } catch (error) {
    if (error instanceof TableReadError) return { ok: false, message: error.message, line: error.line };
    throw error;
  } finally {
    await table?.close();
  }
}
