/**
 * One import file from bytes to canonical records: sniff, decode, read rows, match the header
 * (canonical names or a column mapping), validate row by row. Valid records are handed to
 * `onItem` as they are read (nothing accumulates); problems are collected as `{file, line,
 * column, message}`. A bad row never throws: the caller rejects the file when `errorCount > 0`
 * (KPIS.md section 2: a file is imported whole or not at all).
 */
import { matchHeader, type FileKind } from "./canonical";
import type { ImportContext } from "./context";
import type { TextEncodingName } from "./decode";
import { bindMapping, mappedRowHandler, type ColumnMapping, type RowHandler } from "./mapping";
import { message, type ImportMessage } from "./issue-text";
import { openTable, TableReadError, type Table, type TableRow } from "./read-table";
import { IssueLog, type ImportIssue } from "./report";
import { DEFAULT_SNIFF_LIMITS, sniffFile, type SniffLimits, type TableFormat } from "./sniff";
import type { ImportSource } from "./source";
import { createRowValidator, HeaderRowInput, type ImportedItem, type ValidateOptions } from "./validate";

/** A canonical file of one kind, or an export read through a column mapping. */
export type FileLayout = { kind: FileKind } | { mapping: ColumnMapping };

export interface ImportFileOptions {
  /** The installation's base currency, e.g. "CNY". */
  baseCurrency: string;
  limits?: SniffLimits;
  /** How many errors to keep in memory (all are counted). Default 1000. */
  keepErrors?: number;
  /** Stop after this many data rows, e.g. for a preview. */
  maxRows?: number;
  /** XLSX: the sheet to read; by default the first visible sheet the layout can read */
  sheet?: string | null;
}

export interface FileImportResult {
  file: string;
  format: TableFormat | null;
  encoding: TextEncodingName | null;
  /** XLSX: the sheet read */
  sheet: string | null;
  /** Data rows read (blank rows are not counted). */
  rowCount: number;
  /** Valid records handed out, per kind. */
  counts: Record<FileKind, number>;
  /** The first `keepErrors` errors, in file order. */
  errors: ImportIssue[];
  errorCount: number;
  warnings: ImportIssue[];
}

export type ItemSink = (item: ImportedItem) => void | Promise<void>;

export async function importFile(
  source: ImportSource,
  layout: FileLayout,
  context: ImportContext,
  options: ImportFileOptions,
  onItem: ItemSink,
): Promise<FileImportResult> {
  const file = source.name;
  const log = new IssueLog(options.keepErrors);
  const result: FileImportResult = {
    file,
    format: null,
    encoding: null,
    sheet: null,
    rowCount: 0,
    counts: { customers: 0, invoices: 0, payments: 0, adjustments: 0 },
    errors: log.errors,
    errorCount: 0,
    warnings: log.warnings,
  };
  const finish = () => ({ ...result, errorCount: log.errorCount });

  const sniffed = await sniffFile(source, options.limits ?? DEFAULT_SNIFF_LIMITS);
  if (!sniffed.ok) {
    log.error({ file, line: null, column: null, message: sniffed.message });
    return finish();
  }
  result.format = sniffed.format;
  let table: Table | undefined;
  try {
    table = await openTable(source, sniffed.format, {
      sheet: options.sheet,
      recognise: (header) => layoutReads(layout, header),
    });
    result.encoding = table.encoding;
    result.sheet = table.sheet;
    const header = table.header;
    if (!header) {
      log.error({ file, line: null, column: null, message: message("fileEmpty") });
      return finish();
    }
    const handler = rowHandler(
      header,
      layout,
      context,
      {
        baseCurrency: options.baseCurrency,
        allowExcelSerial: sniffed.format === "xlsx",
        expectedRows: table.estimatedRows ?? undefined,
      },
      log,
      file,
    );
    if (!handler) return finish();
    const columns = filledLength(header.values);

    /** One row; a promise when its items' writer asks to be awaited. */
    const handle = (row: TableRow): Promise<void> | undefined => {
      result.rowCount += 1;
      const overflow = extraValues(row, header.values.length) ?? (sniffed.format === "csv" ? missingValues(row, columns) : null);
      if (overflow) {
        log.error({ file, line: row.line, column: null, message: overflow });
        return undefined;
      }
      const { items, errors } = handler(row);
      for (const error of errors) log.error({ file, line: row.line, column: error.column, message: error.message });
      if (items.length === 0) return undefined;
      if (items.length === 1) {
        // the length was just checked
        const item = items[0]!;
        result.counts[item.kind] += 1;
        return onItem(item) ?? undefined;
      }
      return handleItems(items);
    };
    const handleItems = async (items: ImportedItem[]): Promise<void> => {
      for (const item of items) {
        result.counts[item.kind] += 1;
        const pending = onItem(item);
        if (pending) await pending;
      }
    };
    const full = () => options.maxRows !== undefined && result.rowCount >= options.maxRows;
    if (table.rowBatches) {
      // A plain CSV's rows come a chunk at a time: one await per batch, not per row.
      batches: for await (const batch of table.rowBatches) {
        for (const row of batch) {
          if (full()) break batches;
          const pending = handle(row);
          if (pending) await pending;
        }
        // Emptied once handled: the suspended generators still point at the last batch, and rows
        // that look long-lived to a young collection end up in the old generation, where only a
        // full collection frees them (see withoutPretenuring, which the bulk import runs under).
        batch.length = 0;
      }
    } else {
      for await (const row of table.rows) {
        if (full()) break;
        const pending = handle(row);
        if (pending) await pending;
      }
    }
    if (result.rowCount === 0) {
      log.error({ file, line: header.line, column: null, message: message("headerOnly") });
    }
  } catch (error) {
    if (!(error instanceof TableReadError)) throw error;
    log.error({ file, line: error.line, column: null, message: error.problem });
  } finally {
    await table?.close();
  }
  return finish();
}

/** Same as importFile, with the records gathered in memory: for tests, previews and small files. */
export async function collectFile(
  source: ImportSource,
  layout: FileLayout,
  context: ImportContext,
  options: ImportFileOptions,
): Promise<FileImportResult & { rows: ImportedItem[] }> {
  const rows: ImportedItem[] = [];
  const result = await importFile(source, layout, context, options, (item) => {
    rows.push(item);
  });
  return { ...result, rows };
}

/** Whether the layout can read a file with this header (its required columns are all there). */
export function layoutReads(layout: FileLayout, header: readonly string[]): boolean {
  if ("mapping" in layout) return bindMapping(layout.mapping, header).ok;
  return matchHeader(layout.kind, header).errors.length === 0;
}

function rowHandler(
  header: TableRow,
  layout: FileLayout,
  context: ImportContext,
  options: Omit<ValidateOptions, "dateFormat">,
  log: IssueLog,
  file: string,
): RowHandler | null {
  const headerError = (column: string, problem: ImportMessage) =>
    log.error({ file, line: header.line, column, message: problem });
  const ignored = (columns: string[]) => {
    if (columns.length === 0) return;
    const list = columns.map((column) => `"${column}"`).join(", ");
    log.warning({
      file,
      line: header.line,
      column: null,
      message: message("ignoredColumns", { count: columns.length, columns: list }),
    });
  };

  if ("mapping" in layout) {
    const bind = bindMapping(layout.mapping, header.values);
    if (!bind.ok) {
      for (const issue of bind.errors) headerError(issue.column, issue.message);
      return null;
    }
    ignored(bind.bound.unused);
    return mappedRowHandler(bind.bound, context, options);
  }

  const kind = layout.kind;
  const match = matchHeader(kind, header.values);
  ignored(match.unknown);
  if (match.errors.length > 0) {
    for (const issue of match.errors) headerError(issue.column, issue.message);
    return null;
  }
  const input = new HeaderRowInput(match);
  const validate = createRowValidator(kind, context, { ...options, dateFormat: "YYYY-MM-DD" });
  return (row) => {
    const outcome = validate(input.load(row.line, row.values));
    return outcome.ok
      // the record was validated for this kind, so kind and record belong together
      ? { items: [{ kind, line: row.line, record: outcome.record } as ImportedItem], errors: [] }
      : { items: [], errors: outcome.errors };
  };
}

// A CSV row writes a separator for every column, empty ones included, so fewer values than the
// header means a value or a separator is missing and every column after it would be read from
// its neighbour. (An XLSX row simply has no cells after its last filled one: not an error.)
// Blank header names at the end of the header are no columns to fill.
function missingValues(row: TableRow, columns: number): ImportMessage | null {
  return row.values.length < columns ? message("fewerValues", { values: row.values.length, columns }) : null;
}

function filledLength(values: readonly string[]): number {
  let length = values.length;
  while (length > 0 && (values[length - 1] ?? "").trim() === "") length -= 1;
  return length;
}

// More values than header columns usually means an unquoted comma, e.g. 12,345.67 in a CSV
// amount: reading on would silently shift the columns.
function extraValues(row: TableRow, headerLength: number): ImportMessage | null {
  for (let index = headerLength; index < row.values.length; index += 1) {
    if ((row.values[index] ?? "").trim() !== "") {
      return message("extraValues", { values: row.values.length, columns: headerLength });
    }
  }
  return null;
}
