/**
 * The one refusal type. A use case throws an AppError when it will not do what was asked (the
 * person may not, the thing does not exist, someone else changed it first, the input is wrong);
 * `server/responses.server.ts` turns it into the one answer shape, so every form and every
 * error page reads refusals the same way. Pure: rules may throw it too.
 */

export type FieldErrors = Record<string, string[] | undefined>;

export const APP_ERROR_CODES = {
  invalid: 400,
  /** No credentials, or ones that are not (any longer) good: the JSON API's 401. */
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  /** A method the endpoint does not answer (the JSON API is read-only). */
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  /** Too many attempts: `params.seconds` says how long to wait (sent as Retry-After too). */
  too_many: 429,
  busy: 503,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;
export type AppErrorStatus = (typeof APP_ERROR_CODES)[AppErrorCode];

export interface AppErrorDetail {
  /** Messages at the form's fields (i18n keys); `form` holds what belongs to no one field. */
  fieldErrors?: FieldErrors;
  /** On a conflict: the thing as it is stored now, the other person's save. */
  current?: unknown;
  /** Values for the message's placeholders. */
  params?: Record<string, string | number>;
  /** The record the refusal is about, when a page shows several forms (an item, a row). */
  subjectId?: number | null;
}

export class AppError extends Error {
  readonly status: AppErrorStatus;

  constructor(
    readonly code: AppErrorCode,
    /** An i18n key saying why, in the person's own words. */
    readonly messageKey: string,
    readonly detail: AppErrorDetail = {},
  ) {
    super(messageKey);
    this.name = "AppError";
    this.status = APP_ERROR_CODES[code];
  }

  get fieldErrors(): FieldErrors {
    return this.detail.fieldErrors ?? {};
  }

  get current(): unknown {
    return this.detail.current ?? null;
  }

  static invalid(fieldErrors: FieldErrors, messageKey = "errors.checkFields"): AppError {
    return new AppError("invalid", messageKey, { fieldErrors });
  }

  /** One field is wrong: the message shows at that field. */
  static field(field: string, messageKey: string): AppError {
    return new AppError("invalid", messageKey, { fieldErrors: { [field]: [messageKey] } });
  }

  static forbidden(messageKey = "errors.forbidden"): AppError {
    return new AppError("forbidden", messageKey);
  }

  static notFound(messageKey = "errors.notFound"): AppError {
    return new AppError("not_found", messageKey);
  }

  /** Wait before trying again (sign-in back-off). */
  static tooMany(messageKey: string, seconds: number): AppError {
    return new AppError("too_many", messageKey, { params: { seconds } });
  }

  static conflict(messageKey: string, current: unknown, subjectId: number | null = null): AppError {
    return new AppError("conflict", messageKey, { current, subjectId });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
