import { AsyncLocalStorage } from "node:async_hooks";

import type SQLite from "better-sqlite3";
import { sql } from "kysely";

import { BatchedInsert, type CopyInto, type Db, copierOf, databaseUrl, deferringWrites, isDatabaseBusy, isPostgres, openLedgerConnection, sqliteConnectionOf } from "~/server/db.server";
import { encodeCopyRows } from "~/server/pg-copy";
import { fromEpochDay, toEpochDay } from "~/kernel/dates";
import {
  type CustomerHistory,
  type CustomerScopeFacts,
  DayDiff,
  SUMMARY_METRICS,
  type SummaryRow,
  type SummaryScope,
  addCustomerFlows,
  addCustomerHistory,
  customerHistorySink,
  mergeSummaryRows,
  scopeId,
  summaryScopesOf,
  zeroValues,
} from "~/features/kpi/summary";
import type { AdjustmentType, IsoDate } from "~/kernel/ledger/types";
import type { PositionHistorySink } from "~/kernel/ledger/position-history";

/**
 * KPI summaries in the database (see app/features/kpi/summary.ts for what they hold).
 *
 * Writing: `KpiSummaryMaintainer` runs inside the writer's transaction on its better-sqlite3
 * connection (the import; a customer change through `changeCustomerKeepingSummaries`; the
 * catch-up). The import tells it which rows it updates (with their values before) and hands it
 * the documents of every re-settled customer; it works out each changed customer's old and new
 * contribution and merges the difference into the stored rows of the scopes concerned.
 * Customers noted by the customers trigger (changed outside these writers) count as before under
 * the noted values; the maintainer moves them too and removes their notes.
 * Reading: small Kysely queries for the request path, each answered from an index.
 */

const METRIC_COLUMNS = SUMMARY_METRICS.join(", ");
/** A scope's rewritten days in one COPY on PostgreSQL (a customer's move rewrites every day since its first document). */
const COPY_SUMMARY_ROWS = `COPY kpi_daily_summaries (scope_id, day, ${METRIC_COLUMNS}) FROM STDIN`;

/** A customer's fields the summaries depend on, as stored. */
export interface SummaryCustomer {
  owner_id: number | null;
  region: string | null;
  credit_grade: string | null;
  credit_limit: number | null;
}

/** One customer's documents as the import's re-settlement reads them (with row ids). */
export interface CustomerDocuments {
  invoices: { id: number; invoice_no: string; issue_date: string; due_date: string; amount: number }[];
  payments: { id: number; date: string; amount: number; invoice_no: string | null }[];
  adjustments: { id: number; date: string; amount: number; type: AdjustmentType; invoice_no: string | null }[];
}

interface InvoiceBefore {
  customer_id: number;
  issue_date: string;
  due_date: string;
  amount: number;
}
interface SettlementBefore {
  customer_id: number;
  date: string;
  amount: number;
  invoice_id: number | null;
  type?: string;
}

interface LedgerBaseline {
  customers: number;
  invoices: number;
  payments: number;
  adjustments: number;
}

function factsOf(customer: SummaryCustomer): CustomerScopeFacts {
  return { ownerId: customer.owner_id, region: customer.region, creditGrade: customer.credit_grade };
}

export class KpiSummaryMaintainer {
  /** The highest row ids before this import: rows above them were added by it. */
  private baseline: LedgerBaseline | null = null;
  private rebuild = false;
  /** Which of the customers noted by the trigger this writer moves: all, or only the listed ones. */
  private pendingScope: "all" | readonly number[] = "all";
  private readonly customersBefore = new Map<number, SummaryCustomer>();
  private readonly invoicesBefore = new Map<number, InvoiceBefore>();
  private readonly paymentsBefore = new Map<number, SettlementBefore>();
  private readonly adjustmentsBefore = new Map<number, SettlementBefore>();
  private beforeByCustomer: Map<number, { invoices: [number, InvoiceBefore][]; payments: [number, SettlementBefore][]; adjustments: [number, SettlementBefore][] }> | null = null;
  private readonly settled = new Set<number>();
  private readonly diffs = new Map<string, { scope: SummaryScope; diff: DayDiff }>();
  private readonly dayNumbers = new Map<string, number>();
  private readonly statements;
  private readonly insertRows: BatchedInsert;
  /** PostgreSQL's COPY (null on SQLite): a scope's rows go in as one piece, not a statement a day. */
  private readonly copy: CopyInto | null;

  constructor(private readonly sqlite: SQLite.Database) {
    this.copy = copierOf(sqlite);
    const s = (text: string) => sqlite.prepare(text);
    this.statements = {
      maxIds: s(`SELECT (SELECT coalesce(max(id), 0) FROM customers) AS customers, (SELECT coalesce(max(id), 0) FROM invoices) AS invoices,
                (SELECT coalesce(max(id), 0) FROM payments) AS payments, (SELECT coalesce(max(id), 0) FROM adjustments) AS adjustments`),
      status: s("SELECT rebuild_needed FROM kpi_summary_status WHERE id = 1"),
      setCurrent: s("INSERT INTO kpi_summary_status (id, rebuild_needed) VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET rebuild_needed = 0"),
      pendingAll: s("SELECT customer_id AS id, owner_id, region, credit_grade, credit_limit FROM kpi_summary_pending_customers ORDER BY customer_id"),
      pendingOne: s("SELECT customer_id AS id, owner_id, region, credit_grade, credit_limit FROM kpi_summary_pending_customers WHERE customer_id = ?"),
      clearPendingAll: s("DELETE FROM kpi_summary_pending_customers"),
      clearPendingOne: s("DELETE FROM kpi_summary_pending_customers WHERE customer_id = ?"),
      customer: s("SELECT owner_id, region, credit_grade, credit_limit FROM customers WHERE id = ?"),
      allCustomers: s("SELECT id, owner_id, region, credit_grade, credit_limit FROM customers ORDER BY id"),
      invoiceNo: s("SELECT invoice_no FROM invoices WHERE id = ?"),
      invoicesOf: s("SELECT id, invoice_no, issue_date, due_date, amount FROM invoices WHERE customer_id = ?"),
      paymentsOf: s(
        "SELECT p.id, p.date, p.amount, i.invoice_no FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id WHERE p.customer_id = ?",
      ),
      adjustmentsOf: s(
        "SELECT a.id, a.date, a.amount, a.type, i.invoice_no FROM adjustments a LEFT JOIN invoices i ON i.id = a.invoice_id WHERE a.customer_id = ?",
      ),
      scopeRow: s("SELECT id FROM kpi_scopes WHERE kind = ? AND key = ?"),
      insertScope: s("INSERT INTO kpi_scopes (kind, key) VALUES (?, ?)"),
      rowBefore: s(`SELECT ${METRIC_COLUMNS} FROM kpi_daily_summaries WHERE scope_id = ? AND day < ? ORDER BY day DESC LIMIT 1`),
      rowsFrom: s(`SELECT day, ${METRIC_COLUMNS} FROM kpi_daily_summaries WHERE scope_id = ? AND day >= ? ORDER BY day`),
      deleteFrom: s("DELETE FROM kpi_daily_summaries WHERE scope_id = ? AND day >= ?"),
      deleteAll: s("DELETE FROM kpi_daily_summaries"),
    };
    this.insertRows = new BatchedInsert(sqlite, "kpi_daily_summaries", ["scope_id", "day", ...SUMMARY_METRICS], 16);
  }

  /** True when the summaries were already marked for a rebuild when `begin` ran. */
  get stale(): boolean {
    return this.rebuild;
  }

  /**
   * Call inside the transaction before the first write. `pending`: the noted customers this writer
   * moves (all of them, or only those it changes itself; the others are left to the catch-up).
   */
  begin(pending: "all" | readonly number[] = "all"): void {
    if (this.baseline) return;
    const s = this.statements;
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    this.baseline = s.maxIds.get() as LedgerBaseline;
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    const status = s.status.get() as { rebuild_needed: number } | undefined;
    this.rebuild = status === undefined || status.rebuild_needed === 1;
    this.pendingScope = pending;
    if (this.rebuild) return;
    // The summaries count a noted customer under its noted values, not under its row's.
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    const noted = (pending === "all" ? s.pendingAll.all() : pending.map((id) => s.pendingOne.get(id)).filter(Boolean)) as (SummaryCustomer & { id: number })[];
    for (const { id, ...counted } of noted) this.customersBefore.set(id, counted);
  }

  /** An existing customer is about to change (the first change that matters keeps the pre-import values). */
  customerUpdated(id: number, before: SummaryCustomer, after: SummaryCustomer): void {
    const matters =
      before.owner_id !== after.owner_id ||
      before.region !== after.region ||
      before.credit_grade !== after.credit_grade ||
      before.credit_limit !== after.credit_limit;
    // begin() sets the baseline before any change is reported
    if (matters && id <= this.baseline!.customers && !this.customersBefore.has(id)) this.customersBefore.set(id, before);
  }

  invoiceUpdated(id: number, before: InvoiceBefore): void {
    // begin() sets the baseline before any change is reported
    if (id <= this.baseline!.invoices && !this.invoicesBefore.has(id)) this.invoicesBefore.set(id, before);
  }

  paymentUpdated(id: number, before: SettlementBefore): void {
    // begin() sets the baseline before any change is reported
    if (id <= this.baseline!.payments && !this.paymentsBefore.has(id)) this.paymentsBefore.set(id, before);
  }

  adjustmentUpdated(id: number, before: SettlementBefore): void {
    // begin() sets the baseline before any change is reported
    if (id <= this.baseline!.adjustments && !this.adjustmentsBefore.has(id)) this.adjustmentsBefore.set(id, before);
  }

  /**
   * A customer whose documents changed. The import's re-settlement sweeps each customer's
   * documents once for several consumers (domain/position-history.ts), so this takes the documents
   * as they are now as the sweep's input (`history`, its credit limit the customer's): it takes
   * away the customer's contribution from before the import (asking for `documents` only then)
   * and returns the sink to sweep `history` into, then `done()`, which adds its running totals;
   * null when it adds nothing. A rebuild counts every customer as it is now: finish() need not
   * read the documents of a settled customer again (it skips them).
   */
  customerSettling(
    customerId: number,
    customer: SummaryCustomer,
    history: CustomerHistory,
    documents: () => CustomerDocuments,
  ): { sink: PositionHistorySink; done(): void } | null {
    if (!this.baseline) return null;
    this.settled.add(customerId);
    if (!this.rebuild && customerId <= this.baseline.customers) {
      const before = this.customersBefore.get(customerId) ?? customer;
      this.add(before, this.documentsBefore(customerId, documents()), -1);
    }
    if (history.invoices.length + history.settlements.length === 0) return null;
    const targets = this.targetsOf(customer);
    return { sink: customerHistorySink(targets, 1), done: () => addCustomerFlows(targets, history, 1) };
  }

  /** After the last write: customers whose owner, region, grade or limit alone changed, then the rows. */
  finish(): void {
    if (!this.baseline) return;
    const s = this.statements;
    if (this.rebuild) {
      s.deleteAll.run();
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      for (const customer of s.allCustomers.all() as (SummaryCustomer & { id: number })[]) {
        if (!this.settled.has(customer.id)) this.add(customer, this.documentsOf(customer.id), 1);
      }
    } else {
      for (const [customerId, before] of this.customersBefore) {
        if (this.settled.has(customerId)) continue;
        const documents = this.documentsOf(customerId);
        this.add(before, documents, -1);
        // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the customer exists
        this.add(s.customer.get(customerId) as SummaryCustomer, documents, 1);
      }
    }
    // A scope's rows are a day each (hundreds per scope and customer moved): on PostgreSQL they
    // are pipelined rather than waited for one by one; none of the writes' counts is read.
    deferringWrites(this.sqlite, () => {
      for (const { scope, diff } of this.diffs.values()) this.writeScope(scope, diff);
      // The notes the trigger made for this writer's own updates go too: those customers are moved.
      if (this.rebuild || this.pendingScope === "all") s.clearPendingAll.run();
      else for (const id of this.pendingScope) s.clearPendingOne.run(id);
      s.setCurrent.run();
    });
  }

  private documentsOf(customerId: number): CustomerDocuments {
    const s = this.statements;
    return {
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      invoices: s.invoicesOf.all(customerId) as CustomerDocuments["invoices"],
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      payments: s.paymentsOf.all(customerId) as CustomerDocuments["payments"],
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      adjustments: s.adjustmentsOf.all(customerId) as CustomerDocuments["adjustments"],
    };
  }

  /** The customer's documents before this import: today's, minus rows it added, with updated rows as they were. */
  private documentsBefore(customerId: number, now: CustomerDocuments): CustomerDocuments {
    // begin() sets the baseline before any change is reported
    const base = this.baseline!;
    const before = this.beforeIndex().get(customerId);
    const invoiceNo = (id: number | null) =>
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the invoice exists
      id === null ? null : (this.statements.invoiceNo.get(id) as { invoice_no: string }).invoice_no;
    return {
      invoices: [
        ...now.invoices.filter((row) => row.id <= base.invoices && !this.invoicesBefore.has(row.id)),
        // invoiceNo answers a number for a number id
        ...(before?.invoices ?? []).map(([id, row]) => ({ id, invoice_no: invoiceNo(id)!, ...row })),
      ],
      payments: [
        ...now.payments.filter((row) => row.id <= base.payments && !this.paymentsBefore.has(row.id)),
        ...(before?.payments ?? []).map(([id, row]) => ({ id, date: row.date, amount: row.amount, invoice_no: invoiceNo(row.invoice_id) })),
      ],
      adjustments: [
        ...now.adjustments.filter((row) => row.id <= base.adjustments && !this.adjustmentsBefore.has(row.id)),
        ...(before?.adjustments ?? []).map(([id, row]) => ({
          id,
          date: row.date,
          amount: row.amount,
          // a CHECK constraint admits only these values
          type: row.type as AdjustmentType,
          invoice_no: invoiceNo(row.invoice_id),
        })),
      ],
    };
  }

  /** Updated rows grouped by the customer they belonged to before the import. */
  private beforeIndex() {
    if (!this.beforeByCustomer) {
      const index = (this.beforeByCustomer = new Map());
      const of = (customerId: number) => {
        let entry = index.get(customerId);
        if (!entry) index.set(customerId, (entry = { invoices: [], payments: [], adjustments: [] }));
        return entry;
      };
      for (const [id, row] of this.invoicesBefore) of(row.customer_id).invoices.push([id, row]);
      for (const [id, row] of this.paymentsBefore) of(row.customer_id).payments.push([id, row]);
      for (const [id, row] of this.adjustmentsBefore) of(row.customer_id).adjustments.push([id, row]);
    }
    return this.beforeByCustomer;
  }

  private day(text: string): number {
    let day = this.dayNumbers.get(text);
    if (day === undefined) this.dayNumbers.set(text, (day = toEpochDay(text)));
    return day;
  }

  /** The differences of the scopes the customer counts in. */
  private targetsOf(customer: SummaryCustomer): DayDiff[] {
    return summaryScopesOf(factsOf(customer)).map((scope) => {
      const id = scopeId(scope);
      let entry = this.diffs.get(id);
      if (!entry) this.diffs.set(id, (entry = { scope, diff: new DayDiff() }));
      return entry.diff;
    });
  }

  private add(customer: SummaryCustomer, documents: CustomerDocuments, sign: 1 | -1): void {
    if (documents.invoices.length + documents.payments.length + documents.adjustments.length === 0) return;
    const targets = this.targetsOf(customer);
    const history: CustomerHistory = {
      invoices: documents.invoices.map((row) => ({
        invoiceNo: row.invoice_no,
        issueDay: this.day(row.issue_date),
        dueDay: this.day(row.due_date),
        amount: row.amount,
      })),
      settlements: [
        ...documents.payments.map((row) => ({
          day: this.day(row.date),
          amount: row.amount,
          invoiceNo: row.invoice_no,
          kind: "payment" as const,
        })),
        ...documents.adjustments.map((row) => ({
          day: this.day(row.date),
          amount: row.amount,
          invoiceNo: row.invoice_no,
          kind: row.type,
        })),
      ],
      creditLimit: customer.credit_limit,
    };
    addCustomerHistory(targets, history, sign);
  }

  private writeScope(scope: SummaryScope, diff: DayDiff): void {
    const changes = diff.changes();
    const firstChange = changes[0];
    if (!firstChange) return;
    const s = this.statements;
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
    const row = s.scopeRow.get(scope.kind, scope.key) as { id: number } | undefined;
    const id = row?.id ?? Number(s.insertScope.run(scope.kind, scope.key).lastInsertRowid);
    const first = fromEpochDay(firstChange.day);
    const valuesOf = (stored: Record<string, number>) => SUMMARY_METRICS.map((metric) => stored[metric] ?? 0);
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (the metric columns, all numbers)
    const baseRow = s.rowBefore.get(id, first) as Record<string, number> | undefined;
    // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns (the metric columns, all numbers)
    const stored: SummaryRow[] = (s.rowsFrom.all(id, first) as (Record<string, number> & { day: string })[]).map((r) => ({
      day: this.day(r.day),
      values: valuesOf(r),
    }));
    const merged = mergeSummaryRows(baseRow ? valuesOf(baseRow) : zeroValues(), stored, changes);
    s.deleteFrom.run(id, first);
    if (this.copy) {
      // A statement per day would be a round trip each (thousands for every customer a credit review moves).
      if (merged.length > 0) this.copy(COPY_SUMMARY_ROWS, encodeCopyRows(merged.map(({ day, values }) => [id, fromEpochDay(day), ...values])));
    } else {
      // A scope's rows in multi-row INSERTs (an import writes tens of thousands), all in before the next scope is read.
      const insert = this.insertRows;
      for (const { day, values } of merged) insert.add(id, fromEpochDay(day), ...values);
      insert.flush();
    }
  }
}

/**
 * Runs `write`, which changes one customer's owner, region, grade or limit outside an import,
 * and moves that customer's contribution in the KPI summaries to the new scope and limit in the
 * same transaction, so they stay current. Call inside a transaction on `sqlite`'s connection
 * (`sqliteConnectionOf` of the root database). While the summaries are not built at all, there is
 * nothing to move: the rebuild counts the customer as it is then.
 */
export async function changeCustomerKeepingSummaries(sqlite: SQLite.Database, customerId: number, write: () => Promise<void>): Promise<void> {
  if (!sqlite.inTransaction) throw new Error("changeCustomerKeepingSummaries runs inside the writer's transaction");
  const maintainer = new KpiSummaryMaintainer(sqlite);
  maintainer.begin([customerId]);
  if (maintainer.stale) return write();
  // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
  const before = sqlite.prepare("SELECT owner_id, region, credit_grade, credit_limit FROM customers WHERE id = ?").get(customerId) as SummaryCustomer | undefined;
  await write();
  if (!before) return;
  // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns; the customer exists
  const after = sqlite.prepare("SELECT owner_id, region, credit_grade, credit_limit FROM customers WHERE id = ?").get(customerId) as SummaryCustomer;
  maintainer.customerUpdated(customerId, before, after);
  maintainer.finish();
}

/**
 * Rebuilds every scope's summaries from the whole ledger in one transaction (what the next import
 * does anyway while they are stale): for a database imported before the summaries existed.
 */
export function rebuildKpiSummaries(sqlite: SQLite.Database): void {
  sqlite.transaction(() => {
    sqlite.prepare("UPDATE kpi_summary_status SET rebuild_needed = 1").run();
    const maintainer = new KpiSummaryMaintainer(sqlite);
    maintainer.begin();
    maintainer.finish();
  })();
}

export type KpiSummaryCatchUp = { done: "nothing" } | { done: "rebuilt" } | { done: "moved"; customers: number };

/**
 * Brings the summaries up to date in one write transaction: builds them when they were never
 * built, otherwise moves the customers the trigger noted. Runs in the background job
 * (`kpi-summary-keeper.server.ts`) and at `npm start` / `npm run db:migrate`; a second run finds
 * nothing left to do (the first thing it reads is under the write lock).
 */
export function catchUpKpiSummaries(sqlite: SQLite.Database): KpiSummaryCatchUp {
  return sqlite
    .transaction((): KpiSummaryCatchUp => {
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      const status = sqlite.prepare("SELECT rebuild_needed FROM kpi_summary_status WHERE id = 1").get() as { rebuild_needed: number } | undefined;
      // better-sqlite3 types rows as unknown; the statement's SELECT names exactly these columns
      const noted = (sqlite.prepare("SELECT count(*) AS n FROM kpi_summary_pending_customers").get() as { n: number }).n;
      const unbuilt = status === undefined || status.rebuild_needed === 1;
      if (!unbuilt && noted === 0) return { done: "nothing" };
      const maintainer = new KpiSummaryMaintainer(sqlite);
      maintainer.begin("all");
      maintainer.finish();
      return unbuilt ? { done: "rebuilt" } : { done: "moved", customers: noted };
    })
    .immediate();
}

/**
 * On PostgreSQL, after a transaction that changed customers' owner, region, grade or limit
 * (`changeCustomerKeepingSummaries` there only lets the trigger note them: the maintainer works
 * on a connection of its own, which cannot see the uncommitted change): moves the noted customers
 * now. Until then, and when an import holds the ledger (left to the background job), the
 * summaries count them as they were. Nothing to do on SQLite, where the move was in the transaction.
 */
export function moveNotedCustomers(db: Db, target = databaseUrl()): void {
  if (!isPostgres(db)) return;
  const batch = movesPutOff.getStore();
  if (batch) {
    batch.targets.add(target);
    return;
  }
  const connection = openLedgerConnection(target, { busyTimeoutMs: 200 });
  try {
    catchUpKpiSummaries(connection);
  } catch (error) {
    if (!isDatabaseBusy(error)) throw error;
  } finally {
    connection.close();
  }
}

/** Inside `movingNotedCustomersOnce`: the moves asked for, put off to its end. */
const movesPutOff = new AsyncLocalStorage<{ targets: Set<string>; sqlite: boolean }>();

/**
 * Runs `work`, many changes of customers one after the other (the demo's credit reviews), with
 * their moves in the KPI summaries put off to its end: one move of every noted customer instead of
 * one each (on PostgreSQL each is a connection of its own, on both a rewrite of every day of the
 * customer's scopes). The summaries end as they would have; meanwhile they count the noted
 * customers as they were (the trigger notes each change).
 */
export async function movingNotedCustomersOnce<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (movesPutOff.getStore()) return work();
  const batch = { targets: new Set<string>(), sqlite: false };
  let result: T;
  try {
    result = await movesPutOff.run(batch, work);
  } catch (error) {
    // What was committed before the failure is moved all the same; work's own error is the one to tell.
    try {
      movePutOff(db, batch);
    } catch {
      // left to the background job
    }
    throw error;
  }
  movePutOff(db, batch);
  return result;
}

function movePutOff(db: Db, batch: { targets: Set<string>; sqlite: boolean }): void {
  for (const target of batch.targets) moveNotedCustomers(db, target);
  const sqlite = batch.sqlite ? sqliteConnectionOf(db) : null;
  if (!sqlite) return;
  try {
    catchUpKpiSummaries(sqlite);
  } catch (error) {
    // Left to the background job, as a change made outside the app is.
    if (!isDatabaseBusy(error)) throw error;
  }
}

/**
 * True inside `movingNotedCustomersOnce` on SQLite: the caller then only writes the customer (the
 * trigger notes it) instead of moving it in its own transaction, and the move comes at the end.
 */
export function summaryMovePutOff(): boolean {
  const batch = movesPutOff.getStore();
  if (batch) batch.sqlite = true;
  return batch !== undefined;
}

// ---------------------------------------------------------------- the request path

/**
 * True once the summaries are built for the ledger: requests read them, also while some customers
 * changed outside the app wait for the catch-up (those are counted as they were until then).
 */
export async function summariesAreBuilt(db: Db): Promise<boolean> {
  const row = await db.selectFrom("kpi_summary_status").select("rebuild_needed").where("id", "=", 1).executeTakeFirst();
  return row?.rebuild_needed === 0;
}

/** Built, and no customer waits for the catch-up: the summaries equal a rebuild. */
export async function summariesAreCurrent(db: Db): Promise<boolean> {
  if (!(await summariesAreBuilt(db))) return false;
  const noted = await db.selectFrom("kpi_summary_pending_customers").select("customer_id").limit(1).executeTakeFirst();
  return noted === undefined;
}

/** The stored scope's id; null when no document has ever counted in it (all its values are 0). */
export async function summaryScopeRowId(db: Db, scope: SummaryScope): Promise<number | null> {
  const row = await db
    .selectFrom("kpi_scopes")
    .select("id")
    .where("kind", "=", scope.kind)
    .where("key", "=", scope.key)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The values in force at the end of each asked day: the latest row on or before it (zeros
 * before the first). One statement: per asked day, one index seek for the day and one for the row.
 */
export async function summaryValuesOn(db: Db, scopeRowId: number | null, days: readonly IsoDate[]): Promise<Map<IsoDate, number[]>> {
  const result = new Map<IsoDate, number[]>(days.map((day) => [day, zeroValues()]));
  if (scopeRowId === null || days.length === 0) return result;
  const asked = sql.join(days.map((day) => sql`(${day})`));
  const rows = await sql<Record<string, number | string | null>>`
    WITH asked (day) AS (VALUES ${asked})
    SELECT asked.day AS asked_day, ${sql.join(SUMMARY_METRICS.map((m) => sql.ref(`s.${m}`)))}
    FROM asked
    JOIN kpi_daily_summaries s ON s.scope_id = ${scopeRowId} AND s.day = (
      SELECT max(m.day) FROM kpi_daily_summaries m WHERE m.scope_id = ${scopeRowId} AND m.day <= asked.day)`.execute(db);
  for (const row of rows.rows) {
    // the asked days are the ISO dates passed in
    result.set(row.asked_day as IsoDate, SUMMARY_METRICS.map((metric) => Number(row[metric])));
  }
  return result;
}

/** The user id of an owner's email; null when no user has it. */
export async function ownerIdByEmail(db: Db, email: string): Promise<number | null> {
  const row = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  return row?.id ?? null;
}

/** Whether any customer has this region or credit grade (a scope naming none is unknown). */
export async function customersExistWith(db: Db, field: "region" | "credit_grade", value: string): Promise<boolean> {
  const row = await db.selectFrom("customers").select("id").where(field, "=", value).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function customerIdByCode(db: Db, code: string): Promise<number | null> {
  const row = await db.selectFrom("customers").select("id").where("code", "=", code).executeTakeFirst();
  return row?.id ?? null;
}
