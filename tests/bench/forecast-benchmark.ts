import { migrateToLatest } from "../../db/migrate";
import { createDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { catchUpForecastInputs, forecastFor, forecastJson, resolveForecastRequest } from "~/features/forecast/index.server";
import { ensureBenchDatabase, percentile } from "./bench-db";

/**
 * npm run bench:forecast — the collections forecast's goal: the company's forecast (13 weeks, 12
 * months, as the API answers it) p50 <= 200 ms, one owner's <= 50 ms, on the bench ledger
 * (10k customers, BENCH_INVOICES invoices and as many payments, default 1M), as of its last
 * document date and as of a date inside it (which reads the open runs instead of the open items).
 */
const SIZE = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
const OWNER = "owner:owner1@bench.test";

async function timeRepeated(run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 2; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times;
}

const databaseFile = await ensureBenchDatabase(SIZE);
const db = createDb(databaseFile);
await migrateToLatest(db);
const started = performance.now();
const rows = await catchUpForecastInputs(db);
if (rows !== null) console.log(`built the payment behaviour table (${rows} rows) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const last = (await db.selectFrom("invoices").select((eb) => eb.fn.max("issue_date").as("d")).executeTakeFirst())?.d ?? "2026-11-23";
const dates = [
  { label: `last document ${last}`, asOf: last },
  { label: `inside ${addDays(last, -180)}`, asOf: addDays(last, -180) },
];
const goals: Record<string, number> = { company: 200, [OWNER]: 50 };
console.log(`ledger: ${SIZE.toLocaleString("en")} invoices and payments, 10,000 customers (${databaseFile})`);
for (const scope of ["company", OWNER]) {
  for (const { label, asOf } of dates) {
    const request = resolveForecastRequest({ asOf, scope });
    const times = await timeRepeated(async () => forecastJson(await forecastFor(db, request)));
    const p50 = percentile(times, 50);
    const goal = goals[scope] ?? 0;
    console.log(`${scope.padEnd(26)} ${label.padEnd(28)} p50 ${p50.toFixed(1).padStart(8)} ms  p90 ${percentile(times, 90).toFixed(1).padStart(8)} ms  goal <= ${goal} ms: ${p50 <= goal ? "ok" : "MISSED"}`);
  }
}
await db.destroy();
