import { describe, expect, it } from "vitest";

import { projectAt, pushGap, weeksToReach } from "~/features/forecast/projection";

/*
 * Worked by hand, as of 2026-12-07 to 2026-12-21 (14 days):
 * weeks 12-08..12-14 (open 7,000, new 700) and 12-15..12-21 (open 3,500, new 350), all counted;
 * week 12-22..12-28 is after the date and counts nothing.
 * December's sales 31,000 → 1,000 a day; days 12-08..12-21 = 14 days → 14,000 invoiced.
 * Receivables 100,000 + 14,000 − 10,500 − 1,050 = 102,450.
 * Open 50,000 of which 30,000 falls due before 12-21: collected share 10,500 ÷ 50,000 = 0.21,
 * overdue 30,000 × 0.79 = 23,700.
 * Sales of the 90 days: 90,000 × 76 ÷ 90 + 14,000 = 90,000; DSO 102,450 ÷ 90,000 × 90 = 102.45.
 */
const inputs = {
  asOf: "2026-12-07",
  date: "2026-12-21",
  arTotal: 100_000,
  overdueTotal: 20_000,
  creditSales90d: 90_000,
  invoices: [
    { dueDate: "2026-11-30", open: 20_000 },
    { dueDate: "2026-12-20", open: 10_000 },
    { dueDate: "2026-12-21", open: 20_000 },
  ],
  weeks: [
    { start: "2026-12-08", end: "2026-12-14", open: 7_000, newSales: 700 },
    { start: "2026-12-15", end: "2026-12-21", open: 3_500, newSales: 350 },
    { start: "2026-12-22", end: "2026-12-28", open: 9_999, newSales: 999 },
  ],
  billed: [
    { month: "2026-12", billed: 31_000 },
    { month: "2027-01", billed: 31_000 },
  ],
};

describe("projectAt", () => {
  it("projects receivables, overdue and DSO to the date as worked by hand", () => {
    const p = projectAt(inputs);
    expect(p).toMatchObject({ daysAhead: 14, collectedOpen: 10_500, collectedNew: 1_050, billedNew: 14_000, receivables: 102_450, overdue: 23_700, creditSales90d: 90_000 });
    expect(p.dso).toBeCloseTo(102.45, 10);
  });

  it("counts part of a week the date falls in", () => {
    const p = projectAt({ ...inputs, date: "2026-12-18" });
    // 4 of the second week's 7 days
    expect(p.collectedOpen).toBe(7_000 + 2_000);
  });

  it("keeps today's overdue when the date is not ahead", () => {
    expect(projectAt({ ...inputs, date: "2026-12-07" }).overdue).toBe(20_000);
  });

  it("gives the gap for overdue and for DSO with the push module's rules", () => {
    const p = projectAt(inputs);
    expect(pushGap("overdue_total", 5_000, p)).toEqual({ kpi: "overdue_total", target: 5_000, projected: 23_700, required: 18_700, allowedReceivables: null });
    // 45 days × 90,000 ÷ 90 = 45,000 allowed; 102,450 − 45,000 to go
    expect(pushGap("dso", 45, p)).toEqual({ kpi: "dso", target: 45, projected: p.dso, required: 57_450, allowedReceivables: 45_000 });
    expect(pushGap("dso", 45, { ...p, creditSales90d: 0, dso: null }).required).toBeNull();
  });

  it("asks the forecast for enough weeks to reach the date", () => {
    expect(weeksToReach("2026-12-07", "2026-12-31")).toBe(4);
    expect(weeksToReach("2026-12-07", "2026-12-07")).toBe(1);
    expect(weeksToReach("2026-12-07", "2028-12-31")).toBe(52);
  });
});
