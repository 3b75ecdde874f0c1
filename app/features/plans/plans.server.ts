import type { Db } from "~/server/db.server";
import type { Locale } from "~/i18n";
import { type Wordings, isBuiltIn } from "~/kernel/built-in-text";
import { type DateRange, addDays, fiscalQuarter, type QuarterNumber } from "~/kernel/dates";
import { kpiAccess, kpiDefinition, isLinkableKpiKey, type RegisterKey } from "~/features/kpi";
import { findCustomer } from "~/features/ledger/index.server";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import type { Role } from "~/kernel/permissions";
import { parseScope, scopeText, type KpiScope } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import { carryOverItems } from "~/features/plans/carry-over";
import type { CloseOutcome, ItemStatus } from "~/features/plans/categories";
import { baselineDateFor, baselineInForce, needsFinalBaseline, targetFromInput } from "~/features/plans/kpi";
import {
  type Actor,
  type PlanAction,
  type PlanEvent,
  canUpdateItem,
  changeItemStatus,
  dueDateWindow,
  transitionPlan,
} from "~/features/plans/lifecycle";
import {
  type KpiProgress,
  type PlanRollup,
  type TrackStatus,
  linkedProgress,
  planRollup,
} from "~/features/plans/progress";
import { templateItemsFor } from "~/features/plans/template";
import { can } from "~/kernel/permissions";
import { allKpiValues, resolveKpiRequest } from "~/features/kpi/index.server";
import { recordAudit } from "~/features/audit/index.server";
import { commentAdded, itemAssigned, planTransitioned } from "~/features/notifications/index.server";
import { type BuiltInTextEntry, planItemsIn, rememberWordings, wordingsOf } from "~/features/settings/index.server";
import {
  type StoredItem,
  type StoredPlan,
  customerIdsByCode,
  findPlanCovering,
  isAssignableOwner,
  loadItem,
  loadPlan,
  plansInTheWay,
} from "~/features/plans/queries/plans.server";
import {
  type ItemColumns,
  bumpPlan,
  deleteItemRow,
  insertItemWithCustomers,
  insertPlan,
  insertPlanComment,
  insertPlanSnapshot,
  setItemBaseline,
  setItemOutcome,
  updateItemStatus,
  updateItemWithCustomers,
  updatePlanState,
} from "~/features/plans/queries/writes.server";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { itemErrors } from "~/features/plans/item-errors";
import { loadPlanTemplate } from "~/features/plans/queries/template.server";
import { getSettings } from "~/features/settings/index.server";
import { kpiScopeChoices, scopeNames } from "~/features/kpi/index.server";
import { type ItemFields, scopeWordsOf } from "~/features/plans/schema";
import type { DashboardPlan, DashboardPlanItem } from "~/features/dashboard";

/**
 * Every change to a plan or an item: checks who may (permissions.ts via the lifecycle rules),
 * the version the form was based on (a stale save is refused with 409, never silently lost),
 * writes in one transaction and records the change in the audit log, which is also the plan's
 * and the item's history.
 */

const forbidden = (key = "plan.error.forbidden") => AppError.forbidden(key);
const notFound = () => AppError.notFound("plans.error.notFound");
const fieldError = (field: string, key: string) => AppError.field(field, key);

export function nowText(now = new Date()): string {
  return now.toISOString();
}

async function fiscalStartMonth(db: Db): Promise<number> {
  return (await getSettings(db)).fiscalStartMonth;
}

export async function getPlan(db: Db, planId: number): Promise<StoredPlan> {
  const plan = await loadPlan(db, planId);
  if (!plan) throw notFound();
  return plan;
}

/**
 * A plan's quarter: the dates it was made for, stored with it. Never computed again from its
 * name and today's fiscal start month, which the administrator may have changed since.
 */
export function quarterOfPlan(plan: Pick<StoredPlan, "start" | "end">): DateRange {
  return { start: plan.start, end: plan.end };
}

// ------------------------------------------------------------------------------ KPI values

/** Who is looking at a plan's figures: the KPI API's scope rule (`kpiAccess`) decides what they see. */
export interface KpiViewer {
  id: number;
  role: Role;
  email: string;
}

/** Why a linked KPI's figures are left out for this viewer (an i18n key). */
export const HIDDEN_FIGURES = "planItems.kpi.hiddenScope";

/**
 * KPI values per scope and date, computed once per request. Built for a viewer, it reads only
 * the scopes that viewer may read through the API; without one (the baseline job, commands that
 * store baselines) it reads every scope.
 */
export class KpiReader {
  private readonly cache = new Map<string, Promise<Record<string, unknown>>>();
  private readonly access = new Map<string, Promise<boolean>>();
  constructor(
    private readonly db: Db,
    private readonly viewer: KpiViewer | null = null,
  ) {}

  /** True when the viewer may see this scope's figures (the rule of `/api/kpis`). */
  mayRead(scope: KpiScope): Promise<boolean> {
    const viewer = this.viewer;
    if (viewer === null) return Promise.resolve(true);
    const key = scopeText(scope);
    let allowed = this.access.get(key);
    if (!allowed) {
      const access = kpiAccess(viewer, scope);
      allowed =
        access.kind === "own-customer-only"
          ? findCustomer(this.db, ledgerScopeOf(viewer), access.code).then((lookup) => lookup.found)
          : Promise.resolve(access.kind === "allowed");
      this.access.set(key, allowed);
    }
    return allowed;
  }

  async value(kpi: RegisterKey, scope: KpiScope, asOf: IsoDate): Promise<number | null> {
    const key = `${scopeText(scope)}|${asOf}`;
    let values = this.cache.get(key);
    if (!values) {
      values = allKpiValues(this.db, resolveKpiRequest({ asOf, scope: scopeText(scope) })).then(
        // the KPI values object read by key; its keys are the KPI register's
        (result) => result.values as unknown as Record<string, unknown>
      );
      this.cache.set(key, values);
    }
    const value = (await values)[kpi];
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  }
}

/** The date a plan's KPIs are measured on: today, but never past the quarter's end. */
export function measureDate(plan: StoredPlan, today: IsoDate): IsoDate {
  const { end } = quarterOfPlan(plan);
  return today > end ? end : today;
}

// ------------------------------------------------------------------------------ creating plans

export interface NewPlanInput {
  fiscalYear: number;
  quarter: QuarterNumber;
  source: "empty" | "template" | "carry_over";
  language: "en" | "zh";
}

interface NewItem extends ItemColumns {
  carried_over_from: number | null;
  template_key: string | null;
  customers: number[];
  /** both wordings of a title or description written from built-in text (the template's, or carried over unchanged) */
  wordings: { title?: Wordings; description?: Wordings };
}

/** Still the built-in text it was written from: the wordings go with it to the carried-over item. */
function stillBuiltIn(stored: string, wordings: Wordings | undefined): Wordings | undefined {
  return isBuiltIn(stored, wordings) ? wordings : undefined;
}

export async function createPlan(db: Db, actor: Actor, input: NewPlanInput, today: IsoDate): Promise<number> {
  if (!can(actor, "plan:edit")) throw forbidden();
  const startMonth = await fiscalStartMonth(db);
  const range = fiscalQuarter(input.fiscalYear, input.quarter, startMonth);
  await checkRoomFor(db, range, input);
  let rows: NewItem[] = [];
  if (input.source === "template") {
    rows = templateItemsFor(input.fiscalYear, input.quarter, startMonth, await loadPlanTemplate(db)).map((item) => ({
      title: item.title[input.language],
      category: item.category,
      description: item.description[input.language],
      owner_id: null,
      due_date: item.dueDate,
      kpi_key: item.kpi?.key ?? null,
      kpi_scope: item.kpi ? "company" : null,
      kpi_better: item.kpi?.better ?? null,
      kpi_target: null,
      carried_over_from: null,
      template_key: item.key,
      customers: [],
      wordings: { title: item.title, description: item.description },
    }));
  } else if (input.source === "carry_over") {
    // The plan in force the day before this quarter begins, whatever it was named.
    const previous = await findPlanCovering(db, addDays(range.start, -1));
    if (previous === null) throw fieldError("source", "plans.error.noPreviousPlan");
    const previousPlan = await getPlan(db, previous.id);
    const quarter = range;
    const byId = new Map(previousPlan.items.map((item) => [item.id, item]));
    const customerIds = await customerIdsByCode(db, previousPlan.items.flatMap((item) => item.customers));
    const kept = await wordingsOf(db, "plan_item", previousPlan.items.map((item) => item.id));
    rows = carryOverItems(previousPlan.items, quarter).map((item) => ({
      ...columnsOf(item),
      carried_over_from: item.carriedOverFrom.itemId,
      template_key: byId.get(item.carriedOverFrom.itemId)?.templateKey ?? null,
      // Codes the ledger no longer knows are left out rather than written as a broken link.
      customers: (byId.get(item.carriedOverFrom.itemId)?.customers ?? []).flatMap((code) => {
        const id = customerIds.get(code);
        return id === undefined ? [] : [id];
      }),
      wordings: {
        title: stillBuiltIn(item.title, kept.get(item.carriedOverFrom.itemId)?.title),
        description: stillBuiltIn(item.description, kept.get(item.carriedOverFrom.itemId)?.description),
      },
    }));
  }

  const at = nowText();
  const planId = await db.transaction().execute(async (trx) => {
    const planId = await insertPlan(trx, {
        fiscal_year: input.fiscalYear,
        quarter: input.quarter,
        start_date: range.start,
        end_date: range.end,
        fiscal_start_month: startMonth,
        state: "draft",
        created_by: actor.id,
        created_at: at,
        updated_at: at,
        return_comment: null,
        review_note: null,
      });
    let position = 0;
    for (const { customers, wordings, ...row } of rows) {
      position += 1;
      const itemId = await insertItemWithCustomers(trx, { ...row, plan_id: planId, position, status: "todo", created_at: at, updated_at: at }, customers);
      const texts: BuiltInTextEntry[] = [];
      if (wordings.title) texts.push({ entity: "plan_item", entityId: itemId, field: "title", wordings: wordings.title });
      if (wordings.description) texts.push({ entity: "plan_item", entityId: itemId, field: "description", wordings: wordings.description });
      await rememberWordings(trx, texts);
    }
    await recordAudit(trx, {
      userId: actor.id,
      entity: "plan",
      entityId: planId,
      action: "created",
      after: { fiscalYear: input.fiscalYear, quarter: input.quarter, start: range.start, end: range.end, source: input.source, items: rows.length },
    });
    return planId;
  });
  await captureBaselines(db, await getPlan(db, planId), today);
  return planId;
}

/**
 * Plans never overlap, so "the plan of a date" is always one plan: a quarter named under a new
 * fiscal start month that shares days with a plan made under the old one is refused, and so is
 * a name (fiscal year and quarter) an older plan already carries.
 */
async function checkRoomFor(db: Db, range: DateRange, name: { fiscalYear: number; quarter: number }): Promise<void> {
  const inTheWay = await plansInTheWay(db, range, name);
  if (inTheWay.length === 0) return;
  const same = inTheWay.find((plan) => plan.start === range.start && plan.end === range.end);
  if (same) throw fieldError("quarter", "plans.error.exists");
  const overlapping = inTheWay.some((plan) => plan.start <= range.end && plan.end >= range.start);
  throw fieldError("quarter", overlapping ? "plans.error.overlaps" : "plans.error.nameTaken");
}

// ------------------------------------------------------------------------------ baselines

/**
 * Takes each linked item's baseline that is missing or was provisional (see plan-kpi.ts): when a
 * link is made or changed, and from the baseline job (plan-baselines.server.ts), never on a page
 * view. Idempotent, and a no-op once the quarter's baselines are taken.
 */
export async function captureBaselines(db: Db, plan: StoredPlan, today: IsoDate): Promise<boolean> {
  const { start } = quarterOfPlan(plan);
  if (plan.state === "closed") return false;
  const stale = plan.items.flatMap((item) =>
    item.kpiLink && (item.kpiLink.baselineDate === null || needsFinalBaseline(item.kpiLink.baselineDate, start, today))
      ? [{ id: item.id, link: item.kpiLink }]
      : []
  );
  if (stale.length === 0) return false;
  const reader = new KpiReader(db);
  const date = baselineDateFor(start, today);
  const values: Array<{ id: number; value: number | null }> = [];
  for (const { id, link } of stale) {
    values.push({ id, value: await reader.value(link.kpi, link.scope, date).catch(() => null) });
  }
  await db.transaction().execute(async (trx) => {
    for (const { id, value } of values) await setItemBaseline(trx, id, value, date);
  });
  return true;
}

// ------------------------------------------------------------------------------ items

/** An item's editable columns, as stored (for carrying it over and for the audit's "before"). */
function columnsOf(item: Pick<StoredItem, "title" | "category" | "description" | "ownerId" | "dueDate" | "kpiLink">): ItemColumns {
  return {
    title: item.title,
    category: item.category,
    description: item.description,
    owner_id: item.ownerId,
    due_date: item.dueDate,
    kpi_key: item.kpiLink?.kpi ?? null,
    kpi_scope: item.kpiLink ? scopeText(item.kpiLink.scope) : null,
    kpi_better: item.kpiLink?.better ?? null,
    kpi_target: item.kpiLink?.target ?? null,
  };
}


/** Whether the ledger has what a scope names: the scopes the item form's picker offers. */
async function scopeExists(db: Db, scope: KpiScope): Promise<boolean> {
  if (scope.type === "company") return true;
  if (scope.type === "customer") return (await customerIdsByCode(db, [scope.code])).has(scope.code);
  const choices = await kpiScopeChoices(db);
  if (scope.type === "region") return choices.regions.includes(scope.name);
  if (scope.type === "grade") return choices.grades.includes(scope.grade);
  return choices.owners.some((owner) => owner.email.toLowerCase() === scope.email);
}

/** Checks what only the database can (owner, customers, KPI scope) and builds the columns. */
async function itemColumns(
  db: Db,
  plan: StoredPlan,
  fields: ItemFields,
  keptScope: string | null = null
): Promise<{ columns: ItemColumns; customerIds: number[] }> {
  const errors: FieldErrors = {};
  const add = (field: string, key: string) => (errors[field] ??= []).push(key);

  let ownerId: number | null = null;
  if (fields.ownerId !== "") {
    if (await isAssignableOwner(db, fields.ownerId)) ownerId = fields.ownerId;
    else add("ownerId", "plans.validation.owner");
  }

  if (fields.dueDate !== "") {
    const window = dueDateWindow(plan);
    if (fields.dueDate < window.start || fields.dueDate > window.end) add("dueDate", "plan.error.itemDueOutsideQuarter");
  }

  const codes = fields.customers.split(/[\s,，;；、]+/).filter((code) => code !== "");
  const customerIds = await customerIdsByCode(db, codes);
  if (codes.some((code) => !customerIds.has(code))) add("customers", "plans.validation.unknownCustomers");

  let kpi: Pick<ItemColumns, "kpi_key" | "kpi_scope" | "kpi_better" | "kpi_target"> = {
    kpi_key: null,
    kpi_scope: null,
    kpi_better: null,
    kpi_target: null,
  };
  if (fields.kpiKey !== "" && isLinkableKpiKey(fields.kpiKey)) {
    const definition = kpiDefinition(fields.kpiKey);
    const scope = parseScope(scopeWordsOf(fields));
    const field = fields.kpiScope === "customer" ? "kpiCustomer" : "kpiScope";
    if (!scope.ok) add(field, "plans.validation.scope");
    // A scope the item already has stays acceptable even if the ledger no longer offers it.
    else if (scopeText(scope.scope) !== keptScope && !(await scopeExists(db, scope.scope))) {
      add(field, scope.scope.type === "customer" ? "plans.validation.unknownCustomer" : "plans.validation.unknownScope");
    }
    let target: number | null = null;
    if (fields.kpiTarget !== "") {
      const parsed = targetFromInput(definition.unit, fields.kpiTarget);
      if (parsed.ok) target = parsed.value;
      else add("kpiTarget", parsed.message);
    }
    kpi = {
      kpi_key: fields.kpiKey,
      kpi_scope: scope.ok ? scopeText(scope.scope) : null,
      kpi_better: definition.better,
      kpi_target: target,
    };
  }

  if (Object.keys(errors).length > 0) throw AppError.invalid(errors, "plans.error.checkFields");
  return {
    columns: {
      title: fields.title,
      category: fields.category,
      description: fields.description,
      owner_id: ownerId,
      due_date: fields.dueDate === "" ? null : fields.dueDate,
      ...kpi,
    },
    customerIds: [...new Set(customerIds.values())],
  };
}

/**
 * Whether the head may change the plan's items now, and what the change does to the plan:
 * a returned plan goes back to draft; an approved one stays approved but needs a reason.
 */
export function editGate(plan: StoredPlan, actor: Actor, reason: string, today: IsoDate): PlanEvent | null {
  if (!can(actor, "plan:edit")) throw forbidden();
  if (plan.state === "approved") {
    const change = transitionPlan(plan, { type: "change", reason }, actor, today);
    if (!change.ok) throw fieldError("reason", change.reason);
    return change.event;
  }
  const edit = transitionPlan(plan, { type: "edit" }, actor, today);
  if (!edit.ok) throw AppError.conflict(edit.reason, null);
  return plan.state === "returned" ? edit.event : null;
}

/** A change to a plan's items bumps the plan's version and records a state change it causes. */
export async function touchPlan(trx: Db, plan: StoredPlan, actorId: number, event: PlanEvent | null, at: string) {
  await bumpPlan(trx, plan.id, event ? event.to : null, at);
  if (event) {
    await recordAudit(trx, {
      userId: actorId,
      entity: "plan",
      entityId: plan.id,
      action: event.type,
      before: { state: event.from },
      after: { state: event.to, note: event.note, approvedVersion: event.approvedVersion },
    });
  }
}

function auditView(item: ItemColumns & { customers?: string[] }) {
  return item;
}

export async function createItem(db: Db, actor: Actor, planId: number, fields: ItemFields, today: IsoDate): Promise<number> {
  const plan = await getPlan(db, planId);
  const event = editGate(plan, actor, fields.reason, today);
  const { columns, customerIds } = await itemColumns(db, plan, fields);
  const at = nowText();
  const itemId = await db.transaction().execute(async (trx) => {
    const position = plan.items.reduce((max, item) => Math.max(max, item.position), 0) + 1;
    const item = { id: await insertItemWithCustomers(trx, { ...columns, plan_id: plan.id, position, status: "todo", created_at: at, updated_at: at }, customerIds) };
    await touchPlan(trx, plan, actor.id, event, at);
    await recordAudit(trx, {
      userId: actor.id,
      entity: "plan_item",
      entityId: item.id,
      action: "created",
      after: { ...auditView(columns), customers: fields.customers, reason: fields.reason || null },
    });
    await itemAssigned(trx, { planId: plan.id, itemId: item.id, title: columns.title, ownerId: columns.owner_id, actorId: actor.id });
    return item.id;
  });
  await captureBaselines(db, await getPlan(db, planId), today);
  return itemId;
}

/**
 * Several items added to one plan at once, all or none: each is checked as `createItem` checks
 * one, then they are written in one transaction (one plan change, one audit entry per item).
 */
export async function createItems(db: Db, actor: Actor, planId: number, fieldsList: readonly ItemFields[], reason: string, today: IsoDate): Promise<number[]> {
  const plan = await getPlan(db, planId);
  const event = editGate(plan, actor, reason, today);
  const prepared: ({ fields: ItemFields } & Awaited<ReturnType<typeof itemColumns>>)[] = [];
  for (const fields of fieldsList) prepared.push({ fields, ...(await itemColumns(db, plan, fields)) });
  const at = nowText();
  const itemIds = await db.transaction().execute(async (trx) => {
    let position = plan.items.reduce((max, item) => Math.max(max, item.position), 0);
    const ids: number[] = [];
    for (const { fields, columns, customerIds } of prepared) {
      position += 1;
      const id = await insertItemWithCustomers(trx, { ...columns, plan_id: plan.id, position, status: "todo", created_at: at, updated_at: at }, customerIds);
      ids.push(id);
      await recordAudit(trx, {
        userId: actor.id,
        entity: "plan_item",
        entityId: id,
        action: "created",
        after: { ...auditView(columns), customers: fields.customers, reason: reason || null },
      });
      await itemAssigned(trx, { planId: plan.id, itemId: id, title: columns.title, ownerId: columns.owner_id, actorId: actor.id });
    }
    await touchPlan(trx, plan, actor.id, event, at);
    return ids;
  });
  await captureBaselines(db, await getPlan(db, planId), today);
  return itemIds;
}

function checkVersion(item: StoredItem, version: number) {
  if (item.version !== version) throw AppError.conflict("plans.error.conflict", item, item.id);
}

async function itemInPlan(db: Db, planId: number, itemId: number): Promise<{ plan: StoredPlan; item: StoredItem }> {
  const plan = await getPlan(db, planId);
  const item = plan.items.find((candidate) => candidate.id === itemId);
  if (!item) throw notFound();
  return { plan, item };
}

export async function updateItem(
  db: Db,
  actor: Actor,
  planId: number,
  itemId: number,
  version: number,
  fields: ItemFields,
  today: IsoDate
): Promise<void> {
  const { plan, item } = await itemInPlan(db, planId, itemId);
  if (!can(actor, "plan:edit")) throw forbidden();
  checkVersion(item, version);
  const event = editGate(plan, actor, fields.reason, today);
  const { columns, customerIds } = await itemColumns(db, plan, fields, item.kpiLink ? scopeText(item.kpiLink.scope) : null);
  const before = columnsOf(item);
  const linkChanged = columns.kpi_key !== before.kpi_key || columns.kpi_scope !== before.kpi_scope;
  const at = nowText();
  await db.transaction().execute(async (trx) => {
    const saved = await updateItemWithCustomers(
      trx,
      item.id,
      version,
      { ...columns, ...(linkChanged ? { kpi_baseline: null, kpi_baseline_date: null } : {}) },
      customerIds,
      at,
    );
    // Someone saved between our read and this write: the same refusal as a stale form.
    if (!saved) throw AppError.conflict("plans.error.conflict", await loadItem(trx, item.id), item.id);
    await touchPlan(trx, plan, actor.id, event, at);
    await recordAudit(trx, {
      userId: actor.id,
      entity: "plan_item",
      entityId: item.id,
      action: plan.state === "approved" ? "changed" : "updated",
      before: { ...before, customers: item.customers.join(" ") },
      after: { ...columns, customers: fields.customers, reason: fields.reason || null },
    });
    if (columns.owner_id !== before.owner_id) {
      await itemAssigned(trx, { planId: plan.id, itemId: item.id, title: columns.title, ownerId: columns.owner_id, actorId: actor.id });
    }
  });
  if (linkChanged) await captureBaselines(db, await getPlan(db, planId), today);
}

/** Removes an item from a plan still being drafted; an approved plan's items are cancelled instead. */
export async function deleteItem(
  db: Db,
  actor: Actor,
  planId: number,
  itemId: number,
  version: number,
  today: IsoDate
): Promise<void> {
  const { plan, item } = await itemInPlan(db, planId, itemId);
  if (!can(actor, "plan:edit")) throw forbidden();
  checkVersion(item, version);
  if (plan.state === "approved" || plan.state === "closed") throw AppError.conflict("plans.error.cancelInstead", null, item.id);
  const event = editGate(plan, actor, "", today);
  const at = nowText();
  await db.transaction().execute(async (trx) => {
    await deleteItemRow(trx, item.id);
    await touchPlan(trx, plan, actor.id, event, at);
    await recordAudit(trx, {
      userId: actor.id,
      entity: "plan_item",
      entityId: item.id,
      action: "deleted",
      before: { title: item.title, category: item.category, ownerId: item.ownerId, dueDate: item.dueDate },
    });
  });
}

export interface StatusInput {
  status: ItemStatus;
  reason: string;
  note: string;
}

const ITEM_REFUSAL_CODE: Record<string, "invalid" | "forbidden" | "conflict"> = {
  "item.error.forbidden": "forbidden",
  "item.error.onlyHeadCancels": "forbidden",
  "item.error.planNotApproved": "conflict",
  "item.error.blockedNeedsReason": "invalid",
};

/** Status changes from My tasks, the board and the item page (the head on any item, staff on their own). */
export async function setItemStatus(
  db: Db,
  actor: Actor,
  itemId: number,
  version: number,
  input: StatusInput,
  today: IsoDate
): Promise<StoredItem> {
  const item = await loadItem(db, itemId);
  if (!item) throw notFound();
  if (!canUpdateItem(actor, item)) throw AppError.forbidden("item.error.forbidden");
  const plan = await getPlan(db, item.planId);
  const change = changeItemStatus(item, { status: input.status, reason: input.reason }, actor, plan.state, today);
  if (!change.ok) {
    const code = ITEM_REFUSAL_CODE[change.reason] ?? "invalid";
    throw code === "invalid" ? fieldError("reason", change.reason) : new AppError(code, change.reason, { subjectId: item.id });
  }
  // Posting the status the item already has (a double click, a resent form) is not a conflict.
  if (change.event === null && input.note === "") return item;
  checkVersion(item, version);
  const at = nowText();
  await db.transaction().execute(async (trx) => {
    if (change.event) {
      const saved = await updateItemStatus(
        trx,
        item.id,
        version,
        { status: input.status, blockedReason: change.item.blockedReason, doneOn: input.status === "done" ? today : null },
        at,
      );
      if (!saved) throw AppError.conflict("plans.error.conflict", await loadItem(trx, item.id), item.id);
      await recordAudit(trx, {
        userId: actor.id,
        entity: "plan_item",
        entityId: item.id,
        action: "status",
        before: { status: item.status, blockedReason: item.blockedReason },
        after: { status: input.status, blockedReason: change.item.blockedReason, note: input.note || null },
      });
    }
    if (input.note !== "") {
      await insertPlanComment(trx, { planId: plan.id, itemId: item.id, kind: "note", authorId: actor.id, body: input.note, at });
    }
  });
  const saved = await loadItem(db, item.id);
  // Deleted between the write and this read (a draft item removed meanwhile): no such item now.
  if (!saved) throw notFound();
  return saved;
}

/** A comment on the plan (itemId null) or an item, or a note / evidence on an item. */
export async function addComment(
  db: Db,
  actor: Actor,
  planId: number,
  itemId: number | null,
  kind: "comment" | "note",
  body: string
): Promise<void> {
  const plan = await getPlan(db, planId);
  const item = itemId === null ? null : plan.items.find((candidate) => candidate.id === itemId);
  if (itemId !== null && !item) throw notFound();
  if (kind === "comment" && !can(actor, "plan:comment")) throw forbidden();
  if (kind === "note" && (!item || !canUpdateItem(actor, item))) throw AppError.forbidden("item.error.forbidden");
  const at = nowText();
  await db.transaction().execute(async (trx) => {
    const row = { id: await insertPlanComment(trx, { planId, itemId, kind, authorId: actor.id, body, at }) };
    await recordAudit(trx, {
      userId: actor.id,
      entity: itemId === null ? "plan" : "plan_item",
      entityId: itemId ?? planId,
      action: kind,
      after: { id: row.id, body },
    });
    if (kind === "comment") {
      await commentAdded(trx, { planId, item: item ? { id: item.id, title: item.title, ownerId: item.ownerId } : null, body, actorId: actor.id });
    }
  });
}

// ------------------------------------------------------------------------------ the plan's life

const PLAN_REFUSAL_CODE: Record<string, "invalid" | "forbidden" | "conflict"> = {
  "plan.error.forbidden": "forbidden",
  "plan.error.wrongState": "conflict",
};

/** submit / approve / return / close with the plan version the page showed. */
export async function transition(
  db: Db,
  actor: Actor,
  planId: number,
  version: number,
  action: PlanAction,
  today: IsoDate
): Promise<StoredPlan> {
  const plan = await getPlan(db, planId);
  const result = transitionPlan(plan, action, actor, today);
  if (!result.ok) {
    const code = PLAN_REFUSAL_CODE[result.reason] ?? "invalid";
    throw new AppError(code, result.reason, { fieldErrors: itemErrors(result.itemIds, result.reason) });
  }
  if (plan.version !== version) throw AppError.conflict("plans.error.planConflict", null);
  const { event } = result;
  const next = result.plan;
  const at = nowText();
  await db.transaction().execute(async (trx) => {
    const saved = await updatePlanState(
      trx,
      plan.id,
      version,
      { state: next.state, approvedVersion: next.approvedVersion, returnComment: next.returnComment, reviewNote: next.reviewNote },
      at,
    );
    if (!saved) throw AppError.conflict("plans.error.planConflict", null);
    if (action.type === "close") {
      for (const item of next.items) {
        if (item.outcome !== null) await setItemOutcome(trx, item.id, item.outcome);
      }
    }
    if (event.type === "approved") {
      await insertPlanSnapshot(trx, {
        planId: plan.id,
        approvedVersion: next.approvedVersion,
        at,
        approvedBy: actor.id,
        snapshot: JSON.stringify({ ...plan, state: "approved", approvedVersion: next.approvedVersion }),
      });
    }
    if ((event.type === "returned" || event.type === "approved") && event.note) {
      await insertPlanComment(trx, { planId: plan.id, itemId: null, kind: "comment", authorId: actor.id, body: event.note, at });
    }
    await recordAudit(trx, {
      userId: actor.id,
      entity: "plan",
      entityId: plan.id,
      action: event.type,
      before: { state: event.from },
      after: {
        state: event.to,
        note: event.note,
        approvedVersion: event.approvedVersion,
        ...(action.type === "close" ? { outcomes: action.outcomes } : {}),
      },
    });
    await planTransitioned(trx, { planId: plan.id, type: event.type, actorId: actor.id, note: event.note });
  });
  // The plan now in force is measured from its baselines: approval takes any still missing.
  if (event.type === "approved") await captureBaselines(db, await getPlan(db, planId), today);
  return getPlan(db, planId);
}

export function closeAction(outcomes: Record<number, CloseOutcome>, reviewNote: string): PlanAction {
  return { type: "close", outcomes, reviewNote };
}

// ------------------------------------------------------------------------------ the board's numbers

export interface ItemProgressView {
  current: number | null;
  /** The baseline progress is measured from: the quarter's eve once it has begun, else the provisional one. */
  baseline: number | null;
  baselineDate: IsoDate | null;
  /** Taken before the quarter's eve (a plan drafted ahead): replaced once the quarter begins. */
  provisional: boolean;
  /** None before the quarter begins: a plan drafted ahead has moved nothing yet. */
  progress: KpiProgress | null;
  track: TrackStatus | null;
  measuredOn: IsoDate;
  /** Set (an i18n key saying why) when the viewer may not see this scope's figures: every figure above is then null. */
  hidden: string | null;
}

/** A stored KPI link without its figures, for a viewer who may not see them. */
export function linkWithoutFigures<L extends { baseline: number | null }>(link: L): L {
  return { ...link, baseline: null };
}

/**
 * A linked item's KPI now, measured from the baseline in force. Once the quarter has begun that
 * is the eve's value; if the baseline job has not stored it yet it is read here, never written.
 */
export async function linkedKpiView(
  reader: KpiReader,
  plan: Pick<StoredPlan, "start" | "end">,
  item: Pick<StoredItem, "status" | "kpiLink">,
  today: IsoDate
): Promise<ItemProgressView | null> {
  const link = item.kpiLink;
  if (!link) return null;
  const quarter = quarterOfPlan(plan);
  const measuredOn = today > quarter.end ? quarter.end : today;
  if (!(await reader.mayRead(link.scope))) {
    return { current: null, baseline: null, baselineDate: null, provisional: false, progress: null, track: null, measuredOn, hidden: HIDDEN_FIGURES };
  }
  const inForce = baselineInForce(link, quarter.start, today);
  const baseline = inForce.stored || inForce.date === null ? link.baseline : await reader.value(link.kpi, link.scope, inForce.date).catch(() => null);
  const current = await reader.value(link.kpi, link.scope, measuredOn).catch(() => null);
  const measured = { ...item, kpiLink: { ...link, baseline, baselineDate: inForce.date } };
  return {
    current,
    baseline,
    baselineDate: inForce.date,
    provisional: inForce.date !== null && inForce.date < addDays(quarter.start, -1),
    ...linkedProgress(measured, current, quarter, measuredOn),
    measuredOn,
    hidden: null,
  };
}

export interface PlanProgressView {
  items: Record<number, ItemProgressView>;
  rollup: PlanRollup;
  measuredOn: IsoDate;
}

/** Live KPI progress for every linked item, and the plan's roll-up. */
export async function planProgress(db: Db, plan: StoredPlan, today: IsoDate, reader = new KpiReader(db)): Promise<PlanProgressView> {
  const measuredOn = measureDate(plan, today);
  const items: Record<number, ItemProgressView> = {};
  for (const item of plan.items) {
    const view = await linkedKpiView(reader, plan, item, today);
    if (view) items[item.id] = view;
  }
  const rollup = planRollup(
    plan.items.map((item) => ({
      category: item.category,
      ownerId: item.ownerId,
      status: item.status,
      kpiLinked: item.kpiLink !== null,
      track: items[item.id]?.track ?? null,
    }))
  );
  return { items, rollup, measuredOn };
}

// ------------------------------------------------------------------------------ the dashboard

/**
 * The plan of the quarter `asOf` falls in, as the dashboard shows it (flow 3): items done by
 * category and owner, each KPI-linked item's progress as of `asOf`, and the targets of the items
 * linked to the scope the dashboard is showing. Null when that quarter has no plan in force
 * (none, or still a draft).
 */
export async function dashboardPlan(
  db: Db,
  asOf: IsoDate,
  scope: KpiScope,
  locale: Locale = "en",
  viewer: KpiViewer | null = null,
): Promise<DashboardPlan | null> {
  const span = await findPlanCovering(db, asOf);
  if (span === null) return null;
  const plan = await getPlan(db, span.id);
  if (plan.state !== "approved" && plan.state !== "closed") return null;
  // Each linked item's figures only where the viewer may read its scope (the KPI API's rule).
  const progress = await planProgress(db, plan, asOf, new KpiReader(db, viewer));
  const wanted = scopeText(scope);
  const targets: DashboardPlan["targets"] = {};
  const owners: Record<number, string> = {};
  const linked: DashboardPlanItem[] = [];
  // Titles in the viewer's language where they are still the template's or the demo's wording.
  for (const item of await planItemsIn(db, plan.items, locale)) {
    if (item.ownerId !== null) owners[item.ownerId] = item.ownerName ?? "";
    if (!item.kpiLink || item.status === "cancelled") continue;
    const view = progress.items[item.id];
    const scopeWords = scopeText(item.kpiLink.scope);
    linked.push({
      id: item.id,
      title: item.title,
      ownerName: item.ownerName,
      status: item.status,
      kpi: item.kpiLink.kpi,
      scope: scopeWords,
      baseline: view?.baseline ?? null,
      baselineDate: view?.baselineDate ?? null,
      target: item.kpiLink.target,
      current: view?.current ?? null,
      progress: view?.progress ?? null,
      track: view?.track ?? null,
      hidden: view?.hidden ?? null,
      dueDate: item.dueDate ?? plan.end,
    });
    if (scopeWords === wanted && item.kpiLink.target !== null && !targets[item.kpiLink.kpi]) {
      targets[item.kpiLink.kpi] = { value: item.kpiLink.target, source: item.title };
    }
  }
  return {
    id: plan.id,
    fiscalYear: plan.fiscalYear,
    quarter: plan.quarter,
    fiscalStartMonth: plan.fiscalStartMonth,
    start: plan.start,
    end: plan.end,
    state: plan.state,
    measuredOn: progress.measuredOn,
    rollup: progress.rollup,
    owners,
    linked,
    scopeNames: await scopeNames(db, plan.items.flatMap((item) => (item.kpiLink ? [item.kpiLink.scope] : []))),
    targets,
  };
}
