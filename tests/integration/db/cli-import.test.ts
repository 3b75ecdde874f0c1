import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import type SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { databaseUrl, isPostgresUrl, openLedgerConnection } from "~/server/db.server";
import { bundleScript } from "../../../db/cli/build-workers";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-cli-import-"));
const onPostgres = isPostgresUrl(databaseUrl());
// On SQLite the command makes and migrates a file of its own; on PostgreSQL it imports into this
// test file's database (made and migrated by the setup).
const target = onPostgres ? databaseUrl() : path.join(dir, "ledger.db");
const env = { ...process.env, DATABASE_URL: target };

// `npm run import` runs the command bundled (npm run build:workers): so does this test, from a
// bundle of its own (inside the project, where the packages resolve; one per test process).
const bundle = bundleScript("db/cli/import.ts", path.resolve(`build/workers/test-cli-import-${process.pid}.js`));

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(bundle, { force: true });
});

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

async function importCli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bundle, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Reads the database the command writes, through a connection of its own (closed afterwards). */
function read<T>(work: (db: SQLite.Database) => T): T {
  const db = openLedgerConnection(target);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

function count(table: string): number {
  return read((db) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
}

function indexes(): unknown[] {
  return read((db) =>
    db
      .prepare(
        onPostgres
          ? "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
          : "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name",
      )
      .all(),
  );
}

/**
 * SQLite's integrity check reads every page and index; PostgreSQL rolls a dead client's
 * transaction back itself, and an index left unusable would be marked not valid.
 */
function intact(): boolean {
  return read((db) =>
    onPostgres ? db.prepare("SELECT count(*) AS n FROM pg_index WHERE NOT indisvalid").pluck().get() === 0 : db.pragma("integrity_check", { simple: true }) === "ok",
  );
}

function runs(): { status: string; report: string | null }[] {
  return read((db) => db.prepare("SELECT status, report FROM import_runs ORDER BY id").all() as { status: string; report: string | null }[]);
}

const customers = write("customers.csv", ["code,name,region", "C1,One,华东", "C2,Two,华南"]);
const invoices = write("invoices.csv", ["invoice_no,customer_code,issue_date,amount", "I1,C1,2026-01-05,100", "I2,C2,2026-01-06,200.5"]);

describe("npm run import", () => {
  it("imports the files and prints one count line per file (exit 0)", async () => {
    const result = await importCli("--customers", customers, "--invoices", invoices);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      "customers.csv: 2 rows; customers: 2 added, 0 updated, 0 unchanged",
      "invoices.csv: 2 rows; invoices: 2 added, 0 updated, 0 unchanged",
    ]);
    expect(count("invoices")).toBe(2);
  });

  it("prints the row report and imports nothing on a bad row (exit 1)", async () => {
    const bad = write("bad.csv", ["invoice_no,customer_code,issue_date,amount", "I3,C1,2026-02-30,5", "I4,C1,2026-02-01,7"]);
    const result = await importCli("--invoices", bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bad\.csv:2: issue_date: "2026-02-30" is not a real date$/m);
    expect(result.stderr).toMatch(/Nothing was imported \(1 error\)/);
    expect(count("invoices")).toBe(2);
  });

  it("imports workbooks from openpyxl and pandas whose ledger sheet is not Sheet1 and says which sheet it read", async () => {
    const fixture = (name: string) => path.resolve("tests/fixtures/import/xlsx", name);
    const paymentsBefore = count("payments");
    const result = await importCli("--payments", fixture("openpyxl-receipts.xlsx"), "--invoices", fixture("pandas-invoices.xlsx"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      'pandas-invoices.xlsx (sheet "应收发票"): 3 rows; invoices: 3 added, 0 updated, 0 unchanged',
      'openpyxl-receipts.xlsx (sheet "收款"): 5 rows; payments: 5 added, 0 updated, 0 unchanged',
      '  warning: ignored column "备注"',
    ]);
    expect(count("payments")).toBe(paymentsBefore + 5);
  });

  it("imports the IBM export unedited with --mapping", async () => {
    const result = await importCli("--invoices", path.resolve("tests/fixtures/import/ibm-accounts-receivable.csv"), "--mapping", "IBM accounts receivable export");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2466 rows; customers: 100 added.*invoices: 2466 added.*payments: 2466 added/);
  });

  it.each([
    [["--invoices", "/no/such/file.csv"], /No such file/],
    [["--invoices", invoices, "--mapping", "nope"], /No column mapping named "nope"/],
    [["--payments", invoices, "--mapping", "IBM accounts receivable export"], /reads invoices, not payments/],
    [["--bogus", "x"], /Unknown option/],
    [[], /Usage/],
  ])("refuses %j with a message (exit 1)", async (args, message) => {
    const result = await importCli(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it("leaves the database exactly as it was when killed with -9 half-way", async () => {
    const rows = ["invoice_no,customer_code,issue_date,amount"];
    for (let i = 0; i < 300_000; i++) rows.push(`K${i},C${(i % 2) + 1},2026-03-${String((i % 28) + 1).padStart(2, "0")},${(i % 9000) + 1}.25`);
    const big = write("big.csv", rows);
    const invoicesBefore = count("invoices");
    const runsBefore = count("import_runs");
    const indexesBefore = indexes();

    // node itself: the signal must hit the process that holds the transaction
    const child = spawn(process.execPath, [bundle, "--invoices", big], { env, stdio: "ignore" });
    // wait until the import is under way (its run is recorded before the transaction starts)
    // At most 400 looks, 50 ms apart: a bound on the wait that needs no clock.
    for (let look = 0; look < 400; look += 1) {
      const running = read((db) => db.prepare("SELECT count(*) AS n FROM import_runs WHERE status = 'running'").get() as { n: number });
      if (running.n > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 700));
    expect(child.exitCode).toBeNull();
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    expect(count("invoices")).toBe(invoicesBefore);
    expect(intact()).toBe(true);
    // a file this large has its document indexes built after the rows (SQLite), or kept (PostgreSQL): they are all there
    expect(indexes()).toEqual(indexesBefore);
    // the killed run is left "running" until the next import takes the write lock ...
    expect(runs().slice(runsBefore)).toEqual([{ status: "running", report: null }]);
    // ... which works normally and marks it failed (its process is gone)
    const again = await importCli("--invoices", invoices);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(runs().slice(runsBefore)).toEqual([
      { status: "failed", report: "The import process stopped before it finished (killed or crashed); nothing was imported." },
      { status: "succeeded", report: null },
    ]);
  }, 60_000);
});
