import { describe, expect, it } from "vitest";

import { type ProjectedItem, forecastMissesTarget } from "~/features/warnings/rules";
import { ruleFromStored, storedParamsSchema } from "~/features/warnings/schema";

const item = (over: Partial<ProjectedItem> = {}): ProjectedItem => ({
  itemId: 7,
  planId: 2,
  title: "Clear the overdue",
  ownerId: 3,
  kpi: "overdue_total",
  better: "down",
  target: 1_000_000,
  dueDate: "2026-12-31",
  projected: 1_200_000,
  ...over,
});

describe("a forecast that misses a plan target", () => {
  it("warns the item's owner when the projected value is over the target by more than the tolerance, with the figures in the reason", () => {
    // 12,000.00 projected against 10,000.00: 20 % over, beyond a 5 % tolerance
    expect(forecastMissesTarget([item()], { tolerancePercent: 5 })).toEqual([
      {
        kind: "forecast_misses_target",
        subjectKey: "item:7",
        customerId: null,
        invoiceId: null,
        ownerId: 3,
        reasons: [
          {
            key: "warnings.reason.forecastOverdue",
            params: { item: "Clear the overdue", planId: 2, itemId: 7, dueDate: "2026-12-31", projectedAmount: 1_200_000, targetAmount: 1_000_000, gapAmount: 200_000 },
          },
        ],
      },
    ]);
  });

  it("keeps quiet within the tolerance, on the target and below it; a miss of exactly the tolerance is within it", () => {
    expect(forecastMissesTarget([item({ projected: 1_050_000 })], { tolerancePercent: 5 })).toEqual([]);
    expect(forecastMissesTarget([item({ projected: 1_050_001 })], { tolerancePercent: 5 })).toHaveLength(1);
    expect(forecastMissesTarget([item({ projected: 1_000_000 })], { tolerancePercent: 0 })).toEqual([]);
    expect(forecastMissesTarget([item({ projected: 400_000 })], { tolerancePercent: 0 })).toEqual([]);
    expect(forecastMissesTarget([item({ projected: 1_190_000 })], { tolerancePercent: 20 })).toEqual([]);
  });

  it("a target of zero is missed by anything above it, whatever the tolerance", () => {
    expect(forecastMissesTarget([item({ target: 0, projected: 1 })], { tolerancePercent: 100 })).toHaveLength(1);
    expect(forecastMissesTarget([item({ target: 0, projected: 0 })], { tolerancePercent: 0 })).toEqual([]);
  });

  it("says DSO in days with one decimal, and receivables as amounts", () => {
    const [dso] = forecastMissesTarget([item({ kpi: "dso", target: 45, projected: 52.345 })], { tolerancePercent: 5 });
    expect(dso?.reasons).toEqual([{ key: "warnings.reason.forecastDso", params: { item: "Clear the overdue", planId: 2, itemId: 7, dueDate: "2026-12-31", projected: 52.3, target: 45, gap: 7.3 } }]);
    const [ar] = forecastMissesTarget([item({ kpi: "ar_total" })], { tolerancePercent: 0 });
    expect(ar?.reasons[0]?.key).toBe("warnings.reason.forecastReceivables");
  });

  it("judges a KPI where up is better from below", () => {
    expect(forecastMissesTarget([item({ better: "up", target: 100, projected: 80 })], { tolerancePercent: 10 })).toHaveLength(1);
    expect(forecastMissesTarget([item({ better: "up", target: 100, projected: 95 })], { tolerancePercent: 10 })).toEqual([]);
    expect(forecastMissesTarget([item({ better: "up", target: 100, projected: 130 })], { tolerancePercent: 0 })).toEqual([]);
  });

  it("skips what the forecast cannot project (DSO without sales)", () => {
    expect(forecastMissesTarget([item({ kpi: "dso", target: 45, projected: null })], { tolerancePercent: 0 })).toEqual([]);
  });

  it("reads its stored parameters only within their bounds", () => {
    const row = (params: string) => ({ kind: "forecast_misses_target", params, severity: "warning", enabled: 1 });
    expect(ruleFromStored(row('{"tolerancePercent":5}'))).toEqual({ kind: "forecast_misses_target", params: { tolerancePercent: 5 }, severity: "warning", enabled: true });
    expect(ruleFromStored(row('{"tolerancePercent":101}'))).toBeNull();
    expect(ruleFromStored(row('{"tolerancePercent":-1}'))).toBeNull();
    expect(storedParamsSchema.forecast_misses_target.safeParse({ tolerancePercent: 2.5 }).success).toBe(false);
  });
});
