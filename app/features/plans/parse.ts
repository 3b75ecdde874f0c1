import type { z } from "zod";

import { AppError, type FieldErrors } from "~/kernel/app-error";

/** A form's values parsed with its schema, or the 400 refusal with the messages at the fields. */
export function parseOrRefuse<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(values);
  // zod types a generic schema's data loosely; a successful parse of S is z.output<S>
  if (result.success) return result.data as z.output<S>;
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  throw AppError.invalid(fieldErrors, "plans.error.checkFields");
}
