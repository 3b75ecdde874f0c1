import type { Selectable } from "kysely";

import type { PlanItemsTable, PlansTable } from "../../../../db/schema";
import type { Db } from "~/server/db.server";
import type { QuarterNumber } from "~/kernel/dates";
import { isLinkableKpiKey, kpiDefinition } from "~/features/kpi";
import { parseScope } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import type { CloseOutcome, ItemStatus, PlanCategory } from "~/features/plans/categories";
import type { Plan, PlanItem, PlanState } from "~/features/plans/lifecycle";
import type { KpiLink } from "~/features/plans/progress";

/**
 * Reading plans and their items from the database into the domain's shapes (plan-lifecycle.ts),
 * plus what the screens need beside them: versions, owners' names, the customers concerned.
 */

type PlanRow = Selectable<PlansTable>;
type ItemRow = Selectable<PlanItemsTable>;

export interface StoredItem extends PlanItem {
  planId: number;
  position: number;
  version: number;
  ownerName: string | null;
  ownerEmail: string | null;
  doneOn: IsoDate | null;
  carriedOverFrom: number | null;
  templateKey: string | null;
  customers: string[];
  updatedAt: string;
}

export interface StoredPlan extends Omit<Plan, "items"> {
  id: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  items: StoredItem[];
}

export function kpiLinkOf(row: Pick<
  ItemRow,
  "kpi_key" | "kpi_scope" | "kpi_baseline" | "kpi_baseline_date" | "kpi_target"
>): KpiLink | null {
  if (!row.kpi_key || !isLinkableKpiKey(row.kpi_key)) return null;
  const scope = parseScope(row.kpi_scope);
  if (!scope.ok) return null;
  return {
    kpi: row.kpi_key,
    scope: scope.scope,
    // Always from the register: a stored direction can never contradict it.
    better: kpiDefinition(row.kpi_key).better,
    baseline: row.kpi_baseline,
    baselineDate: row.kpi_baseline_date,
    target: row.kpi_target,
  };
}

function itemOf(row: ItemRow & { owner_name: string | null; owner_email: string | null }, customers: string[]): StoredItem {
  return {
    id: row.id,
    planId: row.plan_id,
    position: row.position,
    title: row.title,
    // CHECK constraints on plan_items admit only these categories, statuses and outcomes
    category: row.category as PlanCategory,
    description: row.description,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    ownerEmail: row.owner_email,
    dueDate: row.due_date,
    // a CHECK constraint admits only these values
    status: row.status as ItemStatus,
    blockedReason: row.blocked_reason,
    // a CHECK constraint admits only these values
    outcome: row.outcome as CloseOutcome | null,
    kpiLink: kpiLinkOf(row),
    version: row.version,
    doneOn: row.done_on,
    carriedOverFrom: row.carried_over_from,
    templateKey: row.template_key,
    customers,
    updatedAt: row.updated_at,
  };
}

function planOf(row: PlanRow, items: StoredItem[]): StoredPlan {
  return {
    id: row.id,
    fiscalYear: row.fiscal_year,
    // CHECK constraints on plans admit only quarters 1-4 and these states
    quarter: row.quarter as QuarterNumber,
    fiscalStartMonth: row.fiscal_start_month,
    start: row.start_date,
    end: row.end_date,
    // a CHECK constraint admits only these values
    state: row.state as PlanState,
    approvedVersion: row.approved_version,
    returnComment: row.return_comment,
    reviewNote: row.review_note,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    items,
  };
}

function itemQuery(db: Db) {
  return db
    .selectFrom("plan_items")
    .leftJoin("users", "users.id", "plan_items.owner_id")
    .selectAll("plan_items")
    .select(["users.name as owner_name", "users.email as owner_email"]);
}

async function customersOf(db: Db, itemIds: number[]): Promise<Map<number, string[]>> {
  const byItem = new Map<number, string[]>();
  if (itemIds.length === 0) return byItem;
  const rows = await db
    .selectFrom("plan_item_customers")
    .innerJoin("customers", "customers.id", "plan_item_customers.customer_id")
    .select(["plan_item_customers.item_id", "customers.code"])
    .where("plan_item_customers.item_id", "in", itemIds)
    .orderBy("customers.code")
    .execute();
  for (const row of rows) {
    const list = byItem.get(row.item_id) ?? [];
    list.push(row.code);
    byItem.set(row.item_id, list);
  }
  return byItem;
}

async function itemsFrom(db: Db, rows: (ItemRow & { owner_name: string | null; owner_email: string | null })[]) {
  const customers = await customersOf(db, rows.map((row) => row.id));
  return rows.map((row) => itemOf(row, customers.get(row.id) ?? []));
}

export async function loadPlan(db: Db, planId: number): Promise<StoredPlan | null> {
  const row = await db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirst();
  if (!row) return null;
  const items = await itemQuery(db).where("plan_items.plan_id", "=", planId).orderBy("plan_items.position").orderBy("plan_items.id").execute();
  return planOf(row, await itemsFrom(db, items));
}

/** A plan's name and dates, without its items. */
export interface PlanSpan {
  id: number;
  fiscalYear: number;
  quarter: QuarterNumber;
  fiscalStartMonth: number;
  start: IsoDate;
  end: IsoDate;
  state: PlanState;
}

function spanOf(row: Pick<PlanRow, "id" | "fiscal_year" | "quarter" | "fiscal_start_month" | "start_date" | "end_date" | "state">): PlanSpan {
  return {
    id: row.id,
    fiscalYear: row.fiscal_year,
    // a CHECK constraint admits only these values
    quarter: row.quarter as QuarterNumber,
    fiscalStartMonth: row.fiscal_start_month,
    start: row.start_date,
    end: row.end_date,
    // a CHECK constraint admits only these values
    state: row.state as PlanState,
  };
}

const SPAN_COLUMNS = ["id", "fiscal_year", "quarter", "fiscal_start_month", "start_date", "end_date", "state"] as const;

/** The plan whose own dates hold `date` (plans never overlap), or null. */
export async function findPlanCovering(db: Db, date: IsoDate): Promise<PlanSpan | null> {
  const row = await db
    .selectFrom("plans")
    .select(SPAN_COLUMNS)
    .where("start_date", "<=", date)
    .where("end_date", ">=", date)
    .orderBy("start_date")
    .executeTakeFirst();
  return row ? spanOf(row) : null;
}

/** Plans sharing at least one day with `start`..`end`, or carrying the same name. */
export async function plansInTheWay(db: Db, range: { start: IsoDate; end: IsoDate }, name: { fiscalYear: number; quarter: number }): Promise<PlanSpan[]> {
  const rows = await db
    .selectFrom("plans")
    .select(SPAN_COLUMNS)
    .where((eb) =>
      eb.or([
        eb.and([eb("start_date", "<=", range.end), eb("end_date", ">=", range.start)]),
        eb.and([eb("fiscal_year", "=", name.fiscalYear), eb("quarter", "=", name.quarter)]),
      ])
    )
    .orderBy("start_date")
    .execute();
  return rows.map(spanOf);
}

/** Plans that begin within `start`..`end` (a fiscal year's plans), earliest first. */
export async function plansStartingIn(db: Db, range: { start: IsoDate; end: IsoDate }): Promise<PlanSpan[]> {
  const rows = await db
    .selectFrom("plans")
    .select(SPAN_COLUMNS)
    .where("start_date", ">=", range.start)
    .where("start_date", "<=", range.end)
    .orderBy("start_date")
    .execute();
  return rows.map(spanOf);
}

/** Plans not yet closed, whose baselines may still be due. */
export async function openPlanIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom("plans").select("id").where("state", "!=", "closed").orderBy("start_date").execute();
  return rows.map((row) => row.id);
}

export async function loadItem(db: Db, itemId: number): Promise<StoredItem | null> {
  const row = await itemQuery(db).where("plan_items.id", "=", itemId).executeTakeFirst();
  if (!row) return null;
  return (await itemsFrom(db, [row]))[0] ?? null;
}

export interface PlanListRow {
  id: number;
  fiscalYear: number;
  quarter: QuarterNumber;
  fiscalStartMonth: number;
  start: IsoDate;
  end: IsoDate;
  state: PlanState;
  approvedVersion: number;
  items: number;
  done: number;
  updatedAt: string;
}

/** Every plan, newest quarter first, with its live item counts (cancelled items not counted). */
export async function listPlans(db: Db): Promise<PlanListRow[]> {
  const rows = await db
    .selectFrom("plans")
    .leftJoin("plan_items", (join) =>
      join.onRef("plan_items.plan_id", "=", "plans.id").on("plan_items.status", "!=", "cancelled")
    )
    .select((eb) => [
      "plans.id",
      "plans.fiscal_year",
      "plans.quarter",
      "plans.fiscal_start_month",
      "plans.start_date",
      "plans.end_date",
      "plans.state",
      "plans.approved_version",
      "plans.updated_at",
      eb.fn.count<number>("plan_items.id").as("items"),
      eb.fn.sum<number>(eb.case().when("plan_items.status", "=", "done").then(1).else(0).end()).as("done"),
    ])
    .groupBy("plans.id")
    .orderBy("plans.start_date", "desc")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    fiscalYear: row.fiscal_year,
    // a CHECK constraint admits only these values
    quarter: row.quarter as QuarterNumber,
    fiscalStartMonth: row.fiscal_start_month,
    start: row.start_date,
    end: row.end_date,
    // a CHECK constraint admits only these values
    state: row.state as PlanState,
    approvedVersion: row.approved_version,
    items: Number(row.items),
    done: Number(row.done ?? 0),
    updatedAt: row.updated_at,
  }));
}

export interface TaskRow extends StoredItem {
  plan: Omit<PlanSpan, "id" | "state">;
  planState: PlanState;
}

/** Items owned by `ownerId` in plans being worked on (approved) or just closed, for My tasks. */
export async function itemsOwnedBy(db: Db, ownerId: number, states: PlanState[]): Promise<TaskRow[]> {
  const rows = await itemQuery(db)
    .innerJoin("plans", "plans.id", "plan_items.plan_id")
    .select(["plans.fiscal_year", "plans.quarter", "plans.fiscal_start_month", "plans.start_date", "plans.end_date", "plans.state as plan_state"])
    .where("plan_items.owner_id", "=", ownerId)
    .where("plans.state", "in", states)
    .execute();
  const customers = await customersOf(db, rows.map((row) => row.id));
  return rows.map((row) => ({
    ...itemOf(row, customers.get(row.id) ?? []),
    plan: {
      fiscalYear: row.fiscal_year,
      // a CHECK constraint admits only these values
      quarter: row.quarter as QuarterNumber,
      fiscalStartMonth: row.fiscal_start_month,
      start: row.start_date,
      end: row.end_date,
    },
    // a CHECK constraint admits only these values
    planState: row.plan_state as PlanState,
  }));
}

export interface CommentRow {
  id: number;
  itemId: number | null;
  kind: "comment" | "note";
  body: string;
  authorName: string | null;
  createdAt: string;
}

export async function listComments(db: Db, planId: number, itemId: number | null): Promise<CommentRow[]> {
  let query = db
    .selectFrom("plan_comments")
    .leftJoin("users", "users.id", "plan_comments.author_id")
    .select([
      "plan_comments.id",
      "plan_comments.item_id",
      "plan_comments.kind",
      "plan_comments.body",
      "plan_comments.created_at",
      "users.name as author_name",
    ])
    .where("plan_comments.plan_id", "=", planId);
  query = itemId === null ? query.where("plan_comments.item_id", "is", null) : query.where("plan_comments.item_id", "=", itemId);
  const rows = await query.orderBy("plan_comments.id").execute();
  return rows.map((row) => ({
    id: row.id,
    itemId: row.item_id,
    kind: row.kind,
    body: row.body,
    authorName: row.author_name,
    createdAt: row.created_at,
  }));
}

export interface SnapshotRow {
  approvedVersion: number;
  approvedAt: string;
  approvedBy: string | null;
  plan: StoredPlan;
}

export async function latestSnapshot(db: Db, planId: number): Promise<SnapshotRow | null> {
  const row = await db
    .selectFrom("plan_snapshots")
    .leftJoin("users", "users.id", "plan_snapshots.approved_by")
    .select(["plan_snapshots.approved_version", "plan_snapshots.approved_at", "plan_snapshots.snapshot", "users.name"])
    .where("plan_snapshots.plan_id", "=", planId)
    .orderBy("plan_snapshots.approved_version", "desc")
    .executeTakeFirst();
  if (!row) return null;
  return {
    approvedVersion: row.approved_version,
    approvedAt: row.approved_at,
    approvedBy: row.name,
    // snapshots are written only by transition(), from a StoredPlan
    plan: JSON.parse(row.snapshot) as StoredPlan,
  };
}

/** Users who can own plan items: active head and staff members, by name. */
export async function assignableOwners(db: Db): Promise<{ id: number; name: string; email: string; role: string }[]> {
  return db
    .selectFrom("users")
    .select(["id", "name", "email", "role"])
    .where("active", "=", 1)
    .where("role", "in", ["head", "staff"])
    .orderBy("name")
    .execute();
}

/** Customer ids by code, for the codes the ledger knows. */
export async function customerIdsByCode(db: Db, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom("customers").select(["id", "code"]).where("code", "in", [...new Set(codes)]).execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

/** Whether `userId` may own plan items now (an active head or staff member). */
export async function isAssignableOwner(db: Db, userId: number): Promise<boolean> {
  const owner = await db
    .selectFrom("users")
    .select(["id"])
    .where("id", "=", userId)
    .where("active", "=", 1)
    .where("role", "in", ["head", "staff"])
    .executeTakeFirst();
  return owner !== undefined;
}

/** Users' names by id (for the history's owner changes). */
export async function userNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const users = await db.selectFrom("users").select(["id", "name"]).where("id", "in", [...ids]).execute();
  return new Map(users.map((user) => [user.id, user.name]));
}

/** The plan an item belongs to, or null when there is no such item. */
export async function planIdOfItem(db: Db, itemId: number): Promise<number | null> {
  const row = await db.selectFrom("plan_items").select(["plan_id"]).where("id", "=", itemId).executeTakeFirst();
  return row ? row.plan_id : null;
}
