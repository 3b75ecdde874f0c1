import type { Db } from "~/server/db.server";
import type { Locale } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import { AppError } from "~/kernel/app-error";
import { can } from "~/kernel/permissions";
import { kpiScopeChoices, scopeNames } from "~/features/kpi/index.server";
import { parseScope, scopeText } from "~/features/kpi";
import { reviewForPlanItem } from "~/features/credit/review/index.server";
import { planCommentsIn, planItemsIn } from "~/features/settings/index.server";
import { getSettings } from "~/features/settings/index.server";
import { type Actor, canUpdateItem, dueDateWindow } from "~/features/plans/lifecycle";
import { isOverdue } from "~/features/plans/progress";
import { assignableOwners, listComments } from "~/features/plans/queries/plans.server";
import { type KpiViewer, KpiReader, addComment, deleteItem, getPlan, linkWithoutFigures, updateItem } from "~/features/plans/plans.server";
import { itemHistory, itemKpiView } from "~/features/plans/items.server";
import { commentSchema, deleteItemSchema, updateItemSchema } from "~/features/plans/schema";
import { parseOrRefuse } from "~/features/plans/parse";

/** An item's own page: what it shows (read only) and what its edit, delete and comment forms do. */

export async function loadItemPage(db: Db, user: KpiViewer & { locale: Locale }, planId: number, itemId: number, day: IsoDate) {
  const plan = await getPlan(db, planId);
  const stored = plan.items.find((candidate) => candidate.id === itemId);
  if (!stored) throw AppError.notFound("plans.error.notFound");
  // Shown in the viewer's language where the text is still the template's or the demo's own.
  const shown = (await planItemsIn(db, [stored], user.locale))[0] ?? stored;
  const reader = new KpiReader(db, user);
  // The stored baseline is a figure of the linked scope: left out where the viewer may not read it.
  const item = shown.kpiLink && !(await reader.mayRead(shown.kpiLink.scope)) ? { ...shown, kpiLink: linkWithoutFigures(shown.kpiLink) } : shown;
  const editable = can(user, "plan:edit") && ["draft", "returned", "approved"].includes(plan.state);
  const [kpi, comments, history, owners, scopeChoices] = await Promise.all([
    itemKpiView(reader, plan, item, day),
    listComments(db, planId, itemId).then((list) => planCommentsIn(db, list, user.locale)),
    itemHistory(db, itemId),
    editable ? assignableOwners(db) : Promise.resolve([]),
    editable ? kpiScopeChoices(db) : Promise.resolve({ regions: [], grades: [], owners: [] }),
  ]);
  return {
    plan: { id: plan.id, fiscalYear: plan.fiscalYear, quarter: plan.quarter, fiscalStartMonth: plan.fiscalStartMonth, state: plan.state },
    item,
    overdue: plan.state === "approved" && isOverdue(item, day),
    kpi,
    comments,
    history,
    may: {
      edit: editable,
      delete: editable && plan.state !== "approved",
      updateStatus: canUpdateItem(user, item) && plan.state === "approved",
      note: canUpdateItem(user, item),
      comment: can(user, "plan:comment"),
      cancel: can(user, "plan:edit"),
    },
    owners: owners.map((owner) => ({ id: owner.id, name: owner.name })),
    scopeChoices,
    currentScope: item.kpiLink ? scopeText(item.kpiLink.scope) : "",
    // Owners and customers by name wherever a scope is shown: the KPI section and the history.
    scopeNames: await scopeNames(db, [
      ...(item.kpiLink ? [item.kpiLink.scope] : []),
      ...history.flatMap((entry) =>
        entry.changes.flatMap((change) => (change.field === "kpi_scope" ? [change.before, change.after] : [])).flatMap((value) => {
          const parsed = parseScope(typeof value === "string" ? value : null);
          return typeof value === "string" && parsed.ok ? [parsed.scope] : [];
        }),
      ),
    ]),
    dueWindow: dueDateWindow(plan),
    // A review is named by the installation's quarters, as on its own page.
    creditReview:
      item.category === "credit_review" ? { review: await reviewForPlanItem(db, itemId), fiscalStartMonth: (await getSettings(db)).fiscalStartMonth } : null,
  };
}

/** The item page's own forms (edit, delete, comment); answers where to go next. */
export async function runItemCommand(db: Db, user: Actor, planId: number, itemId: number, values: Record<string, string>, day: IsoDate): Promise<string> {
  const here = `/plans/${planId}/items/${itemId}`;
  switch (values.intent) {
    case "update-item": {
      const { version, intent: _intent, ...fields } = parseOrRefuse(updateItemSchema, values);
      await updateItem(db, user, planId, itemId, version, fields, day);
      return here;
    }
    case "delete-item": {
      const { version } = parseOrRefuse(deleteItemSchema, values);
      await deleteItem(db, user, planId, itemId, version, day);
      return `/plans/${planId}`;
    }
    case "comment": {
      const { body } = parseOrRefuse(commentSchema, values);
      await addComment(db, user, planId, itemId, "comment", body);
      return `${here}#comments`;
    }
    default:
      throw new AppError("invalid", "plans.validation.invalid", { subjectId: itemId });
  }
}
