import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { kpiMemo } from "~/features/dashboard/index.server";
import { type OverdueChange, ledgerCovers, nextYearMeasures, problems, rankMovers, workDone } from "~/features/year-review/year-review";
import { type PeriodDates, type ReportPeriod, periodDates, periodQuarters } from "~/features/year-review/report-period";
import {
  type ReviewViewer,
  type YearReview,
  datesOf,
  loadYearReview,
  monthlySection,
  moversSection,
  quarterSection,
  itemScopeNames,
  yearItems,
} from "~/features/year-review/year-review.server";

/**
 * A half-year's or quarter's review, shaped as the year's so the same report (draft, page, Word
 * document) is written from it: the overdue at the period's start and end against the same
 * period a year earlier, the quarters and month ends within it, the plan items of its quarters,
 * the customers whose overdue moved over it. The year's own report reads the year review itself.
 */
export async function loadPeriodReview(
  db: Db,
  viewer: ReviewViewer,
  fiscalYear: number,
  period: ReportPeriod,
  today: IsoDate,
): Promise<{ review: YearReview; dates: PeriodDates }> {
  // 404 for a year with nothing to review, as for its review
  const year = await datesOf(db, fiscalYear, today);
  const dates = periodDates(fiscalYear, period, year.fiscalStartMonth, today);
  if (period === "year") return { review: await loadYearReview(db, viewer, fiscalYear, today), dates };
  const kpis = kpiMemo(db, { type: "company" });
  const points = [dates.previousStart, dates.previousEnd, dates.opening, dates.closing];
  const values = new Map(await Promise.all(points.map(async (date) => [date, (await kpis(date)).values.overdue_total] as const)));
  const known = (date: IsoDate) => (ledgerCovers(year.ledgerStart, date) ? (values.get(date) ?? null) : null);
  const change = (from: IsoDate, to: IsoDate): OverdueChange => {
    const atStart = known(from);
    const atEnd = known(to);
    const reduction = atStart === null || atEnd === null ? null : atStart - atEnd;
    return { fiscalYear, from, to, atStart, atEnd, reduction, reductionRate: reduction === null || !atStart ? null : reduction / atStart };
  };
  const now = change(dates.opening, dates.closing);
  const earlier = { ...change(dates.previousStart, dates.previousEnd), fiscalYear: fiscalYear - 1 };
  const openingCovered = ledgerCovers(year.ledgerStart, dates.opening);
  const quarters = periodQuarters(period);
  const [quarterFigures, series, movers, allItems] = await Promise.all([
    quarterSection(kpis, dates),
    monthlySection(kpis, dates),
    openingCovered ? moversSection(db, dates, viewer) : Promise.resolve(rankMovers([])),
    yearItems(db, year.dates, year.fiscalStartMonth, today, viewer.locale, viewer),
  ]);
  const items = allItems.filter((item) => quarters.includes(item.quarter));
  const review: YearReview = {
    dates,
    fiscalStartMonth: year.fiscalStartMonth,
    receivables: {
      overdue: { year: now, previousYear: earlier, againstPreviousYear: now.reduction === null || earlier.reduction === null ? null : now.reduction - earlier.reduction },
      quarters: quarterFigures,
      ...series,
      movers,
      ownCustomersOnly: viewer.role === "staff",
      ledgerStart: year.ledgerStart,
      openingCovered,
    },
    work: workDone(items),
    problems: problems(items, movers),
    measures: nextYearMeasures(items),
    nextYearPlanId: null,
    comments: [],
    scopeNames: await itemScopeNames(db, items),
  };
  return { review, dates };
}
