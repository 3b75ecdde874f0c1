import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { releaseHoldSchema, setHoldSchema } from "~/features/credit/holds/schema";
import { countCustomersOnHold, currentHold, holdHistory, listCurrentHolds, releaseHold, setHold } from "~/features/credit/holds/queries.server";
import { makeUser } from "../../../../support/app";
import { defined } from "../../../../support/defined";
import { instantOnBusinessDate } from "../../../../support/business-date";

let headId = 0;
const customers = { c1: 0, c2: 0 };

beforeAll(async () => {
  headId = (await makeUser("head")).id;
  const now = instantOnBusinessDate().toISOString();
  for (const code of ["H001", "H002"] as const) {
    const row = await getDb()
      .insertInto("customers")
      .values({ code, name: `Hold test ${code}`, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    customers[code === "H001" ? "c1" : "c2"] = row.id;
  }
});

// Each test starts with neither customer on hold: the tests set holds and count those in force.
beforeEach(async () => {
  await getDb().deleteFrom("customer_holds").execute();
});

async function audits(customerId: number) {
  return getDb()
    .selectFrom("audit_log")
    .select(["action", "before", "after", "user_id"])
    .where("entity", "=", "hold")
    .where("entity_id", "=", String(customerId))
    .orderBy("id")
    .execute();
}

describe("customer holds", () => {
  it("sets, escalates and releases a hold, keeping the history and the audit", async () => {
    const id = customers.c1;
    const t0 = new Date("2026-06-01T08:00:00Z");
    const set = await setHold(getDb(), { customerId: id, kind: "cash_before_delivery", reason: "overdue past grace" }, headId, t0);
    expect(set.ok && set.hold?.kind).toBe("cash_before_delivery");
    expect(await countCustomersOnHold(getDb())).toBe(1);

    const same = await setHold(getDb(), { customerId: id, kind: "cash_before_delivery", reason: "again" }, headId);
    expect(same).toEqual({ ok: false, error: "sameHold" });

    const t1 = new Date("2026-07-01T08:00:00Z");
    const escalated = await setHold(getDb(), { customerId: id, kind: "stop_shipment", reason: "agreement broken" }, headId, t1);
    expect(escalated.ok && escalated.hold?.kind).toBe("stop_shipment");
    expect(await countCustomersOnHold(getDb())).toBe(1);

    const t2 = new Date("2026-08-01T08:00:00Z");
    expect(await releaseHold(getDb(), { customerId: id, reason: "paid in full" }, headId, t2)).toEqual({ ok: true, hold: null });
    expect(await currentHold(getDb(), id)).toBeNull();
    expect(await countCustomersOnHold(getDb())).toBe(0);

    const history = await holdHistory(getDb(), id);
    expect(history.map((h) => [h.kind, h.releaseReason])).toEqual([
      ["stop_shipment", "paid in full"],
      ["cash_before_delivery", "→ stop_shipment: agreement broken"],
    ]);
    expect(defined(history[1]).releasedAt).toBe(t1.toISOString());

    expect((await audits(id)).map((a) => a.action)).toEqual(["set", "change", "release"]);
  });

  it("refuses to release a customer that is not on hold, changing nothing", async () => {
    const before = await audits(customers.c2);
    expect(await releaseHold(getDb(), { customerId: customers.c2, reason: "x" }, headId)).toEqual({ ok: false, error: "noHold" });
    expect(await audits(customers.c2)).toEqual(before);
  });

  it("refuses an unknown customer", async () => {
    expect(await setHold(getDb(), { customerId: 999_999, kind: "stop_shipment", reason: "x" }, headId)).toEqual({ ok: false, error: "unknownCustomer" });
  });

  it("the database itself allows one hold in force per customer", async () => {
    await setHold(getDb(), { customerId: customers.c2, kind: "stop_shipment", reason: "first" }, headId);
    await expect(
      getDb()
        .insertInto("customer_holds")
        .values({ customer_id: customers.c2, kind: "cash_before_delivery", reason: "twin", set_by: headId, set_at: instantOnBusinessDate().toISOString() })
        .execute(),
    ).rejects.toThrow(/UNIQUE|duplicate key/); // SQLite's words, PostgreSQL's
    const listed = await listCurrentHolds(getDb());
    expect(listed.map((h) => h.customerCode)).toEqual(["H002"]);
  });

  it.each([
    [{ intent: "set-hold", kind: "stop_shipment", reason: "  " }, "holds.validation.reasonRequired"],
    [{ intent: "set-hold", kind: "freeze", reason: "x" }, "holds.validation.kind"],
    [{ intent: "release-hold", reason: "" }, "holds.validation.reasonRequired"],
  ])("the hold forms need a reason and a known kind %#", (fields, message) => {
    const schema = fields.intent === "set-hold" ? setHoldSchema : releaseHoldSchema;
    const result = schema.safeParse(fields);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
  });
});
