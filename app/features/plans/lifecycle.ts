/**
 * The life of a quarter's plan (PRODUCT.md flow 1) as pure functions:
 *
 *   draft --submit--> submitted --approve--> approved --close (after the quarter)--> closed
 *                         |                     |
 *                      return                change (head, with a reason; stays approved)
 *                         v
 *                     returned --edit--> draft  (or --submit--> submitted again)
 *
 * Every function takes "today" from the caller, so the rules are testable for any date.
 * Refusals are i18n keys (`plan.error.*`, `item.error.*`); the route turns them into 403/409/400.
 */
import {
  type CloseOutcome,
  type ItemStatus,
  type PlanCategory,
  isCloseOutcome,
} from "~/features/plans/categories";
import { addDays, type QuarterNumber } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { can, type Role } from "~/kernel/permissions";
import type { KpiLink } from "~/features/plans/progress";

export const PLAN_STATES = ["draft", "submitted", "returned", "approved", "closed"] as const;
export type PlanState = (typeof PLAN_STATES)[number];

export interface Actor {
  id: number;
  role: Role;
}

export interface PlanItem {
  id: number;
  title: string;
  category: PlanCategory;
  description: string;
  ownerId: number | null;
  dueDate: IsoDate | null;
  status: ItemStatus;
  /** Set exactly when the status is `blocked`. */
  blockedReason: string | null;
  /** Given by the head when the plan is closed; null before. */
  outcome: CloseOutcome | null;
  kpiLink: KpiLink | null;
}

export interface Plan {
  /** The plan's name: a fiscal year and quarter as named under `fiscalStartMonth`. */
  fiscalYear: number;
  quarter: QuarterNumber;
  fiscalStartMonth: number;
  /**
   * The quarter's first and last day, fixed when the plan was made: a later change of the fiscal
   * year's first month renames and moves nothing.
   */
  start: IsoDate;
  end: IsoDate;
  state: PlanState;
  /**
   * How many times leadership has approved this plan; 0 before the first approval. Changes after
   * approval keep it, so "approved version N" stays the reference the changes are shown against.
   */
  approvedVersion: number;
  /** The leader's comment from the last return, kept so the head sees it while fixing. */
  returnComment: string | null;
  reviewNote: string | null;
  items: PlanItem[];
}

export type PlanAction =
  | { type: "edit" }
  | { type: "submit" }
  | { type: "return"; comment: string }
  | { type: "approve"; comment?: string }
  | { type: "change"; reason: string }
  | { type: "close"; outcomes: Record<number, CloseOutcome>; reviewNote: string };

export type PlanEventType = "edited" | "submitted" | "returned" | "approved" | "changed" | "closed";

/** What the audit log and the plan's history record for a transition. */
export interface PlanEvent {
  type: PlanEventType;
  from: PlanState;
  to: PlanState;
  actorId: number;
  on: IsoDate;
  /** The leader's comment (return, approve) or the head's reason (change) or review note (close). */
  note: string | null;
  approvedVersion: number;
}

export type PlanRefusal =
  | "plan.error.forbidden"
  | "plan.error.wrongState"
  | "plan.error.changeNeedsReason"
  | "plan.error.returnNeedsComment"
  | "plan.error.noItems"
  | "plan.error.itemWithoutOwner"
  | "plan.error.itemWithoutDueDate"
  | "plan.error.itemDueOutsideQuarter"
  | "plan.error.quarterNotOver"
  | "plan.error.outcomeMissing"
  | "plan.error.reviewNoteMissing";

export type PlanTransition =
  | { ok: true; plan: Plan; event: PlanEvent }
  | { ok: false; reason: PlanRefusal; itemIds?: number[] };

/**
 * An item may fall due up to this many days after the quarter ends: quarter-end work such as
 * the closing reconciliation or the quarter's summary is only finished in the following weeks.
 * Nothing may fall due before the quarter starts.
 */
export const DUE_DATE_GRACE_DAYS = 15;

/** The days an item of this plan may fall due on, both included. */
export function dueDateWindow(plan: Pick<Plan, "start" | "end">): {
  start: IsoDate;
  end: IsoDate;
} {
  return { start: plan.start, end: addDays(plan.end, DUE_DATE_GRACE_DAYS) };
}

// Which permission and which states each action needs.
const RULES: Record<
  PlanAction["type"],
  { permission: "plan:edit" | "plan:approve"; from: readonly PlanState[] }
> = {
  edit: { permission: "plan:edit", from: ["draft", "returned"] },
  submit: { permission: "plan:edit", from: ["draft", "returned"] },
  return: { permission: "plan:approve", from: ["submitted"] },
  approve: { permission: "plan:approve", from: ["submitted"] },
  change: { permission: "plan:edit", from: ["approved"] },
  close: { permission: "plan:edit", from: ["approved"] },
};

function isBlank(text: string | null | undefined): boolean {
  return text === undefined || text === null || text.trim() === "";
}

function refuse(reason: PlanRefusal, itemIds?: number[]): PlanTransition {
  return itemIds === undefined ? { ok: false, reason } : { ok: false, reason, itemIds };
}

/** Items that still count: a cancelled item needs no owner, due date or outcome. */
function liveItems(plan: Plan): PlanItem[] {
  return plan.items.filter((item) => item.status !== "cancelled");
}

function checkReadyToSubmit(plan: Plan): PlanTransition | null {
  const items = liveItems(plan);
  if (items.length === 0) return refuse("plan.error.noItems");
  const ids = (bad: (item: PlanItem) => boolean) => items.filter(bad).map((item) => item.id);
  const withoutOwner = ids((item) => item.ownerId === null);
  if (withoutOwner.length > 0) return refuse("plan.error.itemWithoutOwner", withoutOwner);
  const withoutDueDate = ids((item) => item.dueDate === null);
  if (withoutDueDate.length > 0) return refuse("plan.error.itemWithoutDueDate", withoutDueDate);
  const window = dueDateWindow(plan);
  // Every live item has a due date by now (checked just above).
  const outside = ids(({ dueDate }) => dueDate! < window.start || dueDate! > window.end);
  if (outside.length > 0) return refuse("plan.error.itemDueOutsideQuarter", outside);
  return null;
}

function checkReadyToClose(
  plan: Plan,
  outcomes: Record<number, CloseOutcome>,
  reviewNote: string,
  today: IsoDate
): PlanTransition | null {
  // The quarter's last day is still a working day of it: close from the next day on.
  if (today <= plan.end) return refuse("plan.error.quarterNotOver");
  const missing = liveItems(plan)
    .filter((item) => !isCloseOutcome(outcomes[item.id]))
    .map((item) => item.id);
  if (missing.length > 0) return refuse("plan.error.outcomeMissing", missing);
  if (isBlank(reviewNote)) return refuse("plan.error.reviewNoteMissing");
  return null;
}

/**
 * Applies `action` by `actor` on `today`, or says why not. Checks, in order: the role, the
 * plan's state, then the action's own rules, so a staff member is told "forbidden", never
 * "the plan has no items".
 */
export function transitionPlan(
  plan: Plan,
  action: PlanAction,
  actor: Actor,
  today: IsoDate
): PlanTransition {
  const rule = RULES[action.type];
  if (!can(actor, rule.permission)) return refuse("plan.error.forbidden");
  if (!rule.from.includes(plan.state)) return refuse("plan.error.wrongState");

  const event = (type: PlanEventType, to: PlanState, note: string | null, next: Plan) => ({
    ok: true as const,
    plan: next,
    event: {
      type,
      from: plan.state,
      to,
      actorId: actor.id,
      on: today,
      note,
      approvedVersion: next.approvedVersion,
    },
  });

  switch (action.type) {
    case "edit":
      // Editing a returned plan takes it back to draft: the leader's comment stays visible.
      return event("edited", "draft", null, { ...plan, state: "draft" });
    case "submit": {
      const problem = checkReadyToSubmit(plan);
      if (problem) return problem;
      return event("submitted", "submitted", null, {
        ...plan,
        state: "submitted",
        returnComment: null,
      });
    }
    case "return":
      if (isBlank(action.comment)) return refuse("plan.error.returnNeedsComment");
      return event("returned", "returned", action.comment.trim(), {
        ...plan,
        state: "returned",
        returnComment: action.comment.trim(),
      });
    case "approve": {
      // isBlank is true for undefined, so the comment is a string here
      const comment = isBlank(action.comment) ? null : action.comment!.trim();
      return event("approved", "approved", comment, {
        ...plan,
        state: "approved",
        approvedVersion: plan.approvedVersion + 1,
      });
    }
    case "change":
      if (isBlank(action.reason)) return refuse("plan.error.changeNeedsReason");
      return event("changed", "approved", action.reason.trim(), plan);
    case "close": {
      const problem = checkReadyToClose(plan, action.outcomes, action.reviewNote, today);
      if (problem) return problem;
      const items = plan.items.map((item) =>
        // the check above refused the close unless every live item has an outcome
        item.status === "cancelled" ? item : { ...item, outcome: action.outcomes[item.id]! }
      );
      const reviewNote = action.reviewNote.trim();
      return event("closed", "closed", reviewNote, { ...plan, state: "closed", reviewNote, items });
    }
  }
}

/** The outcome the close form proposes for an item: done if it is done, otherwise carried over. */
export function suggestedOutcome(item: Pick<PlanItem, "status">): CloseOutcome | null {
  if (item.status === "cancelled") return null;
  return item.status === "done" ? "done" : "carried_over";
}

// ------------------------------------------------------------------------------ items

/** Status, note and evidence changes: the head on any item, staff only on items they own. */
export function canUpdateItem(actor: Actor, item: Pick<PlanItem, "ownerId">): boolean {
  return can(actor, "plan-item:update", { ownerId: item.ownerId });
}

export interface ItemStatusChange {
  status: ItemStatus;
  /** Required when the new status is `blocked`. */
  reason?: string;
}

export interface ItemStatusEvent {
  itemId: number;
  from: ItemStatus;
  to: ItemStatus;
  actorId: number;
  on: IsoDate;
  reason: string | null;
}

export type ItemRefusal =
  | "item.error.forbidden"
  | "item.error.planNotApproved"
  | "item.error.blockedNeedsReason"
  | "item.error.onlyHeadCancels";

export type ItemTransition =
  | { ok: true; item: PlanItem; event: ItemStatusEvent | null }
  | { ok: false; reason: ItemRefusal };

/**
 * Changes an item's status. The work is done against the approved plan, so statuses move only
 * while the plan is approved (a draft is edited, not worked on; a closed plan is history).
 * Cancelling, or reviving a cancelled item, changes the plan itself: only the head may.
 * Setting the status it already has (a double-posted "done" form) succeeds with no event.
 */
export function changeItemStatus(
  item: PlanItem,
  change: ItemStatusChange,
  actor: Actor,
  planState: PlanState,
  today: IsoDate
): ItemTransition {
  if (!canUpdateItem(actor, item)) return { ok: false, reason: "item.error.forbidden" };
  if (planState !== "approved") return { ok: false, reason: "item.error.planNotApproved" };
  const touchesCancelled = change.status === "cancelled" || item.status === "cancelled";
  if (touchesCancelled && item.status !== change.status && !can(actor, "plan:edit")) {
    return { ok: false, reason: "item.error.onlyHeadCancels" };
  }
  const blockedReason = change.status === "blocked" ? change.reason?.trim() ?? "" : null;
  if (blockedReason === "") return { ok: false, reason: "item.error.blockedNeedsReason" };
  if (item.status === change.status && item.blockedReason === blockedReason) {
    return { ok: true, item, event: null };
  }
  return {
    ok: true,
    item: { ...item, status: change.status, blockedReason },
    event: {
      itemId: item.id,
      from: item.status,
      to: change.status,
      actorId: actor.id,
      on: today,
      reason: blockedReason,
    },
  };
}
