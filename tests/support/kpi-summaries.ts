import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type SQLite from "better-sqlite3";
import { expect } from "vitest";

import { databaseUrl, isSyncPostgres, openLedgerConnection, openSqlite } from "~/server/db.server";
import { rebuildKpiSummaries } from "~/features/kpi/queries/summary.server";

const ROWS = `SELECT s.kind, s.key, d.* FROM kpi_daily_summaries d JOIN kpi_scopes s ON s.id = d.scope_id ORDER BY s.kind, s.key, d.day`;

/**
 * Every stored summary row as one line of text, by scope kind and key (scope ids differ between
 * a kept and a rebuilt copy): cheap to compare on the demo ledger's tens of thousands of rows.
 */
export function summaryRows(sqlite: SQLite.Database): string[] {
  return (sqlite.prepare(ROWS).all() as Record<string, unknown>[]).map((row) =>
    Object.entries(row)
      .filter(([column]) => column !== "scope_id")
      .map(([, value]) => value)
      .join("|"),
  );
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

/**
 * The summary rows a rebuild from the whole ledger gives: on SQLite worked out on a copy of the
 * database (a backup), on PostgreSQL in a transaction that is rolled back.
 */
export async function rebuiltSummaryRows(sqlite: SQLite.Database): Promise<string[]> {
  if (isSyncPostgres(sqlite)) {
    sqlite.exec("BEGIN");
    try {
      rebuildKpiSummaries(sqlite);
      return summaryRows(sqlite);
    } finally {
      sqlite.exec("ROLLBACK");
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-rebuild-"));
  const copyFile = path.join(dir, "copy.db");
  try {
    await sqlite.backup(copyFile);
    const copy = openSqlite(copyFile);
    try {
      rebuildKpiSummaries(copy);
      return summaryRows(copy);
    } finally {
      copy.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The KPI summaries of the database (the test database unless named: an SQLite path or a
 * PostgreSQL URL) are current: built, no customer waiting for the catch-up, and every row equal
 * to what a rebuild gives.
 */
export async function expectSummariesCurrent(target = databaseUrl()): Promise<void> {
  const sqlite = openLedgerConnection(target);
  try {
    expect(summaryState(sqlite)).toEqual({ rebuildNeeded: 0, noted: [] });
    const stored = summaryRows(sqlite);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).toEqual(await rebuiltSummaryRows(sqlite));
  } finally {
    sqlite.close();
  }
}
