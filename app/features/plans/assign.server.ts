import { itemAssigned } from "~/features/notifications/index.server";
import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Actor } from "~/features/plans/lifecycle";
import { dueDateWindow } from "~/features/plans/lifecycle";
import { can } from "~/kernel/permissions";
import { recordAudit } from "~/features/audit/index.server";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { type StoredItem, assignableOwners, loadItem } from "~/features/plans/queries/plans.server";
import { updateItemAssignment } from "~/features/plans/queries/writes.server";
import { editGate, getPlan, nowText, touchPlan } from "~/features/plans/plans.server";
import { type AssignmentRow, isTouched } from "~/features/plans/assign.schema";

/** A stale row as the form shows it: the other person's owner and due date. */
export interface AssignConflict {
  id: number;
  version: number;
  ownerId: number | null;
  ownerName: string | null;
  dueDate: string | null;
}

function conflictRows(items: readonly StoredItem[]): AssignConflict[] {
  return items.map((item) => ({ id: item.id, version: item.version, ownerId: item.ownerId, ownerName: item.ownerName, dueDate: item.dueDate }));
}

/**
 * The head sets owners and due dates of many items in one save (the board's form). Only rows the
 * head changed are written, each against the version its row showed: if anyone saved one of them
 * since, nothing is written and the answer (409) carries those items as they are now. Each
 * changed item gets its audit entry, as a save on its own page would; an approved plan needs a
 * reason, a returned one goes back to draft.
 */
export async function assignItems(
  db: Db,
  actor: Actor,
  planId: number,
  input: { rows: AssignmentRow[]; reason: string },
  today: IsoDate,
): Promise<{ saved: number }> {
  if (!can(actor, "plan:edit")) throw AppError.forbidden("plan.error.forbidden");
  const plan = await getPlan(db, planId);
  const items = new Map(plan.items.map((item) => [item.id, item]));
  // Every row must be a live item of this plan: a forged or foreign id changes nothing.
  if (input.rows.some((row) => items.get(row.itemId)?.status === "cancelled" || !items.has(row.itemId))) {
    throw AppError.field("form", "plans.validation.invalid");
  }
  const changed = input.rows.filter(isTouched);
  if (changed.length === 0) return { saved: 0 };
  const event = editGate(plan, actor, input.reason, today);

  const stale = changed.flatMap((row) => {
    const item = items.get(row.itemId);
    return item && item.version !== row.version ? [item] : [];
  });
  if (stale.length > 0) throw AppError.conflict("plans.error.assignConflict", conflictRows(stale));

  const errors: FieldErrors = {};
  const owners = new Set((await assignableOwners(db)).map((owner) => owner.id));
  const window = dueDateWindow(plan);
  for (const row of changed) {
    if (row.ownerId !== null && !owners.has(row.ownerId)) (errors[`owner-${row.itemId}`] ??= []).push("plans.validation.owner");
    if (row.dueDate !== null && (row.dueDate < window.start || row.dueDate > window.end)) {
      (errors[`due-${row.itemId}`] ??= []).push("plan.error.itemDueOutsideQuarter");
    }
  }
  if (Object.keys(errors).length > 0) throw AppError.invalid(errors, "plans.error.checkFields");

  const at = nowText();
  await db.transaction().execute(async (trx) => {
    const lost: number[] = [];
    for (const row of changed) {
      const item = items.get(row.itemId);
      const saved = item !== undefined && (await updateItemAssignment(trx, row.itemId, row.version, { ownerId: row.ownerId, dueDate: row.dueDate }, at));
      if (!item || !saved) {
        lost.push(row.itemId);
        continue;
      }
      await recordAudit(trx, {
        userId: actor.id,
        entity: "plan_item",
        entityId: row.itemId,
        action: plan.state === "approved" ? "changed" : "updated",
        before: { owner_id: item.ownerId, due_date: item.dueDate },
        after: { owner_id: row.ownerId, due_date: row.dueDate, reason: input.reason || null },
      });
      if (row.ownerId !== item.ownerId) await itemAssigned(trx, { planId: plan.id, itemId: item.id, title: item.title, ownerId: row.ownerId, actorId: actor.id });
    }
    // Someone saved between our read and these writes: the same refusal as a stale row, nothing kept.
    if (lost.length > 0) {
      const current = await Promise.all(lost.map((id) => loadItem(trx, id)));
      throw AppError.conflict("plans.error.assignConflict", conflictRows(current.filter((item) => item !== null)));
    }
    await touchPlan(trx, plan, actor.id, event, at);
  });
  return { saved: changed.length };
}
