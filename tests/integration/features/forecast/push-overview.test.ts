import { beforeAll, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { quarterOf } from "~/kernel/dates";
import { catchUpForecastInputs } from "~/features/forecast/index.server";
import type { PushOverview } from "~/features/forecast/push-overview.server";
import type { PushPlan } from "~/features/forecast/push.server";
import { computeForecast } from "~/features/forecast/forecast";
import { loader } from "~/routes/_app.forecast_.push";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { forecastLedgerOwners, importForecastLedger } from "../../../support/forecast-ledger";
import { clearPlans, makePlan } from "../../../support/plans";

// Counts the forecasts computed: the overview computes one per KPI scope, however many items share it.
vi.mock("~/features/forecast/forecast", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/features/forecast/forecast")>();
  return { ...original, computeForecast: vi.fn(original.computeForecast) };
});

/**
 * The year-end push overview (`/forecast/push` without an item) on the forecast's small ledger,
 * with an approved plan of today's quarter: its KPI-linked items, year-end push first, each with the
 * figures its own push plan shows; staff see the items of the figures they may read.
 */
const owners = forecastLedgerOwners("pushview");
const cookies = { head: "", staffA: "", staffB: "", leader: "", admin: "" };
const items = { yearEnd: 0, dso: 0, ownerB: 0, receivables: 0, unlinked: 0, nearOverdue: 0 };
let planEnd = "";

beforeAll(async () => {
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importForecastLedger(owners);
  await catchUpForecastInputs(getDb());
  Object.assign(cookies, {
    head: await signIn(head.email),
    staffA: await signIn(owners.a),
    staffB: await signIn(owners.b),
    leader: await signIn(leader.email),
    admin: await signIn(admin.email),
  });
  const quarter = quarterOf(today());
  const made = await makePlan(
    getDb(),
    { head: head.email, leader: leader.email },
    {
      fiscalYear: quarter.fiscalYear,
      quarter: quarter.quarter as 1 | 2 | 3 | 4,
      state: "approved",
      items: [
        { title: "Receivables", dueDate: quarter.end, owner: owners.a, kpi: { key: "ar_total", scope: "company", target: "100000000.00" } },
        { title: "Bring DSO down", dueDate: quarter.end, owner: owners.a, kpi: { key: "dso", scope: "company", target: "45" } },
        { title: "Owner B's overdue", dueDate: quarter.end, owner: owners.b, kpi: { key: "overdue_total", scope: `owner:${owners.b}`, target: "0" } },
        { title: "Train the team", dueDate: quarter.end, owner: owners.a },
        { title: "Year-end collection push", category: "year_end_push", dueDate: quarter.end, owner: owners.a, kpi: { key: "overdue_total", scope: "company", target: "500.00" } },
        { title: "Overdue down early", dueDate: today(), owner: owners.a, kpi: { key: "overdue_total", scope: "company", target: "1000.00" } },
      ],
    },
    today(),
  );
  [items.receivables, items.dso, items.ownerB, items.unlinked, items.yearEnd, items.nearOverdue] = made.itemIds as [number, number, number, number, number, number];
  planEnd = (await getDb().selectFrom("plans").select("end_date").where("id", "=", made.planId).executeTakeFirstOrThrow()).end_date;
});

type Overview = { view: "overview"; overview: PushOverview; staff: boolean };
const overview = async (cookie: string) => payloadOf<Overview>(await call(loader, get("/forecast/push", cookie)));
const pushPlan = async (itemId: number, cookie: string) => payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${itemId}`, cookie)));

describe("the year-end push overview", () => {
  it("lists the head every KPI-linked item, year-end push first, with the figures of each item's own push plan", async () => {
    const forecasts = vi.mocked(computeForecast);
    forecasts.mockClear();
    const page = await overview(cookies.head);
    expect(page.view).toBe("overview");
    // three push items on two scopes: two forecasts, not three
    expect(forecasts).toHaveBeenCalledTimes(2);
    const { items: rows } = page.overview;
    expect(rows.map((row) => row.id)).toEqual([items.yearEnd, items.nearOverdue, items.dso, items.ownerB, items.receivables]);
    expect(rows.map((row) => [row.yearEnd, row.push])).toEqual([
      [true, true],
      [false, true],
      [false, true],
      [false, true],
      [false, false],
    ]);
    expect(rows[0]).toMatchObject({ title: "Year-end collection push", kpi: "overdue_total", scope: "company", target: 50_000, dueDate: planEnd, ownerName: expect.any(String) });

    for (const row of rows.filter((r) => r.push)) {
      const plan = await pushPlan(row.id, cookies.head);
      expect(row.projected, row.title).toBe(plan.gap.projected);
      expect(row.required, row.title).toBe(plan.gap.required);
      expect(row.current, row.title).toBe(plan.item.kpi === "dso" ? plan.current.dso : plan.current.overdue);
      expect(row.path?.atRisk ?? null, row.title).toBe(plan.path?.atRisk ?? null);
      expect(row.path?.planned ?? null, row.title).toBe(plan.path?.planned ?? null);
    }
    const yearEnd = rows[0];
    expect(yearEnd?.required).toBeGreaterThan(0);
    expect(yearEnd?.gap).toBe(Math.max(0, (yearEnd?.projected ?? 0) - 50_000));
    // the receivables have no push plan, but today's value and the target are there
    expect(rows[4]).toMatchObject({ kpi: "ar_total", push: false, projected: null, required: null, target: 10_000_000_000 });
    expect(rows[4]?.current).toBeGreaterThan(0);
    expect(page.overview.totals).toEqual({
      push: 4,
      misses: rows.filter((r) => r.push && (r.gap ?? 0) > 0).length,
      atRisk: rows.filter((r) => r.path?.atRisk).length,
      done: 0,
    });
    expect(rows.every((r) => !r.done)).toBe(true);
    expect(page.overview.hidden).toBe(0);
    expect(page.overview.forecastPending).toBe(false);
  });

  it("a done item stays listed, marked done, and is not counted among the misses or the items behind (as the early warnings)", async () => {
    const before = await overview(cookies.head);
    const yearEnd = before.overview.items.find((row) => row.id === items.yearEnd);
    expect(yearEnd?.gap).toBeGreaterThan(0);
    await getDb().updateTable("plan_items").set({ status: "done" }).where("id", "=", items.yearEnd).execute();
    try {
      const after = await overview(cookies.head);
      expect(after.overview.items.map((row) => row.id)).toEqual(before.overview.items.map((row) => row.id));
      expect(after.overview.items.find((row) => row.id === items.yearEnd)).toMatchObject({ done: true, gap: yearEnd?.gap });
      expect(after.overview.totals).toEqual({
        push: before.overview.totals.push,
        misses: before.overview.totals.misses - 1,
        atRisk: before.overview.totals.atRisk - (yearEnd?.path?.atRisk ? 1 : 0),
        done: 1,
      });
    } finally {
      await getDb().updateTable("plan_items").set({ status: "todo" }).where("id", "=", items.yearEnd).execute();
    }
  });

  it("the leader sees the same items", async () => {
    const head = await overview(cookies.head);
    const leader = await overview(cookies.leader);
    expect(leader.overview.items).toEqual(head.overview.items);
  });

  it("gives staff the items of the figures they may read: not another owner's book", async () => {
    const a = await overview(cookies.staffA);
    expect(a.staff).toBe(true);
    expect(a.overview.items.map((row) => row.id)).toEqual([items.yearEnd, items.nearOverdue, items.dso, items.receivables]);
    expect(a.overview.hidden).toBe(1);
    const b = await overview(cookies.staffB);
    expect(b.overview.items.map((row) => row.id)).toContain(items.ownerB);
    // and the push plan behind the hidden row refuses them as before
    expect(statusOf(await call(loader, get(`/forecast/push?item=${items.ownerB}`, cookies.staffA)))).toBe(403);
  });

  it("refuses a role without ledger figures (403) and still refuses a bad item number (400)", async () => {
    expect(statusOf(await call(loader, get("/forecast/push", cookies.admin)))).toBe(403);
    expect(statusOf(await call(loader, get("/forecast/push?item=", cookies.head)))).toBe(400);
  });

  it("before the job first summed the payments by month, it projects nothing and says so", async () => {
    const kept = await getDb().selectFrom("forecast_inputs_status").selectAll().executeTakeFirstOrThrow();
    await getDb().deleteFrom("forecast_inputs_status").execute();
    try {
      const page = await overview(cookies.head);
      expect(page.overview.forecastPending).toBe(true);
      expect(page.overview.items.every((row) => row.projected === null && row.required === null)).toBe(true);
      expect(page.overview.items[0]?.current).toBeGreaterThan(0);
    } finally {
      await getDb().insertInto("forecast_inputs_status").values(kept).execute();
    }
  });

  it("with no item linked to a KPI the list is empty (the page says what to do)", async () => {
    await clearPlans(getDb());
    const page = await overview(cookies.head);
    expect(statusOf(await call(loader, get("/forecast/push", cookies.head)))).toBe(200);
    expect(page.overview.items).toEqual([]);
    expect(page.overview.totals).toEqual({ push: 0, misses: 0, atRisk: 0, done: 0 });
  });
});
