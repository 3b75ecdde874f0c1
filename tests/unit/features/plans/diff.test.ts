import { describe, expect, it } from "vitest";

import { type ComparableItem, planDifferences } from "~/features/plans/diff";

const base: ComparableItem = {
  id: 1,
  title: "Chase overdue",
  category: "collection",
  description: "",
  ownerId: 7,
  ownerName: "Wang Fang",
  dueDate: "2026-12-15",
  status: "todo",
  kpiLink: { kpi: "overdue_total", scope: { type: "region", name: "East" }, better: "down", baseline: 100, baselineDate: "2026-09-30", target: 50 },
};

describe("planDifferences", () => {
  it("finds nothing when only the work moved on (status, baseline)", () => {
    const worked = { ...base, status: "done" as const, kpiLink: { ...base.kpiLink!, baseline: 120 } };
    expect(planDifferences([base], [worked])).toEqual([]);
  });

  it("lists changed fields with before and after", () => {
    const changed = { ...base, title: "Chase overdue hard", ownerName: "Li Lei", ownerId: 8, kpiLink: { ...base.kpiLink!, target: 40 } };
    expect(planDifferences([base], [changed])).toEqual([
      {
        kind: "changed",
        item: changed,
        changes: [
          { field: "title", before: "Chase overdue", after: "Chase overdue hard" },
          { field: "owner", before: "Wang Fang", after: "Li Lei" },
          { field: "target", before: 50, after: 40 },
        ],
      },
    ]);
  });

  it("reports items added after approval, cancelled ones, and ones gone", () => {
    const added = { ...base, id: 2, title: "Extra audit" };
    const gone = { ...base, id: 3 };
    const cancelled = { ...base, status: "cancelled" as const };
    const differences = planDifferences([base, gone], [cancelled, added]);
    expect(differences.map((difference) => [difference.kind, difference.item.id])).toEqual([
      ["changed", 1],
      ["added", 2],
      ["removed", 3],
    ]);
    expect(differences[0]).toMatchObject({ changes: [{ field: "cancelled", before: false, after: true }] });
  });
});
