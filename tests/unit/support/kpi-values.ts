import type { AllKpiValues } from "~/features/credit/kpis";
import { type KpiValues, emptyAging, emptyAgingByIssue } from "~/features/kpi/kpis";

/** A KPI object for tests: an empty ledger's values with the given keys replaced. */
export function kpiValuesWith(overrides: Partial<KpiValues>): KpiValues {
  return {
    ar_total: 0,
    unapplied_credit: 0,
    current: 0,
    overdue_total: 0,
    overdue_ratio: null,
    aging: emptyAging(),
    aging_by_issue: emptyAgingByIssue(),
    credit_sales_90d: 0,
    dso: null,
    dso_countback: 0,
    bpdso: null,
    add: null,
    billed: 0,
    collected: 0,
    collection_rate: null,
    cei: null,
    written_off: 0,
    bad_debt_ratio: null,
    overdue_at_baseline: 0,
    overdue_reduction: null,
    customers_overdue: 0,
    customers_over_limit: 0,
    ...overrides,
  };
}

/** The same with the credit-management KPIs (credit/kpis.ts): nothing promised, sent or held, and nothing provided for. */
export function allKpiValuesWith(overrides: Partial<AllKpiValues>): AllKpiValues {
  return {
    ...kpiValuesWith({}),
    promise_kept_rate: null,
    confirmation_return_rate: null,
    confirmation_mismatch_rate: null,
    customers_on_hold: 0,
    provision_total: 0,
    provision_ratio: null,
    expected_loss_rate: null,
    ...overrides,
  };
}
