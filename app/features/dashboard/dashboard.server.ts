import type { Db } from "~/server/db.server";
import type { CardProjection, DashboardFigures, DashboardPlan, DashboardPlanItem, HeadlineKpis, TopOverdue } from "~/features/dashboard/dashboard";
import { days, monthEnd } from "~/kernel/dates";
import type { DashboardRequest, DashboardViewer } from "~/features/dashboard/request";
import { type KpiTarget, type ScalarKpiKey, kpiCards, kpiDefinition } from "~/features/kpi";
import { type KpiScope, scopeText } from "~/features/kpi";
import {
  type DashboardDates,
  type KpisAt,
  type MonthlyTrendPoint,
  type QuarterlyCollectionPoint,
  dashboardDates,
  monthlyTrend,
  quarterlyCollection,
  TOP_OVERDUE_CUSTOMERS,
  topOverdueCustomers,
} from "~/features/kpi";
import type { AllKpiValues } from "~/features/credit";
import type { KpiJson, KpiValues } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import { openItemsAsOf } from "~/kernel/ledger/open-items";
import { kpiValues, resolveKpiRequest, unknownScope } from "~/features/kpi/index.server";
import { loadLedgerSnapshot, scopeCustomerIds } from "~/features/kpi/index.server";
import { creditKpiValues } from "~/features/credit/index.server";
import { provisionKpiValues } from "~/features/provisions/index.server";
import { latestDocumentDate } from "~/features/ledger/index.server";
import { openRunsCurrent, topOverdueAsOf } from "~/features/dashboard/queries.server";
import { dashboardPlan } from "~/features/plans/index.server";
import { type ProjectedKpi, isProjectedKpi, projectScope, projectedValueOf } from "~/features/forecast/index.server";
import { getSettings } from "~/features/settings/index.server";
import { kpiScopeChoices } from "~/features/kpi/index.server";
import { today } from "~/server/clock.server";
import { GenerationCache } from "~/server/generation-cache.server";

/**
 * The dashboard's data: a `Promise.all` of typed query functions, each built on the KPI service
 * (`kpiValues`) so every figure is the one the CLI and the API give for the same date and scope.
 * The series need a KPI object per month end and quarter end; a per-request memo asks for each
 * date once (quarter ends and the previous quarter end are month ends too: about 25 dates).
 */

type KpiResult = { values: KpiValues; json: KpiJson };

/** One `kpiValues` call per date and request, shared by the query functions. */
export function kpiMemo(db: Db, scope: KpiScope): (date: IsoDate) => Promise<KpiResult> {
  const cache = new Map<IsoDate, Promise<KpiResult>>();
  const scopeWords = scopeText(scope);
  return (date) => {
    let result = cache.get(date);
    if (!result) {
      result = kpiValues(db, resolveKpiRequest({ asOf: date, scope: scopeWords }));
      cache.set(date, result);
    }
    return result;
  };
}

type Kpis = ReturnType<typeof kpiMemo>;

/** The credit KPIs (credit-kpis.ts) and the provision KPIs of the scope at a date, for the headline cards only. */
export type CreditKpisAt = (date: IsoDate, periodStart: IsoDate) => Promise<Omit<AllKpiValues, keyof KpiValues>>;
/** The same at a comparison date; the provision KPIs only where they are cheap (see creditKpisOf). */
export type ComparisonKpisAt = (date: IsoDate, periodStart: IsoDate) => Promise<Partial<Omit<AllKpiValues, keyof KpiValues>>>;

export function creditKpisOf(db: Db, customerIds: number[] | null, scope: KpiScope): { at: CreditKpisAt; comparedAt: ComparisonKpisAt } {
  const at: CreditKpisAt = async (date, periodStart) => ({
    ...(await creditKpiValues(db, customerIds, { periodStart, asOf: date })),
    ...(await provisionKpiValues(db, scope, date)),
  });
  // A provision at a month end reads the kept month-end positions, and one on or after the last
  // document reads each customer's end state; any other date settles every customer's documents
  // again (seconds on a million invoices). The same date last year is such a date, so there the
  // card shows no comparison rather than making every dashboard view wait for it.
  let latest: Promise<IsoDate | null> | undefined;
  const comparedAt: ComparisonKpisAt = async (date, periodStart) => {
    latest ??= latestDocumentDate(db);
    const last = await latest;
    const cheap = monthEnd(date) === date || last === null || last <= date;
    return cheap ? at(date, periodStart) : creditKpiValues(db, customerIds, { periodStart, asOf: date });
  };
  return { at, comparedAt };
}

async function valuesAt(kpis: Kpis, dates: readonly IsoDate[]): Promise<KpisAt> {
  const results = await Promise.all(dates.map(async (date) => [date, (await kpis(date)).values] as const));
  const byDate = new Map(results);
  return (date) => {
    const values = byDate.get(date);
    if (!values) throw new Error(`No KPI values were computed for ${date}`);
    return values;
  };
}

export async function headlineKpis(
  kpis: Kpis,
  credit: { at: CreditKpisAt; comparedAt: ComparisonKpisAt },
  dates: DashboardDates,
  targets: Partial<Record<ScalarKpiKey, KpiTarget>>,
): Promise<HeadlineKpis> {
  const { previousQuarterEnd, sameDateLastYear } = dates.comparisons;
  const at = async (date: IsoDate): Promise<{ values: AllKpiValues; json: KpiJson }> => {
    const result = await kpis(date);
    return { values: { ...result.values, ...(await credit.at(date, result.json.period.start)) }, json: result.json };
  };
  const comparedAt = async (date: IsoDate): Promise<{ values: Partial<AllKpiValues> }> => {
    const result = await kpis(date);
    return { values: { ...result.values, ...(await credit.comparedAt(date, result.json.period.start)) } };
  };
  const [current, quarter, year] = await Promise.all([at(dates.asOf), comparedAt(previousQuarterEnd), comparedAt(sameDateLastYear)]);
  return {
    asOf: dates.asOf,
    period: current.json.period,
    currency: current.json.currency,
    cards: kpiCards({
      current: current.values,
      previous: {
        previousQuarterEnd: { date: previousQuarterEnd, values: quarter.values },
        sameDateLastYear: { date: sameDateLastYear, values: year.values },
      },
      targets,
    }),
  };
}

export async function monthlyTrendOf(kpis: Kpis, dates: DashboardDates): Promise<MonthlyTrendPoint[]> {
  return monthlyTrend(dates.months, await valuesAt(kpis, dates.months.map((m) => m.date)));
}

export async function quarterlyCollectionOf(kpis: Kpis, dates: DashboardDates): Promise<QuarterlyCollectionPoint[]> {
  return quarterlyCollection(dates.quarters, await valuesAt(kpis, dates.quarters.map((q) => q.date)));
}

/**
 * The customers of the scope owing the most past due at the as-of date. Unlike the totals this
 * names customers, so staff get only their own book (ledger-scope.ts's rule). One grouped query
 * over the open items the import keeps, whatever the date: `open_items` for the customers with
 * no document dated after it, their open runs covering it (`status_open_runs`) for the others
 * (queries.server.ts). A page view only reads: while the open runs are behind (documents changed
 * since the status table last brought them up to date), `open_items` alone still serves when no
 * document is dated after the as-of date, else the scope's documents are settled as of that date.
 */
export async function topOverdueOf(
  db: Db,
  viewer: DashboardViewer,
  request: DashboardRequest,
  scopeCustomers: number[] | null,
): Promise<TopOverdue> {
  const { asOf } = request;
  const ownCustomersOnly = viewer.role === "staff";
  const ownerId = ownCustomersOnly ? viewer.id : undefined;
  const fromOpenItems = async (useOpenRuns: boolean): Promise<TopOverdue> => {
    const rows = await topOverdueAsOf(db, { customerIds: scopeCustomers, ownerId, asOf, limit: TOP_OVERDUE_CUSTOMERS, useOpenRuns });
    const customers = rows.map(({ oldestDue, ...row }) => ({ ...row, oldestDaysPastDue: days(oldestDue, asOf) }));
    return { customers, ownCustomersOnly };
  };
  if (await openRunsCurrent(db)) return fromOpenItems(true);
  const latest = await latestDocumentDate(db);
  if (latest === null || latest <= asOf) return fromOpenItems(false);
  let customerIds = scopeCustomers;
  if (ownCustomersOnly) {
    const own = await scopeCustomerIds(db, { type: "owner", email: viewer.email.toLowerCase() });
    const ownIds = new Set(Array.isArray(own) ? own : []);
    customerIds = customerIds === null ? [...ownIds] : customerIds.filter((id) => ownIds.has(id));
  }
  const snapshot = await loadLedgerSnapshot(db, customerIds, asOf);
  return { customers: topOverdueCustomers(openItemsAsOf(snapshot, asOf), snapshot.customers), ownCustomersOnly };
}

/**
 * Everything the dashboard shows for one as-of date and scope. Throws AppError not_found (404)
 * when the scope names a region, grade or owner the ledger does not have.
 */
export async function loadDashboard(db: Db, viewer: DashboardViewer, request: DashboardRequest): Promise<DashboardFigures> {
  // Everything a view's figures depend on besides the database: who looks (staff see their own
  // customers, plan figures follow the viewer's rights), in which language (plan titles), what
  // they asked for, and the business date. The database's own changes move the generation.
  const key = JSON.stringify([viewer.id, viewer.role, viewer.email, viewer.locale ?? "en", scopeText(request.scope), request.asOf, today()]);
  return dashboardCache.get(db, key, () => computeDashboard(db, viewer, request));
}

/**
 * A dashboard's figures take tens of milliseconds (a KPI object per month end and quarter end,
 * the plan's progress) and only change when the database does: each is kept per viewer, scope
 * and date until the next write. 200 views' figures at most, a few tens of kB each.
 */
const dashboardCache = new GenerationCache<DashboardFigures>(200);

async function computeDashboard(db: Db, viewer: DashboardViewer, request: DashboardRequest): Promise<DashboardFigures> {
  const [settings, scopeCustomers] = await Promise.all([getSettings(db), scopeCustomerIds(db, request.scope)]);
  if (scopeCustomers === "unknown") {
    throw unknownScope(request.scope);
  }
  const dates = dashboardDates(request.asOf, settings.fiscalStartMonth);
  const kpis = kpiMemo(db, request.scope);
  // The plan whose own dates hold the as-of date sets the cards' targets: items linked to this very scope.
  const plan = await dashboardPlan(db, request.asOf, request.scope, viewer.locale, viewer);
  // the plan's targets are keyed by scalar KPIs only (the dashboard plan builds them so)
  const targets = (plan?.targets ?? {}) as Partial<Record<ScalarKpiKey, KpiTarget>>;
  const [headline, monthly, quarterly, topOverdue, projected] = await Promise.all([
    headlineKpis(kpis, creditKpisOf(db, scopeCustomers, request.scope), dates, targets),
    monthlyTrendOf(kpis, dates),
    quarterlyCollectionOf(kpis, dates),
    topOverdueOf(db, viewer, request, scopeCustomers),
    cardProjectionsOf(db, request.scope, request.asOf, plan),
  ]);
  return {
    scope: scopeText(request.scope),
    fiscalStartMonth: settings.fiscalStartMonth,
    headline,
    monthly,
    quarterly,
    topOverdue,
    plan,
    projected,
  };
}

/**
 * Each KPI card's forecast where open items of the plan link that KPI in the viewed scope (and the
 * viewer reads their figures): the KPI projected to the nearest due date on or after the as-of
 * date, one forecast of the scope for all of them. Kept with the dashboard's figures.
 */
export async function cardProjectionsOf(db: Db, scope: KpiScope, asOf: IsoDate, plan: DashboardPlan | null): Promise<Partial<Record<ProjectedKpi, CardProjection>>> {
  if (!plan) return {};
  const wanted = scopeText(scope);
  const nearest = new Map<ProjectedKpi, DashboardPlanItem & { target: number }>();
  for (const item of plan.linked) {
    const { kpi, target } = item;
    if (item.scope !== wanted || item.hidden !== null || target === null || !isProjectedKpi(kpi) || item.status === "done" || item.status === "cancelled" || item.dueDate < asOf) continue;
    const best = nearest.get(kpi);
    if (!best || item.dueDate < best.dueDate) nearest.set(kpi, { ...item, target });
  }
  if (nearest.size === 0) return {};
  const projections = await projectScope(db, scope, asOf, [...new Set([...nearest.values()].map((item) => item.dueDate))]);
  const cards: Partial<Record<ProjectedKpi, CardProjection>> = {};
  for (const [kpi, item] of nearest) {
    const projection = projections?.get(item.dueDate);
    if (!projection) continue;
    const value = projectedValueOf(kpi, projection);
    const better = kpiDefinition(kpi).better;
    const misses = value !== null && (better === "down" ? value > item.target : value < item.target);
    cards[kpi] = { date: item.dueDate, value, target: item.target, misses, item: item.title };
  }
  return cards;
}

type ScopeChoiceLists = Awaited<ReturnType<typeof kpiScopeChoices>>;
const scopeChoicesCache = new GenerationCache<ScopeChoiceLists>(1);

/** The regions, grades and owners the dashboard's scope picker offers, kept until the database changes. */
export function dashboardScopeChoices(db: Db): Promise<ScopeChoiceLists> {
  return scopeChoicesCache.get(db, "all", () => kpiScopeChoices(db));
}
