import { z } from "zod";

import { isValidIsoDate } from "~/kernel/dates";
import { COMMENT_MAX, tooLong, version } from "~/features/plans/schema";

/**
 * The board's "owners and due dates" form: every live item of the plan in one post. Per item it
 * sends `item` (its id, once per row), `version-ID`, `owner-ID`, `due-ID` and what the row showed
 * when the page was drawn (`was-owner-ID`, `was-due-ID`), so only the rows the head changed are
 * saved and checked against their version. Parsed on the page (before posting) and by the action.
 */

/** More rows than any plan holds is not a form this page drew. */
export const ASSIGN_MAX_ROWS = 500;

const itemId = z.string().regex(/^[1-9]\d{0,15}$/, "plans.validation.invalid").transform(Number);
const ownerField = z.union([z.literal(""), itemId], { message: "plans.validation.owner" }).transform((value) => (value === "" ? null : value));
const dueField = z
  .string()
  .trim()
  .refine((value) => value === "" || isValidIsoDate(value), "plans.validation.date")
  .transform((value) => (value === "" ? null : value));

const rowSchema = z.object({
  version,
  owner: ownerField,
  due: dueField,
  wasOwner: ownerField,
  wasDue: dueField,
});

const reasonSchema = z.string().trim().max(COMMENT_MAX, tooLong(COMMENT_MAX));

export interface AssignmentRow {
  itemId: number;
  version: number;
  ownerId: number | null;
  dueDate: string | null;
  /** What the form showed: a row whose values still equal these was not touched. */
  shownOwnerId: number | null;
  shownDueDate: string | null;
}

export type AssignmentParse =
  | { ok: true; rows: AssignmentRow[]; reason: string }
  | { ok: false; fieldErrors: Record<string, string[]> };

/** The rows of a posted assignment form, or field errors keyed `owner-ID`, `due-ID`, `reason`, `form`. */
export function assignmentsFrom(formData: FormData): AssignmentParse {
  const fieldErrors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (fieldErrors[field] ??= []).push(message);
  const ids = formData.getAll("item").map(String);
  if (ids.length === 0 || ids.length > ASSIGN_MAX_ROWS || new Set(ids).size !== ids.length) {
    return { ok: false, fieldErrors: { form: ["plans.validation.invalid"] } };
  }
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const rows: AssignmentRow[] = [];
  for (const id of ids) {
    if (!/^[1-9]\d{0,15}$/.test(id)) return { ok: false, fieldErrors: { form: ["plans.validation.invalid"] } };
    const parsed = rowSchema.safeParse({
      version: text(`version-${id}`),
      owner: text(`owner-${id}`) ?? "",
      due: text(`due-${id}`) ?? "",
      wasOwner: text(`was-owner-${id}`) ?? "",
      wasDue: text(`was-due-${id}`) ?? "",
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0]);
        add(key === "owner" ? `owner-${id}` : key === "due" ? `due-${id}` : "form", key === "version" ? "plans.validation.staleForm" : issue.message);
      }
      continue;
    }
    const row = parsed.data;
    rows.push({ itemId: Number(id), version: row.version, ownerId: row.owner, dueDate: row.due, shownOwnerId: row.wasOwner, shownDueDate: row.wasDue });
  }
  const reason = reasonSchema.safeParse(text("reason") ?? "");
  if (!reason.success) add("reason", reason.error.issues[0]?.message ?? "plans.validation.invalid");
  if (Object.keys(fieldErrors).length > 0 || !reason.success) return { ok: false, fieldErrors };
  return { ok: true, rows, reason: reason.data };
}

/** A row the head changed on the page. */
export function isTouched(row: AssignmentRow): boolean {
  return row.ownerId !== row.shownOwnerId || row.dueDate !== row.shownDueDate;
}
