import SQLite from "better-sqlite3";
import { CompiledQuery } from "kysely";

import { BatchedInsert, type Db, databasePath, databaseUrl, isDatabaseBusy, isPostgres, openLedgerConnection, sqliteConnectionOf } from "~/server/db.server";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { fromEpochDay, toEpochDay } from "~/kernel/dates";
import { AGING_BUCKETS, emptyAging } from "~/features/kpi";
import type { LedgerScope } from "~/kernel/ledger/scope";
import { type HistoryInvoice, type HistorySettlement, type PositionHistorySink, sweepPositionHistory } from "~/kernel/ledger/position-history";
import { type PageInfo, type SortDirection, pageInfo } from "~/kernel/paging";
import { ProvisionPositionsWriter } from "~/features/provisions/index.server";
import { type HistoryCollection, RUN_VALUES, type StatusHistoryArrays, statusHistoryCollector } from "~/features/status-table/positions";
import {
  type StatusFilters,
  type StatusMonth,
  type StatusRow,
  type StatusSort,
  type StatusTotals,
  agingDueEdges,
  otherMovements,
} from "~/features/status-table/status-table";

/**
 * The status table's SQL. Balances and aging at month ends come from `status_positions` (one row
 * per customer and month end, see migration 2026-11-23-09 and domain/status-table-positions.ts),
 * which the import keeps for every customer it touches (StatusPositionsWriter; the triggers' stale
 * marks cover other writers and are re-settled by the background job, status-keeper.server.ts;
 * reads never write). The month in progress is worked out once a day into `status_day_positions`
 * (migration 2026-11-23-16; by the import for its today, else by the background job) from `open_items` (every document counted: exact
 * as of today for every customer without documents dated after today) and, for the customers with
 * later documents, their open runs on today's date (`status_open_runs`), billed and collected
 * summed from the month's documents through the date indexes; the same live query serves when
 * the cache cannot be built (an import holds the write lock).
 *
 * The row query is one statement: filters, sort and paging in SQL (the totals ride along as
 * window sums), so the page reads 100 rows and an export iterates it row by row. Written for
 * SQLite; the positional parameters and CASE expressions carry over to Postgres.
 */

/**
 * The row query's text is built with SQLite's `?` parameters; PostgreSQL numbers them ($1, $2, ...).
 * None of the texts here has a `?` inside a quoted literal.
 */
function rawQuery(db: Db, text: string, params: readonly unknown[]): CompiledQuery {
  if (!isPostgres(db)) return CompiledQuery.raw(text, [...params]);
  let n = 0;
  return CompiledQuery.raw(text.replace(/\?/g, () => `$${++n}`), [...params]);
}

// ---------------------------------------------------------------- keeping the positions current

const CHUNK = 1000;
/** `to_day` of a run still open. */
const STILL_OPEN = "9999-12-31";
const AGING_COLUMNS = AGING_BUCKETS.map((bucket) => `aging_${bucket}`);
const BUCKETS = AGING_BUCKETS.length;
/** Open runs per multi-row INSERT (RUN_PARAMETERS each). */
const RUN_PARAMETERS = 6;
const RUN_BATCH = 64;
/** Month-end positions per multi-row INSERT, and the parameters of one. */
const POSITION_BATCH = 32;
const POSITION_PARAMETERS = 5 + AGING_COLUMNS.length;

/** Half a minute: an import usually lets go of the write lock by then. */
const BUSY_RETRY_SECONDS = 30;

/**
 * The refusal while an import holds the write lock: the positions are brought up to date once the
 * import has finished. A 503 a client may retry after `params.seconds`.
 */
export function ledgerBusy(messageKey = "errors.ledgerBusy", fieldErrors?: FieldErrors): AppError {
  return new AppError("busy", messageKey, { params: { seconds: BUSY_RETRY_SECONDS }, ...(fieldErrors ? { fieldErrors } : {}) });
}

export function isLedgerBusy(error: unknown): error is AppError {
  return error instanceof AppError && error.code === "busy";
}

/** One customer's documents, in the shapes the import's re-settlement already holds. */
export interface StatusCustomerDocuments {
  invoices: readonly { invoice_no: string; issue_date: string; due_date: string; amount: number }[];
  payments: readonly { date: string; amount: number; invoice_no: string | null }[];
  adjustments: readonly { date: string; amount: number; type: string; invoice_no: string | null }[];
}

/**
 * Rewrites the month-end positions, open runs and latest document date of each customer handed
 * to it, inside the caller's write transaction: the import hands it every customer it re-settles
 * (so no request has to), the background refresh the customers the triggers marked. `finish()`
 * clears those customers' stale marks and the month-in-progress cache (`status_day_positions`),
 * which the caller may then rebuild (`buildStatusDay`). Each customer at most once per writer: its
 * rows are cleared when it begins and queued for multi-row INSERTs.
 */
export class StatusPositionsWriter {
  private readonly written: number[] = [];
  /** The customers begun: a second begin would queue its rows again (the tables have no key to refuse them). */
  private readonly begun = new Set<number>();
  /** Whether the tables held any rows when this writer began: a first import need clear nothing. */
  private readonly clearing: { positions: boolean; runs: boolean; dates: boolean };
  private readonly epochDays = new Map<string, number>();
  private readonly isoDays = new Map<number, string>();
  private readonly pendingRuns: (number | string)[] = [];
  /** Month-end positions waiting for their multi-row insert, POSITION_PARAMETERS values each (reused). */
  private readonly pendingPositions: (number | string)[] = [];
  private readonly statements;
  /** The bad-debt provision inputs come from the same sweep of the same customers. */
  private readonly provisions: ProvisionPositionsWriter;
  /** Each customer's latest document date, in multi-row INSERTs. */
  private readonly dates: BatchedInsert;

  constructor(private readonly sqlite: SQLite.Database) {
    this.provisions = new ProvisionPositionsWriter(sqlite);
    const s = (text: string) => sqlite.prepare(text);
    this.statements = {
      clearPositions: s("DELETE FROM status_positions WHERE customer_id = ?"),
      clearRuns: s("DELETE FROM status_open_runs WHERE customer_id = ?"),
      clearDate: s("DELETE FROM status_customer_dates WHERE customer_id = ?"),
      insertRun: s("INSERT INTO status_open_runs (customer_id, to_day, from_day, due_date, open_amount, issue_date) VALUES (?, ?, ?, ?, ?, ?)"),
      insertRuns: s(
        `INSERT INTO status_open_runs (customer_id, to_day, from_day, due_date, open_amount, issue_date) VALUES ${Array(RUN_BATCH).fill("(?, ?, ?, ?, ?, ?)").join(", ")}`,
      ),
      insertPosition: s(
        `INSERT INTO status_positions (customer_id, month_end, ar_total, ${AGING_COLUMNS.join(", ")}, billed, collected)
         VALUES (?, ?, ?, ${AGING_COLUMNS.map(() => "?").join(", ")}, ?, ?)`,
      ),
      insertPositions: s(
        `INSERT INTO status_positions (customer_id, month_end, ar_total, ${AGING_COLUMNS.join(", ")}, billed, collected)
         VALUES ${Array(POSITION_BATCH).fill(`(?, ?, ?, ${AGING_COLUMNS.map(() => "?").join(", ")}, ?, ?)`).join(", ")}`,
      ),
      clearStale: s("DELETE FROM status_stale_customers WHERE customer_id IN (SELECT value FROM json_each(?))"),
    };
    this.dates = new BatchedInsert(sqlite, "status_customer_dates", ["customer_id", "last_document_date"]);
    const any = (table: string) => sqlite.prepare(`SELECT 1 FROM ${table} LIMIT 1`).pluck().get() !== undefined;
    this.clearing = { positions: any("status_positions"), runs: any("status_open_runs"), dates: any("status_customer_dates") };
  }

  private day(text: string): number {
    let day = this.epochDays.get(text);
    if (day === undefined) this.epochDays.set(text, (day = toEpochDay(text)));
    return day;
  }

  private iso(day: number): string {
    if (day === Infinity) return STILL_OPEN;
    let text = this.isoDays.get(day);
    if (text === undefined) this.isoDays.set(day, (text = fromEpochDay(day)));
    return text;
  }

  /** Replaces one customer's rows, worked out from all its documents as they are now. */
  write(customerId: number, documents: StatusCustomerDocuments): void {
    const invoices: HistoryInvoice[] = documents.invoices.map((invoice) => ({
      invoiceNo: invoice.invoice_no,
      issueDay: this.day(invoice.issue_date),
      dueDay: this.day(invoice.due_date),
      amount: Number(invoice.amount),
    }));
    const settlements: HistorySettlement[] = [];
    const collections: HistoryCollection[] = [];
    const settle = (document: { date: string; amount: number; invoice_no: string | null; type?: string }, collection: boolean) => {
      const entry = { day: this.day(document.date), amount: Number(document.amount), invoiceNo: document.invoice_no, kind: document.type ?? "payment" };
      settlements.push(entry);
      if (collection) collections.push(entry);
    };
    for (const payment of documents.payments) settle(payment, true);
    for (const adjustment of documents.adjustments) settle(adjustment, adjustment.type === "offset");
    const writing = this.begin(customerId, invoices, settlements, collections);
    if (!writing) return;
    sweepPositionHistory(invoices, settlements, null, writing.sink);
    writing.done();
  }

  /**
   * `write` for a caller that sweeps the customer's documents itself, once for several consumers
   * (the import's re-settlement): clears the customer's rows and returns the sink to sweep
   * `invoices` and `settlements` into (with any credit limit), then `done()`, which writes the new
   * rows. `collections`: the payments and offsets among the settlements. Null when it has no documents.
   */
  begin(
    customerId: number,
    invoices: readonly HistoryInvoice[],
    settlements: readonly HistorySettlement[],
    collections: readonly HistoryCollection[],
  ): { sink: PositionHistorySink; done(): void } | null {
    const s = this.statements;
    if (this.begun.has(customerId)) throw new Error(`StatusPositionsWriter: customer ${customerId} handed over twice`);
    this.begun.add(customerId);
    this.written.push(customerId);
    if (this.clearing.positions) s.clearPositions.run(customerId);
    if (this.clearing.runs) s.clearRuns.run(customerId);
    if (this.clearing.dates) s.clearDate.run(customerId);
    // Cleared even when the customer has no documents left.
    const provisions = this.provisions.begin(customerId, invoices, settlements);
    let lastDay = -Infinity;
    for (const invoice of invoices) if (invoice.issueDay > lastDay) lastDay = invoice.issueDay;
    for (const settlement of settlements) if (settlement.day > lastDay) lastDay = settlement.day;
    if (lastDay === -Infinity) return null;
    this.dates.add(customerId, this.iso(lastDay));
    const collector = statusHistoryCollector(invoices, settlements, collections);
    if (!provisions) return { sink: collector.sink, done: () => this.writeHistory(customerId, collector.arrays()) };
    const sink: PositionHistorySink = {
      openRun(invoice, from, to, openAmount) {
        collector.sink.openRun(invoice, from, to, openAmount);
        provisions.sink.openRun(invoice, from, to, openAmount);
      },
      unappliedRun: collector.sink.unappliedRun,
      overdueRun: collector.sink.overdueRun,
      overLimitRun: collector.sink.overLimitRun,
    };
    return {
      sink,
      done: () => {
        this.writeHistory(customerId, collector.arrays());
        provisions.done();
      },
    };
  }

  private writeHistory(customerId: number, history: StatusHistoryArrays): void {
    const s = this.statements;
    const positions = this.pendingPositions;
    const { ends, sums, billed, collected, runs } = history;
    // Straight from the sweep's arrays (see StatusHistoryArrays): no object per month end.
    for (let i = 0; i < ends.length; i += 1) {
      const from = i * BUCKETS;
      let arTotal = 0;
      // from + b < (i + 1) * BUCKETS <= sums.length
      for (let b = 0; b < BUCKETS; b += 1) arTotal += sums[from + b]!;
      // i < ends.length, the length of ends, billed and collected
      positions.push(customerId, this.iso(ends[i]!), arTotal);
      // as above
      for (let b = 0; b < BUCKETS; b += 1) positions.push(sums[from + b]!);
      // as above
      positions.push(billed[i]!, collected[i]!);
      if (positions.length === POSITION_BATCH * POSITION_PARAMETERS) {
        s.insertPositions.run(positions);
        positions.length = 0;
      }
    }
    // In index order (customer, to_day, from_day, ...): a bulk load appends to the index. Equal
    // runs keep the sweep's order.
    const order = Int32Array.from({ length: runs.length / RUN_VALUES }, (_, i) => i * RUN_VALUES);
    // every index in order is a run's first value, so a + 2 and b + 2 are within runs
    order.sort((a, b) => runs[a + 1]! - runs[b + 1]! || runs[a]! - runs[b]! || runs[a + 2]! - runs[b + 2]! || a - b);
    const pending = this.pendingRuns;
    for (const r of order) {
      // as above: r + 4 < runs.length (fromDay, toDay, dueDay, issueDay, openAmount)
      pending.push(customerId, this.iso(runs[r + 1]!), this.iso(runs[r]!), this.iso(runs[r + 2]!), runs[r + 4]!, this.iso(runs[r + 3]!));
      if (pending.length === RUN_BATCH * RUN_PARAMETERS) this.flushRuns();
    }
  }

  private flushPositions(): void {
    const pending = this.pendingPositions;
    for (let i = 0; i < pending.length; i += POSITION_PARAMETERS) this.statements.insertPosition.run(pending.slice(i, i + POSITION_PARAMETERS));
    pending.length = 0;
  }

  private flushRuns(): void {
    const pending = this.pendingRuns;
    if (pending.length === RUN_BATCH * RUN_PARAMETERS) this.statements.insertRuns.run(pending);
    else for (let i = 0; i < pending.length; i += RUN_PARAMETERS) this.statements.insertRun.run(pending.slice(i, i + RUN_PARAMETERS));
    pending.length = 0;
  }

  /** After the last customer: the rows written, the marks cleared, the day cache dropped. How many customers. */
  finish(): number {
    this.flushPositions();
    this.flushRuns();
    this.dates.flush();
    this.provisions.finish();
    if (this.written.length === 0) return 0;
    for (let i = 0; i < this.written.length; i += CHUNK) {
      this.statements.clearStale.run(JSON.stringify(this.written.slice(i, i + CHUNK)));
    }
    clearStatusDay(this.sqlite);
    return this.written.length;
  }
}

/** The triggers that mark customers stale when their documents change (migration 2026-11-23-09). */
const STALE_TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_status_stale_*' ORDER BY name";

/**
 * Drops the stale-marking triggers inside the caller's write transaction and returns the
 * statements that create them again (run them before committing): a bulk import re-settles the
 * positions of every customer it touches itself, so marking them row by row is wasted work. DDL
 * is transactional: a rejected or killed import leaves the triggers as they were, and other
 * connections never see them missing.
 */
export function suspendStaleTriggers(sqlite: SQLite.Database): string[] {
  // better-sqlite3 types rows as unknown; the SELECT above names exactly these columns
  const triggers = sqlite.prepare(STALE_TRIGGERS).all() as { name: string; sql: string }[];
  for (const trigger of triggers) sqlite.exec(`DROP TRIGGER "${trigger.name.replaceAll('"', '""')}"`);
  return triggers.map((trigger) => trigger.sql);
}

function groupBy<T extends { customer_id: number }>(rows: T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.customer_id);
    if (group) group.push(row);
    else groups.set(row.customer_id, [row]);
  }
  return groups;
}

/** Re-settles one chunk of stale customers inside the caller's write transaction; how many it did. */
function refreshChunk(sqlite: SQLite.Database): number {
  // better-sqlite3 types rows as unknown; the SELECT above names exactly these columns (customer_id, plucked)
  const ids = sqlite
    .prepare("SELECT customer_id FROM status_stale_customers ORDER BY customer_id LIMIT ?")
    .pluck()
    .all(CHUNK) as number[];
  if (ids.length === 0) return 0;
  const idList = JSON.stringify(ids);
  const inChunk = "IN (SELECT value FROM json_each(?))";
  type Row<T> = T & { customer_id: number };
  // better-sqlite3 types rows as unknown; the SELECT above names exactly these columns
  const invoices = groupBy(
    sqlite
      .prepare(`SELECT customer_id, invoice_no, issue_date, due_date, amount FROM invoices WHERE customer_id ${inChunk}`)
      .all(idList) as Row<StatusCustomerDocuments["invoices"][number]>[],
  );
  // better-sqlite3 types rows as unknown; the SELECT above names exactly these columns
  const payments = groupBy(
    sqlite
      .prepare(
        `SELECT p.customer_id, p.date, p.amount, i.invoice_no FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id
         WHERE p.customer_id ${inChunk}`,
      )
      .all(idList) as Row<StatusCustomerDocuments["payments"][number]>[],
  );
  // better-sqlite3 types rows as unknown; the SELECT above names exactly these columns
  const adjustments = groupBy(
    sqlite
      .prepare(
        `SELECT a.customer_id, a.date, a.amount, a.type, i.invoice_no FROM adjustments a LEFT JOIN invoices i ON i.id = a.invoice_id
         WHERE a.customer_id ${inChunk}`,
      )
      .all(idList) as Row<StatusCustomerDocuments["adjustments"][number]>[],
  );
  const writer = new StatusPositionsWriter(sqlite);
  for (const id of ids) {
    writer.write(id, { invoices: invoices.get(id) ?? [], payments: payments.get(id) ?? [], adjustments: adjustments.get(id) ?? [] });
  }
  return writer.finish();
}

/**
 * Brings `status_positions` up to date for every customer whose documents changed since (listed by
 * the triggers). Each chunk is read and written in one immediate transaction, so an import cannot
 * commit between reading a customer's documents and clearing its mark. Returns the customers done.
 * Throws `ledgerBusy()` (AppError busy) while an import holds the write lock.
 */
export function refreshStatusPositions(target = databaseUrl()): number {
  const sqlite = openLedgerConnection(target, { busyTimeoutMs: 200 });
  try {
    let done = 0;
    const step = sqlite.transaction(() => refreshChunk(sqlite));
    for (;;) {
      const count = step.immediate();
      done += count;
      if (count < CHUNK) return done;
    }
  } catch (error) {
    if (isDatabaseBusy(error)) throw ledgerBusy();
    throw error;
  } finally {
    sqlite.close();
  }
}

/** Whether some customer's documents changed since its positions were written (one index probe). */
export async function statusPositionsBehind(db: Db): Promise<boolean> {
  const stale = await db.executeQuery(CompiledQuery.raw("SELECT 1 AS stale FROM status_stale_customers LIMIT 1", []));
  return stale.rows.length > 0;
}

/**
 * Brings the positions up to date when some customer changed: for commands and the background
 * job (status-keeper.server.ts), never for a read.
 */
export async function ensureStatusPositions(db: Db): Promise<number> {
  return (await statusPositionsBehind(db)) ? refreshStatusPositions() : 0;
}

// ---------------------------------------------------------------- the month in progress, once a day

/** Forgets the month-in-progress cache (inside the caller's transaction). */
export function clearStatusDay(sqlite: SQLite.Database): void {
  sqlite.prepare("DELETE FROM status_day_state").run();
  sqlite.prepare("DELETE FROM status_day_positions").run();
}

/**
 * Works out every customer's position at the end of `month.closingDate` and what it was billed and
 * collected from `month.start`, the way the live row query does, and keeps them in
 * `status_day_positions` (inside the caller's write transaction; the month must be in progress).
 */
export function buildStatusDay(sqlite: SQLite.Database, month: Pick<StatusMonth, "start" | "closingDate">): void {
  clearStatusDay(sqlite);
  const live = monthToDateSql(month, []);
  sqlite
    .prepare(
      `WITH ${live.ctes.join(",\n")}
       INSERT INTO status_day_positions (customer_id, ar_total, ${AGING_COLUMNS.join(", ")}, billed, collected)
       SELECT c.id, coalesce(cl.ar_total, 0), ${AGING_COLUMNS.map((column) => `coalesce(cl.${column}, 0)`).join(", ")},
         ${live.billed}, ${live.collected}
       FROM customers c ${live.joins}
       WHERE cl.customer_id IS NOT NULL OR b.customer_id IS NOT NULL OR k.customer_id IS NOT NULL`,
    )
    .run(...live.params);
  sqlite.prepare("INSERT INTO status_day_state (id, day, month_start) VALUES (1, ?, ?)").run(month.closingDate, month.start);
}

/** True when the cache holds this month in progress (one primary-key probe). */
export async function statusDayCached(db: Db, month: StatusMonth): Promise<boolean> {
  const row = await db.executeQuery(
    rawQuery(db, "SELECT 1 AS ok FROM status_day_state WHERE id = 1 AND day = ? AND month_start = ?", [month.closingDate, month.start]),
  );
  return row.rows.length > 0;
}

/**
 * Builds the cache for this month in progress when it is missing (the background job, once a
 * day; the import builds it for its own today). False when it cannot be built now (an import
 * holds the write lock): reads meanwhile work the month out live.
 */
export async function rebuildStatusDay(db: Db, month: StatusMonth, target = databaseUrl()): Promise<boolean> {
  if (!month.toDate) return false;
  if (await statusDayCached(db, month)) return true;
  let sqlite: SQLite.Database | null = null;
  try {
    sqlite = openLedgerConnection(target, { busyTimeoutMs: 100 });
    const connection = sqlite;
    connection.transaction(() => buildStatusDay(connection, month)).immediate();
    return true;
  } catch (error) {
    if (isDatabaseBusy(error)) return false;
    throw error;
  } finally {
    sqlite?.close();
  }
}

// ---------------------------------------------------------------- the row query

export interface StatusQuerySpec {
  month: StatusMonth;
  scope: LedgerScope;
  filters: StatusFilters;
}

interface SqlText {
  text: string;
  params: unknown[];
}

const SORT_EXPRESSIONS: Record<StatusSort, string> = {
  code: "code",
  name: "name",
  creditLimit: "coalesce(credit_limit, 0)",
  opening: "opening",
  billed: "billed",
  collected: "collected",
  otherMovements: "closing - opening - billed + collected",
  closing: "closing",
  overdue: "overdue",
  aging_current: "aging_current",
  aging_1_30: "aging_1_30",
  aging_31_60: "aging_31_60",
  aging_61_90: "aging_61_90",
  aging_91_180: "aging_91_180",
  aging_181_365: "aging_181_365",
  aging_over_365: "aging_over_365",
  overdueChange: "overdue_change",
};

const latestPosition = (alias: string, date: string) =>
  `${alias}.customer_id = c.id AND ${alias}.month_end = (SELECT max(q.month_end) FROM status_positions q WHERE q.customer_id = c.id AND q.month_end <= ${date})`;

/**
 * The month in progress worked out live: billed and collected from the month's documents through
 * the date indexes, the position at its closing date (today) from `open_items` (every document
 * counted: exact for every customer without documents dated after today) and, for the customers
 * with later documents, from their open runs covering today. `cl`, `b` and `k` are joined.
 */
function monthToDateSql(month: Pick<StatusMonth, "start" | "closingDate">, params: unknown[]) {
  const p = (value: unknown) => {
    params.push(value);
    return "?";
  };
  const ctes: string[] = [];
  ctes.push(`billed AS (SELECT customer_id, sum(amount) AS amount FROM invoices
      WHERE issue_date >= ${p(month.start)} AND issue_date <= ${p(month.closingDate)} GROUP BY customer_id)`);
  ctes.push(`collected AS (SELECT customer_id, sum(amount) AS amount FROM (
        SELECT customer_id, amount FROM payments WHERE date >= ${p(month.start)} AND date <= ${p(month.closingDate)}
        UNION ALL
        SELECT customer_id, amount FROM adjustments WHERE type = 'offset' AND date >= ${p(month.start)} AND date <= ${p(month.closingDate)}
      ) AS month_collections GROUP BY customer_id)`);
  const T = month.closingDate;
  ctes.push(`later AS (SELECT customer_id FROM status_customer_dates WHERE last_document_date > ${p(T)})`);
  const edges = agingDueEdges(T);
  const bucketSums = (amount: string) => [
    `sum(CASE WHEN due_date >= ${p(T)} THEN ${amount} ELSE 0 END) AS aging_current`,
    ...AGING_BUCKETS.filter((b) => b !== "current").map((bucket) => {
      // the filter above removed "current"
      const edge = edges[bucket as Exclude<typeof bucket, "current">];
      return `sum(CASE WHEN due_date >= ${p(edge.from)} AND due_date <= ${p(edge.to)} THEN ${amount} ELSE 0 END) AS aging_${bucket}`;
    }),
  ];
  const fromOpenItems = `SELECT customer_id, sum(open_amount) AS ar_total, ${bucketSums("open_amount").join(", ")}
      FROM open_items WHERE customer_id NOT IN (SELECT customer_id FROM later) GROUP BY customer_id`;
  const fromRuns = `SELECT customer_id, sum(open_amount) AS ar_total, ${bucketSums("open_amount").join(", ")}
      FROM status_open_runs WHERE customer_id IN (SELECT customer_id FROM later) AND to_day >= ${p(T)} AND from_day <= ${p(T)}
      GROUP BY customer_id`;
  ctes.push(`closing_positions AS (${fromOpenItems} UNION ALL ${fromRuns})`);
  return {
    ctes,
    params,
    billed: "coalesce(b.amount, 0)",
    collected: "coalesce(k.amount, 0)",
    joins: `LEFT JOIN closing_positions cl ON cl.customer_id = c.id
      LEFT JOIN billed b ON b.customer_id = c.id LEFT JOIN collected k ON k.customer_id = c.id`,
  };
}

/**
 * `WITH ... , status_rows AS (...)`: one row per customer in scope passing the filters. The month
 * in progress reads the day cache when `dayCached` (see rebuildStatusDay), else works it out live.
 */
function statusRowsSql(spec: StatusQuerySpec, dayCached = false): SqlText {
  const { month, scope, filters } = spec;
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return "?";
  };
  let ctes: string[] = [];
  // Parameters are pushed in the order their `?` appear in the text.
  let closingJoin: string;
  let flows: { billed: string; collected: string; joins: string };
  if (month.toDate && dayCached) {
    flows = { billed: "coalesce(cl.billed, 0)", collected: "coalesce(cl.collected, 0)", joins: "" };
    closingJoin = "LEFT JOIN status_day_positions cl ON cl.customer_id = c.id";
  } else if (month.toDate) {
    const live = monthToDateSql(month, params);
    ctes = live.ctes;
    flows = { billed: live.billed, collected: live.collected, joins: "" };
    closingJoin = live.joins;
  } else {
    // A complete month: its own month-end row holds what was billed and collected in it.
    flows = {
      billed: `CASE WHEN cl.month_end = ${p(month.closingDate)} THEN cl.billed ELSE 0 END`,
      collected: `CASE WHEN cl.month_end = ${p(month.closingDate)} THEN cl.collected ELSE 0 END`,
      joins: "",
    };
    closingJoin = `LEFT JOIN status_positions cl ON ${latestPosition("cl", p(month.closingDate))}`;
  }
  const openingJoin = `LEFT JOIN status_positions op ON ${latestPosition("op", p(month.openingDate))}`;

  const where: string[] = [];
  if (scope.kind === "owner") where.push(`c.owner_id = ${p(scope.ownerId)}`);
  if (filters.owner === "none") where.push("c.owner_id IS NULL");
  else if (filters.owner !== undefined) where.push(`c.owner_id = ${p(filters.owner)}`);
  if (filters.region) where.push(`c.region = ${p(filters.region)}`);
  if (filters.grade) where.push(`c.credit_grade = ${p(filters.grade)}`);

  const rows = `status_rows AS (
      SELECT c.code, c.name, o.name AS owner_name, c.region, c.credit_grade, c.credit_limit,
        coalesce(op.ar_total, 0) AS opening,
        ${flows.billed} AS billed,
        ${flows.collected} AS collected,
        coalesce(cl.ar_total, 0) AS closing,
        coalesce(cl.ar_total - cl.aging_current, 0) AS overdue,
        ${AGING_COLUMNS.map((column) => `coalesce(cl.${column}, 0) AS ${column}`).join(",\n        ")},
        coalesce(cl.ar_total - cl.aging_current, 0) - coalesce(op.ar_total - op.aging_current, 0) AS overdue_change
      FROM customers c
      LEFT JOIN users o ON o.id = c.owner_id
      ${closingJoin}
      ${openingJoin}
      ${flows.joins}
      ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""})`;

  const outer: string[] = [];
  if (filters.overdueOnly) outer.push("overdue > 0");
  if (filters.overLimitOnly) outer.push("credit_limit > 0 AND closing > credit_limit");
  return {
    text: `WITH ${[...ctes, rows].join(",\n")}
      SELECT * FROM status_rows ${outer.length > 0 ? `WHERE ${outer.join(" AND ")}` : ""}`,
    params,
  };
}

function rowOf(row: Record<string, unknown>): StatusRow {
  const aging = emptyAging();
  for (const bucket of AGING_BUCKETS) aging[bucket] = Number(row[`aging_${bucket}`]);
  return {
    code: String(row.code),
    name: String(row.name),
    // these columns are nullable TEXT in the query
    ownerName: (row.owner_name as string | null) ?? null,
    // nullable TEXT column
    region: (row.region as string | null) ?? null,
    // nullable TEXT column
    creditGrade: (row.credit_grade as string | null) ?? null,
    creditLimit: row.credit_limit === null || row.credit_limit === undefined ? null : Number(row.credit_limit),
    opening: Number(row.opening),
    billed: Number(row.billed),
    collected: Number(row.collected),
    otherMovements: otherMovements({ opening: Number(row.opening), billed: Number(row.billed), collected: Number(row.collected), closing: Number(row.closing) }),
    closing: Number(row.closing),
    overdue: Number(row.overdue),
    aging,
    overdueChange: Number(row.overdue_change),
  };
}

function orderBy(sort: StatusSort, dir: SortDirection): string {
  const direction = dir === "asc" ? "ASC" : "DESC";
  return sort === "code" ? `ORDER BY code ${direction}` : `ORDER BY ${SORT_EXPRESSIONS[sort]} ${direction}, code ASC`;
}

const SUMMED = ["opening", "billed", "collected", "closing", "overdue", ...AGING_COLUMNS, "overdue_change"];
const TOTAL_WINDOWS = ["count(*) OVER () AS t_customers", ...SUMMED.map((column) => `sum(${column}) OVER () AS t_${column}`)].join(", ");

function totalsSql(base: SqlText): SqlText {
  return {
    text: `SELECT count(*) AS customers, ${["opening", "billed", "collected", "closing", "overdue", ...AGING_COLUMNS, "overdue_change"]
      .map((column) => `coalesce(sum(${column}), 0) AS ${column}`)
      .join(", ")} FROM (${base.text}) AS filtered_rows`,
    params: base.params,
  };
}

function totalsOf(row: Record<string, unknown>, prefix = ""): StatusTotals {
  const value = (column: string) => Number(row[`${prefix}${column}`] ?? 0);
  const aging = emptyAging();
  for (const bucket of AGING_BUCKETS) aging[bucket] = value(`aging_${bucket}`);
  return {
    customers: value("customers"),
    opening: value("opening"),
    billed: value("billed"),
    collected: value("collected"),
    otherMovements: otherMovements({ opening: value("opening"), billed: value("billed"), collected: value("collected"), closing: value("closing") }),
    closing: value("closing"),
    overdue: value("overdue"),
    aging,
    overdueChange: value("overdue_change"),
  };
}

export interface StatusPage {
  totals: StatusTotals;
  page: PageInfo;
  rows: StatusRow[];
}

/** The totals over the whole filtered set, and one page of its rows (a page past the end shows the last). */
export async function statusTable(
  db: Db,
  spec: StatusQuerySpec,
  view: { sort: StatusSort; dir: SortDirection; page: number; pageSize: number },
): Promise<StatusPage> {
  // Reads only: the cache when it holds this month in progress, else the month worked out live.
  const dayCached = spec.month.toDate ? await statusDayCached(db, spec.month) : false;
  const result = await statusTableFrom(db, spec, view, dayCached);
  if (result) return result;
  // An import committed between the cache check and the query (and dropped the cache): live.
  const live = await statusTableFrom(db, spec, view, false);
  if (!live) throw new Error("The live status query never reads the day cache, so it cannot find it dropped.");
  return live;
}

/** null when the day cache read was dropped meanwhile (every statement checks it in its own snapshot). */
async function statusTableFrom(
  db: Db,
  spec: StatusQuerySpec,
  view: { sort: StatusSort; dir: SortDirection; page: number; pageSize: number },
  dayCached: boolean,
): Promise<StatusPage | null> {
  const base = statusRowsSql(spec, dayCached);
  const check = dayCached
    ? { column: "(SELECT count(*) FROM status_day_state WHERE id = 1 AND day = ? AND month_start = ?)", params: [spec.month.closingDate, spec.month.start] }
    : { column: "1", params: [] };
  // One pass: the totals ride along on every row as window sums over the whole filtered set.
  const pageOf = async (wanted: number) => {
    const size = pageInfo(wanted, Number.MAX_SAFE_INTEGER, view.pageSize).pageSize;
    const result = await db.executeQuery(
      rawQuery(db, `SELECT *, ${TOTAL_WINDOWS}, ${check.column} AS day_ok FROM (${base.text}) AS filtered_rows ${orderBy(view.sort, view.dir)} LIMIT ? OFFSET ?`, [
        ...check.params,
        ...base.params,
        size,
        (Math.max(1, Math.floor(wanted)) - 1) * size,
      ]),
    );
    // a raw query's rows, read by column name
    return result.rows as Record<string, unknown>[];
  };
  const valid = (row: Record<string, unknown> | undefined) => row === undefined || Number(row.day_ok) > 0;
  let rows = await pageOf(view.page);
  const first = rows[0];
  if (!valid(first)) return null;
  let totals: StatusTotals;
  if (first) totals = totalsOf(first, "t_");
  else {
    // An empty page: an empty set, or a page past the end (shown as the last page).
    const totalsQuery = totalsSql(base);
    // a raw query's row, read by column name
    const row = (
      await db.executeQuery(
        rawQuery(db, totalsQuery.text.replace(/^SELECT /, `SELECT ${check.column} AS day_ok, `), [...check.params, ...totalsQuery.params]),
      )
    ).rows[0] as Record<string, unknown>;
    if (!valid(row)) return null;
    totals = totalsOf(row);
    if (totals.customers > 0) {
      rows = await pageOf(pageInfo(view.page, totals.customers, view.pageSize).page);
      if (!valid(rows[0])) return null;
    }
  }
  const page = pageInfo(view.page, totals.customers, view.pageSize);
  return { totals, page, rows: rows.map(rowOf) };
}

export interface StatusCursor {
  totals: StatusTotals;
  /** the rows in the view's order, read as they are asked for */
  rows(): AsyncGenerator<StatusRow>;
  /** ends the read (call it once the rows are read, or abandoned) */
  close(): Promise<void>;
}

/** Rows a PostgreSQL export fetches from its server-side cursor at a time. */
const EXPORT_BATCH = 1000;

/**
 * For exports: the totals, then the rows one at a time, from one consistent snapshot (a read
 * transaction of a connection of its own, so the app's connection stays free for other requests).
 * SQLite: a read-only connection on the same file, its statement iterated. PostgreSQL: a
 * repeatable-read, read-only transaction on a pool connection, the rows through a server-side
 * cursor (Kysely's stream, pg-cursor), EXPORT_BATCH at a time.
 */
export async function openStatusCursor(db: Db, spec: StatusQuerySpec, view: { sort: StatusSort; dir: SortDirection }): Promise<StatusCursor> {
  if (isPostgres(db)) return openPostgresStatusCursor(db, spec, view);
  const sqlite = new SQLite(sqliteConnectionOf(db)?.name ?? databasePath(), { readonly: true, fileMustExist: true });
  sqlite.exec("BEGIN");
  // Inside the read transaction: the day cache, when it holds this month, stays for the snapshot.
  const dayCached =
    spec.month.toDate &&
    sqlite
      .prepare("SELECT 1 FROM status_day_state WHERE id = 1 AND day = ? AND month_start = ?")
      .get(spec.month.closingDate, spec.month.start) !== undefined;
  const base = statusRowsSql(spec, dayCached);
  // a raw query's rows, read by column name
  const totals = totalsOf(sqlite.prepare(totalsSql(base).text).get(...base.params) as Record<string, unknown>);
  // better-sqlite3 types rows as unknown; a raw query's rows are read by column name
  const iterator = sqlite.prepare(`${base.text} ${orderBy(view.sort, view.dir)}`).iterate(...base.params) as IterableIterator<
    Record<string, unknown>
  >;
  return {
    totals,
    async *rows() {
      for (const row of iterator) yield rowOf(row);
    },
    async close() {
      iterator.return?.();
      if (sqlite.inTransaction) sqlite.exec("COMMIT");
      sqlite.close();
    },
  };
}

async function openPostgresStatusCursor(db: Db, spec: StatusQuerySpec, view: { sort: StatusSort; dir: SortDirection }): Promise<StatusCursor> {
  // Repeatable read: the totals and every row from one snapshot, as SQLite's read transaction.
  const trx = await db.startTransaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute();
  try {
    const dayCached =
      spec.month.toDate &&
      (
        await trx.executeQuery(
          rawQuery(trx, "SELECT 1 AS ok FROM status_day_state WHERE id = 1 AND day = ? AND month_start = ?", [spec.month.closingDate, spec.month.start]),
        )
      ).rows.length > 0;
    const base = statusRowsSql(spec, dayCached);
    const totalsQuery = totalsSql(base);
    // a raw query's row, read by column name
    const totals = totalsOf((await trx.executeQuery(rawQuery(trx, totalsQuery.text, totalsQuery.params))).rows[0] as Record<string, unknown>);
    const rowsQuery = rawQuery(trx, `${base.text} ${orderBy(view.sort, view.dir)}`, base.params);
    return {
      totals,
      async *rows() {
        // Leaving this loop early (a download abandoned) closes the cursor before the transaction ends.
        for await (const batch of trx.getExecutor().stream(rowsQuery, EXPORT_BATCH)) {
          // a raw query's rows, read by column name
          for (const row of batch.rows as Record<string, unknown>[]) yield rowOf(row);
        }
      },
      async close() {
        // Read only: nothing to commit. The connection goes back to the pool even if this fails.
        if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
      },
    };
  } catch (error) {
    // The query's failure is the one to tell; a rollback failing after it (a lost connection) adds nothing.
    await trx
      .rollback()
      .execute()
      .catch(() => undefined);
    throw error;
  }
}

/** The plan of the row query, for the test that keeps it on its indexes. */
export function explainStatusQuery(sqlite: SQLite.Database, spec: StatusQuerySpec, dayCached = false): string[] {
  const base = statusRowsSql(spec, dayCached);
  // EXPLAIN QUERY PLAN rows have a detail column
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${base.text} ORDER BY closing DESC`).all(...base.params) as { detail: string }[]).map(
    (row) => row.detail,
  );
}

/** The row query's plan on PostgreSQL (EXPLAIN's JSON: the root node), for the same test: PostgreSQL has no EXPLAIN QUERY PLAN. */
export async function explainStatusQueryOnPostgres(db: Db, spec: StatusQuerySpec, dayCached = false): Promise<unknown> {
  const base = statusRowsSql(spec, dayCached);
  const result = await db.executeQuery(rawQuery(db, `EXPLAIN (FORMAT JSON) ${base.text} ORDER BY closing DESC`, base.params));
  // EXPLAIN (FORMAT JSON) answers one row whose one column is a list holding the plan
  return (result.rows as { "QUERY PLAN": [{ Plan: unknown }] }[])[0]?.["QUERY PLAN"][0].Plan;
}

/**
 * Every row of a complete month's table, in customer code order, from one statement (one
 * snapshot): what a publication copies. Month-end positions only, never the day cache.
 */
export async function allStatusRows(db: Db, spec: StatusQuerySpec): Promise<StatusRow[]> {
  const base = statusRowsSql(spec, false);
  const result = await db.executeQuery(rawQuery(db, `${base.text} ${orderBy("code", "asc")}`, base.params));
  // a raw query's rows, read by column name
  return (result.rows as Record<string, unknown>[]).map(rowOf);
}
