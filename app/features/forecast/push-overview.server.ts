import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { type KpiScope, type RegisterKey, kpiDefinition, isLinkableKpiKey, parseScope, scopeText } from "~/features/kpi";
import { allKpiValues, kpiValues, resolveKpiRequest, scopeNames } from "~/features/kpi/index.server";
import { type ForecastReader, type ForecastResult, checkForecastAccess, forecastOn, scopeFilterOf } from "./forecast.server";
import { projectionsAt } from "./kpi-projection.server";
import { itemPlannedPath } from "./item-projection.server";
import { PUSH_KPIS, type PushKpi, pushGap, weeksToReach } from "./projection";
import { linkedItemRows, paymentMonthsBuiltFrom } from "./queries.server";
import { planItemsIn } from "~/features/settings/index.server";
import type { Locale } from "~/i18n";

/**
 * The year-end push overview: every KPI-linked item of the running plans with its KPI today,
 * projected to the item's due date, the gap to its target and the collections that close it, and
 * whether it is behind its planned path. The same figures as each item's push plan
 * (push.server.ts), from one forecast per KPI scope however many items share it. Reads only what
 * is kept: before the background job first summed the payments by month there is no projection.
 */

export interface PushOverviewItem {
  id: number;
  planId: number;
  title: string;
  /** the year-end push category: listed first */
  yearEnd: boolean;
  kpi: RegisterKey;
  /** overdue or DSO with a target: the push planner covers it and the item has a push plan */
  push: boolean;
  scope: string;
  target: number | null;
  dueDate: IsoDate;
  ownerId: number | null;
  ownerName: string | null;
  /** today's value; null when the ledger has no such scope or the KPI has no value */
  current: number | null;
  /** push items only, null otherwise or without a projection */
  projected: number | null;
  /** how far the projection is on the wrong side of the target (0 when it meets it) */
  gap: number | null;
  /** what must still be collected beyond the forecast to reach the target */
  required: number | null;
  /** today's value against the planned path; null without a baseline */
  path: { planned: number; atRisk: boolean } | null;
  /** ticked done by its owner: shown, but not counted among the misses and the items behind */
  done: boolean;
}

export interface PushOverview {
  asOf: IsoDate;
  items: PushOverviewItem[];
  /** the forecast's payment summary is not built yet: no projections until the job has run */
  forecastPending: boolean;
  /** KPI-linked items this reader may not see (another owner's, a region's for staff) */
  hidden: number;
  /** what people call the owners and customers the scopes name, by scope text */
  scopeNames: Record<string, string>;
  totals: { push: number; misses: number; atRisk: number; done: number };
}

function isPushKpi(value: RegisterKey): value is PushKpi {
  return PUSH_KPIS.some((kpi) => kpi === value);
}

async function mayRead(db: Db, user: ForecastReader, scope: KpiScope): Promise<boolean> {
  try {
    await checkForecastAccess(db, user, scope);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

type KeptValues = Awaited<ReturnType<typeof kpiValues>>["values"] | Awaited<ReturnType<typeof allKpiValues>>["values"];

function valueOf(values: KeptValues | null, kpi: string): number | null {
  // the values object read by key; its keys are the KPI register's
  const value = values ? (values as unknown as Record<string, unknown>)[kpi] : null;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

const ORDER = (item: PushOverviewItem) => (item.yearEnd && item.push ? 0 : item.yearEnd ? 1 : item.push ? 2 : 3);

export async function loadPushOverview(db: Db, user: ForecastReader, today: IsoDate, locale: Locale = "en"): Promise<PushOverview> {
  // titles written from the built-in template in the viewer's language, as the plan shows them
  const rows = await planItemsIn(db, await linkedItemRows(db, today), locale);
  const visible: { row: (typeof rows)[number]; scope: KpiScope; kpi: RegisterKey; dueDate: IsoDate }[] = [];
  let hidden = 0;
  const access = new Map<string, Promise<boolean>>();
  for (const row of rows) {
    const parsed = parseScope(row.kpi_scope);
    if (!parsed.ok || row.kpi_key === null || !isLinkableKpiKey(row.kpi_key)) continue;
    const key = scopeText(parsed.scope);
    if (!access.has(key)) access.set(key, mayRead(db, user, parsed.scope));
    if (!(await access.get(key))) {
      hidden += 1;
      continue;
    }
    visible.push({ row, scope: parsed.scope, kpi: row.kpi_key, dueDate: row.due_date ?? row.end_date });
  }

  // Per scope: today's values once, and one forecast reaching the furthest due date of its push items.
  const built = (await paymentMonthsBuiltFrom(db)) !== null;
  const scopes = new Map<string, { scope: KpiScope; dates: IsoDate[]; kpis: Set<RegisterKey> }>();
  for (const entry of visible) {
    const key = scopeText(entry.scope);
    const group = scopes.get(key) ?? { scope: entry.scope, dates: [], kpis: new Set<RegisterKey>() };
    group.kpis.add(entry.kpi);
    if (isPushKpi(entry.kpi) && entry.row.kpi_target !== null) group.dates.push(entry.dueDate);
    scopes.set(key, group);
  }
  const figures = new Map<string, { values: KeptValues | null; projections: ReturnType<typeof projectionsAt> | null }>();
  for (const [key, { scope, dates, kpis }] of scopes) {
    const filter = await scopeFilterOf(db, scope);
    if (filter === "unknown") {
      figures.set(key, { values: null, projections: null });
      continue;
    }
    // the ledger KPIs from the kept summaries; the credit and provision ones only when an item tracks one
    const request = resolveKpiRequest({ asOf: today, scope: key });
    let values: KeptValues = (await kpiValues(db, request)).values;
    if ([...kpis].some((kpi) => !(kpi in values))) values = (await allKpiValues(db, request)).values;
    let projections = null;
    if (built && dates.length > 0) {
      const furthest = dates.reduce((max, date) => (date > max ? date : max));
      const result: ForecastResult = await forecastOn(db, filter, { asOf: today, scope, weeks: weeksToReach(today, furthest) });
      projections = projectionsAt(today, values, result, dates);
    }
    figures.set(key, { values, projections });
  }

  const items: PushOverviewItem[] = [];
  for (const { row, scope, kpi, dueDate } of visible) {
    const { values, projections } = figures.get(scopeText(scope)) ?? { values: null, projections: null };
    const current = valueOf(values, kpi);
    const push = isPushKpi(kpi) && row.kpi_target !== null;
    const projection = push ? projections?.get(dueDate) : undefined;
    const gap = projection && isPushKpi(kpi) && row.kpi_target !== null ? pushGap(kpi, row.kpi_target, projection) : null;
    const better = kpiDefinition(kpi).better;
    const projected = gap?.projected ?? null;
    const path = values && isPushKpi(kpi) ? await itemPlannedPath(db, row, kpi, scope, dueDate, today, current) : null;
    items.push({
      id: row.id,
      planId: row.plan_id,
      title: row.title,
      yearEnd: row.category === "year_end_push",
      kpi,
      push,
      scope: scopeText(scope),
      target: row.kpi_target,
      dueDate,
      ownerId: row.owner_id,
      ownerName: row.owner_name,
      current,
      projected,
      gap: projected === null || row.kpi_target === null ? null : Math.max(0, better === "down" ? projected - row.kpi_target : row.kpi_target - projected),
      required: gap?.required ?? null,
      path: path && { planned: path.planned, atRisk: path.atRisk },
      done: row.status === "done",
    });
  }
  // stable: within each group the plans' order and the items' positions stay
  items.sort((a, b) => ORDER(a) - ORDER(b) || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  const pushItems = items.filter((item) => item.push);
  // a done item's work is finished: as the early warnings do, the totals count the items still to work
  const open = items.filter((item) => !item.done);
  return {
    asOf: today,
    items,
    forecastPending: !built && pushItems.length > 0,
    hidden,
    scopeNames: await scopeNames(db, [...scopes.values()].map((group) => group.scope)),
    totals: {
      push: pushItems.length,
      misses: open.filter((item) => item.push && (item.gap ?? 0) > 0).length,
      atRisk: open.filter((item) => item.path?.atRisk).length,
      done: items.filter((item) => item.done).length,
    },
  };
}
