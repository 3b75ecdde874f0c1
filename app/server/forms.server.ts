import { data } from "@remix-run/node";
import type { z } from "zod";

export type FieldErrors = Record<string, string[] | undefined>;

/** Parses a form post with the form's shared schema; on failure a 400 with field messages (i18n keys). */
export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<{ ok: true; value: z.output<S>; formData: FormData } | { ok: false; response: ReturnType<typeof badRequest> }> {
  return parseFormData(await readFormData(request), schema);
}

/**
 * The request's form, or a 400 a person can act on when the body cannot be read as one (a broken
 * multipart body, a truncated upload): never a 500 for what the client sent.
 */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("The form could not be read. Go back to the page and send it again.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

export function parseFormData<S extends z.ZodType>(formData: FormData, schema: S) {
  const fields: Record<string, FormDataEntryValue> = {};
  for (const [key, value] of formData) fields[key] = value;
  const result = schema.safeParse(fields);
  if (result.success) return { ok: true as const, value: result.data as z.output<S>, formData };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false as const, response: badRequest(fieldErrors) };
}

export function badRequest(fieldErrors: FieldErrors, message?: string) {
  return data({ ok: false as const, fieldErrors, message: message ?? null }, { status: 400 });
}
