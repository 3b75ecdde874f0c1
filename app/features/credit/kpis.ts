/**
 * The credit-management KPIs, beside the ledger KPIs of KPIS.md section 4. They read
 * the department's own records (promises, confirmations, holds) rather than the ledger alone, so
 * they are not part of the section-5 machine object (CLI, `/api/kpis`); the register, the
 * dashboard and plan-item links use them like any other KPI. Every one is as of the end of D for
 * a scope's customers; the period is the same [P0, D] as `collected` (by default the fiscal
 * quarter to date).
 *
 * - promise_kept_rate: kept / (kept + broken) among promises to pay and repayment-agreement
 *   instalments due in [P0, D], judged from the ledger as of D (collection-actions/promises.ts);
 *   pending ones are left out. Null when none was kept or broken.
 * - confirmation_return_rate: returned / sent among balance confirmations sent in [P0, D], a
 *   confirmation counting as returned when its returned date is on or before D. Null when none
 *   was sent.
 * - confirmation_mismatch_rate: mismatched / returned among the same confirmations. Null when
 *   none was returned.
 * - customers_on_hold: customers with a hold (cash before delivery or stop shipment) in force at
 *   the end of D: set on or before D and not released by then.
 */
import type { KpiValues } from "~/features/kpi";
import type { ProvisionKpiValues } from "~/features/provisions";
import { isOneOf } from "~/kernel/guards";

export const CREDIT_KPI_KEYS = ["promise_kept_rate", "confirmation_return_rate", "confirmation_mismatch_rate", "customers_on_hold"] as const;
export type CreditKpiKey = (typeof CREDIT_KPI_KEYS)[number];

export interface CreditKpiValues {
  promise_kept_rate: number | null;
  confirmation_return_rate: number | null;
  confirmation_mismatch_rate: number | null;
  customers_on_hold: number;
}

/** Every KPI of the register: KPIS.md section 4's, the credit-management and the provision ones. */
export type AllKpiValues = KpiValues & CreditKpiValues & ProvisionKpiValues;

export interface CreditKpiCounts {
  promises: { kept: number; broken: number };
  confirmations: { sent: number; returned: number; mismatched: number };
  customersOnHold: number;
}

export function isCreditKpiKey(value: unknown): value is CreditKpiKey {
  return isOneOf(CREDIT_KPI_KEYS, value);
}

function fraction(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function creditKpisFromCounts({ promises, confirmations, customersOnHold }: CreditKpiCounts): CreditKpiValues {
  return {
    promise_kept_rate: fraction(promises.kept, promises.kept + promises.broken),
    confirmation_return_rate: fraction(confirmations.returned, confirmations.sent),
    confirmation_mismatch_rate: fraction(confirmations.mismatched, confirmations.returned),
    customers_on_hold: customersOnHold,
  };
}
