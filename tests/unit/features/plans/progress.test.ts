import { describe, expect, it } from "vitest";

import type { ItemStatus } from "~/features/plans/categories";
import {
  type KpiLink,
  type RollupItem,
  isOverdue,
  itemTrack,
  kpiProgress,
  linkedProgress,
  planRollup,
  quarterElapsed,
  sortMyTasks,
  trackStatus,
} from "~/features/plans/progress";

const up = (baseline: number | null, target: number | null) => ({
  better: "up" as const,
  baseline,
  target,
});
const down = (baseline: number | null, target: number | null) => ({
  better: "down" as const,
  baseline,
  target,
});

describe("kpiProgress", () => {
  it.each([
    // down is better (DSO, overdue): 100 -> 80 with target 60 is half way
    ["down, half way", down(100, 60), 80, 0.5, 0.5, false],
    ["down, at baseline", down(100, 60), 100, 0, 0, false],
    ["down, target reached", down(100, 60), 60, 1, 1, true],
    ["down, overshoot", down(100, 60), 40, 1.5, 1, true],
    ["down, regression above baseline", down(100, 60), 120, -0.5, 0, false],
    // up is better (collection rate)
    ["up, quarter of the way", up(0.6, 0.8), 0.65, 0.25, 0.25, false],
    ["up, overshoot", up(0.6, 0.8), 0.9, 1.5, 1, true],
    ["up, regression below baseline", up(0.6, 0.8), 0.5, -0.5, 0, false],
    ["up, target reached", up(50, 70), 70, 1, 1, true],
  ])("%s", (_label, link, current, raw, bar, reached) => {
    const progress = kpiProgress(link, current);
    expect(progress).not.toBeNull();
    expect(progress!.raw).toBeCloseTo(raw, 10);
    expect(progress!.bar).toBeCloseTo(bar, 10);
    expect(progress!.reached).toBe(reached);
  });

  it.each([
    ["baseline equals target", down(100, 100), 90],
    ["no baseline yet", down(null, 60), 90],
    ["no target", up(10, null), 12],
    ["no current value (KPI empty)", up(10, 20), null],
    ["current not a number", up(10, 20), Number.NaN],
    ["target worse than baseline (down)", down(100, 120), 110],
    ["target worse than baseline (up)", up(0.8, 0.6), 0.7],
  ])("is null when %s", (_label, link, current) => {
    expect(kpiProgress(link, current)).toBeNull();
  });
});

describe("quarterElapsed", () => {
  const q = { start: "2026-04-01", end: "2026-06-30" }; // 91 days
  it.each([
    ["2026-03-31", 0],
    ["2026-04-01", 1 / 91],
    ["2026-05-15", 45 / 91],
    ["2026-06-30", 1],
    ["2026-08-01", 1],
  ])("%s -> %s", (today, share) => {
    expect(quarterElapsed(q, today)).toBeCloseTo(share, 12);
  });
});

describe("trackStatus thresholds", () => {
  it.each([
    [0.4, 0.5, "on_track"], // exactly elapsed - 0.1
    [0.39, 0.5, "at_risk"],
    [0.2, 0.5, "at_risk"], // exactly elapsed - 0.3
    [0.19, 0.5, "off_track"],
    [0.6, 0.7, "on_track"], // 0.7 - 0.1 is not exact in binary: still inclusive
    [0.4, 0.7, "at_risk"],
    [0, 0.1, "on_track"], // early in the quarter nothing is expected yet
    [0, 0.3, "at_risk"],
    [0, 0.31, "off_track"],
    [-0.2, 0, "at_risk"], // a regression early in the quarter is at risk...
    [-0.31, 0, "off_track"], // ...and off track once it is a big one
    [1.5, 1, "on_track"],
  ] as const)("progress %s at elapsed %s -> %s", (progress, elapsed, status) => {
    expect(trackStatus(progress, elapsed)).toBe(status);
  });
});

describe("itemTrack", () => {
  const quarter = { start: "2026-04-01", end: "2026-06-30" };
  const link: KpiLink = {
    kpi: "overdue_total",
    scope: { type: "region", name: "East" },
    better: "down",
    baseline: 100_000,
    baselineDate: "2026-03-31",
    target: 60_000,
  };
  const linked = (status: ItemStatus) => ({ status, kpiLink: link });

  it.each([
    ["behind at quarter end", linked("in_progress"), 90_000, "2026-06-30", "off_track"],
    ["on pace mid-quarter", linked("in_progress"), 80_000, "2026-05-15", "on_track"],
    ["target reached early", linked("todo"), 59_000, "2026-04-02", "on_track"],
    ["done, KPI no better at quarter end", linked("done"), 100_000, "2026-06-30", "off_track"],
    ["done, KPI worse than its baseline", linked("done"), 104_000, "2026-05-15", "off_track"],
    ["done, KPI on pace", linked("done"), 80_000, "2026-05-15", "on_track"],
    ["done, target reached", linked("done"), 59_000, "2026-06-30", "on_track"],
    ["cancelled", linked("cancelled"), 80_000, "2026-05-15", null],
    ["not linked", { status: "todo" as const, kpiLink: null }, 80_000, "2026-05-15", null],
    ["KPI empty", linked("todo"), null, "2026-05-15", null],
  ])("%s", (_label, item, current, today, expected) => {
    expect(itemTrack(item, current, quarter, today)).toBe(expected);
  });
});

describe("linkedProgress", () => {
  const quarter = { start: "2026-04-01", end: "2026-06-30" };
  const link: KpiLink = {
    kpi: "overdue_total",
    scope: { type: "company" },
    better: "down",
    baseline: 100_000,
    baselineDate: "2026-02-10",
    target: 60_000,
  };

  it.each([
    // Drafted ahead: the KPI fell since the link was made, but the quarter has not begun.
    ["the day before the quarter", "2026-03-31", 70_000, null, null],
    ["long before it", "2026-02-11", 40_000, null, null],
    ["its first day", "2026-04-01", 100_000, 0, "on_track"],
    ["half way in value and time", "2026-05-15", 80_000, 0.5, "on_track"],
  ])("%s", (_label, today, current, raw, track) => {
    const result = linkedProgress({ status: "todo", kpiLink: link }, current, quarter, today);
    // + 0 turns the -0 of "no way gone yet" into 0.
    expect(result.progress ? result.progress.raw + 0 : null).toBe(raw);
    expect(result.track).toBe(track);
  });

  it("has nothing for an unlinked item", () => {
    expect(linkedProgress({ status: "todo", kpiLink: null }, 1, quarter, "2026-05-15")).toEqual({ progress: null, track: null });
  });
});

describe("planRollup", () => {
  const row = (
    category: RollupItem["category"],
    ownerId: number | null,
    status: ItemStatus,
    track: RollupItem["track"] = null
  ): RollupItem => ({ category, ownerId, status, kpiLinked: track !== null, track });

  it("counts done / total overall, by category and by owner, without cancelled items", () => {
    const rollup = planRollup([
      row("collection", 7, "done", "on_track"),
      row("collection", 8, "in_progress", "off_track"),
      row("credit_review", 7, "todo", "on_track"),
      row("training", null, "blocked"),
      row("audit", 8, "cancelled", "on_track"),
    ]);
    expect(rollup).toMatchObject({ done: 1, total: 4, kpiLinked: 3, kpiOnTrack: 2 });
    expect(rollup.byCategory.collection).toEqual({ done: 1, total: 2 });
    expect(rollup.byCategory.credit_review).toEqual({ done: 0, total: 1 });
    expect(rollup.byCategory.audit).toEqual({ done: 0, total: 0 });
    expect(rollup.byOwner).toEqual([
      { ownerId: 7, done: 1, total: 2 },
      { ownerId: 8, done: 0, total: 1 },
      { ownerId: null, done: 0, total: 1 },
    ]);
  });

  it("counts a linked item without a measurable track as linked, not on track", () => {
    const rollup = planRollup([
      { category: "collection", ownerId: 7, status: "todo", kpiLinked: true, track: null },
    ]);
    expect(rollup).toMatchObject({ kpiLinked: 1, kpiOnTrack: 0 });
  });

  it("is all zeros for an empty plan", () => {
    const rollup = planRollup([]);
    expect(rollup).toMatchObject({ done: 0, total: 0, byOwner: [], kpiLinked: 0, kpiOnTrack: 0 });
    expect(Object.values(rollup.byCategory).every((c) => c.total === 0)).toBe(true);
  });
});

describe("My tasks", () => {
  const today = "2026-05-10";

  it.each([
    ["2026-05-09", "todo", true],
    ["2026-05-09", "in_progress", true],
    ["2026-05-09", "blocked", true],
    ["2026-05-09", "done", false],
    ["2026-05-09", "cancelled", false],
    ["2026-05-10", "todo", false], // due today is not overdue yet
    ["2026-05-11", "todo", false],
    [null, "todo", false],
  ] as const)("due %s, %s: overdue %s", (dueDate, status, overdue) => {
    expect(isOverdue({ dueDate, status }, today)).toBe(overdue);
  });

  it("sorts overdue first, then due soonest, undated last, finished at the end", () => {
    const tasks = [
      { id: 1, dueDate: "2026-06-30", status: "todo" as const },
      { id: 2, dueDate: null, status: "todo" as const },
      { id: 3, dueDate: "2026-05-01", status: "done" as const },
      { id: 4, dueDate: "2026-05-09", status: "blocked" as const },
      { id: 5, dueDate: "2026-05-10", status: "in_progress" as const },
      { id: 6, dueDate: "2026-04-20", status: "todo" as const },
      { id: 7, dueDate: "2026-05-10", status: "todo" as const },
      { id: 8, dueDate: "2026-04-01", status: "cancelled" as const },
    ];
    expect(sortMyTasks(tasks, today).map((t) => t.id)).toEqual([6, 4, 5, 7, 1, 2, 8, 3]);
    expect(tasks[0]!.id).toBe(1); // the input is left as it was
  });
});
