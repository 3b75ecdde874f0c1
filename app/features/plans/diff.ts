/**
 * The approved plan beside the current one: which items were added after approval and which
 * fields of the others changed. Status and notes are the work, not the plan, so they are not
 * differences; cancelling an item is (it takes it out of the plan).
 */
import { scopeText } from "~/features/kpi";
import type { PlanItem } from "~/features/plans/lifecycle";

export const COMPARED_FIELDS = ["title", "category", "description", "owner", "dueDate", "kpi", "target", "cancelled"] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface ComparableItem extends Pick<PlanItem, "id" | "title" | "category" | "description" | "ownerId" | "dueDate" | "status" | "kpiLink"> {
  ownerName: string | null;
}

export interface FieldChange {
  field: ComparedField;
  before: string | number | boolean | null;
  after: string | number | boolean | null;
}

export type ItemDifference =
  | { kind: "added"; item: ComparableItem }
  | { kind: "removed"; item: ComparableItem }
  | { kind: "changed"; item: ComparableItem; changes: FieldChange[] };

function fieldsOf(item: ComparableItem): Record<ComparedField, string | number | boolean | null> {
  return {
    title: item.title,
    category: item.category,
    description: item.description,
    owner: item.ownerName,
    dueDate: item.dueDate,
    kpi: item.kpiLink ? `${item.kpiLink.kpi} · ${scopeText(item.kpiLink.scope)}` : null,
    target: item.kpiLink?.target ?? null,
    cancelled: item.status === "cancelled",
  };
}

/** Differences in the current plan's item order, then items no longer in it. */
export function planDifferences(approved: readonly ComparableItem[], current: readonly ComparableItem[]): ItemDifference[] {
  const before = new Map(approved.map((item) => [item.id, item]));
  const differences: ItemDifference[] = [];
  for (const item of current) {
    const old = before.get(item.id);
    if (!old) {
      differences.push({ kind: "added", item });
      continue;
    }
    before.delete(item.id);
    const was = fieldsOf(old);
    const now = fieldsOf(item);
    const changes = COMPARED_FIELDS.filter((field) => was[field] !== now[field]).map((field) => ({ field, before: was[field], after: now[field] }));
    if (changes.length > 0) differences.push({ kind: "changed", item, changes });
  }
  for (const item of before.values()) differences.push({ kind: "removed", item });
  return differences;
}
