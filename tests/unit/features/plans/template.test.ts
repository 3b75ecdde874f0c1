import { describe, expect, it } from "vitest";

import { fiscalQuarter, type QuarterNumber } from "~/kernel/dates";
import { isLinkableKpiKey, kpiDefinition } from "~/features/kpi/register";
import { isPlanCategory } from "~/features/plans/categories";
import { PLAN_TEMPLATE, templateItemsFor } from "~/features/plans/template";

const QUARTERS: QuarterNumber[] = [1, 2, 3, 4];
const START_MONTHS = [1, 4, 7, 10];
const ALL_ITEMS = QUARTERS.flatMap((quarter) =>
  PLAN_TEMPLATE[quarter].map((item) => ({ quarter, item }))
);

describe("the standard annual template", () => {
  it.each(QUARTERS)("Q%s is not empty", (quarter) => {
    expect(PLAN_TEMPLATE[quarter].length).toBeGreaterThan(0);
  });

  it.each(ALL_ITEMS.map(({ quarter, item }) => [quarter, item.key, item] as const))(
    "Q%s %s: both languages, a valid category, a register KPI that can be linked",
    (_quarter, _key, item) => {
      for (const text of [item.title, item.description]) {
        expect(text.en.trim()).not.toBe("");
        expect(text.zh.trim()).not.toBe("");
        expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(isPlanCategory(item.category)).toBe(true);
      if (item.kpi) {
        expect(isLinkableKpiKey(item.kpi.key)).toBe(true);
        expect(item.kpi.better).toBe(kpiDefinition(item.kpi.key).better);
      }
      expect(
        item.due.day === "last" ||
          (Number.isInteger(item.due.day) && item.due.day >= 1 && item.due.day <= 28)
      ).toBe(true);
    }
  );

  it("has unique keys", () => {
    const keys = ALL_ITEMS.map(({ item }) => item.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    [1, ["customer_files", "annual_credit_evaluation", "credit_limits", "risk_early_warning"]],
    [2, ["ledger_clean_up", "aging_analysis", "collection_drive", "bad_debt_provision_estimate"]],
    [3, ["limit_adjustment", "half_year_risk_review", "risk_training", "customer_survey"]],
    [
      4,
      [
        "year_end_collection_push",
        "year_end_credit_review",
        "audit_preparation",
        "annual_summary_next_year_plan",
      ],
    ],
  ] as const)("Q%s covers the issue's items", (quarter, keys) => {
    expect(PLAN_TEMPLATE[quarter].map((item) => item.key)).toEqual(keys);
  });

  it("links some items to KPIs, with DSO-like KPIs going down", () => {
    const linked = ALL_ITEMS.filter(({ item }) => item.kpi);
    expect(linked.length).toBeGreaterThanOrEqual(4);
    const push = PLAN_TEMPLATE[4].find((item) => item.key === "year_end_collection_push");
    expect(push?.kpi).toEqual({ key: "overdue_total", better: "down" });
  });
});

describe("templateItemsFor", () => {
  const cases = START_MONTHS.flatMap((month) =>
    [2024, 2025].flatMap((year) => QUARTERS.map((quarter) => [month, year, quarter] as const))
  );

  it.each(cases)(
    "start month %s, FY%s Q%s: every due date inside the quarter",
    (month, year, quarter) => {
      const { start, end } = fiscalQuarter(year, quarter, month);
      const items = templateItemsFor(year, quarter, month);
      expect(items).toHaveLength(PLAN_TEMPLATE[quarter].length);
      for (const item of items) {
        expect(item.dueDate >= start && item.dueDate <= end).toBe(true);
      }
    }
  );

  it.each([
    [2026, 1, 1, "customer_files", "2026-01-31"],
    [2026, 1, 1, "credit_limits", "2026-03-15"],
    [2024, 1, 1, "annual_credit_evaluation", "2024-02-29"], // leap year
    [2025, 1, 1, "annual_credit_evaluation", "2025-02-28"],
    [2026, 4, 1, "year_end_collection_push", "2026-12-31"],
    // April start: FY2026 Q4 is 2026-01-01..2026-03-31
    [2026, 4, 4, "year_end_collection_push", "2026-03-31"],
    [2026, 1, 4, "customer_files", "2025-04-30"],
  ] as const)("FY%s Q%s (start month %s): %s due %s", (year, quarter, month, key, dueDate) => {
    const item = templateItemsFor(year, quarter, month).find((i) => i.key === key);
    expect(item?.dueDate).toBe(dueDate);
  });

  it("defaults to a January fiscal year and carries the texts and KPI over", () => {
    const [first] = templateItemsFor(2026, 2);
    expect(first).toMatchObject({
      key: "ledger_clean_up",
      category: "reconciliation",
      dueDate: "2026-04-30",
      kpi: { key: "unapplied_credit", better: "down" },
    });
    expect(first!.title.zh).toBe("对应收账款进行全面清理，建立应收账款台账");
    expect(first).not.toHaveProperty("due");
  });
});
