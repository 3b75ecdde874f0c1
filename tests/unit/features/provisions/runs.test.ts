import { describe, expect, it } from "vitest";
import { agingFlags, defaultRunDraft, endsPeriod, latestPeriodEnd, movementFrom, periodStart, previousYearEnd } from "~/features/provisions/runs";

const customer = (customerId: number, yearly: number[]) => ({ customerId, code: `C${customerId}`, name: `Customer ${customerId}`, balances: [], provision: 0, yearly });

describe("provision run periods", () => {
  it("knows month, quarter and year ends", () => {
    expect(endsPeriod("2024-02-29", "month")).toBe(true);
    expect(endsPeriod("2024-02-28", "month")).toBe(false);
    expect(endsPeriod("2024-06-30", "quarter")).toBe(true);
    expect(endsPeriod("2024-05-31", "quarter")).toBe(false);
    expect(endsPeriod("2024-12-31", "year")).toBe(true);
    expect(endsPeriod("2024-09-30", "year")).toBe(false);
    expect(periodStart("2024-09-30", "quarter")).toBe("2024-07-01");
    expect(movementFrom("2024-09-30", "quarter", null)).toBe("2024-06-30");
    expect(movementFrom("2024-09-30", "quarter", "2024-03-31")).toBe("2024-03-31");
    expect(previousYearEnd("2025-12-31")).toBe("2024-12-31");
  });
});

describe("the impossible-aging check of a run", () => {
  it("names the customers whose yearly band holds more than the band before held a year earlier", () => {
    const previous = [customer(1, [100, 50, 0]), customer(2, [100, 0, 0])];
    const current = [customer(1, [300, 100, 50]), customer(2, [0, 120, 0]), customer(3, [10, 5, 0])];
    expect(agingFlags(previous, current)).toEqual([
      { customerId: 2, code: "C2", name: "Customer 2", bands: [1] },
      { customerId: 3, code: "C3", name: "Customer 3", bands: [1] },
    ]);
  });
});

describe("latestPeriodEnd", () => {
  it("is the end of the month, quarter or year in progress", () => {
    expect(latestPeriodEnd("2026-12-08", "month")).toBe("2026-12-31");
    expect(latestPeriodEnd("2026-12-08", "quarter")).toBe("2026-12-31");
    expect(latestPeriodEnd("2026-11-08", "quarter")).toBe("2026-12-31");
    expect(latestPeriodEnd("2027-01-02", "quarter")).toBe("2027-03-31");
    expect(latestPeriodEnd("2027-01-02", "year")).toBe("2027-12-31");
    expect(latestPeriodEnd("2028-02-10", "month")).toBe("2028-02-29");
    expect(latestPeriodEnd("2026-09-30", "quarter")).toBe("2026-09-30");
  });
});

describe("defaultRunDraft", () => {
  it("is the last month end on or before today, which the draft's rules accept", () => {
    for (const [today, end] of [["2026-12-08", "2026-11-30"], ["2026-11-30", "2026-11-30"], ["2026-01-01", "2025-12-31"], ["2024-03-15", "2024-02-29"]] as const) {
      const draft = defaultRunDraft(today);
      expect(draft).toEqual({ periodEnd: end, kind: "month" });
      expect(endsPeriod(draft.periodEnd, draft.kind)).toBe(true);
      expect(draft.periodEnd <= latestPeriodEnd(today, draft.kind)).toBe(true);
    }
  });
});
