import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { loader as dashboardLoader } from "~/routes/_app._index";
import { action as boardAction, loader as boardLoader } from "~/routes/_app.plans.$planId._index";
import { loader as approvedLoader } from "~/routes/_app.plans.$planId.approved";
import { action as closeAction, loader as closeLoader } from "~/routes/_app.plans.$planId.close";
import { action as listAction, loader as listLoader } from "~/routes/_app.plans._index";
import { createItem, createPlan, getPlan, transition, updateItem } from "~/features/plans/plans.server";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { type BoardData, loadBoard } from "../../../support/plan-pages";
import { clearPlans } from "../../../support/plans";
import { present } from "../../../support/present";

const cookies = { head: "", staff: "", leader: "", admin: "" };
const ids = { head: 0, staff: 0, leader: 0 };
const TODAY = "2025-07-31";

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  ids.head = head.id;
  ids.staff = staff.id;
  ids.leader = leader.id;
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
});

beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  // Each test starts from no plan and makes the one it needs: a quarter has one plan at most.
  await clearPlans(getDb());
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const planCount = async () => (await getDb().selectFrom("plans").select("id").execute()).length;

const board = (planId: number, cookie = cookies.head, query = ""): Promise<BoardData> => loadBoard(planId, cookie, query);

function postBoard(planId: number, fields: Record<string, string>, cookie: string) {
  return call(boardAction, post(`/plans/${planId}`, fields, cookie), { planId: String(planId) });
}

describe("the plan list", () => {
  it("offers the head a new plan for this quarter and hides it from everyone else", async () => {
    const head = payloadOf<Awaited<ReturnType<typeof listLoader>>>(await call(listLoader, get("/plans", cookies.head)));
    expect(head).toMatchObject({ canCreate: true, suggested: { fiscalYear: 2025, quarter: 3 }, plans: [] });
    const staff = payloadOf<Awaited<ReturnType<typeof listLoader>>>(await call(listLoader, get("/plans", cookies.staff)));
    expect(staff.canCreate).toBe(false);
    expect(statusOf(await call(listLoader, get("/plans", cookies.admin)))).toBe(403);
  });

  it("refuses forged and unauthorised posts without creating anything", async () => {
    const fields = { intent: "create-plan", fiscalYear: "2025", quarter: "3", source: "template", language: "en" };
    expect(statusOf(await call(listAction, post("/plans", fields, cookies.staff)))).toBe(403);
    expect(statusOf(await call(listAction, post("/plans", fields, cookies.leader)))).toBe(403);
    expect(statusOf(await call(listAction, post("/plans", { ...fields, quarter: "5" }, cookies.head)))).toBe(400);
    expect(statusOf(await call(listAction, post("/plans", { ...fields, source: "magic" }, cookies.head)))).toBe(400);
    expect(statusOf(await call(listAction, post("/plans", { ...fields, fiscalYear: "20x5" }, cookies.head)))).toBe(400);
    expect(await planCount()).toBe(0);
  });

  it("creates the head's draft from the template and goes to its board", async () => {
    const result = await call(listAction, post("/plans", { intent: "create-plan", fiscalYear: "2025", quarter: "3", source: "template", language: "en" }, cookies.head));
    expect(statusOf(result)).toBe(302);
    expect((result as Response).headers.get("Location")).toMatch(/^\/plans\/\d+$/);
    const again = await call(listAction, post("/plans", { intent: "create-plan", fiscalYear: "2025", quarter: "3", source: "empty", language: "en" }, cookies.head));
    expect(statusOf(again)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(again).fieldErrors.quarter).toEqual(["plans.error.exists"]);
    expect(await planCount()).toBe(1);
  });
});

describe("the board, approval and closing", () => {
  /**
   * The head's Q3 plan from the template, every template item given to the staff member, and the
   * head's own "East overdue down" item linked to the East overdue total; brought to `state`. The
   * approved plan went through one return ("Add a DSO target.") first, as a real one often does.
   */
  async function boardPlan(state: "draft" | "submitted" | "approved"): Promise<number> {
    const head = { id: ids.head, role: "head" as const };
    const leader = { id: ids.leader, role: "leader" as const };
    const planId = await createPlan(getDb(), head, { fiscalYear: 2025, quarter: 3, source: "template", language: "en" }, TODAY);
    const plan = await getPlan(getDb(), planId);
    for (const item of plan.items) {
      await updateItem(getDb(), head, planId, item.id, item.version, itemFieldsSchema.parse({ title: item.title, category: item.category, ownerId: String(ids.staff), dueDate: item.dueDate }), TODAY);
    }
    await createItem(getDb(), head, planId, itemFieldsSchema.parse({ title: "East overdue down", category: "collection", ownerId: String(ids.head), dueDate: "2025-09-20", kpiKey: "overdue_total", kpiScope: "region:East", kpiTarget: "0" }), TODAY);
    if (state === "draft") return planId;
    const version = async () => (await getPlan(getDb(), planId)).version;
    await transition(getDb(), head, planId, await version(), { type: "submit" }, TODAY);
    if (state === "submitted") return planId;
    await transition(getDb(), leader, planId, await version(), { type: "return", comment: "Add a DSO target." }, TODAY);
    await transition(getDb(), head, planId, await version(), { type: "submit" }, TODAY);
    await transition(getDb(), leader, planId, await version(), { type: "approve" }, TODAY);
    return planId;
  }

  it("answers 404 for a plan that does not exist or a garbled id", async () => {
    const planId = await boardPlan("draft");
    expect(statusOf(await call(boardLoader, get("/plans/999", cookies.head), { planId: "999" }))).toBe(404);
    expect(statusOf(await call(boardLoader, get("/plans/x1", cookies.head), { planId: "x1" }))).toBe(404);
    expect(statusOf(await call(boardLoader, get(`/plans/${planId}`, cookies.admin), { planId: String(planId) }))).toBe(403);
  });

  it("shows the header's numbers, the KPI progress and filters by owner and status", async () => {
    const planId = await boardPlan("draft");
    const data = await board(planId);
    expect(data.plan.state).toBe("draft");
    expect(data.rollup.total).toBe(data.items.length);
    const linked = data.items.find((item) => item.title === "East overdue down")!;
    expect(linked.kpi).toMatchObject({ key: "overdue_total", scope: "region:East", baselineDate: "2025-06-30", target: 0 });
    expect(linked.kpi!.current).toBeGreaterThan(0);
    expect(data.may).toMatchObject({ submit: true, decide: false, close: false });
    const mine = await board(planId, cookies.head, `?owner=${ids.head}`);
    expect(mine.items.map((item) => item.title)).toEqual(["East overdue down"]);
    expect((await board(planId, cookies.head, "?status=done")).items).toEqual([]);
    expect((await board(planId, cookies.staff)).may).toMatchObject({ submit: false, addItem: false, comment: true });
  });

  it("lets only the head submit, and refuses a stale version with 409", async () => {
    const planId = await boardPlan("draft");
    const { plan } = await board(planId);
    expect(statusOf(await postBoard(planId, { intent: "submit", version: String(plan.version) }, cookies.staff))).toBe(403);
    expect(statusOf(await postBoard(planId, { intent: "submit", version: String(plan.version) }, cookies.leader))).toBe(403);
    expect(statusOf(await postBoard(planId, { intent: "submit", version: String(plan.version + 5) }, cookies.head))).toBe(409);
    expect(statusOf(await postBoard(planId, { intent: "submit" }, cookies.head))).toBe(400);
    expect((await board(planId)).plan.state).toBe("draft");
    expect(statusOf(await postBoard(planId, { intent: "submit", version: String(plan.version) }, cookies.head))).toBe(302);
    expect((await board(planId)).plan.state).toBe("submitted");
  });

  it("lets the leader return with a comment (required) and approve the resubmitted plan", async () => {
    const planId = await boardPlan("submitted");
    let { plan } = await board(planId, cookies.leader);
    const empty = await postBoard(planId, { intent: "return", version: String(plan.version), comment: "" }, cookies.leader);
    expect(statusOf(empty)).toBe(400);
    expect(payloadOf<{ message: string }>(empty).message).toBe("plan.error.returnNeedsComment");
    expect(statusOf(await postBoard(planId, { intent: "return", version: String(plan.version), comment: "Add a DSO target." }, cookies.leader))).toBe(302);
    const returned = await board(planId);
    expect(returned.plan).toMatchObject({ state: "returned", returnComment: "Add a DSO target." });
    expect(returned.comments.map((comment) => comment.body)).toContain("Add a DSO target.");
    expect(statusOf(await postBoard(planId, { intent: "submit", version: String(returned.plan.version) }, cookies.head))).toBe(302);
    ({ plan } = await board(planId, cookies.leader));
    expect(statusOf(await postBoard(planId, { intent: "approve", version: String(plan.version), comment: "" }, cookies.head))).toBe(403);
    expect(statusOf(await postBoard(planId, { intent: "approve", version: String(plan.version), comment: "" }, cookies.leader))).toBe(302);
    expect((await board(planId)).plan).toMatchObject({ state: "approved", approvedVersion: 1 });
  });

  it("puts the approved plan on the dashboard: its roll-up, KPI items and the targets of the scope shown", async () => {
    await boardPlan("approved");
    type Dashboard = Extract<Awaited<ReturnType<typeof dashboardLoader>>, { kind: "dashboard" }>;
    const east = payloadOf<Dashboard>(await call(dashboardLoader, get("/?asOf=2025-07-31&scope=region:East", cookies.leader)));
    const plan = east.dashboard!.plan!;
    expect(plan).toMatchObject({ state: "approved", quarter: 3, fiscalYear: 2025 });
    expect(plan.linked.map((item) => item.title)).toContain("East overdue down");
    const card = east.dashboard!.headline.cards.find((candidate) => candidate.key === "overdue_total")!;
    expect(card.target).toMatchObject({ value: 0, source: "East overdue down", status: "not-met" });
    // The company view shows the plan but not a region's target.
    const company = payloadOf<Dashboard>(await call(dashboardLoader, get("/?asOf=2025-07-31", cookies.leader)));
    expect(company.dashboard!.headline.cards.find((candidate) => candidate.key === "overdue_total")!.target).toBeNull();
    // A date in a quarter without a plan in force: no panel.
    const earlier = payloadOf<Dashboard>(await call(dashboardLoader, get("/?asOf=2025-05-31", cookies.leader)));
    expect(earlier.dashboard!.plan).toBeNull();
  });

  it("takes comments from head, staff and leader; never from the administrator; never empty", async () => {
    const planId = await boardPlan("approved");
    expect(statusOf(await postBoard(planId, { intent: "comment", body: "On it." }, cookies.staff))).toBe(302);
    expect(statusOf(await postBoard(planId, { intent: "comment", body: "   " }, cookies.leader))).toBe(400);
    expect(statusOf(await postBoard(planId, { intent: "comment", body: "Hello" }, cookies.admin))).toBe(403);
    expect((await board(planId)).comments.map((comment) => comment.body)).toEqual(["Add a DSO target.", "On it."]);
  });

  it("shows the approved version beside a change made after approval", async () => {
    const planId = await boardPlan("approved");
    const plan = await getPlan(getDb(), planId);
    const item = plan.items.find((candidate) => candidate.title === "East overdue down")!;
    await updateItem(getDb(), { id: ids.head, role: "head" }, planId, item.id, item.version, itemFieldsSchema.parse({ title: "East overdue down by half", category: "collection", ownerId: String(ids.head), dueDate: "2025-09-20", kpiKey: "overdue_total", kpiScope: "region:East", kpiTarget: "0", reason: "Sharper wording" }), "2025-07-31");
    const data = payloadOf<Awaited<ReturnType<typeof approvedLoader>>>(await call(approvedLoader, get(`/plans/${planId}/approved`, cookies.leader), { planId: String(planId) }));
    expect(data.differences).toEqual([
      expect.objectContaining({ kind: "changed", changes: [{ field: "title", before: "East overdue down", after: "East overdue down by half" }] }),
    ]);
    expect(data.changes.map((change) => change.reason)).toEqual(["Sharper wording"]);
    expect((await board(planId)).changedSinceApproval).toBe(true);
  });

  it("closes only after the quarter, with an outcome for every item and a review note", async () => {
    const planId = await boardPlan("approved");
    const plan = await getPlan(getDb(), planId);
    const outcomes = Object.fromEntries(plan.items.map((item) => [`outcome-${item.id}`, "carried_over"]));
    const fields = { intent: "close", version: String(plan.version), reviewNote: "A fair quarter.", ...outcomes };
    const close = (body: Record<string, string>, cookie = cookies.head) => call(closeAction, post(`/plans/${planId}/close`, body, cookie), { planId: String(planId) });
    expect(payloadOf<{ message: string }>(await close(fields)).message).toBe("plan.error.quarterNotOver");
    vi.stubEnv("QUARTERDECK_TODAY", "2025-10-01");
    expect(statusOf(await close(fields, cookies.staff))).toBe(403);
    expect(statusOf(await close(fields, cookies.leader))).toBe(403);
    const firstId = present(plan.items[0], "the plan's first item").id;
    const missing = await close({ ...fields, [`outcome-${firstId}`]: "" });
    expect(payloadOf<{ message: string; fieldErrors: Record<string, string[]> }>(missing)).toEqual(
      expect.objectContaining({ message: "plan.error.outcomeMissing", fieldErrors: { [`item-${firstId}`]: ["plan.error.outcomeMissing"] } }),
    );
    expect(statusOf(await close({ ...fields, reviewNote: "" }))).toBe(400);
    expect((await getPlan(getDb(), planId)).state).toBe("approved");
    const loaded = payloadOf<Awaited<ReturnType<typeof closeLoader>>>(await call(closeLoader, get(`/plans/${planId}/close`, cookies.head), { planId: String(planId) }));
    expect(loaded.quarterOver).toBe(true);
    expect(statusOf(await close(fields))).toBe(302);
    const closed = await getPlan(getDb(), planId);
    expect(closed).toMatchObject({ state: "closed", reviewNote: "A fair quarter." });
    expect(closed.items.every((item) => item.outcome === "carried_over")).toBe(true);
  });
});
