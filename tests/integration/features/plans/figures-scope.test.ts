import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { createItem, createPlan, getPlan, transition } from "~/features/plans/plans.server";
import { itemFieldsSchema } from "~/features/plans/schema";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { loader as boardLoader } from "~/routes/_app.plans.$planId._index";
import { loader as itemLoader } from "~/routes/_app.plans.$planId.items.$itemId";
import { loader as tasksLoader } from "~/routes/_app.tasks";
import { loader as dashboardLoader } from "~/routes/_app._index";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";

/**
 * A plan item shows its linked KPI's figures only to those who may read that scope through
 * `/api/kpis`: staff see the company's figures and their own book; another owner's book, a region
 * or another owner's customer shows the item, what it tracks and why its figures are left out.
 */

const DRAFTED = "2025-07-31";
const SHOWN = "2025-10-20";
const HIDDEN = "planItems.kpi.hiddenScope";
const ids = { plan: 0, region: 0, otherOwner: 0, otherCustomer: 0, own: 0, company: 0 };
const cookies = { head: "", staff: "", leader: "" };
let staffId = 0;

const fields = (kpiScope: string, overrides: Record<string, string> = {}) =>
  itemFieldsSchema.parse({
    title: `Overdue of ${kpiScope}`,
    category: "collection",
    ownerId: String(staffId),
    dueDate: "2025-11-30",
    kpiKey: "overdue_total",
    kpiScope,
    kpiTarget: "0",
    ...overrides,
  });

async function overdue(scope: string, asOf: string): Promise<number> {
  return Number((await kpiValues(getDb(), resolveKpiRequest({ asOf, scope }))).values.overdue_total);
}

/** The figure as a number in the serialised loader data (not as part of a longer number or an id). */
function carries(payload: unknown, figure: number): boolean {
  return new RegExp(`(?<![\\d.])${figure}(?![\\d.])`).test(JSON.stringify(payloadOf(payload)));
}

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  staffId = staff.id;
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  const headActor: Actor = { id: head.id, role: "head" };
  const db = getDb();
  ids.plan = await createPlan(db, headActor, { fiscalYear: 2025, quarter: 4, source: "empty", language: "en" }, DRAFTED);
  ids.region = await createItem(db, headActor, ids.plan, fields("region:North"), DRAFTED);
  ids.otherOwner = await createItem(db, headActor, ids.plan, fields("owner:head@demo.quarterdeck"), DRAFTED);
  ids.otherCustomer = await createItem(db, headActor, ids.plan, fields("customer", { kpiCustomer: "FX002" }), DRAFTED);
  ids.own = await createItem(db, headActor, ids.plan, fields("owner:staff@demo.quarterdeck"), DRAFTED);
  ids.company = await createItem(db, headActor, ids.plan, fields("company"), DRAFTED);
  let plan = await getPlan(db, ids.plan);
  await transition(db, headActor, ids.plan, plan.version, { type: "submit" }, DRAFTED);
  plan = await getPlan(db, ids.plan);
  await transition(db, { id: leader.id, role: "leader" }, ids.plan, plan.version, { type: "approve", comment: "" }, DRAFTED);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const HIDDEN_SCOPES = [
  ["a region", "region:North"],
  ["another owner's book", "owner:head@demo.quarterdeck"],
  ["another owner's customer", "customer:FX002"],
] as const;

describe("plan item figures for staff", () => {
  it("are figures worth hiding: every scope has its own non-zero overdue amount", async () => {
    const figures = await Promise.all(
      ["region:North", "owner:head@demo.quarterdeck", "customer:FX002", "owner:staff@demo.quarterdeck", "company"].flatMap((scope) => [
        overdue(scope, DRAFTED),
        overdue(scope, SHOWN),
      ]),
    );
    for (const figure of figures) expect(figure).toBeGreaterThan(0);
  });

  it.each(HIDDEN_SCOPES)("leave out %s on the item page, with the reason", async (_name, scope) => {
    vi.stubEnv("QUARTERDECK_TODAY", SHOWN);
    const itemId = scope === "region:North" ? ids.region : scope === "customer:FX002" ? ids.otherCustomer : ids.otherOwner;
    const params = { planId: String(ids.plan), itemId: String(itemId) };
    const asStaff = await call(itemLoader, get(`/plans/${ids.plan}/items/${itemId}`, cookies.staff), params);
    expect(statusOf(asStaff)).toBe(200);
    const data = payloadOf<{ item: { title: string; kpiLink: { baseline: number | null } }; kpi: { hidden: string | null; current: number | null } }>(asStaff);
    expect(data.item.title).toBe(`Overdue of ${scope.startsWith("customer") ? "customer" : scope}`);
    expect(data.kpi).toMatchObject({ hidden: HIDDEN, current: null, baseline: null, progress: null, track: null });
    expect(data.item.kpiLink.baseline).toBeNull();
    expect(carries(asStaff, await overdue(scope, SHOWN))).toBe(false);
    expect(carries(asStaff, await overdue(scope, DRAFTED))).toBe(false);

    for (const cookie of [cookies.head, cookies.leader]) {
      const shown = await call(itemLoader, get(`/plans/${ids.plan}/items/${itemId}`, cookie), params);
      expect(payloadOf<{ kpi: { hidden: string | null } }>(shown).kpi.hidden).toBeNull();
      expect(carries(shown, await overdue(scope, SHOWN))).toBe(true);
      expect(carries(shown, await overdue(scope, DRAFTED))).toBe(true);
    }
  });

  it("show the staff member's own book and the company's figures", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", SHOWN);
    for (const [itemId, scope] of [
      [ids.own, "owner:staff@demo.quarterdeck"],
      [ids.company, "company"],
    ] as const) {
      const result = await call(itemLoader, get(`/plans/${ids.plan}/items/${itemId}`, cookies.staff), { planId: String(ids.plan), itemId: String(itemId) });
      expect(payloadOf<{ kpi: { hidden: string | null; current: number | null } }>(result).kpi).toMatchObject({ hidden: null, current: await overdue(scope, SHOWN) });
    }
  });

  it("leave out other scopes on the board and keep every item listed", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", SHOWN);
    const asStaff = await call(boardLoader, get(`/plans/${ids.plan}`, cookies.staff), { planId: String(ids.plan) });
    const items = payloadOf<{ items: Array<{ id: number; kpi: { hidden: string | null; current: number | null } | null }> }>(asStaff).items;
    expect(items.map((item) => item.id).sort((a, b) => a - b)).toEqual(Object.values(ids).slice(1).sort((a, b) => a - b));
    const kpiOf = (id: number) => items.find((item) => item.id === id)?.kpi;
    for (const id of [ids.region, ids.otherOwner, ids.otherCustomer]) expect(kpiOf(id)).toMatchObject({ hidden: HIDDEN, current: null });
    expect(kpiOf(ids.own)).toMatchObject({ hidden: null, current: await overdue("owner:staff@demo.quarterdeck", SHOWN) });
    expect(kpiOf(ids.company)).toMatchObject({ hidden: null, current: await overdue("company", SHOWN) });
    for (const [, scope] of HIDDEN_SCOPES) {
      expect(carries(asStaff, await overdue(scope, SHOWN)), scope).toBe(false);
      expect(carries(asStaff, await overdue(scope, DRAFTED)), scope).toBe(false);
    }

    const asHead = await call(boardLoader, get(`/plans/${ids.plan}`, cookies.head), { planId: String(ids.plan) });
    for (const [, scope] of HIDDEN_SCOPES) expect(carries(asHead, await overdue(scope, SHOWN)), scope).toBe(true);
  });

  it("leave out other scopes on My tasks, even on the staff member's own items", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", SHOWN);
    const result = await call(tasksLoader, get("/tasks", cookies.staff));
    const open = payloadOf<{ open: Array<{ id: number; kpi: { hidden: string | null } | null; kpiLink: { baseline: number | null } | null }> }>(result).open;
    expect(open).toHaveLength(5);
    for (const id of [ids.region, ids.otherOwner, ids.otherCustomer]) {
      const task = open.find((row) => row.id === id);
      expect(task?.kpi?.hidden).toBe(HIDDEN);
      expect(task?.kpiLink?.baseline).toBeNull();
    }
    expect(open.find((row) => row.id === ids.own)?.kpi?.hidden).toBeNull();
    for (const [, scope] of HIDDEN_SCOPES) {
      expect(carries(result, await overdue(scope, SHOWN)), scope).toBe(false);
      expect(carries(result, await overdue(scope, DRAFTED)), scope).toBe(false);
    }
  });

  it("leave out other scopes on the dashboard's plan panel", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", SHOWN);
    type Dashboard = Extract<Awaited<ReturnType<typeof dashboardLoader>>, { kind: "dashboard" }>;
    const linkedOf = (result: unknown) => payloadOf<Dashboard>(result).dashboard?.plan?.linked ?? [];
    // Staff start on their own book; the company view is theirs to see too.
    for (const path of [`/?asOf=${SHOWN}`, `/?asOf=${SHOWN}&scope=company`]) {
      const asStaff = await call(dashboardLoader, get(path, cookies.staff));
      expect(statusOf(asStaff)).toBe(200);
      const linked = linkedOf(asStaff);
      expect(linked.map((item) => item.id).sort((a, b) => a - b)).toEqual(Object.values(ids).slice(1).sort((a, b) => a - b));
      for (const id of [ids.region, ids.otherOwner, ids.otherCustomer]) {
        expect(linked.find((item) => item.id === id)).toMatchObject({ hidden: HIDDEN, current: null, baseline: null, progress: null });
      }
      expect(linked.find((item) => item.id === ids.own)).toMatchObject({ hidden: null, current: await overdue("owner:staff@demo.quarterdeck", SHOWN) });
      expect(linked.find((item) => item.id === ids.company)).toMatchObject({ hidden: null, current: await overdue("company", SHOWN) });
      for (const [, scope] of HIDDEN_SCOPES) expect(carries(asStaff, await overdue(scope, SHOWN)), `${path} ${scope}`).toBe(false);
    }

    const asLeader = linkedOf(await call(dashboardLoader, get(`/?asOf=${SHOWN}`, cookies.leader)));
    expect(asLeader.find((item) => item.id === ids.region)).toMatchObject({ hidden: null, current: await overdue("region:North", SHOWN) });
  });
});
