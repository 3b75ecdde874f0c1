import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

import SQLite from "better-sqlite3";

import { migrateToLatest } from "../../db/migrate";
import { today } from "~/server/clock.server";
import { closeDb, getDb } from "~/server/db.server";
import { quarterOf } from "~/kernel/dates";
import { getSettings } from "~/features/settings/index.server";
import { createUser } from "~/features/users/index.server";
import { openThisQuarterReview, reviewOpeningsSettled, reviewWorklistPage } from "~/features/credit/review/index.server";
import { buildWorklist } from "~/features/credit/review/review.server";
import { readWorklistQuery } from "~/features/credit/review/review";
import { BENCH_DIR, ensureBenchDatabase } from "./bench-db";

/**
 * npm run bench:credit-review — opening the quarter's credit review on the benchmark ledger (10k
 * customers, BENCH_INVOICES invoices and as many payments, imported once through the real import
 * job into data/bench/kpi-<size>.db and copied here to data/bench/credit-review-<size>.db).
 *
 * Times, as the head's click goes: the post that queues the opening (the request), the opening
 * job in the background, then the worklist's first page; and the longest the server's event loop
 * waited meanwhile (other requests wait that long at worst). Then measures every customer from its
 * documents the way openings did before the import kept paid dates, and checks both worklists are
 * the same. Goal: the first page <= 2 s after the click.
 */
const SIZE = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const GOAL_MS = 2000;

async function freshCopy(): Promise<string> {
  const source = await ensureBenchDatabase(SIZE);
  const target = path.join(BENCH_DIR, `credit-review-${SIZE}.db`);
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(target + suffix, { force: true });
  const sqlite = new SQLite(source, { readonly: true });
  await sqlite.backup(target);
  sqlite.close();
  return target;
}

async function main() {
  const databaseFile = await freshCopy();
  process.env.DATABASE_URL = databaseFile;
  const db = getDb();
  await migrateToLatest(db);
  const created = await createUser(db, { email: "head@bench.test", name: "Bench Head", role: "head", passwordHash: null }, null);
  const head = { ...created, role: "head" as const, locale: "en" as const };
  const day = today();

  const delay = monitorEventLoopDelay({ resolution: 10 });
  const clicked = performance.now();
  const { openingId } = await openThisQuarterReview(db, head as never, { intent: "open" }, day);
  const queuedMs = performance.now() - clicked;
  delay.enable();
  await reviewOpeningsSettled();
  delay.disable();
  const jobMs = performance.now() - clicked - queuedMs;
  const opening = await db.selectFrom("credit_review_openings").selectAll().where("id", "=", openingId).executeTakeFirstOrThrow();
  if (opening.status !== "done" || opening.review_id === null) throw new Error(`the opening ended ${opening.status}: ${opening.error_detail}`);
  const pageStarted = performance.now();
  const page = await reviewWorklistPage(db, head as never, opening.review_id, readWorklistQuery(new URLSearchParams()));
  const pageMs = performance.now() - pageStarted;
  const totalMs = performance.now() - clicked;

  // As openings measured before: every customer settled from its documents.
  const { fiscalStartMonth } = await getSettings(db);
  const quarter = quarterOf(day, fiscalStartMonth);
  const asOf = quarter.end < day ? quarter.end : day;
  const started = performance.now();
  const settled = await buildWorklist(db, asOf, quarter.end, { fromDocumentsOnly: true });
  const settledMs = performance.now() - started;
  const stored = await buildWorklist(db, asOf, quarter.end);
  const same = JSON.stringify(stored) === JSON.stringify(settled);

  console.log(`\nOpening the credit review on ${SIZE.toLocaleString("en")} invoices and payments (${databaseFile}), business date ${day}`);
  console.log(`the head's post (queues the opening):          ${queuedMs.toFixed(0).padStart(7)} ms`);
  console.log(`the opening job (${opening.progress_total} customers, ${page.page.total} rows): ${jobMs.toFixed(0).padStart(7)} ms`);
  console.log(`the worklist's first page:                    ${pageMs.toFixed(0).padStart(7)} ms`);
  console.log(`click to first page:                          ${totalMs.toFixed(0).padStart(7)} ms`);
  console.log(`longest event-loop wait during the job:       ${(delay.max / 1e6).toFixed(0).padStart(7)} ms`);
  console.log(`measuring every customer from its documents (as before): ${settledMs.toFixed(0)} ms`);
  console.log(`the two worklists are ${same ? "identical" : "DIFFERENT"} (${stored.length} rows)`);
  console.log(`goal: the worklist's first page <= ${GOAL_MS} ms after the click: ${totalMs <= GOAL_MS ? "met" : "NOT met"}`);
  await closeDb();
  if (!same) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
