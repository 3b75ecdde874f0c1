import SQLite from "better-sqlite3";
import { CompiledQuery } from "kysely";

import { type Db, databasePath, isDatabaseBusy, openSqlite } from "~/db.server";
import { fromEpochDay, toEpochDay } from "~/domain/dates";
import { AGING_BUCKETS, emptyAging } from "~/domain/kpis";
import type { LedgerScope } from "~/domain/ledger-scope";
import type { HistoryInvoice, HistorySettlement } from "~/domain/position-history";
import { type PageInfo, type SortDirection, pageInfo } from "~/domain/paging";
import { type HistoryCollection, customerStatusHistory } from "~/domain/status-table-positions";
import {
  type StatusFilters,
  type StatusMonth,
  type StatusRow,
  type StatusSort,
  type StatusTotals,
  agingDueEdges,
} from "~/domain/status-table";

/**
 * The status table's SQL. Balances and aging at month ends come from `status_positions` (one row
 * per customer and month end, see migration 2026-11-23-09 and domain/status-table-positions.ts).
 * The month in progress reads `open_items` (every document counted: exact as of today for every
 * customer without documents dated after today) and, for the customers with later documents,
 * their open runs on today's date (`status_open_runs`). Billed and collected are summed from the
 * month's documents through the date indexes.
 *
 * The row query is one statement: filters, sort and paging in SQL (the totals ride along as
 * window sums), so the page reads 100 rows and an export iterates it row by row. Written for
 * SQLite; the positional parameters and CASE expressions carry over to Postgres.
 */

// ---------------------------------------------------------------- keeping the positions current

const CHUNK = 1000;
/** `to_day` of a run still open. */
const STILL_OPEN = "9999-12-31";
const AGING_COLUMNS = AGING_BUCKETS.map((bucket) => `aging_${bucket}`);

export class StatusLedgerBusyError extends Error {
  constructor() {
    super("The ledger is being imported; the status table is brought up to date once the import has finished.");
  }
}

interface DocumentRow {
  customer_id: number;
  day: string;
  amount: number;
  invoice_no: string | null;
  /** 1 for a payment or an `offset` adjustment (a collection) */
  collection: number;
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
  const ids = sqlite
    .prepare("SELECT customer_id FROM status_stale_customers ORDER BY customer_id LIMIT ?")
    .pluck()
    .all(CHUNK) as number[];
  if (ids.length === 0) return 0;
  const idList = JSON.stringify(ids);
  const inChunk = "IN (SELECT value FROM json_each(?))";
  const invoices = groupBy(
    sqlite
      .prepare(`SELECT customer_id, invoice_no, issue_date, due_date, amount FROM invoices WHERE customer_id ${inChunk}`)
      .all(idList) as { customer_id: number; invoice_no: string; issue_date: string; due_date: string; amount: number }[],
  );
  const settlements = groupBy(
    sqlite
      .prepare(
        `SELECT p.customer_id, p.date AS day, p.amount, i.invoice_no, 1 AS collection
         FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id WHERE p.customer_id ${inChunk}
         UNION ALL
         SELECT a.customer_id, a.date AS day, a.amount, i.invoice_no, CASE WHEN a.type = 'offset' THEN 1 ELSE 0 END
         FROM adjustments a LEFT JOIN invoices i ON i.id = a.invoice_id WHERE a.customer_id ${inChunk}`,
      )
      .all(idList, idList) as DocumentRow[],
  );

  sqlite.prepare(`DELETE FROM status_positions WHERE customer_id ${inChunk}`).run(idList);
  sqlite.prepare(`DELETE FROM status_open_runs WHERE customer_id ${inChunk}`).run(idList);
  sqlite.prepare(`DELETE FROM status_customer_dates WHERE customer_id ${inChunk}`).run(idList);
  const insertDate = sqlite.prepare("INSERT INTO status_customer_dates (customer_id, last_document_date) VALUES (?, ?)");
  const insertRun = sqlite.prepare(
    "INSERT INTO status_open_runs (customer_id, to_day, from_day, due_date, open_amount) VALUES (?, ?, ?, ?, ?)",
  );
  const insert = sqlite.prepare(
    `INSERT INTO status_positions (customer_id, month_end, ar_total, ${AGING_COLUMNS.join(", ")}, billed, collected)
     VALUES (?, ?, ?, ${AGING_COLUMNS.map(() => "?").join(", ")}, ?, ?)`,
  );
  for (const id of ids) {
    const historyInvoices: HistoryInvoice[] = (invoices.get(id) ?? []).map((invoice) => ({
      invoiceNo: invoice.invoice_no,
      issueDay: toEpochDay(invoice.issue_date),
      dueDay: toEpochDay(invoice.due_date),
      amount: Number(invoice.amount),
    }));
    const historySettlements: HistorySettlement[] = [];
    const collections: HistoryCollection[] = [];
    for (const settlement of settlements.get(id) ?? []) {
      const entry = { day: toEpochDay(settlement.day), amount: Number(settlement.amount), invoiceNo: settlement.invoice_no };
      historySettlements.push(entry);
      if (settlement.collection === 1) collections.push(entry);
    }
    const history = customerStatusHistory(historyInvoices, historySettlements, collections);
    let lastDay = -Infinity;
    for (const invoice of historyInvoices) lastDay = Math.max(lastDay, invoice.issueDay);
    for (const settlement of historySettlements) lastDay = Math.max(lastDay, settlement.day);
    if (lastDay > -Infinity) insertDate.run(id, fromEpochDay(lastDay));
    for (const position of history.positions) {
      insert.run(
        id,
        position.monthEnd,
        position.arTotal,
        ...AGING_BUCKETS.map((bucket) => position.aging[bucket]),
        position.billed,
        position.collected,
      );
    }
    for (const run of history.runs) {
      insertRun.run(id, run.toDay === Infinity ? STILL_OPEN : fromEpochDay(run.toDay), fromEpochDay(run.fromDay), fromEpochDay(run.dueDay), run.openAmount);
    }
  }
  sqlite.prepare(`DELETE FROM status_stale_customers WHERE customer_id ${inChunk}`).run(idList);
  return ids.length;
}

/**
 * Brings `status_positions` up to date for every customer whose documents changed since (listed by
 * the triggers). Each chunk is read and written in one immediate transaction, so an import cannot
 * commit between reading a customer's documents and clearing its mark. Returns the customers done.
 * Throws `StatusLedgerBusyError` while an import holds the write lock.
 */
export function refreshStatusPositions(file = databasePath()): number {
  const sqlite = openSqlite(file, { busyTimeoutMs: 200 });
  try {
    let done = 0;
    const step = sqlite.transaction(() => refreshChunk(sqlite));
    for (;;) {
      const count = step.immediate();
      done += count;
      if (count < CHUNK) return done;
    }
  } catch (error) {
    if (isDatabaseBusy(error)) throw new StatusLedgerBusyError();
    throw error;
  } finally {
    sqlite.close();
  }
}

/** Cheap check first (one index probe), the work only when some customer changed. */
export async function ensureStatusPositions(db: Db): Promise<number> {
  const stale = await db.executeQuery(CompiledQuery.raw("SELECT 1 AS stale FROM status_stale_customers LIMIT 1", []));
  return stale.rows.length === 0 ? 0 : refreshStatusPositions();
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
 * `WITH ... , status_rows AS (...)`: one row per customer in scope passing the filters.
 */
function statusRowsSql(spec: StatusQuerySpec): SqlText {
  const { month, scope, filters } = spec;
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return "?";
  };
  const ctes: string[] = [];
  // Parameters are pushed in the order their `?` appear in the text.
  let closingJoin: string;
  let flows: { billed: string; collected: string; joins: string };
  if (month.toDate) {
    ctes.push(`billed AS (SELECT customer_id, sum(amount) AS amount FROM invoices
        WHERE issue_date >= ${p(month.start)} AND issue_date <= ${p(month.closingDate)} GROUP BY customer_id)`);
    ctes.push(`collected AS (SELECT customer_id, sum(amount) AS amount FROM (
          SELECT customer_id, amount FROM payments WHERE date >= ${p(month.start)} AND date <= ${p(month.closingDate)}
          UNION ALL
          SELECT customer_id, amount FROM adjustments WHERE type = 'offset' AND date >= ${p(month.start)} AND date <= ${p(month.closingDate)}
        ) GROUP BY customer_id)`);

    flows = {
      billed: "coalesce(b.amount, 0)",
      collected: "coalesce(k.amount, 0)",
      joins: "LEFT JOIN billed b ON b.customer_id = c.id LEFT JOIN collected k ON k.customer_id = c.id",
    };
    // Customers with documents dated after today: `open_items` counts those documents, so their
    // position today comes from their open runs instead.
    const T = month.closingDate;
    ctes.push(`later AS (SELECT customer_id FROM status_customer_dates WHERE last_document_date > ${p(T)})`);
    const edges = agingDueEdges(T);
    const bucketSums = (amount: string) => [
      `sum(CASE WHEN due_date >= ${p(T)} THEN ${amount} ELSE 0 END) AS aging_current`,
      ...AGING_BUCKETS.filter((b) => b !== "current").map((bucket) => {
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
    closingJoin = "LEFT JOIN closing_positions cl ON cl.customer_id = c.id";
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
    ownerName: (row.owner_name as string | null) ?? null,
    region: (row.region as string | null) ?? null,
    creditGrade: (row.credit_grade as string | null) ?? null,
    creditLimit: row.credit_limit === null || row.credit_limit === undefined ? null : Number(row.credit_limit),
    opening: Number(row.opening),
    billed: Number(row.billed),
    collected: Number(row.collected),
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
      .join(", ")} FROM (${base.text})`,
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
  const base = statusRowsSql(spec);
  // One pass: the totals ride along on every row as window sums over the whole filtered set.
  const pageOf = async (wanted: number) => {
    const size = pageInfo(wanted, Number.MAX_SAFE_INTEGER, view.pageSize).pageSize;
    const result = await db.executeQuery(
      CompiledQuery.raw(`SELECT *, ${TOTAL_WINDOWS} FROM (${base.text}) ${orderBy(view.sort, view.dir)} LIMIT ? OFFSET ?`, [
        ...base.params,
        size,
        (Math.max(1, Math.floor(wanted)) - 1) * size,
      ]),
    );
    return result.rows as Record<string, unknown>[];
  };
  let rows = await pageOf(view.page);
  let totals: StatusTotals;
  if (rows.length > 0) totals = totalsOf(rows[0], "t_");
  else {
    // An empty page: an empty set, or a page past the end (shown as the last page).
    const totalsQuery = totalsSql(base);
    totals = totalsOf((await db.executeQuery(CompiledQuery.raw(totalsQuery.text, totalsQuery.params))).rows[0] as Record<string, unknown>);
    if (totals.customers > 0) rows = await pageOf(pageInfo(view.page, totals.customers, view.pageSize).page);
  }
  const page = pageInfo(view.page, totals.customers, view.pageSize);
  return { totals, page, rows: rows.map(rowOf) };
}

/**
 * For exports: the totals, then the rows one at a time from a read transaction of a connection
 * of its own (one consistent snapshot; the app's connection stays free for other requests).
 */
export function openStatusCursor(spec: StatusQuerySpec, view: { sort: StatusSort; dir: SortDirection }) {
  const sqlite = new SQLite(databasePath(), { readonly: true, fileMustExist: true });
  sqlite.exec("BEGIN");
  const base = statusRowsSql(spec);
  const totals = totalsOf(sqlite.prepare(totalsSql(base).text).get(...base.params) as Record<string, unknown>);
  const iterator = sqlite.prepare(`${base.text} ${orderBy(view.sort, view.dir)}`).iterate(...base.params) as IterableIterator<
    Record<string, unknown>
  >;
  return {
    totals,
    *rows(): Generator<StatusRow> {
      for (const row of iterator) yield rowOf(row);
    },
    close() {
      iterator.return?.();
      if (sqlite.inTransaction) sqlite.exec("COMMIT");
      sqlite.close();
    },
  };
}

/** The plan of the row query, for the test that keeps it on its indexes. */
export function explainStatusQuery(sqlite: SQLite.Database, spec: StatusQuerySpec): string[] {
  const base = statusRowsSql(spec);
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${base.text} ORDER BY closing DESC`).all(...base.params) as { detail: string }[]).map(
    (row) => row.detail,
  );
}
