import { describe, expect, it } from "vitest";

import type { Role } from "~/kernel/permissions";
import {
  DUE_DATE_GRACE_DAYS,
  PLAN_STATES,
  type Plan,
  type PlanAction,
  type PlanItem,
  type PlanState,
  canUpdateItem,
  changeItemStatus,
  dueDateWindow,
  suggestedOutcome,
  transitionPlan,
} from "~/features/plans/lifecycle";

const HEAD = { id: 1, role: "head" as const };
const STAFF = { id: 7, role: "staff" as const };
const OTHER_STAFF = { id: 8, role: "staff" as const };
const LEADER = { id: 3, role: "leader" as const };
const ADMIN = { id: 4, role: "admin" as const };
const ACTORS: Record<Role, { id: number; role: Role }> = {
  head: HEAD,
  staff: STAFF,
  leader: LEADER,
  admin: ADMIN,
};

// FY2026 Q2 with a January start: 2026-04-01..2026-06-30.
const IN_QUARTER = "2026-05-10";
const AFTER_QUARTER = "2026-07-01";

function item(overrides: Partial<PlanItem> = {}): PlanItem {
  return {
    id: 10,
    title: "Collection drive",
    category: "collection",
    description: "",
    ownerId: STAFF.id,
    dueDate: "2026-06-30",
    status: "todo",
    blockedReason: null,
    outcome: null,
    kpiLink: null,
    ...overrides,
  };
}

function plan(state: PlanState, overrides: Partial<Plan> = {}): Plan {
  return {
    fiscalYear: 2026,
    quarter: 2,
    fiscalStartMonth: 1,
    start: "2026-04-01",
    end: "2026-06-30",
    state,
    approvedVersion: state === "approved" || state === "closed" ? 1 : 0,
    returnComment: null,
    reviewNote: null,
    items: [item()],
    ...overrides,
  };
}

const VALID_ACTIONS: Record<PlanAction["type"], PlanAction> = {
  edit: { type: "edit" },
  submit: { type: "submit" },
  return: { type: "return", comment: "Add a target to the collection drive" },
  approve: { type: "approve" },
  change: { type: "change", reason: "New big debtor in the east region" },
  close: { type: "close", outcomes: { 10: "done" }, reviewNote: "Overdue down 12%." },
};

// Who may do each action, from which states, and the state it leads to.
const ALLOWED: Record<PlanAction["type"], { role: Role; from: PlanState[]; to: PlanState }> = {
  edit: { role: "head", from: ["draft", "returned"], to: "draft" },
  submit: { role: "head", from: ["draft", "returned"], to: "submitted" },
  return: { role: "leader", from: ["submitted"], to: "returned" },
  approve: { role: "leader", from: ["submitted"], to: "approved" },
  change: { role: "head", from: ["approved"], to: "approved" },
  close: { role: "head", from: ["approved"], to: "closed" },
};

describe("transitionPlan: every action, role and state", () => {
  const cases = Object.entries(VALID_ACTIONS).flatMap(([type, action]) =>
    (Object.keys(ACTORS) as Role[]).flatMap((role) =>
      PLAN_STATES.map((state) => [type, role, state, action] as const)
    )
  );

  it.each(cases)("%s by %s from %s", (type, role, state, action) => {
    const rule = ALLOWED[type as PlanAction["type"]];
    const result = transitionPlan(plan(state), action, ACTORS[role], AFTER_QUARTER);
    if (role !== rule.role) {
      expect(result).toEqual({ ok: false, reason: "plan.error.forbidden" });
    } else if (!rule.from.includes(state)) {
      expect(result).toEqual({ ok: false, reason: "plan.error.wrongState" });
    } else {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.plan.state).toBe(rule.to);
      expect(result.event).toMatchObject({ from: state, to: rule.to, actorId: ACTORS[role].id });
    }
  });

  it("admin can do nothing to a plan", () => {
    for (const action of Object.values(VALID_ACTIONS)) {
      for (const state of PLAN_STATES) {
        expect(transitionPlan(plan(state), action, ADMIN, AFTER_QUARTER).ok).toBe(false);
      }
    }
  });
});

describe("the review cycle", () => {
  it("returns with the leader's comment, back to draft on edit, resubmits, approves", () => {
    const returned = transitionPlan(
      plan("submitted"),
      { type: "return", comment: "  Targets?  " },
      LEADER,
      IN_QUARTER
    );
    expect(returned).toMatchObject({
      ok: true,
      plan: { state: "returned", returnComment: "Targets?" },
      event: { type: "returned", note: "Targets?", on: IN_QUARTER },
    });
    if (!returned.ok) return;
    const edited = transitionPlan(returned.plan, { type: "edit" }, HEAD, IN_QUARTER);
    // The comment stays visible while the head fixes the plan.
    expect(edited).toMatchObject({ ok: true, plan: { state: "draft", returnComment: "Targets?" } });
    if (!edited.ok) return;
    const resubmitted = transitionPlan(edited.plan, { type: "submit" }, HEAD, IN_QUARTER);
    expect(resubmitted).toMatchObject({
      ok: true,
      plan: { state: "submitted", returnComment: null },
    });
    if (!resubmitted.ok) return;
    const approved = transitionPlan(
      resubmitted.plan,
      { type: "approve", comment: "OK" },
      LEADER,
      IN_QUARTER
    );
    expect(approved).toMatchObject({
      ok: true,
      plan: { state: "approved", approvedVersion: 1 },
      event: { type: "approved", note: "OK", approvedVersion: 1 },
    });
  });

  it.each([[""], ["   "]])("refuses a return without a comment (%j)", (comment) => {
    expect(
      transitionPlan(plan("submitted"), { type: "return", comment }, LEADER, IN_QUARTER)
    ).toEqual({
      ok: false,
      reason: "plan.error.returnNeedsComment",
    });
  });

  it("a second approval after a return counts the next version", () => {
    const result = transitionPlan(
      plan("submitted", { approvedVersion: 1 }),
      { type: "approve" },
      LEADER,
      IN_QUARTER
    );
    expect(result).toMatchObject({ ok: true, plan: { approvedVersion: 2 }, event: { note: null } });
  });
});

describe("changes after approval", () => {
  it("are recorded with their reason and keep the approved version", () => {
    const approved = plan("approved", { approvedVersion: 3 });
    const result = transitionPlan(
      approved,
      { type: "change", reason: " new debtor " },
      HEAD,
      IN_QUARTER
    );
    expect(result).toMatchObject({
      ok: true,
      plan: { state: "approved", approvedVersion: 3 },
      event: { type: "changed", note: "new debtor", approvedVersion: 3 },
    });
  });

  it.each([[""], [" "]])("need a reason (%j)", (reason) => {
    expect(transitionPlan(plan("approved"), { type: "change", reason }, HEAD, IN_QUARTER)).toEqual({
      ok: false,
      reason: "plan.error.changeNeedsReason",
    });
  });

  it("a plain edit of an approved plan is refused: it must be a change with a reason", () => {
    expect(transitionPlan(plan("approved"), { type: "edit" }, HEAD, IN_QUARTER)).toEqual({
      ok: false,
      reason: "plan.error.wrongState",
    });
  });
});

describe("submit", () => {
  const window = dueDateWindow({ start: "2026-04-01", end: "2026-06-30" });

  it("allows due dates from the quarter's first day to the grace days after its end", () => {
    expect(window).toEqual({ start: "2026-04-01", end: "2026-07-15" });
    expect(DUE_DATE_GRACE_DAYS).toBe(15);
  });

  it.each([
    ["2026-04-01", null],
    ["2026-03-31", "plan.error.itemDueOutsideQuarter"],
    ["2026-06-30", null],
    ["2026-07-15", null],
    ["2026-07-16", "plan.error.itemDueOutsideQuarter"],
  ])("due %s -> %s", (dueDate, refusal) => {
    const result = transitionPlan(
      plan("draft", { items: [item({ dueDate })] }),
      { type: "submit" },
      HEAD,
      IN_QUARTER
    );
    expect(result.ok ? null : result.reason).toBe(refusal);
  });

  it.each([
    ["no items", [], "plan.error.noItems", undefined],
    ["only cancelled items", [item({ status: "cancelled" })], "plan.error.noItems", undefined],
    [
      "an item without owner",
      [item(), item({ id: 11, ownerId: null })],
      "plan.error.itemWithoutOwner",
      [11],
    ],
    [
      "an item without due date",
      [item({ id: 12, dueDate: null })],
      "plan.error.itemWithoutDueDate",
      [12],
    ],
  ] as const)("refuses a plan with %s", (_label, items, reason, itemIds) => {
    const result = transitionPlan(
      plan("draft", { items: [...items] }),
      { type: "submit" },
      HEAD,
      IN_QUARTER
    );
    expect(result).toEqual(itemIds ? { ok: false, reason, itemIds } : { ok: false, reason });
  });

  it("ignores a cancelled item's missing owner and date", () => {
    const items = [item(), item({ id: 11, status: "cancelled", ownerId: null, dueDate: null })];
    expect(transitionPlan(plan("draft", { items }), { type: "submit" }, HEAD, IN_QUARTER).ok).toBe(
      true
    );
  });
});

describe("close", () => {
  const items = [
    item({ id: 10, status: "done" }),
    item({ id: 11 }),
    item({ id: 12, status: "cancelled" }),
  ];
  const outcomes = { 10: "done", 11: "carried_over" } as const;

  it.each([
    ["2026-06-30", false],
    ["2026-07-01", true],
    ["2027-01-15", true],
  ])("on %s (quarter ends 2026-06-30): %s", (today, ok) => {
    const result = transitionPlan(
      plan("approved", { items }),
      { type: "close", outcomes, reviewNote: "Fine" },
      HEAD,
      today
    );
    expect(result.ok ? null : result.reason).toBe(ok ? null : "plan.error.quarterNotOver");
  });

  it("gives every item its outcome and the plan its review note", () => {
    const result = transitionPlan(
      plan("approved", { items }),
      { type: "close", outcomes, reviewNote: " Fine " },
      HEAD,
      AFTER_QUARTER
    );
    expect(result).toMatchObject({ ok: true, plan: { state: "closed", reviewNote: "Fine" } });
    if (!result.ok) return;
    expect(result.plan.items.map((i) => i.outcome)).toEqual(["done", "carried_over", null]);
  });

  it("needs an outcome for every item that is not cancelled", () => {
    const result = transitionPlan(
      plan("approved", { items }),
      { type: "close", outcomes: { 10: "done" }, reviewNote: "x" },
      HEAD,
      AFTER_QUARTER
    );
    expect(result).toEqual({ ok: false, reason: "plan.error.outcomeMissing", itemIds: [11] });
  });

  it("needs a review note", () => {
    const result = transitionPlan(
      plan("approved", { items }),
      { type: "close", outcomes, reviewNote: "  " },
      HEAD,
      AFTER_QUARTER
    );
    expect(result).toEqual({ ok: false, reason: "plan.error.reviewNoteMissing" });
  });

  it.each([
    ["done", "done"],
    ["todo", "carried_over"],
    ["in_progress", "carried_over"],
    ["blocked", "carried_over"],
    ["cancelled", null],
  ] as const)("suggests outcome for %s: %s", (status, outcome) => {
    expect(suggestedOutcome({ status })).toBe(outcome);
  });
});

describe("canUpdateItem", () => {
  it.each([
    [HEAD, STAFF.id, true],
    [HEAD, null, true],
    [STAFF, STAFF.id, true],
    [STAFF, OTHER_STAFF.id, false],
    [STAFF, null, false],
    [LEADER, LEADER.id, false],
    [ADMIN, ADMIN.id, false],
  ])("%o on an item owned by %s: %s", (actor, ownerId, expected) => {
    expect(canUpdateItem(actor, { ownerId })).toBe(expected);
  });
});

describe("changeItemStatus", () => {
  const mine = item({ ownerId: STAFF.id });

  it("lets staff tick their own item done, with an event", () => {
    expect(changeItemStatus(mine, { status: "done" }, STAFF, "approved", IN_QUARTER)).toEqual({
      ok: true,
      item: { ...mine, status: "done", blockedReason: null },
      event: {
        itemId: 10,
        from: "todo",
        to: "done",
        actorId: STAFF.id,
        on: IN_QUARTER,
        reason: null,
      },
    });
  });

  it.each([
    ["staff on another's item", OTHER_STAFF, "item.error.forbidden"],
    ["leader", LEADER, "item.error.forbidden"],
    ["admin", ADMIN, "item.error.forbidden"],
  ] as const)("refuses %s", (_label, actor, reason) => {
    expect(changeItemStatus(mine, { status: "done" }, actor, "approved", IN_QUARTER)).toEqual({
      ok: false,
      reason,
    });
  });

  it.each(["draft", "submitted", "returned", "closed"] as const)(
    "refuses while the plan is %s",
    (state) => {
      expect(changeItemStatus(mine, { status: "done" }, HEAD, state, IN_QUARTER)).toEqual({
        ok: false,
        reason: "item.error.planNotApproved",
      });
    }
  );

  it.each([[undefined], [""], ["   "]])("blocked needs a reason (%j)", (reason) => {
    expect(
      changeItemStatus(mine, { status: "blocked", reason }, STAFF, "approved", IN_QUARTER)
    ).toEqual({
      ok: false,
      reason: "item.error.blockedNeedsReason",
    });
  });

  it("keeps the blocked reason, and clears it when unblocked", () => {
    const blocked = changeItemStatus(
      mine,
      { status: "blocked", reason: " customer disputes invoice " },
      STAFF,
      "approved",
      IN_QUARTER
    );
    expect(blocked).toMatchObject({
      ok: true,
      item: { status: "blocked", blockedReason: "customer disputes invoice" },
    });
    if (!blocked.ok) return;
    const resumed = changeItemStatus(
      blocked.item,
      { status: "in_progress", reason: "ignored" },
      STAFF,
      "approved",
      IN_QUARTER
    );
    expect(resumed).toMatchObject({
      ok: true,
      item: { status: "in_progress", blockedReason: null },
    });
  });

  it("only the head cancels an item or revives a cancelled one", () => {
    expect(changeItemStatus(mine, { status: "cancelled" }, STAFF, "approved", IN_QUARTER)).toEqual({
      ok: false,
      reason: "item.error.onlyHeadCancels",
    });
    const cancelled = item({ status: "cancelled" });
    expect(changeItemStatus(cancelled, { status: "todo" }, STAFF, "approved", IN_QUARTER)).toEqual({
      ok: false,
      reason: "item.error.onlyHeadCancels",
    });
    expect(changeItemStatus(mine, { status: "cancelled" }, HEAD, "approved", IN_QUARTER).ok).toBe(
      true
    );
    expect(changeItemStatus(cancelled, { status: "todo" }, HEAD, "approved", IN_QUARTER).ok).toBe(
      true
    );
  });

  it("setting the same status again succeeds without an event (a double-posted form)", () => {
    const done = item({ status: "done" });
    expect(changeItemStatus(done, { status: "done" }, STAFF, "approved", IN_QUARTER)).toEqual({
      ok: true,
      item: done,
      event: null,
    });
  });

  it("a new reason on a blocked item is a change", () => {
    const blocked = item({ status: "blocked", blockedReason: "old" });
    const result = changeItemStatus(
      blocked,
      { status: "blocked", reason: "new" },
      STAFF,
      "approved",
      IN_QUARTER
    );
    expect(result).toMatchObject({
      ok: true,
      item: { blockedReason: "new" },
      event: { from: "blocked", to: "blocked", reason: "new" },
    });
  });
});
