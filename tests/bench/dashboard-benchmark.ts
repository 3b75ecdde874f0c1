import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import autocannon from "autocannon";
import SQLite from "better-sqlite3";

import { today } from "~/server/clock.server";
import { fiscalYearOf } from "~/kernel/dates";
import { DEMO_PASSWORD, DEMO_USERS } from "../../db/seed";
import { BENCH_DIR, ensureBenchDatabase, percentile } from "./bench-db";

/**
 * npm run bench:dashboard — the dashboard (and the other busy pages) under load, through the real
 * server: built app (run `npm run build` first), a real sign-in as the head, then autocannon with
 * BENCH_CONNECTIONS keep-alive connections for BENCH_SECONDS per page. Prints req/s, p50, p95,
 * p99 (of every response's time), errors (connection errors, timeouts and non-200 answers) and the
 * server process's CPU time per response (from /proc: steadier than the latencies on a busy machine).
 *
 * Databases (BENCH_DATABASES, comma separated, default `demo,1000000`): `demo` is a fresh demo
 * seeded at today's business date (`npm run db:seed`); a number is the shared bench ledger of
 * that many invoices and payments (bench-db.ts), copied to dashboard-<size>.db with the demo head
 * added as a user. Pages: the dashboard for the company and for one owner on every database; on
 * the demo also a plan, My tasks, the status table and the year review (BENCH_PAGES=dashboard
 * keeps to the dashboard, BENCH_PAGES=status,review to the pages whose path has one of the words). Goal: >= 200 req/s, p95 <= 150 ms, no errors.
 *
 * BENCH_CPU_PROF=DIR runs the server with `--cpu-prof` into DIR (one profile per database).
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const DATABASES = (process.env.BENCH_DATABASES ?? "demo,1000000").split(",").map((d) => d.trim()).filter(Boolean);
const PAGES = process.env.BENCH_PAGES ?? "all";
const CPU_PROF = process.env.BENCH_CPU_PROF;
const GOAL = { rps: 200, p95: 150 };

const head = DEMO_USERS.find((user) => user.role === "head")!;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A copy of the shared bench ledger the head can sign in to (the shared file stays as the other benches expect it). */
async function benchCopy(size: number): Promise<string> {
  const source = await ensureBenchDatabase(size);
  const copy = path.join(BENCH_DIR, `dashboard-${size}.db`);
  const stamp = `${copy}.source`;
  const sourceStamp = fs.readFileSync(`${source}.complete`, "utf8");
  if (fs.existsSync(copy) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === sourceStamp) return copy;
  for (const suffix of ["", "-wal", "-shm", ".source"]) fs.rmSync(copy + suffix, { force: true });
  const sqlite = new SQLite(source, { readonly: true });
  await sqlite.backup(copy);
  sqlite.close();
  // The head signs in with the demo password; the hash is made the way the app makes it.
  const { migrateToLatest } = await import("../../db/migrate");
  const { createDb } = await import("~/server/db.server");
  const { createUser } = await import("~/features/users/index.server");
  const { hashPassword } = await import("~/server/password.server");
  const db = createDb(copy);
  await migrateToLatest(db);
  await createUser(db, { email: head.email, name: head.name, role: "head", passwordHash: await hashPassword(DEMO_PASSWORD) }, null);
  await db.destroy();
  fs.writeFileSync(stamp, sourceStamp);
  return copy;
}

/** A fresh demo at today's business date, seeded before the server starts (so a profile holds only the serving). */
async function freshDemo(): Promise<string> {
  const file = path.join(BENCH_DIR, "dashboard-demo.db");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  execFileSync(process.execPath, ["--import", "tsx", "db/cli/seed.ts"], {
    env: { ...process.env, DATABASE_URL: file, QUARTERDECK_TODAY: today() },
    stdio: "ignore",
  });
  return file;
}

async function serve(databaseFile: string, label: string): Promise<{ base: string; server: ChildProcessWithoutNullStreams }> {
  const port = await freePort();
  const profile = CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(CPU_PROF, label)] : [];
  const server = spawn(process.execPath, ["--import", "tsx", ...profile, "db/cli/start.ts"], {
    env: { ...process.env, DATABASE_URL: databaseFile, PORT: String(port), HOST: "127.0.0.1", QUARTERDECK_TODAY: today(), NODE_ENV: "production" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    server.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Quarterdeck is serving")) resolve();
    });
    server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.once("exit", (code) => reject(new Error(`the app exited with ${code}:\n${output}`)));
  });
  return { base: `http://127.0.0.1:${port}`, server };
}

async function stop(server: ChildProcessWithoutNullStreams): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  await exited;
}

async function signIn(base: string): Promise<string> {
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ email: head.email, password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
  return cookie;
}

/** CPU time (user + system) the server process has used so far, in ms; NaN where /proc is not there. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (comm) "; in clock ticks (100 a second on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

interface Row {
  database: string;
  page: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  requests: number;
  /** the server's CPU time per response: what a view costs, whatever else the machine runs */
  cpuPerResponse: number;
}

async function hammer(base: string, cookie: string, database: string, page: string, serverPid: number | undefined): Promise<Row> {
  const url = `${base}${page}`;
  // One view first: the page must answer 200 (a bench of error pages measures nothing).
  const first = await fetch(url, { headers: { Cookie: cookie } });
  await first.text();
  if (first.status !== 200) throw new Error(`${page}: HTTP ${first.status}`);
  const times: number[] = [];
  let bad = 0;
  const cpuBefore = cpuMs(serverPid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { Cookie: cookie } }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    // Every response's own time, for the percentiles autocannon does not report (p95).
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      times.push(responseTime);
      if (statusCode !== 200) bad += 1;
    });
  });
  const cpu = cpuMs(serverPid) - cpuBefore;
  return {
    cpuPerResponse: cpu / Math.max(1, times.length),
    database,
    page,
    rps: times.length / SECONDS,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: result.errors + result.timeouts + bad,
    requests: times.length,
  };
}

function print(row: Row): void {
  const ok = row.rps >= GOAL.rps && row.p95 <= GOAL.p95 && row.errors === 0;
  console.log(
    `${row.database.padEnd(8)} ${row.page.padEnd(44)} ${row.rps.toFixed(1).padStart(7)} req/s  p50 ${row.p50.toFixed(0).padStart(5)} ms  p95 ${row.p95.toFixed(0).padStart(5)} ms  p99 ${row.p99.toFixed(0).padStart(5)} ms  errors ${row.errors}  (${row.requests} responses, server CPU ${row.cpuPerResponse.toFixed(1)} ms each)  ${ok ? "ok" : "MISSED"}`,
  );
}

async function main() {
  if (!fs.existsSync("build/index.js")) throw new Error("No build: run `npm run build` first.");
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  if (CPU_PROF) fs.mkdirSync(CPU_PROF, { recursive: true });
  const businessDate = today();
  console.log(`business date ${businessDate}; ${CONNECTIONS} connections, ${SECONDS} s per page, signed in as ${head.email}`);
  const rows: Row[] = [];
  for (const database of DATABASES) {
    const demo = database === "demo";
    const file = demo ? await freshDemo() : await benchCopy(Number(database));
    const { base, server } = await serve(file, database);
    try {
      const cookie = await signIn(base);
      const owner = demo ? "staff@demo.quarterdeck" : "owner1@bench.test";
      const pages = ["/", `/?scope=${encodeURIComponent(`owner:${owner}`)}`];
      if (demo && PAGES !== "dashboard") {
        const sqlite = new SQLite(file, { readonly: true });
        const plan = sqlite.prepare("SELECT id FROM plans WHERE start_date <= ? AND end_date >= ? ORDER BY id DESC LIMIT 1").get(businessDate, businessDate) as
          | { id: number }
          | undefined;
        const anyPlan = plan ?? (sqlite.prepare("SELECT id FROM plans ORDER BY id DESC LIMIT 1").get() as { id: number });
        sqlite.close();
        pages.push(`/plans/${anyPlan.id}`, "/tasks", "/status", `/review/${fiscalYearOf(businessDate, 1).fiscalYear}`);
      }
      const only = PAGES === "all" || PAGES === "dashboard" ? null : PAGES.split(",");
      for (const page of pages.filter((p) => only === null || only.some((part) => p.includes(part)))) {
        const row = await hammer(base, cookie, database, page, server.pid);
        rows.push(row);
        print(row);
      }
    } finally {
      await stop(server);
    }
  }
  console.log("\nsummary (goal >= 200 req/s, p95 <= 150 ms, 0 errors)");
  for (const row of rows) print(row);
}

await main();
