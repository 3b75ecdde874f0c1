import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { can } from "~/kernel/permissions";
import { createItems } from "~/features/plans/index.server";
import { TITLE_MAX } from "~/features/plans";
import { recordActionsForOwners } from "~/features/credit/collection-actions/index.server";
import type { ForecastReader } from "./forecast.server";
import { type ChaseOrder, chaseOrderSchema } from "./push-make.schema";
import { type PushRow, loadPushPlan } from "./push.server";

/**
 * The push page's one step from the chase list to work: the chosen rows become plan items in the
 * item's own plan (one per customer, its owner the customer's, tied to the customer, due when the
 * item is) or collection actions of one kind in each owner's name. All or nothing: a row that is
 * not on the list the page shows, or another plan than the item's, refuses the whole post.
 */

export interface ChaseMade {
  ok: true;
  make: ChaseOrder["make"];
  count: number;
  planId: number;
}

function fieldErrorsOf(issues: readonly { path: PropertyKey[]; message: string }[]) {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const head = issue.path[0];
    const key = head === undefined ? "form" : head === "customers" ? "customer" : String(head);
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** The plan item's title: the note, then the customer (cut to the title's limit). */
export function chaseItemTitle(note: string, row: Pick<PushRow, "code" | "name">): string {
  const title = `${note} · ${row.code} ${row.name}`;
  return title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title;
}

export async function makeFromChaseList(db: Db, user: ForecastReader, itemId: number, raw: Record<string, unknown>, today: IsoDate): Promise<ChaseMade> {
  const parsed = chaseOrderSchema.safeParse(raw);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  const order = parsed.data;
  // Who may: the head plans and records for others; staff and leaders only read the list.
  if (order.make === "plan_items" ? !can(user, "plan:edit") : !can(user, "collection:log")) throw AppError.forbidden("pushPlanner.make.forbidden");

  const page = await loadPushPlan(db, user, itemId, today);
  if (order.planId !== page.item.planId) {
    throw new AppError("invalid", "pushPlanner.make.otherPlan", { fieldErrors: { form: ["pushPlanner.make.otherPlan"] } });
  }
  const onList = new Map(page.rows.map((row) => [row.code, row]));
  const missing = order.customers.filter((code) => !onList.has(code));
  if (missing.length > 0) {
    throw new AppError("invalid", "pushPlanner.make.notOnList", {
      fieldErrors: { customer: ["pushPlanner.make.notOnList"] },
      params: { codes: missing.slice(0, 5).join(", ") },
    });
  }
  // The rows in the list's order, whatever order the boxes were posted in.
  const chosen = new Set(order.customers);
  const rows = page.rows.filter((row) => chosen.has(row.code));
  const source = `push item ${page.item.id}`;

  if (order.make === "plan_items") {
    const ids = await createItems(
      db,
      user,
      page.item.planId,
      rows.map((row) => ({
        title: chaseItemTitle(order.note, row),
        category: "year_end_push" as const,
        description: "",
        ownerId: row.ownerId ?? ("" as const),
        dueDate: page.item.dueDate,
        customers: row.code,
        kpiKey: "",
        kpiScope: "company",
        kpiCustomer: "",
        kpiTarget: "",
        reason: order.reason,
      })),
      order.reason,
      today,
    );
    return { ok: true, make: order.make, count: ids.length, planId: page.item.planId };
  }
  const kind = order.kind;
  if (kind === null) throw AppError.field("kind", "pushPlanner.make.chooseKind");
  const ids = await recordActionsForOwners(
    db,
    user,
    rows.map((row) => ({ customerId: row.customerId, code: row.code, ownerId: row.ownerId })),
    { kind, note: order.note, source },
    today,
  );
  return { ok: true, make: order.make, count: ids.length, planId: page.item.planId };
}
