import { migrateToLatest } from "../../db/migrate";
import { type Db, createDb } from "~/server/db.server";
import { addDays, quarterOf } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { catchUpForecastInputs, forecastFor, forecastJson, loadPushPlan, resolveForecastRequest } from "~/features/forecast/index.server";
import { createItem, createPlan } from "~/features/plans/index.server";
import { itemFieldsSchema } from "~/features/plans/schema";
import { getSettings } from "~/features/settings/index.server";
import { createUser } from "~/features/users/index.server";
import { ensureBenchDatabase, percentile } from "./bench-db";

/**
 * npm run bench:forecast — the collections forecast's goal: the company's forecast (13 weeks, 12
 * months, as the API answers it) and the push page's plan p50 <= 200 ms, one owner's <= 50 ms, on
 * the bench ledger (10k customers, BENCH_INVOICES invoices and as many payments, default 1M), as of
 * its last document date and as of a date inside it (which reads the open runs instead of the open
 * items). Besides the wall time, the process's CPU time per call (user + system): the machine may
 * be shared, and the CPU time says what a call costs when the wall time waits for a core.
 * BENCH_ONLY=forecast or BENCH_ONLY=push times one of the two.
 */
const SIZE = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
const ONLY = process.env.BENCH_ONLY ?? "";
const OWNER_EMAIL = "owner1@bench.test";
const OWNER = `owner:${OWNER_EMAIL}`;
const HEAD_EMAIL = "bench-head@bench.test";

async function timeRepeated(run: () => Promise<unknown>): Promise<{ wall: number[]; cpu: number[] }> {
  for (let i = 0; i < 2; i += 1) await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const usage = process.cpuUsage();
    const t = performance.now();
    await run();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

/**
 * The push page's items for the quarter holding `asOf`: the overdue of the company and of the
 * owner, due at the quarter's end (a draft plan made by a bench head the first time, kept after).
 */
async function pushItems(db: Db, asOf: IsoDate): Promise<Record<string, number>> {
  const titles: Record<string, string> = { company: "Bench: the company's overdue", [OWNER]: "Bench: owner1's overdue" };
  const found = await db
    .selectFrom("plan_items")
    .innerJoin("plans", "plans.id", "plan_items.plan_id")
    .select(["plan_items.id", "plan_items.title"])
    .where("plans.start_date", "<=", asOf)
    .where("plans.end_date", ">=", asOf)
    .execute();
  const ids: Record<string, number> = {};
  for (const [scope, title] of Object.entries(titles)) {
    const item = found.find((row) => row.title === title);
    if (item) ids[scope] = item.id;
  }
  if (Object.keys(ids).length === Object.keys(titles).length) return ids;
  const head =
    (await db.selectFrom("users").select("id").where("email", "=", HEAD_EMAIL).executeTakeFirst()) ??
    (await createUser(db, { email: HEAD_EMAIL, name: "Bench Head", role: "head", passwordHash: null }, null));
  const actor = { id: head.id, role: "head" as const };
  const quarter = quarterOf(asOf, (await getSettings(db)).fiscalStartMonth);
  const plan = await db.selectFrom("plans").select("id").where("start_date", "<=", asOf).where("end_date", ">=", asOf).executeTakeFirst();
  const planId = plan?.id ?? (await createPlan(db, actor, { fiscalYear: quarter.fiscalYear, quarter: quarter.quarter, source: "empty", language: "en" }, asOf));
  for (const [scope, title] of Object.entries(titles)) {
    if (ids[scope] !== undefined) continue;
    const fields = itemFieldsSchema.parse({ title, category: "collection", ownerId: "", dueDate: quarter.end, kpiKey: "overdue_total", kpiScope: scope, kpiTarget: "0" });
    ids[scope] = await createItem(db, actor, planId, fields, asOf);
  }
  return ids;
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
const items = new Map<string, Record<string, number>>();
if (ONLY !== "forecast") for (const { asOf } of dates) items.set(asOf, await pushItems(db, asOf));
const head = await db.selectFrom("users").select(["id", "email", "name"]).where("email", "=", HEAD_EMAIL).executeTakeFirst();
const goals: Record<string, number> = { company: 200, [OWNER]: 50 };
console.log(`ledger: ${SIZE.toLocaleString("en")} invoices and payments, 10,000 customers (${databaseFile}), ${REPEATS} repeats`);
for (const what of ["forecast", "push"] as const) {
  if (ONLY !== "" && ONLY !== what) continue;
  for (const scope of ["company", OWNER]) {
    for (const { label, asOf } of dates) {
      const itemId = items.get(asOf)?.[scope];
      const run =
        what === "forecast"
          ? async () => forecastJson(await forecastFor(db, resolveForecastRequest({ asOf, scope })))
          : async () => (head && itemId !== undefined ? loadPushPlan(db, { ...head, role: "head" }, itemId, asOf) : null);
      const { wall, cpu } = await timeRepeated(run);
      const p50 = percentile(wall, 50);
      const goal = goals[scope] ?? 0;
      console.log(
        `${what.padEnd(8)} ${scope.padEnd(24)} ${label.padEnd(26)} p50 ${p50.toFixed(1).padStart(7)} ms  p90 ${percentile(wall, 90).toFixed(1).padStart(7)} ms  cpu p50 ${percentile(cpu, 50).toFixed(1).padStart(7)} ms  goal <= ${goal} ms: ${p50 <= goal ? "ok" : "MISSED"}`,
      );
    }
  }
}
await db.destroy();
