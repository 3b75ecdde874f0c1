import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import pg from "pg";

import { bundleScript, workerBundlePath } from "../../db/cli/build-workers";
import { IMPORT_FORMAT, benchLedgerFiles } from "./generate-ledger";

/** Where the benchmarks keep their generated files and databases (git-ignored). */
export const BENCH_DIR = path.resolve("data/bench");

/** The nearest-rank percentile (p in 0-100) of some timings. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/**
 * A PostgreSQL server's URL when DATABASE_URL names one: the benchmarks then make their databases
 * there (one per purpose, named qd_bench_…), instead of SQLite files in BENCH_DIR.
 */
export function benchPostgresServer(): string | null {
  const url = process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//i.test(url) ? url : null;
}

/** `name` on the server, as a URL. */
export function postgresDatabaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops and makes again the database `name` on the server; returns its URL. */
export async function freshPostgresDatabase(server: string, name: string): Promise<string> {
  await onServer(server, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  return postgresDatabaseUrl(server, name);
}

/** What the database's comment says (the bench's "complete" mark on PostgreSQL); null when it has none or does not exist. */
async function postgresMark(server: string, name: string): Promise<string | null> {
  return onServer(server, async (client) => {
    const { rows } = await client.query<{ mark: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1",
      [name],
    );
    return rows[0]?.mark ?? null;
  });
}

/**
 * The shared bench database `kpi-<size>.db`: `size` invoices and payments for 10k customers,
 * imported through the import job in a child process, unless a copy made by the current import
 * (IMPORT_FORMAT) is already there. Returns its path.
 */
export async function ensureBenchDatabase(size: number): Promise<string> {
  const server = benchPostgresServer();
  if (server) return ensurePostgresBenchDatabase(server, size);
  const databaseFile = path.join(BENCH_DIR, `kpi-${size}.db`);
  const done = `${databaseFile}.complete`;
  if (fs.existsSync(databaseFile) && fs.existsSync(done) && fs.readFileSync(done, "utf8").includes(IMPORT_FORMAT)) return databaseFile;
  for (const suffix of ["", "-wal", "-shm", ".complete"]) fs.rmSync(databaseFile + suffix, { force: true });
  await importBenchLedger(databaseFile, size);
  fs.writeFileSync(done, `${new Date().toISOString()} ${IMPORT_FORMAT}`);
  return databaseFile;
}

/** The same on PostgreSQL: the database qd_bench_kpi_<size> on the server, marked complete by its comment. */
async function ensurePostgresBenchDatabase(server: string, size: number): Promise<string> {
  const name = `qd_bench_kpi_${size}`;
  if ((await postgresMark(server, name))?.includes(IMPORT_FORMAT)) return postgresDatabaseUrl(server, name);
  const url = await freshPostgresDatabase(server, name);
  await importBenchLedger(url, size);
  const mark = `${new Date().toISOString()} ${IMPORT_FORMAT}`;
  await onServer(server, (client) => client.query(`COMMENT ON DATABASE ${name} IS ${client.escapeLiteral(mark)}`));
  return url;
}

/**
 * The import child (tests/bench/import-child.ts) bundled as `npm run build:workers` bundles
 * `npm run import` and the web import's process, run by Node without tsx: the import's memory
 * and CPU measured as an installation runs it. Built afresh on every call (half a second).
 */
export function importChildScript(): string {
  return bundleScript("tests/bench/import-child.ts", workerBundlePath("tests/bench/import-child.ts"));
}

/** Imports the bench ledger of `size` invoices and payments into the database (a file or a URL) in a child process. */
async function importBenchLedger(databaseFile: string, size: number): Promise<void> {
  const files = benchLedgerFiles(BENCH_DIR, { invoices: size, payments: size });
  console.log(`importing ${size.toLocaleString("en")} invoices and payments into ${databaseFile} …`);
  const child = fork(importChildScript(), [databaseFile, files.customers, files.invoices, files.payments], { execArgv: [] });
  const result = await new Promise<{ seconds: number; rows: number }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { seconds: number; rows: number }));
    child.once("exit", (code) => code !== 0 && reject(new Error(`import exited with ${code}`)));
  });
  console.log(`imported ${result.rows.toLocaleString("en")} rows in ${result.seconds.toFixed(1)} s`);
}
