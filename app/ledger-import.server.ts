import type SQLite from "better-sqlite3";

import { FILE_KINDS, type FileKind } from "~/domain/import/canonical";
import { ImportContext, type LedgerResolver } from "~/domain/import/context";
import { type FileImportResult, type FileLayout, importFile } from "~/domain/import/import-file";
import { type ImportIssue, formatReport } from "~/domain/import/report";
import type { ImportSource } from "~/domain/import/source";
import type { ImportedItem } from "~/domain/import/validate";
import type {
  AdjustmentRecord,
  CustomerRecord,
  InvoiceRecord,
  LedgerSnapshot,
  PaymentRecord,
} from "~/domain/ledger-types";
import { customerOpenItems } from "~/domain/open-items";
import { type CustomerDocuments, KpiSummaryMaintainer, type SummaryCustomer } from "~/models/kpi-summary.server";

/**
 * The bulk import path (KPIS.md sections 2 and 5): every file of one import inside one
 * transaction on a better-sqlite3 connection of its own, statements prepared once (Kysely's
 * driver re-prepares per statement, ~5x slower for millions of rows). Rows are written as they
 * are validated; any bad row anywhere rolls everything back. Runs in the CLI process or in a
 * child process of the web server, never on the request thread.
 */

export interface ImportFileSpec {
  source: ImportSource;
  layout: FileLayout;
}

export interface FileSummary {
  file: string;
  /** the kind of records the file holds (a mapped export: its target) */
  kind: FileKind;
  format: string | null;
  encoding: string | null;
  rows: number;
  /** per kind of record written from this file: added / updated / unchanged */
  counts: Partial<Record<FileKind, { added: number; updated: number; unchanged: number }>>;
  warnings: string[];
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
}

/** All documents count: the state "as of" any date after the last document. */
const END_OF_TIME = "9999-12-31";

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
  const ordered = orderFiles(files);
  const writer = new LedgerWriter(sqlite, options);
  // Each valid record is written before the next row is validated, and this connection sees its
  // own uncommitted rows: the context need not remember the import's invoices.
  const context = new ImportContext(writer.resolver, { ledgerSeesWrites: true });
  const totalBytes = ordered.reduce((sum, f) => sum + f.source.size, 0);
  const summaries: FileSummary[] = [];
  const errors: ImportIssue[] = [];
  let errorCount = 0;
  let bytesBefore = 0;
  // Records whose customer or invoice row was itself rejected: the import fails anyway.
  let skipped = 0;

  // A larger page cache for this connection only: index inserts into million-row B-trees.
  sqlite.pragma("cache_size = -65536");
  sqlite.exec("BEGIN IMMEDIATE");
  try {
    for (const [fileIndex, spec] of ordered.entries()) {
      const counts: FileSummary["counts"] = {};
      let bytesRead = 0;
      let lastReport = 0;
      const source = countingSource(spec.source, (n) => {
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
      });
      const result: FileImportResult = await importFile(
        source,
        spec.layout,
        context,
        { baseCurrency: options.baseCurrency },
        (item) => {
          const outcome = writer.write(item);
          if (outcome === null) return void (skipped += 1);
          if (item.kind === "invoices") context.invoiceWritten(item.record.invoiceNo, item.record.customerCode);
          const tally = (counts[item.kind] ??= { added: 0, updated: 0, unchanged: 0 });
          tally[outcome] += 1;
        },
      );
      bytesBefore += spec.source.size;
      errorCount += result.errorCount;
      errors.push(...result.errors);
      summaries.push({
        file: result.file,
        kind: kindOf(spec.layout),
        format: result.format,
        encoding: result.encoding,
        rows: result.rowCount,
        counts,
        warnings: result.warnings.map((w) => w.message),
      });
    }

    if (errorCount === 0 && skipped > 0) throw new Error(`${skipped} valid records referenced rows that were not written`);
    if (errorCount > 0) {
      sqlite.exec("ROLLBACK");
      return { ok: false, files: summaries, errorCount, report: formatReport(errors, errorCount), errors: errors.slice(0, 100) };
    }
    const customersResettled = writer.resettleTouchedCustomers();
    sqlite.exec("COMMIT");
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
  const writer = new LedgerWriter(sqlite, options);
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
    for (const item of items) {
      const outcome = writer.write(item);
      if (outcome === null) throw new Error(`${item.kind} record refers to a customer or invoice that does not exist`);
      counts[item.kind][outcome] += 1;
    }
    writer.resettleTouchedCustomers();
  })();
  return counts;
}

function countingSource(source: ImportSource, onBytes: (n: number) => void): ImportSource {
  return {
    ...source,
    stream() {
      const stream = source.stream();
      stream.on("data", (chunk: Buffer) => onBytes(chunk.length));
      return stream;
    },
  };
}

type WriteOutcome = "added" | "updated" | "unchanged";

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

/** Upserts canonical records by natural key, auditing every change to an existing row. */
class LedgerWriter {
  private readonly customerIds = new Map<string, number>();
  /** customers are few (thousands) and asked about on every document row */
  private readonly customerTerms = new Map<string, number>();
  private readonly ownerIds = new Map<string, number>();
  private readonly touched = new Set<number>();
  private readonly now: string;
  private readonly statements;
  /** Keeps the KPI summaries in step with the documents, in the same transaction. */
  private readonly kpiSummaries: KpiSummaryMaintainer;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly options: ImportOptions,
  ) {
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
      invoiceCustomerCode: s(
        "SELECT i.id, c.code FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.invoice_no = ?",
      ),
      // Insert first: in a fresh import nearly every row is new, and a conflict costs one lookup.
      insertInvoice: s(
        "INSERT INTO invoices (invoice_no, customer_id, issue_date, due_date, amount) VALUES (?, ?, ?, ?, ?) ON CONFLICT (invoice_no) DO NOTHING",
      ),
      updateInvoice: s("UPDATE invoices SET customer_id = ?, issue_date = ?, due_date = ?, amount = ? WHERE id = ?"),
      invoiceIdByNo: s("SELECT id FROM invoices WHERE invoice_no = ?"),
      paymentByNo: s("SELECT id, customer_id, date, amount, invoice_id FROM payments WHERE payment_no = ?"),
      insertPayment: s(
        "INSERT INTO payments (payment_no, customer_id, date, amount, invoice_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (payment_no) DO NOTHING",
      ),
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
      customerById: s("SELECT code, owner_id, region, credit_grade, credit_limit FROM customers WHERE id = ?"),
      invoicesOf: s("SELECT invoice_no, issue_date, due_date, amount, id FROM invoices WHERE customer_id = ?"),
      paymentsOf: s(
        `SELECT p.id, p.payment_no, p.date, p.amount, i.invoice_no FROM payments p
         LEFT JOIN invoices i ON i.id = p.invoice_id WHERE p.customer_id = ?`,
      ),
      adjustmentsOf: s(
        `SELECT a.id, a.adjustment_no, a.date, a.amount, a.type, i.invoice_no FROM adjustments a
         LEFT JOIN invoices i ON i.id = a.invoice_id WHERE a.customer_id = ?`,
      ),
      clearOpenItems: s("DELETE FROM open_items WHERE customer_id = ?"),
      insertOpenItem: s(
        "INSERT INTO open_items (invoice_id, customer_id, issue_date, due_date, open_amount) VALUES (?, ?, ?, ?, ?)",
      ),
      clearCredit: s("DELETE FROM unapplied_credits WHERE customer_id = ?"),
      insertCredit: s("INSERT INTO unapplied_credits (customer_id, amount) VALUES (?, ?)"),
    };
  }

  /** What the validator may look up in the database (rows written earlier in this import included). */
  readonly resolver: LedgerResolver = {
    customerTermsDays: (code) => {
      let terms = this.customerTerms.get(code);
      if (terms === undefined) {
        terms = (this.statements.customerByCode.get(code) as CustomerRow | undefined)?.payment_terms_days;
        if (terms !== undefined) this.customerTerms.set(code, terms);
      }
      return terms;
    },
    invoiceCustomer: (invoiceNo) => {
      const row = this.statements.invoiceCustomerCode.get(invoiceNo) as { id: number; code: string } | undefined;
      if (row) this.lastInvoice = { invoiceNo, id: row.id };
      return row?.code;
    },
  };

  /**
   * The invoice the validator looked up last: a payment or adjustment row asks for its invoice
   * while validated and again right after, when written. Forgotten whenever an invoice is written.
   */
  private lastInvoice: { invoiceNo: string; id: number } | null = null;

  /** null when the record refers to a customer or invoice whose own row was rejected. */
  write(item: ImportedItem): WriteOutcome | null {
    this.kpiSummaries.begin();
    switch (item.kind) {
      case "customers":
        return this.writeCustomer(item.record);
      case "invoices":
        return this.writeInvoice(item.record);
      case "payments":
        return this.writePayment(item.record);
      case "adjustments":
        return this.writeAdjustment(item.record);
    }
  }

  private audit(entity: string, id: number, before: unknown, after: unknown) {
    this.statements.audit.run(this.now, this.options.userId, entity, String(id), JSON.stringify(before), JSON.stringify(after));
  }

  private customerId(code: string): number | undefined {
    let id = this.customerIds.get(code);
    if (id === undefined) {
      id = (this.statements.customerByCode.get(code) as CustomerRow | undefined)?.id;
      if (id !== undefined) this.customerIds.set(code, id);
    }
    return id;
  }

  private ownerId(email: string | null): number | null {
    if (!email) return null;
    const key = email.trim().toLowerCase();
    let id = this.ownerIds.get(key);
    if (id === undefined) {
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
    if (this.lastInvoice?.invoiceNo === invoiceNo) return this.lastInvoice.id;
    return (this.statements.invoiceIdByNo.get(invoiceNo) as { id: number } | undefined)?.id;
  }

  private writeCustomer(record: CustomerRecord): WriteOutcome {
    const values = {
      code: record.code,
      name: record.name,
      region: record.region,
      owner_id: this.ownerId(record.ownerEmail),
      credit_grade: record.creditGrade,
      credit_limit: record.creditLimit,
      payment_terms_days: record.paymentTermsDays,
      now: this.now,
    };
    const existing = this.statements.customerByCode.get(record.code) as CustomerRow | undefined;
    if (!existing) {
      const id = Number(this.statements.insertCustomer.run(values).lastInsertRowid);
      this.customerIds.set(record.code, id);
      return "added";
    }
    const { id, code: _code, ...before } = existing;
    const { code: _c, now: _n, ...after } = values;
    if (sameValues(before, after)) return "unchanged";
    this.kpiSummaries.customerUpdated(id, before, after);
    this.statements.updateCustomer.run({ ...values, id });
    this.customerTerms.delete(record.code);
    this.audit("customer", id, before, after);
    // Payment terms do not move existing due dates; nothing to re-settle.
    return "updated";
  }

  private writeInvoice(record: InvoiceRecord): WriteOutcome | null {
    this.lastInvoice = null;
    const customerId = this.customerId(record.customerCode);
    if (customerId === undefined) return null;
    const inserted = this.statements.insertInvoice.run(record.invoiceNo, customerId, record.issueDate, record.dueDate, record.amount);
    if (inserted.changes === 1) {
      this.touched.add(customerId);
      return "added";
    }
    const existing = this.statements.invoiceByNo.get(record.invoiceNo) as {
      id: number;
      customer_id: number;
      issue_date: string;
      due_date: string;
      amount: number;
    };
    const after = { customer_id: customerId, issue_date: record.issueDate, due_date: record.dueDate, amount: record.amount };
    const { id, ...before } = existing;
    if (sameValues(before, after)) return "unchanged";
    this.kpiSummaries.invoiceUpdated(id, before);
    this.statements.updateInvoice.run(customerId, record.issueDate, record.dueDate, record.amount, id);
    this.touched.add(customerId).add(before.customer_id);
    this.audit("invoice", id, { invoice_no: record.invoiceNo, ...before }, { invoice_no: record.invoiceNo, ...after });
    return "updated";
  }

  private writePayment(record: PaymentRecord): WriteOutcome | null {
    const customerId = this.customerId(record.customerCode);
    const invoiceId = this.invoiceId(record.invoiceNo);
    if (customerId === undefined || invoiceId === undefined) return null;
    if (this.statements.insertPayment.run(record.paymentNo, customerId, record.date, record.amount, invoiceId).changes === 1) {
      this.touched.add(customerId);
      return "added";
    }
    const existing = this.statements.paymentByNo.get(record.paymentNo) as {
      id: number;
      customer_id: number;
      date: string;
      amount: number;
      invoice_id: number | null;
    };
    const after = { customer_id: customerId, date: record.date, amount: record.amount, invoice_id: invoiceId };
    const { id, ...before } = existing;
    if (sameValues(before, after)) return "unchanged";
    this.kpiSummaries.paymentUpdated(id, before);
    this.statements.updatePayment.run(customerId, record.date, record.amount, invoiceId, id);
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
    if (inserted.changes === 1) {
      this.touched.add(customerId);
      return "added";
    }
    const existing = this.statements.adjustmentByNo.get(record.adjustmentNo) as {
      id: number;
      customer_id: number;
      date: string;
      amount: number;
      type: string;
      invoice_id: number | null;
    };
    const after = { customer_id: customerId, date: record.date, amount: record.amount, type: record.type, invoice_id: invoiceId };
    const { id, ...before } = existing;
    if (sameValues(before, after)) return "unchanged";
    this.kpiSummaries.adjustmentUpdated(id, before);
    this.statements.updateAdjustment.run(customerId, record.date, record.amount, record.type, invoiceId, id);
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
   * limit) count in.
   */
  resettleTouchedCustomers(): number {
    const s = this.statements;
    // All first: an invoice moved to another customer keeps its old open item until its old customer is cleared.
    for (const customerId of this.touched) s.clearOpenItems.run(customerId);
    for (const customerId of this.touched) {
      const customer = s.customerById.get(customerId) as SummaryCustomer & { code: string };
      const { code } = customer;
      const invoices = s.invoicesOf.all(customerId) as {
        invoice_no: string;
        issue_date: string;
        due_date: string;
        amount: number;
        id: number;
      }[];
      const idByNo = new Map(invoices.map((i) => [i.invoice_no, i.id]));
      const paymentRows = s.paymentsOf.all(customerId) as (CustomerDocuments["payments"][number] & { payment_no: string })[];
      const payments = paymentRows.map(
        (p) => ({ paymentNo: p.payment_no, customerCode: code, date: p.date, amount: p.amount, invoiceNo: p.invoice_no }),
      );
      const adjustmentRows = s.adjustmentsOf.all(customerId) as (CustomerDocuments["adjustments"][number] & { adjustment_no: string })[];
      const adjustments = adjustmentRows.map((a) => ({
        adjustmentNo: a.adjustment_no,
        customerCode: code,
        date: a.date,
        amount: a.amount,
        type: a.type,
        invoiceNo: a.invoice_no,
      }));
      const position = customerOpenItems(
        code,
        {
          invoices: invoices.map((i) => ({
            invoiceNo: i.invoice_no,
            customerCode: code,
            issueDate: i.issue_date,
            dueDate: i.due_date,
            amount: i.amount,
          })),
          payments,
          adjustments,
        },
        END_OF_TIME,
      );
      for (const invoice of position.invoices) {
        if (invoice.openAmount > 0) {
          s.insertOpenItem.run(idByNo.get(invoice.invoiceNo), customerId, invoice.issueDate, invoice.dueDate, invoice.openAmount);
        }
      }
      s.clearCredit.run(customerId);
      if (position.unappliedCredit > 0) s.insertCredit.run(customerId, position.unappliedCredit);
      this.kpiSummaries.customerSettled(customerId, customer, { invoices, payments: paymentRows, adjustments: adjustmentRows });
    }
    this.kpiSummaries.finish();
    return this.touched.size;
  }
}

function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(b).every((key) => a[key] === b[key]);
}
