import { describe, expect, it } from "vitest";
import {
  isKpiKey,
  isLinkableKpiKey,
  kpiDefinition,
  KPI_REGISTER,
  LINKABLE_KPIS,
} from "~/features/kpi/register";
import { emptyAging, emptyAgingByIssue, KPI_KEYS, kpiJson, type KpiKey, type KpiValues } from "~/features/kpi/kpis";

describe("KPI register", () => {
  it("describes every section-4 key once, in the contract's order", () => {
    expect(KPI_REGISTER.filter((definition) => definition.source === "ledger").map((definition) => definition.key)).toEqual([...KPI_KEYS]);
  });

  it("has both languages for every name and formula", () => {
    for (const definition of KPI_REGISTER) {
      for (const text of [definition.name, definition.formula]) {
        expect(text.en.trim(), definition.key).not.toBe("");
        expect(text.zh, definition.key).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it.each([
    ["ar_total", "应收账款总额"],
    ["overdue_total", "逾期金额"],
    ["overdue_ratio", "逾期率"],
    ["dso", "应收账款周转天数 DSO"],
    ["collection_rate", "回款率"],
    ["cei", "催收效率指数 CEI"],
    ["bad_debt_ratio", "坏账率"],
  ] as const)("uses the usual Chinese finance term for %s", (key, zh) => {
    expect(kpiDefinition(key).name.zh).toBe(zh);
  });

  it("lets plan items link to every KPI except the breakdowns and the fixed baseline", () => {
    expect(
      KPI_REGISTER.filter((definition) => !definition.linkable).map((definition) => definition.key)
    ).toEqual(["aging", "aging_by_issue", "overdue_at_baseline"]);
    expect(LINKABLE_KPIS.every((definition) => isLinkableKpiKey(definition.key))).toBe(true);
    expect(isLinkableKpiKey("aging")).toBe(false);
    expect(isKpiKey("aging")).toBe(true);
    expect(isKpiKey("toString")).toBe(false);
    expect(isKpiKey(42)).toBe(false);
  });

  it.each([
    ["current", /due on the as-of day is not yet overdue/],
    ["overdue_total", /due on the as-of day is not yet overdue/],
    ["ar_total", /end of the as-of day/],
    ["dso", /90 days ending on the as-of day/],
    ["dso_countback", /calendar month[\s\S]*36 months/],
    ["collected", /Credit notes and write-offs are not collections/],
    ["customers_over_limit", /limit above zero/],
  ] as const)("states the convention behind %s", (key, wording) => {
    expect(kpiDefinition(key).formula.en).toMatch(wording);
  });

  it("gives 'money' exactly to the amounts the JSON converts to major units", () => {
    const values = Object.fromEntries(KPI_KEYS.map((key) => [key, 12_345])) as unknown as KpiValues;
    values.aging = { ...emptyAging(), current: 12_345 };
    values.aging_by_issue = { ...emptyAgingByIssue(), "0_365": 12_345 };
    const json = kpiJson(values, {
      asOf: "2024-06-30",
      periodStart: "2024-04-01",
      baselineDate: "2023-12-31",
      scope: "company",
      currency: "CNY",
    });
    for (const definition of KPI_REGISTER.filter((d) => d.source === "ledger")) {
      const field = json[definition.key as KpiKey];
      const shown =
        typeof field === "number" ? field : Object.values(field as Record<string, number>)[0];
      expect(shown, definition.key).toBe(definition.unit === "money" ? 123.45 : 12_345);
    }
  });

  it("points money and counts down where less is better, rates and collections up", () => {
    const better = Object.fromEntries(
      KPI_REGISTER.map((definition) => [definition.key, definition.better])
    );
    expect(better).toMatchObject({
      ar_total: "down",
      overdue_total: "down",
      overdue_ratio: "down",
      dso: "down",
      add: "down",
      collected: "up",
      collection_rate: "up",
      cei: "up",
      bad_debt_ratio: "down",
      overdue_reduction: "up",
      customers_over_limit: "down",
    });
    expect(kpiDefinition("cei").unit).toBe("percent");
    expect(kpiDefinition("collection_rate").unit).toBe("ratio");
    expect(kpiDefinition("customers_overdue").unit).toBe("count");
    expect(kpiDefinition("dso_countback").unit).toBe("days");
  });
});

describe("the shares of a whole", () => {
  it("are rates, and the collection rate (collections may exceed billing) is not one", () => {
    const shares = KPI_REGISTER.filter((kpi) => kpi.share);
    for (const kpi of shares) expect(kpi.unit, kpi.key).toBe("ratio");
    expect(shares.map((kpi) => kpi.key)).toEqual(expect.arrayContaining(["overdue_ratio", "bad_debt_ratio", "provision_ratio"]));
    expect(kpiDefinition("collection_rate").share).toBeUndefined();
  });
});
