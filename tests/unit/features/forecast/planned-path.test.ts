import { describe, expect, it } from "vitest";

import { addDays } from "~/kernel/dates";
import { lastYearDates, plannedPath, sameDayLastYear, sampleDates } from "~/features/forecast/planned-path";

const q1 = { baseline: 1_000_000, baselineDate: "2027-01-01", target: 100_000, dueDate: "2027-03-31", better: "down" as const, wholeUnits: true };

describe("the days a path is drawn on", () => {
  it("moves a date a year back, 29 February to the 28th", () => {
    expect(sameDayLastYear("2027-01-02")).toBe("2026-01-02");
    expect(sameDayLastYear("2028-02-29")).toBe("2027-02-28");
    expect(sameDayLastYear("2027-03-31")).toBe("2026-03-31");
  });

  it("spreads weekly points over a quarter, first and last day exact, and never repeats a day", () => {
    const dates = sampleDates("2027-01-01", "2027-03-31");
    expect(dates).toHaveLength(14);
    expect(dates[0]).toBe("2027-01-01");
    expect(dates[13]).toBe("2027-03-31");
    expect([...dates].sort()).toEqual(dates);
    expect(sampleDates("2027-01-01", "2027-01-03")).toEqual(["2027-01-01", "2027-01-02", "2027-01-03"]);
    expect(sampleDates("2027-01-05", "2027-01-05")).toEqual(["2027-01-05"]);
    expect(lastYearDates("2027-01-01", "2027-03-31")[0]).toBe("2026-01-01");
    expect(lastYearDates("2027-01-01", "2027-03-31")[13]).toBe("2026-03-31");
  });
});

describe("the planned path and at risk", () => {
  it("early January: one day of 89 done on a straight path", () => {
    const path = plannedPath({ ...q1, choice: "straight", lastYear: null }, "2027-01-02", 995_000);
    // 1,000,000 − 900,000 × 1 ÷ 89 = 989,887.64…, kept in whole minor units
    expect(path.planned).toBe(989_888);
    expect(path.atRisk).toBe(true);
    expect(plannedPath({ ...q1, choice: "straight", lastYear: null }, "2027-01-02", 989_000).atRisk).toBe(false);
    // before the baseline the path stays at the baseline
    expect(plannedPath({ ...q1, choice: "straight", lastYear: null }, "2026-12-31", 1_000_000).planned).toBe(1_000_000);
  });

  it("a quarter's last day: the path is at the target whatever its shape", () => {
    const lastYear = [500, 500, 500, 500, 500, 500, 500, 450, 400, 350, 300, 250, 200, 150];
    for (const choice of ["straight", "last_year"] as const) {
      const onTarget = plannedPath({ ...q1, choice, lastYear }, "2027-03-31", 100_000);
      expect(onTarget.planned).toBe(100_000);
      expect(onTarget.atRisk).toBe(false);
      expect(plannedPath({ ...q1, choice, lastYear }, "2027-03-31", 100_001).atRisk).toBe(true);
    }
  });

  it("last year's shape: flat for half the quarter, then falling, scaled from this baseline to this target", () => {
    const lastYear = [500, 500, 500, 500, 500, 500, 500, 450, 400, 350, 300, 250, 200, 150];
    // the fourth quarter has 91 days, 13 whole weeks: the points fall on exact weeks
    const q4 = { ...q1, baselineDate: "2026-10-01", dueDate: "2026-12-31" };
    const dates = sampleDates(q4.baselineDate, q4.dueDate);
    expect(dates[1]).toBe("2026-10-08");
    const mid = dates[6] as string;
    const shaped = plannedPath({ ...q4, choice: "last_year", lastYear }, mid, 990_000);
    expect(shaped.used).toBe("last_year");
    expect(shaped.fallback).toBeNull();
    // last year had not moved yet by this day: neither should the plan, so 990,000 is on the path
    expect(shaped.planned).toBe(1_000_000);
    expect(shaped.atRisk).toBe(false);
    const straight = plannedPath({ ...q4, choice: "straight", lastYear }, mid, 990_000);
    expect(straight.planned).toBeLessThan(600_000);
    expect(straight.atRisk).toBe(true);
    // three quarters of last year's fall done by point 11 (500 → 250 of 500 → 150): 1,000,000 − 900,000 × 250 ÷ 350
    expect(plannedPath({ ...q4, choice: "last_year", lastYear }, dates[11] as string, 0).planned).toBe(Math.round(1_000_000 - (900_000 * 250) / 350));
    expect(shaped.points[0]).toEqual({ date: "2026-10-01", value: 1_000_000 });
    expect(shaped.points[shaped.points.length - 1]).toEqual({ date: "2026-12-31", value: 100_000 });
  });

  it("falls back to straight, and says why, when last year gives no shape", () => {
    const missing = plannedPath({ ...q1, choice: "last_year", lastYear: [500, null, 300] }, "2027-02-15", null);
    expect([missing.used, missing.fallback, missing.atRisk]).toEqual(["straight", "pushPlanner.path.noHistory", false]);
    const flat = plannedPath({ ...q1, choice: "last_year", lastYear: [500, 400, 500] }, "2027-02-15", null);
    expect([flat.used, flat.fallback]).toEqual(["straight", "pushPlanner.path.flatHistory"]);
    expect(flat.planned).toBe(plannedPath({ ...q1, choice: "straight", lastYear: null }, "2027-02-15", null).planned);
    expect(plannedPath({ ...q1, choice: "last_year", lastYear: null }, "2027-02-15", null).fallback).toBe("pushPlanner.path.noHistory");
  });

  it("judges a KPI that is better up against the other side, and keeps a rate's fraction", () => {
    const rate = { baseline: 80, baselineDate: "2026-10-01", target: 95, dueDate: "2026-12-31", better: "up" as const, wholeUnits: false, choice: "straight" as const, lastYear: null };
    const today = addDays("2026-10-01", 46);
    const path = plannedPath(rate, today, 87);
    expect(path.planned).toBeCloseTo(80 + (15 * 46) / 91, 10);
    expect(path.atRisk).toBe(true);
    expect(plannedPath(rate, today, 88).atRisk).toBe(false);
  });
});
