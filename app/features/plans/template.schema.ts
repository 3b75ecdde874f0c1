import { z } from "zod";

import { isLinkableKpiKey, kpiDefinition } from "~/features/kpi";
import { PLAN_CATEGORIES } from "~/features/plans/categories";
import type { DueInQuarter, TemplateItem } from "~/features/plans/template";
import { isOneOf } from "~/kernel/guards";

/**
 * The forms of the plan template page (/plans/template), shared by react-hook-form on the page
 * and the action on the server. Messages are i18n keys. Items are named by their template key.
 */
export const TEMPLATE_TITLE_MAX = 200;
export const TEMPLATE_TEXT_MAX = 4000;

/** The days a due rule may name: 1-28 exist in every month; "last" is the month's last day. */
export const DUE_DAYS = ["last", ...Array.from({ length: 28 }, (_, i) => String(i + 1))] as const;

const title = z
  .string()
  .trim()
  .min(1, "validation.required")
  .max(TEMPLATE_TITLE_MAX, "planTemplate.validation.titleTooLong");
const description = z.string().trim().max(TEMPLATE_TEXT_MAX, "planTemplate.validation.textTooLong").default("");
const key = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "planTemplate.validation.key");

export const templateItemFieldsSchema = z.object({
  titleEn: title,
  titleZh: title,
  descriptionEn: description,
  descriptionZh: description,
  category: z.enum(PLAN_CATEGORIES, { message: "planTemplate.validation.category" }),
  dueMonth: z.enum(["1", "2", "3"], { message: "planTemplate.validation.dueMonth" }).transform(Number),
  dueDay: z
    .string()
    .refine((value) => isOneOf(DUE_DAYS, value), "planTemplate.validation.dueDay")
    .transform((value): number | "last" => (value === "last" ? "last" : Number(value))),
  kpiKey: z
    .string()
    .default("")
    .refine((value) => value === "" || isLinkableKpiKey(value), "planTemplate.validation.kpi"),
});

export type TemplateItemFields = z.output<typeof templateItemFieldsSchema>;

/** The version of the item the form showed: a save from an older one is refused with 409. */
const version = z.string("plans.validation.staleForm").regex(/^[1-9]\d{0,9}$/, "plans.validation.staleForm").transform(Number);

export const saveTemplateItemSchema = z.object({
  intent: z.literal("save-item"),
  key,
  version,
  ...templateItemFieldsSchema.shape,
});

export const addTemplateItemSchema = z.object({
  intent: z.literal("add-item"),
  quarter: z.enum(["1", "2", "3", "4"], { message: "planTemplate.validation.quarter" }).transform(Number),
  ...templateItemFieldsSchema.shape,
});

export const deleteTemplateItemSchema = z.object({ intent: z.literal("delete-item"), key });

export const resetTemplateSchema = z.object({ intent: z.literal("reset") });

/** The fields of a template item as the form posts them (all text). */
export interface TemplateItemFormValues {
  titleEn: string;
  titleZh: string;
  descriptionEn: string;
  descriptionZh: string;
  category: string;
  dueMonth: string;
  dueDay: string;
  kpiKey: string;
}

export const EMPTY_TEMPLATE_ITEM: TemplateItemFormValues = {
  titleEn: "",
  titleZh: "",
  descriptionEn: "",
  descriptionZh: "",
  category: "collection",
  dueMonth: "3",
  dueDay: "last",
  kpiKey: "",
};

export function templateItemFormValues(item: TemplateItem): TemplateItemFormValues {
  return {
    titleEn: item.title.en,
    titleZh: item.title.zh,
    descriptionEn: item.description.en,
    descriptionZh: item.description.zh,
    category: item.category,
    dueMonth: String(item.due.month),
    dueDay: String(item.due.day),
    kpiKey: item.kpi?.key ?? "",
  };
}

/** A validated form as a template item; the KPI's direction always comes from the register. */
export function templateItemFromFields(itemKey: string, fields: TemplateItemFields): TemplateItem {
  return {
    key: itemKey,
    category: fields.category,
    title: { en: fields.titleEn, zh: fields.titleZh },
    description: { en: fields.descriptionEn, zh: fields.descriptionZh },
    // the schema's dueMonth accepts only 1, 2 or 3
    due: { month: fields.dueMonth as DueInQuarter["month"], day: fields.dueDay },
    kpi: isLinkableKpiKey(fields.kpiKey) ? { key: fields.kpiKey, better: kpiDefinition(fields.kpiKey).better } : null,
  };
}

/** The message (i18n key and values) that states a due rule in words. */
export function dueRuleMessage(due: DueInQuarter): { key: string; values: Record<string, number> } {
  return due.day === "last"
    ? { key: "planTemplate.due.lastDay", values: { month: due.month } }
    : { key: "planTemplate.due.day", values: { month: due.month, day: due.day } };
}
