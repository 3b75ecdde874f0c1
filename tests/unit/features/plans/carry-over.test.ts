import { describe, expect, it } from "vitest";

import { carryOverItems, nextQuarter, nextQuarterRange, previousQuarter } from "~/features/plans/carry-over";
import type { ItemStatus } from "~/features/plans/categories";
import type { PlanItem } from "~/features/plans/lifecycle";

function item(id: number, status: ItemStatus, overrides: Partial<PlanItem> = {}): PlanItem {
  return {
    id,
    title: `Item ${id}`,
    category: "collection",
    description: "Chase the top ten debtors",
    ownerId: 7,
    dueDate: "2026-05-15",
    status,
    blockedReason: null,
    outcome: null,
    kpiLink: null,
    ...overrides,
  };
}

describe("previousQuarter", () => {
  it.each([1, 2, 3, 4] as const)("undoes nextQuarter for Q%s", (quarter) => {
    expect(previousQuarter(2026, quarter)).toEqual(
      quarter === 1 ? { fiscalYear: 2025, quarter: 4 } : { fiscalYear: 2026, quarter: quarter - 1 }
    );
    const back = previousQuarter(2026, quarter);
    expect(nextQuarter(back.fiscalYear, back.quarter)).toEqual({ fiscalYear: 2026, quarter });
  });
});

describe("nextQuarter", () => {
  it.each([
    [2026, 1, { fiscalYear: 2026, quarter: 2 }],
    [2026, 2, { fiscalYear: 2026, quarter: 3 }],
    [2026, 3, { fiscalYear: 2026, quarter: 4 }],
    [2026, 4, { fiscalYear: 2027, quarter: 1 }],
  ] as const)("FY%s Q%s -> %o", (year, quarter, next) => {
    expect(nextQuarter(year, quarter)).toEqual(next);
  });

  it.each([
    [2026, 2, 1, { start: "2026-07-01", end: "2026-09-30" }],
    [2026, 4, 1, { start: "2027-01-01", end: "2027-03-31" }],
    // April start: after FY2026 Q4 (2026-01..03) comes FY2027 Q1 (2026-04..06)
    [2026, 4, 4, { start: "2026-04-01", end: "2026-06-30" }],
  ] as const)("range after FY%s Q%s (start month %s)", (year, quarter, month, range) => {
    expect(nextQuarterRange(year, quarter, month)).toEqual(range);
  });
});

describe("carryOverItems", () => {
  const q3 = { start: "2026-07-01", end: "2026-09-30" };

  it("takes only unfinished items (not done, not cancelled), as new to-do items", () => {
    const carried = carryOverItems(
      [
        item(1, "todo"),
        item(2, "in_progress"),
        item(3, "blocked", { blockedReason: "disputed" }),
        item(4, "done"),
        item(5, "cancelled"),
      ],
      q3
    );
    expect(carried.map((c) => c.carriedOverFrom.itemId)).toEqual([1, 2, 3]);
    for (const c of carried)
      expect(c).toMatchObject({ status: "todo", blockedReason: null, outcome: null });
    expect(carried[2]!.carriedOverFrom).toEqual({
      itemId: 3,
      dueDate: "2026-05-15",
      status: "blocked",
      blockedReason: "disputed",
    });
  });

  it("keeps title, category, description and owner", () => {
    const [carried] = carryOverItems(
      [item(1, "todo", { category: "audit", ownerId: 9, title: "年度审计准备" })],
      q3
    );
    expect(carried).toMatchObject({
      title: "年度审计准备",
      category: "audit",
      ownerId: 9,
      description: "Chase the top ten debtors",
    });
  });

  it.each([
    ["keeps its place in the quarter", "2026-05-15", "2026-08-15"],
    ["clamps a month-end that is longer", "2026-05-31", "2026-08-31"],
    ["keeps the quarter's last day", "2026-06-30", "2026-09-30"],
    ["pulls a grace-period date back into the quarter", "2026-07-10", "2026-09-30"],
    ["pulls an early date forward", "2026-03-20", "2026-07-01"],
    ["gives an undated item the quarter's last day", null, "2026-09-30"],
  ])("due date %s: %s -> %s", (_label, dueDate, moved) => {
    expect(carryOverItems([item(1, "todo", { dueDate })], q3)[0]!.dueDate).toBe(moved);
  });

  it("keeps the KPI link but captures the baseline again at the new quarter's start", () => {
    const kpiLink = {
      kpi: "overdue_total" as const,
      scope: { type: "region" as const, name: "East" },
      better: "down" as const,
      baseline: 100_000,
      baselineDate: "2026-03-31",
      target: 60_000,
    };
    const [carried] = carryOverItems([item(1, "in_progress", { kpiLink })], q3);
    expect(carried!.kpiLink).toEqual({ ...kpiLink, baseline: null, baselineDate: null });
    expect(kpiLink.baseline).toBe(100_000); // the old item is untouched
  });

  it("carries nothing from a finished quarter", () => {
    expect(carryOverItems([item(1, "done"), item(2, "cancelled")], q3)).toEqual([]);
    expect(carryOverItems([], q3)).toEqual([]);
  });
});
