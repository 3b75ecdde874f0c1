import type SQLite from "better-sqlite3";
import { expect } from "vitest";

import { databaseUrl, isSyncPostgres, openLedgerConnection } from "~/server/db.server";
import { rebuildKpiSummaries } from "~/features/kpi/queries/summary.server";
import { withDatabaseCopy } from "./database-copy";

const ROWS = `SELECT s.kind, s.key, d.* FROM kpi_daily_summaries d JOIN kpi_scopes s ON s.id = d.scope_id ORDER BY s.kind, s.key, d.day`;

/**
 * Every stored summary row as one line of text, by scope kind and key (scope ids differ between
 * a kept and a rebuilt copy): cheap to compare on the demo ledger's tens of thousands of rows.
 * Works on better-sqlite3 and on the synchronous PostgreSQL connection (openLedgerConnection).
 */
export function summaryRows(sqlite: SQLite.Database): string[] {
  const statement = sqlite.prepare(ROWS);
  if (isSyncPostgres(sqlite)) {
    // the rows of ROWS, read by column name (the PostgreSQL connection has no columns())
    return (statement.all() as Record<string, unknown>[]).map((row) =>
      Object.entries(row)
        .filter(([column]) => column !== "scope_id")
        .map(([, value]) => value)
        .join("|"),
    );
  }
  const columns = statement.columns().map((column) => column.name);
  const scopeIdAt = columns.indexOf("scope_id");
  return (statement.raw(true).all() as unknown[][]).map((row) => row.filter((_, i) => i !== scopeIdAt).join("|"));
}

/** The state the requests see: the status row and the customers noted for the catch-up. */
export function summaryState(sqlite: SQLite.Database) {
  return {
    rebuildNeeded: (sqlite.prepare("SELECT rebuild_needed FROM kpi_summary_status WHERE id = 1").get() as { rebuild_needed: number }).rebuild_needed,
    noted: (sqlite.prepare("SELECT customer_id FROM kpi_summary_pending_customers ORDER BY customer_id").all() as { customer_id: number }[]).map(
      (row) => row.customer_id,
    ),
  };
}

/** The summary rows a rebuild from the whole ledger gives, worked out on a copy of the database `url` names. */
export async function rebuiltSummaryRows(url = databaseUrl()): Promise<string[]> {
  return withDatabaseCopy((copyUrl) => {
    const copy = openLedgerConnection(copyUrl);
    try {
      rebuildKpiSummaries(copy);
      return summaryRows(copy);
    } finally {
      copy.close();
    }
  }, url);
}

/**
 * The KPI summaries of the database (the test database unless named) are current: built, no
 * customer waiting for the catch-up, and every row equal to what a rebuild gives.
 */
export async function expectSummariesCurrent(url = databaseUrl()): Promise<void> {
  const sqlite = openLedgerConnection(url);
  let stored: string[];
  try {
    expect(summaryState(sqlite)).toEqual({ rebuildNeeded: 0, noted: [] });
    stored = summaryRows(sqlite);
  } finally {
    // closed before the copy: PostgreSQL copies a database only while nobody is connected to it
    sqlite.close();
  }
  expect(stored.length).toBeGreaterThan(0);
  expect(stored).toEqual(await rebuiltSummaryRows(url));
}
