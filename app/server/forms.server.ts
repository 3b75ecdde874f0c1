import type { z } from "zod";

import { AppError, type FieldErrors } from "~/kernel/app-error";
import { readFormData, refusal } from "./responses.server";

export type { FieldErrors } from "~/kernel/app-error";

/** Parses a form post with the form's shared schema; on failure a 400 with field messages (i18n keys). */
export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<{ ok: true; value: z.output<S>; formData: FormData } | { ok: false; response: ReturnType<typeof badRequest> }> {
  return parseFormData(await readFormData(request), schema);
}

export { readFormData } from "./responses.server";

export function parseFormData<S extends z.ZodType>(formData: FormData, schema: S) {
  const fields: Record<string, FormDataEntryValue> = {};
  for (const [key, value] of formData) fields[key] = value;
  const result = schema.safeParse(fields);
  // zod types a generic schema's data loosely; a successful parse of S is z.output<S>
  if (result.success) return { ok: true as const, value: result.data as z.output<S>, formData };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const intent = formData.get("intent");
  return { ok: false as const, response: badRequest(fieldErrors, undefined, formData, typeof intent === "string" ? intent : null) };
}

/** A form that failed its schema: the one refusal shape, with what was posted, so the form keeps the typing. */
export function badRequest(fieldErrors: FieldErrors, message?: string, formData: FormData | null = null, intent: string | null = null) {
  const error = new AppError("invalid", message ?? "errors.checkFields", { fieldErrors });
  const answer = refusal(error, formData, intent);
  // Without a message of its own, the fields speak for themselves (as forms have shown it so far).
  if (message === undefined) answer.data.message = null;
  return answer;
}
