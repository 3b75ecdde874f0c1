import { data, redirect } from "@remix-run/node";

import { safeRedirectTo } from "~/server/auth.server";
import { today as businessToday } from "~/server/clock.server";
import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Actor } from "~/features/plans/lifecycle";
import { listAuditFor } from "~/features/audit/index.server";
import type { StoredItem, StoredPlan } from "~/features/plans/queries/plans.server";
import { type ItemProgressView, KpiReader, PlanCommandError, getPlan, linkedKpiView, setItemStatus, addComment } from "~/features/plans/plans.server";
import { itemStatusSchema } from "~/features/plans/schema";
import { itemNoteSchema } from "~/features/plans/item-forms.schema";
import type { FieldErrors } from "~/server/forms.server";

/**
 * What the item page, the item form and My tasks need beside the plan service: refusals as
 * answers, a linked KPI's live value, the item's audit trail as a timeline, and the status and
 * note commands both pages post. Routes stay thin; the service keeps every rule.
 */

export type FormValues = Record<string, string>;

/** The answer a refused or invalid post gets: the i18n key, field errors, what was posted. */
export interface Refusal {
  ok: false;
  intent: string;
  message: string | null;
  fieldErrors: FieldErrors;
  submitted: FormValues;
  /** On 409: the item as it is stored now (the other person's save). */
  current: StoredItem | null;
  itemId: number | null;
}

export function formValues(formData: FormData): FormValues {
  const values: FormValues = {};
  for (const [key, value] of formData) if (typeof value === "string") values[key] = value;
  return values;
}

export function refusal(
  status: number,
  intent: string,
  formData: FormData,
  detail: Partial<Pick<Refusal, "message" | "fieldErrors" | "current" | "itemId">>
) {
  const body: Refusal = {
    ok: false,
    intent,
    message: detail.message ?? null,
    fieldErrors: detail.fieldErrors ?? {},
    submitted: formValues(formData),
    current: detail.current ?? null,
    itemId: detail.itemId ?? null,
  };
  return data(body, { status });
}

/** A PlanCommandError as the answer; anything else is a bug and goes on to the error boundary. */
export function refusalFrom(error: unknown, intent: string, formData: FormData, itemId: number | null = null) {
  if (!(error instanceof PlanCommandError)) throw error;
  return refusal(error.status, intent, formData, {
    message: error.key,
    fieldErrors: (error.extra.fieldErrors as FieldErrors | undefined) ?? {},
    current: error.extra.current ?? null,
    itemId,
  });
}

/** Zod field errors from a failed parse, as the same answer shape. */
export function invalid(intent: string, formData: FormData, fieldErrors: FieldErrors, itemId: number | null = null) {
  return refusal(400, intent, formData, { message: "plans.error.checkFields", fieldErrors, itemId });
}

/** Route ids come from the URL: anything but a plain positive integer is "no such thing". */
export function idParam(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) throw new Response("No such plan or item.", { status: 404 });
  return Number(value);
}

export function notFoundResponse(): Response {
  return new Response("No such plan or item.", { status: 404 });
}

/** The plan, or a 404 Response instead of the service's refusal (for loaders). */
export async function planOr404(db: Db, planId: number): Promise<StoredPlan> {
  try {
    return await getPlan(db, planId);
  } catch (error) {
    if (error instanceof PlanCommandError && error.status === 404) throw notFoundResponse();
    throw error;
  }
}

export function today(): IsoDate {
  return businessToday();
}

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
    const users = await db.selectFrom("users").select(["id", "name"]).where("id", "in", [...ownerIds]).execute();
    const names = new Map(users.map((user) => [user.id, user.name]));
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

/**
 * The status form and the note form of My tasks, the item page and the board. `planId` is the
 * plan the URL names (null on My tasks): an item of another plan is "not found", never changed.
 * Without JavaScript the answer is a redirect back; a fetcher (`via=fetcher`) gets the item.
 */
export async function statusOrNoteAction(
  db: Db,
  actor: Actor,
  formData: FormData,
  options: { planId: number | null; itemId: number | null; back: string }
) {
  const intent = String(formData.get("intent") ?? "");
  const viaFetcher = formData.get("via") === "fetcher";
  const back = safeRedirectTo(formData.get("redirectTo") as string | null, options.back);
  const schema = intent === "set-status" ? itemStatusSchema : itemNoteSchema;
  const fields: Record<string, FormDataEntryValue> = {};
  for (const [key, value] of formData) fields[key] = value;
  const parsed = schema.safeParse(fields);
  const postedItemId = /^[1-9]\d{0,15}$/.test(String(formData.get("itemId"))) ? Number(formData.get("itemId")) : null;
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.length ? String(issue.path[0]) : "form";
      (fieldErrors[key] ??= []).push(issue.message);
    }
    return invalid(intent, formData, fieldErrors, postedItemId);
  }
  const itemId = parsed.data.itemId;
  if (options.itemId !== null && itemId !== options.itemId) return refusal(400, intent, formData, { message: "plans.validation.invalid", itemId });
  try {
    const item = await db.selectFrom("plan_items").select(["id", "plan_id"]).where("id", "=", itemId).executeTakeFirst();
    if (!item || (options.planId !== null && item.plan_id !== options.planId)) {
      return refusal(404, intent, formData, { message: "plans.error.notFound", itemId });
    }
    if (parsed.data.intent === "set-status") {
      const { version, status, reason, note } = parsed.data;
      await setItemStatus(db, actor, itemId, version, { status, reason, note }, today());
    } else {
      await addComment(db, actor, item.plan_id, itemId, "note", parsed.data.body);
    }
  } catch (error) {
    return refusalFrom(error, intent, formData, itemId);
  }
  if (viaFetcher) return { ok: true as const, intent, itemId };
  // From a list (My tasks) back to the row; from an item's own page, back to the page.
  return redirect(back === options.back && options.itemId === null ? `${back}#item-${itemId}` : back);
}
