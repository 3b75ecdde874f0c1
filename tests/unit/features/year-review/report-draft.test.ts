import { describe, expect, it } from "vitest";

import { distinctTitles, lateAndUnderWay, overdueSentence, percentText, reportDraft, wanChange, wanFixed, wanNumber } from "~/features/year-review/report-draft";
import type { OverdueChange, Problems, UnfinishedItem, WorkDone } from "~/features/year-review/year-review";

const WAN = 1_000_000; // minor units in one 万元

function change(atStart: number | null, atEnd: number | null, fiscalYear = 2026): OverdueChange {
  const reduction = atStart === null || atEnd === null ? null : atStart - atEnd;
  return {
    fiscalYear,
    from: `${fiscalYear - 1}-12-31`,
    to: `${fiscalYear}-12-31`,
    atStart,
    atEnd,
    reduction,
    reductionRate: reduction === null || !atStart ? null : reduction / atStart,
  };
}

const noWork: WorkDone = { categories: [], done: 0, planned: 0, kpiItems: [] };
const noProblems: Problems = { unfinished: [], missedTargets: [], grew: { count: 0, total: 0, customers: [] } };

describe("wanNumber and percentText", () => {
  it("writes whole 万 from 1,000 万 up and two decimals below, half away from zero", () => {
    expect(wanNumber(9649 * WAN)).toBe("9,649");
    expect(wanNumber(6453.5 * WAN)).toBe("6,454");
    expect(wanNumber(12.345 * WAN)).toBe("12.35");
    expect(wanNumber(0)).toBe("0.00");
    expect(wanNumber(-3195 * WAN)).toBe("-3,195");
    expect(wanNumber(999.994 * WAN)).toBe("999.99");
  });

  it("writes a ratio with one decimal", () => {
    expect(percentText(3195 / 9649)).toBe("33.1%");
    expect(percentText(0)).toBe("0.0%");
    expect(percentText(-0.25)).toBe("25.0%");
  });
});

describe("overdueSentence", () => {
  it("writes seed 000's sentence in Chinese", () => {
    expect(overdueSentence(change(9649 * WAN, 6454 * WAN), "CNY", "zh")).toBe("2026年末逾期账款6,454万元，比年初9,649万元降低3,195万元，降幅33.1%。");
  });

  it("says a rise as a rise, and nothing when an end is unknown", () => {
    expect(overdueSentence(change(100 * WAN, 150 * WAN), "CNY", "zh")).toBe("2026年末逾期账款150.00万元，比年初100.00万元增加50.00万元，增幅50.0%。");
    expect(overdueSentence(change(0, 0), "CNY", "zh")).toBe("2026年末逾期账款0.00万元，比年初0.00万元持平。");
    expect(overdueSentence(change(null, 5), "CNY", "zh")).toBeNull();
  });

  it("writes it in English with the currency", () => {
    expect(overdueSentence(change(9649 * WAN, 6454 * WAN), "CNY", "en")).toBe(
      "Overdue receivables stood at CN¥64,540,000.00 at the end of fiscal year 2026, down CN¥31,950,000.00 (33.1%) from CN¥96,490,000.00 at its start.",
    );
  });
});

describe("overdueSentence while the year runs", () => {
  it("says the day the figures run to, not the year's end, in both languages", () => {
    expect(overdueSentence(change(9649 * WAN, 6454 * WAN), "CNY", "zh", undefined, "2026-12-08")).toBe(
      "截至2026年12月8日，逾期账款6,454万元，比年初9,649万元降低3,195万元，降幅33.1%。",
    );
    expect(overdueSentence(change(9649 * WAN, 6454 * WAN), "CNY", "en", undefined, "2026-12-08")).toBe(
      "Overdue receivables stood at CN¥64,540,000.00 on 8 December 2026, with fiscal year 2026 still running, down CN¥31,950,000.00 (33.1%) from CN¥96,490,000.00 at its start.",
    );
    expect(overdueSentence(change(100 * WAN, 150 * WAN), "CNY", "zh", "2026年下半年", "2026-12-08")).toBe(
      "截至2026年12月8日，逾期账款150.00万元，比期初100.00万元增加50.00万元，增幅50.0%。",
    );
    expect(overdueSentence(change(0, 0), "CNY", "en", undefined, "2026-12-08")).toBe(
      "Overdue receivables stood at CN¥0.00 on 8 December 2026, with fiscal year 2026 still running, the same as at its start.",
    );
    // an ended year keeps its year-end words
    expect(overdueSentence(change(9649 * WAN, 6454 * WAN), "CNY", "zh", undefined, null)).toBe("2026年末逾期账款6,454万元，比年初9,649万元降低3,195万元，降幅33.1%。");
  });
});

describe("reportDraft", () => {
  it("drafts the four sections in the language asked, from the figures", () => {
    const figures = {
      fiscalYear: 2026,
      currency: "CNY",
      overdue: { year: change(9649 * WAN, 6454 * WAN), previousYear: change(null, 9649 * WAN, 2025), againstPreviousYear: null },
      work: noWork,
      problems: noProblems,
      measures: [],
      measureSentences: ["全年共记录催收措施3次：上门走访3次。"],
    };
    const zh = reportDraft(figures, "zh");
    expect(zh.overdue).toContain("年末逾期账款6,454万元，比年初9,649万元降低3,195万元，降幅33.1%");
    expect(zh.work).toContain("全年计划工作0项，完成0项。");
    expect(zh.work).toContain("- 全年共记录催收措施3次：上门走访3次。");
    expect(zh.problems).toBe("全年计划工作均已完成，未发现突出问题。");
    expect(zh.measures).toMatch(/^1\. /);
    const en = reportDraft(figures, "en");
    expect(en.overdue).toContain("down CN¥31,950,000.00 (33.1%)");
    expect(en.work).toContain("Of the 0 plan items of the year, 0 were done.");
  });

  it("puts the customers whose overdue grew in a table, their names made safe for a cell", () => {
    const problems: Problems = {
      unfinished: [],
      missedTargets: [],
      grew: { count: 1, total: 50 * WAN, customers: [{ customerId: 1, code: "C1", name: "A|B\nCo", ownerId: null, ownerName: null, atStart: 100 * WAN, atEnd: 150 * WAN, change: 50 * WAN }] },
    };
    const draft = reportDraft(
      { fiscalYear: 2026, currency: "CNY", overdue: { year: change(1, 1), previousYear: change(1, 1, 2025), againstPreviousYear: 0 }, work: noWork, problems, measures: [] },
      "zh",
    );
    expect(draft.problems).toContain("| A\\|B Co | 100.00 | 150.00 |");
  });
});

describe("reportDraft without an opening position", () => {
  it("states the year's end and says why there is no comparison", () => {
    const figures = {
      fiscalYear: 2026,
      currency: "CNY",
      overdue: { year: change(null, 20 * WAN), previousYear: change(null, null, 2025), againstPreviousYear: null },
      work: noWork,
      problems: noProblems,
      measures: [],
    };
    expect(reportDraft(figures, "zh").overdue).toBe("2026年末逾期账款20.00万元；账套从2025-12-31之后才开始，没有年初余额可比。");
    expect(reportDraft(figures, "en").overdue).toBe(
      "Overdue receivables stood at CN¥200,000.00 at the end of fiscal year 2026; the ledger begins after 2025-12-31, so there is no opening balance to compare with.",
    );
    expect(reportDraft({ ...figures, overdue: { ...figures.overdue, year: change(null, null) } }, "en").overdue).toBe(
      "The ledger begins after 2025-12-31, so there is no opening balance to compare with.",
    );
  });
});

describe("wanFixed", () => {
  it("keeps two decimals whatever the size, so a column lines up", () => {
    expect(wanFixed(1043 * WAN)).toBe("1,043.00");
    expect(wanFixed(990.9 * WAN)).toBe("990.90");
    expect(wanFixed(-5_000)).toBe("-0.01");
  });
});

/** An unfinished item with what the report reads of it (the rest of a review item does not matter here). */
function unfinished(title: string, state: UnfinishedItem["state"], dueDate: string | null): UnfinishedItem {
  return { title, state, dueDate, ownerName: null } as unknown as UnfinishedItem;
}

describe("items not done, while the year runs and after it", () => {
  const items = [
    unfinished("Audit preparation", "open", "2026-12-15"),
    unfinished("Q3 reconciliation", "missed", "2026-09-30"),
    unfinished("Call the 华东 debtors", "open", "2026-11-30"),
    unfinished("Year-end push", "open", "2026-12-31"),
    unfinished("Due today", "open", "2026-12-08"),
  ];

  it("an item still open and not yet due is under way, not late; after the year every one is late", () => {
    const running = lateAndUnderWay(items, "2026-12-08");
    expect(running.late.map((i) => i.title)).toEqual(["Q3 reconciliation", "Call the 华东 debtors"]);
    expect(running.underWay.map((i) => i.title)).toEqual(["Audit preparation", "Year-end push", "Due today"]);
    expect(lateAndUnderWay(items, null).late).toHaveLength(5);
  });

  it("the report lists them apart, in both languages", () => {
    const problems: Problems = { ...noProblems, unfinished: items };
    const figures = { fiscalYear: 2026, currency: "CNY", overdue: { year: change(1, 1), previousYear: change(1, 1, 2025), againstPreviousYear: 0 }, work: noWork, problems, measures: [], runningTo: "2026-12-08" };
    const en = reportDraft(figures, "en").problems;
    expect(en).toContain("2 plan items were not done on time:\n\n- Q3 reconciliation\n- Call the 华东 debtors");
    expect(en).toContain("3 plan items are under way and not yet due:\n\n- Audit preparation\n- Year-end push\n- Due today");
    expect(reportDraft(figures, "zh").problems).toContain("尚未到期、仍在进行的工作3项：");
    const onlyUnderWay = { ...figures, problems: { ...noProblems, unfinished: [items[0]!] } };
    expect(reportDraft(onlyUnderWay, "en").problems).toBe("Every plan item of the year due so far was done; no problem stood out.\n\n1 plan item is under way and not yet due:\n\n- Audit preparation");
    expect(reportDraft({ ...figures, runningTo: null }, "en").problems).toContain("5 plan items were not done on time:");
  });
});

describe("a change in 万 beside the figures it joins", () => {
  it("is the difference of the whole figures when both are written whole, so the sentence adds up", () => {
    expect(wanChange(5327.4 * WAN, 4584.49 * WAN)).toBe("743");
    expect(overdueSentence(change(5327.4 * WAN, 4584.49 * WAN), "CNY", "zh")).toBe("2026年末逾期账款4,584万元，比年初5,327万元降低743万元，降幅13.9%。");
    expect(wanChange(100 * WAN, 150 * WAN)).toBe("50.00");
    // one of them written with decimals: the exact change
    expect(wanChange(1200.3 * WAN, 950.5 * WAN)).toBe("249.80");
  });
});

describe("distinctTitles", () => {
  it("lists a title carried over from quarter to quarter once, with how often it came", () => {
    expect(distinctTitles([{ title: "压降华东" }, { title: "DSO" }, { title: "压降华东 " }, { title: "压降华东" }])).toEqual([
      { item: { title: "压降华东" }, times: 3 },
      { item: { title: "DSO" }, times: 1 },
    ]);
  });
});
