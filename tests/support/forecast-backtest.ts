import type { Db } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { catchUpForecastInputs, forecastFor } from "~/features/forecast/index.server";
import { openInvoicesAt } from "~/features/forecast/queries.server";
import { openInvoiceList } from "~/features/forecast/forecast";

/**
 * The forecast's backtest: at past as-of dates, the company's weekly forecasts held against what
 * came in (payments and offsets, KPIS.md's `collected`), scored by WAPE (Σ |forecast − actual| ÷
 * Σ actual) beside two naive forecasts: every open invoice paid on its due date (those already due
 * in week 1), and the trailing 13 weeks' average every week. Used by `npm run forecast:backtest`
 * and the tests that hold the forecast to beating both.
 */

export interface BacktestScore {
  forecast: number;
  dueDate: number;
  trailing: number;
  actual: number;
}

export type WapeKey = "forecast" | "dueDate" | "trailing";

export async function collectionsByDay(db: Db): Promise<Map<string, number>> {
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

export async function backtestAt(db: Db, byDay: Map<string, number>, asOf: string, weeks = 13): Promise<BacktestScore> {
  const { forecast } = await forecastFor(db, { asOf, scope: { type: "company" }, weeks });
  const open = openInvoiceList(await openInvoicesAt(db, { kind: "company" }, asOf));
  const trailingWeek = sumDays(byDay, addDays(asOf, -90), asOf) / 13;
  const score: BacktestScore = { forecast: 0, dueDate: 0, trailing: 0, actual: 0 };
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

/** Each date's score and all of them together (the last); the forecast's inputs are caught up first. */
export async function backtest(db: Db, dates: string[], weeks = 13): Promise<{ asOf: string; score: BacktestScore }[]> {
  await catchUpForecastInputs(db);
  const byDay = await collectionsByDay(db);
  const total: BacktestScore = { forecast: 0, dueDate: 0, trailing: 0, actual: 0 };
  const rows: { asOf: string; score: BacktestScore }[] = [];
  for (const asOf of dates) {
    const score = await backtestAt(db, byDay, asOf, weeks);
    for (const key of ["forecast", "dueDate", "trailing", "actual"] as const) total[key] += score[key];
    rows.push({ asOf, score });
  }
  rows.push({ asOf: "all", score: total });
  return rows;
}

export function wape(score: BacktestScore, key: WapeKey): number {
  return score.actual > 0 ? score[key] / score.actual : NaN;
}
