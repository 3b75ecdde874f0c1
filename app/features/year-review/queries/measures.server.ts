import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";

/**
 * The SQL of the year's measures (measures.ts): each a grouped count over the records of the
 * period [from, to]. Dates are ISO text; timestamps (set_at, decided_at…) are ISO instants, so a
 * day range is `>= from` and `< the day after to`, which sorts the same on both databases.
 */

export async function actionCounts(db: Db, from: IsoDate, to: IsoDate) {
  const rows = await db
    .selectFrom("collection_actions")
    .select((eb) => ["kind", eb.fn.countAll<number>().as("n"), eb.fn.count<number>("customer_id").distinct().as("customers")])
    .where("action_date", ">=", from)
    .where("action_date", "<=", to)
    .groupBy("kind")
    .execute();
  return rows.map((row) => ({ kind: row.kind, count: Number(row.n), customers: Number(row.customers) }));
}

/**
 * Per action kind: what the customers who got one paid (payments and offsets) from the day of
 * their first such action in the period to its end.
 */
export async function collectedAfterActions(db: Db, from: IsoDate, to: IsoDate) {
  const firsts = db
    .selectFrom("collection_actions")
    .select((eb) => ["kind", "customer_id", eb.fn.min("action_date").as("first")])
    .where("action_date", ">=", from)
    .where("action_date", "<=", to)
    .groupBy(["kind", "customer_id"]);
  const [payments, offsets] = await Promise.all([
    db
      .selectFrom(firsts.as("f"))
      .innerJoin("payments as p", (join) => join.onRef("p.customer_id", "=", "f.customer_id").onRef("p.date", ">=", "f.first").on("p.date", "<=", to))
      .select((eb) => ["f.kind", eb.fn.sum<number>("p.amount").as("total")])
      .groupBy("f.kind")
      .execute(),
    db
      .selectFrom(firsts.as("f"))
      .innerJoin("adjustments as a", (join) =>
        join.onRef("a.customer_id", "=", "f.customer_id").onRef("a.date", ">=", "f.first").on("a.date", "<=", to).on("a.type", "=", "offset"),
      )
      .select((eb) => ["f.kind", eb.fn.sum<number>("a.amount").as("total")])
      .groupBy("f.kind")
      .execute(),
  ]);
  const result = new Map<string, number>();
  for (const row of [...payments, ...offsets]) result.set(row.kind, (result.get(row.kind) ?? 0) + Number(row.total ?? 0));
  return result;
}

/** Holds set and released in the period, and every hold in force at some time in it. */
export async function holdRows(db: Db, from: IsoDate, dayAfterTo: IsoDate) {
  return db
    .selectFrom("customer_holds")
    .select(["id", "customer_id", "kind", "set_at", "released_at"])
    .where("set_at", "<", dayAfterTo)
    .where((eb) => eb.or([eb("released_at", "is", null), eb("released_at", ">=", from)]))
    .execute();
}

/** Credit review decisions applied in the period that changed a customer's grade. */
export async function gradeChangeRows(db: Db, from: IsoDate, dayAfterTo: IsoDate) {
  return db
    .selectFrom("credit_review_items as i")
    .innerJoin("customers as c", "c.id", "i.customer_id")
    .innerJoin("credit_grades as g0", "g0.code", "i.current_grade")
    .innerJoin("credit_grades as g1", "g1.code", "i.decided_grade")
    .select(["i.id", "i.customer_id", "c.code", "c.name", "i.current_grade", "i.decided_grade", "g0.rank as from_rank", "g1.rank as to_rank", "i.applied_at"])
    .where("i.applied_at", ">=", from)
    .where("i.applied_at", "<", dayAfterTo)
    .whereRef("i.current_grade", "<>", "i.decided_grade")
    .orderBy("i.applied_at")
    .orderBy("i.id")
    .execute();
}

/** Credit review decisions made in the period, by decision, with leadership's answers. */
export async function decisionCounts(db: Db, from: IsoDate, dayAfterTo: IsoDate) {
  const rows = await db
    .selectFrom("credit_review_items")
    .select(["decision", "needs_approval", "approval_decision"])
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("decision", "is not", null)
    .where("decided_at", ">=", from)
    .where("decided_at", "<", dayAfterTo)
    .groupBy(["decision", "needs_approval", "approval_decision"])
    .execute();
  return rows.map((row) => ({ decision: row.decision, needsApproval: row.needs_approval === 1, approval: row.approval_decision, count: Number(row.n) }));
}

/** The balance confirmations of the batches whose period ends in the period, with owner and region. */
export async function confirmationRows(db: Db, from: IsoDate, to: IsoDate) {
  return db
    .selectFrom("balance_confirmations as c")
    .innerJoin("confirmation_batches as b", "b.id", "c.batch_id")
    .leftJoin("users as u", "u.id", "c.owner_id")
    .select(["c.id", "u.name as owner_name", "c.region", "c.sent_on", "c.returned_on", "c.result"])
    .where("b.period_end", ">=", from)
    .where("b.period_end", "<=", to)
    .execute();
}

export async function adjustmentTotals(db: Db, from: IsoDate, to: IsoDate) {
  const rows = await db
    .selectFrom("adjustments")
    .select((eb) => ["type", eb.fn.countAll<number>().as("n"), eb.fn.sum<number>("amount").as("total")])
    .where("date", ">=", from)
    .where("date", "<=", to)
    .groupBy("type")
    .execute();
  return rows.map((row) => ({ type: row.type, count: Number(row.n), amount: Number(row.total ?? 0) }));
}

/** Each customer's payments and offsets in the period. */
export async function collectionsByCustomer(db: Db, from: IsoDate, to: IsoDate) {
  const [payments, offsets] = await Promise.all([
    db
      .selectFrom("payments")
      .select((eb) => ["customer_id", eb.fn.sum<number>("amount").as("total")])
      .where("date", ">=", from)
      .where("date", "<=", to)
      .groupBy("customer_id")
      .execute(),
    db
      .selectFrom("adjustments")
      .select((eb) => ["customer_id", eb.fn.sum<number>("amount").as("total")])
      .where("type", "=", "offset")
      .where("date", ">=", from)
      .where("date", "<=", to)
      .groupBy("customer_id")
      .execute(),
  ]);
  return {
    payments: new Map(payments.map((row) => [row.customer_id, Number(row.total ?? 0)])),
    offsets: new Map(offsets.map((row) => [row.customer_id, Number(row.total ?? 0)])),
  };
}

export async function customerNames(db: Db, ids: number[]) {
  if (ids.length === 0) return new Map<number, { code: string; name: string }>();
  const rows = await db.selectFrom("customers").select(["id", "code", "name"]).where("id", "in", ids).execute();
  return new Map(rows.map((row) => [row.id, { code: row.code, name: row.name }]));
}
