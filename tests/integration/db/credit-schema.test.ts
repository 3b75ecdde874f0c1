import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { makeUser } from "../../support/app";
import { instantOnBusinessDate } from "../../support/business-date";

// The migration's constraints are the last line behind the domain rules: bad rows never land.
// Each database words the refusal its own way: SQLite "CHECK constraint failed", PostgreSQL
// "violates check constraint" (and the same for UNIQUE).
const CHECK = /CHECK constraint failed|violates check constraint/;
const UNIQUE = /UNIQUE constraint failed|violates unique constraint/;
let userId = 0;
let customerId = 0;
const now = instantOnBusinessDate().toISOString();

beforeAll(async () => {
  userId = (await makeUser("head")).id;
  customerId = (
    await getDb().insertInto("customers").values({ code: "S001", name: "Schema test", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()
  ).id;
});

describe("credit tables refuse impossible rows", () => {
  it("a confirmation returned before it was sent, or resolved before it came back", async () => {
    const batch = await getDb()
      .insertInto("confirmation_batches")
      .values({ name: "2026-06", period_end: "2026-06-30", created_by: userId, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const row = { batch_id: batch.id, customer_id: customerId, our_balance: 100, updated_at: now, channel: "post" as const };
    await expect(getDb().insertInto("balance_confirmations").values({ ...row, sent_on: "2026-07-05", returned_on: "2026-07-04" }).execute()).rejects.toThrow(CHECK);
    await expect(getDb().insertInto("balance_confirmations").values({ ...row, sent_on: null, returned_on: "2026-07-04" }).execute()).rejects.toThrow(CHECK);
    await expect(
      getDb().insertInto("balance_confirmations").values({ ...row, sent_on: "2026-07-01", returned_on: "2026-07-04", resolved_on: "2026-07-03" }).execute(),
    ).rejects.toThrow(CHECK);
    await getDb().insertInto("balance_confirmations").values({ ...row, sent_on: "2026-07-01", returned_on: "2026-07-01" }).execute();
    // one confirmation per customer per batch
    await expect(getDb().insertInto("balance_confirmations").values({ ...row, sent_on: "2026-07-02" }).execute()).rejects.toThrow(UNIQUE);
  });

  it("a limit below zero in a review decision", async () => {
    const review = await getDb()
      .insertInto("credit_reviews")
      .values({ fiscal_year: 2026, quarter: 3, as_of: "2026-09-30", created_by: userId, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expect(
      getDb().insertInto("credit_review_items").values({ review_id: review.id, customer_id: customerId, decided_limit: -1, needs_approval: 0 }).execute(),
    ).rejects.toThrow(CHECK);
    await expect(
      getDb().insertInto("credit_review_items").values({ review_id: review.id, customer_id: customerId, decision: "maybe" as never, needs_approval: 0 }).execute(),
    ).rejects.toThrow(CHECK);
  });

  it("a promise due before it was made, or for nothing", async () => {
    const action = await getDb()
      .insertInto("collection_actions")
      .values({ customer_id: customerId, user_id: userId, kind: "promise_to_pay", action_date: "2026-06-01", created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const row = { customer_id: customerId, action_id: action.id, kind: "promise" as const, created_at: now };
    await expect(getDb().insertInto("payment_promises").values({ ...row, made_on: "2026-06-01", due_on: "2026-05-31", amount: 100 }).execute()).rejects.toThrow(CHECK);
    await expect(getDb().insertInto("payment_promises").values({ ...row, made_on: "2026-06-01", due_on: "2026-06-30", amount: 0 }).execute()).rejects.toThrow(CHECK);
  });

  it("a grade whose shipments stop inside its grace days, and a cap rule without a grade", async () => {
    await expect(
      getDb().updateTable("credit_grades").set({ stop_shipment_days: 5 }).where("code", "=", "A").execute(),
    ).rejects.toThrow(CHECK);
    await expect(
      getDb().insertInto("credit_rules").values({ position: 99, metric: "write_offs", comparator: "gte", threshold_hundredths: 100, action: "to-grade", to_grade: null }).execute(),
    ).rejects.toThrow(CHECK);
  });
});
