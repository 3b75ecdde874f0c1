import { describe, expect, it } from "vitest";

import {
  comparisonDates,
  dashboardDates,
  monthPoints,
  monthlyTrend,
  quarterPoints,
  quarterlyCollection,
  topOverdueCustomers,
  uniqueDates,
} from "~/features/kpi/series";
import { type KpiValues, emptyAging } from "~/features/kpi/kpis";
import type { LedgerSnapshot } from "~/kernel/ledger/types";
import { openItemsAsOf } from "~/kernel/ledger/open-items";
import { kpiValuesWith } from "../../support/kpi-values";
import { defined } from "../../../support/defined";

describe("monthPoints", () => {
  it.each([
    // as-of, count, expected dates (oldest first), last point partial?
    ["2026-11-23", 3, ["2026-09-30", "2026-10-31", "2026-11-23"], true],
    ["2026-11-30", 3, ["2026-09-30", "2026-10-31", "2026-11-30"], false],
    ["2026-01-15", 3, ["2025-11-30", "2025-12-31", "2026-01-15"], true],
    ["2024-03-10", 2, ["2024-02-29", "2024-03-10"], true],
    ["2023-03-01", 2, ["2023-02-28", "2023-03-01"], true],
    ["2026-02-28", 1, ["2026-02-28"], false],
  ])("%s, %i months", (asOf, count, dates, partial) => {
    const points = monthPoints(asOf, count);
    expect(points.map((p) => p.date)).toEqual(dates);
    expect(points.map((p) => p.month)).toEqual(dates.map((d) => d.slice(0, 7)));
    expect(points.slice(0, -1).every((p) => !p.partial)).toBe(true);
    expect(points[points.length - 1]?.partial).toBe(partial);
  });

  it("gives 24 months by default, ending with the as-of date", () => {
    const points = monthPoints("2026-11-23");
    expect(points).toHaveLength(24);
    expect(points[0]?.date).toBe("2024-12-31");
    expect(points[23]?.date).toBe("2026-11-23");
  });

  it("refuses a count below one", () => {
    expect(() => monthPoints("2026-11-23", 0)).toThrow(RangeError);
  });
});

describe("quarterPoints", () => {
  it.each([
    // as-of, fiscal start month, count, expected [fiscal year, quarter, start, date, partial]
    [
      "2026-11-23",
      1,
      3,
      [
        [2026, 2, "2026-04-01", "2026-06-30", false],
        [2026, 3, "2026-07-01", "2026-09-30", false],
        [2026, 4, "2026-10-01", "2026-11-23", true],
      ],
    ],
    [
      "2026-03-31",
      1,
      2,
      [
        [2025, 4, "2025-10-01", "2025-12-31", false],
        [2026, 1, "2026-01-01", "2026-03-31", false],
      ],
    ],
    [
      // April start: Apr-Mar is FY(end year); 2026-05-10 is in FY2027 Q1
      "2026-05-10",
      4,
      3,
      [
        [2026, 3, "2025-10-01", "2025-12-31", false],
        [2026, 4, "2026-01-01", "2026-03-31", false],
        [2027, 1, "2026-04-01", "2026-05-10", true],
      ],
    ],
    [
      "2024-02-29",
      1,
      2,
      [
        [2023, 4, "2023-10-01", "2023-12-31", false],
        [2024, 1, "2024-01-01", "2024-02-29", true],
      ],
    ],
  ] as const)("%s (fiscal start %i), %i quarters", (asOf, start, count, expected) => {
    const points = quarterPoints(asOf, count, start);
    expect(points.map((p) => [p.fiscalYear, p.quarter, p.start, p.date, p.partial])).toEqual(expected);
  });

  it("gives 8 quarters by default", () => {
    const points = quarterPoints("2026-11-23");
    expect(points).toHaveLength(8);
    expect(points[0]).toMatchObject({ fiscalYear: 2025, quarter: 1, date: "2025-03-31" });
  });
});

describe("comparisonDates", () => {
  it.each([
    ["2026-11-23", 1, "2026-09-30", "2025-11-23"],
    ["2026-10-01", 1, "2026-09-30", "2025-10-01"],
    ["2026-09-30", 1, "2026-06-30", "2025-09-30"],
    ["2024-02-29", 1, "2023-12-31", "2023-02-28"],
    ["2026-01-01", 1, "2025-12-31", "2025-01-01"],
    ["2026-05-10", 4, "2026-03-31", "2025-05-10"],
    ["2026-05-10", 2, "2026-04-30", "2025-05-10"],
  ])("%s with fiscal start %i: previous quarter end %s, a year earlier %s", (asOf, start, quarterEnd, lastYear) => {
    expect(comparisonDates(asOf, start)).toEqual({ previousQuarterEnd: quarterEnd, sameDateLastYear: lastYear });
  });
});

describe("dashboardDates", () => {
  it("asks for each date once: quarter ends and the previous quarter end are month ends", () => {
    const dates = dashboardDates("2026-11-23");
    // 24 month points + the same day last year (not a month end)
    expect(dates.all).toHaveLength(25);
    expect(dates.all).toEqual([...dates.all].sort());
    expect(new Set(dates.all).size).toBe(dates.all.length);
    for (const date of [...dates.quarters.map((q) => q.date), dates.comparisons.previousQuarterEnd, "2026-11-23"]) {
      expect(dates.months.map((m) => m.date)).toContain(date);
    }
    expect(dates.all).toContain("2025-11-23");
  });

  it("needs no extra date when the as-of date is a month end", () => {
    expect(dashboardDates("2026-06-30").all).toHaveLength(24);
  });
});

describe("uniqueDates", () => {
  it("sorts and drops repeats", () => {
    expect(uniqueDates(["2026-02-01", "2025-12-31", "2026-02-01"])).toEqual(["2025-12-31", "2026-02-01"]);
  });
});

const values = kpiValuesWith;

describe("series assembly", () => {
  it("takes each point's figures from the KPI values at its own date", () => {
    const byDate: Record<string, KpiValues> = {
      "2026-09-30": values({ ar_total: 1000, overdue_total: 400, dso: 45.5, aging: { ...emptyAging(), current: 600, "1_30": 400 } }),
      "2026-10-31": values({ ar_total: 2000, overdue_total: 500, dso: null }),
      "2026-11-23": values({ ar_total: 3000, overdue_total: 600, dso: 50 }),
    };
    const trend = monthlyTrend(monthPoints("2026-11-23", 3), (date) => defined(byDate[date], date));
    expect(trend.map((p) => [p.date, p.arTotal, p.overdueTotal, p.dso])).toEqual([
      ["2026-09-30", 1000, 400, 45.5],
      ["2026-10-31", 2000, 500, null],
      ["2026-11-23", 3000, 600, 50],
    ]);
    expect(trend[0]?.aging).toEqual({ ...emptyAging(), current: 600, "1_30": 400 });
    // a copy, not the engine's own object
    expect(trend[0]?.aging).not.toBe(byDate["2026-09-30"]?.aging);
  });

  it("gives each quarter its collection rate and CEI, null where undefined", () => {
    const byDate: Record<string, KpiValues> = {
      "2026-09-30": values({ collection_rate: 0.8, cei: 75, billed: 900, collected: 720 }),
      "2026-11-23": values({ collection_rate: null, cei: null }),
    };
    const quarters = quarterlyCollection(quarterPoints("2026-11-23", 2), (date) => defined(byDate[date], date));
    expect(quarters.map((q) => [q.quarter, q.collectionRate, q.cei, q.billed, q.collected, q.partial])).toEqual([
      [3, 0.8, 75, 900, 720, false],
      [4, null, null, 0, 0, true],
    ]);
  });
});

describe("topOverdueCustomers", () => {
  const invoice = (no: string, customer: string, due: string, amount: number) => ({
    invoiceNo: no,
    customerCode: customer,
    issueDate: "2026-01-01",
    dueDate: due,
    amount,
  });
  const customer = (code: string) => ({
    code,
    name: `Customer ${code}`,
    region: null,
    ownerEmail: null,
    creditGrade: null,
    creditLimit: null,
    paymentTermsDays: 30,
  });
  const snapshot: LedgerSnapshot = {
    customers: ["A", "B", "C", "D", "E"].map(customer),
    invoices: [
      invoice("A-1", "A", "2026-05-01", 500),
      invoice("A-2", "A", "2026-06-29", 100),
      invoice("B-1", "B", "2026-06-01", 600),
      // due on the as-of day: not overdue
      invoice("C-1", "C", "2026-06-30", 10_000),
      invoice("D-1", "D", "2026-06-15", 600),
      // paid in full
      invoice("E-1", "E", "2026-01-31", 900),
    ],
    payments: [{ paymentNo: "P-1", customerCode: "E", date: "2026-02-01", amount: 900, invoiceNo: "E-1" }],
    adjustments: [],
  };
  const openItems = openItemsAsOf(snapshot, "2026-06-30");

  it("ranks by overdue amount, ties by code, leaving out customers with nothing overdue", () => {
    expect(topOverdueCustomers(openItems, snapshot.customers)).toEqual([
      { code: "A", name: "Customer A", overdue: 600, arTotal: 600, oldestDaysPastDue: 60 },
      { code: "B", name: "Customer B", overdue: 600, arTotal: 600, oldestDaysPastDue: 29 },
      { code: "D", name: "Customer D", overdue: 600, arTotal: 600, oldestDaysPastDue: 15 },
    ]);
  });

  it("keeps the first `limit`", () => {
    expect(topOverdueCustomers(openItems, snapshot.customers, 2).map((c) => c.code)).toEqual(["A", "B"]);
  });

  it("falls back to the code when a document's customer is not in the list", () => {
    expect(topOverdueCustomers(openItems, [], 1)[0]?.name).toBe("A");
  });
});
