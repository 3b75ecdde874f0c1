import type { Insertable } from "kysely";

import type { PlanItemsTable, PlansTable } from "../../../../db/schema";
import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import type { CloseOutcome, ItemStatus } from "~/features/plans/categories";
import type { PlanState } from "~/features/plans/lifecycle";

/**
 * Every write of the plans feature: the use cases decide what to write and hold the transaction
 * (they pass it as `db`); these only say how. Optimistic updates answer whether the row still had
 * the version the form was based on.
 */

export type NewPlanRow = Omit<Insertable<PlansTable>, "id">;
export type NewItemRow = Omit<Insertable<PlanItemsTable>, "id">;

/** The editable columns of an item, as stored. */
export interface ItemColumns {
  title: string;
  category: string;
  description: string;
  owner_id: number | null;
  due_date: string | null;
  kpi_key: string | null;
  kpi_scope: string | null;
  kpi_better: "up" | "down" | null;
  kpi_target: number | null;
}

export async function insertPlan(db: Db, row: NewPlanRow): Promise<number> {
  const plan = await db.insertInto("plans").values(row).returning("id").executeTakeFirstOrThrow();
  return plan.id;
}

async function insertItemCustomers(db: Db, itemId: number, customerIds: readonly number[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db
    .insertInto("plan_item_customers")
    .values(customerIds.map((customerId) => ({ item_id: itemId, customer_id: customerId })))
    .execute();
}

/** An item and the customers it concerns: the one way an item is written new. */
export async function insertItemWithCustomers(db: Db, row: NewItemRow, customerIds: readonly number[]): Promise<number> {
  const item = await db.insertInto("plan_items").values(row).returning("id").executeTakeFirstOrThrow();
  await insertItemCustomers(db, item.id, customerIds);
  return item.id;
}

/** The item's columns and customers, if it still has `version`; false when someone saved since. */
export async function updateItemWithCustomers(
  db: Db,
  itemId: number,
  version: number,
  columns: ItemColumns & { kpi_baseline?: null; kpi_baseline_date?: null },
  customerIds: readonly number[],
  at: string,
): Promise<boolean> {
  const updated = await db
    .updateTable("plan_items")
    .set((eb) => ({ ...columns, version: eb("version", "+", 1), updated_at: at }))
    .where("id", "=", itemId)
    .where("version", "=", version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  await db.deleteFrom("plan_item_customers").where("item_id", "=", itemId).execute();
  await insertItemCustomers(db, itemId, customerIds);
  return true;
}

/** Owner and due date of one item (the assignment form), if it still has `version`. */
export async function updateItemAssignment(
  db: Db,
  itemId: number,
  version: number,
  values: { ownerId: number | null; dueDate: IsoDate | null },
  at: string,
): Promise<boolean> {
  const updated = await db
    .updateTable("plan_items")
    .set((eb) => ({ owner_id: values.ownerId, due_date: values.dueDate, version: eb("version", "+", 1), updated_at: at }))
    .where("id", "=", itemId)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function updateItemStatus(
  db: Db,
  itemId: number,
  version: number,
  values: { status: ItemStatus; blockedReason: string | null; doneOn: IsoDate | null },
  at: string,
): Promise<boolean> {
  const updated = await db
    .updateTable("plan_items")
    .set((eb) => ({
      status: values.status,
      blocked_reason: values.blockedReason,
      done_on: values.doneOn,
      version: eb("version", "+", 1),
      updated_at: at,
    }))
    .where("id", "=", itemId)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function deleteItemRow(db: Db, itemId: number): Promise<void> {
  await db.deleteFrom("plan_items").where("id", "=", itemId).execute();
}

/** A baseline is not a user's edit: the version stays, so no open form becomes stale. */
export async function setItemBaseline(db: Db, itemId: number, value: number | null, date: IsoDate): Promise<void> {
  await db.updateTable("plan_items").set({ kpi_baseline: value, kpi_baseline_date: date }).where("id", "=", itemId).execute();
}

export async function setItemOutcome(db: Db, itemId: number, outcome: CloseOutcome): Promise<void> {
  await db.updateTable("plan_items").set({ outcome }).where("id", "=", itemId).execute();
}

export async function insertPlanComment(
  db: Db,
  row: { planId: number; itemId: number | null; kind: "comment" | "note"; authorId: number; body: string; at: string },
): Promise<number> {
  const inserted = await db
    .insertInto("plan_comments")
    .values({ plan_id: row.planId, item_id: row.itemId, kind: row.kind, author_id: row.authorId, body: row.body, created_at: row.at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** A change to a plan's items bumps the plan's version (and moves its state when the change does). */
export async function bumpPlan(db: Db, planId: number, state: PlanState | null, at: string): Promise<void> {
  await db
    .updateTable("plans")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: at, ...(state ? { state } : {}) }))
    .where("id", "=", planId)
    .execute();
}

/** The plan's new state after a transition, if it still has `version`. */
export async function updatePlanState(
  db: Db,
  planId: number,
  version: number,
  values: { state: PlanState; approvedVersion: number; returnComment: string | null; reviewNote: string | null },
  at: string,
): Promise<boolean> {
  const updated = await db
    .updateTable("plans")
    .set({
      state: values.state,
      approved_version: values.approvedVersion,
      return_comment: values.returnComment,
      review_note: values.reviewNote,
      version: version + 1,
      updated_at: at,
    })
    .where("id", "=", planId)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function insertPlanSnapshot(
  db: Db,
  row: { planId: number; approvedVersion: number; at: string; approvedBy: number; snapshot: string },
): Promise<void> {
  await db
    .insertInto("plan_snapshots")
    .values({ plan_id: row.planId, approved_version: row.approvedVersion, approved_at: row.at, approved_by: row.approvedBy, snapshot: row.snapshot })
    .execute();
}
