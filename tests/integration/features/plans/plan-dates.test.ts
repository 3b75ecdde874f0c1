import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { openCreditReview } from "~/features/credit/review/review.server";
import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { getSettings } from "~/features/settings/index.server";
import { createItem, createPlan, getPlan, transition } from "~/features/plans/plans.server";
import { action as settingsAction } from "~/routes/_app.admin.settings";
import { loader as dashboardLoader } from "~/routes/_app._index";
import { loader as itemLoader } from "~/routes/_app.plans.$planId.items.$itemId";
import { action as plansAction, loader as plansLoader } from "~/routes/_app.plans._index";
import { loader as reviewLoader } from "~/routes/_app.review.$fiscalYear";
import { loader as tasksLoader } from "~/routes/_app.tasks";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { type BoardData, loadBoard } from "../../../support/plan-pages";

/**
 * A plan keeps the dates it was made for. Q3 2025 (under way, approved) and Q4 2025 (drafted
 * ahead) are made with January as the fiscal year's first month; the administrator then switches
 * to April (Jul-Sep 2025 becomes FY2026 Q2) and back. Nothing about either plan may move, no page
 * view may write, and the not-yet-started plan shows no progress.
 */

// The fixture ledger is dated 2025; "today" is in its third quarter.
const TODAY = "2025-07-31";
const who = {} as Record<"head" | "staff" | "leader" | "admin", { actor: Actor; cookie: string }>;
const ids = { current: 0, ahead: 0, linkedNow: 0, reviewItem: 0, linkedAhead: 0 };

function fields(overrides: Record<string, string>) {
  return itemFieldsSchema.parse({ category: "collection", ownerId: String(who.staff.actor.id), ...overrides });
}

const itemRows = () =>
  getDb().selectFrom("plan_items").select(["id", "kpi_baseline", "kpi_baseline_date", "version", "updated_at"]).orderBy("id").execute();

const board = (planId: number): Promise<BoardData> => loadBoard(planId, who.head.cookie);

async function setStartMonth(month: number) {
  const basedOn = String((await getSettings(getDb())).fiscalStartMonth);
  expect(statusOf(await call(settingsAction, post("/admin/settings", { fiscalStartMonth: String(month), basedOn }, who.admin.cookie)))).toBe(200);
  expect((await getSettings(getDb())).fiscalStartMonth).toBe(month);
}

beforeAll(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  for (const [key, role, email] of [
    ["head", "head", "head@demo.quarterdeck"],
    ["staff", "staff", "staff@demo.quarterdeck"],
    ["leader", "leader", undefined],
    ["admin", "admin", undefined],
  ] as const) {
    const user = await makeUser(role, email ? { email } : {});
    who[key] = { actor: { id: user.id, role }, cookie: await signIn(user.email) };
  }
  await importLedgerFixture();
  const db = getDb();
  ids.current = await createPlan(db, who.head.actor, { fiscalYear: 2025, quarter: 3, source: "empty", language: "en" }, TODAY);
  ids.linkedNow = await createItem(
    db,
    who.head.actor,
    ids.current,
    fields({ title: "Collect this quarter's overdue", dueDate: "2025-09-15", kpiKey: "overdue_total", kpiTarget: "0" }),
    TODAY,
  );
  ids.reviewItem = await createItem(
    db,
    who.head.actor,
    ids.current,
    fields({ title: "Quarterly credit review", category: "credit_review", dueDate: "2025-09-30" }),
    TODAY,
  );
  await transition(db, who.head.actor, ids.current, (await getPlan(db, ids.current)).version, { type: "submit" }, TODAY);
  await transition(db, who.leader.actor, ids.current, (await getPlan(db, ids.current)).version, { type: "approve" }, TODAY);

  ids.ahead = await createPlan(db, who.head.actor, { fiscalYear: 2025, quarter: 4, source: "empty", language: "en" }, TODAY);
  ids.linkedAhead = await createItem(
    db,
    who.head.actor,
    ids.ahead,
    fields({ title: "Collect next quarter's overdue", dueDate: "2025-11-15", kpiKey: "overdue_total", kpiTarget: "0" }),
    TODAY,
  );
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe("changing the fiscal year's first month", () => {
  // Each test starts under January, the plans' own first month; those about April switch to it.
  beforeEach(async () => {
    await setStartMonth(1);
  });

  it("a plan drafted ahead has a provisional baseline as of the day its link was made, and no progress yet", async () => {
    const ahead = (await itemRows()).find((row) => row.id === ids.linkedAhead)!;
    expect(ahead.kpi_baseline_date).toBe(TODAY);
    const data = await board(ids.ahead);
    const item = data.items.find((candidate) => candidate.id === ids.linkedAhead)!;
    expect(item.kpi?.progress).toBeNull();
    expect(item.kpi?.track).toBeNull();
    expect(data.rollup.kpiOnTrack).toBe(0);
  });

  it("keeps every plan's dates and name, and no page view writes, after a switch to April", async () => {
    const before = await itemRows();
    await setStartMonth(4);

    const ahead = await board(ids.ahead);
    expect(ahead.quarter).toMatchObject({ start: "2025-10-01", end: "2025-12-31" });
    // Named as made: Q4 2025 under January, not "FY2025 Q4" of April (Jan-Mar 2025).
    expect(ahead.plan).toMatchObject({ fiscalYear: 2025, quarter: 4, fiscalStartMonth: 1 });
    const aheadItem = ahead.items.find((candidate) => candidate.id === ids.linkedAhead)!;
    expect(aheadItem.kpi?.progress).toBeNull();
    expect(aheadItem.kpi?.track).toBeNull();
    expect(ahead.rollup.kpiOnTrack).toBe(0);

    const current = await board(ids.current);
    expect(current.quarter).toMatchObject({ start: "2025-07-01", end: "2025-09-30" });

    const itemPage = payloadOf<Awaited<ReturnType<typeof itemLoader>>>(
      await call(itemLoader, get(`/plans/${ids.current}/items/${ids.linkedNow}`, who.head.cookie), {
        planId: String(ids.current),
        itemId: String(ids.linkedNow),
      }),
    );
    expect(itemPage.kpi?.quarterStart).toBe("2025-07-01");
    expect(itemPage.dueWindow).toEqual({ start: "2025-07-01", end: "2025-10-15" });

    const tasks = payloadOf<Awaited<ReturnType<typeof tasksLoader>>>(await call(tasksLoader, get("/tasks", who.staff.cookie)));
    const task = tasks.open.find((candidate) => candidate.id === ids.linkedNow)!;
    expect(task.kpi?.quarterStart).toBe("2025-07-01");

    // Loaders read; they never write (no baseline re-taken for a quarter the plan was moved to).
    expect(await itemRows()).toEqual(before);
  });

  it("finds the plan of a date by the plans' own dates: dashboard, new-plan form, year review, credit review", async () => {
    await setStartMonth(4);
    const dashboard = payloadOf<{ dashboard: { plan: { id: number } | null } }>(
      await call(dashboardLoader, get(`/?asOf=${TODAY}&scope=company`, who.head.cookie)),
    );
    expect(dashboard.dashboard.plan?.id).toBe(ids.current);

    // Under April, FY2026 Q2 (Jul-Sep 2025) and Q3 (Oct-Dec 2025) are covered already.
    const plans = payloadOf<Awaited<ReturnType<typeof plansLoader>>>(await call(plansLoader, get("/plans", who.head.cookie)));
    expect(plans.suggested).toEqual({ fiscalYear: 2026, quarter: 4 });
    const count = async () => Number((await getDb().selectFrom("plans").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const plansBefore = await count();
    const overlapping = await call(
      plansAction,
      post("/plans", { intent: "create-plan", fiscalYear: "2026", quarter: "2", source: "empty", language: "en" }, who.head.cookie),
    );
    const newPlan = (fiscalYear: number, quarter: number) =>
      call(plansAction, post("/plans", { intent: "create-plan", fiscalYear: String(fiscalYear), quarter: String(quarter), source: "empty", language: "en" }, who.head.cookie));
    const refusedWith = (result: unknown) => {
      expect(statusOf(result)).toBe(400);
      return payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors.quarter;
    };
    // The same dates as Q3 2025 under another name; FY2025 Q4 of April (Jan-Mar 2025) would carry Q4 2025's name.
    expect(refusedWith(overlapping)).toEqual(["plans.error.exists"]);
    expect(refusedWith(await newPlan(2025, 4))).toEqual(["plans.error.nameTaken"]);
    // With February, FY2026 Q3 is Aug-Oct 2025: it shares days with both plans.
    await setStartMonth(2);
    expect(refusedWith(await newPlan(2026, 3))).toEqual(["plans.error.overlaps"]);
    await setStartMonth(4);
    expect(await count()).toBe(plansBefore);

    // FY2026 under April is Apr 2025 - Mar 2026: both plans belong to it, counted in its quarters.
    const review = payloadOf<Awaited<ReturnType<typeof reviewLoader>>>(
      await call(reviewLoader, get("/review/2026", who.head.cookie), { fiscalYear: "2026" }),
    );
    const reviewed = review.review.work.kpiItems.map((item) => [item.id, item.quarter]);
    expect(reviewed).toEqual(expect.arrayContaining([[ids.linkedNow, 2], [ids.linkedAhead, 3]]));

    const opened = await openCreditReview(getDb(), who.head.actor, { fiscalYear: 2026, quarter: 2, fiscalStartMonth: 4 }, TODAY);
    const stored = await getDb()
      .selectFrom("credit_reviews")
      .select("plan_item_id")
      .where("id", "=", opened.reviewId)
      .executeTakeFirstOrThrow();
    expect(stored.plan_item_id).toBe(ids.reviewItem);
  });

  it("switching back to January leaves the provisional baseline as it was, still without progress", async () => {
    await setStartMonth(4);
    const before = await itemRows();
    await setStartMonth(1);
    const ahead = await board(ids.ahead);
    expect(ahead.quarter).toMatchObject({ start: "2025-10-01", end: "2025-12-31" });
    const item = ahead.items.find((candidate) => candidate.id === ids.linkedAhead)!;
    expect(item.kpi?.baselineDate).toBe(TODAY);
    expect(item.kpi?.progress).toBeNull();
    expect(item.kpi?.track).toBeNull();
    expect(await itemRows()).toEqual(before);
  });
});
