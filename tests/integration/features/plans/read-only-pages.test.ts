import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { createItem, createPlan, getPlan, transition } from "~/features/plans/plans.server";
import { itemFieldsSchema } from "~/features/plans/schema";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { loader as listLoader } from "~/routes/_app.plans._index";
import { loader as boardLoader } from "~/routes/_app.plans.$planId._index";
import { loader as itemLoader } from "~/routes/_app.plans.$planId.items.$itemId";
import { loader as newItemLoader } from "~/routes/_app.plans.$planId.items.new";
import { loader as approvedLoader } from "~/routes/_app.plans.$planId.approved";
import { loader as closeLoader } from "~/routes/_app.plans.$planId.close";
import { loader as templateLoader } from "~/routes/_app.plans.template";
import { loader as tasksLoader } from "~/routes/_app.tasks";
import { loader as customerOptionsLoader } from "~/routes/plans.customer-options";
import { call, get, makeUser, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { clearPlans } from "../../../support/plans";

/**
 * Pages only read. A plan's KPI baselines are taken by the commands that need them (creating the
 * plan or an item, changing a link, approving) and by the baseline job; a page shown while one is
 * due (the quarter has begun, the eve's value is not stored yet) reads it and writes nothing.
 */

const DRAFTED = "2025-07-31";
const BEGUN = "2025-10-02";
const ids = { plan: 0, item: 0, bare: 0 };
const cookies = { head: "", staff: "" };
let head: Actor;
let leader: Actor;
let staffId = 0;

const fields = (overrides: Record<string, string> = {}) =>
  itemFieldsSchema.parse({
    title: "Collect the overdue",
    category: "collection",
    ownerId: String(staffId),
    dueDate: "2025-11-30",
    kpiKey: "overdue_total",
    kpiTarget: "0",
    ...overrides,
  });

/** Everything the plan pages could write: the plans, their items, comments, snapshots and the audit log. */
async function stored() {
  const db = getDb();
  return {
    plans: await db.selectFrom("plans").selectAll().orderBy("id").execute(),
    items: await db.selectFrom("plan_items").selectAll().orderBy("id").execute(),
    customers: await db.selectFrom("plan_item_customers").selectAll().orderBy("item_id").orderBy("customer_id").execute(),
    comments: await db.selectFrom("plan_comments").selectAll().orderBy("id").execute(),
    snapshots: await db.selectFrom("plan_snapshots").selectAll().orderBy("plan_id").execute(),
    template: await db.selectFrom("plan_template_items").selectAll().orderBy("id").execute(),
    audit: Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n),
  };
}

const baselineOf = (itemId: number) =>
  getDb().selectFrom("plan_items").select(["kpi_baseline", "kpi_baseline_date", "version"]).where("id", "=", itemId).executeTakeFirstOrThrow();

beforeAll(async () => {
  const headUser = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leaderUser = await makeUser("leader");
  head = { id: headUser.id, role: "head" };
  leader = { id: leaderUser.id, role: "leader" };
  staffId = staff.id;
  await importLedgerFixture();
  cookies.head = await signIn(headUser.email);
  cookies.staff = await signIn(staff.email);
});

// Each test starts from the head's Q4 draft, drafted in Q3, with two KPI-linked items.
beforeEach(async () => {
  await clearPlans(getDb());
  ids.plan = await createPlan(getDb(), head, { fiscalYear: 2025, quarter: 4, source: "empty", language: "en" }, DRAFTED);
  ids.item = await createItem(getDb(), head, ids.plan, fields(), DRAFTED);
  ids.bare = await createItem(getDb(), head, ids.plan, fields({ title: "Chase the DSO", kpiKey: "dso" }), DRAFTED);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the plan pages", () => {
  it("take a missing baseline when the plan is approved, not later on a page view", async () => {
    // A link whose baseline was never taken (the KPI could not be read then): approval takes it.
    await getDb().updateTable("plan_items").set({ kpi_baseline: null, kpi_baseline_date: null }).where("id", "=", ids.bare).execute();
    let plan = await getPlan(getDb(), ids.plan);
    await transition(getDb(), head, ids.plan, plan.version, { type: "submit" }, DRAFTED);
    plan = await getPlan(getDb(), ids.plan);
    const before = await baselineOf(ids.bare);
    await transition(getDb(), leader, ids.plan, plan.version, { type: "approve", comment: "" }, DRAFTED);
    const dso = Number((await kpiValues(getDb(), resolveKpiRequest({ asOf: DRAFTED, scope: "company" }))).values.dso);
    expect(await baselineOf(ids.bare)).toEqual({ kpi_baseline: dso, kpi_baseline_date: DRAFTED, version: before.version });
  });

  it("write nothing when shown, even while the quarter's eve baseline is due", async () => {
    // approved while it was drafted, in Q3
    await transition(getDb(), head, ids.plan, (await getPlan(getDb(), ids.plan)).version, { type: "submit" }, DRAFTED);
    await transition(getDb(), leader, ids.plan, (await getPlan(getDb(), ids.plan)).version, { type: "approve", comment: "" }, DRAFTED);
    vi.stubEnv("QUARTERDECK_TODAY", BEGUN);
    const planId = String(ids.plan);
    const pages: Array<[string, () => Promise<unknown>]> = [
      ["list", () => call(listLoader, get("/plans", cookies.head))],
      ["board", () => call(boardLoader, get(`/plans/${planId}`, cookies.head), { planId })],
      ["item", () => call(itemLoader, get(`/plans/${planId}/items/${ids.item}`, cookies.head), { planId, itemId: String(ids.item) })],
      ["new item", () => call(newItemLoader, get(`/plans/${planId}/items/new`, cookies.head), { planId })],
      ["approved", () => call(approvedLoader, get(`/plans/${planId}/approved`, cookies.head), { planId })],
      ["close", () => call(closeLoader, get(`/plans/${planId}/close`, cookies.head), { planId })],
      ["template", () => call(templateLoader, get("/plans/template", cookies.head))],
      ["my tasks", () => call(tasksLoader, get("/tasks", cookies.staff))],
      ["customer options", () => call(customerOptionsLoader, get("/plans/customer-options?q=C", cookies.head))],
    ];
    const before = await stored();
    for (const [name, load] of pages) {
      expect(statusOf(await load()), name).toBe(200);
      expect(await stored(), name).toEqual(before);
    }
    // Due indeed: the job still has the eve's values to store.
    expect((await baselineOf(ids.item)).kpi_baseline_date).toBe(DRAFTED);
  });
});
