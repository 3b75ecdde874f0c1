import type { Db } from "~/server/db.server";
import { GenerationCache } from "~/server/generation-cache.server";
import type { Locale } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import { can } from "~/kernel/permissions";
import { scopeNames } from "~/features/kpi/index.server";
import { scopeText } from "~/features/kpi";
import { planCommentsIn, planItemsIn, textIn } from "~/features/settings/index.server";
import { PLAN_CATEGORIES, isItemStatus } from "~/features/plans/categories";
import { planDifferences } from "~/features/plans/diff";
import { type Actor, canUpdateItem, dueDateWindow } from "~/features/plans/lifecycle";
import { isOverdue, quarterElapsed } from "~/features/plans/progress";
import { assignableOwners, latestSnapshot, listComments } from "~/features/plans/queries/plans.server";
import { type KpiViewer, KpiReader, addComment, getPlan, planProgress, quarterOfPlan, transition } from "~/features/plans/plans.server";
import { assignItems } from "~/features/plans/assign.server";
import { assignmentsFrom } from "~/features/plans/assign.schema";
import { commentSchema, transitionSchema } from "~/features/plans/schema";
import { parseOrRefuse } from "~/features/plans/parse";
import { AppError } from "~/kernel/app-error";

/**
 * The plan's board: what it shows (read only: KPI progress from the stored baselines or, until the
 * baseline job stores the quarter's eve, that day's value read live) and what its forms do.
 */

export interface BoardFilters {
  owner: string;
  status: string;
  /** `?assigned=N` after a saved assignment: how many rows were saved. */
  assigned: string | null;
}

export async function loadBoard(db: Db, user: KpiViewer & { locale: Locale }, planId: number, filters: BoardFilters, day: IsoDate) {
  // The board (the items' KPI progress above all) only changes when the database does: kept per
  // viewer, plan, filters and business date until the next write.
  const key = JSON.stringify([user.id, user.role, user.email, user.locale, planId, filters.owner, filters.status, filters.assigned, day]);
  return boardCache.get(db, key, () => computeBoard(db, user, planId, filters, day));
}

type Board = Awaited<ReturnType<typeof computeBoard>>;
const boardCache = new GenerationCache<Board>(100);

async function computeBoard(db: Db, user: KpiViewer & { locale: Locale }, planId: number, filters: BoardFilters, day: IsoDate) {
  const plan = await getPlan(db, planId);
  // Figures of scopes the viewer may not read through the KPI API never leave the server.
  const progress = await planProgress(db, plan, day, new KpiReader(db, user));
  const quarter = quarterOfPlan(plan);
  const { owner: ownerFilter, status: statusFilter } = filters;
  const owners = new Map<number, string>();
  for (const item of plan.items) if (item.ownerId !== null) owners.set(item.ownerId, item.ownerName ?? "");
  const shown = await planItemsIn(db, plan.items, user.locale);
  const items = shown
    .filter((item) => ownerFilter === "" || (ownerFilter === "none" ? item.ownerId === null : String(item.ownerId) === ownerFilter))
    .filter((item) => !isItemStatus(statusFilter) || item.status === statusFilter)
    .map((item) => ({
      id: item.id,
      title: item.title,
      category: item.category,
      ownerName: item.ownerName,
      dueDate: item.dueDate,
      status: item.status,
      blockedReason: item.blockedReason,
      outcome: item.outcome,
      overdue: plan.state === "approved" && isOverdue(item, day),
      customers: item.customers,
      carriedOver: item.carriedOverFrom !== null,
      kpi: item.kpiLink && {
        key: item.kpiLink.kpi,
        scope: scopeText(item.kpiLink.scope),
        target: item.kpiLink.target,
        ...progress.items[item.id],
      },
      canUpdate: canUpdateItem(user, item),
    }));
  const snapshot = plan.approvedVersion > 0 ? await latestSnapshot(db, planId) : null;
  const editing = plan.state === "draft" || plan.state === "returned";
  const mayAssign = can(user, "plan:edit") && (editing || plan.state === "approved");
  const assigned = Number(filters.assigned);
  return {
    plan: {
      id: plan.id,
      fiscalYear: plan.fiscalYear,
      quarter: plan.quarter,
      fiscalStartMonth: plan.fiscalStartMonth,
      state: plan.state,
      version: plan.version,
      approvedVersion: plan.approvedVersion,
      returnComment: plan.returnComment,
      reviewNote: await textIn(db, "plan", plan.id, "review_note", plan.reviewNote, user.locale),
      itemCount: plan.items.length,
    },
    quarter,
    window: dueDateWindow(plan),
    elapsed: quarterElapsed(quarter, day),
    begun: day >= quarter.start,
    measuredOn: progress.measuredOn,
    rollup: progress.rollup,
    items,
    owners: [...owners].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    filters: { owner: ownerFilter, status: isItemStatus(statusFilter) ? statusFilter : "" },
    comments: await planCommentsIn(db, await listComments(db, planId, null), user.locale),
    scopeNames: await scopeNames(db, plan.items.flatMap((item) => (item.kpiLink ? [item.kpiLink.scope] : []))),
    // The head's one-form assignment of owners and due dates: every live item, whatever the filters.
    assign: mayAssign
      ? {
          rows: plan.items
            .filter((item) => item.status !== "cancelled")
            .sort((a, b) => PLAN_CATEGORIES.indexOf(a.category) - PLAN_CATEGORIES.indexOf(b.category) || a.position - b.position || a.id - b.id)
            .map((item) => ({ id: item.id, title: item.title, category: item.category, ownerId: item.ownerId, dueDate: item.dueDate, version: item.version })),
          owners: (await assignableOwners(db)).map((owner) => ({ id: owner.id, name: owner.name })),
          saved: filters.assigned !== null && Number.isInteger(assigned) && assigned >= 0 ? assigned : null,
        }
      : null,
    changedSinceApproval: snapshot !== null && plan.state !== "closed" && planDifferences(snapshot.plan.items, plan.items).length > 0,
    may: {
      edit: can(user, "plan:edit") && (editing || plan.state === "approved"),
      addItem: can(user, "plan:edit") && (editing || plan.state === "approved"),
      submit: can(user, "plan:edit") && editing,
      decide: can(user, "plan:approve") && plan.state === "submitted",
      close: can(user, "plan:edit") && plan.state === "approved" && day > quarter.end,
      comment: can(user, "plan:comment"),
    },
  };
}

/**
 * The board's forms: the assignment, a comment, submit / approve / return. Answers where to go
 * next; a refusal is an AppError the route turns into the form's answer.
 */
export async function runBoardCommand(db: Db, user: Actor, planId: number, formData: FormData, day: IsoDate): Promise<string> {
  const values = Object.fromEntries([...formData].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  if (values.intent === "assign") {
    const parsed = assignmentsFrom(formData);
    if (!parsed.ok) throw AppError.invalid(parsed.fieldErrors, "plans.error.checkFields");
    const { saved } = await assignItems(db, user, planId, parsed, day);
    return `/plans/${planId}?assigned=${saved}#assign`;
  }
  if (values.intent === "comment") {
    const { body } = parseOrRefuse(commentSchema, values);
    await addComment(db, user, planId, null, "comment", body);
    return `/plans/${planId}#discussion`;
  }
  const { intent, version, comment } = parseOrRefuse(transitionSchema, values);
  const action =
    intent === "submit"
      ? ({ type: "submit" } as const)
      : intent === "approve"
        ? ({ type: "approve", comment } as const)
        : ({ type: "return", comment } as const);
  await transition(db, user, planId, version, action, day);
  return `/plans/${planId}`;
}
