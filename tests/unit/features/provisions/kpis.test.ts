import { describe, expect, it } from "vitest";

import { KPI_REGISTER, LINKABLE_KPIS, isKpiKey, isLinkableKpiKey, kpiDefinition } from "~/features/kpi/register";
import { DASHBOARD_CARDS } from "~/features/kpi/cards";
import { PROVISION_KPI_KEYS, isProvisionKpiKey, provisionKpiJson, provisionKpisFrom } from "~/features/provisions/kpis";

describe("the provision KPIs", () => {
  it("are the ladder's provision, its share of gross receivables and the matrix's share", () => {
    // the published NEEQ table: 1,818,100.42 provided on 14,698,067.80
    expect(provisionKpisFrom({ ladder: 181_810_042, matrix: 150_000_000, gross: 1_469_806_780 })).toEqual({
      provision_total: 181_810_042,
      provision_ratio: 181_810_042 / 1_469_806_780,
      expected_loss_rate: 150_000_000 / 1_469_806_780,
    });
    expect(provisionKpisFrom({ ladder: 181_810_042, matrix: 150_000_000, gross: 1_469_806_780 }).provision_ratio).toBeCloseTo(0.1237, 4);
  });

  it("have no ratio without receivables, and a zero provision", () => {
    expect(provisionKpisFrom({ ladder: 0, matrix: 0, gross: 0 })).toEqual({ provision_total: 0, provision_ratio: null, expected_loss_rate: null });
  });

  it("give the machine object money in major units and ratios as fractions", () => {
    expect(provisionKpiJson({ provision_total: 181_810_042, provision_ratio: 0.25, expected_loss_rate: null })).toEqual({
      provision_total: 1_818_100.42,
      provision_ratio: 0.25,
      expected_loss_rate: null,
    });
  });

  it("are in the register last, linkable, downward-better, with a formula in both languages, and on the dashboard", () => {
    expect(KPI_REGISTER.slice(-3).map((d) => d.key)).toEqual([...PROVISION_KPI_KEYS]);
    expect(KPI_REGISTER.filter((d) => d.source === "provision").map((d) => d.key)).toEqual([...PROVISION_KPI_KEYS]);
    for (const key of PROVISION_KPI_KEYS) {
      expect(isKpiKey(key)).toBe(true);
      expect(isProvisionKpiKey(key)).toBe(true);
      expect(isLinkableKpiKey(key)).toBe(true);
      expect(LINKABLE_KPIS.some((d) => d.key === key)).toBe(true);
      const definition = kpiDefinition(key);
      expect(definition.better).toBe("down");
      expect(definition.formula.en.length).toBeGreaterThan(60);
      expect(definition.formula.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(kpiDefinition("provision_total").unit).toBe("money");
    expect(kpiDefinition("provision_ratio").unit).toBe("ratio");
    expect(kpiDefinition("expected_loss_rate").unit).toBe("ratio");
    expect(isProvisionKpiKey("ar_total")).toBe(false);
    expect(DASHBOARD_CARDS.find((card) => card.key === "provision_total")).toEqual({ key: "provision_total", secondary: "provision_ratio", method: "balance" });
    expect(DASHBOARD_CARDS.some((card) => card.key === "expected_loss_rate")).toBe(true);
  });
});
