import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import fc from "fast-check";
import pg from "pg";
import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrateToLatest } from "../../../../db/migrate";
import { type Db, createDb, databaseUrl, getDb, isPostgresUrl, openLedgerConnection, sqliteConnectionOf } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { parseScope } from "~/features/kpi/scope";
import { type KpiOptions, computeKpis } from "~/features/kpi/kpis";
import type { LedgerSnapshot } from "~/kernel/ledger/types";
import { kpiObject, kpiValues } from "~/features/kpi/kpi.server";
import { AppError } from "~/kernel/app-error";
import { importLedgerRecords } from "~/features/import/import-ledger.server";
import { loadLedgerSnapshot, scopeCustomerIds } from "~/features/kpi/queries/ledger.server";
import { catchUpKpiSummaries, changeCustomerKeepingSummaries, moveNotedCustomers, summariesAreCurrent } from "~/features/kpi/queries/summary.server";
import { setSetting } from "~/features/settings/index.server";
import { csvSource, importIntoTestDb } from "../../../support/ledger";
import { rebuiltSummaryRows, summaryRows } from "../../../support/kpi-summaries";
import { CUSTOMER_CODES, GRADES, OWNER_EMAILS, REGIONS, asOfArbitrary, ledgerArbitrary, scopedSnapshots } from "../../../unit/support/random-ledger";
import { defined } from "../../../support/defined";

/**
 * The summary-backed KPI service against the pure engine: the real import (records or CSV) on a
 * real database, then `kpiValues` for every scope beside `computeKpis` on the same ledger.
 */

const OPTIONS = { baseCurrency: "CNY", userId: null };
const postgres = isPostgresUrl(databaseUrl());
/**
 * Random ledgers per property: SQLite explores many; PostgreSQL, where each one is a database of
 * its own and every statement a round trip, runs a sample of them through the same code (the
 * properties' other checks, and the worked cases below, are the same on both).
 */
const RUNS = postgres ? { imports: 6, edits: 5 } : { imports: 40, edits: 30 };

// ---------------------------------------------------------------- random ledgers, imported in steps

let dir: string;
let template: string;
/** PostgreSQL: the server's own database, where databases are made and dropped. */
const server = (() => {
  if (!postgres) return "";
  const url = new URL(databaseUrl());
  url.pathname = "/postgres";
  return url.toString();
})();

async function onServer(statement: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await client.query(statement, params);
  } finally {
    await client.end();
  }
}

/** The database `name` on the test server. */
function postgresUrl(name: string): string {
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Waits until nobody is connected to database `name` (a pool's end() returns before the server sees it). */
async function disconnected(name: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await onServer("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
    if (rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} still has connections`);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-kpi-"));
  if (postgres) {
    template = `${new URL(databaseUrl()).pathname.slice(1)}_template`;
    await onServer(`CREATE DATABASE ${template}`);
  } else template = path.join(dir, "template.db");
  const db = createDb(postgres ? postgresUrl(template) : template);
  await migrateToLatest(db);
  await db.destroy();
  if (postgres) await disconnected(template);
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (postgres) await onServer(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
});

/** A new, empty, migrated database for one run: a copy of the template (SQLite: a file path). */
async function freshDatabase(name: string): Promise<string> {
  if (!postgres) {
    const file = path.join(dir, `${name}.db`);
    fs.copyFileSync(template, file);
    return file;
  }
  const database = `${template}_${name.replace(/-/g, "_")}`;
  await onServer(`CREATE DATABASE ${database} TEMPLATE ${template}`);
  return postgresUrl(database);
}

async function dropDatabase(url: string): Promise<void> {
  if (!postgres) {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(url + suffix, { force: true });
    return;
  }
  await onServer(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
}

/** The ledger after importing `first` then `second`: rows with the same key take the later values. */
function merged(first: LedgerSnapshot, second: LedgerSnapshot): LedgerSnapshot {
  const byKey = <T>(a: T[], b: T[], key: (row: T) => string) => [...new Map([...a, ...b].map((row) => [key(row), row])).values()];
  return {
    customers: byKey(first.customers, second.customers, (c) => c.code),
    invoices: byKey(first.invoices, second.invoices, (i) => i.invoiceNo),
    payments: byKey(first.payments, second.payments, (p) => p.paymentNo),
    adjustments: byKey(first.adjustments, second.adjustments, (a) => a.adjustmentNo),
  };
}

/** A later import: some customers changed, some documents new or changed (every reference still resolves). */
const laterImportArbitrary = (first: LedgerSnapshot) =>
  fc.tuple(ledgerArbitrary, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 })).map(([next, keep]) => {
    let k = 0;
    const some = <T>(rows: T[]) => rows.filter(() => keep[k++ % keep.length]);
    const invoices = some(next.invoices);
    const known = new Set([...first.invoices, ...invoices].map((i) => i.invoiceNo));
    const resolves = (row: { invoiceNo: string | null }) => row.invoiceNo === null || known.has(row.invoiceNo);
    return {
      customers: some(next.customers),
      invoices,
      payments: some(next.payments).filter(resolves),
      adjustments: some(next.adjustments).filter(resolves),
    } satisfies LedgerSnapshot;
  });

const caseArbitrary = ledgerArbitrary.chain((first) =>
  fc.record({
    first: fc.constant(first),
    second: laterImportArbitrary(first),
    fiscalStartMonth: fc.integer({ min: 1, max: 12 }),
    requests: fc.array(
      fc.record({
        asOf: asOfArbitrary,
        periodBack: fc.option(fc.integer({ min: 0, max: 700 })),
        baselineShift: fc.option(fc.integer({ min: -1_200, max: 300 })),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

async function expectSameAsEngine(db: Db, scopeText: string, snapshot: LedgerSnapshot, options: KpiOptions, unknown: boolean) {
  const scope = parseScope(scopeText);
  if (!scope.ok) throw new Error(scope.message);
  const request = { asOf: options.asOf, scope: scope.scope, periodStart: options.periodStart, baseline: options.baseline };
  if (unknown) {
    await expect(kpiValues(db, request)).rejects.toMatchObject({ status: 404 });
    return;
  }
  const { values } = await kpiValues(db, request);
  expect(values, `${scopeText} ${JSON.stringify(options)}`).toEqual(computeKpis(snapshot, options));
}

describe("KPIs from the summaries the import keeps", () => {
  it("equal computeKpis for every scope after imports that add, update and move documents and customers", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ first, second, fiscalStartMonth, requests }) => {
        const file = await freshDatabase(`run-${run++}`);
        const sqlite = openLedgerConnection(file);
        const db = createDb(file);
        try {
          await setSetting(db, "fiscal_start_month", String(fiscalStartMonth));
          importLedgerRecords(sqlite, first, OPTIONS);
          importLedgerRecords(sqlite, second, OPTIONS);
          importLedgerRecords(sqlite, second, OPTIONS); // unchanged: changes nothing
          expect(await summariesAreCurrent(db)).toBe(true);
          const ledger = merged(first, second);
          const everOwned = new Set([...first.customers, ...second.customers].map((c) => c.ownerEmail));
          for (const { asOf, periodBack, baselineShift } of requests) {
            const options = {
              asOf,
              periodStart: periodBack === null ? undefined : addDays(asOf, -periodBack),
              baseline: baselineShift === null ? undefined : addDays(asOf, baselineShift),
              fiscalStartMonth,
            };
            for (const { scope, snapshot } of scopedSnapshots(ledger)) {
              // Owners are users (created by the import that first names them); regions and grades exist while a customer has them.
              const unknown = scope.startsWith("owner:")
                ? !everOwned.has(scope.slice("owner:".length))
                : !scope.startsWith("company") && snapshot.customers.length === 0;
              await expectSameAsEngine(db, scope, snapshot, options, unknown);
            }
          }
        } finally {
          sqlite.close();
          await db.destroy();
          await dropDatabase(file);
        }
      }),
      { numRuns: RUNS.imports },
    );
  }, 180_000);
});

// ---------------------------------------------------------------- customers changed outside the import

/** A change to one customer's owner (an index into the users, or none), region, grade and limit. */
const customerEditArbitrary = fc.record({
  customer: fc.nat({ max: CUSTOMER_CODES.length - 1 }),
  owner: fc.option(fc.nat({ max: OWNER_EMAILS.length - 1 })),
  region: fc.option(fc.constantFrom(...REGIONS, "North")),
  grade: fc.option(fc.constantFrom(...GRADES, "C")),
  limit: fc.option(fc.constantFrom(0, 1, 1_000, 50_000, 500_000)),
  // through the app's writer (in its transaction) rather than plain SQL
  byApp: fc.boolean(),
});

/**
 * A customer changed the way the app's writers do (a credit decision, applyToCustomer): SQLite
 * keeps the summaries inside the writer's transaction, on the connection under `db`; PostgreSQL
 * lets the trigger note the customer and moves it once the transaction has committed.
 */
async function changeByApp(db: Db, sqlite: SQLite.Database | null, id: number, write: (trx: Db) => Promise<unknown>, url = databaseUrl()): Promise<void> {
  if (!postgres) {
    if (!sqlite) throw new Error("the test database has no better-sqlite3 connection");
    await db.transaction().execute(async (trx) => {
      await changeCustomerKeepingSummaries(sqlite, id, async () => {
        await write(trx);
      });
    });
    return;
  }
  await db.transaction().execute(async (trx) => {
    await write(trx);
  });
  moveNotedCustomers(db, url);
}

/** `work` on the test database's ledger connection: the app's own on SQLite, one of its own (closed after) on PostgreSQL. */
function onLedger<T>(work: (sqlite: SQLite.Database) => T): T {
  const own = sqliteConnectionOf(getDb());
  if (own) return work(own);
  const sqlite = openLedgerConnection();
  try {
    return work(sqlite);
  } finally {
    sqlite.close();
  }
}

describe("KPI summaries after customers changed outside the import", () => {
  it("equal a rebuild once the catch-up has run, whatever mix of SQL edits and app changes came before", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(ledgerArbitrary, fc.array(customerEditArbitrary, { minLength: 1, maxLength: 8 }), async (ledger, edits) => {
        const file = await freshDatabase(`edits-${run++}`);
        const db = createDb(file);
        const sqlite = sqliteConnectionOf(db) ?? openLedgerConnection(file);
        let open = true;
        try {
          importLedgerRecords(sqlite, ledger, OPTIONS);
          const customers = (sqlite.prepare("SELECT id FROM customers ORDER BY code").all() as { id: number }[]).map((c) => c.id);
          const users = (sqlite.prepare("SELECT id FROM users ORDER BY email").all() as { id: number }[]).map((u) => u.id);
          for (const edit of edits) {
            const id = defined(customers[edit.customer % customers.length], "a customer");
            const values = { owner_id: edit.owner === null ? null : (users[edit.owner % users.length] ?? null), region: edit.region, credit_grade: edit.grade, credit_limit: edit.limit };
            const update = () => db.updateTable("customers").set(values).where("id", "=", id).execute();
            if (edit.byApp) await changeByApp(db, sqlite, id, (trx) => trx.updateTable("customers").set(values).where("id", "=", id).execute(), file);
            else await update();
          }
          catchUpKpiSummaries(sqlite);
          expect(await summariesAreCurrent(db)).toBe(true);
          const rows = summaryRows(sqlite);
          // nobody connected while PostgreSQL copies it for the rebuild
          if (postgres) sqlite.close();
          await db.destroy();
          open = false;
          expect(rows).toEqual(await rebuiltSummaryRows(file));
        } finally {
          if (open) {
            if (postgres) sqlite.close();
            await db.destroy();
          }
          await dropDatabase(file);
        }
      }),
      { numRuns: RUNS.edits },
    );
  }, 180_000);
});

// ---------------------------------------------------------------- worked cases on the test database (CSV imports)

/** The engine on the database's own ledger for a scope: the reference the summaries must match. */
async function engineValues(scopeText: string, options: Omit<KpiOptions, "fiscalStartMonth">) {
  const scope = parseScope(scopeText);
  if (!scope.ok) throw new Error(scope.message);
  const ids = await scopeCustomerIds(getDb(), scope.scope);
  if (ids === "unknown") throw new Error(`${scopeText} is unknown`);
  return computeKpis(await loadLedgerSnapshot(getDb(), ids, "9999-12-31"), { ...options, fiscalStartMonth: 1 });
}

const SCOPES = ["company", "customer:K1", "customer:K2", "owner:amy@example.test", "owner:ben@example.test", "region:North", "grade:A"];
const DATES = ["2023-12-31", "2024-01-10", "2024-02-15", "2024-03-31", "2024-05-20", "2024-08-01", "2025-06-30", "2027-12-31", "2031-01-01"];

async function expectEveryScopeAndDate() {
  for (const scopeText of SCOPES) {
    for (const asOf of DATES) {
      const scope = parseScope(scopeText);
      if (!scope.ok) throw new Error(scope.message);
      const { values } = await kpiValues(getDb(), { asOf, scope: scope.scope });
      expect(values, `${scopeText} as of ${asOf}`).toEqual(await engineValues(scopeText, { asOf }));
    }
  }
}

describe("KPI summaries, worked cases", () => {
  it("start empty: every KPI is zero or null before any import", async () => {
    const json = await kpiObject(getDb(), { asOf: "2024-05-20" });
    expect(json.ar_total).toBe(0);
    expect(json.dso).toBeNull();
    expect(await summariesAreCurrent(getDb())).toBe(true);
  });

  it("follow the ledger before its first document, between documents and long after the last", async () => {
    await importIntoTestDb([
      {
        kind: "customers",
        source: csvSource("customers.csv", [
          "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
          "K1,Kestrel,North,amy@example.test,A,1500,30",
          "K2,Kite,South,ben@example.test,B,,60",
        ]),
      },
      {
        kind: "invoices",
        source: csvSource("invoices.csv", [
          "invoice_no,customer_code,issue_date,due_date,amount",
          "K1-1,K1,2024-01-05,2024-02-04,1000",
          "K1-2,K1,2024-02-01,,800",
          "K2-1,K2,2024-01-20,,2500",
        ]),
      },
      {
        kind: "payments",
        source: csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "P1,K1,2024-02-10,600,K1-1", "P2,K2,2024-03-01,3000,"]),
      },
      {
        kind: "adjustments",
        source: csvSource("adjustments.csv", ["adjustment_no,customer_code,date,amount,type,invoice_no", "A1,K1,2024-05-01,100,write_off,K1-1"]),
      },
    ]);
    const before = await kpiObject(getDb(), { asOf: "2023-12-31" });
    expect(before.ar_total).toBe(0);
    expect(before.billed).toBe(0);
    const later = await kpiObject(getDb(), { asOf: "2031-01-01" });
    // K1 still owes 300 of K1-1 and all of K1-2, 1,096+ days after issue: the last aging band.
    expect(later.aging.over_365).toBe(1100);
    expect(later.aging_by_issue.over_1095).toBe(1100);
    expect(later.unapplied_credit).toBe(500);
    await expectEveryScopeAndDate();
  });

  it("follow an invoice updated by a re-import", async () => {
    await importIntoTestDb([
      {
        kind: "invoices",
        source: csvSource("invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "K1-2,K1,2024-01-15,2024-04-30,1900"]),
      },
    ]);
    expect((await kpiObject(getDb(), { asOf: "2024-02-15", scope: "customer:K1" })).ar_total).toBe(2300);
    await expectEveryScopeAndDate();
  });

  it("follow a customer moved to another owner, region, grade and limit", async () => {
    await importIntoTestDb([
      {
        kind: "customers",
        source: csvSource("customers.csv", [
          "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
          "K2,Kite,North,amy@example.test,A,2000,60",
        ]),
      },
    ]);
    const amy = await kpiObject(getDb(), { asOf: "2024-02-15", scope: "owner:amy@example.test" });
    expect(amy.ar_total).toBe(2300 + 2500);
    const ben = await kpiObject(getDb(), { asOf: "2024-02-15", scope: "owner:ben@example.test" });
    expect(ben.ar_total).toBe(0);
    await expectEveryScopeAndDate();
  });

  it("keep counting a customer changed outside the app as it was, until the next import moves it", async () => {
    const north = async () => (await kpiObject(getDb(), { asOf: "2024-02-15", scope: "region:North" })).ar_total;
    const before = await north();
    await getDb().updateTable("customers").set({ region: "East", credit_limit: 1 }).where("code", "=", "K2").execute();
    expect(await summariesAreCurrent(getDb())).toBe(false);
    // the last good summaries: K2 still counts for the North
    expect(await north()).toBe(before);
    expect((await kpiObject(getDb(), { asOf: "2024-02-15", scope: "region:East" })).ar_total).toBe(0);
    await importIntoTestDb([
      { kind: "payments", source: csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "P3,K2,2024-06-01,100,"]) },
    ]);
    expect(await summariesAreCurrent(getDb())).toBe(true);
    expect(await north()).toBe(before - 2500);
    expect((await kpiObject(getDb(), { asOf: "2024-02-15", scope: "region:East" })).ar_total).toBe(2500);
    await getDb().updateTable("customers").set({ region: "North" }).where("code", "=", "K2").execute();
    expect(onLedger(catchUpKpiSummaries)).toEqual({ done: "moved", customers: 1 });
    await expectEveryScopeAndDate();
  });

  it("are built by the catch-up when they were never built, the engine answering meanwhile", async () => {
    onLedger((sqlite) => {
      sqlite.prepare("DELETE FROM kpi_daily_summaries").run();
      sqlite.prepare("UPDATE kpi_summary_status SET rebuild_needed = 1").run();
    });
    expect(await summariesAreCurrent(getDb())).toBe(false);
    await expectEveryScopeAndDate();
    expect(onLedger(catchUpKpiSummaries)).toEqual({ done: "rebuilt" });
    expect(onLedger(catchUpKpiSummaries)).toEqual({ done: "nothing" });
    expect(await summariesAreCurrent(getDb())).toBe(true);
    await expectEveryScopeAndDate();
  });

  it("stay current when a credit decision changes a customer's grade and limit in a transaction", async () => {
    const db = getDb();
    const k1 = (await db.selectFrom("customers").select("id").where("code", "=", "K1").executeTakeFirstOrThrow()).id;
    await changeByApp(db, sqliteConnectionOf(db), k1, (trx) => trx.updateTable("customers").set({ credit_grade: "B", credit_limit: 50 }).where("id", "=", k1).execute());
    expect(await summariesAreCurrent(db)).toBe(true);
    // K1 left grade A for B and is now over its limit: the grade scopes and the count follow
    expect((await kpiObject(db, { asOf: "2024-02-15", scope: "grade:B" })).ar_total).toBe(2300);
    expect((await kpiObject(db, { asOf: "2024-02-15" })).customers_over_limit).toBe(2);
    await expectEveryScopeAndDate();
    for (const asOf of DATES) {
      const { values } = await kpiValues(db, { asOf, scope: { type: "grade", grade: "B" } });
      expect(values, `grade:B as of ${asOf}`).toEqual(await engineValues("grade:B", { asOf }));
    }
  });

  it("answer unknown scopes with 404 as before", async () => {
    for (const scope of ["owner:nobody@example.test", "region:Nowhere", "grade:Z", "customer:NOPE"]) {
      await expect(kpiObject(getDb(), { asOf: "2024-05-20", scope })).rejects.toBeInstanceOf(AppError);
      await expect(kpiObject(getDb(), { asOf: "2024-05-20", scope })).rejects.toMatchObject({ status: 404 });
    }
  });
});

