import type { Db } from "~/db.server";
import type { KpiScope } from "~/domain/kpi-scope";
import type { IsoDate } from "~/domain/ledger-types";

export interface OverdueCustomerRow {
  code: string;
  name: string;
  arTotal: number;
  overdue: number;
  /** due date of the customer's oldest overdue open invoice */
  oldestDue: IsoDate;
}

/**
 * The customers owing the most past due at `asOf`, from `open_items` (one grouped statement).
 * `open_items` counts every document, so this is exact only when no document is dated after
 * `asOf` (see domain/list-as-of.ts); the caller settles the documents otherwise.
 * `ownerId` narrows to one owner's customers on top of the scope (staff see only their own).
 */
export async function topOverdueFromOpenItems(
  db: Db,
  options: { scope: Exclude<KpiScope, { type: "customer" }>; ownerId?: number; asOf: IsoDate; limit: number },
): Promise<OverdueCustomerRow[]> {
  const { scope, ownerId, asOf, limit } = options;
  let query = db.selectFrom("open_items as o").innerJoin("customers as c", "c.id", "o.customer_id");
  if (scope.type === "region") query = query.where("c.region", "=", scope.name);
  if (scope.type === "grade") query = query.where("c.credit_grade", "=", scope.grade);
  if (scope.type === "owner") {
    query = query.where("c.owner_id", "in", db.selectFrom("users").select("users.id").where("users.email", "=", scope.email));
  }
  if (ownerId !== undefined) query = query.where("c.owner_id", "=", ownerId);
  const rows = await query
    .select((eb) => {
      const pastDue = eb.case().when("o.due_date", "<", asOf);
      return [
        "c.code",
        "c.name",
        eb.fn.sum<number>("o.open_amount").as("ar_total"),
        eb.fn.sum<number>(pastDue.then(eb.ref("o.open_amount")).else(0).end()).as("overdue"),
        eb.fn.min<string | null>(pastDue.then(eb.ref("o.due_date")).end()).as("oldest_due"),
      ];
    })
    .groupBy(["c.id", "c.code", "c.name"])
    .having((eb) => eb.fn.sum(eb.case().when("o.due_date", "<", asOf).then(eb.ref("o.open_amount")).else(0).end()), ">", 0)
    .orderBy("overdue", "desc")
    .orderBy("c.code", "asc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    arTotal: Number(row.ar_total),
    overdue: Number(row.overdue),
    oldestDue: row.oldest_due ?? asOf,
  }));
}
