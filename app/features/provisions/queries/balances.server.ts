import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import { addDays, monthEnd, toEpochDay } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { openItemsAsOf } from "~/kernel/ledger/open-items";
import { loadLedgerSnapshot } from "~/features/kpi/index.server";
import { ladderBalances } from "~/features/provisions/ladder";
import { type AgeBasis, FINE_BANDS, collapseFine, fineToTable } from "~/features/provisions/positions";

/**
 * Band balances at a date from what the import keeps (migration 2026-12-08-provisions-positions),
 * never a ledger re-scan for the usual questions:
 * - a customer whose last document is dated on or before D: its open items (or, as if nothing
 *   had been written off, its gross items), aged at D in SQL, exact for any bands;
 * - any other customer at a month end, with bands made of the fine ones: the kept month-end rows;
 * - any other customer's open balances at any date: its open runs covering D (`status_open_runs`,
 *   kept by the same sweep), while they are current;
 * - otherwise (gross balances inside a month or off the fine edges, or runs not yet brought up to
 *   date) those customers' documents are settled as of D by the engine: correct, and slower.
 */

export type BalanceKind = "open" | "gross";

export interface BalanceQuery {
  asOf: IsoDate;
  basis: AgeBasis;
  /** upper ages in days of every band but the last */
  upperDays: readonly number[];
  kind: BalanceKind;
  /** the scope's customers; null: the whole company */
  customerIds: readonly number[] | null;
  /** customers provided for one by one (they leave the grouped calculation) */
  excludeIds: readonly number[];
}

const scoped = (column: string, query: BalanceQuery) =>
  sql.join(
    [
      sql`1 = 1`,
      ...(query.customerIds === null ? [] : [sql`${sql.ref(column)} in (${sql.join(query.customerIds.length ? query.customerIds : [-1])})`]),
      ...(query.excludeIds.length ? [sql`${sql.ref(column)} not in (${sql.join(query.excludeIds)})`] : []),
    ],
    sql` and `,
  );

/** CASE giving the band of a date column's age at D: age <= edge ⟺ date >= D − edge. */
function bandCase(column: string, asOf: IsoDate, upperDays: readonly number[]) {
  if (upperDays.length === 0) return sql<number>`0`;
  const whens = upperDays.map((days, band) => sql`when ${sql.ref(column)} >= ${addDays(asOf, -days)} then ${band}`);
  return sql<number>`case ${sql.join(whens, sql` `)} else ${upperDays.length} end`;
}

/** Balances of customers whose documents are all dated <= D: their kept end state. */
async function settledBalances(db: Db, query: BalanceQuery): Promise<number[]> {
  const dateColumn = query.basis === "issue" ? "issue_date" : "due_date";
  const band = bandCase(`i.${dateColumn}`, query.asOf, query.upperDays);
  const items =
    query.kind === "open"
      ? sql`select o.customer_id, o.issue_date, o.due_date, o.open_amount from open_items o
            join provision_customers pc on pc.customer_id = o.customer_id and pc.last_document_date <= ${query.asOf}`
      : sql`select o.customer_id, o.issue_date, o.due_date, o.open_amount from open_items o
            join provision_customers pc on pc.customer_id = o.customer_id and pc.last_document_date <= ${query.asOf} and pc.write_offs = 0
            union all
            select g.customer_id, g.issue_date, g.due_date, g.open_amount from provision_gross_items g
            join provision_customers pc on pc.customer_id = g.customer_id and pc.last_document_date <= ${query.asOf} and pc.write_offs = 1`;
  const rows = await sql<{ band: number; balance: number }>`
    select ${band} as band, sum(i.open_amount) as balance from (${items}) i
    where ${scoped("i.customer_id", query)} group by 1`.execute(db);
  const balances = new Array<number>(query.upperDays.length + 1).fill(0);
  for (const row of rows.rows) balances[Number(row.band)] = Number(row.balance);
  return balances;
}

/** Balances of the other customers at a month end, from the kept rows (bands of fine bands only). */
async function keptBalances(db: Db, query: BalanceQuery, map: readonly number[]): Promise<number[]> {
  const prefix = query.kind === "open" ? "a" : "g";
  const sums = Array.from({ length: FINE_BANDS }, (_, i) => sql`sum(${sql.ref(`p.${prefix}${i}`)}) as ${sql.ref(`b${i}`)}`);
  const row = (
    await sql<Record<string, number | null>>`
      select ${sql.join(sums)} from provision_positions p
      where p.month_end = ${query.asOf} and p.basis = ${query.basis} and ${scoped("p.customer_id", query)}`.execute(db)
  ).rows[0];
  const fine = Array.from({ length: FINE_BANDS }, (_, i) => Number(row?.[`b${i}`] ?? 0));
  return collapseFine(map, fine, query.upperDays.length + 1);
}

/** The customers with documents after D (in scope, not excluded). */
async function customersActiveAfter(db: Db, query: BalanceQuery): Promise<number[]> {
  const rows = await sql<{ customer_id: number }>`
    select pc.customer_id from provision_customers pc
    where pc.last_document_date > ${query.asOf} and ${scoped("pc.customer_id", query)}`.execute(db);
  return rows.rows.map((row) => Number(row.customer_id));
}

/**
 * Whether every customer's open runs (`status_open_runs`) are current: no customer is marked as
 * changed since the status table's writer last swept it (a read; bringing them up is the writer's).
 */
async function openRunsCurrent(db: Db): Promise<boolean> {
  const stale = await sql<{ stale: number }>`select 1 as stale from status_stale_customers limit 1`.execute(db);
  return stale.rows.length === 0;
}

/**
 * Open balances at D of the customers with documents after D, from their open runs covering D
 * (an invoice's open amount from `from_day` through `to_day`, with its issue and due dates):
 * the same items `openItemsAsOf` finds by settling their documents, aged at D in SQL.
 */
async function runBalances(db: Db, query: BalanceQuery): Promise<number[]> {
  const dateColumn = query.basis === "issue" ? "issue_date" : "due_date";
  const band = bandCase(`r.${dateColumn}`, query.asOf, query.upperDays);
  const rows = await sql<{ band: number; balance: number }>`
    select ${band} as band, sum(r.open_amount) as balance from status_open_runs r
    where r.customer_id in (select pc.customer_id from provision_customers pc where pc.last_document_date > ${query.asOf} and ${scoped("pc.customer_id", query)})
      and r.to_day >= ${query.asOf} and r.from_day <= ${query.asOf} and r.open_amount <> 0
    group by 1`.execute(db);
  const balances = new Array<number>(query.upperDays.length + 1).fill(0);
  for (const row of rows.rows) balances[Number(row.band)] = Number(row.balance);
  return balances;
}

/** Settles those customers' documents as of D (the fallback the kept rows cannot answer). */
async function liveBalances(db: Db, query: BalanceQuery, customerIds: number[]): Promise<number[]> {
  if (customerIds.length === 0) return new Array<number>(query.upperDays.length + 1).fill(0);
  const snapshot = await loadLedgerSnapshot(db, customerIds, query.asOf);
  if (query.kind === "gross") snapshot.adjustments = snapshot.adjustments.filter((adjustment) => adjustment.type !== "write_off");
  const asOfDay = toEpochDay(query.asOf);
  const items = [];
  for (const customer of openItemsAsOf(snapshot, query.asOf).customers) {
    for (const invoice of customer.invoices) {
      if (invoice.openAmount === 0) continue;
      const from = toEpochDay(query.basis === "issue" ? invoice.issueDate : invoice.dueDate);
      items.push({ ageDays: asOfDay - from, open: invoice.openAmount });
    }
  }
  return ladderBalances(query.upperDays, items);
}

export function isMonthEnd(date: IsoDate): boolean {
  return monthEnd(date) === date;
}

export interface BandBalances {
  balances: number[];
  /** customers whose documents were settled for this answer (0 when the kept figures answered) */
  settledLive: number;
}

export async function bandBalances(db: Db, query: BalanceQuery): Promise<BandBalances> {
  const map = fineToTable(query.upperDays);
  const settled = await settledBalances(db, query);
  let others: number[];
  let settledLive = 0;
  if (map && isMonthEnd(query.asOf)) others = await keptBalances(db, query, map);
  else if (query.kind === "open" && (await openRunsCurrent(db))) others = await runBalances(db, query);
  else {
    const ids = await customersActiveAfter(db, query);
    settledLive = ids.length;
    others = await liveBalances(db, query, ids);
  }
  return { balances: settled.map((balance, i) => balance + (others[i] ?? 0)), settledLive };
}

/** Band balances per customer (customers with nothing open are left out). */
export type CustomerBandBalances = Map<number, number[]>;

function addInto(target: CustomerBandBalances, customerId: number, band: number, amount: number, bands: number): void {
  let row = target.get(customerId);
  if (!row) {
    row = new Array<number>(bands).fill(0);
    target.set(customerId, row);
  }
  row[band] = (row[band] ?? 0) + amount;
}

/**
 * `bandBalances` per customer in one grouped read of each source (never a query per customer):
 * the settled customers' open items grouped by customer and band, the kept month-end rows grouped
 * by customer, and the other customers' documents settled once, together.
 */
export async function customerBandBalances(db: Db, query: BalanceQuery): Promise<CustomerBandBalances> {
  const bands = query.upperDays.length + 1;
  const result: CustomerBandBalances = new Map();
  const dateColumn = query.basis === "issue" ? "issue_date" : "due_date";
  const band = bandCase(`o.${dateColumn}`, query.asOf, query.upperDays);
  // Open amounts only: the per-customer schedule and a run's customers (the gross history is the matrix's, company-wide).
  const settled = await sql<{ customer_id: number; band: number; balance: number }>`
    select o.customer_id as customer_id, ${band} as band, sum(o.open_amount) as balance from open_items o
    join provision_customers pc on pc.customer_id = o.customer_id and pc.last_document_date <= ${query.asOf}
    where ${scoped("o.customer_id", query)} group by o.customer_id, 2`.execute(db);
  for (const row of settled.rows) addInto(result, Number(row.customer_id), Number(row.band), Number(row.balance), bands);
  const map = fineToTable(query.upperDays);
  if (map && isMonthEnd(query.asOf)) {
    const sums = Array.from({ length: FINE_BANDS }, (_, i) => sql`sum(${sql.ref(`p.a${i}`)}) as ${sql.ref(`b${i}`)}`);
    const rows = await sql<Record<string, number | null>>`
      select p.customer_id as customer_id, ${sql.join(sums)} from provision_positions p
      where p.month_end = ${query.asOf} and p.basis = ${query.basis} and ${scoped("p.customer_id", query)}
      group by p.customer_id`.execute(db);
    for (const row of rows.rows) {
      const fine = Array.from({ length: FINE_BANDS }, (_, i) => Number(row[`b${i}`] ?? 0));
      collapseFine(map, fine, bands).forEach((amount, i) => {
        if (amount !== 0) addInto(result, Number(row.customer_id), i, amount, bands);
      });
    }
  } else {
    const ids = await customersActiveAfter(db, query);
    if (ids.length) {
      const snapshot = await loadLedgerSnapshot(db, ids, query.asOf);
      const codes = await sql<{ id: number; code: string }>`select id, code from customers where id in (${sql.join(ids)})`.execute(db);
      const idOf = new Map(codes.rows.map((row) => [row.code, Number(row.id)]));
      const asOfDay = toEpochDay(query.asOf);
      for (const customer of openItemsAsOf(snapshot, query.asOf).customers) {
        const customerId = idOf.get(customer.customerCode);
        if (customerId === undefined) continue;
        const items = customer.invoices
          .filter((invoice) => invoice.openAmount !== 0)
          .map((invoice) => ({ ageDays: asOfDay - toEpochDay(query.basis === "issue" ? invoice.issueDate : invoice.dueDate), open: invoice.openAmount }));
        if (items.length) ladderBalances(query.upperDays, items).forEach((amount, i) => addInto(result, customerId, i, amount, bands));
      }
    }
  }
  return result;
}
