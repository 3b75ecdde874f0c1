/**
 * The fixed vocabularies of quarterly plans: item categories, item statuses and the outcomes a
 * head gives each item when closing a quarter. Stored as the keys; shown by the names here.
 */
import type { LocalizedText } from "~/features/kpi";
import { isOneOf } from "~/kernel/guards";

export const PLAN_CATEGORIES = [
  "credit_review",
  "collection",
  "reconciliation",
  "training",
  "audit",
  "year_end_push",
  "risk_warning",
  "bad_debt_provision",
  "policy",
  "other",
] as const;
export type PlanCategory = (typeof PLAN_CATEGORIES)[number];

export const PLAN_CATEGORY_NAMES: Record<PlanCategory, LocalizedText> = {
  credit_review: { en: "Credit review", zh: "客户授信评审" },
  collection: { en: "Collection", zh: "应收账款催收" },
  reconciliation: { en: "Reconciliation", zh: "对账与台账清理" },
  training: { en: "Training", zh: "培训" },
  audit: { en: "Audit", zh: "审计" },
  year_end_push: { en: "Year-end collection push", zh: "年末清欠冲刺" },
  risk_warning: { en: "Risk early warning", zh: "风险预警" },
  bad_debt_provision: { en: "Bad-debt provision", zh: "坏账准备" },
  policy: { en: "Credit policy", zh: "授信政策" },
  other: { en: "Other", zh: "其他" },
};

export const ITEM_STATUSES = ["todo", "in_progress", "done", "blocked", "cancelled"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_STATUS_NAMES: Record<ItemStatus, LocalizedText> = {
  todo: { en: "To do", zh: "待办" },
  in_progress: { en: "In progress", zh: "进行中" },
  done: { en: "Done", zh: "已完成" },
  blocked: { en: "Blocked", zh: "受阻" },
  cancelled: { en: "Cancelled", zh: "已取消" },
};

/** Statuses in which the work is still owed: they count as overdue and are carried over. */
export const OPEN_ITEM_STATUSES: readonly ItemStatus[] = ["todo", "in_progress", "blocked"];

export const CLOSE_OUTCOMES = ["done", "missed", "carried_over"] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export const CLOSE_OUTCOME_NAMES: Record<CloseOutcome, LocalizedText> = {
  done: { en: "Done", zh: "已完成" },
  missed: { en: "Missed", zh: "未完成" },
  carried_over: { en: "Carried over", zh: "结转下季度" },
};

export function isPlanCategory(value: unknown): value is PlanCategory {
  return isOneOf(PLAN_CATEGORIES, value);
}

export function isItemStatus(value: unknown): value is ItemStatus {
  return isOneOf(ITEM_STATUSES, value);
}

export function isCloseOutcome(value: unknown): value is CloseOutcome {
  return isOneOf(CLOSE_OUTCOMES, value);
}

export function isOpenStatus(status: ItemStatus): boolean {
  return OPEN_ITEM_STATUSES.includes(status);
}
