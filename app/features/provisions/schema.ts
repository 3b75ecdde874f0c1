import { z } from "zod";

import type { FieldErrors } from "~/kernel/app-error";
import { addMonths, isValidIsoDate } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { parseAmount } from "~/kernel/money";
import { percentToPpm } from "~/features/provisions/request";
import { PROMISE_MONTHS_AHEAD } from "~/features/credit/collection-actions";

/**
 * The provision forms (shared by the page's forms and their actions); messages are i18n keys
 * (`provisions.form.*`). Strings in, minor units / parts per million out.
 */

const date = z.string().trim().refine(isValidIsoDate, "provisions.form.date");
const version = z.string().trim().regex(/^\d{1,9}$/, "provisions.form.stale").transform(Number);

const dayList = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const parts = text === "" ? [] : text.split(",").map((part) => part.trim());
    const days = parts.map(Number);
    if (parts.some((part) => !/^\d{1,5}$/.test(part)) || days.some((d, i) => d < 1 || (i > 0 && d <= (days[i - 1] ?? 0)))) {
      ctx.addIssue({ code: "custom", message: "provisions.ladder.badBands" });
      return z.NEVER;
    }
    return days;
  });

const percentList = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const rates = text.split(",").map((part) => percentToPpm(part));
    if (rates.some((rate) => rate === null)) {
      ctx.addIssue({ code: "custom", message: "provisions.ladder.badRate" });
      return z.NEVER;
    }
    return rates.map(Number);
  });

export const rateTableFormSchema = z
  .object({
    intent: z.literal("rate-table"),
    effectiveFrom: date,
    basis: z.enum(["issue", "due"], { message: "provisions.form.basis" }),
    bands: dayList,
    rates: percentList,
    note: z.string().trim().max(500, "provisions.form.tooLong"),
    /** 0 for a new effective date; else the version the form was based on */
    version,
  })
  .superRefine((form, ctx) => {
    if (form.rates.length !== form.bands.length + 1) ctx.addIssue({ code: "custom", path: ["rates"], message: "provisions.ladder.rateCount" });
  });
export type RateTableForm = z.infer<typeof rateTableFormSchema>;

export const PROVISION_REASONS = ["lawyer_letter", "litigation", "bankruptcy", "other"] as const;

export const specificFormSchema = z
  .object({
    intent: z.literal("specific"),
    /** "" for a new one */
    id: z.string().trim().regex(/^\d{0,9}$/, "provisions.form.stale"),
    customerCode: z.string().trim().min(1, "provisions.form.customer").max(100, "provisions.form.customer"),
    effectiveFrom: date,
    kind: z.enum(["percent", "amount"], { message: "provisions.form.kind" }),
    value: z.string().trim().min(1, "provisions.form.value"),
    reason: z.enum(PROVISION_REASONS, { message: "provisions.form.reason" }),
    evidence: z.string().trim().min(3, "provisions.form.evidence").max(2000, "provisions.form.tooLong"),
    actionIds: z.array(z.string().regex(/^\d{1,9}$/, "provisions.form.action").transform(Number)).max(50).default([]),
    version,
  })
  .transform((form, ctx) => {
    let value: number | null;
    if (form.kind === "percent") value = percentToPpm(form.value);
    else {
      const parsed = parseAmount(form.value);
      value = parsed.ok && parsed.minor >= 0 ? parsed.minor : null;
    }
    if (value === null) {
      ctx.addIssue({ code: "custom", path: ["value"], message: form.kind === "percent" ? "provisions.ladder.badRate" : "provisions.form.value" });
      return z.NEVER;
    }
    return { ...form, value };
  });
export type SpecificForm = z.infer<typeof specificFormSchema>;

/**
 * How far ahead a named-customer provision may start: as far as a promise to pay may fall; a year
 * like 2999 is a typo.
 */
export const SPECIFIC_MONTHS_AHEAD = PROMISE_MONTHS_AHEAD;

export interface SpecificLimits {
  /** the ledger's first document date (today when the ledger is empty): nothing to provide for before it */
  earliest: IsoDate;
  latest: IsoDate;
  /** the customer's gross balance, minor units: at the effective date or today, the larger */
  balance: number;
}

export function specificLimits(today: IsoDate, firstDocumentDate: IsoDate | null, balance: number): SpecificLimits {
  const earliest = firstDocumentDate !== null && firstDocumentDate < today ? firstDocumentDate : today;
  return { earliest, latest: addMonths(today, SPECIFIC_MONTHS_AHEAD), balance };
}

/**
 * What a checked named-customer form may still not say: an effective date before the ledger or
 * over a year ahead, an amount above what the customer owes (the provision would be capped at the
 * balance anyway, so such an amount is a typo). Percentages are 0–100 by the schema.
 */
export function specificProblems(form: Pick<SpecificForm, "effectiveFrom" | "kind" | "value">, limits: SpecificLimits): FieldErrors {
  const errors: FieldErrors = {};
  if (form.effectiveFrom < limits.earliest) errors.effectiveFrom = ["provisions.form.effectiveTooEarly"];
  else if (form.effectiveFrom > limits.latest) errors.effectiveFrom = ["provisions.form.effectiveTooLate"];
  if (form.kind === "amount" && form.value > Math.max(0, limits.balance)) errors.value = ["provisions.form.amountAboveBalance"];
  return errors;
}

export const endSpecificFormSchema = z.object({
  intent: z.literal("end-specific"),
  id: z.string().trim().regex(/^\d{1,9}$/, "provisions.form.stale").transform(Number),
  endedOn: date,
  version,
});

export const adjustmentFormSchema = z.object({
  intent: z.literal("propose-adjustment"),
  effectiveFrom: date,
  /** a signed percentage: "10" raises every loss rate by 10 %, "-5" lowers it */
  percent: z
    .string()
    .trim()
    .transform((text, ctx) => {
      const negative = text.startsWith("-");
      const ppm = percentToPpm(negative ? text.slice(1) : text);
      if (ppm === null) {
        // not a number at all ("abc", "10%%"): say so, not that it is too low
        ctx.addIssue({ code: "custom", message: "provisions.matrix.adjustmentNumber" });
        return z.NEVER;
      }
      if (negative && ppm >= 1_000_000) {
        ctx.addIssue({ code: "custom", message: "provisions.matrix.badAdjustment" });
        return z.NEVER;
      }
      return negative ? -ppm : ppm;
    }),
  reason: z.string().trim().min(3, "provisions.form.reasonText").max(2000, "provisions.form.tooLong"),
});

export const approveAdjustmentFormSchema = z.object({
  intent: z.literal("approve-adjustment"),
  id: z.string().trim().regex(/^\d{1,9}$/, "provisions.form.stale").transform(Number),
  version,
});

export const draftRunFormSchema = z.object({
  intent: z.literal("draft-run"),
  periodEnd: date,
  kind: z.enum(["month", "quarter", "year"], { message: "provisions.runs.kind" }),
  version,
});

export const approveRunFormSchema = z.object({
  intent: z.literal("approve-run"),
  id: z.string().trim().regex(/^\d{1,9}$/, "provisions.form.stale").transform(Number),
  version,
  // the checkbox: present ("on") only when ticked
  seen: z.literal("on").optional(),
});
