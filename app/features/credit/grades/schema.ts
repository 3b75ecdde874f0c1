import { z } from "zod";

import {
  COMPARATORS,
  CREDIT_METRICS,
  type Comparator,
  type CreditGrade,
  type CreditMetric,
  type CreditPolicy,
  type CreditRule,
  LIMIT_POLICIES,
  type LimitPolicy,
  MAX_GRADES,
  MAX_RULES,
  METRIC_MAX,
  METRIC_UNIT,
  RULE_ACTIONS,
  type RuleAction,
  gradeOrderProblems,
  ruleConflicts,
} from "~/features/credit/grades/grades";
import { isOneOf, isRecord } from "~/kernel/guards";

/** The credit policy form: messages are i18n keys (`credit.validation.*`) so the form and the action read the same. */

// ---------------------------------------------------------------------------------------------
// The form schema (strings in, numbers out), shared by the page's form and its action.

const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string({ message })
    .trim()
    .refine((text) => /^\d{1,5}$/.test(text) && Number(text) >= min && Number(text) <= max, message)
    .transform(Number);

/** Up to `decimals` decimals, no sign: a minus is refused with `negative`. */
const decimalNumber = (max: number, decimals: number, message: string) =>
  z
    .string({ message })
    .trim()
    .superRefine((text, ctx) => {
      if (/^-/.test(text)) {
        ctx.addIssue({ code: "custom", message: "credit.validation.notNegative" });
        return;
      }
      const pattern = new RegExp(`^\\d{1,5}(\\.\\d{1,${decimals}})?$`);
      if (!pattern.test(text) || Number(text) > max) ctx.addIssue({ code: "custom", message });
    })
    .transform(Number);

const gradeCodeField = z
  .string()
  .trim()
  .regex(/^[A-Z]{1,3}[+-]?$/, "credit.validation.gradeCode");

export const creditGradeFormSchema = z.object({
  code: gradeCodeField,
  paymentTermsDays: wholeNumber(0, 365, "credit.validation.termsDays"),
  graceDays: z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      if (/^-/.test(text)) ctx.addIssue({ code: "custom", message: "credit.validation.notNegative" });
      else if (!/^\d{1,3}$/.test(text) || Number(text) > 365) ctx.addIssue({ code: "custom", message: "credit.validation.graceDays" });
    })
    .transform(Number),
  stopShipmentDays: wholeNumber(1, 730, "credit.validation.stopShipmentDays"),
  reviewMonths: wholeNumber(1, 12, "credit.validation.reviewMonths"),
  limitPolicy: z.enum(LIMIT_POLICIES, { message: "credit.validation.limitPolicy" }),
  limitMonthsOfSales: decimalNumber(24, 1, "credit.validation.limitMonths"),
});

export const creditRuleFormSchema = z
  .object({
    metric: z.enum(CREDIT_METRICS, { message: "credit.validation.metric" }),
    comparator: z.enum(COMPARATORS, { message: "credit.validation.comparator" }),
    threshold: decimalNumber(3650, 2, "credit.validation.threshold"),
    action: z.enum(RULE_ACTIONS, { message: "credit.validation.action" }),
    toGrade: z
      .string()
      .trim()
      .optional()
      .transform((code) => (code ? code : null)),
  })
  .superRefine((rule, ctx) => {
    if (rule.action === "to-grade" && rule.toGrade === null) {
      ctx.addIssue({ code: "custom", path: ["toGrade"], message: "credit.validation.toGradeRequired" });
    }
    // A threshold or metric that failed above is still raw text here.
    if (typeof rule.threshold !== "number" || !(CREDIT_METRICS as readonly unknown[]).includes(rule.metric)) return;
    if (METRIC_UNIT[rule.metric] === "count" && !Number.isInteger(rule.threshold)) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "credit.validation.wholeCount" });
    } else if (rule.threshold > METRIC_MAX[rule.metric]) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "credit.validation.threshold" });
    }
  })
  .transform((rule): CreditRule => ({ ...rule, toGrade: rule.action === "to-grade" ? rule.toGrade : null }));

function isParsedGrade(g: unknown): g is CreditGrade {
  if (!isRecord(g)) return false;
  const numbers = ["paymentTermsDays", "graceDays", "stopShipmentDays", "reviewMonths", "limitMonthsOfSales"];
  return (
    numbers.every((field) => typeof g[field] === "number") &&
    typeof g.code === "string" &&
    /^[A-Z]{1,3}[+-]?$/.test(g.code) &&
    isOneOf(LIMIT_POLICIES, g.limitPolicy)
  );
}

function isParsedRule(r: unknown): r is CreditRule {
  if (!isRecord(r)) return false;
  const { metric, threshold } = r;
  return (
    typeof threshold === "number" &&
    isOneOf(CREDIT_METRICS, metric) &&
    threshold <= METRIC_MAX[metric] &&
    (METRIC_UNIT[metric] !== "count" || Number.isInteger(threshold)) &&
    isOneOf(COMPARATORS, r.comparator) &&
    isOneOf(RULE_ACTIONS, r.action)
  );
}

export const creditPolicyFormSchema = z
  .object({
    intent: z.literal("save-policy"),
    // The version of the policy the form showed (policyVersion).
    basedOn: z.string({ message: "credit.validation.staleForm" }).regex(/^[0-9a-f]{16}$/, "credit.validation.staleForm"),
    grades: z.array(creditGradeFormSchema).min(2, "credit.validation.tooFewGrades").max(MAX_GRADES, "credit.validation.tooManyGrades"),
    rules: z.array(creditRuleFormSchema).max(MAX_RULES, "credit.validation.tooManyRules").default([]),
  })
  .superRefine((policy, ctx) => {
    // Zod runs this even when a field above failed (that value is then still the raw text):
    // cross-field checks only look at parts whose every field parsed.
    const gradesParsed = policy.grades.every(isParsedGrade);
    const rulesParsed = policy.rules.every(isParsedRule);
    if (gradesParsed) {
      const seen = new Set<string>();
      policy.grades.forEach((grade, index) => {
        if (seen.has(grade.code)) ctx.addIssue({ code: "custom", path: ["grades", index, "code"], message: "credit.validation.duplicateGrade" });
        seen.add(grade.code);
        if (grade.stopShipmentDays <= grade.graceDays) {
          ctx.addIssue({ code: "custom", path: ["grades", index, "stopShipmentDays"], message: "credit.validation.stopBeforeGrace" });
        }
      });
      for (const { index, field } of gradeOrderProblems(policy.grades)) {
        ctx.addIssue({ code: "custom", path: ["grades", index, field], message: "credit.validation.gradeOrder" });
      }
    }
    // The rules need only the grade codes, so a bad grace day does not hide a contradiction.
    if (rulesParsed) {
      const codes = policy.grades.map((grade) => (typeof grade.code === "string" ? grade.code : ""));
      for (const { index, message } of ruleConflicts(policy.rules, codes)) {
        const field = message === "credit.validation.unknownGrade" ? "toGrade" : "threshold";
        ctx.addIssue({ code: "custom", path: ["rules", index, field], message });
      }
    }
  })
  .transform(({ grades, rules, basedOn }): CreditPolicy & { basedOn: string } => ({ grades, rules, basedOn }));

export type CreditPolicyFormInput = z.input<typeof creditPolicyFormSchema>;

/** The form's text values for a policy (what the page puts in the inputs). */
export function policyToFormValues(policy: CreditPolicy, basedOn: string): CreditPolicyFormInput {
  return {
    intent: "save-policy",
    basedOn,
    grades: policy.grades.map((grade) => ({
      code: grade.code,
      paymentTermsDays: String(grade.paymentTermsDays),
      graceDays: String(grade.graceDays),
      stopShipmentDays: String(grade.stopShipmentDays),
      reviewMonths: String(grade.reviewMonths),
      limitPolicy: grade.limitPolicy,
      limitMonthsOfSales: String(grade.limitMonthsOfSales),
    })),
    rules: policy.rules.map((rule) => ({
      metric: rule.metric,
      comparator: rule.comparator,
      threshold: String(rule.threshold),
      action: rule.action,
      toGrade: rule.toGrade ?? "",
    })),
  };
}

/**
 * The text a refused post carried, in the form's shape, so the page shows what was typed (not
 * the stored policy) beside the errors. Anything missing or not text becomes "".
 */
export function formValuesFromPost(raw: Record<string, unknown>): CreditPolicyFormInput {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const rows = (value: unknown) => (Array.isArray(value) ? value : []).map((row) => (isRecord(row) ? row : {}));
  return {
    intent: "save-policy",
    basedOn: text(raw.basedOn),
    grades: rows(raw.grades)
      .slice(0, MAX_GRADES)
      .map((grade) => ({
        code: text(grade.code),
        paymentTermsDays: text(grade.paymentTermsDays),
        graceDays: text(grade.graceDays),
        stopShipmentDays: text(grade.stopShipmentDays),
        reviewMonths: text(grade.reviewMonths),
        // What was posted, shown back as typed even when it is no policy: the schema refused it already.
        limitPolicy: text(grade.limitPolicy) as LimitPolicy,
        limitMonthsOfSales: text(grade.limitMonthsOfSales),
      })),
    rules: rows(raw.rules)
      .slice(0, MAX_RULES)
      .map((rule) => ({
        // As posted, shown back beside the errors even when not one of the choices (the schema refused those).
        metric: text(rule.metric) as CreditMetric,
        // As posted (see metric).
        comparator: text(rule.comparator) as Comparator,
        threshold: text(rule.threshold),
        // As posted (see metric).
        action: text(rule.action) as RuleAction,
        toGrade: text(rule.toGrade),
      })),
  };
}
