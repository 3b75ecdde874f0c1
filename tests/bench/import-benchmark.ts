import { execFileSync, fork } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { BENCH_DIR as OUT, percentile } from "./bench-db";
import { benchLedgerFiles } from "./generate-ledger";

/**
 * npm run bench:import — the import's goals, measured in one run:
 * our import of 10k customers + 1M invoices + 1M payments (rows/s, peak RSS of the importing
 * process) beside the sqlite3 CLI's `.import` of the same CSVs into bare tables with the same
 * indexes, and the latency of app requests served while the import runs.
 * Goals: ratio <= 3, >= 100k rows/s, peak RSS <= 300 MB, request p99 <= 100 ms.
 */
const SIZE = Number(process.env.BENCH_INVOICES ?? 1_000_000);

function ensureSqliteCli() {
  try {
    execFileSync("sqlite3", ["-version"], { stdio: "ignore" });
  } catch {
    console.log("installing Debian's sqlite3 for the baseline…");
    execFileSync("apt-get", ["install", "-y", "-qq", "sqlite3"], { stdio: "inherit" });
  }
}

function sqliteCliImport(files: { customers: string; invoices: string; payments: string }): number {
  const db = path.join(OUT, "baseline.db");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(db + suffix, { force: true });
  const script = `
CREATE TABLE customers (code TEXT NOT NULL UNIQUE, name TEXT, region TEXT, owner_email TEXT, credit_grade TEXT, credit_limit TEXT, payment_terms_days TEXT);
CREATE TABLE invoices (invoice_no TEXT NOT NULL UNIQUE, customer_code TEXT, issue_date TEXT, amount TEXT);
CREATE TABLE payments (payment_no TEXT NOT NULL UNIQUE, customer_code TEXT, date TEXT, amount TEXT, invoice_no TEXT);
CREATE INDEX invoices_customer_order ON invoices (customer_code, issue_date, invoice_no);
CREATE INDEX invoices_issue_date ON invoices (issue_date, amount);
CREATE INDEX payments_customer_date ON payments (customer_code, date);
CREATE INDEX payments_date ON payments (date, amount);
CREATE INDEX payments_invoice ON payments (invoice_no);
.mode csv
.import --skip 1 ${files.customers} customers
.import --skip 1 ${files.invoices} invoices
.import --skip 1 ${files.payments} payments
`;
  const started = performance.now();
  execFileSync("sqlite3", [db], { input: script });
  return (performance.now() - started) / 1000;
}

async function startApp(databaseFile: string) {
  process.env.DATABASE_URL = databaseFile;
  if (!fs.existsSync("build/index.js")) execFileSync("npx", ["remix", "build"], { stdio: "inherit" });
  const { migrateToLatest } = await import("../../db/migrate");
  const { getDb } = await import("~/server/db.server");
  const { createUser } = await import("~/features/users/index.server");
  const { hashPassword } = await import("~/server/password.server");
  const { createHttpApp, loadServerBuild } = await import("~/server/http.server");
  await migrateToLatest(getDb());
  await createUser(getDb(), { email: "bench@bench.test", name: "Bench", role: "head", passwordHash: await hashPassword("bench password 1") }, null);
  const app = createHttpApp(await loadServerBuild());
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: "bench@bench.test", password: "bench password 1" }),
    redirect: "manual",
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { server, base, cookie };
}

async function main() {
  ensureSqliteCli();
  console.log(`generating (or reusing) ${SIZE.toLocaleString("en")} invoices and payments in ${OUT} …`);
  const files = benchLedgerFiles(OUT, { invoices: SIZE, payments: SIZE });

  const baselineSeconds = sqliteCliImport(files);

  const databaseFile = path.join(OUT, "quarterdeck-bench.db");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databaseFile + suffix, { force: true });
  const { server, base, cookie } = await startApp(databaseFile);

  // A server in use is warm: a few requests before the import, not counted.
  for (let i = 0; i < 5; i += 1) await (await fetch(`${base}/`, { headers: { Cookie: cookie } })).arrayBuffer();

  // While the import runs in its own process, a signed-in user keeps asking for a page.
  const latencies: number[] = [];
  const requests: { at: number; ms: number }[] = [];
  let importing = true;
  const poller = (async () => {
    while (importing) {
      const at = Date.now();
      const started = performance.now();
      const response = await fetch(`${base}/`, { headers: { Cookie: cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`app answered ${response.status} during the import`);
      latencies.push(performance.now() - started);
      requests.push({ at, ms: performance.now() - started });
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const child = fork(path.resolve("tests/bench/import-child.ts"), [databaseFile, files.customers, files.invoices, files.payments], {
    execArgv: ["--import", "tsx"],
  });
  // BENCH_IMPORT_NICE=n runs the import process at a lower priority than the server (default 0:
  // like the web app's import process, app/features/import/runner.server.ts).
  const nice = Number(process.env.BENCH_IMPORT_NICE ?? 0);
  if (nice !== 0) os.setPriority(child.pid!, nice);
  type ChildResult = {
    seconds: number;
    jobSeconds: number;
    rows: number;
    maxRssMb: number;
    cpuSeconds: number;
    phases: { phase: string; at: number }[];
  };
  const result = await new Promise<ChildResult>((resolve, reject) => {
    child.once("message", (m) => resolve(m as ChildResult));
    child.once("exit", (code) => code !== 0 && reject(new Error(`import exited with ${code}`)));
  });
  importing = false;
  await poller;
  server.close();

  const rowsPerSecond = result.rows / result.seconds;
  const ratio = result.seconds / baselineSeconds;
  const p99 = percentile(latencies, 99);
  const check = (ok: boolean) => (ok ? "ok" : "MISSED");
  console.log("");
  console.log(`rows imported                 ${result.rows.toLocaleString("en")} (customers + invoices + payments), import process at nice ${nice}`);
  console.log(`quarterdeck import            ${result.seconds.toFixed(1)} s   ${Math.round(rowsPerSecond).toLocaleString("en")} rows/s   goal >= 100,000: ${check(rowsPerSecond >= 100_000)}`);
  console.log(`  (begin to commit, status positions and the month in progress included; the job returned after ${result.jobSeconds.toFixed(1)} s, WAL checkpoint included)`);
  console.log(`CPU time of the import process ${result.cpuSeconds.toFixed(1)} s (whole process, start-up included)`);
  console.log(`sqlite3 CLI .import baseline  ${baselineSeconds.toFixed(1)} s`);
  console.log(`ratio (ours / baseline)       ${ratio.toFixed(2)}   goal <= 3: ${check(ratio <= 3)}`);
  console.log(`peak RSS of the import        ${Math.round(result.maxRssMb)} MB   goal <= 300: ${check(result.maxRssMb <= 300)}`);
  console.log(`app requests during import    ${latencies.length}, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms   goal <= 100: ${check(p99 <= 100)}`);
  // Where the time went, and which step each slow request overlapped.
  const origin = result.phases[0]?.at ?? 0;
  console.log("import steps (s after the import process started):");
  for (const { phase, at } of result.phases) console.log(`  ${((at - origin) / 1000).toFixed(1).padStart(6)}  ${phase}`);
  const stepAt = (at: number) => [...result.phases].reverse().find((p) => p.at <= at)?.phase ?? "before the import process";
  const slow = requests.filter((r) => r.ms > 100);
  console.log(`requests over 100 ms: ${slow.length}`);
  for (const r of slow) console.log(`  ${((r.at - origin) / 1000).toFixed(1).padStart(6)} s  ${r.ms.toFixed(0).padStart(6)} ms  after "${stepAt(r.at)}"`);
  process.exit(0);
}

await main();
