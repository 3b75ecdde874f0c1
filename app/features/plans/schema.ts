import { z } from "zod";

import { isValidIsoDate } from "~/kernel/dates";
import { isLinkableKpiKey, kpiDefinition } from "~/features/kpi";
import { type KpiScope, scopeText } from "~/features/kpi";
import { targetFromInput } from "~/features/plans/kpi";
import { CLOSE_OUTCOMES, ITEM_STATUSES, PLAN_CATEGORIES } from "~/features/plans/categories";
import { isOneOf } from "~/kernel/guards";

/**
 * The plan forms' schemas, shared by react-hook-form on the page and the action on the server.
 * Messages are i18n keys. Every form that changes a stored plan or item names the version it
 * was based on; the server refuses a stale one with 409.
 */
export const TITLE_MAX = 200;
export const TEXT_MAX = 4000;
export const COMMENT_MAX = 2000;
export type TextLimit = typeof TITLE_MAX | typeof TEXT_MAX | typeof COMMENT_MAX;

/** "At most 200 characters.": one message per limit, so it can say the number in both languages. */
export function tooLong(max: TextLimit): `plans.validation.tooLong${TextLimit}` {
  return `plans.validation.tooLong${max}`;
}

const id = z.string().regex(/^[1-9]\d{0,15}$/, "plans.validation.invalid").transform(Number);
export const version = z.string().regex(/^[1-9]\d{0,9}$/, "plans.validation.staleForm").transform(Number);
const optionalText = (max: TextLimit) => z.string().trim().max(max, tooLong(max)).default("");
const requiredText = (max: TextLimit) => z.string().trim().min(1, "validation.required").max(max, tooLong(max));

/**
 * The KPI scope picker posts `company`, `region:NAME`, `owner:EMAIL`, `grade:G` (the scopes the
 * ledger has, offered by name) or `customer` with the customer's code in `kpiCustomer`. That the
 * named region, owner, grade or customer exists is checked by the server against the ledger.
 */
const SCOPE_CHOICE = /^(company|customer|(region|owner|grade):\S.*)$/;

/** A stored scope as the picker's two fields. */
export function scopeFormFields(scope: KpiScope | null): { kpiScope: string; kpiCustomer: string } {
  if (scope === null) return { kpiScope: "company", kpiCustomer: "" };
  return scope.type === "customer" ? { kpiScope: "customer", kpiCustomer: scope.code } : { kpiScope: scopeText(scope), kpiCustomer: "" };
}

/** The scope an item's form names, in the words of kpi-scope.ts. */
export function scopeWordsOf(fields: { kpiScope: string; kpiCustomer: string }): string {
  return fields.kpiScope === "customer" ? `customer:${fields.kpiCustomer}` : fields.kpiScope;
}

export const itemFieldsSchema = z
  .object({
    title: requiredText(TITLE_MAX),
    category: z.enum(PLAN_CATEGORIES, { message: "plans.validation.category" }),
    description: optionalText(TEXT_MAX),
    ownerId: z.union([z.literal(""), id], { message: "plans.validation.owner" }).default(""),
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
    kpiScope: z
      .string()
      .trim()
      .max(TITLE_MAX, tooLong(TITLE_MAX))
      .default("company")
      .refine((value) => SCOPE_CHOICE.test(value), "plans.validation.scope"),
    kpiCustomer: z.string().trim().max(TITLE_MAX, tooLong(TITLE_MAX)).default(""),
    kpiTarget: z.string().trim().max(TITLE_MAX, tooLong(TITLE_MAX)).default(""),
    /** Required by the server when the plan is already approved (a recorded plan change). */
    reason: optionalText(COMMENT_MAX),
  })
  .superRefine((value, ctx) => {
    if (value.kpiKey === "" || !isLinkableKpiKey(value.kpiKey)) return;
    if (value.kpiScope === "customer" && value.kpiCustomer === "") {
      ctx.addIssue({ code: "custom", path: ["kpiCustomer"], message: "plans.validation.customerScope" });
    }
    // The server's own parser, in the KPI's unit: 800万 for money, 95 or 95% for a rate.
    if (value.kpiTarget !== "") {
      const definition = kpiDefinition(value.kpiKey);
      const parsed = targetFromInput(definition.unit, value.kpiTarget);
      if (!parsed.ok) ctx.addIssue({ code: "custom", path: ["kpiTarget"], message: parsed.message });
      else if (definition.share && parsed.value > 1) ctx.addIssue({ code: "custom", path: ["kpiTarget"], message: "plans.validation.over100" });
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
    if (match && isOneOf(CLOSE_OUTCOMES, value)) {
      outcomes[Number(match[1])] = value;
    }
  }
  return outcomes;
}
