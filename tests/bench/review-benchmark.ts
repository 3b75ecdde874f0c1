import fs from "node:fs";
import path from "node:path";

import SQLite from "better-sqlite3";

import { migrateToLatest } from "../../db/migrate";
import { today } from "~/server/clock.server";
import { closeDb, getDb, openSqlite } from "~/server/db.server";
import { type QuarterNumber, fiscalQuarter, fiscalYearOf } from "~/kernel/dates";
import type { Actor } from "~/features/plans/lifecycle";
import { lastCompleteFiscalYear } from "~/features/year-review/year-review";
import { rebuildKpiSummaries, summariesAreCurrent } from "~/features/kpi/queries/summary.server";
import { findPlanCovering } from "~/features/plans/queries/plans.server";
import { getSettings } from "~/features/settings/index.server";
import { createUser } from "~/features/users/index.server";
import { createPlan } from "~/features/plans/plans.server";
import { loadYearReview, reviewWorkbook } from "~/features/year-review/year-review.server";
import { BENCH_DIR as OUT, ensureBenchDatabase, percentile } from "./bench-db";

/**
 * npm run bench:review — the year-end review's goal: on the benchmark ledger (10k
 * customers, BENCH_INVOICES invoices and as many payments; the KPI benchmark's
 * data/bench/kpi-<size>.db, imported once through the real import job and copied here to
 * data/bench/review-<size>.db with SQLite's backup API) the review of one fiscal year loads in
 * <= 2 s. Four template plans are made for the last complete fiscal year, so the work sections
 * read KPI-linked items too.
 *
 * Prints the first review load after the full import (the import keeps the month-end positions
 * the movers read, so it builds nothing), then p50 and max of the
 * whole review loader (`loadYearReview`: every section) for the last complete year and the
 * running one, and one XLSX export.
 */
const SIZE = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 10);
const GOAL_MS = 2000;

async function ensureReviewDatabase(): Promise<string> {
  const source = await ensureBenchDatabase(SIZE);
  const target = path.join(OUT, `review-${SIZE}.db`);
  // Reused while it is a copy of the current import (the plans made below are kept).
  const marker = fs.existsSync(`${target}.complete`) ? fs.readFileSync(`${target}.complete`, "utf8") : "";
  if (fs.existsSync(target) && marker === fs.readFileSync(`${source}.complete`, "utf8")) return target;
  for (const suffix of ["", "-wal", "-shm", ".complete"]) fs.rmSync(target + suffix, { force: true });
  const sqlite = new SQLite(source, { readonly: true });
  await sqlite.backup(target);
  sqlite.close();
  fs.writeFileSync(`${target}.complete`, fs.readFileSync(`${source}.complete`, "utf8"));
  return target;
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm the page cache and the JIT
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

async function main() {
  const databaseFile = await ensureReviewDatabase();
  process.env.DATABASE_URL = databaseFile;
  const db = getDb();
  await migrateToLatest(db);
  if (!(await summariesAreCurrent(db))) {
    const sqlite = openSqlite(databaseFile);
    rebuildKpiSummaries(sqlite);
    sqlite.close();
  }

  const day = today();
  const { fiscalStartMonth } = await getSettings(db);
  const lastYear = lastCompleteFiscalYear(day, fiscalStartMonth);
  const runningYear = fiscalYearOf(day, fiscalStartMonth).fiscalYear;
  let head = await db.selectFrom("users").select(["id", "role"]).where("email", "=", "head@bench.test").executeTakeFirst();
  if (!head) {
    const created = await createUser(db, { email: "head@bench.test", name: "Bench Head", role: "head", passwordHash: null }, null);
    head = { id: created.id, role: "head" };
  }
  const actor: Actor = { id: head.id, role: "head" };
  const viewer = { ...actor, email: "head@bench.test" };
  for (const quarter of [1, 2, 3, 4] as QuarterNumber[]) {
    if ((await findPlanCovering(db, fiscalQuarter(lastYear, quarter, fiscalStartMonth).start)) === null) {
      await createPlan(db, actor, { fiscalYear: lastYear, quarter, source: "template", language: "zh" }, day);
    }
  }

  // The first review after the full import: the import kept the positions, nothing is rebuilt.
  const check = openSqlite(databaseFile);
  const stale = (check.prepare("SELECT count(*) AS n FROM status_stale_customers").get() as { n: number }).n;
  check.close();
  let started = performance.now();
  await loadYearReview(db, viewer, lastYear, day);
  const firstMs = performance.now() - started;
  const rows: { label: string; p50: number; max: number; runs: number }[] = [];
  for (const [label, year] of [
    [`last complete fiscal year ${lastYear}`, lastYear],
    [`running fiscal year ${runningYear} (to ${day})`, runningYear],
  ] as const) {
    const times = await time(() => loadYearReview(db, viewer, year, day));
    rows.push({ label, p50: percentile(times, 50), max: Math.max(...times), runs: times.length });
  }
  const review = await loadYearReview(db, viewer, lastYear, day);
  started = performance.now();
  const workbook = await reviewWorkbook(review, "zh-CN");
  const exportMs = performance.now() - started;

  console.log(`\nYear-end review on ${SIZE.toLocaleString("en")} invoices (${databaseFile})`);
  console.log(`first review after the full import (${stale} stale customers left by it): ${firstMs.toFixed(0)} ms`);
  for (const row of rows) {
    console.log(`${row.label.padEnd(48)} p50 ${row.p50.toFixed(0).padStart(6)} ms   max ${row.max.toFixed(0).padStart(6)} ms   (${row.runs} runs)`);
  }
  console.log(`XLSX export of the ${lastYear} review: ${exportMs.toFixed(0)} ms, ${(workbook.length / 1024).toFixed(0)} KiB`);
  console.log(`review: ${review.work.planned} plan items, ${review.receivables.movers.fellCount} customers' overdue fell, ${review.receivables.movers.grewCount} rose`);
  const worst = Math.max(firstMs, ...rows.map((row) => row.max));
  console.log(`goal: the review of one year in <= ${GOAL_MS} ms: ${worst <= GOAL_MS ? "met" : "NOT met"} (max ${worst.toFixed(0)} ms)`);
  await closeDb();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
