import type { Insertable, Selectable } from "kysely";

import type { PlanTemplateItemsTable } from "../../../../db/schema";
import type { Db } from "~/server/db.server";
import type { QuarterNumber } from "~/kernel/dates";
import { isLinkableKpiKey, kpiDefinition } from "~/features/kpi";
import { isPlanCategory } from "~/features/plans/categories";
import { PLAN_TEMPLATE, type PlanTemplate, type TemplateItem } from "~/features/plans/template";
import { recordAudit } from "~/features/audit/index.server";
import { isOneOf } from "~/kernel/guards";

/**
 * The annual plan template the head edits (/plans/template). An empty table means the built-in
 * standard (PLAN_TEMPLATE); the first edit copies the standard in and then applies the change, so
 * one edit never loses the rest of the standard. Reset empties the table again.
 */
const ENTITY = "plan_template";
const QUARTERS: readonly QuarterNumber[] = [1, 2, 3, 4];

export type TemplateItemRow = Selectable<PlanTemplateItemsTable>;

/** A stored row as a template item. A KPI no longer linkable, or an unknown category, degrades rather than fails. */
export function templateItemFromRow(row: Pick<TemplateItemRow, "key" | "category" | "title_en" | "title_zh" | "description_en" | "description_zh" | "due_month" | "due_day" | "kpi_key">): TemplateItem {
  return {
    key: row.key,
    category: isPlanCategory(row.category) ? row.category : "other",
    title: { en: row.title_en, zh: row.title_zh },
    description: { en: row.description_en, zh: row.description_zh },
    due: {
      // clamped to 1..3 just here
      month: Math.min(3, Math.max(1, row.due_month)) as 1 | 2 | 3,
      day: row.due_day === 0 ? "last" : row.due_day,
    },
    // The direction always comes from the register, so the template cannot contradict it.
    kpi: isLinkableKpiKey(row.kpi_key) ? { key: row.kpi_key, better: kpiDefinition(row.kpi_key).better } : null,
  };
}

/** A template item as a row to store (due day "last" as 0). */
export function templateRowFrom(
  item: TemplateItem,
  quarter: QuarterNumber,
  position: number,
  userId: number | null,
  at: string,
): Insertable<PlanTemplateItemsTable> {
  return {
    quarter,
    position,
    key: item.key,
    category: item.category,
    title_en: item.title.en,
    title_zh: item.title.zh,
    description_en: item.description.en,
    description_zh: item.description.zh,
    due_month: item.due.month,
    due_day: item.due.day === "last" ? 0 : item.due.day,
    kpi_key: item.kpi && isLinkableKpiKey(item.kpi.key) ? item.kpi.key : null,
    updated_at: at,
    updated_by: userId,
  };
}

/** A key for a new item: its English title in lower_snake_case, made unique among `taken`. */
export function newTemplateKey(titleEn: string, taken: ReadonlySet<string>): string {
  let base = titleEn
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40)
    .replace(/_+$/, "");
  if (!/^[a-z]/.test(base)) base = base ? `item_${base}` : "item";
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
  }
}

function emptyTemplate(): Record<QuarterNumber, TemplateItem[]> {
  return { 1: [], 2: [], 3: [], 4: [] };
}

function templateFromRows(rows: readonly TemplateItemRow[]): PlanTemplate {
  const template = emptyTemplate();
  for (const row of rows) {
    if (isOneOf(QUARTERS, row.quarter)) template[row.quarter].push(templateItemFromRow(row));
  }
  return template;
}

function storedRows(db: Db) {
  return db.selectFrom("plan_template_items").selectAll().orderBy("quarter").orderBy("position").orderBy("id").execute();
}

/** The template plans are drafted from: the head's edited one when there is one, else the standard. */
export async function loadPlanTemplate(db: Db): Promise<PlanTemplate> {
  const rows = await storedRows(db);
  return rows.length ? templateFromRows(rows) : PLAN_TEMPLATE;
}

export interface PlanTemplateState {
  template: PlanTemplate;
  /** false while the built-in standard is in use */
  edited: boolean;
  updatedAt: string | null;
  updatedByName: string | null;
  /** Each item's version by key: its form posts it back, so a stale save is refused. */
  versions: Record<string, number>;
}

/** The standard's items count as version 1, the version they are stored with on the first edit. */
const STANDARD_VERSION = 1;

function versionsOf(template: PlanTemplate, rows: readonly TemplateItemRow[]): Record<string, number> {
  if (rows.length) return Object.fromEntries(rows.map((row) => [row.key, row.version]));
  return Object.fromEntries(QUARTERS.flatMap((quarter) => template[quarter].map((item) => [item.key, STANDARD_VERSION])));
}

/** The template with who last changed it, for the template page. */
export async function loadPlanTemplateState(db: Db): Promise<PlanTemplateState> {
  const rows = await storedRows(db);
  if (!rows.length) return { template: PLAN_TEMPLATE, edited: false, updatedAt: null, updatedByName: null, versions: versionsOf(PLAN_TEMPLATE, rows) };
  const latest = rows.reduce((best, row) => (row.updated_at > best.updated_at ? row : best));
  const editor = latest.updated_by === null
    ? undefined
    : await db.selectFrom("users").select("name").where("id", "=", latest.updated_by).executeTakeFirst();
  return { template: templateFromRows(rows), edited: true, updatedAt: latest.updated_at, updatedByName: editor?.name ?? null, versions: versionsOf(PLAN_TEMPLATE, rows) };
}

/** Copies the standard into the table unless the head's own template is already there. */
async function ensureStored(trx: Db, userId: number, at: string): Promise<void> {
  const any = await trx.selectFrom("plan_template_items").select("id").limit(1).executeTakeFirst();
  if (any) return;
  const rows = QUARTERS.flatMap((quarter) =>
    PLAN_TEMPLATE[quarter].map((item, index) => templateRowFrom(item, quarter, index + 1, userId, at)),
  );
  await trx.insertInto("plan_template_items").values(rows).execute();
}

/** Same texts, category, due rule and KPI (compared as stored, so key order cannot matter). */
function sameItem(a: TemplateItem, b: TemplateItem): boolean {
  return JSON.stringify(templateRowFrom(a, 1, 0, null, "")) === JSON.stringify(templateRowFrom(b, 1, 0, null, ""));
}

function findItem(template: PlanTemplate, key: string): { item: TemplateItem; quarter: QuarterNumber } | null {
  for (const quarter of QUARTERS) {
    const item = template[quarter].find((candidate) => candidate.key === key);
    if (item) return { item, quarter };
  }
  return null;
}

export type TemplateChangeResult =
  | { ok: true; changed: boolean; quarter: QuarterNumber }
  | { ok: false; error: "notFound" | "lastItem" };

export type TemplateSaveResult =
  | TemplateChangeResult
  /** Someone saved the item since the form was shown: nothing changed; here is the item as stored now. */
  | { ok: false; error: "conflict"; current: TemplateItem; version: number };

async function storedVersion(trx: Db, key: string): Promise<number> {
  const row = await trx.selectFrom("plan_template_items").select("version").where("key", "=", key).executeTakeFirst();
  // No stored row: the built-in standard is in use.
  return row?.version ?? STANDARD_VERSION;
}

/**
 * Saves an item's texts, category, due rule and KPI (its key and quarter stay), provided it is
 * still at `version`, the one the head's form showed; otherwise nothing changes and the answer
 * carries the item as stored now. Unchanged writes nothing.
 */
export async function saveTemplateItem(db: Db, userId: number, item: TemplateItem, version: number, now = new Date()): Promise<TemplateSaveResult> {
  return db.transaction().execute(async (trx) => {
    const found = findItem(await loadPlanTemplate(trx), item.key);
    if (!found) return { ok: false as const, error: "notFound" as const };
    const current = await storedVersion(trx, item.key);
    const conflict = { ok: false as const, error: "conflict" as const, current: found.item, version: current };
    if (current !== version) return conflict;
    if (sameItem(found.item, item)) return { ok: true as const, changed: false, quarter: found.quarter };
    const at = now.toISOString();
    await ensureStored(trx, userId, at);
    const { quarter: _q, position: _p, key: _k, ...changes } = templateRowFrom(item, found.quarter, 0, userId, at);
    // Compare and raise in one statement, so two saves from the same version cannot both apply.
    const updated = await trx
      .updateTable("plan_template_items")
      .set((eb) => ({ ...changes, version: eb("version", "+", 1) }))
      .where("key", "=", item.key)
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return conflict;
    await recordAudit(trx, { userId, entity: ENTITY, entityId: item.key, action: "update", before: found.item, after: item }, now);
    return { ok: true as const, changed: true, quarter: found.quarter };
  });
}

/** Adds an item at the end of a quarter; its key is made from the English title. */
export async function addTemplateItem(
  db: Db,
  userId: number,
  quarter: QuarterNumber,
  item: Omit<TemplateItem, "key">,
  now = new Date(),
): Promise<TemplateItem> {
  return db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    await ensureStored(trx, userId, at);
    const rows = await trx.selectFrom("plan_template_items").select(["key", "quarter", "position"]).execute();
    const added: TemplateItem = { ...item, key: newTemplateKey(item.title.en, new Set(rows.map((row) => row.key))) };
    const position = Math.max(0, ...rows.filter((row) => row.quarter === quarter).map((row) => row.position)) + 1;
    await trx.insertInto("plan_template_items").values(templateRowFrom(added, quarter, position, userId, at)).execute();
    await recordAudit(trx, { userId, entity: ENTITY, entityId: added.key, action: "create", after: { quarter, ...added } }, now);
    return added;
  });
}

/**
 * Removes an item. The last remaining item cannot go: an empty table means "the standard", so
 * deleting it would silently bring the whole standard back.
 */
export async function deleteTemplateItem(db: Db, userId: number, key: string, now = new Date()): Promise<TemplateChangeResult> {
  return db.transaction().execute(async (trx) => {
    const template = await loadPlanTemplate(trx);
    const found = findItem(template, key);
    if (!found) return { ok: false as const, error: "notFound" as const };
    if (QUARTERS.reduce((count, quarter) => count + template[quarter].length, 0) <= 1) {
      return { ok: false as const, error: "lastItem" as const };
    }
    await ensureStored(trx, userId, now.toISOString());
    await trx.deleteFrom("plan_template_items").where("key", "=", key).execute();
    await recordAudit(trx, { userId, entity: ENTITY, entityId: key, action: "delete", before: { quarter: found.quarter, ...found.item } }, now);
    return { ok: true as const, changed: true, quarter: found.quarter };
  });
}

/** Back to the built-in standard: the head's template goes (kept whole in the audit entry). */
export async function resetPlanTemplate(db: Db, userId: number, now = new Date()): Promise<{ changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const rows = await storedRows(trx);
    if (!rows.length) return { changed: false };
    await trx.deleteFrom("plan_template_items").execute();
    await recordAudit(trx, { userId, entity: ENTITY, entityId: "template", action: "reset", before: templateFromRows(rows), after: null }, now);
    return { changed: true };
  });
}
