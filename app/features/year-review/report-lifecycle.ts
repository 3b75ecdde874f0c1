/**
 * The written report's life, as with plans: the head writes and saves drafts, submits to
 * leadership; leadership returns it (with a comment on at least one section) or accepts it. A
 * returned report is edited and submitted again; an accepted one is frozen, kept as it was
 * accepted. Pure: who may, from which state, to which.
 */
import { can } from "~/kernel/permissions";
import type { Actor } from "~/features/plans";

export const REPORT_STATES = ["draft", "submitted", "returned", "accepted"] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export type ReportAction = "save" | "submit" | "return" | "accept";

export type ReportRefusal =
  | "review.report.error.forbidden"
  | "review.report.error.notEditable"
  | "review.report.error.notSubmitted"
  | "review.report.error.returnNeedsComment";

/** null: no report stored yet (the generated draft is shown). */
export function reportTransition(
  state: ReportState | null,
  action: ReportAction,
  actor: Actor,
  commentCount = 0,
): { ok: true; to: ReportState } | { ok: false; reason: ReportRefusal; status: 403 | 409 | 400 } {
  const head = can(actor, "plan:edit");
  const leader = can(actor, "plan:approve");
  switch (action) {
    case "save":
    case "submit":
      if (!head) return { ok: false, reason: "review.report.error.forbidden", status: 403 };
      if (state === "submitted" || state === "accepted") return { ok: false, reason: "review.report.error.notEditable", status: 409 };
      return { ok: true, to: action === "save" ? (state ?? "draft") : "submitted" };
    case "return":
    case "accept":
      if (!leader) return { ok: false, reason: "review.report.error.forbidden", status: 403 };
      if (state !== "submitted") return { ok: false, reason: "review.report.error.notSubmitted", status: 409 };
      if (action === "return" && commentCount === 0) return { ok: false, reason: "review.report.error.returnNeedsComment", status: 400 };
      return { ok: true, to: action === "return" ? "returned" : "accepted" };
  }
}

/**
 * Who reads the written report: the head who writes it and leadership it is written for. Staff
 * see only their own customers in the ledger, and the report's measures and draft speak of all.
 */
export function mayReadReport(actor: Actor): boolean {
  return can(actor, "plan:edit") || can(actor, "plan:approve");
}

/** What the viewer may do with a report in `state`, for the page's controls. */
export function reportMay(state: ReportState | null, actor: Actor): { edit: boolean; decide: boolean } {
  return {
    edit: reportTransition(state, "save", actor).ok,
    decide: reportTransition(state, "accept", actor).ok,
  };
}
