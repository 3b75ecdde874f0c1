import { describe, expect, it } from "vitest";

import { PROVISION_KPI_KEYS } from "~/features/provisions/kpis";
import { CREDIT_KPI_KEYS, creditKpisFromCounts, isCreditKpiKey } from "~/features/credit/kpis";
import { KPI_REGISTER, LINKABLE_KPIS, isLinkableKpiKey, kpiDefinition } from "~/features/kpi/register";
import { KPI_KEYS } from "~/features/kpi/kpis";

describe("credit KPIs", () => {
  it("are rates of the counts, empty when there is nothing to divide by", () => {
    expect(
      creditKpisFromCounts({ promises: { kept: 3, broken: 1 }, confirmations: { sent: 200, returned: 190, mismatched: 19 }, customersOnHold: 4 }),
    ).toEqual({ promise_kept_rate: 0.75, confirmation_return_rate: 0.95, confirmation_mismatch_rate: 0.1, customers_on_hold: 4 });
    expect(
      creditKpisFromCounts({ promises: { kept: 0, broken: 0 }, confirmations: { sent: 5, returned: 0, mismatched: 0 }, customersOnHold: 0 }),
    ).toEqual({ promise_kept_rate: null, confirmation_return_rate: 0, confirmation_mismatch_rate: null, customers_on_hold: 0 });
    expect(
      creditKpisFromCounts({ promises: { kept: 0, broken: 2 }, confirmations: { sent: 0, returned: 0, mismatched: 0 }, customersOnHold: 0 }),
    ).toMatchObject({ promise_kept_rate: 0, confirmation_return_rate: null });
  });

  it("are in the register after the ledger KPIs, linkable, with their direction and a formula in both languages", () => {
    expect(KPI_REGISTER.map((d) => d.key)).toEqual([...KPI_KEYS, ...CREDIT_KPI_KEYS, ...PROVISION_KPI_KEYS]);
    expect(KPI_REGISTER.filter((d) => d.source === "credit").map((d) => d.key)).toEqual([...CREDIT_KPI_KEYS]);
    for (const key of CREDIT_KPI_KEYS) {
      expect(isCreditKpiKey(key)).toBe(true);
      expect(isLinkableKpiKey(key)).toBe(true);
      expect(LINKABLE_KPIS.some((d) => d.key === key)).toBe(true);
      const definition = kpiDefinition(key);
      expect(definition.formula.en.length).toBeGreaterThan(60);
      expect(definition.formula.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(kpiDefinition("promise_kept_rate")).toMatchObject({ unit: "ratio", better: "up" });
    expect(kpiDefinition("confirmation_return_rate")).toMatchObject({ unit: "ratio", better: "up" });
    expect(kpiDefinition("confirmation_mismatch_rate")).toMatchObject({ unit: "ratio", better: "down" });
    expect(kpiDefinition("customers_on_hold")).toMatchObject({ unit: "count", better: "down" });
    expect(isCreditKpiKey("ar_total")).toBe(false);
    expect(isLinkableKpiKey("no_such_kpi")).toBe(false);
  });
});
