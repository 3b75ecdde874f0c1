import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { listAuditFor } from "~/features/audit/index.server";
import { AppError } from "~/kernel/app-error";
import { flaggedItemIds } from "~/features/plans/item-errors";
import {
  addComment,
  createItem,
  createPlan,
  getPlan,
  planProgress,
  setItemStatus,
  transition,
  updateItem,
} from "~/features/plans/plans.server";
import { itemFieldsSchema } from "~/features/plans/schema";
import { makeUser } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";
import { clearPlans } from "../../../support/plans";
import { present } from "../../../support/present";

// The fixture ledger is dated 2025; "today" is in its third quarter.
const TODAY = "2025-07-31";
const actors: Record<"head" | "staff" | "otherStaff" | "leader" | "admin", Actor> = {
  head: { id: 0, role: "head" },
  staff: { id: 0, role: "staff" },
  otherStaff: { id: 0, role: "staff" },
  leader: { id: 0, role: "leader" },
  admin: { id: 0, role: "admin" },
};

function fields(overrides: Record<string, string> = {}) {
  return itemFieldsSchema.parse({
    title: "Chase the East region's overdue",
    category: "collection",
    ownerId: String(actors.staff.id),
    dueDate: "2025-09-15",
    ...overrides,
  });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  actors.head.id = (await makeUser("head", { email: "head@demo.quarterdeck" })).id;
  actors.staff.id = (await makeUser("staff", { email: "staff@demo.quarterdeck" })).id;
  actors.otherStaff.id = (await makeUser("staff")).id;
  actors.leader.id = (await makeUser("leader")).id;
  actors.admin.id = (await makeUser("admin")).id;
  await importLedgerFixture();
});

/** A fresh start: plans never overlap, so every test makes its own Q3 plan on an empty plans table. */
beforeEach(async () => {
  await clearPlans(getDb());
});

const EAST_ITEM = "Chase the East region's overdue to zero";

/** The Q3 draft from the template in the head's language (Chinese), its items without owners. */
async function templateDraft(): Promise<number> {
  return createPlan(getDb(), actors.head, { fiscalYear: 2025, quarter: 3, source: "template", language: "zh" }, TODAY);
}

/** An item of the staff member's, linked to the East region's overdue total with target 0. */
async function addEastItem(planId: number, title = "Chase the East region's overdue"): Promise<number> {
  return createItem(getDb(), actors.head, planId, fields({ title, kpiKey: "overdue_total", kpiScope: "region:East", kpiTarget: "0" }), TODAY);
}

/** Gives every item without an owner to the other staff member, so the plan can be submitted. */
async function ownTemplateItems(planId: number): Promise<void> {
  const plan = await getPlan(getDb(), planId);
  for (const item of plan.items.filter((candidate) => candidate.ownerId === null)) {
    await updateItem(getDb(), actors.head, planId, item.id, item.version, fields({ title: item.title, category: item.category, ownerId: String(actors.otherStaff.id), dueDate: item.dueDate ?? "2025-09-30" }), TODAY);
  }
}

/** The template plan with the staff member's East item, every item owned, submitted and approved. */
async function approvedPlan(): Promise<{ planId: number; itemId: number }> {
  const planId = await templateDraft();
  const itemId = await addEastItem(planId, EAST_ITEM);
  await ownTemplateItems(planId);
  let plan = await transition(getDb(), actors.head, planId, (await getPlan(getDb(), planId)).version, { type: "submit" }, TODAY);
  plan = await transition(getDb(), actors.leader, planId, plan.version, { type: "approve" }, TODAY);
  expect(plan.state).toBe("approved");
  return { planId, itemId };
}

/** The approved plan with the East item ticked done by its owner. */
async function approvedPlanWithEastItemDone(): Promise<{ planId: number; itemId: number }> {
  const made = await approvedPlan();
  const item = (await getPlan(getDb(), made.planId)).items.find((candidate) => candidate.id === made.itemId)!;
  await setItemStatus(getDb(), actors.staff, item.id, item.version, { status: "done", reason: "", note: "" }, TODAY);
  return made;
}

describe("a quarter's plan from draft to approval", () => {
  it("starts from the template in the head's language, with the template's KPI suggestions", async () => {
    const planId = await templateDraft();
    const plan = await getPlan(getDb(), planId);
    expect(plan.state).toBe("draft");
    expect(plan.items.length).toBeGreaterThan(2);
    expect(plan.items.every((item) => item.ownerId === null && item.status === "todo")).toBe(true);
    expect(present(plan.items[0], "the plan's first item").title).toMatch(/[\u4e00-\u9fff]/);
    // Q3 is under way: the suggested KPIs got their baseline as of the quarter's eve.
    const linked = plan.items.filter((item) => item.kpiLink);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.every((item) => item.kpiLink!.baselineDate === "2025-06-30")).toBe(true);
  });

  it("refuses a second plan for the same quarter and anyone but the head", async () => {
    await templateDraft();
    const twice = await refusal(createPlan(getDb(), actors.head, { fiscalYear: 2025, quarter: 3, source: "empty", language: "en" }, TODAY));
    expect(twice.status).toBe(400);
    expect(twice.fieldErrors.quarter).toEqual(["plans.error.exists"]);
    for (const actor of [actors.staff, actors.leader, actors.admin]) {
      const error = await refusal(createPlan(getDb(), actor, { fiscalYear: 2025, quarter: 4, source: "empty", language: "en" }, TODAY));
      expect(error.status).toBe(403);
    }
  });

  it("links an item to the East region's overdue total with a baseline as of the quarter's eve", async () => {
    const planId = await templateDraft();
    const itemId = await addEastItem(planId);
    const item = (await getPlan(getDb(), planId)).items.find((candidate) => candidate.id === itemId)!;
    expect(item.kpiLink).toMatchObject({ kpi: "overdue_total", scope: { type: "region", name: "East" }, better: "down", target: 0, baselineDate: "2025-06-30" });
    expect(item.kpiLink!.baseline).toBeGreaterThan(0);
  });

  it("gives field errors for what only the database knows, and saves nothing", async () => {
    const planId = await templateDraft();
    await addEastItem(planId);
    const before = (await getPlan(getDb(), planId)).items.length;
    const error = await refusal(
      createItem(
        getDb(),
        actors.head,
        planId,
        fields({ ownerId: String(actors.leader.id), dueDate: "2025-12-31", customers: "FX001 NOPE", kpiKey: "dso", kpiScope: "region:Atlantis" }),
        TODAY,
      ),
    );
    expect(error.status).toBe(400);
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["customers", "dueDate", "kpiScope", "ownerId"]);
    expect((await getPlan(getDb(), planId)).items.length).toBe(before);
  });

  it("refuses to submit while template items have no owner, naming them", async () => {
    const planId = await templateDraft();
    await addEastItem(planId);
    const plan = await getPlan(getDb(), planId);
    const error = await refusal(transition(getDb(), actors.head, planId, plan.version, { type: "submit" }, TODAY));
    expect(error.messageKey).toBe("plan.error.itemWithoutOwner");
    expect(flaggedItemIds(error.fieldErrors).size).toBe(plan.items.length - 1);
  });

  // One flow on purpose: the audit history it checks is that of the whole return-and-resubmit round.
  it("is returned with a comment, fixed, resubmitted and approved, each step in the audit log", async () => {
    const planId = await templateDraft();
    const itemId = await addEastItem(planId);
    await ownTemplateItems(planId);
    let plan = await getPlan(getDb(), planId);
    plan = await transition(getDb(), actors.head, planId, plan.version, { type: "submit" }, TODAY);
    expect(plan.state).toBe("submitted");
    // Staff may not approve; the head may not approve their own plan.
    for (const actor of [actors.staff, actors.head]) {
      expect((await refusal(transition(getDb(), actor, planId, plan.version, { type: "approve" }, TODAY))).status).toBe(403);
    }
    expect((await refusal(transition(getDb(), actors.leader, planId, plan.version, { type: "return", comment: " " }, TODAY))).messageKey).toBe("plan.error.returnNeedsComment");
    plan = await transition(getDb(), actors.leader, planId, plan.version, { type: "return", comment: "Set a target for DSO too." }, TODAY);
    expect(plan).toMatchObject({ state: "returned", returnComment: "Set a target for DSO too." });
    const item = plan.items.find((candidate) => candidate.id === itemId)!;
    await updateItem(getDb(), actors.head, planId, itemId, item.version, fields({ title: EAST_ITEM, kpiKey: "overdue_total", kpiScope: "region:East", kpiTarget: "0" }), TODAY);
    plan = await getPlan(getDb(), planId);
    expect(plan.state).toBe("draft");
    plan = await transition(getDb(), actors.head, planId, plan.version, { type: "submit" }, TODAY);
    plan = await transition(getDb(), actors.leader, planId, plan.version, { type: "approve" }, TODAY);
    expect(plan).toMatchObject({ state: "approved", approvedVersion: 1 });
    const history = (await listAuditFor(getDb(), "plan", planId)).map((entry) => entry.action).reverse();
    expect(history).toEqual(["created", "submitted", "returned", "edited", "submitted", "approved"]);
    const snapshot = await getDb().selectFrom("plan_snapshots").selectAll().where("plan_id", "=", planId).execute();
    expect(snapshot).toHaveLength(1);
  });

  it("refuses a transition based on a stale plan version", async () => {
    const { planId } = await approvedPlan();
    const plan = await getPlan(getDb(), planId);
    const error = await refusal(transition(getDb(), actors.head, planId, plan.version - 1, { type: "close", outcomes: {}, reviewNote: "x" }, "2025-10-02"));
    expect(error.status).toBe(400); // outcomes missing is checked before the version
    const stale = await refusal(transition(getDb(), actors.leader, planId, plan.version - 1, { type: "approve" }, TODAY));
    expect(stale.status).toBe(409);
  });

  it("lets a staff member tick their own item done, and no one else's", async () => {
    const { planId, itemId } = await approvedPlan();
    const item = (await getPlan(getDb(), planId)).items.find((candidate) => candidate.id === itemId)!;
    const other = (await getPlan(getDb(), planId)).items.find((candidate) => candidate.ownerId === actors.otherStaff.id)!;
    expect((await refusal(setItemStatus(getDb(), actors.staff, other.id, other.version, { status: "done", reason: "", note: "" }, TODAY))).status).toBe(403);
    expect((await refusal(setItemStatus(getDb(), actors.leader, item.id, item.version, { status: "done", reason: "", note: "" }, TODAY))).status).toBe(403);
    const done = await setItemStatus(getDb(), actors.staff, item.id, item.version, { status: "done", reason: "", note: "Called all five East customers." }, TODAY);
    expect(done).toMatchObject({ status: "done", doneOn: TODAY, version: item.version + 1 });
    // The same post again (a double click) is not a conflict and changes nothing.
    const again = await setItemStatus(getDb(), actors.staff, item.id, item.version, { status: "done", reason: "", note: "" }, TODAY);
    expect(again.version).toBe(done.version);
    const notes = await getDb().selectFrom("plan_comments").select(["kind", "body"]).where("item_id", "=", item.id).execute();
    expect(notes).toEqual([{ kind: "note", body: "Called all five East customers." }]);
  });

  it("refuses a stale save with 409 and the current item, changing nothing", async () => {
    const { planId, itemId } = await approvedPlanWithEastItemDone();
    const item = (await getPlan(getDb(), planId)).items.find((candidate) => candidate.id === itemId)!;
    const error = await refusal(setItemStatus(getDb(), actors.staff, item.id, item.version - 1, { status: "in_progress", reason: "", note: "" }, TODAY));
    expect(error.status).toBe(409);
    expect((error.current as { status: string } | null)?.status).toBe("done");
    const edit = await refusal(updateItem(getDb(), actors.head, planId, item.id, item.version - 1, fields({ title: "Lost update", reason: "late" }), TODAY));
    expect(edit.status).toBe(409);
    expect((await getPlan(getDb(), planId)).items.find((candidate) => candidate.id === itemId)!.title).toBe(EAST_ITEM);
  });

  it("records changes after approval only with a reason", async () => {
    const { planId, itemId } = await approvedPlan();
    const item = (await getPlan(getDb(), planId)).items.find((candidate) => candidate.id === itemId)!;
    const error = await refusal(updateItem(getDb(), actors.head, planId, item.id, item.version, fields({ title: "New title", kpiKey: "overdue_total", kpiScope: "region:East", kpiTarget: "0" }), TODAY));
    expect(error.fieldErrors.reason).toEqual(["plan.error.changeNeedsReason"]);
    await updateItem(getDb(), actors.head, planId, item.id, item.version, fields({ title: "New title", reason: "Leadership asked for a sharper title", kpiKey: "overdue_total", kpiScope: "region:East", kpiTarget: "0" }), TODAY);
    const plan = await getPlan(getDb(), planId);
    expect(plan.state).toBe("approved");
    const entries = await listAuditFor(getDb(), "plan_item", item.id);
    const newest = present(entries[0], "the newest audit entry");
    expect(newest.action).toBe("changed");
    expect(JSON.parse(present(newest.after, "after")).reason).toBe("Leadership asked for a sharper title");
    // The KPI link did not change: its baseline is kept.
    expect(plan.items.find((candidate) => candidate.id === itemId)!.kpiLink!.baseline).toBe(item.kpiLink!.baseline);
  });

  it("lets the leader comment and refuses the administrator", async () => {
    const { planId, itemId } = await approvedPlan();
    await addComment(getDb(), actors.leader, planId, null, "comment", "Good plan.");
    expect((await refusal(addComment(getDb(), actors.admin, planId, null, "comment", "Hi"))).status).toBe(403);
    expect((await refusal(addComment(getDb(), actors.otherStaff, planId, itemId, "note", "Not my item"))).status).toBe(403);
    await addComment(getDb(), actors.staff, planId, itemId, "note", "Evidence: call log in the shared drive.");
    const comments = await getDb().selectFrom("plan_comments").select("body").where("plan_id", "=", planId).orderBy("id").execute();
    expect(comments.map((comment) => comment.body)).toEqual(["Good plan.", "Evidence: call log in the shared drive."]);
  });

  it("moves the KPI-linked item's progress after an import pays overdue invoices", async () => {
    const { planId, itemId } = await approvedPlan();
    const before = await planProgress(getDb(), await getPlan(getDb(), planId), TODAY);
    const itemBefore = present(before.items[itemId], "the item's progress before");
    const progressBefore = present(itemBefore.progress, "progress before").raw;
    await importIntoTestDb([
      { kind: "payments", source: csvSource("pay.csv", ["payment_no,customer_code,date,amount,invoice_no", "FX-PAY-PLAN-1,FX001,2025-07-20,3000.00,FX-INV-1002"]) },
    ]);
    const after = await planProgress(getDb(), await getPlan(getDb(), planId), TODAY);
    const itemAfter = present(after.items[itemId], "the item's progress after");
    expect(present(itemAfter.current, "current after")).toBeLessThan(present(itemBefore.current, "current before"));
    expect(present(itemAfter.progress, "progress after").raw).toBeGreaterThan(progressBefore);
    expect(after.rollup.kpiLinked).toBeGreaterThan(0);
  });
});

describe("carrying over", () => {
  it("starts next quarter from the unfinished items, owners kept, baselines captured anew", async () => {
    const { planId: q3 } = await approvedPlanWithEastItemDone();
    const previous = await getPlan(getDb(), q3);
    const unfinished = previous.items.filter((item) => item.status !== "done" && item.status !== "cancelled");
    expect(unfinished.length).toBe(previous.items.length - 1);
    const planId = await createPlan(getDb(), actors.head, { fiscalYear: 2025, quarter: 4, source: "carry_over", language: "en" }, TODAY);
    const plan = await getPlan(getDb(), planId);
    expect(plan.items.map((item) => item.title)).toEqual(unfinished.map((item) => item.title));
    expect(plan.items.every((item) => item.carriedOverFrom !== null && item.ownerId !== null)).toBe(true);
    // Q4 has not begun on 2025-07-31: the baseline is provisional, as of today.
    expect(plan.items.filter((item) => item.kpiLink).every((item) => item.kpiLink!.baselineDate === TODAY)).toBe(true);
  });

  it("needs a previous plan", async () => {
    const error = await refusal(createPlan(getDb(), actors.head, { fiscalYear: 2024, quarter: 1, source: "carry_over", language: "en" }, TODAY));
    expect(error.fieldErrors.source).toEqual(["plans.error.noPreviousPlan"]);
    expect(await getDb().selectFrom("plans").select("id").where("fiscal_year", "=", 2024).execute()).toEqual([]);
  });
});
