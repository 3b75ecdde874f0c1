import v8 from "node:v8";

import type SQLite from "better-sqlite3";

import { FILE_KINDS, type FileKind } from "~/features/import/canonical";
import { ImportContext, type LedgerResolver } from "~/features/import/context";
import { type FileImportResult, type FileLayout, importFile } from "~/features/import/import-file";
import { fullGarbageCollection, withoutPretenuring } from "~/features/import/full-gc.server";
import { type ImportIssue, formatReport } from "~/features/import/report";
import type { ImportSource } from "~/features/import/source";
import type { ImportedItem } from "~/features/import/validate";
import type {
  AdjustmentRecord,
  AdjustmentType,
  CustomerRecord,
  InvoiceRecord,
  LedgerSnapshot,
  PaymentRecord,
} from "~/kernel/ledger/types";
import { today } from "~/server/clock.server";
import { type CopyInto, copierOf, deferringWrites, isSyncPostgres } from "~/server/db.server";
import { CopyBuffer, type CopyValue, encodeCopyRows } from "~/server/pg-copy";
import { fromEpochDay, monthStart, toEpochDay } from "~/kernel/dates";
import type { CustomerHistory } from "~/features/kpi";
import { type HistoryInvoice, sweepPositionHistory } from "~/kernel/ledger/position-history";
import type { HistoryCollection } from "~/features/status-table";
import { type CustomerDocuments, KpiSummaryMaintainer, type SummaryCustomer } from "~/features/kpi/summaries/index.server";
import { StatusPositionsWriter, buildStatusDay, suspendStaleTriggers } from "~/features/status-table/writer/index.server";

/**
 * The bulk import path (KPIS.md sections 2 and 5): every file of one import inside one
 * transaction on a better-sqlite3 connection of its own, statements prepared once (Kysely's
 * driver re-prepares per statement, ~5x slower for millions of rows). Rows are written as they
 * are validated (new invoices and payments in batches of 32); any bad row anywhere rolls
 * everything back. A bulk load builds the document indexes after its rows (deferIndexes). The
 * re-settlement of the touched customers also rewrites their status-table positions and the
 * month in progress (models/status-table.server.ts), so no request rebuilds them after an import.
 * Runs in the CLI process or in a child process of the web server, never on the request thread.
 */

export interface ImportFileSpec {
  source: ImportSource;
  layout: FileLayout;
  /** XLSX: the sheet to read (the web preview's choice); by default the first the layout can read */
  sheet?: string | null;
}

export interface FileSummary {
  file: string;
  /** the kind of records the file holds (a mapped export: its target) */
  kind: FileKind;
  format: string | null;
  encoding: string | null;
  /** XLSX: the sheet that was read */
  sheet?: string | null;
  rows: number;
  /** per kind of record written from this file: added / updated / unchanged */
  counts: Partial<Record<FileKind, { added: number; updated: number; unchanged: number }>>;
  warnings: ImportIssue[];
}

export type ImportOutcome =
  | { ok: true; files: FileSummary[]; customersResettled: number }
  | { ok: false; files: FileSummary[]; errorCount: number; report: string; errors: ImportIssue[] };

export interface ImportProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

export interface ImportOptions {
  baseCurrency: string;
  userId: number | null;
  now?: Date;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Build the document tables' secondary indexes after the rows instead of row by row: by
   * default when the files are large next to the table (see deferIndexes); true or false to force.
   */
  deferIndexes?: boolean;
  /** Told when each step of the import is done (benchmarks print where the time goes). */
  onPhase?: (phase: string) => void;
  /** Runs inside the transaction just before a successful import commits (e.g. to record the run with it). */
  beforeCommit?: (files: FileSummary[]) => void;
}

/** The import connection's page cache (KiB): index inserts and the re-settlement's reads. */
const CACHE_KIB = 65_536;
/**
 * ... and in a bulk load (deferred indexes): its inserts touch little more than the ends of the
 * tables and key indexes, CREATE INDEX sorts in pieces as large as the cache (on top of it), and
 * the re-settlement then reads covering indexes (see columnOfLargeImport), which a larger cache
 * hardly speeds up. Measured at 1M+1M rows: same CPU time as 64 MB, ~50 MB less peak memory.
 */
const BULK_CACHE_KIB = 16_384;

function kindOf(layout: FileLayout): FileKind {
  return "kind" in layout ? layout.kind : layout.mapping.target;
}

/** Customers first, then invoices, payments, adjustments (references must resolve in that order). */
export function orderFiles<T extends { layout: FileLayout }>(files: T[]): T[] {
  return [...files].sort((a, b) => FILE_KINDS.indexOf(kindOf(a.layout)) - FILE_KINDS.indexOf(kindOf(b.layout)));
}

export async function importLedger(
  sqlite: SQLite.Database,
  files: ImportFileSpec[],
  options: ImportOptions,
): Promise<ImportOutcome> {
  return withoutPretenuring(() => withoutForeignKeyChecks(sqlite, () => importInTransaction(sqlite, files, options)));
}

/**
 * Runs `work` (which begins and ends its own transaction) with the connection's foreign-key
 * enforcement off, then restores it. The bulk writer takes every customer and invoice id it
 * writes from the database itself (validated references, KPIS.md section 2; ids looked up or
 * returned by the insert), and deletes no parent row, so the checks could never fail: they only
 * cost a parent-key lookup per written row (1M-row imports: ~0.6 s of CPU, invoices, payments,
 * open items and status runs). The pragma is a no-op inside a transaction, hence around it.
 * `work` must not await before it begins its transaction (see runImportJob's claim).
 */
async function withoutForeignKeyChecks<T>(sqlite: SQLite.Database, work: () => Promise<T>): Promise<T> {
  const enforced = sqlite.pragma("foreign_keys", { simple: true }) === 1;
  if (enforced) sqlite.pragma("foreign_keys = OFF");
  try {
    return await work();
  } finally {
    if (enforced) sqlite.pragma("foreign_keys = ON");
  }
}

async function importInTransaction(
  sqlite: SQLite.Database,
  files: ImportFileSpec[],
  options: ImportOptions,
): Promise<ImportOutcome> {
  const ordered = orderFiles(files);
  let counts: FileSummary["counts"] = {};
  // Records whose customer or invoice row was itself rejected: the import fails anyway.
  let skipped = 0;
  // On PostgreSQL a file import's records go in by COPY (see LedgerWriter.copy).
  const copy = copierOf(sqlite);
  const writer = new LedgerWriter(sqlite, options, (item, outcome) => {
    if (outcome === null) return void (skipped += 1);
    if (item.kind === "invoices") context?.invoiceWritten(item.record.invoiceNo, item.record.customerCode);
    const tally = (counts[item.kind] ??= { added: 0, updated: 0, unchanged: 0 });
    tally[outcome] += 1;
  }, copy);
  // Each valid record is written (or queued for the next batch insert, see LedgerWriter.flush)
  // before the next row is validated, and this connection sees its own uncommitted rows: the
  // context need not remember the import's invoices, only those still queued. With COPY the
  // rows go in thousands at a time: the context remembers the import's invoices (compactly), so
  // a payment naming one costs no question to the database.
  let context: ImportContext | null = new ImportContext(writer.resolver, { ledgerSeesWrites: copy === null });
  const totalBytes = ordered.reduce((sum, f) => sum + f.source.size, 0);
  const summaries: FileSummary[] = [];
  const errors: ImportIssue[] = [];
  let errorCount = 0;
  let bytesBefore = 0;

  // A larger page cache for this connection only: index inserts into million-row B-trees.
  sqlite.pragma(`cache_size = -${CACHE_KIB}`);
  // Nothing above awaits: runImportJob claims its run just before calling (see claimImportRun).
  sqlite.exec("BEGIN IMMEDIATE");
  const phase = options.onPhase ?? (() => {});
  phase("begin");
  try {
    // PostgreSQL keeps its indexes: rebuilding them reads SQLite's schema table (and PostgreSQL's
    // index inserts do not slow down the way a B-tree larger than SQLite's page cache does).
    const deferred =
      options.deferIndexes === false || isSyncPostgres(sqlite) ? { statements: [], tables: [] } : deferIndexes(sqlite, ordered, options.deferIndexes === true);
    const deferredIndexes = deferred.statements;
    // A bulk load keeps its rows' amounts as it writes them, for the re-settlement (see CapturedColumns).
    for (const table of deferred.tables) {
      const bytes = ordered.reduce((sum, f) => sum + (kindOf(f.layout) === table ? f.source.size : 0), 0);
      writer.captureColumns(table, bytes / SHORTEST_ROW_BYTES);
    }
    if (deferredIndexes.length > 0) writer.deferDerivedIndexes();
    if (deferredIndexes.length > 0) sqlite.pragma(`cache_size = -${BULK_CACHE_KIB}`);
    // A bulk load re-settles the status positions of every customer it touches (below), so the
    // triggers need not mark them row by row; they are back before the commit.
    const staleTriggers = deferredIndexes.length > 0 ? suspendStaleTriggers(sqlite) : [];
    // A bulk load's large file leaves its validator's key map behind (tens of MB outside V8's
    // heap, see CompactKeyMap), which only a full collection frees: V8 would keep it through
    // the next file, so two files' maps made the read phase's peak memory.
    const collectGarbage = deferredIndexes.length > 0 ? fullGarbageCollection() : null;
    for (const [fileIndex, spec] of ordered.entries()) {
      counts = {};
      let bytesRead = 0;
      let lastReport = 0;
      const countBytes = (n: number) => {
        bytesRead += n;
        if (options.onProgress && bytesRead - lastReport > 256 * 1024) {
          lastReport = bytesRead;
          options.onProgress({
            file: spec.source.name,
            fileIndex,
            fileCount: ordered.length,
            bytesRead: bytesBefore + bytesRead,
            totalBytes,
            rows: 0,
          });
        }
      };
      const source = countingSource(spec.source, countBytes);
      const result: FileImportResult = await importFile(
        source,
        spec.layout,
        // set by the preparation just above, before any file is read
        context!,
        { baseCurrency: options.baseCurrency, sheet: spec.sheet },
        (item) => writer.write(item),
      );
      writer.flush();
      if (collectGarbage && result.rowCount >= MIN_DEFERRED_ROWS) collectGarbage();
      phase(`read ${spec.source.name}`);
      bytesBefore += spec.source.size;
      errorCount += result.errorCount;
      errors.push(...result.errors);
      summaries.push({
        file: result.file,
        kind: kindOf(spec.layout),
        format: result.format,
        encoding: result.encoding,
        sheet: result.sheet,
        rows: result.rowCount,
        counts,
        warnings: result.warnings,
      });
    }

    // Every file is read: the keys the validation remembered (tens of MB in a bulk load) may be
    // collected during the re-settlement.
    context = null;
    if (errorCount === 0 && skipped > 0) throw new Error(`${skipped} valid records referenced rows that were not written`);
    if (errorCount > 0) {
      sqlite.exec("ROLLBACK");
      return { ok: false, files: summaries, errorCount, report: formatReport(errors, errorCount), errors: errors.slice(0, 100) };
    }
    for (const createIndex of deferredIndexes) sqlite.exec(createIndex);
    if (deferredIndexes.length > 0) phase("indexes built");
    // On PostgreSQL the re-settlement's many small writes (KPI summaries, status and provision
    // positions) are pipelined rather than waited for one by one; none of them is read back.
    const customersResettled = deferringWrites(sqlite, () => writer.resettleTouchedCustomers());
    for (const createTrigger of staleTriggers) sqlite.exec(createTrigger);
    phase("re-settled");
    writer.clearStaging();
    options.beforeCommit?.(summaries);
    sqlite.exec("COMMIT");
    phase("committed");
    options.onProgress?.({
      file: "",
      fileIndex: ordered.length,
      fileCount: ordered.length,
      bytesRead: totalBytes,
      totalBytes,
      rows: 0,
    });
    return { ok: true, files: summaries, customersResettled };
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    throw error;
  }
}

/**
 * Writes already-validated canonical records (the demo seed) through the same upserts and
 * re-settlement as a file import, in one transaction.
 */
export function importLedgerRecords(
  sqlite: SQLite.Database,
  ledger: LedgerSnapshot,
  options: ImportOptions,
): Record<FileKind, { added: number; updated: number; unchanged: number }> {
  // PostgreSQL's COPY (as in a file import) takes each key once: records naming a customer or a
  // document twice go in statement by statement, updating as row by row.
  const keysOnce =
    new Set(ledger.customers.map((record) => record.code)).size === ledger.customers.length &&
    new Set(ledger.invoices.map((record) => record.invoiceNo)).size === ledger.invoices.length &&
    new Set(ledger.payments.map((record) => record.paymentNo)).size === ledger.payments.length &&
    new Set(ledger.adjustments.map((record) => record.adjustmentNo)).size === ledger.adjustments.length;
  const writer = new LedgerWriter(
    sqlite,
    options,
    (item, outcome) => {
      if (outcome === null) throw new Error(`${item.kind} record refers to a customer or invoice that does not exist`);
      counts[item.kind][outcome] += 1;
    },
    keysOnce ? copierOf(sqlite) : null,
  );
  // Object.fromEntries over every file kind gives each kind a key
  const counts = Object.fromEntries(FILE_KINDS.map((k) => [k, { added: 0, updated: 0, unchanged: 0 }])) as Record<
    FileKind,
    { added: number; updated: number; unchanged: number }
  >;
  const items: ImportedItem[] = [
    ...ledger.customers.map((record) => ({ kind: "customers" as const, line: 0, record })),
    ...ledger.invoices.map((record) => ({ kind: "invoices" as const, line: 0, record })),
    ...ledger.payments.map((record) => ({ kind: "payments" as const, line: 0, record })),
    ...ledger.adjustments.map((record) => ({ kind: "adjustments" as const, line: 0, record })),
  ];
  sqlite.transaction(() => {
    for (const item of items) writer.write(item);
    // As in a file import: on PostgreSQL the re-settlement's small writes are pipelined.
    deferringWrites(sqlite, () => writer.resettleTouchedCustomers());
    writer.clearStaging();
  })();
  return counts;
}

/**
 * The indexes of the tables the re-settlement writes that none of its own statements reads (they
 * clear and look up rows by customer): the pages' and jobs' indexes by day, month or age. In a
 * bulk load each takes one random insert per row (the 500k-invoice uneven ledger: ~390k open runs
 * into an index by day); built after the rows, it is one sort. DDL in the import's transaction:
 * other connections never see them missing.
 */
const DEFERRABLE_DERIVED_INDEXES = ["status_open_runs_to_day", "provision_positions_month", "open_items_due", "open_items_provision_ages", "provision_customers_last"];

/** Drops those of `names` that exist; returns the statements that create them again. */
function dropIndexes(sqlite: SQLite.Database, names: readonly string[]): string[] {
  const recreate: string[] = [];
  const find = sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND sql IS NOT NULL").pluck();
  for (const name of names) {
    // better-sqlite3 types rows as unknown; the SELECT above plucks the index's text
    const sql = find.get(name) as string | undefined;
    if (sql === undefined) continue;
    sqlite.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
    recreate.push(sql);
  }
  return recreate;
}

/** Document tables whose secondary indexes a large import may build after its rows instead of row by row. */
const DEFERRABLE_TABLES = ["invoices", "payments", "adjustments"] as const;
/** Below this many new rows, inserting into the indexes as we go costs little. */
const MIN_DEFERRED_ROWS = 100_000;
/** Fewer bytes than a ledger CSV row takes but for made-up short keys: a file's rows are at most its size over this (more just grow the arrays). */
const SHORTEST_ROW_BYTES = 24;
/** A generous guess of a CSV row's size: it only decides whether to defer. */
const ESTIMATED_BYTES_PER_ROW = 64;

/**
 * Drops the non-unique indexes of each document table this import will at least double (by a
 * guess from file sizes) and returns the statements that create them again. Building an index
 * from the finished table sorts once; a million random inserts into a B-tree larger than the
 * page cache cost several times more. DDL is part of the transaction: a rejected, failed or
 * killed import leaves every index as it was, and other connections never see it missing.
 * Unique indexes stay: they enforce the natural keys and answer the upserts' lookups.
 */
function deferIndexes(
  sqlite: SQLite.Database,
  files: ImportFileSpec[],
  always: boolean,
): { statements: string[]; tables: (typeof DEFERRABLE_TABLES)[number][] } {
  const estimatedRows = new Map<FileKind, number>();
  for (const { source, layout } of files) {
    const kind = kindOf(layout);
    estimatedRows.set(kind, (estimatedRows.get(kind) ?? 0) + source.size / ESTIMATED_BYTES_PER_ROW);
  }
  const recreate: string[] = [];
  const tables: (typeof DEFERRABLE_TABLES)[number][] = [];
  for (const table of DEFERRABLE_TABLES) {
    const rows = estimatedRows.get(table);
    if (rows === undefined) continue;
    if (!always) {
      if (rows < MIN_DEFERRED_ROWS) continue;
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      const existing = (sqlite.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
      if (existing > rows) continue;
    }
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    const indexes = sqlite
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name")
      .all(table) as { name: string; sql: string }[];
    tables.push(table);
    for (const index of indexes) {
      if (/^\s*CREATE\s+UNIQUE\b/i.test(index.sql)) continue;
      sqlite.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
      recreate.push(index.sql);
    }
  }
  return { statements: recreate, tables };
}

function countingSource(source: ImportSource, onBytes: (n: number) => void): ImportSource {
  return {
    ...source,
    stream(chunkBytes?: number) {
      const stream = source.stream(chunkBytes);
      stream.on("data", (chunk: Buffer) => onBytes(chunk.length));
      return stream;
    },
  };
}

type WriteOutcome = "added" | "updated" | "unchanged";
/** Told each record's outcome, in file order; null when it refers to a rejected customer or invoice. */
type WriteListener = (item: ImportedItem, outcome: WriteOutcome | null) => void;

/** Rows per multi-row INSERT: one statement run for 32 rows costs about half as much as 32 runs. */
const INSERT_BATCH = 32;
/**
 * Invoices and payments per multi-row INSERT: a bulk load's statement runs cost per run as well
 * as per row (the VDBE program's start and end, the changes counted), and 128 rows a run cost
 * ~10% less CPU than 32. A short batch (a file's last rows) goes row by row.
 */
const DOCUMENT_BATCH = 128;

/**
 * Rows per COPY into the staging tables (PostgreSQL): each piece costs a few statements (COPY, the
 * existing rows' lookup, the INSERT … SELECT), so pieces large enough to make those few cheap per
 * row, and small enough that the queued records stay a few MB.
 */
const COPY_BATCH = 20_000;
/** Ids per set-based DELETE / UPDATE (a JSON list of ids as one parameter). */
const ID_CHUNK = 10_000;

/** An invoice as the re-settlement sweeps it, with what its open item needs. */
interface SweptInvoice extends HistoryInvoice {
  /** its place in the customer's list (the re-settlement's per-invoice arrays) */
  index: number;
  id: number;
  issueDate: string;
  dueDate: string;
}

interface InvoiceRow {
  id: number;
  customer_id: number;
  issue_date: string;
  due_date: string;
  amount: number;
}

interface PaymentRow {
  id: number;
  customer_id: number;
  date: string;
  amount: number;
  invoice_id: number | null;
}

interface AdjustmentRow {
  id: number;
  customer_id: number;
  date: string;
  amount: number;
  type: AdjustmentType;
  invoice_id: number | null;
}

interface CustomerRow {
  id: number;
  code: string;
  name: string;
  region: string | null;
  owner_id: number | null;
  credit_grade: string | null;
  credit_limit: number | null;
  payment_terms_days: number;
}

/**
 * The amount (and a payment's invoice id, 0 for none; an invoice's customer id) of every row a
 * bulk load writes, by row id, kept as the rows go in: the re-settlement then needs no pass over
 * the table to read them (see LedgerWriter.columnOfLargeImport), and the validator's question
 * "whose invoice is this" no lookup in the table. Rows at or below `base` were there before the import.
 */
class CapturedColumns {
  amount = new Float64Array(0);
  invoiceId: Int32Array | null;
  /**
   * An invoice's customer id (0: not known here): the validator asks whose invoice each payment
   * names, and the invoice's key index gives its id without a lookup in the table.
   */
  customerId: Int32Array | null;

  constructor(
    readonly base: number,
    table: "invoices" | "payments",
  ) {
    this.invoiceId = table === "payments" ? new Int32Array(0) : null;
    this.customerId = table === "invoices" ? new Int32Array(0) : null;
  }

  set(id: number, amount: number, invoiceId: number | null = null, customerId = 0): void {
    if (id >= this.amount.length) this.grow(id + 1);
    this.amount[id] = amount;
    if (this.invoiceId) this.invoiceId[id] = invoiceId ?? 0;
    if (this.customerId) this.customerId[id] = customerId;
  }

  /** To at least `size` entries; by a quarter at a time, so the slack stays small. */
  grow(size: number): void {
    if (size <= this.amount.length) return;
    const length = Math.max(size, Math.ceil(this.amount.length * 1.25), 65_536);
    const amount = new Float64Array(length);
    amount.set(this.amount);
    this.amount = amount;
    if (this.invoiceId) {
      const invoiceId = new Int32Array(length);
      invoiceId.set(this.invoiceId);
      this.invoiceId = invoiceId;
    }
    if (this.customerId) {
      const customerId = new Int32Array(length);
      customerId.set(this.customerId);
      this.customerId = customerId;
    }
  }
}

/**
 * The staged rows' set-based statements (PostgreSQL; the staging tables are LedgerWriter.stage's).
 * The same natural keys and rules as the row-by-row path: a row whose key is there is compared
 * (unchanged, or updated and audited), a new one inserted; a payment naming an invoice that is
 * not there is not written (its invoice was rejected, so the import fails anyway).
 */
function copyStatements(s: (sql: string) => SQLite.Statement) {
  return {
    stagedInvoicesExisting: s(
      `SELECT s.seq, i.id, i.customer_id, i.issue_date, i.due_date, i.amount
       FROM qd_stage_invoices s JOIN invoices i ON i.invoice_no = s.invoice_no ORDER BY s.seq`,
    ).raw(),
    updateStagedInvoices: s(
      `UPDATE invoices SET customer_id = s.customer_id, issue_date = s.issue_date, due_date = s.due_date, amount = s.amount
       FROM qd_stage_invoices s WHERE s.invoice_no = invoices.invoice_no AND invoices.id IN (SELECT value FROM json_each(?))`,
    ),
    stagedPaymentsExisting: s(
      `SELECT s.seq, i.id, (s.invoice_no IS NOT NULL AND i.id IS NULL), p.id, p.customer_id, p.date, p.amount, p.invoice_id
       FROM qd_stage_payments s LEFT JOIN invoices i ON i.invoice_no = s.invoice_no LEFT JOIN payments p ON p.payment_no = s.payment_no
       WHERE p.id IS NOT NULL OR (s.invoice_no IS NOT NULL AND i.id IS NULL) ORDER BY s.seq`,
    ).raw(),
    updateStagedPayments: s(
      `UPDATE payments SET customer_id = s.customer_id, date = s.date, amount = s.amount, invoice_id = i.id
       FROM qd_stage_payments s LEFT JOIN invoices i ON i.invoice_no = s.invoice_no
       WHERE s.payment_no = payments.payment_no AND payments.id IN (SELECT value FROM json_each(?))`,
    ),
    stagedCustomersExisting: s(
      `SELECT s.seq, c.id, c.code, c.name, c.region, c.owner_id, c.credit_grade, c.credit_limit, c.payment_terms_days
       FROM qd_stage_customers s JOIN customers c ON c.code = s.code ORDER BY s.seq`,
    ).raw(),
    updateStagedCustomers: s(
      `UPDATE customers SET name = s.name, region = s.region, owner_id = s.owner_id, credit_grade = s.credit_grade,
       credit_limit = s.credit_limit, payment_terms_days = s.payment_terms_days, updated_at = ?
       FROM qd_stage_customers s WHERE s.code = customers.code AND customers.id IN (SELECT value FROM json_each(?))`,
    ),
    // New customers in file order; `now` twice (created and updated). Customers are thousands: the ids the driver returns cost little.
    insertStagedCustomers: s(
      `INSERT INTO customers (code, name, region, owner_id, credit_grade, credit_limit, payment_terms_days, status, created_at, updated_at)
       SELECT s.code, s.name, s.region, s.owner_id, s.credit_grade, s.credit_limit, s.payment_terms_days, 'active', ?, ? FROM qd_stage_customers s
       WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.code = s.code) ORDER BY s.seq
       ON CONFLICT (code) DO NOTHING`,
    ),
    stagedAdjustmentsExisting: s(
      `SELECT s.seq, i.id, (s.invoice_no IS NOT NULL AND i.id IS NULL), a.id, a.customer_id, a.date, a.amount, a.type, a.invoice_id
       FROM qd_stage_adjustments s LEFT JOIN invoices i ON i.invoice_no = s.invoice_no LEFT JOIN adjustments a ON a.adjustment_no = s.adjustment_no
       WHERE a.id IS NOT NULL OR (s.invoice_no IS NOT NULL AND i.id IS NULL) ORDER BY s.seq`,
    ).raw(),
    updateStagedAdjustments: s(
      `UPDATE adjustments SET customer_id = s.customer_id, date = s.date, amount = s.amount, type = s.type, invoice_id = i.id
       FROM qd_stage_adjustments s LEFT JOIN invoices i ON i.invoice_no = s.invoice_no
       WHERE s.adjustment_no = adjustments.adjustment_no AND adjustments.id IN (SELECT value FROM json_each(?))`,
    ),
    clearOpenItemsOf: s("DELETE FROM open_items WHERE customer_id IN (SELECT value FROM json_each(?))"),
    clearPaidDatesOf: s("DELETE FROM invoice_paid_dates WHERE customer_id IN (SELECT value FROM json_each(?))"),
    clearCreditsOf: s("DELETE FROM unapplied_credits WHERE customer_id IN (SELECT value FROM json_each(?))"),
  };
}

/** New staged rows in file order (ids follow the file, as row by row); executed, not prepared: no ids asked back. */
const INSERT_STAGED_INVOICES = `INSERT INTO invoices (invoice_no, customer_id, issue_date, due_date, amount)
  SELECT s.invoice_no, s.customer_id, s.issue_date, s.due_date, s.amount FROM qd_stage_invoices s
  WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.invoice_no = s.invoice_no) ORDER BY s.seq
  ON CONFLICT (invoice_no) DO NOTHING`;
const INSERT_STAGED_PAYMENTS = `INSERT INTO payments (payment_no, customer_id, date, amount, invoice_id)
  SELECT s.payment_no, s.customer_id, s.date, s.amount, i.id FROM qd_stage_payments s LEFT JOIN invoices i ON i.invoice_no = s.invoice_no
  WHERE (s.invoice_no IS NULL OR i.id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.payment_no = s.payment_no) ORDER BY s.seq
  ON CONFLICT (payment_no) DO NOTHING`;
const INSERT_STAGED_ADJUSTMENTS = `INSERT INTO adjustments (adjustment_no, customer_id, date, amount, type, invoice_id)
  SELECT s.adjustment_no, s.customer_id, s.date, s.amount, s.type, i.id FROM qd_stage_adjustments s LEFT JOIN invoices i ON i.invoice_no = s.invoice_no
  WHERE (s.invoice_no IS NULL OR i.id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM adjustments a WHERE a.adjustment_no = s.adjustment_no) ORDER BY s.seq
  ON CONFLICT (adjustment_no) DO NOTHING`;

/** Upserts canonical records by natural key, auditing every change to an existing row. */
class LedgerWriter {
  private readonly customerIds = new Map<string, number>();
  /** The customer customerId() found last. */
  private lastCustomer: { code: string | null; id: number } = { code: null, id: 0 };
  private readonly customerCodes = new Map<number, string>();
  /** customers are few (thousands) and asked about on every document row */
  private readonly customerTerms = new Map<string, number>();
  private readonly ownerIds = new Map<string, number>();
  private readonly touched = new Set<number>();
  /** Rows this import inserted (not updated) per table. */
  private readonly added = { invoices: 0, payments: 0 };
  /** In a bulk load: the written rows' amounts, per table (see CapturedColumns). */
  private readonly captured: { invoices: CapturedColumns | null; payments: CapturedColumns | null } = { invoices: null, payments: null };
  private readonly now: string;
  private readonly statements;
  /** A bulk load: the re-settlement builds the derived tables' read-side indexes after their rows. */
  private derivedIndexesDeferred = false;
  /** Keeps the KPI summaries in step with the documents, in the same transaction. */
  private readonly kpiSummaries: KpiSummaryMaintainer;

  /** New invoices and payments waiting for their multi-row insert, with their ids resolved. */
  private pendingInvoices: { item: ImportedItem & { kind: "invoices" }; customerId: number }[] = [];
  private pendingPayments: { item: ImportedItem & { kind: "payments" }; customerId: number; invoiceId: number | null }[] = [];
  /** With COPY: customers (their owner resolved) and adjustments (their customer; undefined: not written) waiting for their piece. */
  private pendingCustomers: { item: ImportedItem & { kind: "customers" }; ownerId: number | null }[] = [];
  private pendingAdjustments: { item: ImportedItem & { kind: "adjustments" }; customerId: number | undefined }[] = [];

  /**
   * PostgreSQL's COPY (null on SQLite, and for records handed in directly, which may name a key
   * twice). With it, queued customers, invoices, payments and adjustments are streamed into staging
   * tables (unlogged, see stage()) and go into the real ones with a few set-based statements per
   * piece (copyCustomers, copyInvoices, copyPayments, copyAdjustments); the re-settlement's open items, paid dates and credits are copied too. Each
   * statement is a round trip to the worker thread and the server, so row by row costs ~0.1 ms
   * a row; a piece of COPY_BATCH rows costs about as much as a few dozen such rows.
   */
  private readonly copy: CopyInto | null;
  /** With COPY: the staged rows' statements. */
  private readonly copySql: ReturnType<typeof copyStatements> | null;
  private staged = false;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly options: ImportOptions,
    private readonly onWritten: WriteListener,
    copy: CopyInto | null = null,
  ) {
    this.copy = copy;
    this.now = (options.now ?? new Date()).toISOString();
    this.kpiSummaries = new KpiSummaryMaintainer(sqlite);
    const s = (sql: string) => sqlite.prepare(sql);
    this.statements = {
      customerByCode: s(
        "SELECT id, code, name, region, owner_id, credit_grade, credit_limit, payment_terms_days FROM customers WHERE code = ?",
      ),
      insertCustomer: s(
        `INSERT INTO customers (code, name, region, owner_id, credit_grade, credit_limit, payment_terms_days, status, created_at, updated_at)
         VALUES (@code, @name, @region, @owner_id, @credit_grade, @credit_limit, @payment_terms_days, 'active', @now, @now)`,
      ),
      updateCustomer: s(
        `UPDATE customers SET name = @name, region = @region, owner_id = @owner_id, credit_grade = @credit_grade,
         credit_limit = @credit_limit, payment_terms_days = @payment_terms_days, updated_at = @now WHERE id = @id`,
      ),
      userByEmail: s("SELECT id FROM users WHERE email = ?"),
      insertInactiveUser: s(
        `INSERT INTO users (email, name, role, password_hash, active, locale, amount_unit, created_at, updated_at)
         VALUES (?, ?, 'staff', NULL, 0, 'en', 'yuan', ?, ?)`,
      ),
      invoiceByNo: s("SELECT id, customer_id, issue_date, due_date, amount FROM invoices WHERE invoice_no = ?"),
      invoiceOwner: s("SELECT id, customer_id FROM invoices WHERE invoice_no = ?"),
      invoiceIdOnly: s("SELECT id FROM invoices WHERE invoice_no = ?").pluck(),
      invoiceCustomerById: s("SELECT customer_id FROM invoices WHERE id = ?").pluck(),
      customerCodeById: s("SELECT code FROM customers WHERE id = ?"),
      // Insert first: in a fresh import nearly every row is new, and a conflict costs one lookup.
      insertInvoice: s(
        "INSERT INTO invoices (invoice_no, customer_id, issue_date, due_date, amount) VALUES (?, ?, ?, ?, ?) ON CONFLICT (invoice_no) DO NOTHING",
      ),
      insertInvoices: s(
        `INSERT INTO invoices (invoice_no, customer_id, issue_date, due_date, amount) VALUES ${Array(DOCUMENT_BATCH).fill("(?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT (invoice_no) DO NOTHING`,
      ),
      maxInvoiceId: s("SELECT coalesce(max(id), 0) AS n FROM invoices"),
      updateInvoice: s("UPDATE invoices SET customer_id = ?, issue_date = ?, due_date = ?, amount = ? WHERE id = ?"),
      invoiceIdByNo: s("SELECT id FROM invoices WHERE invoice_no = ?"),
      paymentByNo: s("SELECT id, customer_id, date, amount, invoice_id FROM payments WHERE payment_no = ?"),
      insertPayment: s(
        "INSERT INTO payments (payment_no, customer_id, date, amount, invoice_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (payment_no) DO NOTHING",
      ),
      insertPayments: s(
        `INSERT INTO payments (payment_no, customer_id, date, amount, invoice_id) VALUES ${Array(DOCUMENT_BATCH).fill("(?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT (payment_no) DO NOTHING`,
      ),
      maxPaymentId: s("SELECT coalesce(max(id), 0) AS n FROM payments"),
      updatePayment: s("UPDATE payments SET customer_id = ?, date = ?, amount = ?, invoice_id = ? WHERE id = ?"),
      adjustmentByNo: s(
        "SELECT id, customer_id, date, amount, type, invoice_id FROM adjustments WHERE adjustment_no = ?",
      ),
      insertAdjustment: s(
        "INSERT INTO adjustments (adjustment_no, customer_id, date, amount, type, invoice_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (adjustment_no) DO NOTHING",
      ),
      updateAdjustment: s(
        "UPDATE adjustments SET customer_id = ?, date = ?, amount = ?, type = ?, invoice_id = ? WHERE id = ?",
      ),
      audit: s(
        "INSERT INTO audit_log (at, user_id, entity, entity_id, action, before, after) VALUES (?, ?, ?, ?, 'import-update', ?, ?)",
      ),
      // Re-settling one customer from all their documents.
      customerById: s("SELECT owner_id, region, credit_grade, credit_limit FROM customers WHERE id = ?"),
      // No join for the named invoice's number: it is nearly always one of the customer's own
      // invoices, read just before (a join costs a B-tree lookup per document).
      invoicesOf: s("SELECT id, invoice_no, issue_date, due_date, amount FROM invoices WHERE customer_id = ?").raw(),
      paymentsOf: s("SELECT id, date, amount, invoice_id FROM payments WHERE customer_id = ?").raw(),
      adjustmentsOf: s("SELECT id, date, amount, type, invoice_id FROM adjustments WHERE customer_id = ?").raw(),
      invoiceNoById: s("SELECT invoice_no FROM invoices WHERE id = ?"),
      // Answered from the customer indexes alone (see columnOfLargeImport).
      invoicesCovered: s("SELECT id, invoice_no, issue_date, due_date FROM invoices WHERE customer_id = ?").raw(),
      paymentsCovered: s("SELECT id, date FROM payments WHERE customer_id = ?").raw(),
      clearOpenItems: s("DELETE FROM open_items WHERE customer_id = ?"),
      anyOpenItem: s("SELECT 1 FROM open_items LIMIT 1").pluck(),
      // One row per statement: into this table (its key is the invoice id) a multi-row INSERT measured slower.
      insertOpenItem: s("INSERT INTO open_items (invoice_id, customer_id, issue_date, due_date, open_amount) VALUES (?, ?, ?, ?, ?)"),
      anyPaidDate: s("SELECT 1 FROM invoice_paid_dates LIMIT 1").pluck(),
      anyCredit: s("SELECT 1 FROM unapplied_credits LIMIT 1").pluck(),
      // Every invoice's last settled day, beside the open items (the credit review's days late).
      clearPaidDates: s("DELETE FROM invoice_paid_dates WHERE customer_id = ?"),
      insertPaidDate: s("INSERT INTO invoice_paid_dates (customer_id, invoice_id, issue_date, due_date, amount, paid_on) VALUES (?, ?, ?, ?, ?, ?)"),
      insertPaidDates: s(
        `INSERT INTO invoice_paid_dates (customer_id, invoice_id, issue_date, due_date, amount, paid_on) VALUES ${Array(INSERT_BATCH).fill("(?, ?, ?, ?, ?, ?)").join(", ")}`,
      ),
      clearCredit: s("DELETE FROM unapplied_credits WHERE customer_id = ?"),
      insertCredit: s("INSERT INTO unapplied_credits (customer_id, amount) VALUES (?, ?)"),
    };
    this.copySql = copy ? copyStatements(s) : null;
  }

  /** What the validator may look up in the database (rows written earlier in this import included). */
  readonly resolver: LedgerResolver = {
    customerTermsDays: (code) => {
      // A queued customer's terms (or their update) are in once its piece is.
      if (this.pendingCustomers.length > 0) this.flushCustomers();
      let terms = this.customerTerms.get(code);
      if (terms === undefined) {
        // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
        terms = (this.statements.customerByCode.get(code) as CustomerRow | undefined)?.payment_terms_days;
        if (terms !== undefined) this.customerTerms.set(code, terms);
      }
      return terms;
    },
    invoiceCustomer: (invoiceNo) => {
      // With COPY the context knows the import's own invoices: it asks only about older ones.
      if (this.copy) return this.invoiceCustomerInDatabase(invoiceNo);
      this.flushInvoices();
      const captured = this.captured.invoices;
      let id: number | undefined;
      let customerId = 0;
      if (captured) {
        // A bulk load knows the customer of every invoice it wrote: the key index alone answers.
        id = this.statements.invoiceIdOnly.get(invoiceNo) as number | undefined;
        if (id === undefined) return undefined;
        // a bulk load's capture always has its customerId array; the next line: an invoice's customer_id is NOT NULL
        if (id > captured.base && id < captured.customerId!.length) customerId = captured.customerId![id] ?? 0;
        // a plucked NOT NULL customer_id of an invoice known to exist
        if (customerId === 0) customerId = this.statements.invoiceCustomerById.get(id) as number;
      } else {
        // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
        const row = this.statements.invoiceOwner.get(invoiceNo) as { id: number; customer_id: number } | undefined;
        if (!row) return undefined;
        id = row.id;
        customerId = row.customer_id;
      }
      this.lastInvoice = { invoiceNo, id };
      // Customer codes never change: remembered by id (a join per payment row costs more).
      let code = this.customerCodes.get(customerId);
      if (code === undefined) {
        // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the invoice's customer exists (foreign key)
        code = (this.statements.customerCodeById.get(customerId) as { code: string }).code;
        this.customerCodes.set(customerId, code);
      }
      return code;
    },
  };

  /** The customer code of an invoice already in the database (COPY: queued ones are the context's). */
  private invoiceCustomerInDatabase(invoiceNo: string): string | undefined {
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    const row = this.statements.invoiceOwner.get(invoiceNo) as { id: number; customer_id: number } | undefined;
    if (!row) return undefined;
    let code = this.customerCodes.get(row.customer_id);
    if (code === undefined) {
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the invoice's customer exists (foreign key)
      code = (this.statements.customerCodeById.get(row.customer_id) as { code: string }).code;
      this.customerCodes.set(row.customer_id, code);
    }
    return code;
  }

  /**
   * The invoice the validator looked up last: a payment or adjustment row asks for its invoice
   * while validated and again right after, when written. Forgotten whenever an invoice is written.
   */
  private lastInvoice: { invoiceNo: string; id: number } | null = null;

  /**
   * Writes one record, or queues a new-looking invoice or payment for a batch insert; the
   * listener hears every outcome in order. Call flush() before reading what was written.
   */
  write(item: ImportedItem): void {
    this.kpiSummaries.begin();
    if (this.copy) {
      // Queued records go in before a record of another kind: documents name their customers,
      // and the audit entries keep the order in which the records came.
      if (item.kind !== "customers" && this.pendingCustomers.length > 0) this.flushCustomers();
      if (item.kind !== "adjustments" && this.pendingAdjustments.length > 0) this.flushAdjustments();
    }
    switch (item.kind) {
      case "customers":
        return this.copy ? this.queueCustomer(item) : this.onWritten(item, this.writeCustomer(item.record));
      case "invoices":
        return this.queueInvoice(item);
      case "payments":
        return this.queuePayment(item);
      case "adjustments":
        return this.copy ? this.queueAdjustment(item) : this.onWritten(item, this.writeAdjustment(item.record));
    }
  }

  /** Call before the re-settlement of a bulk load (SQLite): see DEFERRABLE_DERIVED_INDEXES. */
  deferDerivedIndexes(): void {
    this.derivedIndexesDeferred = true;
  }

  /**
   * Call before the first write: keep the amounts of the rows written to `table` (a bulk load),
   * with room for `rowsAtMost` rows from the start. Growing a quarter at a time left ~4 times
   * the final arrays as garbage outside V8's heap until a full collection; room never written
   * costs no memory (zeroed pages are only mapped in when written).
   */
  captureColumns(table: "invoices" | "payments" | "adjustments", rowsAtMost = 0): void {
    if (table === "adjustments") return;
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    const base = (this.sqlite.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
    const captured = new CapturedColumns(base, table);
    if (rowsAtMost > 0) captured.grow(base + Math.ceil(rowsAtMost) + 1);
    this.captured[table] = captured;
  }

  /** Writes the queued records. */
  flush(): void {
    this.flushCustomers();
    this.flushInvoices();
    this.flushPayments();
    this.flushAdjustments();
  }

  private queueCustomer(item: ImportedItem & { kind: "customers" }): void {
    // Resolved (an unknown owner made an inactive user) in file order, as row by row.
    this.pendingCustomers.push({ item, ownerId: this.ownerId(item.record.ownerEmail) });
    if (this.pendingCustomers.length === COPY_BATCH) this.flushCustomers();
  }

  private queueAdjustment(item: ImportedItem & { kind: "adjustments" }): void {
    // The named invoice's id is joined in by the copy (copyAdjustments).
    this.pendingAdjustments.push({ item, customerId: this.customerId(item.record.customerCode) });
    if (this.pendingAdjustments.length === COPY_BATCH) this.flushAdjustments();
  }

  private flushCustomers(): void {
    const rows = this.pendingCustomers;
    if (rows.length === 0) return;
    this.pendingCustomers = [];
    // customers are queued only with COPY, which comes with its statements
    this.copyCustomers(this.copy!, this.copySql!, rows);
  }

  private flushAdjustments(): void {
    const rows = this.pendingAdjustments;
    if (rows.length === 0) return;
    // Adjustments name their invoices by number: queued invoices go in first (payments too, so
    // the audit entries keep the records' order).
    this.flushPayments();
    this.pendingAdjustments = [];
    // adjustments are queued only with COPY, which comes with its statements
    this.copyAdjustments(this.copy!, this.copySql!, rows);
  }

  private queueInvoice(item: ImportedItem & { kind: "invoices" }): void {
    this.lastInvoice = null;
    const customerId = this.customerId(item.record.customerCode);
    if (customerId === undefined) return this.onWritten(item, null);
    this.pendingInvoices.push({ item, customerId });
    if (this.pendingInvoices.length === (this.copy ? COPY_BATCH : DOCUMENT_BATCH)) this.flushInvoices();
  }

  private queuePayment(item: ImportedItem & { kind: "payments" }): void {
    if (this.copy) {
      // The named invoice's id is joined in by the copy (copyPayments), after its own queue.
      const customerId = this.customerId(item.record.customerCode);
      if (customerId === undefined) return this.onWritten(item, null);
      this.pendingPayments.push({ item, customerId, invoiceId: null });
      if (this.pendingPayments.length === COPY_BATCH) this.flushPayments();
      return;
    }
    const customerId = this.customerId(item.record.customerCode);
    const invoiceId = this.invoiceId(item.record.invoiceNo);
    if (customerId === undefined || invoiceId === undefined) return this.onWritten(item, null);
    this.pendingPayments.push({ item, customerId, invoiceId });
    if (this.pendingPayments.length === DOCUMENT_BATCH) this.flushPayments();
  }

  /**
   * A full batch goes in with one statement; when fewer rows than it holds were inserted, each
   * row's key tells whether it is new (an id above the table's maximum before) or was there
   * already (then compared and updated as a single row would be). A short batch goes row by row.
   */
  private flushInvoices(): void {
    const rows = this.pendingInvoices;
    if (rows.length === 0) return;
    this.pendingInvoices = [];
    if (this.copy && this.copySql) return this.copyInvoices(this.copy, this.copySql, rows);
    const s = this.statements;
    if (rows.length === DOCUMENT_BATCH) {
      const params: unknown[] = [];
      for (const { item: { record }, customerId } of rows) {
        params.push(record.invoiceNo, customerId, record.issueDate, record.dueDate, record.amount);
      }
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      const maxIdBefore = (s.maxInvoiceId.get() as { n: number }).n;
      const inserted = s.insertInvoices.run(params);
      const allNew = inserted.changes === rows.length;
      // All new: one statement numbered its rows one after another, up to the last row id (an
      // ignored conflict may have used up a number before, so not from the maximum before).
      const firstId = Number(inserted.lastInsertRowid) - rows.length + 1;
      const captured = this.captured.invoices;
      // A key twice in one batch (only records handed in directly can do that) updates as it would row by row.
      const inBatch = new Set<string>();
      for (const [index, { item, customerId }] of rows.entries()) {
        if (allNew) {
          captured?.set(firstId + index, item.record.amount, null, customerId);
          this.onWritten(item, this.invoiceAdded(customerId));
          continue;
        }
        // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the invoice is known to exist here
        const existing = s.invoiceByNo.get(item.record.invoiceNo) as InvoiceRow;
        const isNew = existing.id > maxIdBefore && !inBatch.has(item.record.invoiceNo);
        if (isNew) captured?.set(existing.id, existing.amount, null, existing.customer_id);
        inBatch.add(item.record.invoiceNo);
        this.onWritten(item, isNew ? this.invoiceAdded(customerId) : this.invoiceExists(item.record, customerId, existing));
      }
      return;
    }
    for (const { item, customerId } of rows) {
      const { record } = item;
      const inserted = s.insertInvoice.run(record.invoiceNo, customerId, record.issueDate, record.dueDate, record.amount);
      if (inserted.changes === 1) this.captured.invoices?.set(Number(inserted.lastInsertRowid), record.amount, null, customerId);
      const outcome =
        inserted.changes === 1
          ? this.invoiceAdded(customerId)
          // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the invoice is known to exist on this branch
          : this.invoiceExists(record, customerId, s.invoiceByNo.get(record.invoiceNo) as InvoiceRow);
      this.onWritten(item, outcome);
    }
  }

  private flushPayments(): void {
    // With COPY, payments name their invoices by number: the queued invoices go in first.
    if (this.copy) this.flushInvoices();
    const rows = this.pendingPayments;
    if (rows.length === 0) return;
    this.pendingPayments = [];
    if (this.copy && this.copySql) return this.copyPayments(this.copy, this.copySql, rows);
    const s = this.statements;
    if (rows.length === DOCUMENT_BATCH) {
      const params: unknown[] = [];
      for (const { item: { record }, customerId, invoiceId } of rows) {
        params.push(record.paymentNo, customerId, record.date, record.amount, invoiceId);
      }
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      const maxIdBefore = (s.maxPaymentId.get() as { n: number }).n;
      const inserted = s.insertPayments.run(params);
      const allNew = inserted.changes === rows.length;
      const firstId = Number(inserted.lastInsertRowid) - rows.length + 1;
      const captured = this.captured.payments;
      const inBatch = new Set<string>();
      for (const [index, { item, customerId, invoiceId }] of rows.entries()) {
        if (allNew) {
          captured?.set(firstId + index, item.record.amount, invoiceId);
          this.onWritten(item, this.paymentAdded(customerId));
          continue;
        }
        // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the payment is known to exist here
        const existing = s.paymentByNo.get(item.record.paymentNo) as PaymentRow;
        const isNew = existing.id > maxIdBefore && !inBatch.has(item.record.paymentNo);
        if (isNew) captured?.set(existing.id, existing.amount, existing.invoice_id);
        inBatch.add(item.record.paymentNo);
        this.onWritten(item, isNew ? this.paymentAdded(customerId) : this.paymentExists(item.record, customerId, invoiceId, existing));
      }
      return;
    }
    for (const { item, customerId, invoiceId } of rows) {
      const { record } = item;
      const inserted = s.insertPayment.run(record.paymentNo, customerId, record.date, record.amount, invoiceId);
      if (inserted.changes === 1) this.captured.payments?.set(Number(inserted.lastInsertRowid), record.amount, invoiceId);
      const outcome =
        inserted.changes === 1
          ? this.paymentAdded(customerId)
          // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the payment is known to exist on this branch
          : this.paymentExists(record, customerId, invoiceId, s.paymentByNo.get(record.paymentNo) as PaymentRow);
      this.onWritten(item, outcome);
    }
  }

  /**
   * The staging tables: unlogged tables of their own, made by the first import that needs them
   * and kept. Not temporary ones: a temporary table's catalog rows die with it, and the reads that
   * later clean them up move the write-ahead log, which is the kept pages' generation (every page
   * would be computed again after an import's first view). Their rows are this transaction's
   * alone (other sessions never see uncommitted rows; imports run one at a time anyway) and are
   * deleted before its commit (clearStaging), or rolled back with it.
   */
  private stage(): void {
    if (this.staged) return;
    this.sqlite.exec(
      `CREATE UNLOGGED TABLE IF NOT EXISTS qd_stage_invoices (seq integer NOT NULL, invoice_no text NOT NULL, customer_id bigint NOT NULL,
       issue_date text NOT NULL, due_date text NOT NULL, amount bigint NOT NULL)`,
    );
    this.sqlite.exec(
      `CREATE UNLOGGED TABLE IF NOT EXISTS qd_stage_payments (seq integer NOT NULL, payment_no text NOT NULL, customer_id bigint NOT NULL,
       date text NOT NULL, amount bigint NOT NULL, invoice_no text)`,
    );
    this.sqlite.exec(
      `CREATE UNLOGGED TABLE IF NOT EXISTS qd_stage_customers (seq integer NOT NULL, code text NOT NULL, name text NOT NULL, region text,
       owner_id bigint, credit_grade text, credit_limit bigint, payment_terms_days bigint NOT NULL)`,
    );
    this.sqlite.exec(
      `CREATE UNLOGGED TABLE IF NOT EXISTS qd_stage_adjustments (seq integer NOT NULL, adjustment_no text NOT NULL, customer_id bigint NOT NULL,
       date text NOT NULL, amount bigint NOT NULL, type text NOT NULL, invoice_no text)`,
    );
    this.staged = true;
  }

  /** Empties the staging tables (before the commit). */
  clearStaging(): void {
    if (!this.staged) return;
    for (const table of ["qd_stage_customers", "qd_stage_invoices", "qd_stage_payments", "qd_stage_adjustments"]) this.sqlite.exec(`DELETE FROM ${table}`);
  }

  /**
   * Queued customers by COPY, as copyInvoices: the rows already there (by code) compared as one by
   * one (unchanged, or updated by id and audited), the new ones inserted in file order.
   */
  private copyCustomers(copy: CopyInto, s: ReturnType<typeof copyStatements>, rows: { item: ImportedItem & { kind: "customers" }; ownerId: number | null }[]): void {
    this.stage();
    this.sqlite.exec("DELETE FROM qd_stage_customers");
    copy(
      "COPY qd_stage_customers (seq, code, name, region, owner_id, credit_grade, credit_limit, payment_terms_days) FROM STDIN",
      encodeCopyRows(
        rows.map(({ item: { record }, ownerId }, seq) => [seq, record.code, record.name, record.region, ownerId, record.creditGrade, record.creditLimit, record.paymentTermsDays]),
      ),
    );
    const outcomes: (WriteOutcome | undefined)[] = new Array(rows.length);
    const changed: number[] = [];
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
    for (const [seq, id, code, name, region, owner_id, credit_grade, credit_limit, payment_terms_days] of s.stagedCustomersExisting.all() as [
      number, number, string, string, string | null, number | null, string | null, number | null, number,
    ][]) {
      // seq numbers the piece's rows
      const { item, ownerId } = rows[seq]!;
      outcomes[seq] = this.customerExists(item.record, ownerId, { id, code, name, region, owner_id, credit_grade, credit_limit, payment_terms_days }, changed);
    }
    for (let i = 0; i < changed.length; i += ID_CHUNK) s.updateStagedCustomers.run(this.now, JSON.stringify(changed.slice(i, i + ID_CHUNK)));
    if (outcomes.includes(undefined)) s.insertStagedCustomers.run(this.now, this.now);
    for (const [seq, { item }] of rows.entries()) this.onWritten(item, outcomes[seq] ?? "added");
  }

  /** Queued adjustments by COPY, as copyPayments; each names its invoice by number, joined in here. */
  private copyAdjustments(
    copy: CopyInto,
    s: ReturnType<typeof copyStatements>,
    rows: { item: ImportedItem & { kind: "adjustments" }; customerId: number | undefined }[],
  ): void {
    this.stage();
    this.sqlite.exec("DELETE FROM qd_stage_adjustments");
    const staged: (readonly CopyValue[])[] = [];
    for (const [seq, { item: { record }, customerId }] of rows.entries()) {
      if (customerId !== undefined) staged.push([seq, record.adjustmentNo, customerId, record.date, record.amount, record.type, record.invoiceNo]);
    }
    copy("COPY qd_stage_adjustments (seq, adjustment_no, customer_id, date, amount, type, invoice_no) FROM STDIN", encodeCopyRows(staged));
    // Its customer was not written (it was rejected): the import fails anyway.
    const outcomes: (WriteOutcome | null | undefined)[] = rows.map(({ customerId }) => (customerId === undefined ? null : undefined));
    const changed: number[] = [];
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
    for (const [seq, invoiceId, missing, id, customer_id, date, amount, type, invoice_id] of s.stagedAdjustmentsExisting.all() as [
      number, number | null, boolean, number | null, number, string, number, AdjustmentType, number | null,
    ][]) {
      // seq numbers the piece's rows; only rows with a customer were staged
      const { item, customerId } = rows[seq]!;
      // The named invoice was not written (it was rejected): the import fails anyway.
      if (missing) outcomes[seq] = null;
      // not missing: the row is an existing adjustment (the SELECT's condition), so its id is there
      else if (id !== null) outcomes[seq] = this.adjustmentExists(item.record, customerId!, invoiceId, { id, customer_id, date, amount, type, invoice_id }, changed);
    }
    for (let i = 0; i < changed.length; i += ID_CHUNK) s.updateStagedAdjustments.run(JSON.stringify(changed.slice(i, i + ID_CHUNK)));
    if (outcomes.includes(undefined)) this.sqlite.exec(INSERT_STAGED_ADJUSTMENTS);
    for (const [seq, { item, customerId }] of rows.entries()) {
      const outcome = outcomes[seq];
      // undefined: staged, so its customer is known
      this.onWritten(item, outcome === undefined ? this.adjustmentAdded(customerId!) : outcome);
    }
  }

  /**
   * Queued invoices by COPY: into the staging table, then the rows already there (by invoice
   * number) compared as one by one (unchanged, or updated and audited, set-based by id), then the
   * new ones in one INSERT … SELECT in file order (so ids follow the file, as on SQLite).
   */
  private copyInvoices(copy: CopyInto, s: ReturnType<typeof copyStatements>, rows: { item: ImportedItem & { kind: "invoices" }; customerId: number }[]): void {
    this.stage();
    this.sqlite.exec("DELETE FROM qd_stage_invoices");
    copy(
      "COPY qd_stage_invoices (seq, invoice_no, customer_id, issue_date, due_date, amount) FROM STDIN",
      encodeCopyRows(rows.map(({ item: { record }, customerId }, seq) => [seq, record.invoiceNo, customerId, record.issueDate, record.dueDate, record.amount])),
    );
    const outcomes: (WriteOutcome | undefined)[] = new Array(rows.length);
    const changed: number[] = [];
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
    for (const [seq, id, customer_id, issue_date, due_date, amount] of s.stagedInvoicesExisting.all() as [number, number, number, string, string, number][]) {
      // seq numbers the piece's rows
      const { item, customerId } = rows[seq]!;
      outcomes[seq] = this.invoiceExists(item.record, customerId, { id, customer_id, issue_date, due_date, amount }, changed);
    }
    for (let i = 0; i < changed.length; i += ID_CHUNK) s.updateStagedInvoices.run(JSON.stringify(changed.slice(i, i + ID_CHUNK)));
    this.sqlite.exec(INSERT_STAGED_INVOICES);
    for (const [seq, { item, customerId }] of rows.entries()) this.onWritten(item, outcomes[seq] ?? this.invoiceAdded(customerId));
  }

  /** Queued payments by COPY, as copyInvoices; each names its invoice by number, joined in here. */
  private copyPayments(copy: CopyInto, s: ReturnType<typeof copyStatements>, rows: { item: ImportedItem & { kind: "payments" }; customerId: number }[]): void {
    this.stage();
    this.sqlite.exec("DELETE FROM qd_stage_payments");
    copy(
      "COPY qd_stage_payments (seq, payment_no, customer_id, date, amount, invoice_no) FROM STDIN",
      encodeCopyRows(rows.map(({ item: { record }, customerId }, seq) => [seq, record.paymentNo, customerId, record.date, record.amount, record.invoiceNo])),
    );
    const outcomes: (WriteOutcome | null | undefined)[] = new Array(rows.length);
    const changed: number[] = [];
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
    for (const [seq, invoiceId, missing, id, customer_id, date, amount, invoice_id] of s.stagedPaymentsExisting.all() as [
      number, number | null, boolean, number | null, number, string, number, number | null,
    ][]) {
      // seq numbers the piece's rows
      const { item, customerId } = rows[seq]!;
      // The named invoice was not written (it was rejected): the import fails anyway.
      if (missing) outcomes[seq] = null;
      // not missing: the row is an existing payment (the SELECT's condition), so its id is there
      else if (id !== null) outcomes[seq] = this.paymentExists(item.record, customerId, invoiceId, { id, customer_id, date, amount, invoice_id }, changed);
    }
    for (let i = 0; i < changed.length; i += ID_CHUNK) s.updateStagedPayments.run(JSON.stringify(changed.slice(i, i + ID_CHUNK)));
    this.sqlite.exec(INSERT_STAGED_PAYMENTS);
    for (const [seq, { item, customerId }] of rows.entries()) {
      const outcome = outcomes[seq];
      this.onWritten(item, outcome === undefined ? this.paymentAdded(customerId) : outcome);
    }
  }

  private audit(entity: string, id: number, before: unknown, after: unknown) {
    this.statements.audit.run(this.now, this.options.userId, entity, String(id), JSON.stringify(before), JSON.stringify(after));
  }

  private customerId(code: string): number | undefined {
    // The validator asked about the same code (the same string) just before: one comparison.
    if (code === this.lastCustomer.code) return this.lastCustomer.id;
    let id = this.customerIds.get(code);
    if (id === undefined) {
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      id = (this.statements.customerByCode.get(code) as CustomerRow | undefined)?.id;
      if (id !== undefined) this.customerIds.set(code, id);
    }
    // A customer's id never changes: only found ones are remembered.
    if (id !== undefined) this.lastCustomer = { code, id };
    return id;
  }

  private ownerId(email: string | null): number | null {
    if (!email) return null;
    const key = email.trim().toLowerCase();
    let id = this.ownerIds.get(key);
    if (id === undefined) {
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      const row = this.statements.userByEmail.get(key) as { id: number } | undefined;
      if (row) id = row.id;
      else {
        // KPIS.md section 2: an unknown owner becomes an inactive staff user with that email.
        id = Number(this.statements.insertInactiveUser.run(key, key, this.now, this.now).lastInsertRowid);
      }
      this.ownerIds.set(key, id);
    }
    return id;
  }

  /** null: no invoice named; undefined: the named invoice was not written. */
  private invoiceId(invoiceNo: string | null): number | null | undefined {
    if (invoiceNo === null) return null;
    // A mapped export defines an invoice and its payment on one row: the invoice must be in.
    this.flushInvoices();
    if (this.lastInvoice?.invoiceNo === invoiceNo) return this.lastInvoice.id;
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    return (this.statements.invoiceIdByNo.get(invoiceNo) as { id: number } | undefined)?.id;
  }

  private writeCustomer(record: CustomerRecord): WriteOutcome {
    const ownerId = this.ownerId(record.ownerEmail);
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    const existing = this.statements.customerByCode.get(record.code) as CustomerRow | undefined;
    if (existing) return this.customerExists(record, ownerId, existing);
    const id = Number(this.statements.insertCustomer.run({ code: record.code, ...customerValues(record, ownerId), now: this.now }).lastInsertRowid);
    this.customerIds.set(record.code, id);
    return "added";
  }

  /** `changed`: with COPY, the ids to update from the staging table (set-based) instead of one by one. */
  private customerExists(record: CustomerRecord, ownerId: number | null, existing: CustomerRow, changed?: number[]): WriteOutcome {
    const after = customerValues(record, ownerId);
    const { id, code: _code, ...before } = existing;
    if (sameValues(before, after)) return "unchanged";
    this.kpiSummaries.customerUpdated(id, before, after);
    if (changed) changed.push(id);
    else this.statements.updateCustomer.run({ ...after, now: this.now, id });
    this.customerTerms.delete(record.code);
    this.audit("customer", id, before, after);
    // Payment terms do not move existing due dates; nothing to re-settle.
    return "updated";
  }

  private invoiceAdded(customerId: number): WriteOutcome {
    this.touched.add(customerId);
    this.added.invoices += 1;
    return "added";
  }

  /** `changed`: with COPY, the ids to update from the staging table (set-based) instead of one by one. */
  private invoiceExists(record: InvoiceRecord, customerId: number, existing: InvoiceRow, changed?: number[]): WriteOutcome {
    const after = { customer_id: customerId, issue_date: record.issueDate, due_date: record.dueDate, amount: record.amount };
    const { id, ...before } = existing;
    if (sameValues(before, after)) return "unchanged";
    this.kpiSummaries.invoiceUpdated(id, before);
    if (changed) changed.push(id);
    else this.statements.updateInvoice.run(customerId, record.issueDate, record.dueDate, record.amount, id);
    const captured = this.captured.invoices;
    if (captured && id > captured.base) captured.set(id, record.amount, null, customerId);
    this.touched.add(customerId).add(before.customer_id);
    this.audit("invoice", id, { invoice_no: record.invoiceNo, ...before }, { invoice_no: record.invoiceNo, ...after });
    return "updated";
  }

  private paymentAdded(customerId: number): WriteOutcome {
    this.touched.add(customerId);
    this.added.payments += 1;
    return "added";
  }

  private paymentExists(record: PaymentRecord, customerId: number, invoiceId: number | null, existing: PaymentRow, changed?: number[]): WriteOutcome {
    const after = { customer_id: customerId, date: record.date, amount: record.amount, invoice_id: invoiceId };
    const { id, ...before } = existing;
    if (sameValues(before, after)) return "unchanged";
    this.kpiSummaries.paymentUpdated(id, before);
    if (changed) changed.push(id);
    else this.statements.updatePayment.run(customerId, record.date, record.amount, invoiceId, id);
    const captured = this.captured.payments;
    if (captured && id > captured.base) captured.set(id, record.amount, invoiceId);
    this.touched.add(customerId).add(before.customer_id);
    this.audit("payment", id, { payment_no: record.paymentNo, ...before }, { payment_no: record.paymentNo, ...after });
    return "updated";
  }

  private writeAdjustment(record: AdjustmentRecord): WriteOutcome | null {
    const customerId = this.customerId(record.customerCode);
    const invoiceId = this.invoiceId(record.invoiceNo);
    if (customerId === undefined || invoiceId === undefined) return null;
    const inserted = this.statements.insertAdjustment.run(
      record.adjustmentNo,
      customerId,
      record.date,
      record.amount,
      record.type,
      invoiceId,
    );
    if (inserted.changes === 1) return this.adjustmentAdded(customerId);
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    return this.adjustmentExists(record, customerId, invoiceId, this.statements.adjustmentByNo.get(record.adjustmentNo) as AdjustmentRow);
  }

  private adjustmentAdded(customerId: number): WriteOutcome {
    this.touched.add(customerId);
    return "added";
  }

  /** `changed`: with COPY, the ids to update from the staging table (set-based) instead of one by one. */
  private adjustmentExists(record: AdjustmentRecord, customerId: number, invoiceId: number | null, existing: AdjustmentRow, changed?: number[]): WriteOutcome {
    const after = { customer_id: customerId, date: record.date, amount: record.amount, type: record.type, invoice_id: invoiceId };
    const { id, ...before } = existing;
    if (sameValues(before, after)) return "unchanged";
    this.kpiSummaries.adjustmentUpdated(id, before);
    if (changed) changed.push(id);
    else this.statements.updateAdjustment.run(customerId, record.date, record.amount, record.type, invoiceId, id);
    this.touched.add(customerId).add(before.customer_id);
    this.audit(
      "adjustment",
      id,
      { adjustment_no: record.adjustmentNo, ...before },
      { adjustment_no: record.adjustmentNo, ...after },
    );
    return "updated";
  }

  /**
   * Recomputes open items and unapplied credit of every customer whose documents changed, and the
   * KPI summaries of the scopes those customers (and customers with a new owner, region, grade or
   * limit) count in. One sweep of each customer's documents serves all three: open items, summaries
   * and status positions (1M + 1M rows: ~2.5 s less than settling and sweeping for each apart).
   */
  resettleTouchedCustomers(): number {
    this.flush();
    const s = this.statements;
    // All first: an invoice moved to another customer keeps its old open item until its old customer is cleared.
    const copy = this.copy;
    const copySql = this.copySql;
    if (copy && copySql) {
      // With COPY, cleared in lists of ids and written back by COPY (the buffers below).
      const ids = [...this.touched];
      for (let i = 0; i < ids.length; i += ID_CHUNK) {
        const chunk = JSON.stringify(ids.slice(i, i + ID_CHUNK));
        copySql.clearOpenItemsOf.run(chunk);
        copySql.clearPaidDatesOf.run(chunk);
        copySql.clearCreditsOf.run(chunk);
      }
    } else {
      // A first import finds these tables empty: nothing to clear (a statement per customer and table).
      const clearOpen = s.anyOpenItem.get() !== undefined;
      const clearPaid = s.anyPaidDate.get() !== undefined;
      for (const customerId of this.touched) {
        if (clearOpen) s.clearOpenItems.run(customerId);
        if (clearPaid) s.clearPaidDates.run(customerId);
      }
    }
    // Each customer's credit is cleared just before its own is written (each customer once).
    const clearCredits = !copy && s.anyCredit.get() !== undefined;
    const openItems = copy && new CopyBuffer((text) => copy("COPY open_items (invoice_id, customer_id, issue_date, due_date, open_amount) FROM STDIN", text));
    const paidDates = copy && new CopyBuffer((text) => copy("COPY invoice_paid_dates (customer_id, invoice_id, issue_date, due_date, amount, paid_on) FROM STDIN", text));
    const credits = copy && new CopyBuffer((text) => copy("COPY unapplied_credits (customer_id, amount) FROM STDIN", text));
    // With COPY (PostgreSQL) the documents come a few hundred customers at a time, amounts included (DocumentPrefetch).
    const invoiceAmounts = copy ? null : this.columnOfLargeImport("invoices");
    const paymentColumns = copy ? null : this.columnOfLargeImport("payments");
    // The status table's month-end positions and open runs of the same customers, from the same
    // documents: no request after the import has to work them out (in customer order, so a bulk
    // load appends to their indexes).
    const statusPositions = new StatusPositionsWriter(this.sqlite);
    const epochDays = new Map<string, number>();
    const day = (text: string): number => {
      let value = epochDays.get(text);
      if (value === undefined) epochDays.set(text, (value = toEpochDay(text)));
      return value;
    };
    // Paid dates waiting for their multi-row insert (SQLite), 6 values each.
    const pendingPaid: (number | string | null)[] = [];
    const garbage = new SweepGarbage();
    const derivedIndexes = this.derivedIndexesDeferred ? dropIndexes(this.sqlite, DEFERRABLE_DERIVED_INDEXES) : [];
    const customerIds = [...this.touched].sort((a, b) => a - b);
    const prefetch = copy ? new DocumentPrefetch(this.sqlite, customerIds) : null;
    for (const customerId of customerIds) {
      const fetched = prefetch?.next(customerId);
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the customer being settled exists
      const customer = fetched?.customer ?? (s.customerById.get(customerId) as SummaryCustomer);
      // Rows as arrays (cheaper than objects); in a bulk load, amounts and payments' invoice ids
      // from the columns kept as they were written.
      const historyInvoices: SweptInvoice[] = [];
      const noById = new Map<number, string>();
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
      for (const row of (fetched?.invoices ?? (invoiceAmounts ? s.invoicesCovered : s.invoicesOf).all(customerId)) as [number, string, string, string, number?][]) {
        const [id, no, issueDate, dueDate] = row;
        historyInvoices.push({
          invoiceNo: no,
          issueDay: day(issueDate),
          dueDay: day(dueDate),
          // invoicesCovered lists only invoices this load wrote, each with its amount captured
          amount: invoiceAmounts ? (invoiceAmounts.amount[id] as number) : row[4]!,
          index: historyInvoices.length,
          id,
          issueDate,
          dueDate,
        });
        noById.set(id, no);
      }
      const invoiceNo = (id: number | null): string | null => {
        if (id === null) return null;
        // An invoice moved to another customer by an import: still named, settled into the pool.
        return noById.get(id) ?? (s.invoiceNoById.get(id) as { invoice_no: string }).invoice_no;
      };
      // One sweep of the customer's documents through time (domain/position-history.ts) gives
      // its open items and unapplied credit (the runs still open at the end), its KPI summaries
      // and its status-table positions and open runs: one object per document, epoch days.
      const settlements: (CustomerHistory["settlements"][number] & { id: number; date: string })[] = [];
      const collections: HistoryCollection[] = [];
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order); a captured load has its invoiceId array
      for (const row of (fetched?.payments ?? (paymentColumns ? s.paymentsCovered : s.paymentsOf).all(customerId)) as [number, string, number?, (number | null)?][]) {
        const [id, date] = row;
        // paymentsCovered lists only payments this load wrote, each with its amount captured
        const amount = paymentColumns ? (paymentColumns.amount[id] as number) : row[2]!;
        // a captured load has its invoiceId array; without one the SELECT's fourth column is the invoice id
        const invoiceId = paymentColumns ? paymentColumns.invoiceId![id] || null : row[3]!;
        const entry = { day: day(date), amount, invoiceNo: invoiceNo(invoiceId), kind: "payment" as const, id, date };
        settlements.push(entry);
        collections.push(entry);
      }
      const paymentCount = settlements.length;
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
      for (const [id, date, amount, type, invoiceId] of (fetched?.adjustments ?? s.adjustmentsOf.all(customerId)) as [number, string, number, AdjustmentType, number | null][]) {
        const entry = { day: day(date), amount, invoiceNo: invoiceNo(invoiceId), kind: type, id, date };
        settlements.push(entry);
        if (type === "offset") collections.push(entry);
      }
      const history: CustomerHistory = { invoices: historyInvoices, settlements, creditLimit: customer.credit_limit };
      // The documents in the summaries' shape: only for a customer that had some before the import.
      const documents = (): CustomerDocuments => ({
        invoices: historyInvoices.map((i) => ({ id: i.id, invoice_no: i.invoiceNo, issue_date: i.issueDate, due_date: i.dueDate, amount: i.amount })),
        payments: settlements.slice(0, paymentCount).map((p) => ({ id: p.id, date: p.date, amount: p.amount, invoice_no: p.invoiceNo })),
        adjustments: settlements.slice(paymentCount).map((a) => ({ id: a.id, date: a.date, amount: a.amount, type: a.kind as AdjustmentType, invoice_no: a.invoiceNo })),
      });
      const summaries = this.kpiSummaries.customerSettling(customerId, customer, history, documents);
      const status = statusPositions.begin(customerId, historyInvoices, settlements, collections);
      const kpiSink = summaries?.sink;
      const statusSink = status?.sink;
      let unappliedCredit = 0;
      // The last day each invoice was open (Infinity: still open; -Infinity: never open); settled the day after.
      const lastOpen = new Float64Array(historyInvoices.length).fill(-Infinity);
      sweepPositionHistory(historyInvoices, settlements, customer.credit_limit, {
        openRun(invoice, from, to, openAmount) {
          kpiSink?.openRun(invoice, from, to, openAmount);
          statusSink?.openRun(invoice, from, to, openAmount);
          // the sweep's invoices carry their index, id and dates (SweptInvoice) though typed as the engine's
          const swept = invoice as SweptInvoice;
          // index < historyInvoices.length, the length of lastOpen
          if (to > lastOpen[swept.index]!) lastOpen[swept.index] = to;
          // Still open after the last document: the open item (oldest first, as the engine lists them).
          if (to === Infinity) {
            const open = swept;
            if (openItems) openItems.push([open.id, customerId, open.issueDate, open.dueDate, openAmount]);
            else s.insertOpenItem.run(open.id, customerId, open.issueDate, open.dueDate, openAmount);
          }
        },
        unappliedRun(from, to, amount) {
          kpiSink?.unappliedRun(from, to, amount);
          statusSink?.unappliedRun(from, to, amount);
          if (to === Infinity) unappliedCredit = amount;
        },
        overdueRun(from, to) {
          kpiSink?.overdueRun(from, to);
          statusSink?.overdueRun(from, to);
        },
        overLimitRun(from, to) {
          kpiSink?.overLimitRun(from, to);
          statusSink?.overLimitRun(from, to);
        },
      });
      summaries?.done();
      status?.done();
      // On SQLite in invoice id order: the table's key is (customer, invoice), so each row appends.
      for (const position of paidDates ? historyInvoices.keys() : orderById(historyInvoices)) {
        // position < historyInvoices.length (its keys, or a permutation of them)
        const invoice = historyInvoices[position]!;
        // as above: each invoice's index is within lastOpen
        const last = lastOpen[invoice.index]!;
        // never open: settled on the day it was issued (documents naming it came first)
        const paidOn = last === Infinity ? null : last === -Infinity ? invoice.issueDate : fromEpochDay(last + 1);
        if (paidDates) paidDates.push([customerId, invoice.id, invoice.issueDate, invoice.dueDate, invoice.amount, paidOn]);
        else {
          pendingPaid.push(customerId, invoice.id, invoice.issueDate, invoice.dueDate, invoice.amount, paidOn);
          if (pendingPaid.length === INSERT_BATCH * 6) {
            s.insertPaidDates.run(pendingPaid);
            pendingPaid.length = 0;
          }
        }
      }
      if (credits) {
        if (unappliedCredit > 0) credits.push([customerId, unappliedCredit]);
      } else {
        if (clearCredits) s.clearCredit.run(customerId);
        if (unappliedCredit > 0) s.insertCredit.run(customerId, unappliedCredit);
      }
      garbage.swept();
    }
    for (let i = 0; i < pendingPaid.length; i += 6) s.insertPaidDate.run(pendingPaid.slice(i, i + 6));
    // Before anything reads them (the month in progress reads the open items).
    openItems?.flush();
    paidDates?.flush();
    credits?.flush();
    this.kpiSummaries.finish();
    const statusWritten = statusPositions.finish();
    if (derivedIndexes.length > 0) garbage.collectNow();
    for (const createIndex of derivedIndexes) this.sqlite.exec(createIndex);
    if (statusWritten > 0) {
      // ... and the month in progress as of today, which the status page reads first.
      const day = today();
      buildStatusDay(this.sqlite, { start: monthStart(day), closingDate: day });
    }
    return this.touched.size;
  }

  /**
   * When this import added at least half of a table's rows (a first import, a bulk load), its
   * amounts (and payments' invoice ids) are read in one sequential pass into arrays indexed by
   * row id, and each customer's rows then come from the customer index alone. A row looked up in
   * the table costs about three times as much as one read from a covering index (1M invoices:
   * ~2 s against ~0.7 s plus ~0.3 s for the pass). The arrays take 8 (12) bytes a row.
   * Otherwise null: a small import into a large ledger reads its touched customers' rows as usual.
   * A bulk load has kept the values of the rows it wrote (CapturedColumns): only older rows are read.
   */
  private columnOfLargeImport(table: "invoices" | "payments"): { amount: Float64Array; invoiceId: Int32Array | null } | null {
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    const maxId = (this.sqlite.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
    if (maxId === 0 || this.added[table] * 2 < maxId) return null;
    const captured = this.captured[table];
    if (captured) {
      // The rows written by this import are in already; those from before are read by id range.
      captured.grow(maxId + 1);
      const old = this.sqlite.prepare(`SELECT id, amount, ${table === "payments" ? "invoice_id" : "NULL"} FROM ${table} WHERE id <= ?`).raw();
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
      for (const [id, value, invoice] of old.iterate(captured.base) as IterableIterator<[number, number, number | null]>) {
        captured.set(id, value, invoice);
      }
      return { amount: captured.amount, invoiceId: captured.invoiceId };
    }
    const amount = new Float64Array(maxId + 1);
    if (table === "invoices") {
      const rows = this.sqlite.prepare("SELECT id, amount FROM invoices").raw();
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
      for (const [id, value] of rows.iterate() as IterableIterator<[number, number]>) amount[id] = value;
      return { amount, invoiceId: null };
    }
    // 0 = no invoice named (row ids start at 1)
    const invoiceId = new Int32Array(maxId + 1);
    const rows = this.sqlite.prepare("SELECT id, amount, invoice_id FROM payments").raw();
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (raw rows, in the SELECT's order)
    for (const [id, value, invoice] of rows.iterate() as IterableIterator<[number, number, number | null]>) {
      amount[id] = value;
      invoiceId[id] = invoice ?? 0;
    }
    return { amount, invoiceId };
  }
}

/** Positions 0..n-1 of `invoices` in the order of their ids: (id, position) packed into one double, sorted natively. */
function orderById(invoices: readonly { id: number }[]): Int32Array {
  const n = invoices.length;
  let width = 1;
  while (width < n) width *= 2;
  const keys = new Float64Array(n);
  // i < n, the length of invoices
  for (let i = 0; i < n; i += 1) keys[i] = invoices[i]!.id * width + i;
  keys.sort();
  const order = new Int32Array(n);
  // i < n, the length of keys
  for (let i = 0; i < n; i += 1) order[i] = keys[i]! % width;
  return order;
}

/** Customers whose documents DocumentPrefetch reads with one statement per table. */
const PREFETCH_CUSTOMERS = 500;

/**
 * PostgreSQL: the documents of the customers being re-settled, read PREFETCH_CUSTOMERS customers
 * at a time (one statement per customer and table is a round trip each: ~4 per customer). Rows
 * are as the per-customer statements give them (raw, the same columns), and in SQLite's order
 * for those statements (its customer indexes, then row id), which the sweep's same-day order follows.
 */
class DocumentPrefetch {
  private readonly statements;
  private position = 0;
  private loaded = new Map<number, { customer: SummaryCustomer; invoices: unknown[][]; payments: unknown[][]; adjustments: unknown[][] }>();

  constructor(
    sqlite: SQLite.Database,
    private readonly customerIds: readonly number[],
  ) {
    const s = (sql: string) => sqlite.prepare(sql).raw();
    const among = "customer_id IN (SELECT value FROM json_each(?))";
    this.statements = {
      customers: s("SELECT id, owner_id, region, credit_grade, credit_limit FROM customers WHERE id IN (SELECT value FROM json_each(?))"),
      invoices: s(`SELECT customer_id, id, invoice_no, issue_date, due_date, amount FROM invoices WHERE ${among} ORDER BY customer_id, due_date, issue_date, invoice_no`),
      payments: s(`SELECT customer_id, id, date, amount, invoice_id FROM payments WHERE ${among} ORDER BY customer_id, date, id`),
      adjustments: s(`SELECT customer_id, id, date, amount, type, invoice_id FROM adjustments WHERE ${among} ORDER BY customer_id, date, id`),
    };
  }

  /** The documents of `customerId`, the next of the ids given (in their order). */
  next(customerId: number) {
    let documents = this.loaded.get(customerId);
    if (!documents) {
      this.load(customerId);
      // load() reads the chunk starting at this customer, who exists (being settled)
      documents = this.loaded.get(customerId)!;
    }
    this.loaded.delete(customerId);
    return documents;
  }

  private load(from: number): void {
    const start = this.customerIds.indexOf(from, this.position);
    const chunk = this.customerIds.slice(start, start + PREFETCH_CUSTOMERS);
    this.position = start + chunk.length;
    const ids = JSON.stringify(chunk);
    this.loaded = new Map();
    // better-sqlite3 types rows as unknown; raw rows in the SELECT's column order
    for (const [id, owner_id, region, credit_grade, credit_limit] of this.statements.customers.all(ids) as [number, number | null, string | null, string | null, number | null][]) {
      this.loaded.set(id, { customer: { owner_id, region, credit_grade, credit_limit }, invoices: [], payments: [], adjustments: [] });
    }
    for (const table of ["invoices", "payments", "adjustments"] as const) {
      // better-sqlite3 types rows as unknown; raw rows whose first column is the customer id
      for (const row of this.statements[table].all(ids) as [number, ...unknown[]][]) this.loaded.get(row[0])?.[table].push(row.slice(1));
    }
  }
}

/**
 * Collects the re-settlement's garbage once V8's heap holds more than SWEEP_HEAP_BYTES. A large
 * customer's documents live through its sweep and are promoted out of V8's young generation, and
 * V8 lets such garbage pile up to ~130 MB before a full collection of its own, although what stays
 * alive is ~15 MB (uneven ledger, 500k invoices: it made the import's peak memory). A full
 * collection of so small a heap costs a few ms; asked for only when the heap is that full, a
 * handful per million documents.
 */
class SweepGarbage {
  private readonly collect = fullGarbageCollection();
  /**
   * What stayed alive after the last collection. A process holding more than SWEEP_HEAP_BYTES
   * itself (the demo seed's generated ledger, a server's caches) would otherwise collect after
   * every customer, each collection finding little (the demo seed: ~20 s of its import); it
   * collects once as much again has piled up.
   */
  private live = 0;

  swept(): void {
    if (!this.collect || v8.getHeapStatistics().used_heap_size <= Math.max(SWEEP_HEAP_BYTES, 2 * this.live)) return;
    this.collect();
    this.live = v8.getHeapStatistics().used_heap_size;
  }

  /** Now, whatever the heap holds: before SQLite sorts for an index, so their memory does not add up. */
  collectNow(): void {
    this.collect?.();
  }
}

const SWEEP_HEAP_BYTES = 64 * 1024 * 1024;

/** A customer record's columns as the customers table holds them (the key and timestamps aside), in the table's order. */
function customerValues(record: CustomerRecord, ownerId: number | null) {
  return {
    name: record.name,
    region: record.region,
    owner_id: ownerId,
    credit_grade: record.creditGrade,
    credit_limit: record.creditLimit,
    payment_terms_days: record.paymentTermsDays,
  };
}

function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(b).every((key) => a[key] === b[key]);
}
