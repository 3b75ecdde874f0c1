/**
 * Reads an import file as a header row followed by data rows, one at a time, so a 1M-row
 * file streams with constant memory. Values are strings exactly as the user typed them (not
 * trimmed); XLSX cells are converted to text here so validation sees one kind of input.
 */
import { StringDecoder } from "node:string_decoder";

import { parse as parseCsv, type Options as CsvOptions } from "csv-parse";

import { decodeHead, detectEncoding, textStream, type TextEncodingName } from "./decode";
import { DEFAULT_SNIFF_LIMITS, sniffFile, type SniffLimits, type TableFormat } from "./sniff";
import { englishMessage, message, type ImportMessage } from "./issue-text";
import { CHUNK, READ_AHEAD, type ImportSource } from "./source";
import { XlsxReadError, XlsxWorkbook, type XlsxLimits, type XlsxSheet } from "./xlsx";

export { numberText } from "./xlsx";

/**
 * The longest CSV line (record) read, in characters, like an XLSX cell's bound: a ledger row is
 * a few hundred characters, and a file of one endless line would otherwise be held whole in
 * memory (and searched again for a line break with every chunk) before anything is refused.
 */
export const MAX_LINE_CHARS = 1024 * 1024;

function lineTooLong(line: number): TableReadError {
  return new TableReadError(message("csvLineTooLong", { line, max: MAX_LINE_CHARS }), line);
}

export interface TableRow {
  /** 1-based physical line (CSV, where the record starts) or sheet row number (XLSX). */
  line: number;
  values: string[];
}

export interface Table {
  format: TableFormat;
  /** null for XLSX */
  encoding: TextEncodingName | null;
  /** XLSX: the sheet read; null for CSV (and a workbook without sheets) */
  sheet: string | null;
  /** XLSX: every sheet of the workbook in tab order, hidden ones flagged */
  sheets: { name: string; hidden: boolean }[];
  /** The first non-blank row; null when the file has no rows at all. */
  header: TableRow | null;
  /** CSV: about how many lines the file has (from its first 64 KiB and its size); null for XLSX. */
  estimatedRows: number | null;
  /** The data rows after the header, blank rows skipped. Single use. */
  rows: AsyncIterable<TableRow>;
  /**
   * The same rows a few thousand at a time, when the reader has them so (a plain CSV): a large
   * import then awaits once per batch rather than once per row. Single use, instead of `rows`.
   */
  rowBatches?: AsyncIterable<TableRow[]>;
  /** Releases the file when `rows` is not read to the end. */
  close(): Promise<void>;
}

export interface TableOptions {
  /** XLSX: read this sheet (by name) */
  sheet?: string | null;
  /** XLSX without `sheet`: whether a sheet's first row is a header this import can read */
  recognise?: (header: readonly string[]) => boolean;
  /** XLSX: bounds on what reading may unpack (the defaults unless given) */
  xlsxLimits?: Partial<XlsxLimits>;
}

/** A file that cannot be read as a table at all (unclosed quote, damaged XLSX). */
export class TableReadError extends Error {
  constructor(
    readonly problem: ImportMessage,
    readonly line: number | null,
  ) {
    super(englishMessage(problem));
    this.name = "TableReadError";
  }
}

export async function openTable(source: ImportSource, format: TableFormat, options: TableOptions = {}): Promise<Table> {
  let encoding: TextEncodingName | null = null;
  let sheet: string | null = null;
  let sheets: Table["sheets"] = [];
  let rows: AsyncGenerator<TableRow>;
  let estimatedRows: number | null = null;
  if (format === "csv") {
    const detected = await detectEncoding(source);
    if (typeof detected === "object") throw new TableReadError(message("notUtf8OrGbk"), detected.line);
    encoding = detected;
    const headBytes = await source.readRange(0, 64 * 1024);
    const head = decodeHead(headBytes, detected);
    const delimiter = detectDelimiter(head);
    estimatedRows = estimateLines(headBytes, source.size);
    if (await isPlainCsv(source)) return batchedTable(format, encoding, estimatedRows, plainCsvRows(source, detected, delimiter));
    rows = csvRows(source, detected, delimiter);
  } else {
    const opened = await openXlsx(source, options);
    sheet = opened.sheet?.name ?? null;
    sheets = opened.workbook.sheets.map((s) => ({ name: s.name, hidden: s.state !== "visible" }));
    rows = xlsxRows(opened.workbook, opened.sheet);
  }
  const first = await rows.next();
  return {
    format,
    encoding,
    sheet,
    sheets,
    header: first.done ? null : first.value,
    estimatedRows,
    rows: { [Symbol.asyncIterator]: () => rows },
    close: async () => {
      await rows.return(undefined);
    },
  };
}

/** A table over a reader that yields its rows in batches: the header is the first row. */
async function batchedTable(format: TableFormat, encoding: TextEncodingName, estimatedRows: number, batches: AsyncGenerator<TableRow[]>): Promise<Table> {
  let leftover: TableRow[] = [];
  let header: TableRow | null = null;
  while (header === null) {
    const next = await batches.next();
    if (next.done) break;
    if (next.value.length === 0) continue;
    header = next.value[0] ?? null;
    leftover = next.value.slice(1);
  }
  async function* rowBatches(): AsyncGenerator<TableRow[]> {
    if (leftover.length > 0) yield leftover;
    yield* batches;
  }
  async function* rows(): AsyncGenerator<TableRow> {
    for await (const batch of rowBatches()) yield* batch;
  }
  return {
    format,
    encoding,
    sheet: null,
    sheets: [],
    header,
    estimatedRows,
    rows: rows(),
    rowBatches: rowBatches(),
    close: async () => {
      await batches.return(undefined);
    },
  };
}

/** The lines of a file whose first bytes are `head`, counted there and scaled to its size. */
function estimateLines(head: Buffer, size: number): number {
  let lines = 1;
  for (let at = head.indexOf(0x0a); at !== -1; at = head.indexOf(0x0a, at + 1)) lines += 1;
  return head.length >= size || head.length === 0 ? lines : Math.ceil((lines * size) / head.length);
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
    max_record_size: MAX_LINE_CHARS,
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
    // csv-parse yields each record as an array of strings
    yield* parser as AsyncIterable<TableRow>;
  } catch (error) {
    // csv-parse throws CsvErrors, which have a code
    if ((error as { code?: string }).code === "CSV_MAX_RECORD_SIZE") throw lineTooLong(nextLine);
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
  // Node's web streams are async iterable and yield Buffers from a file
  for await (const chunk of source.stream(READ_AHEAD) as AsyncIterable<Buffer>) {
    if (chunk.includes(0x22)) return false;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) {
      lf += 1;
      if ((at > 0 ? chunk[at - 1] : previous) === 0x0d) crlf += 1;
    }
    for (let at = chunk.indexOf(0x0d); at !== -1; at = chunk.indexOf(0x0d, at + 1)) cr += 1;
    previous = chunk[chunk.length - 1] ?? previous;
  }
  return cr === 0 || (cr === crlf && lf === crlf);
}

/**
 * Rows of a file isPlainCsv accepted: one record per line, split at the delimiter. The file is
 * read READ_AHEAD bytes at a time and its rows handed on a CHUNK (bytes, or characters of a
 * decoded GB18030 chunk) at a time.
 */
async function* plainCsvRows(source: ImportSource, encoding: TextEncodingName, delimiter: string): AsyncGenerator<TableRow[]> {
  const input = textStream(source, encoding, READ_AHEAD);
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
    // a readable stream is async iterable
    for await (const read of input as AsyncIterable<Buffer | string>) for (const chunk of pieces(read)) {
      let text = rest + (typeof chunk === "string" ? chunk : utf8.write(chunk));
      // csv-parse drops a leading BOM (bom: true)
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      let start = 0;
      const batch: TableRow[] = [];
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        const row = record(text.slice(start, end));
        start = end + 1;
        if (row) batch.push(row);
      }
      rest = text.slice(start);
      if (batch.length > 0) yield batch;
      if (rest.length > MAX_LINE_CHARS) throw lineTooLong(line + 1);
    }
    rest += utf8.end();
    if (rest.length > MAX_LINE_CHARS) throw lineTooLong(line + 1);
    if (rest !== "") {
      const row = record(rest);
      if (row) yield [row];
    }
  } finally {
    input.destroy();
  }
}

/** A chunk read ahead, CHUNK at a time (a UTF-8 character cut in two is StringDecoder's to join). */
function* pieces(read: Buffer | string): Generator<Buffer | string> {
  if (read.length <= CHUNK) return yield read;
  for (let at = 0; at < read.length; at += CHUNK) yield typeof read === "string" ? read.slice(at, at + CHUNK) : read.subarray(at, at + CHUNK);
}

function describeCsvError(error: unknown): ImportMessage {
  // a thrown CsvError or Node error has a code, if any; it is compared, never trusted
  const code = (error as { code?: string }).code;
  if (code === "CSV_QUOTE_NOT_CLOSED") return message("csvQuoteNotClosed");
  if (code === "CSV_INVALID_CLOSING_QUOTE") return message("csvBadClosingQuote");
  return message("csvUnreadable", { detail: error instanceof Error ? error.message : String(error) });
}

/**
 * Which sheet of a workbook to read: the first visible sheet whose header `recognise` accepts
 * (a ledger layout), else the first visible sheet with data. Hidden sheets are never read
 * unless named: they hold lookups and old data, not what the user sees when opening the file.
 */
async function chooseSheet(workbook: XlsxWorkbook, options: TableOptions): Promise<XlsxSheet | null> {
  if (options.sheet) {
    const named = workbook.sheets.find((sheet) => sheet.name === options.sheet);
    if (!named) throw new TableReadError(message("noSuchSheet", { sheet: options.sheet }), null);
    return named;
  }
  let firstWithData: XlsxSheet | null = null;
  for (const sheet of workbook.sheets) {
    if (sheet.state !== "visible") continue;
    const header = await workbook.firstRow(sheet);
    if (!header) continue;
    if (!options.recognise || options.recognise(header.values)) return sheet;
    firstWithData ??= sheet;
  }
  if (firstWithData) return firstWithData;
  for (const sheet of workbook.sheets) {
    if (sheet.state !== "visible" && (await workbook.firstRow(sheet))) {
      throw new TableReadError(message("onlyHiddenData"), null);
    }
  }
  return null;
}

async function openXlsx(source: ImportSource, options: TableOptions) {
  try {
    const workbook = await XlsxWorkbook.open(source, options.xlsxLimits);
    const sheet = await chooseSheet(workbook, options);
    return { workbook, sheet };
  } catch (error) {
    throw xlsxError(error);
  }
}

async function* xlsxRows(workbook: XlsxWorkbook, sheet: XlsxSheet | null): AsyncGenerator<TableRow> {
  if (!sheet) return;
  try {
    yield* workbook.rows(sheet);
  } catch (error) {
    throw xlsxError(error);
  }
}

function xlsxError(error: unknown): TableReadError {
  if (error instanceof TableReadError) return error;
  if (!(error instanceof XlsxReadError)) throw error;
  return new TableReadError(message("xlsxUnreadable", { detail: error.problem ?? error.message }), null);
}

export type TablePreview =
  | {
      ok: true;
      format: TableFormat;
      encoding: TextEncodingName | null;
      sheet: string | null;
      sheets: Table["sheets"];
      header: TableRow;
      rows: TableRow[];
      /** More rows follow the ones returned. */
      truncated: boolean;
    }
  | { ok: false; message: ImportMessage; line: number | null };

/** The header and the first `maxRows` rows, e.g. to show a user what a mapping will see. */
export async function previewTable(
  source: ImportSource,
  { maxRows = 20, limits = DEFAULT_SNIFF_LIMITS, ...options }: { maxRows?: number; limits?: SniffLimits } & TableOptions = {},
): Promise<TablePreview> {
  const sniffed = await sniffFile(source, limits);
  if (!sniffed.ok) return { ok: false, message: sniffed.message, line: null };
  let table: Table | undefined;
  try {
    table = await openTable(source, sniffed.format, options);
    if (!table.header) return { ok: false, message: message("fileEmpty"), line: null };
    const rows: TableRow[] = [];
    let truncated = false;
    for await (const row of table.rows) {
      if (rows.length === maxRows) {
        truncated = true;
        break;
      }
      rows.push(row);
    }
    return {
      ok: true,
      format: table.format,
      encoding: table.encoding,
      sheet: table.sheet,
      sheets: table.sheets,
      header: table.header,
      rows,
      truncated,
    };
  } catch (error) {
    if (error instanceof TableReadError) return { ok: false, message: error.problem, line: error.line };
    throw error;
  } finally {
    await table?.close();
  }
}
