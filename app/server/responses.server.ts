import { data } from "@remix-run/node";

import { type Locale, createI18n } from "~/i18n";
import { AppError, type FieldErrors } from "~/kernel/app-error";

export type { FieldErrors } from "~/kernel/app-error";

/**
 * Where refusals become HTTP: the one answer shape for a refused form post, the one way a
 * loader says 403 or 404, route ids parsed in one place, and form bodies read without a 500 for
 * what a client sent. Nothing below `routes/` builds a Response except this module.
 */

export type FormValues = Record<string, string>;

/** What a refused post answers, whatever the feature: forms read this and nothing else. */
export interface Refusal<Current = unknown> {
  ok: false;
  code: AppError["code"];
  /** Which of the page's forms was posted (its `intent` field), so only that one shows the errors. */
  intent: string | null;
  /** An i18n key saying why. */
  message: string | null;
  params: Record<string, string | number>;
  fieldErrors: FieldErrors;
  /** What was posted, so the form shows it again instead of losing the person's typing. */
  submitted: FormValues;
  /** On 409: the thing as it is stored now (the other person's save). */
  current: Current | null;
  subjectId: number | null;
}

/**
 * What a form post answers when it is done, whatever the feature: which form was posted, the
 * record it was about (a page with a form per row says it beside that row) and an i18n key
 * saying what happened. Beside `Refusal`, so a form reads one `Answer` either way.
 */
export interface Done {
  ok: true;
  intent: string | null;
  message: string;
  subjectId: number | null;
}

/** A form post's answer: done, or refused (a 409's `current` typed by the page). */
export type Answer<Current = unknown> = Done | Refusal<Current>;

/** Fields never sent back to the page: a refusal's answer ends up in the HTML. */
const SECRET_FIELD = /password|secret|token|recovery|^otp|^code$/i;

export function formValues(formData: FormData | null): FormValues {
  const values: FormValues = {};
  if (!formData) return values;
  for (const [key, value] of formData) {
    if (typeof value === "string" && !(key in values) && !SECRET_FIELD.test(key)) values[key] = value;
  }
  return values;
}

/** The headers a refusal carries whatever it answers with: how long a 429 or a 503 should wait. */
export function refusalHeaders(error: AppError): Headers {
  const headers = new Headers();
  const seconds = error.detail.params?.seconds;
  if ((error.code === "too_many" || error.code === "busy") && typeof seconds === "number") {
    headers.set("Retry-After", String(Math.max(1, Math.ceil(seconds))));
  }
  return headers;
}

/**
 * The refusal as the action's answer: 400/409/429 and the like come back to the form. `headers`
 * are sent too (a cookie the refusal ends, for instance).
 */
export function refusal<Current = unknown>(
  error: AppError,
  formData: FormData | null = null,
  intent: string | null = null,
  headers: HeadersInit = {},
) {
  const body: Refusal<Current> = {
    ok: false,
    code: error.code,
    intent,
    message: error.messageKey,
    params: error.detail.params ?? {},
    fieldErrors: error.fieldErrors,
    submitted: formValues(formData),
    // the caller names the type of the current record its AppError carries
    current: (error.current ?? null) as Current | null,
    subjectId: error.detail.subjectId ?? null,
  };
  const answerHeaders = refusalHeaders(error);
  for (const [name, value] of new Headers(headers)) answerHeaders.append(name, value);
  return data(body, { status: error.status, headers: answerHeaders });
}

/**
 * Runs a use case for an action: an AppError becomes the refusal (403 and 404 go to the error
 * boundary as pages, the rest back to the form); anything else is a bug and is rethrown.
 */
export async function attempt<T, Current = unknown>(
  run: () => Promise<T>,
  formData: FormData | null = null,
  intent: string | null = null,
): Promise<T | ReturnType<typeof refusal<Current>>> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.status === 403 || error.status === 404) throw errorPage(error);
    return refusal<Current>(error, formData, intent);
  }
}

/** An AppError as an error page Response (for loaders: 403, 404, 503). */
export function errorPage(error: AppError): Response {
  const headers = refusalHeaders(error);
  headers.set("Content-Type", "text/plain; charset=utf-8");
  return new Response(error.messageKey, { status: error.status, headers });
}

/** For loaders: the value, or the error boundary's page when the use case refuses. */
export async function orErrorPage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) throw errorPage(error);
    throw error;
  }
}

/**
 * For downloads (resource routes: the exports), which have no error boundary to put the key into
 * words: the refusal as plain text in the reader's language, its values filled in, with the error
 * page's status and headers. A browser following an export link shows it as it is.
 */
export function downloadRefusal(error: AppError, locale: Locale): Response {
  const headers = refusalHeaders(error);
  headers.set("Content-Type", "text/plain; charset=utf-8");
  const { t } = createI18n(locale);
  return new Response(t(error.messageKey, error.detail.params ?? {}), { status: error.status, headers });
}

/** For downloads: the file, or the refusal in words (`downloadRefusal`) when the use case refuses. */
export async function orDownloadRefusal<T>(locale: Locale, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) throw downloadRefusal(error, locale);
    throw error;
  }
}

export function notFound(): Response {
  return errorPage(AppError.notFound());
}

export function forbidden(): Response {
  return errorPage(AppError.forbidden());
}

const ID = /^[1-9]\d{0,15}$/;

/** A route id (`:planId`, `:itemId`, …): a plain positive integer, or the 404 page. */
export function idParam(params: Record<string, string | undefined>, name: string): number {
  try {
    return idValue(params, name);
  } catch (error) {
    if (error instanceof AppError) throw errorPage(error);
    throw error;
  }
}

/** The same, as an AppError: for work already inside `orErrorPage` or `orDownloadRefusal`. */
export function idValue(params: Record<string, string | undefined>, name: string): number {
  const value = params[name];
  const id = value && ID.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id)) throw AppError.notFound();
  return id;
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
