import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { type KpiScope, scopeText } from "~/features/kpi";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/index.server";
import { type ForecastResult, forecastOn, scopeFilterOf } from "./forecast.server";
import { paymentMonthsBuiltFrom } from "./queries.server";
import { type Projection, projectAt, weeksToReach } from "./projection";

/**
 * One scope's KPIs projected to later dates from the collections forecast, as the push planner
 * projects them: one forecast reaching the furthest date and today's KPI values, read once for
 * every date. Reads only what is kept: null before the background job first summed the payments by
 * month (forecast-keeper.server.ts), rather than every paid date summed again on a page view.
 * Null too when the scope names nothing the ledger has.
 */
export async function projectScope(db: Db, scope: KpiScope, asOf: IsoDate, dates: readonly IsoDate[]): Promise<Map<IsoDate, Projection> | null> {
  if (dates.length === 0) return new Map();
  if ((await paymentMonthsBuiltFrom(db)) === null) return null;
  const filter = await scopeFilterOf(db, scope);
  if (filter === "unknown") return null;
  const furthest = dates.reduce((max, date) => (date > max ? date : max), dates[0] ?? asOf);
  const [result, { values }] = await Promise.all([
    forecastOn(db, filter, { asOf, scope, weeks: weeksToReach(asOf, furthest) }),
    kpiValues(db, resolveKpiRequest({ asOf, scope: scopeText(scope) })),
  ]);
  return projectionsAt(asOf, values, result, dates);
}

/** Today's values of a scope carried to each date by one forecast of that scope (reaching the furthest of them). */
export function projectionsAt(
  asOf: IsoDate,
  values: { ar_total: number; overdue_total: number; credit_sales_90d: number },
  result: ForecastResult,
  dates: readonly IsoDate[],
): Map<IsoDate, Projection> {
  const projections = new Map<IsoDate, Projection>();
  for (const date of dates) {
    projections.set(
      date,
      projectAt({
        asOf,
        date,
        arTotal: values.ar_total,
        overdueTotal: values.overdue_total,
        creditSales90d: values.credit_sales_90d,
        invoices: result.inputs.invoices,
        weeks: result.forecast.weeks,
        billed: result.forecast.newSalesBilled,
      }),
    );
  }
  return projections;
}
