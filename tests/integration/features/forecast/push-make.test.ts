import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { addDays } from "~/kernel/dates";
import type { PushPlan } from "~/features/forecast/push.server";
import { action, loader } from "~/routes/_app.forecast_.push";
import { BASE, call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { forecastLedgerOwners, importForecastLedger } from "../../../support/forecast-ledger";
import { makePlan } from "../../../support/plans";

const owners = forecastLedgerOwners("make");
let headCookie: string;
let staffCookie: string;
let leaderCookie: string;
let dueDate: string;
let planId: number;
let otherPlanId: number;
let itemId: number;
let ownerA: number;
let ownerB: number;
let headId: number;

/** A form post with repeated fields (one `customer` per chosen row). */
function postForm(path: string, entries: [string, string][], cookie: string): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    body: new URLSearchParams(entries),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
  });
}

function makeForm(fields: { planId?: number; make?: string; kind?: string; note?: string; reason?: string; customers: string[] }): [string, string][] {
  return [
    ["intent", "make"],
    ["planId", String(fields.planId ?? planId)],
    ["make", fields.make ?? "plan_items"],
    ["kind", fields.kind ?? ""],
    ["note", fields.note ?? "Year-end push"],
    ["reason", fields.reason ?? ""],
    ...fields.customers.map((code): [string, string] => ["customer", code]),
  ];
}

async function counts() {
  const db = getDb();
  const one = async (table: "plan_items" | "collection_actions" | "audit_log") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  return { items: await one("plan_items"), actions: await one("collection_actions"), audit: await one("audit_log") };
}

beforeAll(async () => {
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  headId = head.id;
  ownerA = (await makeUser("staff", { email: owners.a })).id;
  ownerB = (await makeUser("staff", { email: owners.b })).id;
  await importForecastLedger(owners);
  headCookie = await signIn(head.email);
  staffCookie = await signIn(owners.a);
  leaderCookie = await signIn(leader.email);
  dueDate = addDays(today(), 24);
  const year = Number(dueDate.slice(0, 4));
  const quarter = Math.ceil(Number(dueDate.slice(5, 7)) / 3) as 1 | 2 | 3 | 4;
  const made = await makePlan(
    getDb(),
    { head: head.email, leader: leader.email },
    { fiscalYear: year, quarter, items: [{ title: "Clear the overdue", dueDate, kpi: { key: "overdue_total", scope: "company", target: "500.00" } }] },
    today(),
  );
  planId = made.planId;
  itemId = made.itemIds[0] as number;
  otherPlanId = (await makePlan(getDb(), { head: head.email, leader: leader.email }, { fiscalYear: year + 1, quarter, items: [] }, today())).planId;
});

describe("turning chase-list rows into work", () => {
  it("shows the head the boxes' permissions and the item's plan", async () => {
    const page = payloadOf<PushPlan & { may: { planItems: boolean; collectionActions: boolean } }>(await call(loader, get(`/forecast/push?item=${itemId}`, headCookie)));
    expect(page.may).toEqual({ planItems: true, collectionActions: true });
    expect(page.item.planId).toBe(planId);
    expect(page.rows.map((r) => [r.code, r.ownerId]).sort()).toEqual([
      ["F1", ownerA],
      ["F2", ownerA],
      ["F3", ownerB],
    ]);
    const staff = payloadOf<{ may: { planItems: boolean; collectionActions: boolean } }>(await call(loader, get(`/forecast/push?item=${itemId}`, staffCookie)));
    expect(staff.may).toEqual({ planItems: false, collectionActions: false });
  });

  it("makes plan items in the item's plan for each customer's owner, tied to the customer, audited", async () => {
    const before = await counts();
    const answer = payloadOf<{ ok: boolean; count: number; make: string; planId: number }>(
      await call(action, postForm(`/forecast/push?item=${itemId}`, makeForm({ customers: ["F3", "F1"], note: "Push it" }), headCookie)),
    );
    expect(answer).toEqual({ ok: true, make: "plan_items", count: 2, planId });
    const db = getDb();
    const made = await db
      .selectFrom("plan_items")
      .innerJoin("plan_item_customers", "plan_item_customers.item_id", "plan_items.id")
      .innerJoin("customers", "customers.id", "plan_item_customers.customer_id")
      .select(["plan_items.id", "plan_items.plan_id", "plan_items.title", "plan_items.owner_id", "plan_items.due_date", "plan_items.category", "customers.code"])
      .where("plan_items.category", "=", "year_end_push")
      .orderBy("plan_items.position")
      .execute();
    expect(made.map(({ plan_id, owner_id, due_date, category, code }) => ({ plan_id, owner_id, due_date, category, code }))).toEqual([
      // the list's order (F1 ranks above F3), whatever order the boxes came in
      { plan_id: planId, owner_id: ownerA, due_date: dueDate, category: "year_end_push", code: "F1" },
      { plan_id: planId, owner_id: ownerB, due_date: dueDate, category: "year_end_push", code: "F3" },
    ]);
    expect(made[0]?.title).toMatch(/^Push it · F1 /);
    const after = await counts();
    expect(after.items).toBe(before.items + 2);
    const audit = await db.selectFrom("audit_log").select(["entity", "entity_id", "action", "user_id"]).where("entity", "=", "plan_item").where("action", "=", "created").where("entity_id", "in", made.map((m) => String(m.id))).execute();
    expect(audit).toHaveLength(2);
    expect(audit.every((entry) => entry.user_id === headId)).toBe(true);
  });

  it("records collection actions of the chosen kind in each owner's name, dated today, audited", async () => {
    const before = await counts();
    const answer = payloadOf<{ ok: boolean; count: number }>(
      await call(action, postForm(`/forecast/push?item=${itemId}`, makeForm({ make: "collection_actions", kind: "visit", note: "Visit before year end", customers: ["F2", "F3"] }), headCookie)),
    );
    expect(answer).toMatchObject({ ok: true, count: 2 });
    const db = getDb();
    const rows = await db
      .selectFrom("collection_actions")
      .innerJoin("customers", "customers.id", "collection_actions.customer_id")
      .select(["collection_actions.id", "customers.code", "collection_actions.user_id", "collection_actions.kind", "collection_actions.action_date", "collection_actions.note"])
      .where("collection_actions.note", "=", "Visit before year end")
      .orderBy("customers.code")
      .execute();
    expect(rows.map(({ code, user_id, kind, action_date }) => ({ code, user_id, kind, action_date }))).toEqual([
      { code: "F2", user_id: ownerA, kind: "visit", action_date: today() },
      { code: "F3", user_id: ownerB, kind: "visit", action_date: today() },
    ]);
    const audit = await db.selectFrom("audit_log").select(["after", "user_id"]).where("entity", "=", "collection_action").where("entity_id", "in", rows.map((r) => String(r.id))).execute();
    expect(audit).toHaveLength(2);
    expect(audit.every((entry) => entry.user_id === headId && (entry.after ?? "").includes(`push item ${itemId}`))).toBe(true);
    expect((await counts()).actions).toBe(before.actions + 2);
  });

  it("refuses rows not on the list and another plan with a clear error, changing nothing", async () => {
    const before = await counts();
    const forgedRow = await call(action, postForm(`/forecast/push?item=${itemId}`, makeForm({ customers: ["F1", "NOPE"] }), headCookie));
    expect(statusOf(forgedRow)).toBe(400);
    expect(payloadOf<{ message: string; params: { codes: string } }>(forgedRow)).toMatchObject({ message: "pushPlanner.make.notOnList", params: { codes: "NOPE" } });
    const forgedPlan = await call(action, postForm(`/forecast/push?item=${itemId}`, makeForm({ planId: otherPlanId, customers: ["F1"] }), headCookie));
    expect(statusOf(forgedPlan)).toBe(400);
    expect(payloadOf<{ message: string }>(forgedPlan).message).toBe("pushPlanner.make.otherPlan");
    const actionsForged = await call(action, postForm(`/forecast/push?item=${itemId}`, makeForm({ make: "collection_actions", kind: "call", customers: ["F2", "ZZ"] }), headCookie));
    expect(statusOf(actionsForged)).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("refuses bad input: no rows, no kind, a repeated row, an empty note", async () => {
    const before = await counts();
    const refusal = async (form: [string, string][]) => {
      const answer = await call(action, postForm(`/forecast/push?item=${itemId}`, form, headCookie));
      expect(statusOf(answer)).toBe(400);
      return payloadOf<{ fieldErrors: Record<string, string[]> }>(answer).fieldErrors;
    };
    expect((await refusal(makeForm({ customers: [] }))).customer).toEqual(["pushPlanner.make.noneChosen"]);
    expect((await refusal(makeForm({ make: "collection_actions", customers: ["F1"] }))).kind).toEqual(["pushPlanner.make.chooseKind"]);
    expect((await refusal(makeForm({ make: "collection_actions", kind: "promise_to_pay", customers: ["F1"] }))).kind).toEqual(["pushPlanner.make.chooseKind"]);
    expect((await refusal(makeForm({ customers: ["F1", "F1"] }))).customer).toEqual(["pushPlanner.make.invalid"]);
    expect((await refusal(makeForm({ note: "  ", customers: ["F1"] }))).note).toEqual(["pushPlanner.make.noteRequired"]);
    expect((await refusal(makeForm({ make: "everything", customers: ["F1"] }))).make).toEqual(["pushPlanner.make.chooseWhat"]);
    expect(await counts()).toEqual(before);
  });

  it("refuses staff and leaders (403), changing nothing", async () => {
    const before = await counts();
    expect(statusOf(await call(action, postForm(`/forecast/push?item=${itemId}`, makeForm({ customers: ["F1"] }), staffCookie)))).toBe(403);
    expect(statusOf(await call(action, postForm(`/forecast/push?item=${itemId}`, makeForm({ make: "collection_actions", kind: "call", customers: ["F1"] }), staffCookie)))).toBe(403);
    expect(statusOf(await call(action, postForm(`/forecast/push?item=${itemId}`, makeForm({ customers: ["F1"] }), leaderCookie)))).toBe(403);
    expect(statusOf(await call(action, postForm(`/forecast/push?item=abc`, makeForm({ customers: ["F1"] }), headCookie)))).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe("choosing the planned path", () => {
  it("the head chooses last year's shape, audited; the page says the path fell back when last year gives none", async () => {
    const db = getDb();
    await db.updateTable("plan_items").set({ kpi_baseline: 330_000, kpi_baseline_date: addDays(today(), -10) }).where("id", "=", itemId).execute();
    const answer = payloadOf<{ ok: boolean; path: string }>(await call(action, postForm(`/forecast/push?item=${itemId}`, [["intent", "path"], ["path", "last_year"]], headCookie)));
    expect(answer).toEqual({ ok: true, path: "last_year" });
    expect((await db.selectFrom("plan_items").select("kpi_path").where("id", "=", itemId).executeTakeFirstOrThrow()).kpi_path).toBe("last_year");
    const audit = await db.selectFrom("audit_log").select(["before", "after", "user_id"]).where("entity", "=", "plan_item").where("action", "=", "path_chosen").where("entity_id", "=", String(itemId)).execute();
    expect(audit).toEqual([{ before: JSON.stringify({ path: "straight" }), after: JSON.stringify({ path: "last_year" }), user_id: headId }]);
    const page = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${itemId}`, headCookie)));
    expect(page.path?.choice).toBe("last_year");
    // the test ledger begins this year: last year's same days have no movement to copy
    expect(page.path?.used).toBe("straight");
    expect(page.path?.fallback).not.toBeNull();
    expect(page.path?.points[0]).toEqual({ date: addDays(today(), -10), value: 330_000 });
  });

  it("refuses staff (403) and a path it does not know (400), changing nothing", async () => {
    const before = await counts();
    const stored = async () => (await getDb().selectFrom("plan_items").select("kpi_path").where("id", "=", itemId).executeTakeFirstOrThrow()).kpi_path;
    const was = await stored();
    expect(statusOf(await call(action, postForm(`/forecast/push?item=${itemId}`, [["intent", "path"], ["path", "straight"]], staffCookie)))).toBe(403);
    const bad = await call(action, postForm(`/forecast/push?item=${itemId}`, [["intent", "path"], ["path", "zigzag"]], headCookie));
    expect(statusOf(bad)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(bad).fieldErrors.path).toEqual(["pushPlanner.path.choose"]);
    expect(await stored()).toBe(was);
    expect(await counts()).toEqual(before);
  });
});
