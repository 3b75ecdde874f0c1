import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { CREDIT_KPI_KEYS } from "~/features/credit/kpis";
import { allKpiValues, kpiObject, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { KpiReader } from "~/features/plans/plans.server";
import { makeUser } from "../../../support/app";
import { csvSource, importIntoTestDb } from "../../../support/ledger";
import { defined } from "../../../support/defined";
import { instantOnBusinessDate } from "../../../support/business-date";

// Fiscal year = calendar year: the period of 2026-11-23 starts on 2026-10-01.
const ids: Record<string, number> = {};
let headId = 0;

async function values(asOf: string, scope = "company") {
  return (await allKpiValues(getDb(), resolveKpiRequest({ asOf, scope }))).values;
}

async function promise(code: string, madeOn: string, dueOn: string, amount: number) {
  const db = getDb();
  const now = instantOnBusinessDate().toISOString();
  const action = await db
    .insertInto("collection_actions")
    .values({ customer_id: defined(ids[code]), user_id: headId, kind: "promise_to_pay", action_date: madeOn, note: "", amount, created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("payment_promises")
    .values({ customer_id: defined(ids[code]), action_id: action.id, kind: "promise", made_on: madeOn, due_on: dueOn, amount, created_at: now })
    .execute();
}

beforeAll(async () => {
  const head = await makeUser("head");
  headId = head.id;
  const staff = await makeUser("staff");
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit",
        `K1,Kept Co,East,${staff.email},B,5000`,
        `K2,Broken Co,West,${staff.email},C,1000`,
        `K3,Quiet Co,West,${staff.email},A,`,
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        "K1-1,K1,2026-07-01,2026-08-01,1000.00",
        "K2-1,K2,2026-07-01,2026-08-01,500.00",
        "K3-1,K3,2026-07-01,2026-08-01,300.00",
      ]),
    },
  ]);
  for (const row of await getDb().selectFrom("customers").select(["id", "code"]).execute()) ids[row.code] = row.id;

  await promise("K1", "2026-10-05", "2026-10-20", 400_00);
  await promise("K2", "2026-10-01", "2026-10-10", 200_00);
  // due last quarter: outside this period
  await promise("K3", "2026-09-01", "2026-09-15", 100_00);

  const db = getDb();
  await db
    .insertInto("customer_holds")
    .values([
      { customer_id: defined(ids.K1), kind: "cash_before_delivery", reason: "overdue", set_by: headId, set_at: "2026-10-01T09:00:00.000Z", released_by: headId, released_at: "2026-11-10T09:00:00.000Z", release_reason: "paid" },
      { customer_id: defined(ids.K2), kind: "stop_shipment", reason: "broken promise", set_by: headId, set_at: "2026-11-01T09:00:00.000Z" },
    ])
    .execute();

  const batch = await db
    .insertInto("confirmation_batches")
    .values({ name: "Q3 2026", period_end: "2026-09-30", created_by: headId, created_at: "2026-10-02T00:00:00.000Z" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = (code: string, region: string, extra: object) => ({
    batch_id: batch.id,
    customer_id: defined(ids[code]),
    owner_id: staff.id,
    region,
    our_balance: 100_00,
    difference: 0,
    note: "",
    updated_at: "2026-10-02T00:00:00.000Z",
    ...extra,
  });
  await db
    .insertInto("balance_confirmations")
    .values([
      row("K1", "East", { sent_on: "2026-10-05", channel: "post", returned_on: "2026-10-20", result: "mismatched", difference: -50_00, note: "disputes a delivery" }),
      row("K2", "West", { sent_on: "2026-10-05", channel: "electronic", returned_on: "2026-11-25", result: "matched" }),
      row("K3", "West", { sent_on: "2026-10-06", channel: "post" }),
    ])
    .execute();
});

describe("credit KPIs from the department's records", () => {
  it("count holds in force at the end of each day", async () => {
    expect((await values("2026-09-30")).customers_on_hold).toBe(0);
    expect((await values("2026-11-05")).customers_on_hold).toBe(2);
    // K1 released on 11-10; K2 stays on stop shipment
    expect((await values("2026-11-23")).customers_on_hold).toBe(1);
    expect((await values("2026-11-23", "region:East")).customers_on_hold).toBe(0);
    expect((await values("2026-11-23", "customer:K2")).customers_on_hold).toBe(1);
  });

  it("date a hold by the installation's day (Shanghai), not UTC's: set at 05:23 on 1 Dec there, released at 06:00 on 3 Dec", async () => {
    const db = getDb();
    const { id } = await db
      .insertInto("customer_holds")
      .values({ customer_id: defined(ids.K3), kind: "stop_shipment", reason: "late night", set_by: headId, set_at: "2026-11-30T21:23:00.000Z", released_by: headId, released_at: "2026-12-02T22:00:00.000Z", release_reason: "paid" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const zone = process.env.QUARTERDECK_TIME_ZONE;
    process.env.QUARTERDECK_TIME_ZONE = "Asia/Shanghai";
    try {
      // on 30 Nov in Shanghai the hold was not set yet (its UTC date is 30 Nov)
      expect((await values("2026-11-30", "customer:K3")).customers_on_hold).toBe(0);
      expect((await values("2026-12-01", "customer:K3")).customers_on_hold).toBe(1);
      expect((await values("2026-12-02", "customer:K3")).customers_on_hold).toBe(1);
      // released on 3 Dec in Shanghai (2 Dec by UTC)
      expect((await values("2026-12-03", "customer:K3")).customers_on_hold).toBe(0);
    } finally {
      if (zone === undefined) delete process.env.QUARTERDECK_TIME_ZONE;
      else process.env.QUARTERDECK_TIME_ZONE = zone;
      await db.deleteFrom("customer_holds").where("id", "=", id).execute();
    }
  });

  it("rate confirmations sent in the period, returned by the as-of day", async () => {
    const atReturn = await values("2026-10-31");
    expect(atReturn.confirmation_return_rate).toBeCloseTo(1 / 3, 12);
    expect(atReturn.confirmation_mismatch_rate).toBe(1);
    const later = await values("2026-11-30");
    expect(later.confirmation_return_rate).toBeCloseTo(2 / 3, 12);
    expect(later.confirmation_mismatch_rate).toBe(0.5);
    expect((await values("2026-11-30", "region:West")).confirmation_return_rate).toBe(0.5);
    // nothing was sent in Q3
    expect((await values("2026-09-30")).confirmation_return_rate).toBeNull();
  });

  it("judge promises from the ledger, and the rate moves when the payment is imported", async () => {
    const before = await values("2026-11-23");
    // both promises due this quarter are broken; K3's was due last quarter
    expect(before.promise_kept_rate).toBe(0);
    expect((await values("2026-10-15")).promise_kept_rate).toBe(0);
    expect((await values("2026-10-05")).promise_kept_rate).toBeNull();

    await importIntoTestDb([
      {
        kind: "payments",
        source: csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "K1-P1,K1,2026-10-18,400.00,K1-1"]),
      },
    ]);
    const after = await values("2026-11-23");
    expect(after.promise_kept_rate).toBe(0.5);
    expect((await values("2026-11-23", "region:East")).promise_kept_rate).toBe(1);
    expect((await values("2026-11-23", "owner:" + (await ownerEmail()))).promise_kept_rate).toBe(0.5);
  });

  it("reach plan items through the KPI reader", async () => {
    const reader = new KpiReader(getDb());
    expect(await reader.value("customers_on_hold", { type: "company" }, "2026-11-05")).toBe(2);
    expect(await reader.value("confirmation_mismatch_rate", { type: "region", name: "East" }, "2026-11-30")).toBe(1);
  });

  it("stay out of the KPIS.md machine object", async () => {
    const json = await kpiObject(getDb(), { asOf: "2026-11-23" });
    for (const key of CREDIT_KPI_KEYS) expect(json).not.toHaveProperty(key);
  });
});

async function ownerEmail(): Promise<string> {
  const row = await getDb()
    .selectFrom("customers")
    .innerJoin("users", "users.id", "customers.owner_id")
    .select("users.email")
    .where("customers.code", "=", "K1")
    .executeTakeFirstOrThrow();
  return row.email;
}
