import type { Db } from "~/server/db.server";
import type { QuarterNumber } from "~/kernel/dates";
import { AppError } from "~/kernel/app-error";
import { can } from "~/kernel/permissions";
import type { Actor } from "~/features/plans/lifecycle";
import {
  addTemplateItem,
  deleteTemplateItem,
  loadPlanTemplateState,
  resetPlanTemplate,
  saveTemplateItem,
} from "~/features/plans/queries/template.server";
import {
  addTemplateItemSchema,
  deleteTemplateItemSchema,
  saveTemplateItemSchema,
  templateItemFormValues,
  templateItemFromFields,
} from "~/features/plans/template.schema";
import { parseOrRefuse } from "~/features/plans/parse";

/** The plan template page: the four quarters' items as stored, and what its forms do. */

const QUARTERS: readonly QuarterNumber[] = [1, 2, 3, 4];

export async function loadTemplatePage(db: Db, user: Actor) {
  const state = await loadPlanTemplateState(db);
  return {
    quarters: QUARTERS.map((quarter) => ({ quarter, items: [...state.template[quarter]] })),
    versions: state.versions,
    edited: state.edited,
    updatedAt: state.updatedAt,
    updatedByName: state.updatedByName,
    canEdit: can(user, "plan:edit"),
  };
}

/** Which of the page's forms was posted (`save:<key>`, `add:<quarter>`, `delete:<key>`, `page`), so a refusal shows in it. */
export function templateFormOf(values: Record<string, string>): string {
  if (values.intent === "save-item") return `save:${values.key ?? ""}`;
  if (values.intent === "add-item") return `add:${values.quarter ?? ""}`;
  if (values.intent === "delete-item" && deleteTemplateItemSchema.safeParse(values).success) return `delete:${values.key ?? ""}`;
  return "page";
}

export type TemplateDone = { ok: true; done: "saved" | "unchanged" | "added" | "deleted" | "reset" | "alreadyStandard"; key: string; title: string; quarter: number };

/** Save, add, delete or reset; a refusal is an AppError (409 carries the item as stored now). */
export async function runTemplateCommand(db: Db, user: Actor & { locale: string }, values: Record<string, string>): Promise<TemplateDone> {
  const language = user.locale === "zh-CN" ? "zh" : "en";
  if (values.intent === "save-item") {
    const { intent: _intent, key, version, ...fields } = parseOrRefuse(saveTemplateItemSchema, values);
    const item = templateItemFromFields(key, fields);
    const result = await saveTemplateItem(db, user.id, item, version);
    if (!result.ok && result.error === "conflict") throw AppError.conflict("plans.error.conflict", templateItemFormValues(result.current));
    if (!result.ok) throw new AppError("not_found", `planTemplate.error.${result.error}`);
    return { ok: true, done: result.changed ? "saved" : "unchanged", key, title: item.title[language], quarter: result.quarter };
  }
  if (values.intent === "add-item") {
    const { intent: _intent, quarter, ...fields } = parseOrRefuse(addTemplateItemSchema, values);
    const { key: _key, ...item } = templateItemFromFields("new", fields);
    // the form's schema accepts only quarters 1-4
    const added = await addTemplateItem(db, user.id, quarter as QuarterNumber, item);
    return { ok: true, done: "added", key: added.key, title: added.title[language], quarter };
  }
  if (values.intent === "delete-item") {
    const parsed = deleteTemplateItemSchema.safeParse(values);
    if (!parsed.success) throw AppError.field("key", "planTemplate.validation.key");
    const { key } = parsed.data;
    const result = await deleteTemplateItem(db, user.id, key);
    if (!result.ok) throw new AppError(result.error === "notFound" ? "not_found" : "invalid", `planTemplate.error.${result.error}`);
    return { ok: true, done: "deleted", key, title: "", quarter: result.quarter };
  }
  if (values.intent === "reset") {
    const { changed } = await resetPlanTemplate(db, user.id);
    return { ok: true, done: changed ? "reset" : "alreadyStandard", key: "", title: "", quarter: 0 };
  }
  throw AppError.field("intent", "planTemplate.error.unknownForm");
}
