import { migrateToLatest } from "../../db/migrate";
import { closeDb, getDb } from "~/server/db.server";
import { addMonths, monthEnd, monthStart } from "~/kernel/dates";
import { resolveProvisionRequest } from "~/features/provisions";
import { computeProvision } from "~/features/provisions/index.server";
import { ensureBenchDatabase, percentile } from "./bench-db";

/**
 * npm run bench:provision — bad-debt provisions on the benchmark ledger (10k customers,
 * BENCH_INVOICES invoices and as many payments; the shared data/bench/kpi-<size>.db imported
 * through the real import, which keeps the provision positions). Goals: a ladder provision
 * <= 200 ms, a matrix with 3 years of history <= 500 ms, read from the month-end positions the
 * import keeps. Also timed, without a goal: a date inside a month (the customers with later
 * documents are settled from their documents) and bands off the kept fine edges.
 */
const SIZE = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 20);

async function main() {
  process.env.DATABASE_URL = await ensureBenchDatabase(SIZE);
  const db = getDb();
  await migrateToLatest(db);
  const latest = await db.selectFrom("provision_customers").select((eb) => eb.fn.max("last_document_date").as("d")).executeTakeFirstOrThrow();
  const lastDocument = String(latest.d);
  const monthEndBefore = monthEnd(addMonths(monthStart(lastDocument), -1));
  const owner = await db.selectFrom("customers").select("owner_id").where("owner_id", "is not", null).limit(1).executeTakeFirst();
  const ownerEmail = owner?.owner_id ? (await db.selectFrom("users").select("email").where("id", "=", owner.owner_id).executeTakeFirstOrThrow()).email : null;

  const cases: { name: string; goal: number | null; words: Parameters<typeof resolveProvisionRequest>[0] }[] = [
    { name: `ladder, company, month end ${monthEndBefore}`, goal: 200, words: { asOf: monthEndBefore, method: "ladder" } },
    { name: `ladder, company, due-date basis, month end`, goal: 200, words: { asOf: monthEndBefore, method: "ladder", basis: "due" } },
    { name: `ladder, company, after the last document (${lastDocument})`, goal: 200, words: { asOf: lastDocument, method: "ladder" } },
    ...(ownerEmail ? [{ name: `ladder, owner:${ownerEmail}, month end`, goal: 200, words: { asOf: monthEndBefore, method: "ladder", scope: `owner:${ownerEmail}` } }] : []),
    { name: `matrix, company, 3 yearly periods to ${monthEndBefore}`, goal: 500, words: { asOf: monthEndBefore, method: "matrix" } },
    { name: `matrix, company, 12 monthly periods (due basis, 30/60/90)`, goal: 500, words: { asOf: monthEndBefore, method: "matrix", basis: "due", bands: "0,30,60,90" } },
    { name: `ladder, company, inside a month (${addDays15(monthEndBefore)})`, goal: null, words: { asOf: addDays15(monthEndBefore), method: "ladder" } },
    { name: `ladder, company, bands off the kept edges (400,800)`, goal: null, words: { asOf: monthEndBefore, method: "ladder", bands: "400,800", rates: "5,20,100" } },
  ];
  console.log(`provision benchmark: ${SIZE.toLocaleString("en")} invoices, ${REPEATS} runs each (first run reported apart)`);
  for (const entry of cases) {
    const request = resolveProvisionRequest(entry.words);
    const times: number[] = [];
    let total = 0;
    const runs = entry.goal === null ? 3 : REPEATS;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      total = (await computeProvision(db, request)).total;
      times.push(performance.now() - started);
    }
    const p50 = percentile(times.slice(1), 50);
    const p99 = percentile(times.slice(1), 99);
    const verdict = entry.goal === null ? "" : p50 <= entry.goal ? ` (goal ${entry.goal} ms: met)` : ` (goal ${entry.goal} ms: MISSED)`;
    console.log(`${entry.name}: first ${times[0]?.toFixed(0)} ms, p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms${verdict}; total ${(total / 100).toFixed(2)}`);
  }
  await closeDb();
}

function addDays15(date: string): string {
  return `${date.slice(0, 8)}15`;
}

await main();
