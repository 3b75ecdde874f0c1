import type { Db } from "~/server/db.server";
import { GenerationCache } from "~/server/generation-cache.server";
import type { Locale } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import { AppError } from "~/kernel/app-error";
import { fiscalQuarter, quarterOf } from "~/kernel/dates";
import { can } from "~/kernel/permissions";
import { kpiScopeChoices, searchCustomers } from "~/features/kpi/index.server";
import { listAuditActions } from "~/features/audit/index.server";
import { planItemsIn } from "~/features/settings/index.server";
import { getSettings } from "~/features/settings/index.server";
import { isOpenStatus } from "~/features/plans/categories";
import { nextQuarter } from "~/features/plans/carry-over";
import { planDifferences } from "~/features/plans/diff";
import { type Actor, dueDateWindow, suggestedOutcome } from "~/features/plans/lifecycle";
import { isOverdue, sortMyTasks } from "~/features/plans/progress";
import { type TaskRow, assignableOwners, itemsOwnedBy, latestSnapshot, listPlans } from "~/features/plans/queries/plans.server";
import { type KpiViewer, KpiReader, getPlan, linkWithoutFigures, quarterOfPlan } from "~/features/plans/plans.server";
import { itemKpiView } from "~/features/plans/items.server";

/** What the plan pages other than the board and the item page show. Reads only. */

type Viewer = Actor & { locale: Locale };
type FiguresViewer = KpiViewer & { locale: Locale };

/** The plans list and the quarter a head most likely drafts next. */
export async function loadPlanList(db: Db, user: Actor, day: IsoDate) {
  const { fiscalStartMonth } = await getSettings(db);
  const plans = await listPlans(db);
  const current = quarterOf(day, fiscalStartMonth);
  // Plans keep their own dates: a quarter is taken when a plan already covers any day of it.
  const taken = (fiscalYear: number, quarter: 1 | 2 | 3 | 4) => {
    const range = fiscalQuarter(fiscalYear, quarter, fiscalStartMonth);
    return plans.some((plan) => plan.start <= range.end && plan.end >= range.start);
  };
  // This quarter if it has no plan yet, else the next free one.
  let suggested: { fiscalYear: number; quarter: 1 | 2 | 3 | 4 } = { fiscalYear: current.fiscalYear, quarter: current.quarter };
  for (let step = 0; step < 8 && taken(suggested.fiscalYear, suggested.quarter); step += 1) {
    suggested = nextQuarter(suggested.fiscalYear, suggested.quarter);
  }
  return {
    plans,
    today: day,
    current: { fiscalYear: current.fiscalYear, quarter: current.quarter },
    suggested,
    canCreate: can(user, "plan:edit"),
  };
}

/** The new item form: the plan's name, who may own items, the KPI scopes, the due-date window. */
export async function loadNewItemPage(db: Db, planId: number) {
  const plan = await getPlan(db, planId);
  const [owners, scopeChoices] = await Promise.all([assignableOwners(db), kpiScopeChoices(db)]);
  return {
    plan: { id: plan.id, fiscalYear: plan.fiscalYear, quarter: plan.quarter, fiscalStartMonth: plan.fiscalStartMonth, state: plan.state },
    owners: owners.map((owner) => ({ id: owner.id, name: owner.name })),
    scopeChoices,
    dueWindow: dueDateWindow(plan),
  };
}

/** Closing a quarter: each live item with the outcome its status suggests. */
export async function loadClosePage(db: Db, user: Viewer, planId: number, day: IsoDate) {
  const plan = await getPlan(db, planId);
  const quarter = quarterOfPlan(plan);
  const shown = await planItemsIn(db, plan.items, user.locale);
  return {
    plan: { id: plan.id, fiscalYear: plan.fiscalYear, quarter: plan.quarter, fiscalStartMonth: plan.fiscalStartMonth, state: plan.state, version: plan.version },
    quarterEnd: quarter.end,
    quarterOver: day > quarter.end,
    items: shown
      .filter((item) => item.status !== "cancelled")
      .map((item) => ({ id: item.id, title: item.title, ownerName: item.ownerName, status: item.status, suggested: suggestedOutcome(item) })),
  };
}

/** The approved plan beside the current one, and every change since with its reason. */
export async function loadApprovedPage(db: Db, planId: number) {
  const plan = await getPlan(db, planId);
  const snapshot = await latestSnapshot(db, planId);
  if (!snapshot) throw AppError.notFound("plans.error.notApprovedYet");
  const titles = new Map(plan.items.map((item) => [String(item.id), item.title]));
  const entries = await listAuditActions(db, "plan_item", [...titles.keys()], "changed", snapshot.approvedAt);
  const changes = entries.map((entry) => ({
    id: entry.id,
    at: entry.at,
    by: entry.userName,
    itemId: Number(entry.entity_id),
    title: titles.get(entry.entity_id) ?? "",
    // the audit entry of a change after approval is written with this shape (recordAudit in plans.server.ts)
    reason: (JSON.parse(entry.after ?? "{}") as { reason?: string | null }).reason ?? null,
  }));
  return {
    plan: { id: plan.id, fiscalYear: plan.fiscalYear, quarter: plan.quarter, fiscalStartMonth: plan.fiscalStartMonth, state: plan.state },
    approved: { version: snapshot.approvedVersion, at: snapshot.approvedAt, by: snapshot.approvedBy, items: snapshot.plan.items.length },
    differences: planDifferences(snapshot.plan.items, plan.items),
    changes,
  };
}

/** My tasks: the viewer's items of the plan in force (open, then finished), with their KPI progress. */
export async function loadMyTasks(db: Db, user: FiguresViewer, day: IsoDate) {
  // The list and above all its KPI progress (a linked provision KPI settles bands of the ledger)
  // only change when the database does: kept per viewer and business date until the next write.
  const key = JSON.stringify([user.id, user.role, user.email, user.locale, day]);
  return myTasksCache.get(db, key, () => computeMyTasks(db, user, day));
}

type MyTasks = Awaited<ReturnType<typeof computeMyTasks>>;
const myTasksCache = new GenerationCache<MyTasks>(200);

async function computeMyTasks(db: Db, user: FiguresViewer, day: IsoDate) {
  // Leadership owns no items: the page says so instead of refusing.
  const ownsItems = can(user, "plan-item:update", { ownerId: user.id });
  const rows = ownsItems ? await planItemsIn(db, await itemsOwnedBy(db, user.id, ["approved", "closed"]), user.locale) : [];
  const reader = new KpiReader(db, user);
  const view = async (row: TaskRow) => ({
    id: row.id,
    planId: row.planId,
    title: row.title,
    // Named and dated as the plan was made, whatever the fiscal start month is today.
    plan: row.plan,
    dueDate: row.dueDate,
    status: row.status,
    blockedReason: row.blockedReason,
    version: row.version,
    overdue: row.planState === "approved" && isOverdue(row, day),
    // An item of one's own may still track a scope one may not read (a region): its baseline stays out.
    kpiLink: row.kpiLink && !(await reader.mayRead(row.kpiLink.scope)) ? linkWithoutFigures(row.kpiLink) : row.kpiLink,
    kpi: row.planState === "approved" ? await itemKpiView(reader, row.plan, row, day) : null,
  });
  const open = sortMyTasks(
    rows.filter((row) => row.planState === "approved" && isOpenStatus(row.status)),
    day,
  );
  const finished = sortMyTasks(
    rows.filter((row) => !isOpenStatus(row.status) && (row.planState === "approved" || (row.plan.start <= day && day <= row.plan.end))),
    day,
  );
  return {
    ownsItems,
    canCancel: can(user, "plan:edit"),
    open: await Promise.all(open.map(view)),
    finished: await Promise.all(finished.map(view)),
  };
}

/** The item form's customer search (KPI scope "one customer"): part of a code or name. */
export async function customerOptions(db: Db, text: string) {
  return { customers: await searchCustomers(db, text.slice(0, 100)) };
}
