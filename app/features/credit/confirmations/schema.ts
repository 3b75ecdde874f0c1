import { z } from "zod";

import {
  CONFIRMATION_CHANNELS,
  CONFIRMATION_RESULTS,
  type ReturnStep,
  type ResolveStep,
  type SendStep,
  confirmationProblems,
} from "~/features/credit/confirmations/confirmations";
import { isValidIsoDate } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { parseAmount } from "~/kernel/money";

/** The balance confirmation forms; messages are i18n keys (`confirmations.validation.*`). */

const optionalDate = z
  .string()
  .trim()
  .default("")
  .refine((text) => text === "" || isValidIsoDate(text), "confirmations.validation.date")
  .transform((text) => (text === "" ? null : text));

/** The per-customer confirmation form; money comes as minor units from the caller's parser. */
export const confirmationFormSchema = z
  .object({
    intent: z.literal("update-confirmation"),
    sentOn: optionalDate,
    channel: z
      .union([z.literal(""), z.enum(CONFIRMATION_CHANNELS, { message: "confirmations.validation.channel" })])
      .default("")
      .transform((value) => (value === "" ? null : value)),
    returnedOn: optionalDate,
    result: z
      .union([z.literal(""), z.enum(CONFIRMATION_RESULTS, { message: "confirmations.validation.result" })])
      .default("")
      .transform((value) => (value === "" ? null : value)),
    difference: z
      .string()
      .trim()
      .default("0")
      .refine((text) => /^-?\d{1,13}$/.test(text || "0"), "confirmations.validation.difference")
      .transform((text) => Number(text || "0")),
    note: z.string().trim().max(1000, "confirmations.validation.noteTooLong").default(""),
    resolvedOn: optionalDate,
  })
  .superRefine((value, ctx) => {
    for (const problem of confirmationProblems(value)) {
      ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
    }
  });

/**
 * The batch pages record a confirmation in steps, each its own small form (see
 * `applyConfirmationStep`).
 */
const MAX_NOTE = 1000;

const requiredDate = z
  .string({ message: "confirmations.validation.date" })
  .trim()
  .refine((text) => isValidIsoDate(text), "confirmations.validation.date");

const rowId = z.coerce.number({ message: "confirmations.validation.row" }).int().positive("confirmations.validation.row");

export const sendStepSchema = z.object({
  intent: z.literal("send"),
  rowId,
  sentOn: requiredDate,
  channel: z.enum(CONFIRMATION_CHANNELS, { message: "confirmations.validation.channel" }),
});

export const returnStepSchema = z
  .object({
    intent: z.literal("return"),
    rowId,
    returnedOn: optionalDate,
    result: z.enum(CONFIRMATION_RESULTS, { message: "confirmations.validation.result" }),
    /** the balance the customer confirmed, as typed (major units) */
    confirmedBalance: z.string().trim().default(""),
    /** or the difference directly: the customer's balance minus ours, as typed */
    difference: z.string().trim().default(""),
    note: z.string().trim().max(MAX_NOTE, "confirmations.validation.noteTooLong").default(""),
  })
  .superRefine((value, ctx) => {
    for (const field of ["confirmedBalance", "difference"] as const) {
      if (value[field] !== "" && !parseAmount(value[field]).ok) {
        ctx.addIssue({ code: "custom", path: [field], message: "confirmations.validation.amount" });
      }
    }
    if (value.result !== "mismatched" && (value.confirmedBalance !== "" || value.difference !== "")) {
      ctx.addIssue({ code: "custom", path: ["difference"], message: "confirmations.validation.differenceOnlyMismatch" });
    }
    if (value.result === "mismatched" && value.confirmedBalance === "" && value.difference === "") {
      ctx.addIssue({ code: "custom", path: ["confirmedBalance"], message: "confirmations.validation.balanceOrDifference" });
    }
    if (value.result === "mismatched" && value.note === "") {
      ctx.addIssue({ code: "custom", path: ["note"], message: "confirmations.validation.noteRequired" });
    }
    if (value.result !== "not_returned" && value.returnedOn === null) {
      ctx.addIssue({ code: "custom", path: ["returnedOn"], message: "confirmations.validation.returnedRequired" });
    }
    if (value.result === "not_returned" && value.returnedOn !== null) {
      ctx.addIssue({ code: "custom", path: ["returnedOn"], message: "confirmations.validation.returnedButNotReturned" });
    }
  });

export const resolveStepSchema = z.object({
  intent: z.literal("resolve"),
  rowId,
  resolvedOn: requiredDate,
  resolutionNote: z
    .string()
    .trim()
    .min(1, "confirmations.validation.resolutionNoteRequired")
    .max(MAX_NOTE, "confirmations.validation.noteTooLong"),
});

export const bulkSendSchema = z.object({
  intent: z.literal("bulk-send"),
  sentOn: requiredDate,
  channel: z.enum(CONFIRMATION_CHANNELS, { message: "confirmations.validation.channel" }),
  /** the ticked rows, or every row matching the page's filters */
  apply: z.enum(["selected", "filtered"], { message: "confirmations.validation.apply" }),
});

/**
 * The head's "new batch" form, for the day it is filled in: the period end must be a real date and
 * not after today, each said at the field, so every field's problem shows at once (on the client,
 * which gets today from the loader, and in the action alike).
 */
export function createBatchSchema(today: IsoDate) {
  return z.object({
    intent: z.literal("create-batch"),
    name: z.string().trim().min(1, "confirmations.validation.nameRequired").max(200, "confirmations.validation.nameTooLong"),
    periodEnd: requiredDate.refine((text) => !isValidIsoDate(text) || text <= today, "confirmations.validation.periodEndFuture"),
    region: z.string().trim().default(""),
    owner: z
      .string()
      .trim()
      .default("")
      .refine((text) => text === "" || text === "none" || /^\d{1,9}$/.test(text), "confirmations.validation.owner"),
  });
}

/** The pure rule's step types are exactly what these schemas produce (checked by the compiler). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const STEP_TYPES_MATCH: [Same<z.output<typeof sendStepSchema>, SendStep>, Same<z.output<typeof returnStepSchema>, ReturnStep>, Same<z.output<typeof resolveStepSchema>, ResolveStep>] = [true, true, true];
