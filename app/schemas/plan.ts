import { z } from "zod";

import { isValidIsoDate } from "~/domain/dates";
import { isLinkableKpiKey } from "~/domain/kpi-register";
import { CLOSE_OUTCOMES, ITEM_STATUSES, PLAN_CATEGORIES } from "~/domain/plan-categories";

/**
 * The plan forms' schemas, shared by react-hook-form on the page and the action on the server.
 * Messages are i18n keys. Every form that changes a stored plan or item names the version it
 * was based on; the server refuses a stale one with 409.
 */
export const TITLE_MAX = 200;
export const TEXT_MAX = 4000;
export const COMMENT_MAX = 2000;

const id = z.string().regex(/^[1-9]\d{0,15}$/, "plans.validation.invalid").transform(Number);
const version = z.string().regex(/^[1-9]\d{0,9}$/, "plans.validation.staleForm").transform(Number);
const optionalText = (max: number) => z.string().trim().max(max, "plans.validation.tooLong").default("");
const requiredText = (max: number) =>
  z.string().trim().min(1, "validation.required").max(max, "plans.validation.tooLong");

export const KPI_SCOPE_TYPES = ["company", "region", "owner", "customer", "grade"] as const;
export type KpiScopeType = (typeof KPI_SCOPE_TYPES)[number];

// A plain decimal: digits, an optional point and up to four decimals, optional minus sign.
const DECIMAL = /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,4})?$/;

export const itemFieldsSchema = z
  .object({
    title: requiredText(TITLE_MAX),
    category: z.enum(PLAN_CATEGORIES, { message: "plans.validation.category" }),
    description: optionalText(TEXT_MAX),
    ownerId: z.union([z.literal(""), id]).default(""),
    dueDate: z
      .string()
      .trim()
      .default("")
      .refine((value) => value === "" || isValidIsoDate(value), "plans.validation.date"),
    customers: optionalText(TEXT_MAX),
    kpiKey: z
      .string()
      .default("")
      .refine((value) => value === "" || isLinkableKpiKey(value), "plans.validation.kpi"),
    kpiScopeType: z.enum(KPI_SCOPE_TYPES, { message: "plans.validation.scope" }).default("company"),
    kpiScopeValue: z.string().trim().max(200, "plans.validation.tooLong").default(""),
    kpiTarget: z
      .string()
      .trim()
      .default("")
      .refine((value) => value === "" || DECIMAL.test(value), "plans.validation.number"),
    /** Required by the server when the plan is already approved (a recorded plan change). */
    reason: optionalText(COMMENT_MAX),
  })
  .superRefine((value, ctx) => {
    if (value.kpiKey === "") return;
    if (value.kpiScopeType !== "company" && value.kpiScopeValue === "") {
      ctx.addIssue({ code: "custom", path: ["kpiScopeValue"], message: "plans.validation.scopeValue" });
    }
  });

export type ItemFields = z.output<typeof itemFieldsSchema>;

export const createItemSchema = z.intersection(
  z.object({ intent: z.literal("create-item") }),
  itemFieldsSchema
);

export const updateItemSchema = z.intersection(
  z.object({ intent: z.literal("update-item"), version }),
  itemFieldsSchema
);

export const deleteItemSchema = z.object({
  intent: z.literal("delete-item"),
  version,
  reason: optionalText(COMMENT_MAX),
});

export const itemStatusSchema = z
  .object({
    intent: z.literal("set-status"),
    itemId: id,
    version,
    status: z.enum(ITEM_STATUSES, { message: "plans.validation.status" }),
    reason: optionalText(COMMENT_MAX),
    note: optionalText(COMMENT_MAX),
  })
  .superRefine((value, ctx) => {
    if (value.status === "blocked" && value.reason === "") {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "item.error.blockedNeedsReason" });
    }
  });

export const commentSchema = z.object({
  intent: z.enum(["comment", "note"]),
  body: requiredText(COMMENT_MAX),
});

export const newPlanSchema = z.object({
  intent: z.literal("create-plan"),
  fiscalYear: z.string().regex(/^20\d\d$/, "plans.validation.year").transform(Number),
  quarter: z.enum(["1", "2", "3", "4"], { message: "plans.validation.quarter" }).transform(Number),
  source: z.enum(["empty", "template", "carry_over"], { message: "plans.validation.source" }),
  language: z.enum(["en", "zh"]).default("en"),
});

export const transitionSchema = z.object({
  intent: z.enum(["submit", "approve", "return"]),
  version,
  comment: optionalText(COMMENT_MAX),
});

export const closeSchema = z.object({
  intent: z.literal("close"),
  version,
  reviewNote: requiredText(TEXT_MAX),
});

/** The close form posts one `outcome-<itemId>` field per live item. */
export function outcomesFrom(formData: FormData): Record<number, (typeof CLOSE_OUTCOMES)[number]> {
  const outcomes: Record<number, (typeof CLOSE_OUTCOMES)[number]> = {};
  for (const [key, value] of formData) {
    const match = /^outcome-([1-9]\d{0,15})$/.exec(key);
    if (match && (CLOSE_OUTCOMES as readonly string[]).includes(String(value))) {
      outcomes[Number(match[1])] = value as (typeof CLOSE_OUTCOMES)[number];
    }
  }
  return outcomes;
}
