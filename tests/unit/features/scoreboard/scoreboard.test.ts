import { describe, expect, it } from "vitest";

import {
  type BookFigures,
  type OwnerInput,
  type ScoreboardItem,
  buildScoreboard,
  compareOwners,
  countItems,
  csvValue,
  exportCells,
  exportFileName,
  isDoneOnTime,
  isValidPeriod,
  openingDate,
  overdueChange,
  presetPeriod,
  rankOwners,
  rankingChange,
  scoreboardFor,
  xlsxNumber,
} from "~/features/scoreboard/scoreboard";
import { scoreboardPeriodSchema } from "~/features/scoreboard/schema";

const figures = (collected: number, overdueAtStart: number, overdueAtEnd: number): BookFigures => ({ collected, overdueAtStart, overdueAtEnd });

let nextId = 1;
function owner(name: string, f: BookFigures, extra: Partial<OwnerInput> = {}): OwnerInput {
  nextId += 1;
  return { ownerId: nextId, name, email: `${name.toLowerCase()}@x.test`, role: "staff", active: true, customers: 3, figures: f, items: { due: 0, onTime: 0 }, ...extra };
}

describe("the period", () => {
  it.each([
    ["quarterToDate", "2026-11-23", 1, { start: "2026-10-01", end: "2026-11-23" }],
    ["lastQuarter", "2026-11-23", 1, { start: "2026-07-01", end: "2026-09-30" }],
    ["lastQuarter", "2026-02-10", 1, { start: "2025-10-01", end: "2025-12-31" }],
    ["yearToDate", "2026-11-23", 1, { start: "2026-01-01", end: "2026-11-23" }],
    ["lastYear", "2026-11-23", 1, { start: "2025-01-01", end: "2025-12-31" }],
    // April fiscal year: FY2027 runs 2026-04-01..2027-03-31
    ["quarterToDate", "2026-11-23", 4, { start: "2026-10-01", end: "2026-11-23" }],
    ["yearToDate", "2026-11-23", 4, { start: "2026-04-01", end: "2026-11-23" }],
    ["lastYear", "2026-11-23", 4, { start: "2025-04-01", end: "2026-03-31" }],
    ["lastQuarter", "2026-04-01", 4, { start: "2026-01-01", end: "2026-03-31" }],
  ] as const)("%s on %s (fiscal start month %d)", (preset, today, month, expected) => {
    expect(presetPeriod(preset, today, month)).toEqual(expected);
  });

  it("measures overdue at the start at the end of the day before", () => {
    expect(openingDate({ start: "2025-01-01", end: "2025-03-31" })).toBe("2024-12-31");
    expect(openingDate({ start: "2024-03-01", end: "2024-03-31" })).toBe("2024-02-29");
  });

  it.each([
    [{ start: "2025-01-01", end: "2025-03-31" }, true],
    [{ start: "2025-03-31", end: "2025-03-31" }, true],
    [{ start: "2025-04-01", end: "2025-03-31" }, false],
    [{ start: "2025-02-30", end: "2025-03-31" }, false],
    [{ start: "", end: "2025-03-31" }, false],
  ])("isValidPeriod(%j) = %s", (period, valid) => {
    expect(isValidPeriod(period)).toBe(valid);
  });

  it("the form schema names the field and the reason (i18n keys)", () => {
    expect(scoreboardPeriodSchema.safeParse({ start: "2025-01-01", end: "2025-03-31" }).success).toBe(true);
    const messages = (input: Record<string, unknown>) => {
      const result = scoreboardPeriodSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((issue) => `${String(issue.path[0])}:${issue.message}`);
    };
    expect(messages({ start: "2025-02-30", end: "2025-03-31" })).toEqual(["start:scoreboard.errors.badStart"]);
    expect(messages({ start: "2025-01-01", end: "soon" })).toEqual(["end:scoreboard.errors.badEnd"]);
    expect(messages({ start: "2025-04-01", end: "2025-03-31" })).toEqual(["end:scoreboard.errors.startAfterEnd"]);
    expect(messages({})).toEqual(["start:scoreboard.errors.badStart", "end:scoreboard.errors.badEnd"]);
  });
});

describe("plan items done on time", () => {
  const period = { start: "2025-01-01", end: "2025-03-31" };
  const item = (dueDate: string | null, status: ScoreboardItem["status"], doneOn: string | null, ownerId = 1): ScoreboardItem => ({ ownerId, dueDate, status, doneOn });

  it.each([
    [item("2025-02-10", "done", "2025-02-09"), true],
    [item("2025-02-10", "done", "2025-02-10"), true], // on the due date is on time
    [item("2025-02-10", "done", "2025-02-11"), false],
    [item("2025-02-10", "done", null), false], // no date it was done on: no evidence it was on time
    [item("2025-02-10", "in_progress", null), false],
    [item("2025-02-10", "blocked", null), false],
    [item(null, "done", "2025-02-01"), false],
  ])("isDoneOnTime(%j) = %s", (it_, onTime) => {
    expect(isDoneOnTime(it_)).toBe(onTime);
  });

  it("counts items due in the period, inclusive of both ends, leaving cancelled ones out", () => {
    const counts = countItems(
      [
        item("2025-01-01", "done", "2024-12-20"),
        item("2025-03-31", "done", "2025-04-02"),
        item("2025-02-01", "todo", null),
        item("2025-02-01", "cancelled", null),
        item("2024-12-31", "done", "2024-12-31"),
        item("2025-04-01", "done", "2025-03-01"),
        item(null, "done", "2025-02-01"),
        item("2025-02-15", "done", "2025-02-15", 2),
      ],
      period,
    );
    expect(counts.get(1)).toEqual({ due: 3, onTime: 1 });
    expect(counts.get(2)).toEqual({ due: 1, onTime: 1 });
    expect(counts.get(3)).toBeUndefined();
  });
});

describe("overdue change", () => {
  it.each([
    [figures(0, 1000, 600), { amount: -400, ratio: -0.4 }],
    [figures(0, 1000, 1500), { amount: 500, ratio: 0.5 }],
    [figures(0, 0, 0), { amount: 0, ratio: null }],
    [figures(0, 0, 300), { amount: 300, ratio: null }],
    [figures(0, 500, 0), { amount: -500, ratio: -1 }],
  ])("%j", (f, expected) => {
    expect(overdueChange(f)).toEqual(expected);
  });

  it("ranks no overdue at either end as 0 % and new overdue from none below any percentage", () => {
    expect(rankingChange(figures(0, 0, 0))).toBe(0);
    expect(rankingChange(figures(0, 0, 1))).toBe(Number.POSITIVE_INFINITY);
    expect(rankingChange(figures(0, 100, 100_000))).toBe(999);
  });
});

describe("ranking", () => {
  it("puts the largest fall in overdue (as a share) first, whatever the size of the book", () => {
    const big = owner("Big", figures(9_000_000, 1_000_000, 900_000)); // −10 %
    const small = owner("Small", figures(10_000, 1_000, 500)); // −50 %
    const worse = owner("Worse", figures(50_000_000, 1_000, 1_200)); // +20 %
    const fromNone = owner("FromNone", figures(99_000_000, 0, 10)); // new overdue
    const clean = owner("Clean", figures(100, 0, 0)); // 0 %
    const rows = rankOwners([big, worse, fromNone, clean, small]);
    expect(rows.map((r) => [r.name, r.rank])).toEqual([
      ["Small", 1],
      ["Big", 2],
      ["Clean", 3],
      ["Worse", 4],
      ["FromNone", 5],
    ]);
  });

  it("breaks ties by collected, then by items done on time; equal on all three share a rank", () => {
    const a = owner("Ann", figures(500, 1000, 500));
    const b = owner("Bob", figures(700, 2000, 1000));
    const c = owner("Cai", figures(700, 400, 200), { items: { due: 4, onTime: 3 } });
    const d = owner("Dee", figures(700, 400, 200), { items: { due: 5, onTime: 3 } });
    const e = owner("Eve", figures(700, 400, 200), { items: { due: 2, onTime: 1 } });
    const rows = rankOwners([a, b, c, d, e]);
    // all −50 %: collected 700 before 500; among the 700s on-time 3 before 1 before 0; Cai and Dee tie (listed by name)
    expect(rows.map((r) => [r.name, r.rank])).toEqual([
      ["Cai", 1],
      ["Dee", 1],
      ["Eve", 3],
      ["Bob", 4],
      ["Ann", 5],
    ]);
  });

  it("lists owners without customers after the ranked ones, unranked", () => {
    const head = owner("Head", figures(0, 0, 0), { customers: 0, role: "head", items: { due: 9, onTime: 9 } });
    const staff = owner("Staff", figures(0, 100, 200));
    const rows = rankOwners([head, staff]);
    expect(rows.map((r) => [r.name, r.rank])).toEqual([
      ["Staff", 1],
      ["Head", null],
    ]);
  });

  it("never ranks an inactive user, even one whose customers did best; they are listed after, marked by active: false", () => {
    const placeholder = owner("old.owner@erp.test", figures(9_000, 100, 0), { active: false });
    const staff = owner("Staff", figures(0, 100, 200));
    const rows = rankOwners([placeholder, staff]);
    expect(rows.map((r) => [r.name, r.rank, r.active])).toEqual([
      ["Staff", 1, true],
      ["old.owner@erp.test", null, false],
    ]);
  });

  it("compareOwners is a consistent order (antisymmetric)", () => {
    const list = [owner("A", figures(1, 10, 5)), owner("B", figures(2, 0, 0)), owner("C", figures(3, 0, 4)), owner("D", figures(3, 10, 5))];
    for (const x of list) for (const y of list) expect(Math.sign(compareOwners(x, y)) + Math.sign(compareOwners(y, x))).toBe(0);
  });
});

describe("the board and its totals", () => {
  const period = { start: "2025-01-01", end: "2025-03-31" };
  const company = figures(10_000, 8_000, 5_000);
  const owners = [
    { ownerId: 1, name: "Li", email: "li@x.test", role: "staff" as const, active: true, customers: 2, figures: figures(6_000, 5_000, 2_000) },
    { ownerId: 2, name: "Wang", email: "wang@x.test", role: "staff" as const, active: true, customers: 1, figures: figures(3_000, 2_000, 2_500) },
    { ownerId: 3, name: "Head", email: "head@x.test", role: "head" as const, active: true, customers: 0, figures: figures(0, 0, 0) },
  ];
  const items: ScoreboardItem[] = [
    { ownerId: 3, dueDate: "2025-02-01", status: "done", doneOn: "2025-01-30" },
    { ownerId: 1, dueDate: "2025-03-01", status: "done", doneOn: "2025-03-05" },
  ];
  const board = buildScoreboard({ period, owners, items, company });

  it("reconciles: the owners plus the unowned customers are the company, to the cent", () => {
    expect(board.unowned.figures).toEqual(figures(1_000, 1_000, 500));
    const sum = [...board.rows.map((r) => r.figures), board.unowned.figures].reduce(
      (s, f) => figures(s.collected + f.collected, s.overdueAtStart + f.overdueAtStart, s.overdueAtEnd + f.overdueAtEnd),
      figures(0, 0, 0),
    );
    expect(sum).toEqual(board.totals.figures);
    expect(board.totals.figures).toEqual(company);
    expect(board.totals.overdueChange).toEqual({ amount: -3_000, ratio: -0.375 });
    expect(board.totals.items).toEqual({ due: 2, onTime: 1 });
  });

  it("ranks and counts", () => {
    expect(board.rows.map((r) => [r.name, r.rank, r.items])).toEqual([
      ["Li", 1, { due: 1, onTime: 0 }],
      ["Wang", 2, { due: 0, onTime: 0 }],
      ["Head", null, { due: 1, onTime: 1 }],
    ]);
    expect(board.rankedCount).toBe(2);
  });

  it("leaves off an inactive user with nothing in the period, and lists one with figures unranked; the totals still reconcile", () => {
    const withPlaceholders = buildScoreboard({
      period,
      items,
      company,
      owners: [
        ...owners,
        { ownerId: 4, name: "quiet@erp.test", email: "quiet@erp.test", role: "staff", active: false, customers: 3, figures: figures(0, 0, 0) },
        { ownerId: 5, name: "busy@erp.test", email: "busy@erp.test", role: "staff", active: false, customers: 1, figures: figures(500, 0, 400) },
      ],
    });
    expect(withPlaceholders.rows.map((r) => [r.name, r.rank])).toEqual([
      ["Li", 1],
      ["Wang", 2],
      ["busy@erp.test", null],
      ["Head", null],
    ]);
    expect(withPlaceholders.rankedCount).toBe(2);
    expect(withPlaceholders.unowned.figures).toEqual(figures(500, 1_000, 100));
  });

  it("head and leadership see everyone; staff their own row, their rank and the company, not the unowned line", () => {
    expect(scoreboardFor(board, { id: 3, role: "head" }).rows).toHaveLength(3);
    expect(scoreboardFor(board, { id: 9, role: "leader" }).unowned).not.toBeNull();
    const staff = scoreboardFor(board, { id: 2, role: "staff" });
    expect(staff.rows.map((r) => r.name)).toEqual(["Wang"]);
    expect(staff.rows[0]?.rank).toBe(2);
    expect(staff.rankedCount).toBe(2);
    expect(staff.unowned).toBeNull();
    expect(staff.totals.figures).toEqual(company);
    expect(staff.ownRowOnly).toBe(true);
  });

  it("exports owners, then unowned, then the company; amounts as numbers, ratios as fractions", () => {
    const rows = exportCells(scoreboardFor(board, { id: 3, role: "head" }), { unowned: "Unowned", totals: "Company" });
    expect(rows).toHaveLength(5);
    expect(rows[0]?.slice(0, 5)).toEqual([
      { kind: "count", value: 1 },
      { kind: "text", value: "Li" },
      { kind: "text", value: "li@x.test" },
      { kind: "count", value: 2 },
      { kind: "amount", minor: 6_000 },
    ]);
    expect(rows[3]?.[1]).toEqual({ kind: "text", value: "Unowned" });
    expect(rows[4]?.[1]).toEqual({ kind: "text", value: "Company" });
    const ratio = rows[0]?.[8];
    expect(ratio).toEqual({ kind: "ratio", value: -0.6 });
    if (ratio?.kind !== "ratio") throw new Error("ratio cell");
    expect(csvValue(ratio)).toBe("-60.00");
    expect(xlsxNumber(ratio)).toBe(-0.6);
    expect(csvValue({ kind: "amount", minor: -123_456 })).toBe("-1234.56");
    expect(xlsxNumber({ kind: "amount", minor: 123_456 })).toBe(1234.56);
    expect(csvValue({ kind: "ratio", value: null })).toBe("");
    expect(exportFileName(period, "csv")).toBe("owner-scoreboard-2025-01-01-to-2025-03-31.csv");
  });
});
