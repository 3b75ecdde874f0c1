/**
 * Forecast against actual: each week's forecast as it stood when the week started, beside what
 * came in. Pure: the frozen forecasts and the collections are read in queries.server.ts.
 *
 * A week runs Monday to Sunday. On its Monday the forecast made as of the Sunday before is frozen
 * (its week 1 is that week; its week 4 the week three weeks later), so for every past week there
 * is the forecast made when it started and the one made four weeks ahead. The error is scored by
 * WAPE, Σ |forecast − actual| ÷ Σ actual, as the backtest scores it.
 */
import { fromEpochDay, toEpochDay } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";

/** Weeks frozen ahead of each Monday (the forecast's default length). */
export const FROZEN_WEEKS = 13;
/** How far ahead the second column looks: the forecast made this many weeks before the week's start. */
export const AHEAD_WEEKS = 4;
/** Past weeks the page shows and the job works out when it starts with none kept. */
export const ACCURACY_WEEKS = 13;

/** The Monday on or before a date (epoch day 0, 1970-01-01, was a Thursday). */
export function mondayOnOrBefore(date: IsoDate): IsoDate {
  const day = toEpochDay(date);
  return fromEpochDay(day - (((day + 3) % 7) + 7) % 7);
}

/** The Mondays whose forecasts should be kept on `today`: this week's and the `count` before it, newest first. */
export function mondaysToFreeze(today: IsoDate, count: number): IsoDate[] {
  const monday = toEpochDay(mondayOnOrBefore(today));
  return Array.from({ length: count + 1 }, (_, k) => fromEpochDay(monday - 7 * k));
}

/** One frozen week's forecast, minor units. */
export interface FrozenWeek {
  frozenOn: IsoDate;
  week: number;
  start: IsoDate;
  end: IsoDate;
  expected: number;
  low: number;
  high: number;
  reconstructed: boolean;
}

export interface AccuracyRow {
  start: IsoDate;
  end: IsoDate;
  /** the forecast frozen when the week started (null: none kept) */
  forecast: number | null;
  low: number | null;
  high: number | null;
  /** the forecast frozen AHEAD_WEEKS weeks earlier for this week (null: none kept) */
  ahead: number | null;
  actual: number;
  /** actual − forecast (positive: more came in than forecast) */
  error: number | null;
  /** |error| ÷ actual, null when nothing came in */
  errorShare: number | null;
  inRange: boolean | null;
  reconstructed: boolean;
}

export interface Accuracy {
  rows: AccuracyRow[];
  /** WAPE of the forecasts made when each week started, over the rows that have one */
  wape: number | null;
  /** WAPE of the forecasts made AHEAD_WEEKS weeks before */
  wapeAhead: number | null;
  /** weeks with a forecast, and of them how many came in inside the low–high range */
  weeksScored: number;
  weeksInRange: number;
  anyReconstructed: boolean;
}

/** Σ |forecast − actual| ÷ Σ actual over the pairs; null without pairs or when nothing came in. */
export function wape(pairs: readonly { forecast: number; actual: number }[]): number | null {
  let error = 0;
  let actual = 0;
  for (const pair of pairs) {
    error += Math.abs(pair.forecast - pair.actual);
    actual += pair.actual;
  }
  return pairs.length > 0 && actual > 0 ? error / actual : null;
}

/**
 * The past weeks (Mondays `weeks`, newest first) with the forecasts frozen for them and what came
 * in (`actual` by week start). A week is in `frozen` as the week 1 of its own Monday's freeze and
 * as the week AHEAD_WEEKS of the freeze AHEAD_WEEKS − 1 weeks earlier.
 */
export function compareWithActual(weeks: readonly IsoDate[], frozen: readonly FrozenWeek[], actual: ReadonlyMap<IsoDate, number>): Accuracy {
  const own = new Map<IsoDate, FrozenWeek>();
  const ahead = new Map<IsoDate, FrozenWeek>();
  for (const row of frozen) {
    if (row.week === 1 && row.frozenOn === row.start) own.set(row.start, row);
    if (row.week === AHEAD_WEEKS) ahead.set(row.start, row);
  }
  const rows = weeks.map((start): AccuracyRow => {
    const came = actual.get(start) ?? 0;
    const mine = own.get(start);
    const early = ahead.get(start);
    const error = mine ? came - mine.expected : null;
    return {
      start,
      end: fromEpochDay(toEpochDay(start) + 6),
      forecast: mine?.expected ?? null,
      low: mine?.low ?? null,
      high: mine?.high ?? null,
      ahead: early?.expected ?? null,
      actual: came,
      error,
      errorShare: error !== null && came > 0 ? Math.abs(error) / came : null,
      inRange: mine ? came >= mine.low && came <= mine.high : null,
      reconstructed: Boolean(mine?.reconstructed || early?.reconstructed),
    };
  });
  const scored = rows.filter((r) => r.forecast !== null);
  return {
    rows,
    wape: wape(scored.map((r) => ({ forecast: r.forecast ?? 0, actual: r.actual }))),
    wapeAhead: wape(rows.filter((r) => r.ahead !== null).map((r) => ({ forecast: r.ahead ?? 0, actual: r.actual }))),
    weeksScored: scored.length,
    weeksInRange: scored.filter((r) => r.inRange).length,
    anyReconstructed: rows.some((r) => r.reconstructed),
  };
}
