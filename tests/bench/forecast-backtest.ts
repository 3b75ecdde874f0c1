import fs from "node:fs";
import path from "node:path";

import { migrateToLatest } from "../../db/migrate";
import { seedDemo } from "../../db/seed";
import { type Db, createDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { catchUpForecastInputs, forecastFor } from "~/features/forecast/index.server";
import { openInvoicesAt } from "~/features/forecast/queries.server";
import { BENCH_DIR, ensureBenchDatabase } from "./bench-db";

/**
 * npm run forecast:backtest — how far to trust the collections forecast. On the demo ledger and a
 * generated one, at several past as-of dates, the company's 13 weekly forecasts are held against
 * what came in (payments and offsets, KPIS.md's `collected`) and scored by WAPE
 * (Σ |forecast − actual| ÷ Σ actual), beside two naive forecasts: every open invoice paid on its
 * due date (those already due in week 1), and the trailing 13 weeks' average every week.
 * BACKTEST_INVOICES sets the generated ledger's size (default 100,000 invoices and payments).
 */
const SIZE = Number(process.env.BACKTEST_INVOICES ?? 100_000);
const WEEKS = 13;

async function collectionsByDay(db: Db): Promise<Map<string, number>> {
  const byDay = new Map<string, number>();
  const payments = await db.selectFrom("payments").select((eb) => ["date", eb.fn.sum<number>("amount").as("amount")]).groupBy("date").execute();
  const offsets = await db
    .selectFrom("adjustments")
    .select((eb) => ["date", eb.fn.sum<number>("amount").as("amount")])
    .where("type", "=", "offset")
    .groupBy("date")
    .execute();
  for (const row of [...payments, ...offsets]) byDay.set(row.date, (byDay.get(row.date) ?? 0) + Number(row.amount));
  return byDay;
}

function sumDays(byDay: Map<string, number>, from: string, to: string): number {
  let total = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) total += byDay.get(day) ?? 0;
  return total;
}

interface Score {
  forecast: number;
  dueDate: number;
  trailing: number;
  actual: number;
}

async function backtestAt(db: Db, byDay: Map<string, number>, asOf: string): Promise<Score> {
  const { forecast } = await forecastFor(db, { asOf, scope: { type: "company" }, weeks: WEEKS });
  const open = await openInvoicesAt(db, { kind: "company" }, asOf);
  const trailingWeek = sumDays(byDay, addDays(asOf, -90), asOf) / 13;
  const score: Score = { forecast: 0, dueDate: 0, trailing: 0, actual: 0 };
  for (const week of forecast.weeks) {
    const actual = sumDays(byDay, week.start, week.end);
    const dueDate = open
      .filter((i) => (week.start === addDays(asOf, 1) ? i.dueDate <= week.end : i.dueDate >= week.start && i.dueDate <= week.end))
      .reduce((sum, i) => sum + i.open, 0);
    score.actual += actual;
    score.forecast += Math.abs(week.expected - actual);
    score.dueDate += Math.abs(dueDate - actual);
    score.trailing += Math.abs(trailingWeek - actual);
  }
  return score;
}

async function run(label: string, db: Db, dates: string[]): Promise<string[]> {
  await catchUpForecastInputs(db);
  const byDay = await collectionsByDay(db);
  const lines: string[] = [];
  const total: Score = { forecast: 0, dueDate: 0, trailing: 0, actual: 0 };
  const pct = (s: Score, key: "forecast" | "dueDate" | "trailing") => `${((s[key] / s.actual) * 100).toFixed(1)} %`;
  for (const asOf of dates) {
    const score = await backtestAt(db, byDay, asOf);
    for (const key of ["forecast", "dueDate", "trailing", "actual"] as const) total[key] += score[key];
    lines.push(`| ${label} | ${asOf} | ${pct(score, "forecast")} | ${pct(score, "dueDate")} | ${pct(score, "trailing")} |`);
  }
  lines.push(`| ${label} | all | **${pct(total, "forecast")}** | ${pct(total, "dueDate")} | ${pct(total, "trailing")} |`);
  return lines;
}

async function demoDatabase(): Promise<Db> {
  const file = path.join(BENCH_DIR, "forecast-demo.db");
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const fresh = !fs.existsSync(file);
  // the demo's seed writes the ledger through its own connection to DATABASE_URL
  process.env.DATABASE_URL = file;
  const db = createDb(file);
  await migrateToLatest(db);
  if (fresh) await seedDemo(db);
  return db;
}

const lines = ["| ledger | as of | forecast WAPE | due-date WAPE | trailing-13-weeks WAPE |", "| --- | --- | --- | --- | --- |"];
const today = process.env.QUARTERDECK_TODAY ?? "2026-12-07";
const demo = await demoDatabase();
lines.push(...(await run("demo", demo, [addDays(today, -400), addDays(today, -300), addDays(today, -200), addDays(today, -120)])));
await demo.destroy();
const generated = createDb(await ensureBenchDatabase(SIZE));
await migrateToLatest(generated);
lines.push(...(await run(`generated ${SIZE.toLocaleString("en")}`, generated, ["2025-06-30", "2025-10-31", "2026-02-28", "2026-06-30"])));
await generated.destroy();
console.log(lines.join("\n"));
