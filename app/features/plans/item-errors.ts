import type { FieldErrors } from "~/kernel/app-error";

/**
 * A refusal about some of a plan's items (no owner yet, no outcome chosen) carries them as errors
 * at their rows, `item-<id>`, in the one refusal shape; the board and the close form flag those rows.
 */

export function itemErrors(itemIds: readonly number[] | undefined, key: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const id of itemIds ?? []) errors[`item-${id}`] = [key];
  return errors;
}

export function flaggedItemIds(fieldErrors: FieldErrors | null | undefined): Set<number> {
  const ids = new Set<number>();
  for (const key of Object.keys(fieldErrors ?? {})) {
    const match = /^item-([1-9]\d{0,15})$/.exec(key);
    if (match?.[1]) ids.add(Number(match[1]));
  }
  return ids;
}
