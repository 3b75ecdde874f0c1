import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { IMPORT_FORMAT, benchLedgerFiles } from "./generate-ledger";

/** Where the benchmarks keep their generated files and databases (git-ignored). */
export const BENCH_DIR = path.resolve("data/bench");

/** The nearest-rank percentile (p in 0-100) of some timings. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/**
 * The shared bench database `kpi-<size>.db`: `size` invoices and payments for 10k customers,
 * imported through the import job in a child process, unless a copy made by the current import
 * (IMPORT_FORMAT) is already there. Returns its path.
 */
export async function ensureBenchDatabase(size: number): Promise<string> {
  const databaseFile = path.join(BENCH_DIR, `kpi-${size}.db`);
  const done = `${databaseFile}.complete`;
  if (fs.existsSync(databaseFile) && fs.existsSync(done) && fs.readFileSync(done, "utf8").includes(IMPORT_FORMAT)) return databaseFile;
  const files = benchLedgerFiles(BENCH_DIR, { invoices: size, payments: size });
  for (const suffix of ["", "-wal", "-shm", ".complete"]) fs.rmSync(databaseFile + suffix, { force: true });
  console.log(`importing ${size.toLocaleString("en")} invoices and payments into ${databaseFile} …`);
  const child = fork(path.resolve("tests/bench/import-child.ts"), [databaseFile, files.customers, files.invoices, files.payments], {
    execArgv: ["--import", "tsx"],
  });
  const result = await new Promise<{ seconds: number; rows: number }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { seconds: number; rows: number }));
    child.once("exit", (code) => code !== 0 && reject(new Error(`import exited with ${code}`)));
  });
  console.log(`imported ${result.rows.toLocaleString("en")} rows in ${result.seconds.toFixed(1)} s`);
  fs.writeFileSync(done, `${new Date().toISOString()} ${IMPORT_FORMAT}`);
  return databaseFile;
}
