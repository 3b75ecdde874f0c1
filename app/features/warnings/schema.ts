import { z } from "zod";

import { PARAM_BOUNDS, type RuleParams, SEVERITIES, WARNING_KINDS, type WarningKind, type WarningRule } from "~/features/warnings/rules";
import { minorToMajorString, parseAmount } from "~/kernel/money";

/**
 * The warning rules form and the acknowledge / resolve form, shared by the pages and their
 * actions (messages are i18n keys, `warnings.validation.*`). The stored parameters are read
 * through `storedParamsSchema` too, so a hand-edited row cannot reach the evaluation.
 */

const wholeNumber = (min: number, max: number) =>
  z
    .string({ message: "warnings.validation.number" })
    .trim()
    .refine((text) => /^\d{1,6}$/.test(text) && Number(text) >= min && Number(text) <= max, "warnings.validation.range")
    .transform(Number);

const moneyField = z
  .string({ message: "warnings.validation.amount" })
  .trim()
  .transform((text, ctx) => {
    const parsed = parseAmount(text);
    if (!parsed.ok || parsed.minor < 0 || parsed.minor > PARAM_BOUNDS.invoice_61_90.amount.max) {
      ctx.addIssue({ code: "custom", message: "warnings.validation.amount" });
      return z.NEVER;
    }
    return parsed.minor;
  });

// A ticked box posts "on" (react-hook-form gives true); an unticked one posts nothing (false).
const flag = z
  .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("")])
  .optional()
  .transform((value) => value === true || value === "on" || value === "true");

const severity = z.enum(SEVERITIES, { message: "warnings.validation.severity" });

const b = PARAM_BOUNDS;
const ruleForms = {
  days_late_rising: z.object({
    severity,
    enabled: flag,
    months: wholeNumber(b.days_late_rising.months.min, b.days_late_rising.months.max),
    minDays: wholeNumber(b.days_late_rising.minDays.min, b.days_late_rising.minDays.max),
  }),
  broken_promise: z.object({ severity, enabled: flag, withinDays: wholeNumber(b.broken_promise.withinDays.min, b.broken_promise.withinDays.max) }),
  over_limit: z.object({ severity, enabled: flag, percent: wholeNumber(b.over_limit.percent.min, b.over_limit.percent.max) }),
  invoice_61_90: z.object({ severity, enabled: flag, amount: moneyField }),
  owner_overdue_growing: z.object({
    severity,
    enabled: flag,
    months: wholeNumber(b.owner_overdue_growing.months.min, b.owner_overdue_growing.months.max),
    minGrowthPercent: wholeNumber(b.owner_overdue_growing.minGrowthPercent.min, b.owner_overdue_growing.minGrowthPercent.max),
  }),
  forecast_misses_target: z.object({
    severity,
    enabled: flag,
    tolerancePercent: wholeNumber(b.forecast_misses_target.tolerancePercent.min, b.forecast_misses_target.tolerancePercent.max),
  }),
} satisfies Record<WarningKind, z.ZodTypeAny>;

/** The whole rules form: one block per kind, and the version of the rules the form showed. */
export const warningRulesFormSchema = z
  .object({
    intent: z.literal("save-rules"),
    basedOn: z.string({ message: "warnings.validation.staleForm" }).regex(/^[0-9a-f]{16}$/, "warnings.validation.staleForm"),
    rules: z.object(ruleForms, { message: "warnings.validation.missingRules" }),
  })
  .transform(({ basedOn, rules }) => ({
    basedOn,
    rules: WARNING_KINDS.map((kind): WarningRule => {
      const { severity, enabled, ...params } = rules[kind];
      // each block's fields other than severity and enabled are that kind's parameters
      return { kind, severity, enabled, params } as WarningRule;
    }),
  }));

export type WarningRulesFormInput = z.input<typeof warningRulesFormSchema>;

const storedNumber = (min: number, max: number) => z.number().int().min(min).max(max);

/** The stored parameters of each kind (JSON in `warning_rules.params`). */
export const storedParamsSchema = {
  days_late_rising: z.object({
    months: storedNumber(b.days_late_rising.months.min, b.days_late_rising.months.max),
    minDays: storedNumber(b.days_late_rising.minDays.min, b.days_late_rising.minDays.max),
  }),
  broken_promise: z.object({ withinDays: storedNumber(b.broken_promise.withinDays.min, b.broken_promise.withinDays.max) }),
  over_limit: z.object({ percent: storedNumber(b.over_limit.percent.min, b.over_limit.percent.max) }),
  invoice_61_90: z.object({ amount: storedNumber(b.invoice_61_90.amount.min, b.invoice_61_90.amount.max) }),
  owner_overdue_growing: z.object({
    months: storedNumber(b.owner_overdue_growing.months.min, b.owner_overdue_growing.months.max),
    minGrowthPercent: storedNumber(b.owner_overdue_growing.minGrowthPercent.min, b.owner_overdue_growing.minGrowthPercent.max),
  }),
  forecast_misses_target: z.object({ tolerancePercent: storedNumber(b.forecast_misses_target.tolerancePercent.min, b.forecast_misses_target.tolerancePercent.max) }),
} satisfies { [K in WarningKind]: z.ZodType<RuleParams[K]> };

/** A stored rule row as a rule, or null when its kind or parameters are not ones this code knows. */
export function ruleFromStored(row: { kind: string; params: string; severity: string; enabled: number }): WarningRule | null {
  const kind = WARNING_KINDS.find((k) => k === row.kind);
  const level = SEVERITIES.find((s) => s === row.severity);
  if (!kind || !level) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(row.params);
  } catch {
    return null;
  }
  const parsed = storedParamsSchema[kind].safeParse(raw);
  // the parameters were parsed with this kind's own schema
  return parsed.success ? ({ kind, severity: level, enabled: row.enabled === 1, params: parsed.data } as WarningRule) : null;
}

/** The form's values for the stored rules (amounts in major units, as typed). */
export function rulesToFormValues(rules: readonly WarningRule[], basedOn: string): WarningRulesFormInput {
  const blocks: Record<string, Record<string, string | boolean>> = {};
  for (const rule of rules) {
    const block: Record<string, string | boolean> = { severity: rule.severity, enabled: rule.enabled };
    for (const [name, value] of Object.entries(rule.params)) {
      block[name] = rule.kind === "invoice_61_90" && name === "amount" ? minorToMajorString(value) : String(value);
    }
    blocks[rule.kind] = block;
  }
  // one block per stored rule, each with its kind's fields: the form's shape
  return { intent: "save-rules", basedOn, rules: blocks as WarningRulesFormInput["rules"] };
}

/** Acknowledge or resolve one warning with a note, naming the version the page showed. */
export const warningActionSchema = z.object({
  intent: z.enum(["acknowledge", "resolve"], { message: "warnings.validation.intent" }),
  id: z.string({ message: "warnings.validation.stale" }).regex(/^\d{1,12}$/, "warnings.validation.stale").transform(Number),
  version: z.string({ message: "warnings.validation.stale" }).regex(/^\d{1,9}$/, "warnings.validation.stale").transform(Number),
  note: z
    .string({ message: "warnings.validation.noteRequired" })
    .trim()
    .min(1, "warnings.validation.noteRequired")
    .max(1000, "warnings.validation.noteTooLong"),
});

export type WarningActionInput = z.input<typeof warningActionSchema>;
