import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { listAuditFor } from "~/features/audit/index.server";
import { createItem, createPlan, getPlan, transition } from "~/features/plans/plans.server";
import { action as boardAction, loader as boardLoader } from "~/routes/_app.plans.$planId._index";
import { action as itemAction } from "~/routes/_app.plans.$planId.items.$itemId";
import { action as newAction, loader as newLoader } from "~/routes/_app.plans.$planId.items.new";
import { loader as customerOptions } from "~/routes/plans.customer-options";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { itemRow } from "../../../support/plan-pages";
import { clearPlans } from "../../../support/plans";
import { present, presentNamed } from "../../../support/present";

/**
 * The plan forms: the KPI scope is picked from what the ledger has (a forged value is a field
 * error and changes nothing), targets take 800万 / 8,000,000 / 8000000, "too long" says the
 * maximum, and the board assigns every item's owner and due date in one checked save.
 */

const TODAY = "2025-07-31";
type Who = "head" | "staff" | "leader";
const who = {} as Record<Who, { actor: Actor; cookie: string }>;
const ids = { draft: 0, approved: 0, other: 0, draftItems: [] as number[], approvedItem: 0, otherItem: 0 };

type Refused = { ok: false; message: string | null; fieldErrors: Record<string, string[]> };
type AssignRefused = { ok: false; intent: "assign"; message: string; fieldErrors: Record<string, string[]>; current: { id: number; ownerId: number | null; ownerName: string | null; dueDate: string | null }[] };

const itemCount = async () => Number((await getDb().selectFrom("plan_items").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

function newItem(planId: number, form: Record<string, string>, as: Who = "head") {
  return call(newAction, post(`/plans/${planId}/items/new`, { intent: "create-item", title: "Collect", category: "collection", ...form }, who[as].cookie), { planId: String(planId) });
}

async function assignForm(planId: number, changes: Record<number, { owner?: string; due?: string }>, extra: Record<string, string> = {}) {
  const plan = await getPlan(getDb(), planId);
  const form = new URLSearchParams({ intent: "assign", ...extra });
  for (const item of plan.items.filter((candidate) => candidate.status !== "cancelled")) {
    const owner = item.ownerId === null ? "" : String(item.ownerId);
    const due = item.dueDate ?? "";
    form.append("item", String(item.id));
    form.append(`version-${item.id}`, String(item.version));
    form.append(`was-owner-${item.id}`, owner);
    form.append(`was-due-${item.id}`, due);
    form.append(`owner-${item.id}`, changes[item.id]?.owner ?? owner);
    form.append(`due-${item.id}`, changes[item.id]?.due ?? due);
  }
  return form;
}

function postAssign(planId: number, form: URLSearchParams, as: Who = "head") {
  const request = new Request(`http://quarterdeck.test/plans/${planId}`, {
    method: "POST",
    body: form,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: who[as].cookie },
  });
  return call(boardAction, request, { planId: String(planId) });
}

beforeAll(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  for (const [key, role, email] of [
    ["head", "head", "head@demo.quarterdeck"],
    ["staff", "staff", "staff@demo.quarterdeck"],
    ["leader", "leader", undefined],
  ] as const) {
    const user = await makeUser(role, email ? { email } : {});
    who[key] = { actor: { id: user.id, role }, cookie: await signIn(user.email) };
  }
  await importLedgerFixture();
});

// Each test starts from the same three plans, made anew: the tests assign, change and save their items.
beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  await clearPlans(getDb());
  ids.draftItems = [];
  const db = getDb();
  const fields = (title: string, overrides: Record<string, string> = {}) =>
    itemFieldsSchema.parse({ title, category: "collection", dueDate: "2025-09-15", ...overrides });
  ids.draft = await createPlan(db, who.head.actor, { fiscalYear: 2025, quarter: 4, source: "empty", language: "en" }, TODAY);
  for (const title of ["Statements to the East region", "Visit Northwind", "Audit file"]) {
    ids.draftItems.push(await createItem(db, who.head.actor, ids.draft, fields(title, { dueDate: "" }), TODAY));
  }
  ids.approved = await createPlan(db, who.head.actor, { fiscalYear: 2025, quarter: 3, source: "empty", language: "en" }, TODAY);
  ids.approvedItem = await createItem(db, who.head.actor, ids.approved, fields("Quarter's collection calls", { ownerId: String(who.staff.actor.id) }), TODAY);
  await transition(db, who.head.actor, ids.approved, (await getPlan(db, ids.approved)).version, { type: "submit" }, TODAY);
  await transition(db, who.leader.actor, ids.approved, (await getPlan(db, ids.approved)).version, { type: "approve" }, TODAY);
  ids.other = await createPlan(db, who.head.actor, { fiscalYear: 2026, quarter: 1, source: "empty", language: "en" }, TODAY);
  ids.otherItem = await createItem(db, who.head.actor, ids.other, fields("Next year's item", { dueDate: "2026-02-01" }), TODAY);
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe("the KPI scope picker", () => {
  it("offers the company, regions, owners by name and grades the ledger has", async () => {
    const data = payloadOf<Awaited<ReturnType<typeof newLoader>>>(await call(newLoader, get(`/plans/${ids.draft}/items/new`, who.head.cookie), { planId: String(ids.draft) }));
    expect(data.scopeChoices.regions).toEqual(expect.arrayContaining(["East", "North"]));
    expect(data.scopeChoices.grades).toEqual(expect.arrayContaining(["A", "B"]));
    expect(data.scopeChoices.owners).toEqual(expect.arrayContaining([{ email: "staff@demo.quarterdeck", name: expect.any(String) }]));
  });

  it("finds customers by code or name for the head only", async () => {
    const found = await call(customerOptions, get("/plans/customer-options?q=northwind", who.head.cookie));
    expect(found).toBeInstanceOf(Response);
    expect(await (found as Response).json()).toEqual({ customers: [{ code: "FX002", name: "Northwind Steel 北风钢铁" }] });
    const byCode = (await (await call(customerOptions, get("/plans/customer-options?q=fx00", who.head.cookie)) as Response).json()) as { customers: { code: string }[] };
    expect(byCode.customers.map((customer) => customer.code).slice(0, 2)).toEqual(["FX001", "FX002"]);
    expect(statusOf(await call(customerOptions, get("/plans/customer-options?q=fx", who.staff.cookie)))).toBe(403);
  });

  it("saves a picked scope and a customer found by code", async () => {
    for (const [form, scope] of [
      [{ kpiScope: "region:East" }, "region:East"],
      [{ kpiScope: "owner:staff@demo.quarterdeck" }, "owner:staff@demo.quarterdeck"],
      [{ kpiScope: "grade:A" }, "grade:A"],
      [{ kpiScope: "customer", kpiCustomer: "FX002" }, "customer:FX002"],
      [{}, "company"],
    ] as const) {
      const result = await newItem(ids.draft, { kpiKey: "overdue_total", ...form });
      expect(statusOf(result)).toBe(302);
      const itemId = Number((result as Response).headers.get("Location")!.split("#item-")[1]);
      expect((await itemRow(itemId)).kpi_scope).toBe(scope);
    }
  });

  it("refuses a forged or unknown scope at its field and saves nothing", async () => {
    const before = await itemCount();
    for (const [form, field, message] of [
      [{ kpiScope: "region:Atlantis" }, "kpiScope", "plans.validation.unknownScope"],
      [{ kpiScope: "owner:nobody@example.test" }, "kpiScope", "plans.validation.unknownScope"],
      [{ kpiScope: "grade:Z" }, "kpiScope", "plans.validation.unknownScope"],
      [{ kpiScope: "planet:Mars" }, "kpiScope", "plans.validation.scope"],
      [{ kpiScope: "region:" }, "kpiScope", "plans.validation.scope"],
      [{ kpiScope: "customer", kpiCustomer: "NOPE" }, "kpiCustomer", "plans.validation.unknownCustomer"],
      [{ kpiScope: "customer" }, "kpiCustomer", "plans.validation.customerScope"],
    ] as const) {
      const result = await newItem(ids.draft, { kpiKey: "overdue_total", ...form });
      expect(statusOf(result), JSON.stringify(form)).toBe(400);
      expect(payloadOf<Refused>(result).fieldErrors[field]).toEqual([message]);
    }
    expect(await itemCount()).toBe(before);
  });
});

describe("targets and lengths", () => {
  it("takes 800万, 8,000,000 and 8000000 as the same target, and percentages as before", async () => {
    for (const typed of ["800万", "8,000,000", "8000000", "0.08亿元"]) {
      const result = await newItem(ids.draft, { kpiKey: "overdue_total", kpiTarget: typed });
      expect(statusOf(result), typed).toBe(302);
      const itemId = Number((result as Response).headers.get("Location")!.split("#item-")[1]);
      expect((await itemRow(itemId)).kpi_target).toBe(800_000_000);
    }
    const rate = await newItem(ids.draft, { kpiKey: "collection_rate", kpiTarget: "95%" });
    expect((await itemRow(Number((rate as Response).headers.get("Location")!.split("#item-")[1]))).kpi_target).toBe(0.95);
  });

  it("refuses an amount it cannot read with a message saying how to write it", async () => {
    const before = await itemCount();
    for (const [typed, message] of [
      ["800万万", "plans.validation.money"],
      ["8,00,000", "plans.validation.money"],
      ["0.001", "plans.validation.fen"],
      ["-5万", "plans.validation.notNegative"],
    ] as const) {
      const result = await newItem(ids.draft, { kpiKey: "overdue_total", kpiTarget: typed });
      expect(statusOf(result)).toBe(400);
      expect(payloadOf<Refused>(result).fieldErrors.kpiTarget).toEqual([message]);
    }
    expect(await itemCount()).toBe(before);
  });

  it("refuses a share above 100 % (an overdue ratio of 150 %) and takes a collection rate above it", async () => {
    const before = await itemCount();
    for (const typed of ["150", "100.01%"]) {
      const result = await newItem(ids.draft, { kpiKey: "overdue_ratio", kpiTarget: typed });
      expect(statusOf(result), typed).toBe(400);
      expect(payloadOf<Refused>(result).fieldErrors.kpiTarget).toEqual(["plans.validation.over100"]);
    }
    expect(await itemCount()).toBe(before);
    const whole = await newItem(ids.draft, { kpiKey: "overdue_ratio", kpiTarget: "100" });
    expect(statusOf(whole)).toBe(302);
    // a quarter's collections may exceed its billing
    const above = await newItem(ids.draft, { kpiKey: "collection_rate", kpiTarget: "105%" });
    expect((await itemRow(Number((above as Response).headers.get("Location")!.split("#item-")[1]))).kpi_target).toBe(1.05);
  });

  it("says the maximum when a text is too long", async () => {
    const result = await newItem(ids.draft, { title: "x".repeat(201), description: "y".repeat(4001) });
    expect(statusOf(result)).toBe(400);
    expect(payloadOf<Refused>(result).fieldErrors).toMatchObject({ title: ["plans.validation.tooLong200"], description: ["plans.validation.tooLong4000"] });
    const comment = await call(
      itemAction,
      post(`/plans/${ids.draft}/items/${ids.draftItems[0]}`, { intent: "comment", body: "z".repeat(2001) }, who.head.cookie),
      { planId: String(ids.draft), itemId: String(ids.draftItems[0]) },
    );
    expect(payloadOf<Refused>(comment).fieldErrors.body).toEqual(["plans.validation.tooLong2000"]);
  });
});

describe("assigning owners and due dates on the board", () => {
  it("offers the head every live item, and nobody else the form", async () => {
    const head = payloadOf<Awaited<ReturnType<typeof boardLoader>>>(await call(boardLoader, get(`/plans/${ids.draft}?owner=none`, who.head.cookie), { planId: String(ids.draft) }));
    expect(head.assign?.rows.map((row) => row.id)).toEqual(expect.arrayContaining(ids.draftItems));
    expect(head.assign?.owners.map((owner) => owner.id)).toEqual(expect.arrayContaining([who.head.actor.id, who.staff.actor.id]));
    const staff = payloadOf<Awaited<ReturnType<typeof boardLoader>>>(await call(boardLoader, get(`/plans/${ids.draft}`, who.staff.cookie), { planId: String(ids.draft) }));
    expect(staff.assign).toBeNull();
  });

  it("saves the changed rows in one post, each with an audit entry, and leaves the others alone", async () => {
    const { first, second, third } = presentNamed(["first", "second", "third"], ids.draftItems);
    const untouched = await itemRow(third);
    const form = await assignForm(ids.draft, {
      [first]: { owner: String(who.staff.actor.id), due: "2025-10-20" },
      [second]: { owner: String(who.head.actor.id) },
    });
    const result = await postAssign(ids.draft, form);
    expect(statusOf(result)).toBe(302);
    expect((result as Response).headers.get("Location")).toBe(`/plans/${ids.draft}?assigned=2#assign`);
    expect(await itemRow(first)).toMatchObject({ owner_id: who.staff.actor.id, due_date: "2025-10-20" });
    expect(await itemRow(second)).toMatchObject({ owner_id: who.head.actor.id, due_date: null });
    expect(await itemRow(third)).toEqual(untouched);
    const entry = present((await listAuditFor(getDb(), "plan_item", first))[0], "the item's audit entry");
    expect(entry.action).toBe("updated");
    expect(JSON.parse(present(entry.before, "before"))).toEqual({ owner_id: null, due_date: null });
    expect(JSON.parse(present(entry.after, "after"))).toEqual({ owner_id: who.staff.actor.id, due_date: "2025-10-20", reason: null });
  });

  it("refuses a stale row with 409, shows the other person's values and saves nothing", async () => {
    const { first, second } = presentNamed(["first", "second"], ids.draftItems);
    expect(statusOf(await postAssign(ids.draft, await assignForm(ids.draft, { [first]: { owner: String(who.staff.actor.id), due: "2025-10-20" } })))).toBe(302);
    const form = await assignForm(ids.draft, { [first]: { owner: String(who.head.actor.id) }, [second]: { due: "2025-11-30" } });
    // Someone else saves the first item meanwhile.
    const meanwhile = await assignForm(ids.draft, { [first]: { due: "2025-12-01" } });
    expect(statusOf(await postAssign(ids.draft, meanwhile))).toBe(302);
    const before = await Promise.all([itemRow(first), itemRow(second)]);
    const result = await postAssign(ids.draft, form);
    expect(statusOf(result)).toBe(409);
    const body = payloadOf<AssignRefused>(result);
    expect(body.message).toBe("plans.error.assignConflict");
    expect(body.current).toEqual([{ id: first, version: (await itemRow(first)).version, ownerId: who.staff.actor.id, ownerName: expect.any(String), dueDate: "2025-12-01" }]);
    expect(await Promise.all([itemRow(first), itemRow(second)])).toEqual(before);
  });

  it("checks owners and due dates at their rows, and refuses forged rows, staff and a change without a reason", async () => {
    const first = present(ids.draftItems[0], "the first draft item");
    const before = await itemRow(first);
    const bad = await postAssign(ids.draft, await assignForm(ids.draft, { [first]: { owner: String(who.leader.actor.id), due: "2026-03-01" } }));
    expect(statusOf(bad)).toBe(400);
    expect(payloadOf<AssignRefused>(bad).fieldErrors).toEqual({ [`owner-${first}`]: ["plans.validation.owner"], [`due-${first}`]: ["plan.error.itemDueOutsideQuarter"] });

    const malformed = await assignForm(ids.draft, { [first]: { due: "2025-02-30" } });
    expect(payloadOf<AssignRefused>(await postAssign(ids.draft, malformed)).fieldErrors[`due-${first}`]).toEqual(["plans.validation.date"]);

    // Another plan's item slipped into this plan's form.
    const forged = await assignForm(ids.draft, {});
    const other = await itemRow(ids.otherItem);
    forged.append("item", String(ids.otherItem));
    forged.append(`version-${ids.otherItem}`, String(other.version));
    forged.append(`was-owner-${ids.otherItem}`, "");
    forged.append(`was-due-${ids.otherItem}`, "2026-02-01");
    forged.append(`owner-${ids.otherItem}`, String(who.staff.actor.id));
    forged.append(`due-${ids.otherItem}`, "2026-02-01");
    expect(statusOf(await postAssign(ids.draft, forged))).toBe(400);
    expect(await itemRow(ids.otherItem)).toEqual(other);

    expect(statusOf(await postAssign(ids.draft, await assignForm(ids.draft, { [first]: { owner: String(who.staff.actor.id) } }), "staff"))).toBe(403);
    expect(await itemRow(first)).toEqual(before);

    const approvedChange = await assignForm(ids.approved, { [ids.approvedItem]: { owner: String(who.head.actor.id) } });
    const refused = await postAssign(ids.approved, approvedChange);
    expect(statusOf(refused)).toBe(400);
    expect(payloadOf<AssignRefused>(refused).fieldErrors.reason).toEqual(["plan.error.changeNeedsReason"]);
    approvedChange.set("reason", "Li Wei is on leave");
    expect(statusOf(await postAssign(ids.approved, approvedChange))).toBe(302);
    const entry = present((await listAuditFor(getDb(), "plan_item", ids.approvedItem))[0], "the item's audit entry");
    expect(entry.action).toBe("changed");
    expect(JSON.parse(present(entry.after, "after"))).toMatchObject({ owner_id: who.head.actor.id, reason: "Li Wei is on leave" });
  });
});
