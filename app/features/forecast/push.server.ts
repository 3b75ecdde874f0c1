import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { toEpochDay } from "~/kernel/dates";
import { parseScope, scopeText } from "~/features/kpi";
import { kpiValues, resolveKpiRequest, scopeNames } from "~/features/kpi/index.server";
import { planItemsIn } from "~/features/settings/index.server";
import type { Locale } from "~/i18n";
import { type ForecastReader, checkForecastAccess, forecastFor, scopeFilterOf } from "./forecast.server";
import { type PushGap, type PushKpi, type Projection, PUSH_KPIS, projectAt, pushGap, weeksToReach } from "./projection";
import { type ChaseCandidate, chaseList } from "./push";
import type { PlannedPath } from "./planned-path";
import { itemPlannedPath } from "./item-projection.server";
import { customerOwners, pushItemRow } from "./queries.server";

/**
 * The year-end push of one KPI-linked plan item: the KPI projected to the item's due date from the
 * collections forecast, the gap to its target, and the customers to chase first. Reads only.
 */

export interface PushCandidate extends ChaseCandidate {
  customerId: number;
  code: string;
  name: string;
  ownerId: number | null;
  ownerName: string | null;
}

export interface PushRow {
  customerId: number;
  ownerId: number | null;
  code: string;
  name: string;
  ownerName: string | null;
  amount: number;
  probability: number;
  expected: number;
  cumulative: number;
  closesGap: boolean;
}

export interface PushPlan {
  item: { id: number; planId: number; title: string; kpi: PushKpi; scope: string; target: number; dueDate: IsoDate; planApproved: boolean };
  asOf: IsoDate;
  current: { overdue: number; receivables: number; creditSales90d: number; dso: number | null };
  projection: Projection;
  gap: PushGap;
  rows: PushRow[];
  /** the expected amounts of the marked rows together */
  closing: number;
  /** staff see their own customers only: the list is cut to them */
  ownOnly: boolean;
  /** where the item's planned path (straight or last year's shape) says the KPI should be today; null without a baseline */
  path: PlannedPath | null;
  /** what people call the owner or customer the item's scope names, by scope text */
  scopeNames: Record<string, string>;
}

function isPushKpi(value: string | null): value is PushKpi {
  return PUSH_KPIS.some((kpi) => kpi === value);
}

/** The item id from the query: a positive whole number, or 400. */
export function readPushItemId(params: URLSearchParams): number {
  const text = params.get("item") ?? "";
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new AppError("invalid", "forecast.push.badItem");
  return Number(text);
}

export async function loadPushPlan(db: Db, user: ForecastReader, itemId: number, today: IsoDate, locale: Locale = "en"): Promise<PushPlan> {
  const row = await pushItemRow(db, itemId);
  if (!row) throw AppError.notFound("forecast.push.noItem");
  // a title written from the built-in template in the reader's language, as the plan shows it
  const [item] = await planItemsIn(db, [row], locale);
  if (!item) throw AppError.notFound("forecast.push.noItem");
  if (!isPushKpi(item.kpi_key) || item.kpi_target === null) throw AppError.notFound("forecast.push.notPushKpi");
  const parsed = parseScope(item.kpi_scope);
  if (!parsed.ok) throw AppError.notFound("forecast.push.noItem");
  const scope = parsed.scope;
  await checkForecastAccess(db, user, scope);
  const dueDate = item.due_date ?? item.end_date;

  const result = await forecastFor(db, { asOf: today, scope, weeks: weeksToReach(today, dueDate) });
  const { values } = await kpiValues(db, resolveKpiRequest({ asOf: today, scope: scopeText(scope) }));
  const projection = projectAt({
    asOf: today,
    date: dueDate,
    arTotal: values.ar_total,
    overdueTotal: values.overdue_total,
    creditSales90d: values.credit_sales_90d,
    invoices: result.inputs.invoices,
    weeks: result.forecast.weeks,
    billed: result.forecast.newSalesBilled,
  });
  const gap = pushGap(item.kpi_key, item.kpi_target, projection);

  // Overdue is closed by what falls due before the date; DSO by any receivable.
  const chaseable = new Map<number, number>();
  const { invoices } = result.inputs;
  const dueDay = toEpochDay(dueDate);
  for (let i = 0; i < invoices.length; i++) {
    if (item.kpi_key === "overdue_total" && (invoices.dueDay[i] ?? 0) >= dueDay) continue;
    const customerId = invoices.customerId[i] ?? 0;
    chaseable.set(customerId, (chaseable.get(customerId) ?? 0) + (invoices.open[i] ?? 0));
  }
  const filter = await scopeFilterOf(db, scope);
  const owners = filter === "unknown" ? new Map<number, { ownerId: number | null; ownerName: string | null }>() : await customerOwners(db, filter);
  const customers = new Map(result.inputs.customers.map((c) => [c.id, c]));
  const ownOnly = user.role === "staff";
  const candidates: PushCandidate[] = result.forecast.customers.flatMap((view) => {
    const customer = customers.get(view.customerId);
    const amount = chaseable.get(view.customerId) ?? 0;
    const owner = owners.get(view.customerId) ?? { ownerId: null, ownerName: null };
    if (!customer || amount <= 0 || (ownOnly && owner.ownerId !== user.id)) return [];
    return [{ key: customer.code, amount, probability: view.probability, customerId: customer.id, code: customer.code, name: customer.name, ...owner }];
  });
  const ranked = chaseList(candidates, gap.required ?? 0);
  const currentValue = item.kpi_key === "dso" ? values.dso : values.overdue_total;
  const path = await itemPlannedPath(db, item, item.kpi_key, scope, dueDate, today, currentValue);
  return {
    item: { id: item.id, planId: item.plan_id, title: item.title, kpi: item.kpi_key, scope: scopeText(scope), target: item.kpi_target, dueDate, planApproved: item.plan_state === "approved" },
    asOf: today,
    current: { overdue: values.overdue_total, receivables: values.ar_total, creditSales90d: values.credit_sales_90d, dso: values.dso },
    projection,
    gap,
    rows: ranked.map((row) => ({
      customerId: row.candidate.customerId,
      ownerId: row.candidate.ownerId,
      code: row.candidate.code,
      name: row.candidate.name,
      ownerName: row.candidate.ownerName,
      amount: row.candidate.amount,
      probability: row.candidate.probability,
      expected: row.expected,
      cumulative: row.cumulative,
      closesGap: row.closesGap,
    })),
    closing: ranked.reduce((sum, row) => (row.closesGap ? sum + row.expected : sum), 0),
    ownOnly,
    path,
    scopeNames: await scopeNames(db, [scope]),
  };
}
