import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { addDays, quarterOf } from "~/kernel/dates";
import { parseScope } from "~/features/kpi";
import { catchUpForecastInputs, projectScope, projectedValueOf } from "~/features/forecast/index.server";
import type { PushPlan } from "~/features/forecast/push.server";
import type { ItemProjection } from "~/features/forecast/item-projection.server";
import type { DashboardFigures } from "~/features/dashboard/dashboard";
import { loader as pushLoader } from "~/routes/_app.forecast_.push";
import { loader as itemLoader } from "~/routes/_app.plans.$planId.items.$itemId";
import { loader as dashboardLoader } from "~/routes/_app._index";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { forecastLedgerOwners, importForecastLedger } from "../../../support/forecast-ledger";
import { makePlan } from "../../../support/plans";

/**
 * The forecast on a KPI-linked item's page and on the dashboard's cards, on the forecast's small
 * ledger, with an approved plan of today's quarter: items due on its last day unless told.
 */
const owners = forecastLedgerOwners("itemproj");
const cookies = { head: "", staffA: "", staffB: "" };
const items = { overdue: 0, dso: 0, receivables: 0, ownerB: 0, ratio: 0 };
let planId = 0;
let planEnd = "";

beforeAll(async () => {
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importForecastLedger(owners);
  // the background job sums the payments by month; the projections read that, never the paid dates
  await catchUpForecastInputs(getDb());
  Object.assign(cookies, { head: await signIn(head.email), staffA: await signIn(owners.a), staffB: await signIn(owners.b) });
  const quarter = quarterOf(today());
  const made = await makePlan(
    getDb(),
    { head: head.email, leader: leader.email },
    {
      fiscalYear: quarter.fiscalYear,
      quarter: quarter.quarter as 1 | 2 | 3 | 4,
      state: "approved",
      items: [
        { title: "Clear the overdue", dueDate: quarter.end, owner: owners.a, kpi: { key: "overdue_total", scope: "company", target: "500.00" } },
        { title: "Bring DSO down", dueDate: quarter.end, owner: owners.a, kpi: { key: "dso", scope: "company", target: "45" } },
        { title: "Receivables", dueDate: quarter.end, owner: owners.a, kpi: { key: "ar_total", scope: "company", target: "100000000.00" } },
        { title: "Owner B's overdue", dueDate: quarter.end, owner: owners.b, kpi: { key: "overdue_total", scope: `owner:${owners.b}`, target: "0" } },
        { title: "Overdue ratio", dueDate: quarter.end, owner: owners.a, kpi: { key: "overdue_ratio", scope: "company", target: "10" } },
      ],
    },
    today(),
  );
  planId = made.planId;
  [items.overdue, items.dso, items.receivables, items.ownerB, items.ratio] = made.itemIds as [number, number, number, number, number];
  planEnd = (await getDb().selectFrom("plans").select("end_date").where("id", "=", planId).executeTakeFirstOrThrow()).end_date;
});

type ItemData = { projection: ItemProjection | null; kpi: { hidden: string | null } | null };
const itemPage = async (itemId: number, cookie: string) =>
  payloadOf<ItemData>(await call(itemLoader, get(`/plans/${planId}/items/${itemId}`, cookie), { planId: String(planId), itemId: String(itemId) }));

describe("a KPI-linked item's page", () => {
  it("shows the projection to the due date the push page makes, the gap to the target, and the actual values up to today", async () => {
    const { projection } = await itemPage(items.overdue, cookies.head);
    const push = payloadOf<PushPlan>(await call(pushLoader, get(`/forecast/push?item=${items.overdue}`, cookies.head)));
    expect(projection).toMatchObject({ kpi: "overdue_total", better: "down", asOf: today(), dueDate: planEnd, target: 50_000, projected: push.projection.overdue });
    expect(projection?.gap).toBe(Math.max(0, push.projection.overdue - 50_000));
    expect(projection?.gap).toBeGreaterThan(0);
    expect(projection?.current).toBe(push.current.overdue);
    const last = projection?.actual[projection.actual.length - 1];
    expect(last).toEqual({ date: today(), value: push.current.overdue });
    expect(projection?.actual.every((point, i, all) => i === 0 || (all[i - 1]?.date ?? "") < point.date)).toBe(true);
    // the path is the push page's, at risk as it judges
    expect(projection?.path?.planned ?? null).toBe(push.path?.planned ?? null);
    expect(projection?.path?.atRisk ?? null).toBe(push.path?.atRisk ?? null);
  });

  it("a target the projection meets has no gap; DSO the forecast cannot project (no sales in the window) has neither value nor gap", async () => {
    const { projection } = await itemPage(items.receivables, cookies.head);
    expect(projection).toMatchObject({ kpi: "ar_total", target: 10_000_000_000, gap: 0 });
    expect(projection?.projected).toBeGreaterThan(0);
    const dso = (await itemPage(items.dso, cookies.head)).projection;
    expect(dso).toMatchObject({ kpi: "dso", projected: null, gap: null });
  });

  it("none for a KPI the forecast does not project, nor once the due date has passed", async () => {
    expect((await itemPage(items.ratio, cookies.head)).projection).toBeNull();
    await getDb().updateTable("plan_items").set({ due_date: addDays(today(), -1) }).where("id", "=", items.dso).execute();
    try {
      expect((await itemPage(items.dso, cookies.head)).projection).toBeNull();
    } finally {
      await getDb().updateTable("plan_items").set({ due_date: planEnd }).where("id", "=", items.dso).execute();
    }
  });

  it("before the background job first summed the payments by month, a view projects nothing rather than sum every paid date", async () => {
    const kept = await getDb().selectFrom("forecast_inputs_status").selectAll().executeTakeFirstOrThrow();
    await getDb().deleteFrom("forecast_inputs_status").execute();
    try {
      expect((await itemPage(items.overdue, cookies.head)).projection).toBeNull();
    } finally {
      await getDb().insertInto("forecast_inputs_status").values(kept).execute();
    }
    expect((await itemPage(items.overdue, cookies.head)).projection).not.toBeNull();
  });

  it("staff see the projection of their own book, not of another owner's", async () => {
    const own = await itemPage(items.ownerB, cookies.staffB);
    expect(own.projection?.projected).toBeGreaterThan(0);
    const other = await itemPage(items.ownerB, cookies.staffA);
    expect(other.kpi?.hidden).not.toBeNull();
    expect(other.projection).toBeNull();
  });
});

describe("the dashboard's KPI cards", () => {
  async function projectedValue(scopeText: string, kpi: "overdue_total" | "dso", date: string) {
    const parsed = parseScope(scopeText);
    if (!parsed.ok) throw new Error(scopeText);
    const projection = (await projectScope(getDb(), parsed.scope, today(), [date]))?.get(date);
    if (!projection) throw new Error("no projection");
    return projectedValueOf(kpi, projection);
  }

  it("a card linked to open items in the viewed scope shows the KPI projected to the nearest item's due date", async () => {
    const { dashboard } = payloadOf<{ dashboard: DashboardFigures }>(await call(dashboardLoader, get("/?scope=company", cookies.head)));
    expect(dashboard.projected?.overdue_total).toEqual({ date: planEnd, value: await projectedValue("company", "overdue_total", planEnd), target: 50_000, misses: true, item: "Clear the overdue" });
    expect(dashboard.projected?.ar_total).toMatchObject({ date: planEnd, target: 10_000_000_000, misses: false, item: "Receivables" });
    expect(dashboard.projected?.dso).toEqual({ date: planEnd, value: null, target: 45, misses: false, item: "Bring DSO down" });
    // the overdue ratio is not projected; the owner's item is of another scope
    expect(Object.keys(dashboard.projected ?? {}).sort()).toEqual(["ar_total", "dso", "overdue_total"]);
  });

  it("the nearest due date wins, and a done item is left out", async () => {
    const near = addDays(today(), 1) > planEnd ? planEnd : addDays(today(), 1);
    const extra = (
      await getDb()
        .insertInto("plan_items")
        .values({ plan_id: planId, position: 99, title: "Sooner", category: "collection", status: "todo", due_date: near, kpi_key: "overdue_total", kpi_scope: "company", kpi_better: "down", kpi_target: 70_000, created_at: "x", updated_at: "x" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    try {
      const { dashboard } = payloadOf<{ dashboard: DashboardFigures }>(await call(dashboardLoader, get("/?scope=company", cookies.head)));
      expect(dashboard.projected?.overdue_total).toMatchObject({ date: near, target: 70_000, item: "Sooner" });
      await getDb().updateTable("plan_items").set({ status: "done" }).where("id", "=", extra).execute();
      const again = payloadOf<{ dashboard: DashboardFigures }>(await call(dashboardLoader, get("/?scope=company", cookies.head))).dashboard;
      expect(again.projected?.overdue_total).toMatchObject({ date: planEnd, item: "Clear the overdue" });
    } finally {
      await getDb().deleteFrom("plan_items").where("id", "=", extra).execute();
    }
  });

  it("staff see the projection of their own book's card; another owner's scope stays refused", async () => {
    const own = payloadOf<{ dashboard: DashboardFigures }>(await call(dashboardLoader, get(`/?scope=owner:${owners.b}`, cookies.staffB))).dashboard;
    expect(own.projected?.overdue_total).toEqual({ date: planEnd, value: await projectedValue(`owner:${owners.b}`, "overdue_total", planEnd), target: 0, misses: true, item: "Owner B's overdue" });
    const mine = payloadOf<{ dashboard: DashboardFigures }>(await call(dashboardLoader, get(`/?scope=owner:${owners.a}`, cookies.staffA))).dashboard;
    expect(mine.projected).toEqual({});
    expect(statusOf(await call(dashboardLoader, get(`/?scope=owner:${owners.b}`, cookies.staffA)))).toBe(403);
  });
});
