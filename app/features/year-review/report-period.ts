/**
 * The periods a written report covers: the fiscal year, its halves (seed 003's "半年度…总结分析")
 * and its quarters. The same report (four sections, measures, scoring, Word export, the same
 * submit/return/accept) is written for each; only the dates and the words for the period change.
 * Pure: the dates come from the fiscal calendar, nothing here reads the clock.
 */
import { type QuarterNumber, addDays, fiscalQuarter } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { AppError } from "~/kernel/app-error";
import { type ReviewDates, reviewDates } from "~/features/year-review/year-review";

export const REPORT_PERIODS = ["year", "h1", "h2", "q1", "q2", "q3", "q4"] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export function isReportPeriod(value: unknown): value is ReportPeriod {
  return REPORT_PERIODS.some((period) => period === value);
}

/** The first and last fiscal quarter of each period. */
const SPAN: Record<ReportPeriod, { first: QuarterNumber; last: QuarterNumber }> = {
  year: { first: 1, last: 4 },
  h1: { first: 1, last: 2 },
  h2: { first: 3, last: 4 },
  q1: { first: 1, last: 1 },
  q2: { first: 2, last: 2 },
  q3: { first: 3, last: 3 },
  q4: { first: 4, last: 4 },
};

/** The fiscal quarters a period is made of. */
export function periodQuarters(period: ReportPeriod): QuarterNumber[] {
  return ([1, 2, 3, 4] as const).filter((quarter) => quarter >= SPAN[period].first && quarter <= SPAN[period].last);
}

/** The path of a period's report page (the year's keeps its old address). */
export function reportPath(fiscalYear: number, period: ReportPeriod): string {
  return period === "year" ? `/review/${fiscalYear}/report` : `/review/${fiscalYear}/report/${period}`;
}

export interface PeriodDates extends ReviewDates {
  period: ReportPeriod;
  /** the same period a year earlier: the day before it began, and its end */
  previousStart: IsoDate;
  previousEnd: IsoDate;
}

/**
 * The dates of `period` in `fiscalYear`, shaped as the year review's: `opening` is the day before
 * the period, `closing` its end or today while it runs, the quarters and month ends within it.
 * Refuses (404) a period that has not begun: nothing to report on yet.
 */
export function periodDates(fiscalYear: number, period: ReportPeriod, fiscalStartMonth: number, today: IsoDate): PeriodDates {
  const year = reviewDates(fiscalYear, fiscalStartMonth, today);
  const quarters = periodQuarters(period);
  const span = SPAN[period];
  const first = fiscalQuarter(fiscalYear, span.first, fiscalStartMonth);
  const last = fiscalQuarter(fiscalYear, span.last, fiscalStartMonth);
  if (today < first.start) throw AppError.notFound("review.error.notFound");
  const running = today < last.end;
  const closing = running ? today : last.end;
  const earlierFirst = fiscalQuarter(fiscalYear - 1, span.first, fiscalStartMonth);
  const earlierLast = fiscalQuarter(fiscalYear - 1, span.last, fiscalStartMonth);
  return {
    ...year,
    start: first.start,
    end: last.end,
    opening: addDays(first.start, -1),
    closing,
    running,
    previousOpening: addDays(earlierFirst.start, -1),
    quarters: year.quarters.filter((q) => quarters.includes(q.quarter)),
    months: year.months.filter((m) => m.date >= first.start && m.date <= closing),
    period,
    previousStart: addDays(earlierFirst.start, -1),
    previousEnd: earlierLast.end,
  };
}

/** The periods of a fiscal year that have begun by `today`, in calendar order (the year first). */
export function begunPeriods(fiscalYear: number, fiscalStartMonth: number, today: IsoDate): ReportPeriod[] {
  return REPORT_PERIODS.filter((period) => fiscalQuarter(fiscalYear, SPAN[period].first, fiscalStartMonth).start <= today);
}

const ZH_NAMES: Record<ReportPeriod, string> = { year: "年度", h1: "上半年", h2: "下半年", q1: "第一季度", q2: "第二季度", q3: "第三季度", q4: "第四季度" };
const EN_NAMES: Record<ReportPeriod, string> = { year: "", h1: "H1", h2: "H2", q1: "Q1", q2: "Q2", q3: "Q3", q4: "Q4" };

/** How the report names its period: "2026年上半年", "H1 2026"; the year is "2026年" / "2026". */
export function periodLabel(fiscalYear: number, period: ReportPeriod, language: "en" | "zh"): string {
  if (language === "zh") return period === "year" ? `${fiscalYear}年` : `${fiscalYear}年${ZH_NAMES[period]}`;
  return period === "year" ? String(fiscalYear) : `${EN_NAMES[period]} ${fiscalYear}`;
}

/** The heading's period words: "2026年度" / "2026年上半年" (the year's report keeps its "年度"). */
export function periodHeadingLabel(fiscalYear: number, period: ReportPeriod, language: "en" | "zh"): string {
  if (language === "zh") return `${fiscalYear}${period === "year" ? "年度" : `年${ZH_NAMES[period]}`}`;
  return periodLabel(fiscalYear, period, language);
}

/** The `:period` of a half-year's or quarter's report address; anything else (the year's included: it has its own address) is a 404. */
export function periodParam(value: string | undefined): Exclude<ReportPeriod, "year"> {
  if (value === undefined || !isReportPeriod(value) || value === "year") throw AppError.notFound("review.error.notFound");
  return value;
}
