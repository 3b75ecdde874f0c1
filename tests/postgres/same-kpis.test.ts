import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Db, createDb, databaseUrl, getDb, openLedgerConnection } from "~/server/db.server";
import { kpiObject } from "~/features/kpi/kpi.server";
import type { FileKind } from "~/features/import/canonical";
import { importLedger } from "~/features/import/import-ledger.server";
import { sourceFromFile } from "~/features/import/source-file.server";
import { migrateToLatest } from "../../db/migrate";
import { LEDGER_FIXTURE_FILES, csvSource } from "../support/ledger";

// The same files imported into PostgreSQL (this file's database) and into an SQLite file give the
// same KPIs, and the same derived tables row for row: open items, paid dates, unapplied credit,
// KPI summaries, status positions and open runs.

const KINDS: FileKind[] = ["customers", "invoices", "payments", "adjustments"];

/** A second import that updates rows (amounts, an invoice moved to another customer, a new owner) and adds some. */
const CHANGES = [
  {
    kind: "customers" as const,
    source: () =>
      csvSource("customers-2.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
        "FX002,Northwind Steel 北风钢铁,East,new.owner@example.test,C,20000,60",
        "FX900,Late Comer,West,staff@demo.quarterdeck,B,500,30",
      ]),
  },
  {
    kind: "invoices" as const,
    source: () =>
      csvSource("invoices-2.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        "INV-9001,FX900,2026-02-01,2026-03-03,700.00",
        "INV-9002,FX002,2026-03-15,2026-05-14,1234.56",
      ]),
  },
  {
    kind: "payments" as const,
    source: () =>
      csvSource("payments-2.csv", ["payment_no,customer_code,date,amount,invoice_no", "PAY-9001,FX900,2026-03-20,200.00,INV-9001"]),
  },
];

async function importInto(connection: SQLite.Database, files: { kind: FileKind; source: Awaited<ReturnType<typeof sourceFromFile>> }[]) {
  const outcome = await importLedger(
    connection,
    files.map((file) => ({ source: file.source, layout: { kind: file.kind } })),
    { baseCurrency: "CNY", userId: null, now: new Date("2026-04-01T08:00:00Z") },
  );
  if (!outcome.ok) throw new Error(outcome.report);
  return outcome;
}

async function fixtureFiles() {
  return Promise.all(KINDS.map(async (kind) => ({ kind, source: await sourceFromFile(LEDGER_FIXTURE_FILES[kind]) })));
}

const DERIVED: Record<string, string> = {
  open_items: "SELECT i.invoice_no, c.code, o.issue_date, o.due_date, o.open_amount FROM open_items o JOIN invoices i ON i.id = o.invoice_id JOIN customers c ON c.id = o.customer_id",
  invoice_paid_dates: "SELECT i.invoice_no, c.code, p.issue_date, p.due_date, p.amount, p.paid_on FROM invoice_paid_dates p JOIN invoices i ON i.id = p.invoice_id JOIN customers c ON c.id = p.customer_id",
  unapplied_credits: "SELECT c.code, u.amount FROM unapplied_credits u JOIN customers c ON c.id = u.customer_id",
  kpi_daily_summaries: "SELECT s.kind, s.key, d.* FROM kpi_daily_summaries d JOIN kpi_scopes s ON s.id = d.scope_id",
  status_positions: "SELECT c.code, p.* FROM status_positions p JOIN customers c ON c.id = p.customer_id",
  status_open_runs: "SELECT c.code, r.* FROM status_open_runs r JOIN customers c ON c.id = r.customer_id",
  status_customer_dates: "SELECT c.code, d.last_document_date FROM status_customer_dates d JOIN customers c ON c.id = d.customer_id",
  status_day_positions: "SELECT c.code, p.* FROM status_day_positions p JOIN customers c ON c.id = p.customer_id",
  provision_gross_items: "SELECT c.code, g.* FROM provision_gross_items g JOIN customers c ON c.id = g.customer_id",
  kpi_summary_pending_customers: "SELECT customer_id FROM kpi_summary_pending_customers",
  status_stale_customers: "SELECT customer_id FROM status_stale_customers",
  audit_log: "SELECT entity, action, before, after FROM audit_log",
};

/** Every row of the derived tables as sorted text lines, row ids left out (the two databases number rows apart). */
function derivedRows(connection: SQLite.Database): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [table, query] of Object.entries(DERIVED)) {
    // rows of the queries above, read by column name
    const rows = connection.prepare(query).all() as Record<string, unknown>[];
    out[table] = rows
      .map((row) =>
        Object.entries(row)
          .filter(([column]) => !/(^|_)id$/.test(column))
          .map(([column, value]) => `${column}=${value === null ? "null" : column === "before" || column === "after" ? JSON.stringify(JSON.parse(String(value)), Object.keys(JSON.parse(String(value))).sort()) : String(value)}`)
          .join("|"),
      )
      .sort();
  }
  return out;
}

const DATES = ["2025-12-31", "2026-01-31", "2026-03-31", "2026-06-30"];
const SCOPES = [null, "region:East", "region:North", "grade:A", "grade:C"];

async function kpis(db: Db) {
  const out: unknown[] = [];
  for (const asOf of DATES) for (const scope of SCOPES) out.push(await kpiObject(db, { asOf, scope }));
  return JSON.parse(JSON.stringify(out)) as unknown;
}

describe("the same ledger on PostgreSQL and SQLite", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-same-"));
  const sqliteFile = path.join(dir, "same.db");
  let sqliteDb: Db;

  beforeAll(async () => {
    sqliteDb = createDb(sqliteFile);
    await migrateToLatest(sqliteDb);
  });

  afterAll(async () => {
    await sqliteDb.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("imports the fixture ledger, then changes, into both with the same counts, KPIs and derived rows", async () => {
    expect(databaseUrl()).toMatch(/^postgres/);
    for (const step of [fixtureFiles, async () => CHANGES.map((change) => ({ kind: change.kind, source: change.source() }))]) {
      const pg = openLedgerConnection(databaseUrl());
      const lite = openLedgerConnection(sqliteFile);
      try {
        const onPostgres = await importInto(pg, await step());
        const onSqlite = await importInto(lite, await step());
        expect(onPostgres).toEqual(onSqlite);
        const rows = derivedRows(pg);
        expect(rows.open_items!.length).toBeGreaterThan(0);
        expect(rows.kpi_daily_summaries!.length).toBeGreaterThan(0);
        expect(rows.status_positions!.length).toBeGreaterThan(0);
        expect(rows).toEqual(derivedRows(lite));
      } finally {
        pg.close();
        lite.close();
      }
      const onPostgres = await kpis(getDb());
      expect(onPostgres).toEqual(await kpis(sqliteDb));
    }
  });

  it("imports the same files again without a change on either", async () => {
    for (const target of [databaseUrl(), sqliteFile]) {
      const connection = openLedgerConnection(target);
      try {
        const again = await importInto(connection, CHANGES.map((change) => ({ kind: change.kind, source: change.source() })));
        expect(again.files.flatMap((file) => Object.values(file.counts)).every((count) => count.added === 0 && count.updated === 0 && count.unchanged > 0)).toBe(true);
      } finally {
        connection.close();
      }
    }
  });
});
