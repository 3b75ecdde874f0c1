import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { updateBaselines } from "~/features/plans/baselines.server";
import { createItem, createPlan } from "~/features/plans/plans.server";
import { loader as boardLoader } from "~/routes/_app.plans.$planId._index";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { clearPlans } from "../../../support/plans";

/**
 * A baseline taken while a plan is drafted ahead is provisional, as of the day its link was made;
 * once the quarter begins it is replaced by the KPI as of the quarter's eve. Pages only read (the
 * eve's value, until it is stored); the baseline job and `npm run plans:baselines` store it.
 */

const DRAFTED = "2025-07-31";
const BEGUN = "2025-10-02";
const EVE = "2025-09-30";
const ids = { plan: 0, item: 0 };
let head: Actor;
let cookie = "";
let staffId = 0;

const itemRow = () =>
  getDb().selectFrom("plan_items").select(["kpi_baseline", "kpi_baseline_date", "version"]).where("id", "=", ids.item).executeTakeFirstOrThrow();

async function overdueAsOf(date: string): Promise<number> {
  return Number((await kpiValues(getDb(), resolveKpiRequest({ asOf: date, scope: "company" }))).values.overdue_total);
}

beforeAll(async () => {
  const user = await makeUser("head", { email: "head@demo.quarterdeck" });
  head = { id: user.id, role: "head" };
  cookie = await signIn(user.email);
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  staffId = staff.id;
  await importLedgerFixture();
});

// Each test starts from the head's Q4 plan drafted in Q3, its item linked with a provisional baseline.
beforeEach(async () => {
  await clearPlans(getDb());
  ids.plan = await createPlan(getDb(), head, { fiscalYear: 2025, quarter: 4, source: "empty", language: "en" }, DRAFTED);
  ids.item = await createItem(
    getDb(),
    head,
    ids.plan,
    itemFieldsSchema.parse({
      title: "Collect the overdue",
      category: "collection",
      ownerId: String(staffId),
      dueDate: "2025-11-30",
      kpiKey: "overdue_total",
      kpiTarget: "0",
    }),
    DRAFTED,
  );
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("provisional baselines", () => {
  it("are taken as of the day the link is made", async () => {
    expect(await itemRow()).toMatchObject({ kpi_baseline_date: DRAFTED, kpi_baseline: await overdueAsOf(DRAFTED) });
  });

  it("once the quarter has begun, the board measures from the eve's value without storing it", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", BEGUN);
    const before = await itemRow();
    const result = await call(boardLoader, get(`/plans/${ids.plan}`, cookie), { planId: String(ids.plan) });
    expect(statusOf(result)).toBe(200);
    const item = payloadOf<Awaited<ReturnType<typeof boardLoader>>>(result).items.find((candidate) => candidate.id === ids.item)!;
    expect(item.kpi).toMatchObject({ baselineDate: EVE, baseline: await overdueAsOf(EVE), provisional: false });
    expect(await itemRow()).toEqual(before);
  });

  it("the baseline job replaces them with the eve's value, once, and keeps the item's version", async () => {
    const before = await itemRow();
    expect(await updateBaselines(getDb(), DRAFTED)).toEqual({ plans: 0 });
    expect(await updateBaselines(getDb(), BEGUN)).toEqual({ plans: 1 });
    expect(await itemRow()).toEqual({ kpi_baseline_date: EVE, kpi_baseline: await overdueAsOf(EVE), version: before.version });
    expect(await updateBaselines(getDb(), BEGUN)).toEqual({ plans: 0 });
  });

  it("npm run plans:baselines runs the job as a process", async () => {
    await getDb().updateTable("plan_items").set({ kpi_baseline: null, kpi_baseline_date: null }).where("id", "=", ids.item).execute();
    const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["db/cli/plan-baselines.ts"], {
      env: { ...process.env, QUARTERDECK_TODAY: BEGUN },
    });
    expect(stdout).toContain("Took the due KPI baselines of 1 plan(s)");
    expect(await itemRow()).toMatchObject({ kpi_baseline_date: EVE, kpi_baseline: await overdueAsOf(EVE) });
  });
});
