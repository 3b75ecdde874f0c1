import { z } from "zod";

import { isOneOf } from "~/kernel/guards";

/**
 * The push page's "make" form: the chosen chase-list rows (their customer codes, one `customer`
 * field each) become plan items in the item's plan or collection actions of one kind, for each
 * customer's owner. Parsed on the page before posting and again by the action; messages are i18n
 * keys. Whether the rows are on the list and the plan is the item's is the server's to check.
 */

export const CHASE_MAKES = ["plan_items", "collection_actions"] as const;
export type ChaseMake = (typeof CHASE_MAKES)[number];
/** The kinds that need nothing more than a note (promises and agreements have their own form). */
export const CHASE_ACTION_KINDS = ["call", "visit", "email", "lawyer_letter"] as const;
export type ChaseActionKind = (typeof CHASE_ACTION_KINDS)[number];
/** More rows than a chase list holds is not a form this page drew. */
export const CHASE_MAX_ROWS = 500;
export const CHASE_NOTE_MAX = 150;
export const CHASE_REASON_MAX = 2000;

export const chaseOrderSchema = z
  .object({
    planId: z.string().regex(/^[1-9]\d{0,15}$/, "pushPlanner.make.invalid").transform(Number),
    make: z.enum(CHASE_MAKES, { message: "pushPlanner.make.chooseWhat" }),
    kind: z.string().default(""),
    note: z.string().trim().min(1, "pushPlanner.make.noteRequired").max(CHASE_NOTE_MAX, "pushPlanner.make.noteTooLong"),
    reason: z.string().trim().max(CHASE_REASON_MAX, "pushPlanner.make.reasonTooLong").default(""),
    customers: z
      .array(z.string().trim().min(1, "pushPlanner.make.invalid").max(64, "pushPlanner.make.invalid"))
      .min(1, "pushPlanner.make.noneChosen")
      .max(CHASE_MAX_ROWS, "pushPlanner.make.invalid")
      .refine((codes) => new Set(codes).size === codes.length, "pushPlanner.make.invalid"),
  })
  .superRefine((value, ctx) => {
    if (value.make === "collection_actions" && !isOneOf(CHASE_ACTION_KINDS, value.kind)) {
      ctx.addIssue({ code: "custom", path: ["kind"], message: "pushPlanner.make.chooseKind" });
    }
  })
  .transform((value) => ({
    ...value,
    kind: isOneOf(CHASE_ACTION_KINDS, value.kind) ? value.kind : null,
  }));

export type ChaseOrder = z.output<typeof chaseOrderSchema>;

/** The posted form as the schema reads it: single fields as text, every `customer` box ticked. */
export function chaseOrderValues(formData: FormData): Record<string, unknown> {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return {
    planId: text("planId"),
    make: text("make"),
    kind: text("kind"),
    note: text("note"),
    reason: text("reason"),
    customers: formData.getAll("customer").filter((value) => typeof value === "string"),
  };
}

/** Field errors keyed by the form's names (`customer` for the boxes), or null when the post is valid. */
export function chaseOrderProblems(formData: FormData): Record<string, string[]> | null {
  const parsed = chaseOrderSchema.safeParse(chaseOrderValues(formData));
  if (parsed.success) return null;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const head = issue.path[0];
    const key = head === undefined ? "form" : head === "customers" ? "customer" : String(head);
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** The push page's path form: how the item's KPI should move through the quarter. */
export const pathChoiceSchema = z.object({
  path: z.enum(["straight", "last_year"], { message: "pushPlanner.path.choose" }),
});
