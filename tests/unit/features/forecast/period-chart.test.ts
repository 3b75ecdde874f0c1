import { describe, expect, it } from "vitest";

import { periodChartConfig } from "~/features/forecast/components/forecast-view";

const rows = [
  { label: "w1", open: 700_00, newSales: 100_00, expected: 800_00, low: 720_00, high: 880_00 },
  { label: "w2", open: 200_00, newSales: 600_00, expected: 800_00, low: 720_00, high: 880_00 },
];

describe("the forecast page's chart", () => {
  const config = periodChartConfig(rows, { open: "Open", newSales: "New", high: "High", low: "Low" }, (minor) => String(minor));
  const datasets = config.data.datasets;

  it("stacks open invoices and new sales into one bar per period, so the bar's top is the period's expected", () => {
    expect(config.options?.scales?.x).toMatchObject({ stacked: true });
    // on an unstacked y axis the two bars of a period overlap from zero instead (the smaller one hidden behind the larger)
    expect(config.options?.scales?.y).toMatchObject({ stacked: true });
    const bars = datasets.filter((d) => d.type === "bar");
    expect(bars.map((d) => d.stack)).toEqual(["expected", "expected"]);
    const tops = rows.map((_, i) => bars.reduce((sum, d) => sum + (d.data[i] as number), 0));
    expect(tops).toEqual(rows.map((r) => r.expected / 100));
  });

  it("draws the low and high ends at their own values: each line in a stack of its own", () => {
    const lines = datasets.filter((d) => d.type === "line");
    expect(lines.map((d) => [d.label, d.stack])).toEqual([
      ["High", "high"],
      ["Low", "low"],
    ]);
    expect(lines.map((d) => d.data)).toEqual([
      [880, 880],
      [720, 720],
    ]);
    expect(new Set(datasets.map((d) => d.stack)).size).toBe(3);
  });
});
