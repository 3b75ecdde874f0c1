import { describe, expect, it } from "vitest";

import { emptyAging } from "~/features/kpi/kpis";
import {
  EXPORT_COLUMNS,
  type StatusRow,
  agingDueEdges,
  defaultStatusMonth,
  exportCells,
  exportFileName,
  exportTotalsCells,
  latestStatusMonth,
  otherMovements,
  readStatusParams,
  resolveStatusMonth,
  spreadsheetAmount,
  statusMonthForPage,
  statusQuery,
} from "~/features/status-table/status-table";

describe("the month", () => {
  it("defaults to the last complete month, across a year end", () => {
    expect(defaultStatusMonth("2026-01-05")).toBe("2025-12");
    expect(defaultStatusMonth("2026-03-31")).toBe("2026-02");
  });

  it("a complete month closes at its month end and opens at the previous one's", () => {
    const result = resolveStatusMonth("2024-03", "2026-11-23");
    expect(result).toEqual({
      ok: true,
      month: {
        month: "2024-03",
        start: "2024-03-01",
        monthEnd: "2024-03-31",
        closingDate: "2024-03-31",
        openingDate: "2024-02-29",
        toDate: false,
        previousMonth: "2024-02",
        nextMonth: "2024-04",
      },
    });
    expect(resolveStatusMonth("2026-01", "2026-11-23")).toMatchObject({ ok: true, month: { openingDate: "2025-12-31", previousMonth: "2025-12" } });
  });

  it("the month in progress closes today and has no next month", () => {
    expect(resolveStatusMonth("2026-11", "2026-11-23")).toMatchObject({
      ok: true,
      month: { closingDate: "2026-11-23", toDate: true, nextMonth: null, openingDate: "2026-10-31" },
    });
    expect(resolveStatusMonth(undefined, "2026-11-23")).toMatchObject({ ok: true, month: { month: "2026-10" } });
    expect(resolveStatusMonth("  ", "2026-11-23")).toMatchObject({ ok: true, month: { month: "2026-10" } });
  });

  it.each(["2025-13", "2025-00", "2025-1", "202501", "2025-01-01", "0000-05", "abcd-ef", "2026-12", "2027-01"])(
    "refuses %j with a message",
    (month) => {
      const result = resolveStatusMonth(month, "2026-11-23");
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/month/);
    },
  );

  it("aging edges: 1-30 days past due are due dates D-30..D-1, over 365 is up to D-366", () => {
    const edges = agingDueEdges("2025-03-31");
    expect(edges["1_30"]).toEqual({ from: "2025-03-01", to: "2025-03-30" });
    expect(edges["31_60"]).toEqual({ from: "2025-01-30", to: "2025-02-28" });
    expect(edges.over_365.to).toBe("2024-03-30");
  });
});

describe("parameters", () => {
  const read = (query: string) => readStatusParams(new URLSearchParams(query));

  it("reads filters, sort and page", () => {
    expect(read("month=2025-06&owner=7&region=华东&grade=A&overdue=1&overLimit=on&sort=closing&dir=asc&page=3")).toEqual({
      month: "2025-06",
      filters: { owner: 7, region: "华东", grade: "A", overdueOnly: true, overLimitOnly: true },
      sort: "closing",
      dir: "asc",
      page: 3,
    });
    expect(read("owner=none").filters.owner).toBe("none");
  });

  it("falls back on what does not parse: unknown sort by code, bad direction the column's own, bad page 1", () => {
    expect(read("sort=amount;drop&dir=up&page=-4&owner=x")).toMatchObject({ sort: "code", dir: "asc", page: 1, filters: { owner: undefined } });
    expect(read("sort=overdue")).toMatchObject({ sort: "overdue", dir: "desc" });
    expect(read("page=99999999999").page).toBe(1);
  });

  it("writes the state back without defaults", () => {
    const filters = { overdueOnly: true, overLimitOnly: false, region: "East" };
    expect(statusQuery({ month: "2025-06", filters, sort: "code", dir: "asc", page: 1 })).toEqual({ month: "2025-06", region: "East", overdue: "1" });
    expect(statusQuery({ month: "2025-06", filters, sort: "closing", dir: "asc", page: 2 })).toEqual({
      month: "2025-06",
      region: "East",
      overdue: "1",
      sort: "closing",
      dir: "asc",
      page: "2",
    });
  });
});

describe("other movements", () => {
  it("make every row roll forward: opening + billed − collected + other movements = closing", () => {
    // 1,000.00 open, 500.00 billed, 300.00 collected, a 50.00 credit note: 1,150.00 at the month end
    expect(otherMovements({ opening: 100_000, billed: 50_000, collected: 30_000, closing: 115_000 })).toBe(-5_000);
    // 100.00 billed and 120.00 received: nothing open, 20.00 waiting as unapplied credit
    expect(otherMovements({ opening: 0, billed: 10_000, collected: 12_000, closing: 0 })).toBe(2_000);
    // that credit applied to next month's 50.00 invoice: 30.00 open, nothing collected
    expect(otherMovements({ opening: 0, billed: 5_000, collected: 0, closing: 3_000 })).toBe(-2_000);
    // nothing else happened
    expect(otherMovements({ opening: 7, billed: 5, collected: 4, closing: 8 })).toBe(0);
  });
});

describe("export rows", () => {
  const row: StatusRow = {
    code: "C1",
    name: "=1+1",
    ownerName: null,
    region: "East",
    creditGrade: "A",
    creditLimit: null,
    opening: 100,
    billed: 200,
    collected: 50,
    otherMovements: -10,
    closing: 240,
    overdue: 30,
    aging: { ...emptyAging(), current: 220, "1_30": 30 },
    overdueChange: -5,
  };

  it("one cell per column: text as text, amounts in minor units, no limit empty", () => {
    const cells = exportCells(row);
    expect(cells).toHaveLength(EXPORT_COLUMNS.length);
    expect(cells.slice(0, 6)).toEqual([
      { kind: "text", value: "C1" },
      { kind: "text", value: "=1+1" },
      { kind: "text", value: null },
      { kind: "text", value: "East" },
      { kind: "text", value: "A" },
      { kind: "amount", minor: null },
    ]);
    expect(cells.slice(6).map((cell) => (cell.kind === "amount" ? cell.minor : "text"))).toEqual([100, 200, 50, -10, 240, 30, 220, 30, 0, 0, 0, 0, 0, -5]);
    expect(EXPORT_COLUMNS.map((c) => c.kind).filter((k) => k === "amount")).toHaveLength(15);
  });

  it("the totals row labels the first column", () => {
    const cells = exportTotalsCells({ ...row, customers: 1 }, "Total");
    expect(cells[0]).toEqual({ kind: "text", value: "Total" });
    expect(cells).toHaveLength(EXPORT_COLUMNS.length);
  });

  it("amounts become exact major-unit numbers; file names carry the month", () => {
    expect(spreadsheetAmount(1_234_567)).toBe(12345.67);
    expect(spreadsheetAmount(-5)).toBe(-0.05);
    expect(exportFileName("2025-06", "xlsx")).toBe("receivables-status-2025-06.xlsx");
  });
});

describe("statusMonthForPage", () => {
  const today = "2026-12-08";
  it("shows the month asked when it can", () => {
    expect(statusMonthForPage("2026-11", today)).toMatchObject({ problem: null, month: { month: "2026-11" } });
    expect(statusMonthForPage("2026-12", today)).toMatchObject({ problem: null, month: { month: "2026-12", toDate: true } });
    expect(statusMonthForPage(undefined, today)).toMatchObject({ problem: null, month: { month: "2026-11" } });
  });

  it("falls back to the month to date for a month not begun, saying so", () => {
    expect(statusMonthForPage("2027-03", today)).toMatchObject({ problem: "status.errors.monthNotStarted", month: { month: "2026-12", toDate: true, closingDate: today } });
  });

  it("falls back to the last complete month for a month not written YYYY-MM", () => {
    expect(statusMonthForPage("2026-13", today)).toMatchObject({ problem: "status.errors.month", month: { month: "2026-11" } });
    expect(statusMonthForPage("March", today)).toMatchObject({ problem: "status.errors.month", month: { month: "2026-11" } });
  });

  it("offers months up to the month in progress", () => {
    expect(latestStatusMonth(today)).toBe("2026-12");
  });
});
