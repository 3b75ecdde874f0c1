/**
 * The dates behind the dashboard's trend charts and comparisons, and the series built from the
 * KPI values at those dates. Pure: the server module (dashboard.server.ts) asks the KPI service
 * for each date once and hands the values back here.
 *
 * Every point is a KPI object as of one date, so a chart's last point is the card's figure:
 * - months: the month ends of the months before the as-of date's month, then the as-of date
 *   itself (a month to date unless it is a month end);
 * - quarters: each fiscal quarter's last day, and the current quarter to the as-of date. The
 *   KPI period defaults to the quarter of its as-of date, so the collection rate and CEI at a
 *   quarter's last day are that whole quarter's.
 */
import {
  type QuarterNumber,
  addDays,
  addMonths,
  days,
  monthEnd,
  monthEndsBefore,
  previousQuarterEnd,
  quarterOf,
} from "~/kernel/dates";
import type { Aging, KpiValues } from "~/features/kpi/kpis";
import type { CustomerRecord, IsoDate } from "~/kernel/ledger/types";
import type { OpenItems } from "~/kernel/ledger/open-items";

export const TREND_MONTHS = 24;
export const TREND_QUARTERS = 8;
export const TOP_OVERDUE_CUSTOMERS = 10;

export interface MonthPoint {
  /** `YYYY-MM` */
  month: string;
  /** the month's last day, or the as-of date for its own month */
  date: IsoDate;
  /** true when `date` is before the month's last day (a month to date) */
  partial: boolean;
}

export interface QuarterPoint {
  fiscalYear: number;
  quarter: QuarterNumber;
  start: IsoDate;
  /** the quarter's last day, or the as-of date for its own quarter */
  date: IsoDate;
  partial: boolean;
}

/** `count` months ending with the as-of date's month, oldest first. */
export function monthPoints(asOf: IsoDate, count = TREND_MONTHS): MonthPoint[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`At least one month, got ${count}`);
  const before = monthEndsBefore(asOf, count - 1).map((date) => ({ month: date.slice(0, 7), date, partial: false }));
  return [...before, { month: asOf.slice(0, 7), date: asOf, partial: asOf !== monthEnd(asOf) }];
}

/** `count` fiscal quarters ending with the as-of date's quarter, oldest first. */
export function quarterPoints(asOf: IsoDate, count = TREND_QUARTERS, fiscalStartMonth = 1): QuarterPoint[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`At least one quarter, got ${count}`);
  const points: QuarterPoint[] = [];
  let quarter = quarterOf(asOf, fiscalStartMonth);
  for (let i = 0; i < count; i += 1) {
    const date = quarter.end < asOf ? quarter.end : asOf;
    points.unshift({
      fiscalYear: quarter.fiscalYear,
      quarter: quarter.quarter,
      start: quarter.start,
      date,
      partial: date !== quarter.end,
    });
    quarter = quarterOf(addDays(quarter.start, -1), fiscalStartMonth);
  }
  return points;
}

export type ComparisonBasis = "previousQuarterEnd" | "sameDateLastYear";
export const COMPARISON_BASES: readonly ComparisonBasis[] = ["previousQuarterEnd", "sameDateLastYear"];

/** What each card's figure is compared with. 29 Feb compares with 28 Feb of the year before. */
export function comparisonDates(asOf: IsoDate, fiscalStartMonth = 1): Record<ComparisonBasis, IsoDate> {
  return {
    previousQuarterEnd: previousQuarterEnd(asOf, fiscalStartMonth),
    sameDateLastYear: addMonths(asOf, -12),
  };
}

export interface DashboardDates {
  asOf: IsoDate;
  months: MonthPoint[];
  quarters: QuarterPoint[];
  comparisons: Record<ComparisonBasis, IsoDate>;
  /** every date a KPI object is needed for, once each, oldest first */
  all: IsoDate[];
}

export function dashboardDates(
  asOf: IsoDate,
  fiscalStartMonth = 1,
  counts: { months?: number; quarters?: number } = {},
): DashboardDates {
  const months = monthPoints(asOf, counts.months ?? TREND_MONTHS);
  const quarters = quarterPoints(asOf, counts.quarters ?? TREND_QUARTERS, fiscalStartMonth);
  const comparisons = comparisonDates(asOf, fiscalStartMonth);
  const all = uniqueDates([asOf, ...months.map((m) => m.date), ...quarters.map((q) => q.date), ...Object.values(comparisons)]);
  return { asOf, months, quarters, comparisons, all };
}

export function uniqueDates(dates: Iterable<IsoDate>): IsoDate[] {
  return [...new Set(dates)].sort();
}

// ---------------------------------------------------------------- series

export interface MonthlyTrendPoint extends MonthPoint {
  arTotal: number;
  overdueTotal: number;
  dso: number | null;
  aging: Aging;
}

export interface QuarterlyCollectionPoint extends QuarterPoint {
  /** fraction; may exceed 1 when prepayments come in */
  collectionRate: number | null;
  /** percent */
  cei: number | null;
  collected: number;
  billed: number;
}

export type KpisAt = (date: IsoDate) => KpiValues;

export function monthlyTrend(points: readonly MonthPoint[], kpisAt: KpisAt): MonthlyTrendPoint[] {
  return points.map((point) => {
    const values = kpisAt(point.date);
    return {
      ...point,
      arTotal: values.ar_total,
      overdueTotal: values.overdue_total,
      dso: values.dso,
      aging: { ...values.aging },
    };
  });
}

export function quarterlyCollection(points: readonly QuarterPoint[], kpisAt: KpisAt): QuarterlyCollectionPoint[] {
  return points.map((point) => {
    const values = kpisAt(point.date);
    return {
      ...point,
      collectionRate: values.collection_rate,
      cei: values.cei,
      collected: values.collected,
      billed: values.billed,
    };
  });
}

// ---------------------------------------------------------------- top overdue customers

export interface OverdueCustomer {
  code: string;
  name: string;
  /** minor units past due at the as-of date */
  overdue: number;
  arTotal: number;
  /** days past due of the customer's oldest overdue invoice */
  oldestDaysPastDue: number;
}

/**
 * The customers owing the most past due at the open items' date, largest first (ties by code,
 * so the order is stable). Customers with nothing overdue are left out.
 */
export function topOverdueCustomers(
  openItems: OpenItems,
  customers: readonly Pick<CustomerRecord, "code" | "name">[],
  limit = TOP_OVERDUE_CUSTOMERS,
): OverdueCustomer[] {
  const names = new Map(customers.map((customer) => [customer.code, customer.name]));
  const rows: OverdueCustomer[] = [];
  for (const customer of openItems.customers) {
    let overdue = 0;
    let oldest = 0;
    for (const invoice of customer.invoices) {
      if (invoice.openAmount === 0) continue;
      const daysPastDue = days(invoice.dueDate, openItems.asOf);
      // Due on the as-of day is not overdue (KPIS.md section 4).
      if (daysPastDue <= 0) continue;
      overdue += invoice.openAmount;
      oldest = Math.max(oldest, daysPastDue);
    }
    if (overdue > 0) {
      rows.push({
        code: customer.customerCode,
        name: names.get(customer.customerCode) ?? customer.customerCode,
        overdue,
        arTotal: customer.arTotal,
        oldestDaysPastDue: oldest,
      });
    }
  }
  rows.sort((a, b) => b.overdue - a.overdue || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return rows.slice(0, limit);
}
