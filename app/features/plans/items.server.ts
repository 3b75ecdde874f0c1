import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import type { Actor } from "~/features/plans/lifecycle";
import { listAuditFor } from "~/features/audit/index.server";
import { type StoredItem, type StoredPlan, planIdOfItem, userNames } from "~/features/plans/queries/plans.server";
import { type ItemProgressView, KpiReader, linkedKpiView, setItemStatus, addComment } from "~/features/plans/plans.server";
import { itemStatusSchema } from "~/features/plans/schema";
import { itemNoteSchema } from "~/features/plans/item-forms.schema";

/**
 * What the item page, the item form and My tasks need beside the plan service: a linked KPI's
 * live value, the item's audit trail as a timeline, and the status and note commands both pages
 * post. Routes stay thin; the service keeps every rule.
 */

// ------------------------------------------------------------------------------ KPI progress

export interface ItemKpiView extends ItemProgressView {
  quarterStart: IsoDate;
}

/**
 * The linked KPI today (never past the quarter's end), its progress and colour, over the plan's
 * own dates. Reads only: baselines are stored by the actions and the baseline job.
 */
export async function itemKpiView(
  reader: KpiReader,
  plan: Pick<StoredPlan, "start" | "end">,
  item: Pick<StoredItem, "kpiLink" | "status">,
  on: IsoDate
): Promise<ItemKpiView | null> {
  const view = await linkedKpiView(reader, plan, item, on);
  return view && { ...view, quarterStart: plan.start };
}

// ------------------------------------------------------------------------------ history

export type HistoryValue = string | number | null;

export interface HistoryChange {
  field: string;
  before: HistoryValue;
  after: HistoryValue;
}

export interface HistoryEntry {
  id: number;
  at: string;
  action: string;
  who: string | null;
  changes: HistoryChange[];
  /** A note, comment, blocked reason or change reason written with the entry. */
  text: string | null;
  /** The KPI the entry's target values belong to, to show them in its unit. */
  kpiKey: string | null;
}

// The audit rows of an item keep the service's column names; these are the ones worth showing.
const FIELD_ORDER = [
  "title",
  "category",
  "description",
  "owner_id",
  "due_date",
  "customers",
  "kpi_key",
  "kpi_scope",
  "kpi_target",
  "status",
  "blockedReason",
] as const;

function parseJson(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    // an object (checked) read by property name
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function asValue(value: unknown): HistoryValue {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "number" || typeof value === "string") return value;
  return JSON.stringify(value);
}

function normalised(field: string, value: HistoryValue): HistoryValue {
  // Customers are kept as typed; compare them as the set of codes they name.
  if (field === "customers" && typeof value === "string") {
    const codes = value.split(/[\s,，;；、]+/).filter(Boolean);
    return codes.length ? [...new Set(codes)].sort().join(" ") : null;
  }
  return value;
}

/** The item's audit trail, newest first, as field-by-field changes. */
export async function itemHistory(db: Db, itemId: number): Promise<HistoryEntry[]> {
  const rows = await listAuditFor(db, "plan_item", itemId);
  const ownerIds = new Set<number>();
  const entries = rows.map((row): HistoryEntry => {
    const before = parseJson(row.before);
    const after = parseJson(row.after);
    const changes: HistoryChange[] = [];
    let text: string | null = null;
    if (row.action === "note" || row.action === "comment") {
      text = typeof after.body === "string" ? after.body : null;
    } else if (row.action === "deleted") {
      changes.push({ field: "title", before: asValue(before.title), after: null });
    } else {
      for (const field of FIELD_ORDER) {
        if (!(field in before) && !(field in after)) continue;
        const was = normalised(field, asValue(before[field]));
        const now = normalised(field, asValue(after[field]));
        if (row.action !== "created" && was === now) continue;
        if (row.action === "created" && now === null) continue;
        changes.push({ field, before: row.action === "created" ? null : was, after: now });
        if (field === "owner_id") for (const id of [was, now]) if (typeof id === "number") ownerIds.add(id);
      }
      const written = after.note ?? after.reason;
      text = typeof written === "string" && written !== "" ? written : null;
    }
    const kpiKey = asValue(after.kpi_key ?? before.kpi_key);
    return { id: row.id, at: row.at, action: row.action, who: row.userName, changes, text, kpiKey: typeof kpiKey === "string" ? kpiKey : null };
  });
  if (ownerIds.size > 0) {
    const names = await userNames(db, [...ownerIds]);
    for (const entry of entries) {
      for (const change of entry.changes) {
        if (change.field !== "owner_id") continue;
        change.before = typeof change.before === "number" ? names.get(change.before) ?? `#${change.before}` : change.before;
        change.after = typeof change.after === "number" ? names.get(change.after) ?? `#${change.after}` : change.after;
      }
    }
  }
  return entries;
}

// ------------------------------------------------------------------------------ status and notes

const ID = /^[1-9]\d{0,15}$/;

/**
 * The status form and the note form of My tasks, the item page and the board. `planId` is the
 * plan the URL names (null on My tasks): an item of another plan is "not found", never changed.
 * Refusals name the item (`subjectId`) so only its form shows them.
 */
export async function statusOrNote(
  db: Db,
  actor: Actor,
  values: Record<string, string>,
  options: { planId: number | null; itemId: number | null },
  today: IsoDate,
): Promise<{ intent: "set-status" | "note"; itemId: number }> {
  const intent = values.intent ?? "";
  const postedItemId = ID.test(values.itemId ?? "") ? Number(values.itemId) : null;
  if (intent !== "set-status" && intent !== "note") {
    throw new AppError("invalid", "plans.validation.invalid", { subjectId: postedItemId });
  }
  const schema = intent === "set-status" ? itemStatusSchema : itemNoteSchema;
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.length ? String(issue.path[0]) : "form";
      (fieldErrors[key] ??= []).push(issue.message);
    }
    throw new AppError("invalid", "plans.error.checkFields", { fieldErrors, subjectId: postedItemId });
  }
  const itemId = parsed.data.itemId;
  if (options.itemId !== null && itemId !== options.itemId) throw new AppError("invalid", "plans.validation.invalid", { subjectId: itemId });
  const planId = await planIdOfItem(db, itemId);
  if (planId === null || (options.planId !== null && planId !== options.planId)) throw AppError.notFound("plans.error.notFound");
  if (parsed.data.intent === "set-status") {
    const { version, status, reason, note } = parsed.data;
    await setItemStatus(db, actor, itemId, version, { status, reason, note }, today);
  } else {
    await addComment(db, actor, planId, itemId, "note", parsed.data.body);
  }
  return { intent: parsed.data.intent, itemId };
}
