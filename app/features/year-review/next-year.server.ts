import { kpiMemo } from "~/features/dashboard/index.server";
import { companyPaymentBehaviour } from "~/features/forecast/index.server";
import type { Db } from "~/server/db.server";
import { GenerationCache } from "~/server/generation-cache.server";
import { addDays, addMonths, monthEnd } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { type CollectionCycle, type NextYearProjection, collectionCycle, projectNextYear } from "~/features/year-review/next-year";
import { readScenario } from "~/features/year-review/next-year.schema";
import type { ReviewDates, ReviewItem } from "~/features/year-review/year-review";
import { companySalesToDate, customerSalesBetween } from "~/features/year-review/queries/next-year.server";

/** The fiscal years of sales the seasonality averages: the reviewed year and the two before. */
export const SEASON_YEARS = 3;

export interface NextYearBasis {
  /** next fiscal year's first day */
  start: IsoDate;
  /** sales by month of the SEASON_YEARS fiscal years to the reviewed one, oldest first */
  years: number[][];
  opening: number;
  /** null until the forecast's job has first summed the payment behaviour */
  cycle: CollectionCycle | null;
}

export interface NextYearSection {
  /** false while the reviewed year runs: the projection starts from its year-end position */
  available: boolean;
  /** true until the forecast's job has first summed the customers' payment behaviour */
  behaviourPending: boolean;
  input: { growth: string; dsoTarget: string };
  errors: { growth?: string; dsoTarget?: string };
  /** the scenario the figures are for */
  growthPct: number;
  dsoTarget: number | null;
  /** the DSO target of the reviewed year's plan items, the default target */
  planTarget: number | null;
  cycle: CollectionCycle | null;
  projection: NextYearProjection | null;
}

// The basis reads a few dozen kept rows; kept per year until the database changes.
const basisCache = new GenerationCache<NextYearBasis>(20);

/** The figures the projection starts from, for an ended fiscal year. Reads only. */
export function nextYearBasis(db: Db, dates: Pick<ReviewDates, "start" | "end">): Promise<NextYearBasis> {
  return basisCache.get(db, `${dates.start}|${dates.end}`, async () => {
    const first = addMonths(dates.start, -12 * (SEASON_YEARS - 1));
    const ends = Array.from({ length: 12 * SEASON_YEARS }, (_, i) => monthEnd(addMonths(first, i)));
    const asked = [addDays(first, -1), ...ends];
    const fromMonth = dates.start.slice(0, 7);
    const toMonth = dates.end.slice(0, 7);
    const [running, behaviour, customers, kpis] = await Promise.all([
      companySalesToDate(db, asked),
      companyPaymentBehaviour(db, fromMonth, toMonth),
      customerSalesBetween(db, monthEnd(dates.start), dates.end),
      kpiMemo(db, { type: "company" })(dates.end),
    ]);
    const monthly = ends.map((end, i) => (running.get(end) ?? 0) - (running.get(asked[i] ?? end) ?? 0));
    const years = Array.from({ length: SEASON_YEARS }, (_, y) => monthly.slice(12 * y, 12 * y + 12));
    return {
      start: addDays(dates.end, 1),
      years,
      opening: kpis.values.ar_total,
      cycle: behaviour && collectionCycle({ customers, behaviour: behaviour.byCustomer, gradeBehaviour: behaviour.byGrade, companyBehaviour: behaviour.company }),
    };
  });
}

/** The DSO target of the reviewed year's company-wide DSO items: the latest quarter's. */
export function planDsoTarget(items: readonly ReviewItem[]): number | null {
  const linked = items.filter((item) => item.kpi?.key === "dso" && item.kpi.scope === "company" && item.kpi.target !== null);
  linked.sort((a, b) => b.quarter - a.quarter || b.position - a.position);
  const target = linked[0]?.kpi?.target ?? null;
  return target !== null && target > 0 ? target : null;
}

/** The review's next-year section for the scenario in the page's URL. */
export async function nextYearSection(db: Db, dates: ReviewDates, items: readonly ReviewItem[], params: URLSearchParams): Promise<NextYearSection> {
  const read = readScenario(params);
  const planTarget = planDsoTarget(items);
  const growthPct = read.growthPct ?? 0;
  const dsoTarget = read.dsoTarget ?? planTarget;
  const base = { input: read.input, errors: read.errors, growthPct, dsoTarget, planTarget };
  if (dates.running) return { ...base, available: false, behaviourPending: false, cycle: null, projection: null };
  const basis = await nextYearBasis(db, dates);
  const cycle = basis.cycle;
  if (cycle === null) return { ...base, available: true, behaviourPending: true, cycle: null, projection: null };
  return {
    ...base,
    available: true,
    behaviourPending: false,
    cycle,
    projection: projectNextYear({ start: basis.start, years: basis.years, opening: basis.opening, cycleDays: cycle.days }, { growthPct, dsoTarget }),
  };
}
