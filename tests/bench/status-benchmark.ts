import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import SQLite from "better-sqlite3";

import { migrateToLatest } from "../../db/migrate";
import { today } from "~/server/clock.server";
import { closeDb, getDb } from "~/server/db.server";
import { resolveStatusMonth, type StatusMonth, defaultStatusMonth } from "~/features/status-table/status-table";
import type { StatusSort } from "~/features/status-table/status-table";
import { customerFilterOptions } from "~/features/ledger/queries/customers.server";
import { ensureStatusPositions, explainStatusQuery, refreshStatusPositions, statusTable } from "~/features/status-table/queries.server";
import { exportStatusTable } from "~/features/status-table/status-table.server";
import { catchUpStatusPositions } from "~/features/status-table/status-keeper.server";
import { BENCH_DIR as OUT, ensureBenchDatabase, percentile } from "./bench-db";

/**
 * npm run bench:status — the status table's goals on the benchmark ledger (10k customers, BENCH_INVOICES
 * invoices and as many payments; the KPI benchmark's data/bench/kpi-<size>.db, imported once
 * through the real import job and copied here to data/bench/status-<size>.db with SQLite's backup
 * API, so this benchmark's migration never touches the other's file).
 *
 * Prints: the first requests after the full import (the import keeps the month-end positions and
 * the month in progress, so they build nothing), the first month-to-date request of a later day
 * (it builds the day cache), the page loader's work (positions check, totals + one page of 100
 * rows, filter options) p50/p99 for several months and sorts, a full rebuild of the positions for
 * comparison, and the XLSX / CSV export of every customer in a child process of its own: time and
 * peak RSS. Goals: loader <= 300 ms, XLSX export of 10k rows <= 10 s with peak RSS <= 300 MB.
 */
const SIZE = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 30);

async function ensureStatusDatabase(): Promise<string> {
  const source = await ensureBenchDatabase(SIZE);
  const target = path.join(OUT, `status-${SIZE}.db`);
  // A fresh copy every run: the first requests below find the database as the import left it.
  for (const suffix of ["", "-wal", "-shm", ".complete"]) fs.rmSync(target + suffix, { force: true });
  const sqlite = new SQLite(source, { readonly: true });
  await sqlite.backup(target);
  sqlite.close();
  fs.writeFileSync(`${target}.complete`, new Date().toISOString());
  return target;
}

function monthOf(text: string): StatusMonth {
  const resolved = resolveStatusMonth(text, today());
  if (!resolved.ok) throw new Error(resolved.message);
  return resolved.month;
}

/** Child mode: one export of every customer to a file; reports time and peak RSS. */
async function exportChild(format: "csv" | "xlsx", file: string) {
  const month = monthOf(defaultStatusMonth(today()));
  const started = performance.now();
  // A department head (every customer) reading in Chinese.
  const stream = (
    await exportStatusTable(
      getDb(),
      { id: 0, role: "head", locale: "zh-CN" },
      new URLSearchParams({ month: month.month, sort: "closing", dir: "desc" }),
      format,
      today(),
    )
  ).body;
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    stream.pipe(out);
    out.on("finish", () => resolve());
    stream.on("error", reject);
  });
  const seconds = (performance.now() - started) / 1000;
  process.send?.({ seconds, bytes: fs.statSync(file).size, maxRssMb: process.resourceUsage().maxRSS / 1024 }, () => process.exit(0));
}

async function runExport(databaseFile: string, format: "csv" | "xlsx") {
  const file = path.join(OUT, `status-export-${SIZE}.${format}`);
  const child = fork(path.resolve("tests/bench/status-benchmark.ts"), ["--export-child", format, file], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DATABASE_URL: databaseFile },
  });
  return new Promise<{ seconds: number; bytes: number; maxRssMb: number }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { seconds: number; bytes: number; maxRssMb: number }));
    child.once("exit", (code) => code !== 0 && reject(new Error(`export exited with ${code}`)));
  });
}

async function main() {
  const databaseFile = await ensureStatusDatabase();
  process.env.DATABASE_URL = databaseFile;
  const db = getDb();
  await migrateToLatest(db);

  const progress = (text: string) => process.stderr.write(`… ${text}\n`);
  const current = today();
  const loaderRun = async (monthText: string, sort: StatusSort, filters: { region?: string; overdueOnly?: boolean } = {}) => {
    const month = monthOf(monthText);
    // What the page's loader does: positions brought up to date, totals + one page, filter options.
    await ensureStatusPositions(db);
    const [table] = await Promise.all([
      statusTable(
        db,
        { month, scope: { kind: "all" }, filters: { overdueOnly: false, overLimitOnly: false, ...filters } },
        { sort, dir: "desc", page: 1, pageSize: 100 },
      ),
      customerFilterOptions(db, { kind: "all" }),
    ]);
    return table.totals.customers;
  };
  const timed = async (run: () => Promise<unknown>) => {
    const t = performance.now();
    await run();
    return performance.now() - t;
  };
  const staleAfterImport = Number(
    (new SQLite(databaseFile, { readonly: true }).prepare("SELECT count(*) AS n FROM status_stale_customers").get() as { n: number }).n,
  );
  // The first requests after a full import of every customer: nothing left to build.
  const firstDefault = await timed(() => loaderRun(defaultStatusMonth(current), "closing"));
  const firstToDate = await timed(() => loaderRun(current.slice(0, 7), "overdue"));
  // The first month-to-date request of a later day, before the status job has cached the day:
  // reads never write, so the month in progress is worked out live. Then the job runs (as the
  // server's job runner does at start and every minute) and the timed loads read its cache.
  const clear = new SQLite(databaseFile);
  clear.exec("DELETE FROM status_day_state");
  clear.close();
  const firstOfDay = await timed(() => loaderRun(current.slice(0, 7), "overdue"));
  const jobStarted = performance.now();
  await catchUpStatusPositions(db, current);
  const jobMs = performance.now() - jobStarted;

  progress("timing the loader");

  const cases: { label: string; month: string; sort: StatusSort; filters?: { region?: string; overdueOnly?: boolean } }[] = [
    { label: "last complete month, by code", month: defaultStatusMonth(current), sort: "code" },
    { label: "last complete month, by closing", month: defaultStatusMonth(current), sort: "closing" },
    { label: "month to date, by overdue", month: current.slice(0, 7), sort: "overdue" },
    { label: "month to date, by code", month: current.slice(0, 7), sort: "code" },
    { label: "a year ago, only overdue", month: monthOf(defaultStatusMonth(current)).month.replace(/^\d{4}/, (y) => String(Number(y) - 1)), sort: "overdueChange", filters: { overdueOnly: true } },
  ];
  const results: { label: string; p50: number; p99: number; runs: number; customers: number }[] = [];
  for (const c of cases) {
    const run = () => loaderRun(c.month, c.sort, c.filters);
    let customers = 0;
    for (let i = 0; i < 3; i += 1) customers = await run();
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i += 1) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    progress(`${c.month} ${c.label}: p50 ${percentile(times, 50).toFixed(1)} ms`);
    results.push({ label: `${c.month} ${c.label}`, p50: percentile(times, 50), p99: percentile(times, 99), runs: times.length, customers });
  }
  const planDb = new SQLite(databaseFile, { readonly: true });
  const plan = explainStatusQuery(planDb, {
    month: monthOf(defaultStatusMonth(current)),
    scope: { kind: "all" },
    filters: { overdueOnly: false, overLimitOnly: false },
  });
  planDb.close();

  // For comparison: what a full rebuild of every customer's positions costs (the first request
  // after an import paid this before the import kept them), and re-settling 100 changed customers.
  progress("full rebuild, for comparison");
  const sqlite = new SQLite(databaseFile);
  sqlite.exec("INSERT OR IGNORE INTO status_stale_customers (customer_id) SELECT id FROM customers");
  sqlite.close();
  let started = performance.now();
  const rebuilt = refreshStatusPositions(databaseFile);
  const rebuildSeconds = (performance.now() - started) / 1000;
  const one = new SQLite(databaseFile);
  one.exec("INSERT OR IGNORE INTO status_stale_customers (customer_id) SELECT id FROM customers ORDER BY id LIMIT 100");
  one.close();
  started = performance.now();
  await ensureStatusPositions(db);
  const incrementalMs = performance.now() - started;
  const positionRows = Number((await db.selectFrom("customers").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  await closeDb();

  progress("exporting");
  const xlsx = await runExport(databaseFile, "xlsx");
  const csv = await runExport(databaseFile, "csv");

  const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
  console.log("");
  console.log(`ledger: ${SIZE.toLocaleString("en")} invoices, ${SIZE.toLocaleString("en")} payments, ${positionRows.toLocaleString("en")} customers (${databaseFile}); today ${current}`);
  console.log(`stale customers left by the import: ${staleAfterImport}`);
  console.log(`first request after a full import, ${defaultStatusMonth(current)} (the page's default)      ${firstDefault.toFixed(0).padStart(6)} ms  goal <= 300 ms: ${verdict(firstDefault <= 300)}`);
  console.log(`first request after a full import, month to date                 ${firstToDate.toFixed(0).padStart(6)} ms  goal <= 300 ms: ${verdict(firstToDate <= 300)}`);
  console.log(`first month-to-date request of a new day (worked out live)      ${firstOfDay.toFixed(0).padStart(6)} ms  goal <= 300 ms: ${verdict(firstOfDay <= 300)}`);
  console.log(`the status job caching the new day (in the background)            ${jobMs.toFixed(0).padStart(6)} ms`);
  console.log(`for comparison: full rebuild of all ${rebuilt.toLocaleString("en")} customers' positions ${rebuildSeconds.toFixed(1)} s; re-settle 100 changed customers ${incrementalMs.toFixed(0)} ms`);
  for (const r of results) {
    console.log(
      `loader ${r.label.padEnd(48)} p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms (${r.runs} runs, ${r.customers} rows)  goal <= 300 ms: ${verdict(r.p99 <= 300)}`,
    );
  }
  console.log(
    `export XLSX, every customer: ${xlsx.seconds.toFixed(2)} s, ${(xlsx.bytes / 1e6).toFixed(1)} MB, peak RSS ${xlsx.maxRssMb.toFixed(0)} MB   goals <= 10 s: ${verdict(xlsx.seconds <= 10)}, <= 300 MB: ${verdict(xlsx.maxRssMb <= 300)}`,
  );
  console.log(`export CSV,  every customer: ${csv.seconds.toFixed(2)} s, ${(csv.bytes / 1e6).toFixed(1)} MB, peak RSS ${csv.maxRssMb.toFixed(0)} MB`);
  console.log("query plan of the row query (past month):");
  for (const line of plan) console.log(`  ${line}`);
  process.exit(0);
}

if (process.argv[2] === "--export-child") {
  await exportChild(process.argv[3] as "csv" | "xlsx", process.argv[4] ?? "");
} else {
  await main();
}
