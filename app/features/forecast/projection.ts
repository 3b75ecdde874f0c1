import { addDays, datePartsOf, days, daysInMonth, toEpochDay } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { type ForecastPeriod, type OpenInvoiceColumns } from "./forecast";
import { dsoReductionNeeded, overdueToClear, receivablesAtDso } from "./push";

/**
 * A KPI's value on a later date from the collections forecast: what a year-end push must close.
 * Pure; the forecast, today's KPI values and the open invoices come from the server.
 *
 * - Receivables on the date: today's, plus the sales the forecast expects to be invoiced until
 *   then, less the collections it expects (of what is open and of those new sales).
 * - Overdue on the date: what is open today and falls due before the date, less its share of the
 *   expected collections of what is open (collections are taken to fall on overdue and not yet due
 *   amounts in proportion). Invoices issued after today are not due before a near year end.
 * - Sales of the 90 days before the date: today's 90 days' sales, the part of them older than the
 *   new window dropped evenly, plus the forecast's sales invoiced until the date.
 */

export interface ProjectionInputs {
  asOf: IsoDate;
  date: IsoDate;
  /** today's KPI values of the scope */
  arTotal: number;
  overdueTotal: number;
  creditSales90d: number;
  /** today's open invoices of the scope (as the forecast's reads give them, or one object each) */
  invoices: readonly { dueDate: IsoDate; open: number }[] | OpenInvoiceColumns;
  /** the forecast's weeks from asOf (enough of them to reach the date) */
  weeks: readonly Pick<ForecastPeriod, "start" | "end" | "open" | "newSales">[];
  /** the forecast's sales to be invoiced by month "YYYY-MM" */
  billed: readonly { month: string; billed: number }[];
}

export interface Projection {
  date: IsoDate;
  /** days from asOf to the date (0 when the date is not after asOf) */
  daysAhead: number;
  collectedOpen: number;
  collectedNew: number;
  billedNew: number;
  receivables: number;
  overdue: number;
  creditSales90d: number;
  /** null without sales, as the KPI register's */
  dso: number | null;
}

/** Weeks of the forecast needed to reach the date from asOf (at least one, the API's limit at most). */
export function weeksToReach(asOf: IsoDate, date: IsoDate, max = 52): number {
  return Math.min(max, Math.max(1, Math.ceil(days(asOf, date) / 7)));
}

/** The share of the days start..end (inclusive) that are on or before `date`. */
function shareUntil(start: IsoDate, end: IsoDate, date: IsoDate): number {
  const length = days(start, end) + 1;
  const inside = Math.min(length, Math.max(0, days(start, date) + 1));
  return length > 0 ? inside / length : 0;
}

/** What is open in all, and what of it falls due before the date. */
function openBefore(invoices: ProjectionInputs["invoices"], date: IsoDate): { openTotal: number; dueBefore: number } {
  let openTotal = 0;
  let dueBefore = 0;
  if ("dueDay" in invoices) {
    const day = toEpochDay(date);
    for (let i = 0; i < invoices.length; i++) {
      const open = invoices.open[i] ?? 0;
      openTotal += open;
      if ((invoices.dueDay[i] ?? 0) < day) dueBefore += open;
    }
  } else {
    for (const invoice of invoices) {
      openTotal += invoice.open;
      if (invoice.dueDate < date) dueBefore += invoice.open;
    }
  }
  return { openTotal, dueBefore };
}

export function projectAt(inputs: ProjectionInputs): Projection {
  const daysAhead = Math.max(0, days(inputs.asOf, inputs.date));
  let collectedOpen = 0;
  let collectedNew = 0;
  for (const week of inputs.weeks) {
    const share = shareUntil(week.start, week.end, inputs.date);
    collectedOpen += week.open * share;
    collectedNew += week.newSales * share;
  }
  let billedNew = 0;
  const firstDay = addDays(inputs.asOf, 1);
  for (const { month, billed } of inputs.billed) {
    const { year, month: m } = datePartsOf(`${month}-01`);
    const start = `${month}-01` < firstDay ? firstDay : `${month}-01`;
    const end = `${month}-${String(daysInMonth(year, m)).padStart(2, "0")}`;
    if (start > end) continue;
    billedNew += (billed / daysInMonth(year, m)) * Math.max(0, days(start, end) + 1) * shareUntil(start, end, inputs.date);
  }
  const { openTotal, dueBefore } = openBefore(inputs.invoices, inputs.date);
  const collectedShare = openTotal > 0 ? Math.min(1, collectedOpen / openTotal) : 0;
  const overdue = daysAhead === 0 ? inputs.overdueTotal : Math.round(dueBefore * (1 - collectedShare));
  const receivables = Math.round(inputs.arTotal + billedNew - collectedOpen - collectedNew);
  const kept = Math.max(0, 90 - daysAhead) / 90;
  const creditSales90d = Math.round(inputs.creditSales90d * kept + billedNew);
  return {
    date: inputs.date,
    daysAhead,
    collectedOpen: Math.round(collectedOpen),
    collectedNew: Math.round(collectedNew),
    billedNew: Math.round(billedNew),
    receivables,
    overdue,
    creditSales90d,
    dso: creditSales90d > 0 ? (receivables / creditSales90d) * 90 : null,
  };
}

/** The KPIs a push can be planned for. */
export const PUSH_KPIS = ["overdue_total", "dso"] as const;
export type PushKpi = (typeof PUSH_KPIS)[number];

export interface PushGap {
  kpi: PushKpi;
  target: number;
  projected: number | null;
  /** what must still be collected beyond the forecast; null when DSO is undefined */
  required: number | null;
  /** DSO: the receivables the target allows on the date */
  allowedReceivables: number | null;
}

/** The gap between the projection and the item's target, and the collections that close it. */
export function pushGap(kpi: PushKpi, target: number, projection: Projection): PushGap {
  if (kpi === "overdue_total") {
    return { kpi, target, projected: projection.overdue, required: overdueToClear(projection.overdue, target), allowedReceivables: null };
  }
  return {
    kpi,
    target,
    projected: projection.dso,
    required: dsoReductionNeeded(projection.receivables, target, projection.creditSales90d),
    allowedReceivables: projection.creditSales90d > 0 ? receivablesAtDso(target, projection.creditSales90d) : null,
  };
}

/** The KPIs the forecast projects to a later date: overdue, DSO and the receivables. */
export const PROJECTED_KPIS = ["overdue_total", "dso", "ar_total"] as const;
export type ProjectedKpi = (typeof PROJECTED_KPIS)[number];

export function isProjectedKpi(value: string | null | undefined): value is ProjectedKpi {
  return PROJECTED_KPIS.some((kpi) => kpi === value);
}

/** The projection's value of one KPI (minor units, or days for DSO; null when DSO has no sales). */
export function projectedValueOf(kpi: ProjectedKpi, projection: Projection): number | null {
  if (kpi === "overdue_total") return projection.overdue;
  if (kpi === "ar_total") return projection.receivables;
  return projection.dso;
}
