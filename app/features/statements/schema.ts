import { z } from "zod";

import { isValidIsoDate } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";

/**
 * The statement link's query: `asOf` (a date, not after today), `format` (pdf or xlsx) and `lang`
 * (the statement's language; the user's when left out). Messages are i18n keys.
 */
export function statementQuerySchema(today: IsoDate) {
  return z.object({
    asOf: z
      .string()
      .refine((value): value is IsoDate => isValidIsoDate(value) && value <= today, "statements.validation.asOf"),
    format: z.enum(["pdf", "xlsx"], { message: "statements.validation.format" }),
    lang: z.enum(["en", "zh-CN"], { message: "statements.validation.lang" }),
  });
}

export type StatementQuery = { asOf: IsoDate; format: "pdf" | "xlsx"; lang: "en" | "zh-CN" };

/** The customer's contact e-mail (where its letters are e-mailed): an address, or empty to remove it. */
export const contactEmailSchema = z.object({
  intent: z.literal("contact-email"),
  email: z
    .string()
    .trim()
    .max(254, "statements.contact.invalid")
    .refine((value) => value === "" || /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(value), "statements.contact.invalid")
    .transform((value) => (value === "" ? null : value)),
});

/** E-mailing the statement: the same date and language as the download. */
export function statementMailSchema(today: IsoDate) {
  return z.object({ intent: z.literal("email") }).and(statementQuerySchema(today).omit({ format: true }));
}
