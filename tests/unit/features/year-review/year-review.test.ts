import { describe, expect, it } from "vitest";

import { AppError } from "~/kernel/app-error";

import {
  type CustomerOverdue,
  type ReviewItem,
  availableYears,
  lastCompleteFiscalYear,
  nextYearMeasures,
  overdueComparison,
  problems,
  proposalNote,
  rankMovers,
  reviewDates,
  safeCellText,
  targetMet,
  unfinishedItems,
  workDone,
} from "~/features/year-review/year-review";

describe("reviewDates", () => {
  it("compares the ends of FY-2, FY-1 and FY for a year that has ended", () => {
    const dates = reviewDates(2025, 1, "2026-11-23");
    expect(dates).toMatchObject({
      fiscalYear: 2025,
      start: "2025-01-01",
      end: "2025-12-31",
      previousOpening: "2023-12-31",
      opening: "2024-12-31",
      closing: "2025-12-31",
      running: false,
    });
    expect(dates.quarters.map((q) => [q.quarter, q.measuredOn, q.complete])).toEqual([
      [1, "2025-03-31", true],
      [2, "2025-06-30", true],
      [3, "2025-09-30", true],
      [4, "2025-12-31", true],
    ]);
    expect(dates.months).toHaveLength(12);
    expect(dates.months[1]).toEqual({ month: "2025-02", date: "2025-02-28", partial: false });
  });

  it("ends a running year today, with the quarter and month in progress to date", () => {
    const dates = reviewDates(2026, 1, "2026-11-23");
    expect(dates.running).toBe(true);
    expect(dates.closing).toBe("2026-11-23");
    expect(dates.quarters.at(-1)).toMatchObject({ quarter: 4, measuredOn: "2026-11-23", complete: false });
    expect(dates.months).toHaveLength(11);
    expect(dates.months.at(-1)).toEqual({ month: "2026-11", date: "2026-11-23", partial: true });
  });

  it("is not running on the year's last day, and a year starting in April is named by its end", () => {
    expect(reviewDates(2025, 1, "2025-12-31").running).toBe(false);
    const april = reviewDates(2025, 4, "2025-06-15");
    expect(april).toMatchObject({ start: "2024-04-01", end: "2025-03-31", opening: "2024-03-31", previousOpening: "2023-03-31", running: false });
    expect(april.months[0]?.month).toBe("2024-04");
  });

  it("refuses a year that has not begun", () => {
    expect(() => reviewDates(2027, 1, "2026-11-23")).toThrow(AppError);
    expect(() => reviewDates(2027, 1, "2026-11-23")).toThrow(expect.objectContaining({ code: "not_found", messageKey: "review.error.notFound" }));
    expect(() => reviewDates(1899, 1, "2026-11-23")).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(() => reviewDates(2026, 1, "2026-01-01")).not.toThrow();
    expect(reviewDates(2026, 1, "2026-01-01").quarters).toHaveLength(1);
  });
});

describe("the years to review", () => {
  it("runs from the ledger's first fiscal year to the running one, newest first; plans alone only without a ledger", () => {
    expect(availableYears("2024-11-24", null, "2026-11-23", 1)).toEqual([2026, 2025, 2024]);
    // A plan from before the ledger does not offer a year the ledger cannot show.
    expect(availableYears("2025-02-01", 2023, "2026-11-23", 1)).toEqual([2026, 2025]);
    expect(availableYears(null, 2025, "2026-11-23", 1)).toEqual([2026, 2025]);
    expect(availableYears(null, null, "2026-11-23", 1)).toEqual([]);
    // A fiscal year starting in April is named by the year it ends in: 2024-03-31 is in 2024's.
    expect(availableYears("2024-03-31", null, "2026-11-23", 4)).toEqual([2027, 2026, 2025, 2024]);
    expect(lastCompleteFiscalYear("2026-11-23", 1)).toBe(2025);
    expect(lastCompleteFiscalYear("2026-03-31", 4)).toBe(2025);
    expect(lastCompleteFiscalYear("2026-04-01", 4)).toBe(2026);
  });
});

describe("overdueComparison", () => {
  const dates = reviewDates(2025, 1, "2026-11-23");

  it("is the seed's 当期/年末 line for the year and the one before, with the reductions", () => {
    const comparison = overdueComparison(dates, { previousOpening: 9_094_00, opening: 9_649_00, closing: 6_454_00 }, "2020-01-01");
    expect(comparison.year).toEqual({
      fiscalYear: 2025,
      from: "2024-12-31",
      to: "2025-12-31",
      atStart: 9_649_00,
      atEnd: 6_454_00,
      reduction: 3_195_00,
      reductionRate: 3_195 / 9_649,
    });
    expect(comparison.previousYear).toMatchObject({ fiscalYear: 2024, from: "2023-12-31", to: "2024-12-31", reduction: -555_00 });
    expect(comparison.againstPreviousYear).toBe(3_195_00 + 555_00);
  });

  it("has no rate when nothing was overdue at the start", () => {
    expect(overdueComparison(dates, { previousOpening: 0, opening: 0, closing: 100 }, "2020-01-01").year).toMatchObject({ reduction: -100, reductionRate: null });
  });

  it.each([
    // ledger start, this year's start known, the year before's start known
    ["2024-12-31", true, false],
    ["2025-01-01", false, false],
    ["2023-12-31", true, true],
    ["2024-06-30", false, false],
    [null, false, false],
  ] as const)("with the ledger beginning on %s gives no figure before it, never a zero", (ledgerStart, opening, previousOpening) => {
    const comparison = overdueComparison(dates, { previousOpening: 0, opening: 0, closing: 500 }, ledgerStart === "2024-06-30" ? "2025-03-01" : ledgerStart);
    expect(comparison.year.atStart === null).toBe(!opening);
    expect(comparison.year.reduction === null).toBe(!opening);
    expect(comparison.previousYear.atStart === null).toBe(!previousOpening);
    expect(comparison.againstPreviousYear === null).toBe(!(opening && previousOpening));
    expect(comparison.year.atEnd).toBe(ledgerStart === null ? null : 500);
  });
});

const customer = (code: string, atStart: number, atEnd: number): CustomerOverdue => ({
  customerId: Number(code.slice(1)),
  code,
  name: `Customer ${code}`,
  ownerId: null,
  ownerName: null,
  atStart,
  atEnd,
});

describe("rankMovers", () => {
  it("ranks falls and rises by size, ties by code, and counts them all", () => {
    const movers = rankMovers(
      [customer("C3", 500, 100), customer("C1", 100, 600), customer("C2", 400, 0), customer("C4", 50, 50), customer("C5", 0, 500)],
      2,
    );
    expect(movers.fell.map((m) => [m.code, m.change])).toEqual([
      ["C3", -400],
      ["C2", -400],
    ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)));
    expect(movers.rose.map((m) => [m.code, m.change])).toEqual([
      ["C1", 500],
      ["C5", 500],
    ]);
    expect(movers).toMatchObject({ fellCount: 2, fellTotal: 800, grewCount: 2, grewTotal: 1000 });
  });

  it("is empty for an empty ledger", () => {
    expect(rankMovers([])).toEqual({ fell: [], rose: [], fellCount: 0, fellTotal: 0, grewCount: 0, grewTotal: 0 });
  });
});

let nextId = 1;
function item(overrides: Partial<ReviewItem> = {}): ReviewItem {
  const id = overrides.id ?? nextId++;
  return {
    id,
    planId: 1,
    quarter: 1,
    position: id,
    title: `Item ${id}`,
    category: "collection",
    description: "",
    ownerId: 7,
    ownerName: "Wang Fang",
    dueDate: "2025-03-31",
    status: "done",
    outcome: "done",
    doneOn: "2025-03-20",
    carriedOverFrom: null,
    customers: [],
    notes: [],
    kpi: null,
    ...overrides,
  };
}

const kpi = (overrides: Partial<NonNullable<ReviewItem["kpi"]>> = {}): NonNullable<ReviewItem["kpi"]> => ({
  key: "dso",
  scope: "company",
  better: "down",
  baseline: 60,
  baselineDate: "2024-12-31",
  target: 50,
  result: 55,
  measuredOn: "2025-03-31",
  final: true,
  hidden: false,
  ...overrides,
});

describe("targetMet", () => {
  it.each([
    ["down, at target", "down", 50, 50, true],
    ["down, above", "down", 50, 50.1, false],
    ["up, above", "up", 0.9, 0.95, true],
    ["up, below", "up", 0.9, 0.85, false],
    ["no target", "down", null, 10, null],
    ["no result", "up", 1, null, null],
  ] as const)("%s", (_name, better, target, result, expected) => {
    expect(targetMet({ better, target, result })).toBe(expected);
  });
});

describe("work done and problems", () => {
  it("groups done items by category in the register's order, leaving out cancelled ones", () => {
    const items = [
      item({ category: "training", quarter: 2 }),
      item({ category: "credit_review" }),
      item({ category: "credit_review", status: "todo", outcome: "missed", doneOn: null }),
      item({ category: "audit", status: "cancelled", outcome: null }),
      item({ category: "collection", kpi: kpi() }),
    ];
    const work = workDone(items);
    expect(work.categories.map((g) => [g.category, g.items.length])).toEqual([
      ["credit_review", 1],
      ["collection", 1],
      ["training", 1],
    ]);
    expect(work).toMatchObject({ done: 3, planned: 4 });
    expect(work.kpiItems).toHaveLength(1);
  });

  it("lists unfinished items with where they went, missed targets of ended quarters, and the customers whose overdue grew", () => {
    const q1 = item({ quarter: 1, status: "in_progress", outcome: "carried_over", doneOn: null });
    const q2 = item({ quarter: 2, carriedOverFrom: q1.id });
    const missed = item({ quarter: 3, status: "blocked", outcome: "missed", doneOn: null });
    const running = item({ quarter: 4, status: "todo", outcome: null, doneOn: null, kpi: kpi({ final: false, result: 99 }) });
    const targetMissed = item({ quarter: 2, kpi: kpi({ result: 58 }) });
    const movers = rankMovers([customer("C1", 0, 10)]);
    const found = problems([q1, q2, missed, running, targetMissed], movers);
    expect(found.unfinished.map((u) => [u.id, u.state, u.carriedInto])).toEqual([
      [q1.id, "carried_over", { id: q2.id, quarter: 2, done: true }],
      [missed.id, "missed", null],
      [running.id, "open", null],
    ]);
    expect(found.missedTargets.map((m) => m.id)).toEqual([targetMissed.id]);
    expect(found.grew).toMatchObject({ count: 1, total: 10 });
  });
});

describe("nextYearMeasures", () => {
  it("proposes each unfinished chain once, from its last link, and nothing a later quarter finished", () => {
    const a1 = item({ quarter: 2, status: "todo", outcome: "carried_over", doneOn: null, title: "Chase 大连大客" });
    const a2 = item({ quarter: 3, status: "todo", outcome: "carried_over", doneOn: null, carriedOverFrom: a1.id, title: "Chase 大连大客" });
    const a3 = item({ quarter: 4, status: "blocked", outcome: "carried_over", doneOn: null, carriedOverFrom: a2.id, title: "Chase 大连大客", customers: ["C9"] });
    const b1 = item({ quarter: 1, status: "todo", outcome: "carried_over", doneOn: null });
    const b2 = item({ quarter: 2, carriedOverFrom: b1.id });
    const cancelled = item({ quarter: 4, status: "cancelled", outcome: null });
    const proposals = nextYearMeasures([a1, a2, a3, b1, b2, cancelled]);
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({
      sourceItemId: a3.id,
      sourceQuarter: 4,
      reasons: ["unfinished"],
      title: "Chase 大连大客",
      ownerId: 7,
      customers: ["C9"],
      kpi: null,
    });
  });

  it("treats the same work planned again in a later quarter (same category and title) as its carry-over", () => {
    const q1 = item({ quarter: 1, status: "todo", outcome: "missed", doneOn: null, title: "Bring DSO down " });
    const q2 = item({ quarter: 2, status: "todo", outcome: "missed", doneOn: null, title: "bring dso down" });
    const q3 = item({ quarter: 3, status: "in_progress", outcome: "missed", doneOn: null, title: "Bring DSO down" });
    const otherCategory = item({ quarter: 1, category: "training", status: "todo", outcome: "missed", doneOn: null, title: "Bring DSO down" });
    expect(unfinishedItems([q1, q2, q3, otherCategory]).map((u) => [u.id, u.carriedInto])).toEqual([
      [q1.id, { id: q3.id, quarter: 3, done: false }],
      [otherCategory.id, null],
      [q2.id, { id: q3.id, quarter: 3, done: false }],
      [q3.id, null],
    ]);
    expect(nextYearMeasures([q1, q2, q3, otherCategory]).map((p) => p.sourceItemId)).toEqual([otherCategory.id, q3.id]);
    const doneLater = item({ quarter: 4, title: "Bring DSO down" });
    expect(nextYearMeasures([q1, q2, q3, doneLater])).toEqual([]);
    expect(unfinishedItems([q1, doneLater])[0]?.carriedInto).toEqual({ id: doneLater.id, quarter: 4, done: true });
  });

  it("proposes a missed KPI target once per KPI and scope, unless a later quarter met it, keeping target and owner", () => {
    const q2miss = item({ quarter: 2, kpi: kpi({ key: "overdue_total", better: "down", target: 1000, result: 2000 }) });
    const q4met = item({ quarter: 4, kpi: kpi({ key: "overdue_total", better: "down", target: 1000, result: 900 }) });
    const q3miss = item({ quarter: 3, kpi: kpi({ key: "collection_rate", better: "up", target: 0.9, result: 0.8 }) });
    const q4miss = item({ quarter: 4, ownerId: 8, ownerName: "Li Wei", kpi: kpi({ key: "collection_rate", better: "up", target: 0.92, result: 0.85 }) });
    const running = item({ quarter: 4, kpi: kpi({ key: "dso", scope: "region:East", final: false, result: 99 }) });
    const proposals = nextYearMeasures([q2miss, q4met, q3miss, q4miss, running]);
    expect(proposals.map((p) => [p.sourceItemId, p.reasons, p.ownerId, p.kpi])).toEqual([
      [q4miss.id, ["target_missed"], 8, { key: "collection_rate", scope: "company", target: 0.92 }],
    ]);
  });

  it("gives one proposal both reasons when an unfinished item also missed its target", () => {
    const both = item({ quarter: 4, status: "todo", outcome: "missed", doneOn: null, kpi: kpi({ result: 70 }) });
    const [proposal] = nextYearMeasures([both]);
    if (!proposal) throw new Error("one proposal");
    expect(proposal.reasons).toEqual(["unfinished", "target_missed"]);
    expect(proposalNote(proposal, 2025, "en")).toBe("From the 2025 year-end review: Q4 2025 item, not finished, KPI target missed.");
    expect(proposalNote(proposal, 2025, "zh")).toBe("来自 2025 年度评审：2025 年第 4 季度事项，未完成、KPI 目标未达成。");
  });

  it("proposes nothing when everything was done and met", () => {
    expect(nextYearMeasures([item(), item({ kpi: kpi({ result: 45 }) })])).toEqual([]);
    expect(unfinishedItems([])).toEqual([]);
  });
});

describe("safeCellText", () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["催收 大连大客", "催收 大连大客"],
    ["", ""],
  ])("%j", (text, expected) => {
    expect(safeCellText(text)).toBe(expected);
  });
});
