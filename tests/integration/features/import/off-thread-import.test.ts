/**
 * A large import reads and validates its files on a worker thread while this thread writes
 * (parse-worker.server.ts). Whichever thread reads, the outcome must be the same: the same rows
 * and counts, and for a bad import the same report, line for line, with nothing written.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type ImportFileSpec, importLedger } from "~/features/import/import-ledger.server";
import type { ImportSource } from "~/features/import/source";
import { openSqlite } from "~/server/db.server";

import { csvFile } from "../../../fixtures/import/helpers";

let sqlite: SQLite.Database;
const copies: string[] = [];

beforeAll(() => {
  sqlite = openSqlite(process.env.DATABASE_URL as string);
});
afterAll(() => {
  sqlite.close();
  for (const file of copies) fs.rmSync(file, { force: true });
});

const OPTIONS = { baseCurrency: "CNY", userId: null, now: new Date("2026-12-01T00:00:00Z") };

function spec(kind: "customers" | "invoices" | "payments" | "adjustments", source: ImportSource): ImportFileSpec {
  return { source, layout: { kind } };
}

/** Every table an import writes or derives, as one comparable value (no timestamps). */
function ledgerState(db: SQLite.Database): string {
  const tables = [
    "customers",
    "invoices",
    "payments",
    "adjustments",
    "open_items",
    "unapplied_credits",
    "users",
    "audit_log",
    "status_positions",
    "status_open_runs",
    "kpi_daily_summaries",
  ];
  return JSON.stringify(
    tables.map((table) =>
      db
        .prepare(`SELECT * FROM ${table}`)
        .all()
        .map((row) => {
          const { created_at: _c, updated_at: _u, ...rest } = row as Record<string, unknown>;
          return JSON.stringify(rest);
        })
        .sort(),
    ),
  );
}

/** Imports on the worker thread, and says whether it really did. */
async function importOffThread(db: SQLite.Database, files: ImportFileSpec[]) {
  const phases: string[] = [];
  const outcome = await importLedger(db, files, { ...OPTIONS, parseOffThread: true, onPhase: (p) => phases.push(p) });
  expect(phases).toContain("reading thread started");
  return outcome;
}

const customers = csvFile("customers.csv", [
  "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
  "T1,Thread One,华东,t.owner@example.test,A,50000,30",
  "T2,Thread Two,华南,,B,0,60",
]);

describe("reading the files on a worker thread", () => {
  it("reports the same bad rows in the same order and imports nothing", async () => {
    const invoices = csvFile("invoices.csv", [
      "invoice_no,customer_code,issue_date,due_date,amount",
      "TI-1,T1,2026-01-05,,100",
      "TI-2,NOBODY,2026-01-05,,100",
      "TI-1,T1,2026-01-06,,100",
      "TI-3,T2,2026-02-30,,-5",
      "TI-4,T2,2026-03-01,2026-02-01,10",
      "TI-5,T2,2026-03-01,,12.345",
    ]);
    const payments = csvFile("payments.csv", [
      "payment_no,customer_code,date,amount,invoice_no",
      "TP-1,T2,2026-02-10,30,TI-1",
      "TP-2,T1,2026-02-10,30,TI-404",
      "TP-3,T2,2026-02-10,30,TI-3",
    ]);
    const files = [spec("customers", customers), spec("invoices", invoices), spec("payments", payments)];
    const before = ledgerState(sqlite);
    const here = await importLedger(sqlite, files, { ...OPTIONS, parseOffThread: false });
    const there = await importOffThread(sqlite, files);
    expect(here.ok).toBe(false);
    expect(there).toEqual(here);
    if (here.ok) return;
    expect(here.errorCount).toBeGreaterThanOrEqual(8);
    expect(ledgerState(sqlite)).toBe(before);
  });

  it("writes the same rows, counts and derived tables, new rows and changed ones alike", async () => {
    const invoices = csvFile("invoices.csv", [
      "invoice_no,customer_code,issue_date,due_date,amount",
      ...Array.from({ length: 9000 }, (_, i) => `TI-${i},T${1 + (i % 2)},2026-${String(1 + (i % 11)).padStart(2, "0")}-0${1 + (i % 9)},,${100 + i}`),
    ]);
    const payments = csvFile("payments.csv", [
      "payment_no,customer_code,date,amount,invoice_no",
      ...Array.from({ length: 7000 }, (_, i) => `TP-${i},T${1 + (i % 2)},2026-11-0${1 + (i % 9)},${50 + i},${i % 3 === 0 ? "" : `TI-${i}`}`),
    ]);
    const first = await importLedger(sqlite, [spec("customers", customers), spec("invoices", invoices), spec("payments", payments)], OPTIONS);
    expect(first.ok).toBe(true);

    // The second import moves an invoice to the other customer, changes amounts and adds rows:
    // once read here on a copy of the database, once on the worker thread on the original.
    const changed = csvFile("invoices.csv", [
      "invoice_no,customer_code,issue_date,due_date,amount",
      "TI-0,T2,2026-01-01,,100",
      "TI-1,T2,2026-02-02,,999",
      ...Array.from({ length: 3000 }, (_, i) => `TI-new-${i},T${1 + (i % 2)},2026-10-0${1 + (i % 9)},,${7 + i}`),
    ]);
    const paidAgain = csvFile("payments.csv", [
      "payment_no,customer_code,date,amount,invoice_no",
      "TP-1,T2,2026-11-02,51,TI-1",
      ...Array.from({ length: 2000 }, (_, i) => `TP-new-${i},T${1 + (i % 2)},2026-11-0${1 + (i % 9)},${3 + i},${i % 2 ? `TI-new-${i}` : ""}`),
    ]);
    const copy = path.join(os.tmpdir(), `qd-off-thread-${process.pid}.db`);
    copies.push(copy, `${copy}-wal`, `${copy}-shm`);
    fs.rmSync(copy, { force: true });
    sqlite.exec(`VACUUM INTO '${copy}'`);
    const other = openSqlite(copy);
    try {
      const files = [spec("invoices", changed), spec("payments", paidAgain)];
      const here = await importLedger(other, files, { ...OPTIONS, parseOffThread: false });
      const there = await importOffThread(sqlite, files);
      expect(here.ok).toBe(true);
      expect(there).toEqual(here);
      expect(ledgerState(sqlite)).toBe(ledgerState(other));
    } finally {
      other.close();
    }
  });
});
