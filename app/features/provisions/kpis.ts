/**
 * The provision KPIs, beside the ledger KPIs of KPIS.md section 4 and the credit ones. Each is
 * as of the end of D for a scope's customers, from the provision the provisions page shows (the
 * stored rate table in force at D and its age basis; named customers at their own provision):
 *
 * - provision_total: the aging ladder's provision, named customers included (minor units).
 * - provision_ratio: provision_total / gross receivables (the open invoice amounts of the scope,
 *   `ar_total`). Null when there are no receivables.
 * - expected_loss_rate: the migration-rate matrix's provision (loss rates from the ledger's own
 *   history, the approved forward-looking adjustment applied, named customers at their own
 *   provision) / gross receivables: the share of today's receivables the history says will be
 *   lost. Null when there are no receivables.
 */
import { isOneOf } from "~/kernel/guards";

export const PROVISION_KPI_KEYS = ["provision_total", "provision_ratio", "expected_loss_rate"] as const;
export type ProvisionKpiKey = (typeof PROVISION_KPI_KEYS)[number];

export interface ProvisionKpiValues {
  provision_total: number;
  provision_ratio: number | null;
  expected_loss_rate: number | null;
}

export function isProvisionKpiKey(value: unknown): value is ProvisionKpiKey {
  return isOneOf(PROVISION_KPI_KEYS, value);
}

/** The three KPIs from the two methods' totals and the gross receivables (all minor units). */
export function provisionKpisFrom(totals: { ladder: number; matrix: number; gross: number }): ProvisionKpiValues {
  const share = (part: number) => (totals.gross === 0 ? null : part / totals.gross);
  return { provision_total: totals.ladder, provision_ratio: share(totals.ladder), expected_loss_rate: share(totals.matrix) };
}

/** The values in the section-5 object's units: money in major units, ratios as fractions. */
export function provisionKpiJson(values: ProvisionKpiValues): ProvisionKpiValues {
  return { ...values, provision_total: values.provision_total / 100 };
}
