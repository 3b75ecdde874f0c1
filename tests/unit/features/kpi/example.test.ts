import { describe, expect, it } from "vitest";

import { EXAMPLE_LEDGER, countbackSteps, workedExample } from "~/features/kpi/example";
import { computeKpis, countbackSales } from "~/features/kpi/kpis";

// The help page's example worked by hand (see the help page's text for the steps).
describe("the help page's worked example", () => {
  const example = workedExample();

  it("settles the documents as KPIS.md section 3 says", () => {
    expect(example.openInvoices.map((i) => [i.invoiceNo, i.openAmount, i.daysPastDue, i.bucket])).toEqual([
      ["INV-1", 0, 91, "91_180"],
      ["INV-2", 200_000, 51, "31_60"],
      ["INV-3", 430_000, 11, "1_30"],
      ["INV-4", 300_000, 0, "current"],
      ["INV-5", 400_000, -15, "current"],
    ]);
  });

  it.each([
    ["ar_total", 1_330_000],
    ["current", 700_000],
    ["overdue_total", 630_000],
    ["credit_sales_90d", 1_800_000],
    ["dso", 66.5],
    ["bpdso", 35],
    ["add", 31.5],
    ["dso_countback", 67.5],
    ["billed", 1_800_000],
    ["collected", 1_400_000],
    ["collection_rate", 0.5],
    ["cei", 70],
    ["written_off", 20_000],
  ] as const)("%s is %s", (key, value) => {
    expect(example.values[key]).toBeCloseTo(value, 10);
  });

  it("uses the opening receivables of the day before the quarter", () => {
    expect(example.period.openingDate).toBe("2025-03-31");
    expect(example.inputs.openingArTotal).toBe(1_000_000);
  });

  it("gives the same figures as the engine itself", () => {
    expect(example.values).toEqual(computeKpis(EXAMPLE_LEDGER, { asOf: example.asOf, fiscalStartMonth: 1 }));
  });

  it("walks the countback month by month to the engine's figure", () => {
    expect(example.countback.map((s) => [s.start, s.remainingBefore, s.sales, s.daysCounted])).toEqual([
      ["2025-06-01", 1_330_000, 400_000, 30],
      ["2025-05-01", 930_000, 800_000, 31],
      ["2025-04-01", 130_000, 600_000, 6.5],
    ]);
    expect(example.countback.reduce((sum, s) => sum + s.daysCounted, 0)).toBeCloseTo(example.values.dso_countback, 10);
  });

  it("stops the countback when the receivables are used up exactly", () => {
    const months = countbackSales(EXAMPLE_LEDGER.invoices, "2025-06-30");
    expect(countbackSteps(400_000, months).map((s) => s.daysCounted)).toEqual([30]);
    expect(countbackSteps(0, months)).toEqual([]);
  });
});
