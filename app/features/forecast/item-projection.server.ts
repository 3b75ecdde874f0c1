import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { type KpiScope, kpiDefinition, parseScope, scopeText } from "~/features/kpi";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/index.server";
import { type ForecastReader, checkForecastAccess } from "./forecast.server";
import { projectScope } from "./kpi-projection.server";
import { type PlannedPath, lastYearDates, plannedPath, sampleDates } from "./planned-path";
import { type ProjectedKpi, isProjectedKpi, projectedValueOf } from "./projection";
import { pushItemRow } from "./queries.server";

/**
 * A KPI-linked plan item's KPI as its page draws it: the actual values from the baseline (or the
 * plan's start) to today, the planned path, and the forecast's projection from today to the
 * item's due date with the gap to its target. Reads only.
 */

type ItemRow = NonNullable<Awaited<ReturnType<typeof pushItemRow>>>;

/** The planned path of a linked item with a baseline (straight, or last year's shape read from the kept KPI summaries); null without a baseline. */
export async function itemPlannedPath(db: Db, item: ItemRow, kpi: ProjectedKpi, scope: KpiScope, dueDate: IsoDate, today: IsoDate, current: number | null): Promise<PlannedPath | null> {
  if (item.kpi_baseline === null || item.kpi_baseline_date === null || item.kpi_target === null) return null;
  const choice = item.kpi_path ?? "straight";
  const valueOf = (values: Awaited<ReturnType<typeof kpiValues>>["values"]) => (kpi === "dso" ? values.dso : kpi === "ar_total" ? values.ar_total : values.overdue_total);
  // last year's values over the same days, from the KPI summaries kept at import
  const lastYear =
    choice === "last_year"
      ? await Promise.all(lastYearDates(item.kpi_baseline_date, dueDate).map(async (date) => valueOf((await kpiValues(db, resolveKpiRequest({ asOf: date, scope: scopeText(scope) }))).values)))
      : null;
  return plannedPath(
    // money stays whole minor units, DSO keeps its fraction of a day
    { choice, baseline: item.kpi_baseline, baselineDate: item.kpi_baseline_date, target: item.kpi_target, dueDate, better: kpiDefinition(kpi).better, lastYear, wholeUnits: kpi !== "dso" },
    today,
    current,
  );
}

export interface ItemProjection {
  kpi: ProjectedKpi;
  better: "up" | "down";
  asOf: IsoDate;
  current: number | null;
  dueDate: IsoDate;
  /** null: the forecast cannot project it (DSO without sales) */
  projected: number | null;
  target: number;
  /** how far the projection is on the wrong side of the target; 0 when it meets it */
  gap: number | null;
  /** the value today against the planned path; null without a baseline */
  path: Pick<PlannedPath, "planned" | "atRisk" | "points" | "used"> | null;
  /** the KPI's values from the path's start to today */
  actual: { date: IsoDate; value: number }[];
}

/** How many of the actual values are drawn between the start and today. */
const ACTUAL_SAMPLES = 10;

/**
 * The projection an item's page shows, or null when there is none to show: no projectable KPI or
 * target, a due date already past, a scope this user may not read (the page says so already) or
 * one the ledger does not have.
 */
export async function loadItemProjection(db: Db, user: ForecastReader, planId: number, itemId: number, today: IsoDate): Promise<ItemProjection | null> {
  const item = await pushItemRow(db, itemId);
  if (!item || item.plan_id !== planId || !isProjectedKpi(item.kpi_key) || item.kpi_target === null) return null;
  const kpi = item.kpi_key;
  const parsed = parseScope(item.kpi_scope);
  if (!parsed.ok) return null;
  const scope = parsed.scope;
  const dueDate = item.due_date ?? item.end_date;
  if (dueDate < today) return null;
  try {
    await checkForecastAccess(db, user, scope);
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
  const projections = await projectScope(db, scope, today, [dueDate]);
  const projection = projections?.get(dueDate);
  if (!projection) return null;
  const valueAt = async (date: IsoDate) => {
    const { values } = await kpiValues(db, resolveKpiRequest({ asOf: date, scope: scopeText(scope) }));
    return kpi === "dso" ? values.dso : kpi === "ar_total" ? values.ar_total : values.overdue_total;
  };
  const start = item.kpi_baseline_date !== null && item.kpi_baseline_date < today ? item.kpi_baseline_date : null;
  const actualDates = start ? sampleDates(start, today, ACTUAL_SAMPLES) : [today];
  const actual = (await Promise.all(actualDates.map(async (date) => ({ date, value: await valueAt(date) })))).flatMap((point) => (point.value === null ? [] : [{ date: point.date, value: point.value }]));
  const current = actual.find((point) => point.date === today)?.value ?? null;
  const path = await itemPlannedPath(db, item, kpi, scope, dueDate, today, current);
  const projected = projectedValueOf(kpi, projection);
  const better = kpiDefinition(kpi).better;
  const target = item.kpi_target;
  const gap = projected === null ? null : Math.max(0, better === "down" ? projected - target : target - projected);
  return {
    kpi,
    better,
    asOf: today,
    current,
    dueDate,
    projected,
    target,
    gap,
    path: path && { planned: path.planned, atRisk: path.atRisk, points: path.points, used: path.used },
    actual,
  };
}
